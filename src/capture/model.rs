//! What a scan produces and takes: formats, payloads and keys found in a file, malformed entries,
//! scan items, the scan result, its settings and its errors.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::envelope::EnvelopeInput;
use crate::i18n::Lang;
use crate::inspected::Inspected;
use crate::keyring::KeyringEntry;
use crate::opendata::{Input, Options};
use crate::pair::{KeyFrom, SeenKey, Source};

use super::{MalformedReason, Truncation};

/// The capture formats [`read_capture`](super::read_capture) recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// HTTP Archive (browser devtools, Charles, Fiddler, Proxyman, Reqable).
    Har,
    /// Burp Suite "save items" XML.
    BurpXml,
    /// One or more curl command lines.
    Curl,
    /// A raw HTTP request (optionally followed by its response).
    RawHttp,
    /// Plain log text or JSON Lines: each line is a record.
    Log,
    /// One JSON document (an object, or an array of records).
    Json,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Har => "har",
            Format::BurpXml => "burp_xml",
            Format::Curl => "curl",
            Format::RawHttp => "raw_http",
            Format::Log => "log",
            Format::Json => "json",
        }
    }
}

/// Progress of reading one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Index of the file in the list being scanned.
    pub file_index: usize,
    pub bytes_read: u64,
    /// The file size (0 when unknown, e.g. standard input).
    pub total: u64,
}

/// A payload found in a capture, before inspection.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundPayload {
    pub source: Source,
    pub url: Option<String>,
    pub method: Option<String>,
    pub time: Option<String>,
    /// The fields as found (session_key only when the same request carries one).
    pub input: Input,
    /// The appid found next to the payload (field, Referer), if any.
    pub appid_hint: Option<String>,
    pub clients: Vec<String>,
    /// Notes about how the payload travelled (e.g. `capture.unencoded_plus`).
    pub notes: Vec<String>,
    pub seq: usize,
}

/// A message push or Pay notification found in a capture, before inspection.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundEnvelope {
    pub source: Source,
    pub url: Option<String>,
    pub method: Option<String>,
    pub time: Option<String>,
    pub input: EnvelopeInput,
    pub seq: usize,
}

/// A WeChat server's error answer found in a capture (a failed code2Session, say): why the
/// payloads of that login have no key.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerAnswer {
    pub source: Source,
    pub url: Option<String>,
    pub error: crate::server::ServerError,
}

/// An entry or line that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Malformed {
    pub source: Source,
    pub reason: MalformedReason,
}

/// What one file holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    /// The file name used in sources.
    pub file: String,
    pub format: Option<Format>,
    /// Records (entries, requests, lines) read.
    pub records: usize,
    pub payloads: Vec<FoundPayload>,
    /// Message pushes and Pay notifications.
    pub envelopes: Vec<FoundEnvelope>,
    /// WeChat servers' error answers.
    pub server_answers: Vec<ServerAnswer>,
    pub keys: Vec<SeenKey>,
    pub malformed: Vec<Malformed>,
    /// Appids seen in `jscode2session?appid=` requests, in order.
    pub appids: Vec<String>,
    /// The file could not be read to its end (a syntax error in a HAR or XML file); what was read
    /// before is kept.
    pub truncated: Option<Truncation>,
}

/// One payload (open data, a message push or a Pay notification) with its inspection.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanItem {
    pub source: Source,
    pub url: Option<String>,
    pub method: Option<String>,
    pub time: Option<String>,
    /// The inputs inspected (with the key that opened the payload, or the best guess) and the
    /// report: what the GUI loads into the Inspect view.
    pub inspected: Inspected,
    /// Where the key that opened it came from; None when no key opened it.
    pub key_from: Option<KeyFrom>,
    /// How many keys were tried.
    pub keys_tried: usize,
    pub notes: Vec<String>,
}

impl ScanItem {
    /// The JSON Lines object of `wxdecrypt scan --json`.
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "source": self.source,
            "url": self.url,
            "method": self.method,
            "time": self.time,
            "payload": self.inspected.payload(),
            "ok": self.inspected.ok(),
            "kind": self.inspected.kind(),
            "official_code": self.inspected.official_code(),
            "data": self.inspected.data(),
            "codes": self.inspected.codes(),
            "key_from": self.key_from,
            "notes": self.notes,
        })
    }
}

/// The result of scanning one or more files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scan {
    pub items: Vec<ScanItem>,
    pub keys: Vec<SeenKey>,
    pub malformed: Vec<Malformed>,
    /// WeChat servers' error answers, in the order of the captures.
    pub server_answers: Vec<ServerAnswer>,
    pub records: usize,
    /// Files that could not be read to their end: (file, why).
    pub truncations: Vec<(String, Truncation)>,
}

impl Scan {
    pub fn decrypted(&self) -> usize {
        self.items.iter().filter(|i| i.inspected.ok()).count()
    }

    pub fn all_ok(&self) -> bool {
        self.items.iter().all(|i| i.inspected.ok())
    }

    /// The counts of the items.
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for item in &self.items {
            t.add(item);
        }
        t
    }
}

/// The note on a payload whose base64 travelled with an unencoded '+' (a catalogue key).
pub const UNENCODED_PLUS: &str = "capture.unencoded_plus";

/// Counts of the payloads a scan handed on (what a summary says when the items themselves went
/// by as a stream).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub payloads: usize,
    pub decrypted: usize,
    /// Payloads whose base64 travelled with an unencoded '+' in a form or URL.
    pub unencoded_plus: usize,
}

impl Tally {
    pub fn add(&mut self, item: &ScanItem) {
        self.payloads += 1;
        self.decrypted += usize::from(item.inspected.ok());
        self.unencoded_plus += usize::from(item.notes.iter().any(|n| n == UNENCODED_PLUS));
    }

    pub fn all_ok(&self) -> bool {
        self.decrypted == self.payloads
    }
}

/// Settings of a scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Appid for payloads that carry none (checked against the watermark).
    pub appid: Option<String>,
    /// Keys tried when no key of the capture opens a payload.
    pub keyring: Vec<KeyringEntry>,
    pub inspect: Option<Options>,
}

/// Why a file could not be scanned at all.
#[derive(Debug)]
pub enum ScanError {
    Io { path: String, error: std::io::Error },
    Cancelled,
}

impl ScanError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ScanError::Io { path, error } => lang.fmt(
                "scan.error.io",
                &[("path", path), ("error", &error.to_string())],
            ),
            ScanError::Cancelled => lang.tr("scan.error.cancelled").to_string(),
        }
    }
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for ScanError {}
