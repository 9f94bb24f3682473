//! Traffic read as it passes (a proxy's flows, one exchange at a time) rather than from a file:
//! each exchange is read exactly like one entry of a capture (the same field spellings, login
//! answers, client identities and envelopes as `scan`), its session keys are remembered for the
//! exchanges that follow, and its payloads are paired in the same order as `scan` pairs them.
//!
//! [`Live`] holds what the session has seen; [`Exchange`] is one request with its response.

use std::collections::HashSet;

use crate::envelope::EnvelopeInput;
use crate::keyring::KeyringEntry;
use crate::opendata::Options;
use crate::pair::envelope::pair_envelope;
use crate::pair::{self, KeyIndex, SeenKey, Source};

use super::record::{Collector, Record};
use super::stream::{envelope_item, item, with_payload};
use super::{Found, ScanItem, ScanOptions, ServerAnswer};

/// Most session keys a live session remembers; past it the older half is forgotten (the nearest
/// keys are the ones that open payloads), so memory and the work per payload stay bounded.
pub const MAX_REMEMBERED: usize = pair::MAX_OTHER_KEYS;

/// One HTTP request as a proxy saw it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HttpRequest {
    pub method: String,
    /// The full URL (scheme, host, path and query).
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// The body as text (decoded from its content encoding); empty when there is none.
    pub body: String,
}

impl HttpRequest {
    /// The value of header `name` (case-insensitive), first occurrence.
    pub fn header(&self, name: &str) -> Option<&str> {
        super::record::find_header(&self.headers, name)
    }
}

/// One HTTP response as a proxy saw it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// A request and, once it came, its response.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exchange {
    /// What names the exchange in sources (a proxy's flow id); `KeyFrom` points at it.
    pub id: String,
    pub request: HttpRequest,
    pub response: Option<HttpResponse>,
}

/// Where an item was found in its exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Request,
    Response,
}

/// A session key an exchange handed out or carried, as reported (never the key itself).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LearnedKey {
    pub side: Side,
    /// The key with its middle hidden (`tiih…hQ==`).
    pub masked: String,
    pub openid: Option<String>,
    pub appid: Option<String>,
    /// False when the session already knew this key.
    pub new: bool,
}

/// What one exchange held, paired and inspected.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveResult {
    /// The payloads, pushes and notifications, each with the side it travelled in.
    pub items: Vec<(Side, ScanItem)>,
    pub server_answers: Vec<ServerAnswer>,
}

/// What a live session has seen: the session keys (indexed as `scan` indexes them), the appid of
/// the first `jscode2session` request, and how many exchanges were read.
#[derive(Debug, Default)]
pub struct Live {
    index: KeyIndex,
    known: HashSet<String>,
    seq: usize,
    fallback_appid: Option<String>,
}

impl Live {
    /// Session keys remembered.
    pub fn keys(&self) -> usize {
        self.index.len()
    }

    /// Exchanges read.
    pub fn exchanges(&self) -> usize {
        self.seq
    }

    /// Reads one exchange: its payloads, envelopes, keys and server answers, positioned after
    /// every exchange learned before.
    pub fn read(&self, ex: &Exchange) -> Found {
        read_exchange(ex, self.seq + 1)
    }

    /// Counts the exchange `found` was read from and remembers the keys it carries (taking them
    /// out of it), reporting each; a key already known is reported but not added twice.
    pub fn learn(&mut self, found: &mut Found) -> Vec<LearnedKey> {
        self.seq += 1;
        if self.fallback_appid.is_none() {
            self.fallback_appid = found.appids.first().cloned();
        }
        let keys = std::mem::take(&mut found.keys);
        let learned = keys.iter().map(|k| self.learned(k)).collect();
        let fresh: Vec<SeenKey> = keys
            .into_iter()
            .filter(|k| self.known.insert(k.session_key.trim().to_string()))
            .collect();
        if self.index.len() + fresh.len() > MAX_REMEMBERED {
            self.forget_older_half();
        }
        self.index.extend(fresh);
        learned
    }

    /// Reports the keys `found` carries without remembering them.
    pub fn peek(&self, found: &Found) -> Vec<LearnedKey> {
        found.keys.iter().map(|k| self.learned(k)).collect()
    }

    fn learned(&self, k: &SeenKey) -> LearnedKey {
        LearnedKey {
            side: if k.in_response {
                Side::Response
            } else {
                Side::Request
            },
            masked: crate::privacy::mask_key(&k.session_key),
            openid: k.openid.clone(),
            appid: k.appid.clone(),
            new: !self.known.contains(k.session_key.trim()),
        }
    }

    fn forget_older_half(&mut self) {
        let mut keys = std::mem::take(&mut self.index).into_keys();
        keys.sort_by_key(|k| k.seq);
        let keep = keys.split_off(keys.len() / 2);
        self.known = keep
            .iter()
            .map(|k| k.session_key.trim().to_string())
            .collect();
        self.index = KeyIndex::new(keep);
    }

    /// Pairs and inspects what `found` holds: payloads with their own key, the keys remembered
    /// (same client first, nearest first) and the key ring; pushes and notifications with the key
    /// ring. The keys `found` still carries (not learned) open only their own payload. `appid`
    /// is checked for payloads that name none (as `scan --appid`).
    pub fn inspect(
        &self,
        found: Found,
        appid: Option<&str>,
        keyring: &[KeyringEntry],
        opts: &Options,
    ) -> LiveResult {
        // Only the appid is read from it (the key ring is passed to the pairing directly).
        let so = ScanOptions {
            appid: appid.map(str::to_string),
            keyring: Vec::new(),
            inspect: Some(*opts),
        };
        let fallback = self
            .fallback_appid
            .as_deref()
            .or(found.appids.first().map(String::as_str));
        let mut items = Vec::new();
        for e in found.envelopes {
            let side = match &e.input {
                EnvelopeInput::Pay(p) if p.original_type == "certificate" => Side::Response,
                _ => Side::Request,
            };
            let paired = pair_envelope(&e.input, keyring, opts);
            items.push((side, envelope_item(e, paired)));
        }
        for p in found.payloads {
            let paired = with_payload(&p, &so, fallback, |payload| {
                pair::pair(payload, &self.index, keyring, opts)
            });
            items.push((Side::Request, item(p, paired)));
        }
        LiveResult {
            items,
            server_answers: found.server_answers,
        }
    }
}

