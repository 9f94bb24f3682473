//! Why an entry of a capture could not be read ([`MalformedReason`]) and why a file could not be
//! read to its end ([`Truncation`]): typed, with their arguments, rendered from the catalogues by
//! `message(lang)`. Third-party error text (serde, quick-xml, the OS) is only ever an argument.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::i18n::Lang;

/// Why an entry, item, request or line was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MalformedReason {
    /// A HAR entry without a `request`.
    EntryWithoutRequest,
    /// A Burp item without a request.
    ItemWithoutRequest,
    /// A HAR entry that is not shaped like one (serde's text).
    BadHarEntry {
        error: String,
    },
    /// A base64 element of a Burp item that does not decode.
    BadBase64 {
        element: String,
    },
    /// A raw HTTP capture that does not start with a request line.
    NotHttpRequest,
    /// A curl capture without any curl command.
    NoCurlCommand,
    /// A log line longer than the limit (in MiB).
    LineTooLong {
        max_mib: usize,
    },
    /// A line that looks like a JSON object but does not parse.
    InvalidJsonLine,
    /// A HAR entry nested deeper than the limit: the deeper part was skipped.
    TooDeep {
        max: usize,
    },
    /// A body compressed with a coding that is not read (`br`, `zstd`, …).
    Compressed {
        coding: String,
    },
    /// A body that says it is compressed but does not inflate.
    BadCompressed {
        coding: String,
    },
    /// A body that inflates past the limit (in MiB).
    InflatedTooLarge {
        max_mib: usize,
    },
    EntryTooLarge {
        max_mib: usize,
    },
}

impl MalformedReason {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            MalformedReason::EntryWithoutRequest => lang
                .tr("capture.malformed.entry_without_request")
                .to_string(),
            MalformedReason::ItemWithoutRequest => lang
                .tr("capture.malformed.item_without_request")
                .to_string(),
            MalformedReason::BadHarEntry { error } => {
                lang.fmt("capture.malformed.bad_har_entry", &[("error", error)])
            }
            MalformedReason::BadBase64 { element } => {
                lang.fmt("capture.malformed.bad_base64", &[("element", element)])
            }
            MalformedReason::NotHttpRequest => {
                lang.tr("capture.malformed.not_http_request").to_string()
            }
            MalformedReason::NoCurlCommand => {
                lang.tr("capture.malformed.no_curl_command").to_string()
            }
            MalformedReason::LineTooLong { max_mib } => lang.fmt(
                "capture.malformed.line_too_long",
                &[("max", &max_mib.to_string())],
            ),
            MalformedReason::InvalidJsonLine => {
                lang.tr("capture.malformed.invalid_json_line").to_string()
            }
            MalformedReason::TooDeep { max } => {
                lang.fmt("capture.malformed.too_deep", &[("max", &max.to_string())])
            }
            MalformedReason::Compressed { coding } => {
                lang.fmt("capture.malformed.compressed", &[("coding", coding)])
            }
            MalformedReason::BadCompressed { coding } => {
                lang.fmt("capture.malformed.bad_compressed", &[("coding", coding)])
            }
            MalformedReason::InflatedTooLarge { max_mib } => lang.fmt(
                "capture.malformed.inflated_too_large",
                &[("max", &max_mib.to_string())],
            ),
            MalformedReason::EntryTooLarge { max_mib } => lang.fmt(
                "capture.malformed.entry_too_large",
                &[("max", &max_mib.to_string())],
            ),
        }
    }
}

/// English, for logs and callers without a language.
impl fmt::Display for MalformedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// Serialized as the English message (as the reason string was before it was typed).
impl Serialize for MalformedReason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Why a file was read only in part (what came before is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Truncation {
    /// A HAR file that ends at byte `offset`, before its entries array is closed.
    HarEnd { offset: u64 },
    /// A byte that cannot be where it is in a HAR file (an object whose `log.entries` is an
    /// array), at byte `offset`.
    HarBroken { offset: u64 },
    /// A read error in the middle of a HAR file (the system's text).
    Read { error: String },
    /// An XML syntax error in a Burp file, at a byte offset (quick-xml's text).
    Xml { position: u64, error: String },
}

impl Truncation {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Truncation::HarEnd { offset } => lang.fmt(
                "capture.truncated.har_end",
                &[("position", &offset.to_string())],
            ),
            Truncation::HarBroken { offset } => lang.fmt(
                "capture.truncated.har_broken",
                &[("position", &offset.to_string())],
            ),
            Truncation::Read { error } => lang.fmt("capture.truncated.read", &[("error", error)]),
            Truncation::Xml { position, error } => lang.fmt(
                "capture.truncated.xml",
                &[("position", &position.to_string()), ("error", error)],
            ),
        }
    }
}

/// English, for logs and callers without a language.
impl fmt::Display for Truncation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_reasons() -> Vec<MalformedReason> {
        vec![
            MalformedReason::EntryWithoutRequest,
            MalformedReason::ItemWithoutRequest,
            MalformedReason::BadHarEntry { error: "E1".into() },
            MalformedReason::BadBase64 {
                element: "request".into(),
            },
            MalformedReason::NotHttpRequest,
            MalformedReason::NoCurlCommand,
            MalformedReason::LineTooLong { max_mib: 16 },
            MalformedReason::InvalidJsonLine,
            MalformedReason::TooDeep { max: 64 },
            MalformedReason::Compressed {
                coding: "br".into(),
            },
            MalformedReason::BadCompressed {
                coding: "gzip".into(),
            },
            MalformedReason::InflatedTooLarge { max_mib: 64 },
            MalformedReason::EntryTooLarge { max_mib: 64 },
        ]
    }

    #[test]
    fn every_reason_renders_in_both_languages_with_its_arguments() {
        for lang in Lang::ALL {
            for r in all_reasons() {
                let m = r.message(lang);
                assert!(!m.contains("capture."), "{lang:?} {r:?}: {m}");
                assert!(!m.contains('{'), "{lang:?} {r:?}: {m}");
            }
            let t = [
                Truncation::HarEnd { offset: 1234 },
                Truncation::HarBroken { offset: 5678 },
                Truncation::Read { error: "E3".into() },
                Truncation::Xml {
                    position: 42,
                    error: "E4".into(),
                },
            ];
            for (t, arg) in t.iter().zip(["1234", "5678", "E3", "E4"]) {
                let m = t.message(lang);
                assert!(m.contains(arg) && !m.contains('{'), "{lang:?}: {m}");
            }
        }
    }

    #[test]
    fn english_display_and_serialized_form() {
        assert_eq!(
            MalformedReason::BadBase64 {
                element: "request".into()
            }
            .to_string(),
            "bad base64 in <request>"
        );
        assert_eq!(
            MalformedReason::LineTooLong { max_mib: 16 }.to_string(),
            "line longer than 16 MiB"
        );
        assert_eq!(
            Truncation::Xml {
                position: 7,
                error: "bad".into()
            }
            .to_string(),
            "XML error at byte 7: bad"
        );
        assert_eq!(
            serde_json::to_value(MalformedReason::NoCurlCommand).ok(),
            Some(serde_json::json!("no curl command found"))
        );
    }
}
