//! wxdecrypt: inspect, diagnose and forge WeChat mini program encrypted open data.
//!
//! The engine is this library without features: [`inspect()`] turns four pasted strings into a
//! [`Report`] with the decrypted data or the exact cause of failure; [`encrypt()`] builds payloads;
//! [`case`] reads and writes saved test cases; [`keyring`] holds known keys and [`pair`] tries them;
//! [`present`] and [`privacy`] say what a person reads about a report. The faces are features:
//! `capture` (reading HAR, Burp, curl, raw HTTP and logs), `serve` (the local endpoint), `cli` and
//! `gui`.
//!
//! ```
//! use wxdecrypt::{Input, Lang, Options, inspect};
//!
//! // The official sample from the WeChat documentation.
//! let input = Input::new(
//!     "wx4f4bc4dec97d474b",
//!     "tiihtNczf5v6AKRyjwEUhQ==",
//!     "r7BXXKkLb8qrSNn05n0qiA==",
//!     concat!(
//!         "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC",
//!         "+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poO",
//!         "FtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8",
//!         "xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB",
//!         "6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJd",
//!         "NiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOy",
//!         "uxINew==",
//!     ),
//! );
//! let report = inspect(&input, &Options::new(1_700_000_000, Lang::En));
//! assert!(report.ok);
//! assert_eq!(report.data.unwrap()["nickName"], "Band");
//!
//! // A stale session_key is named as the cause, with the official code the SDKs return.
//! let stale = Input { session_key: "MTIzNDU2Nzg5MGFiY2RlZg==".into(), ..input };
//! let report = inspect(&stale, &Options::new(1_700_000_000, Lang::En));
//! assert_eq!(report.primary().unwrap().code.as_str(), "key.mismatch");
//! assert_eq!(report.official_code, -41003);
//! ```

#![forbid(unsafe_code)]

pub mod atomic;
pub mod case;
pub mod envelope;
pub mod explain;
pub mod extract;
pub mod finding;
pub mod i18n;
pub mod inspected;
pub mod keyring;
pub mod msg;
pub mod opendata;
pub mod pair;
pub mod pay;
pub mod platform;
pub mod present;
pub mod privacy;
pub mod server;
pub mod signature;
pub mod snippet;
pub mod xml;

#[cfg(feature = "capture")]
pub mod capture;
#[cfg(feature = "serve")]
pub mod serve;

#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "gui")]
pub mod gui;

pub use finding::{Code, Field, Finding, Repair, Severity, Span};
pub use i18n::Lang;
pub use opendata::encrypt::{self, EncryptRequest, Encrypted, encrypt};
pub use opendata::interpret::{Kind, Watermark};
pub use opendata::{Input, Options, Report, inspect, inspect_fields};