/// One exchange read as one entry of a capture named by its id.
fn read_exchange(ex: &Exchange, seq: usize) -> Found {
    let name = if ex.id.trim().is_empty() {
        format!("exchange {seq}")
    } else {
        ex.id.trim().to_string()
    };
    let mut c = Collector::new(&name, seq.saturating_sub(1));
    let req = &ex.request;
    c.add(Record {
        source: Some(Source {
            file: name.clone(),
            entry: None,
            line: None,
        }),
        url: Some(req.url.clone()).filter(|u| !u.is_empty()),
        method: Some(req.method.clone()).filter(|m| !m.is_empty()),
        time: None,
        headers: req.headers.clone(),
        body: Some(req.body.clone()).filter(|b| !b.trim().is_empty()),
        body_mime: req.header("content-type").map(str::to_string),
        params: Vec::new(),
        response: ex.response.as_ref().map(|r| r.body.clone()),
        text: None,
    });
    let mut found = c.found;
    found.file = name;
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::opendata::encrypt::{EncryptRequest, encrypt};

    const NOW: i64 = 1_700_000_000;
    const KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZg==";

    fn login(id: &str, token: &str) -> Exchange {
        Exchange {
            id: id.into(),
            request: HttpRequest {
                method: "POST".into(),
                url: "https://api.example.com/login".into(),
                headers: vec![],
                body: r#"{"code":"0a1b2c"}"#.into(),
            },
            response: Some(HttpResponse {
                status: 200,
                headers: vec![],
                body: format!(r#"{{"session_key":"{KEY}","openid":"o1","token":"{token}"}}"#),
            }),
        }
    }

    fn phone(id: &str, token: &str) -> Exchange {
        let e = encrypt(&EncryptRequest {
            payload: r#"{"phoneNumber":"13800138000","purePhoneNumber":"13800138000","countryCode":"86","watermark":{"appid":"wx1","timestamp":1}}"#.into(),
            session_key: Some(KEY.into()),
            iv: None,
            appid: None,
            timestamp: None,
            watermark: false,
            now: NOW,
        })
        .expect("encrypts");
        Exchange {
            id: id.into(),
            request: HttpRequest {
                method: "POST".into(),
                url: "https://api.example.com/phone".into(),
                headers: vec![("Authorization".into(), format!("Bearer {token}"))],
                body: serde_json::json!({"encryptedData": e.encrypted_data, "iv": e.iv})
                    .to_string(),
            },
            response: None,
        }
    }

    #[test]
    fn a_login_key_opens_a_later_payload_of_the_same_client() {
        let mut live = Live::default();
        let opts = Options::new(NOW, Lang::En);
        let mut found = live.read(&login("f1", "T1"));
        let keys = live.learn(&mut found);
        assert_eq!(keys.len(), 1);
        assert!(keys.iter().all(|k| k.new && k.side == Side::Response));
        assert_eq!(keys.first().map(|k| k.masked.as_str()), Some("MDEy…Zg=="));
        let r = live.inspect(found, None, &[], &opts);
        assert!(r.items.is_empty());

        let mut found = live.read(&phone("f2", "T1"));
        assert!(live.learn(&mut found).is_empty());
        let r = live.inspect(found, None, &[], &opts);
        let [(side, item)] = r.items.as_slice() else {
            panic!("one item: {:?}", r.items);
        };
        assert_eq!(*side, Side::Request);
        assert!(item.inspected.ok());
        assert_eq!(
            item.key_from.as_ref().map(|k| k.short()).as_deref(),
            Some("f1")
        );
        assert_eq!(live.keys(), 1);
        // The same login again is reported, not remembered twice.
        let mut found = live.read(&login("f3", "T1"));
        let keys = live.learn(&mut found);
        assert!(keys.iter().all(|k| !k.new));
        assert_eq!(live.keys(), 1);
        assert_eq!(live.exchanges(), 3);
    }

    #[test]
    fn without_the_login_the_payload_is_diagnosed() {
        let live = Live::default();
        let found = live.read(&phone("f2", "T1"));
        let r = live.inspect(found, None, &[], &Options::new(NOW, Lang::En));
        let codes: Vec<Vec<&str>> = r.items.iter().map(|(_, i)| i.inspected.codes()).collect();
        assert_eq!(codes, [vec!["input.missing"]]);
    }

    #[test]
    fn memory_stays_bounded() {
        let mut live = Live::default();
        for i in 0..MAX_REMEMBERED + 10 {
            let mut found = Found {
                keys: vec![SeenKey {
                    source: Source {
                        file: "x".into(),
                        entry: None,
                        line: None,
                    },
                    session_key: format!("k{i}"),
                    openid: None,
                    appid: None,
                    clients: vec![],
                    seq: i,
                    in_response: true,
                }],
                ..Found::default()
            };
            live.learn(&mut found);
        }
        assert!(live.keys() <= MAX_REMEMBERED);
        assert!(live.keys() > MAX_REMEMBERED / 2);
    }
}
