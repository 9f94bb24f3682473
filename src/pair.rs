//! Pairing keys with payloads: which session_key opens a payload, tried in one order everywhere
//! (`scan`, the Captures tab, `serve` and the Listen view): the payload's own key, then keys seen
//! from the same client (nearest before it first), then every other key seen (before it first,
//! then after), then the key ring.

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;

use crate::keyring::KeyringEntry;
use crate::opendata::{Decryption, Input, Options, Report, inspect};

/// Where something was found: a file and an entry index (HAR, Burp, curl; 0-based) or a line
/// number (logs; 1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.entry, self.line) {
            (Some(e), _) => write!(f, "{}#{}", self.file, e),
            (None, Some(l)) => write!(f, "{}:{}", self.file, l),
            (None, None) => write!(f, "{}", self.file),
        }
    }
}

/// A session key seen somewhere (a login response, a request, a log line).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeenKey {
    pub source: Source,
    #[serde(skip)]
    pub session_key: String,
    pub openid: Option<String>,
    pub appid: Option<String>,
    /// Client identities of the record (`openid:…`, `token:…`, `cookie:…`, `uid:…`).
    #[serde(skip)]
    pub clients: Vec<String>,
    /// Position among all records seen (all files in order).
    #[serde(skip)]
    pub seq: usize,
}

/// Where the session_key that opened a payload came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum KeyFrom {
    /// The request that carried the payload also carried the key.
    SameRequest,
    /// Another record of the capture.
    Capture {
        #[serde(flatten)]
        source: Source,
    },
    /// The key ring (index in the ring, and its label).
    Keyring { index: usize, label: Option<String> },
}

impl KeyFrom {
    /// A short text for tables: `same_request`, `a.har#12`, `keyring:QA 1`.
    pub fn short(&self) -> String {
        match self {
            KeyFrom::SameRequest => "same_request".into(),
            KeyFrom::Capture { source } => source.to_string(),
            KeyFrom::Keyring { index, label } => match label {
                Some(l) => format!("keyring:{l}"),
                None => format!("keyring:{}", index + 1),
            },
        }
    }
}

/// A payload to pair: its fields (the session_key is its own, when it travelled with it) and
/// what tells which keys are nearest.
#[derive(Debug, Clone, Copy)]
pub struct Payload<'a> {
    pub input: &'a Input,
    /// Client identities of the record that carried it.
    pub clients: &'a [String],
    /// Position among all records seen.
    pub seq: usize,
    /// The appid to check when neither the payload nor the key names one.
    pub fallback_appid: Option<&'a str>,
}

/// The outcome of pairing: the inputs inspected (with the key that opened the payload, or the
/// first key tried), the report, where the key came from and how many keys were tried.
#[derive(Debug, Clone, PartialEq)]
pub struct Paired {
    pub input: Input,
    pub report: Report,
    /// None when no key opened the payload.
    pub key_from: Option<KeyFrom>,
    pub keys_tried: usize,
}

/// Whether the key decrypted the payload (with the iv as given or the recovered one).
pub fn opened(report: &Report) -> bool {
    report.plaintext.is_some()
        && matches!(
            report.detail.decryption,
            Decryption::AsGiven | Decryption::SuggestedIv
        )
}

/// Tries the payload's own key, the keys `seen` (same client first, nearest before it first) and
/// the `keyring`, in that order, and returns the first that opens it. When none does, the report is
/// the diagnosis with the first key tried (or with no key at all).
pub fn pair(p: Payload<'_>, seen: &[SeenKey], keyring: &[KeyringEntry], opts: &Options) -> Paired {
    let input = p.input;
    let mut tried: HashSet<&str> = HashSet::new();
    let mut first: Option<(Input, Report)> = None;

    // 1. The payload's own key.
    let own = input.session_key.trim();
    if !own.is_empty() {
        tried.insert(own);
        let report = inspect(input, opts);
        if opened(&report) {
            return Paired {
                input: input.clone(),
                report,
                key_from: Some(KeyFrom::SameRequest),
                keys_tried: 1,
            };
        }
        first = Some((input.clone(), report));
    }

    // 2. Keys of the same client, nearest preceding first; 3. every other key, preceding first.
    let same_client = |k: &SeenKey| k.clients.iter().any(|c| p.clients.contains(c));
    let before: Vec<&SeenKey> = seen.iter().filter(|k| k.seq <= p.seq).rev().collect();
    let order = before
        .iter()
        .copied()
        .filter(|k| same_client(k))
        .chain(before.iter().copied().filter(|k| !same_client(k)))
        .chain(seen.iter().filter(|k| k.seq > p.seq));
    let from_seen = order.map(|k| {
        let appid = k.appid.as_deref().or(p.fallback_appid);
        let from = || KeyFrom::Capture {
            source: k.source.clone(),
        };
        (
            k.session_key.as_str(),
            appid,
            Box::new(from) as Box<dyn Fn() -> KeyFrom>,
        )
    });
    // 4. The key ring.
    let from_ring = keyring.iter().enumerate().map(|(index, k)| {
        let from = move || KeyFrom::Keyring {
            index,
            label: k.label.clone(),
        };
        (
            k.session_key.as_str(),
            k.appid.as_deref(),
            Box::new(from) as Box<dyn Fn() -> KeyFrom>,
        )
    });
    for (key, appid, from) in from_seen.chain(from_ring) {
        let trimmed = key.trim();
        if trimmed.is_empty() || !tried.insert(trimmed) {
            continue;
        }
        let mut candidate = input.clone();
        candidate.session_key = key.to_string();
        if candidate.appid.is_empty()
            && let Some(a) = appid
        {
            candidate.appid = a.to_string();
        }
        let report = inspect(&candidate, opts);
        if opened(&report) {
            return Paired {
                input: candidate,
                report,
                key_from: Some(from()),
                keys_tried: tried.len(),
            };
        }
        if first.is_none() {
            first = Some((candidate, report));
        }
    }

    let keys_tried = tried.len();
    let (input, report) = first.unwrap_or_else(|| (input.clone(), inspect(input, opts)));
    Paired {
        input,
        report,
        key_from: None,
        keys_tried,
    }
}
