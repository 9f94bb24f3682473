//! Pairing keys with payloads: which session_key opens a payload, tried in one order everywhere
//! (`scan`, the Captures tab, `serve` and the Listen view): the payload's own key, then keys seen
//! from the same client (nearest before it first), then every other key seen (before it first,
//! then after), then the key ring. Message pushes and Pay notifications have their own, shorter
//! order ([`envelope`]).

pub mod envelope;

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Serialize;

use crate::keyring::KeyringEntry;
use crate::opendata::cipher::{self, BLOCK};
use crate::opendata::normalize::{LenRule, normalize};
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
    /// Whether the key was in the record's response (a login or code2Session answer) rather
    /// than in the request or log line itself.
    #[serde(skip)]
    pub in_response: bool,
}

/// Where the session_key that opened a payload came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum KeyFrom {
    /// The request that carried the payload also carried the key.
    SameRequest,
    /// Another record of the capture (its response when `in_response`).
    Capture {
        #[serde(flatten)]
        source: Source,
        #[serde(skip)]
        in_response: bool,
    },
    /// The key ring (index in the ring, and its label).
    Keyring { index: usize, label: Option<String> },
}

impl KeyFrom {
    /// A short text for tables: `same_request`, `a.har#12`, `keyring:QA 1`.
    pub fn short(&self) -> String {
        match self {
            KeyFrom::SameRequest => "same_request".into(),
            KeyFrom::Capture { source, .. } => source.to_string(),
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

/// Most keys seen in captures tried on one payload (the key ring is always tried): with thousands of
/// stale keys and no fit, the work per payload stays bounded (each try is a one-block check first).
pub const MAX_OTHER_KEYS: usize = 16_384;

/// The keys seen, indexed by client and ordered by position: pairing a payload with its client's
/// key costs as little as the payload's own key, however many keys were seen.
#[derive(Debug, Default)]
pub struct KeyIndex {
    keys: Vec<SeenKey>,
    /// Positions in `keys`, by `seq`.
    order: Vec<usize>,
    by_client: HashMap<String, Vec<usize>>,
}

impl KeyIndex {
    pub fn new(keys: Vec<SeenKey>) -> KeyIndex {
        let mut index = KeyIndex::default();
        index.extend(keys);
        index
    }

    /// Adds keys as a capture is read (in order of `seq` costs nothing more; out of order, a key
    /// is put in its place).
    pub fn extend(&mut self, keys: impl IntoIterator<Item = SeenKey>) {
        for key in keys {
            let i = self.keys.len();
            let seq = key.seq;
            for c in &key.clients {
                self.by_client.entry(c.clone()).or_default().push(i);
            }
            self.keys.push(key);
            let keys = &self.keys;
            let at = self
                .order
                .partition_point(|&j| keys.get(j).is_some_and(|k| k.seq <= seq));
            self.order.insert(at, i);
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The keys, in the order they were added.
    pub fn into_keys(self) -> Vec<SeenKey> {
        self.keys
    }

    /// The keys in the order they are tried for a payload at `seq` from `clients`: the same
    /// client's before it (nearest first), all others before it (nearest first), then those after
    /// (only the first group when `same_client_only`).
    fn candidates(
        &self,
        clients: &[String],
        seq: usize,
        same_client_only: bool,
    ) -> impl Iterator<Item = &SeenKey> + '_ {
        let keys = &self.keys;
        let split = self
            .order
            .partition_point(|&i| keys.get(i).is_some_and(|k| k.seq <= seq));
        let mut same: Vec<usize> = clients
            .iter()
            .filter_map(|c| self.by_client.get(c.as_str()))
            .flatten()
            .copied()
            .filter(|&i| keys.get(i).is_some_and(|k| k.seq <= seq))
            .collect();
        same.sort_by_key(|&i| std::cmp::Reverse(keys.get(i).map_or(0, |k| k.seq)));
        same.dedup();
        let others = if same_client_only {
            0
        } else {
            self.order.len()
        };
        let before = self.order.get(..split).unwrap_or_default().iter().rev();
        let after = self.order.get(split..).unwrap_or_default().iter();
        let (before, after) = (before.take(others), after.take(others));
        same.into_iter()
            .chain(before.copied())
            .chain(after.copied())
            .filter_map(move |i| keys.get(i))
    }
}

/// The last ciphertext block and the one before it (or the iv), decoded once per payload for the
/// one-block check; `None` when the check cannot decide (a single block, a wrong length, fields
/// swapped or undecodable), and every key is then tried in full.
fn tail(input: &Input) -> Option<([u8; BLOCK], [u8; BLOCK])> {
    let iv = normalize(&input.iv, LenRule::Block).bytes?;
    let data = normalize(&input.encrypted_data, LenRule::Blocks).bytes?;
    let n = data.len();
    if iv.len() != BLOCK || n < 2 * BLOCK || n % BLOCK != 0 {
        return None;
    }
    let (prev, last) = (data.get(n - 2 * BLOCK..n - BLOCK)?, data.get(n - BLOCK..)?);
    Some((prev.try_into().ok()?, last.try_into().ok()?))
}

/// Whether `key` might open the payload: it decodes to 16 bytes and gives the last block valid
/// padding (always true when the check cannot decide).
fn might_open(key: &str, tail: Option<&([u8; BLOCK], [u8; BLOCK])>) -> bool {
    let Some((prev, last)) = tail else {
        return true;
    };
    normalize(key, LenRule::Block)
        .bytes
        .is_some_and(|k| k.len() == BLOCK && cipher::padding_plausible(&k, prev, last))
}

/// Tries the payload's own key, the keys `seen` (same client first, nearest before it first) and
/// the `keyring`, in that order, and returns the first that opens it. When none does, the report is
/// the diagnosis with the first key tried (or with no key at all). Each key is checked on one block
/// before it is tried in full; at most [`MAX_OTHER_KEYS`] keys seen are tried.
pub fn pair(p: Payload<'_>, seen: &KeyIndex, keyring: &[KeyringEntry], opts: &Options) -> Paired {
    pair_in(p, seen, false, keyring, opts)
}

/// What [`pair`] will say of a payload when its own key or a key of its client seen before it
/// opens it; `None` otherwise. Keys seen later cannot change that answer (they are tried after
/// these), so a capture read as a stream can hand the payload on at once.
pub fn pair_early(p: Payload<'_>, seen: &KeyIndex, opts: &Options) -> Option<Paired> {
    Some(pair_in(p, seen, true, &[], opts)).filter(|paired| paired.key_from.is_some())
}

fn pair_in(
    p: Payload<'_>,
    seen: &KeyIndex,
    same_client_only: bool,
    keyring: &[KeyringEntry],
    opts: &Options,
) -> Paired {
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

    // 2.-3. Keys seen; 4. the key ring. Where a key came from is only built for the one that opens.
    enum From<'k> {
        Seen(&'k SeenKey),
        Ring(usize, &'k KeyringEntry),
    }
    let from_seen = seen
        .candidates(p.clients, p.seq, same_client_only)
        .map(|k| {
            let appid = k.appid.as_deref().or(p.fallback_appid);
            (k.session_key.as_str(), appid, From::Seen(k))
        });
    let from_ring = keyring.iter().enumerate().map(|(index, k)| {
        (
            k.session_key.as_str(),
            k.appid.as_deref(),
            From::Ring(index, k),
        )
    });
    // Decoded when a second key is tried, not before (most payloads open with the first).
    let mut tail_once: Option<Option<([u8; BLOCK], [u8; BLOCK])>> = None;
    for (key, appid, from) in from_seen.take(MAX_OTHER_KEYS).chain(from_ring) {
        let trimmed = key.trim();
        if trimmed.is_empty() || !tried.insert(trimmed) {
            continue;
        }
        // The first key tried is inspected in full for the diagnosis; the others only when the
        // one-block check lets them through.
        if first.is_some()
            && !might_open(key, tail_once.get_or_insert_with(|| tail(input)).as_ref())
        {
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
                key_from: Some(match from {
                    From::Seen(k) => KeyFrom::Capture {
                        source: k.source.clone(),
                        in_response: k.in_response,
                    },
                    From::Ring(index, k) => KeyFrom::Keyring {
                        index,
                        label: k.label.clone(),
                    },
                }),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::opendata::encrypt::{EncryptRequest, encrypt};

    const NOW: i64 = 1_700_000_000;

    fn key(i: usize) -> String {
        crate::opendata::normalize::encode(format!("{i:016}").as_bytes())
    }

    fn seen(i: usize, client: &str) -> SeenKey {
        SeenKey {
            source: Source {
                file: "c.har".into(),
                entry: Some(i),
                line: None,
            },
            session_key: key(i),
            openid: None,
            appid: None,
            clients: vec![client.to_string()],
            seq: i,
            in_response: true,
        }
    }

    /// A payload sealed with key `i`, without its key.
    fn payload(i: usize) -> Input {
        let e = encrypt(&EncryptRequest {
            payload: r#"{"nickName":"n","openId":"o","watermark":{"appid":"wx1","timestamp":1}}"#
                .into(),
            session_key: Some(key(i)),
            iv: Some(key(999_999)),
            appid: None,
            timestamp: None,
            watermark: false,
            now: NOW,
        })
        .expect("encrypts");
        Input::new("wx1", "", &e.iv, &e.encrypted_data)
    }

    #[test]
    fn the_clients_key_is_tried_first_and_found_among_thousands() {
        let keys: Vec<SeenKey> = (0..3000).map(|i| seen(i, &format!("token:{i}"))).collect();
        let index = KeyIndex::new(keys.clone());
        let opts = Options::new(NOW, Lang::En);
        let input = payload(1234);
        let clients = vec!["token:1234".to_string()];
        let p = Payload {
            input: &input,
            clients: &clients,
            seq: 2999,
            fallback_appid: None,
        };
        let found = pair(p, &index, &[], &opts);
        assert!(found.report.ok);
        assert_eq!(found.keys_tried, 1);
        assert_eq!(found.input.session_key, key(1234));
        // Without the client id, every key before it is tried (one-block checks), nearest first.
        let p = Payload { clients: &[], ..p };
        let found = pair(p, &index, &[], &opts);
        assert!(found.report.ok);
        assert_eq!(found.keys_tried, 2999 - 1234 + 1);
    }

    #[test]
    fn a_payload_no_key_opens_is_diagnosed_with_the_first_key_and_bounded() {
        let keys: Vec<SeenKey> = (0..MAX_OTHER_KEYS + 50).map(|i| seen(i, "x")).collect();
        let index = KeyIndex::new(keys.clone());
        let ring = [KeyringEntry {
            session_key: key(424_242),
            ..Default::default()
        }];
        let input = payload(424_242);
        let p = Payload {
            input: &input,
            clients: &[],
            seq: 0,
            fallback_appid: None,
        };
        let found = pair(p, &index, &ring, &Options::new(NOW, Lang::En));
        // The key ring is tried even past the bound on captured keys.
        assert_eq!(
            found.key_from,
            Some(KeyFrom::Keyring {
                index: 0,
                label: None
            })
        );
        assert_eq!(found.keys_tried, MAX_OTHER_KEYS + 1);
        let found = pair(p, &index, &[], &Options::new(NOW, Lang::En));
        assert!(!found.report.ok);
        assert_eq!(found.key_from, None);
        assert_eq!(found.input.session_key, key(0));
        assert_eq!(
            found.report.primary().map(|f| f.code.as_str()),
            Some("key.mismatch")
        );
    }
}
