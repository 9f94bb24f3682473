//! The message-push inspector (safe mode, WXBizMsgCrypt): customer-service and subscribe-message
//! pushes of mini programs, official accounts, WeCom and the open platform's tickets.
//!
//! The pipeline is [`input`] (the body, the URL's parameters) → [`crypt`] (signature, AES-256-CBC,
//! the frame) → [`inspect_message`] (root cause from the bytes) → an
//! [`EnvelopeReport`](crate::envelope::EnvelopeReport); [`official`] says what the official PHP
//! sample returns; [`seal`] makes test pushes.

pub mod crypt;
pub mod input;
pub mod inspect;
pub mod official;
pub mod seal;

pub use input::MsgInput;
pub use inspect::inspect_message;
pub use seal::{SealRequest, Sealed, seal};
