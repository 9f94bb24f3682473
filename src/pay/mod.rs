//! The WeChat Pay inspector: APIv3 notifications and certificates (AEAD_AES_256_GCM with the
//! APIv3 key) and APIv2 refund notifications (`req_info`, AES-256-ECB with the md5 of the API key).
//!
//! The pipeline is [`input`] (the body's resource) → [`gcm`] (verify; the keystream alone when
//! the tag fails) → [`inspect_pay`] (root cause) → an
//! [`EnvelopeReport`](crate::envelope::EnvelopeReport); [`official`] says what the SDKs log;
//! [`seal`] makes test notifications.

pub mod gcm;
pub mod input;
pub mod inspect;
pub mod official;
pub mod seal;
pub mod v2;

pub use input::PayInput;
pub use inspect::inspect_pay;
pub use seal::{SealRequest, seal};
