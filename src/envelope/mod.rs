//! Envelopes: what the message-push and Pay inspectors share — the report and how it reads.

pub mod input;
pub(crate) mod inspection;
pub mod present;
pub mod report;

pub use input::EnvelopeInput;
pub use report::{BackendSays, EnvelopeDetail, EnvelopeKind, EnvelopeReport};
