//! The open-data inspector: `encryptedData` + `iv` + `session_key` (AES-128-CBC, PKCS#7) as
//! `getPhoneNumber`, `getUserProfile`, WeRun and share info send them.
//!
//! The pipeline is [`normalize`] (repair what transport did to base64) → [`cipher`] (decrypt) →
//! [`diagnose`] (why noise is noise) → [`interpret`] (kind, watermark, content checks), run by
//! [`inspect()`] into a [`Report`]. [`encrypt()`](encrypt::encrypt) builds payloads the way WeChat does.

pub mod assign;
pub mod cipher;
pub mod diagnose;
pub mod encrypt;
mod framed;
pub mod input;
pub mod inspect;
pub mod interpret;
pub(crate) mod json_scan;
pub mod normalize;
pub mod official;
pub mod report;
pub mod report_json;
pub mod tamper;
mod which;

pub use input::{Input, Options};
pub use inspect::{inspect, inspect_fields, looks_like_login_code};
pub use report::{Decryption, Detail, Report};
