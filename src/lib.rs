//! wxdecrypt: inspect, diagnose and forge WeChat mini program encrypted open data.
//!
//! The engine is UI-free: [`inspect()`] turns four pasted strings into a [`Report`] with the decrypted
//! data or the exact cause of failure; [`encrypt()`] builds payloads; [`case`] reads and writes saved
//! test cases. The CLI (`src/cli`) and the GUI (`src/gui`) are thin faces over it.

pub mod capture;
pub mod case;
pub mod cipher;
pub mod diagnose;
pub mod encrypt;
pub mod extract;
pub mod finding;
pub mod i18n;
pub mod inspect;
pub mod interpret;
pub mod keyring;
pub mod normalize;
pub mod serve;

pub mod cli;
pub mod gui;

pub use encrypt::{EncryptRequest, Encrypted, encrypt};
pub use finding::{Code, Field, Finding, Repair, Severity, Span};
pub use i18n::Lang;
pub use inspect::{Input, Options, Report, inspect, inspect_fields};
pub use interpret::{Kind, Watermark};
