//! Signatures a mini program backend checks with the session_key: the user-info signature
//! `sha1(rawData + session_key)` (`digest`), the checkSession signature
//! `hmac_sha256(key = the session_key's text, body)`, checkEncryptedData's `encrypted_msg_hash`;
//! and when a given signature does not match, why (`check`): a stale key, or which known mistake
//! made it (`variant`, with the re-serialisations of `json_forms`); `present` words the verdict.

pub mod check;
pub mod digest;
pub mod json_forms;
pub mod present;
pub mod variant;

pub use check::{SignatureReport, SignatureRequest, check};
pub use digest::{decoded_hash, encrypted_msg_hash, session_signature, user_info_signature};
pub use json_forms::Form;
pub use variant::{SignatureKind, Variant};
