//! What one record holds: the payload fields (encryptedData, iv, session_key, appid), the session
//! keys a login response hands out, the client identities (openid, tokens, cookies) that tie
//! payloads to keys, the appid and the time. Read from the headers, the body, the query string,
//! a log line or JSON record, and the response, in that order.

use std::collections::HashSet;

use serde_json::Value;

use crate::extract::{self, field_for_key, percent_decode};
use crate::finding::Field;
use crate::opendata::Input;
use crate::pair::{SeenKey, Source};
use crate::privacy;

use super::fields::{
    appid_from_referer, client_kind, form_pairs, json_finds, leading_time, loose_pairs,
    push_client, raw_pairs,
};
use super::model::UNENCODED_PLUS;
use super::record::Record;
use super::{Found, FoundPayload};

/// What is gathered from one record while its parts are read.
#[derive(Default)]
struct Gather {
    input: Input,
    clients: Vec<String>,
    time: Option<String>,
    /// The openid that goes with a session key travelling in the request.
    key_openid: Option<String>,
    appid_hint: Option<String>,
    /// `name=value` pairs as they travelled (nothing decoded), for the unencoded '+' note.
    raw_form: Vec<(String, String)>,
    /// Keys in the response, with the openid of the same object.
    response_keys: Vec<(String, Option<String>)>,
}

impl Gather {
    /// Takes in what a JSON body or record carries: its input fields, client ids, time and
    /// openid. Returns the appid it names, if any.
    fn absorb_json(&mut self, v: &Value) -> Option<String> {
        let e = extract::extract_json(v);
        for (f, _) in &e.found {
            self.input.fill(*f, e.input.get(*f));
        }
        let jf = json_finds(v);
        self.clients.extend(jf.clients);
        if self.time.is_none() {
            self.time = jf.time;
        }
        self.key_openid = jf.openid;
        jf.appid
    }

    /// Takes in `name=value` pairs found in a form body or free text.
    fn absorb_pairs(&mut self, pairs: Vec<(String, String)>) {
        for (k, v) in pairs {
            if let Some(f) = field_for_key(&k) {
                self.input.fill(f, &v);
            } else if let Some(kind) = client_kind(&k) {
                if kind == "openid" && self.key_openid.is_none() {
                    self.key_openid = Some(v.clone());
                }
                push_client(&mut self.clients, kind, &v);
            }
        }
    }
}

/// Finds payloads, keys, appids and client ids in one record.
pub(super) fn analyze(rec: Record, seq: usize, found: &mut Found) {
    let Some(source) = rec.source.clone() else {
        return;
    };
    let mut g = Gather {
        time: rec.time.clone(),
        appid_hint: rec.header("referer").and_then(appid_from_referer),
        ..Gather::default()
    };
    super::envelopes::find(&rec, &source, seq, found);
    super::envelopes::find_server_answer(&rec, &source, found);
    headers(&rec, &mut g);
    body(&rec, &mut g);
    query(&rec, &mut g, found);
    text(&rec, &mut g);
    response(&rec, &mut g);
    emit(rec, source, seq, g, found);
}

/// Headers: client identity (cookies, bearer tokens, identity headers).
fn headers(rec: &Record, g: &mut Gather) {
    for (k, v) in &rec.headers {
        let lk = k.to_ascii_lowercase();
        if lk == "cookie" {
            push_client(&mut g.clients, "cookie", v);
        } else if lk == "authorization" {
            let token = v.split_once(' ').map_or(v.as_str(), |(_, t)| t);
            push_client(&mut g.clients, "token", token);
        } else if let Some(kind) = client_kind(k) {
            push_client(&mut g.clients, kind, v);
        }
    }
}

/// The request body: JSON, a form, or loose text; the exported form parameters when there is no
/// body text.
fn body(rec: &Record, g: &mut Gather) {
    let Some(body) = rec.body.as_deref().filter(|b| !b.trim().is_empty()) else {
        for (k, v) in &rec.params {
            if let Some(f) = field_for_key(k) {
                g.input.fill(f, &percent_decode(v));
            } else if let Some(kind) = client_kind(k) {
                push_client(&mut g.clients, kind, v);
            }
        }
        return;
    };
    let t = body.trim();
    let is_json = (t.starts_with('{') || t.starts_with('['))
        && rec
            .body_mime
            .as_deref()
            .is_none_or(|m| !m.contains("x-www-form-urlencoded"));
    if let Some(v) = is_json
        .then(|| serde_json::from_str::<Value>(t).ok())
        .flatten()
    {
        g.absorb_json(&v);
        return;
    }
    let is_form = t.contains('=') && !t.contains('\n');
    let pairs = if is_form {
        form_pairs(t)
    } else {
        loose_pairs(t)
    };
    g.raw_form = if is_form {
        raw_pairs(t).collect()
    } else {
        Vec::new()
    };
    g.absorb_pairs(pairs);
}

/// The query string; the appid of a `jscode2session` request is remembered for the whole capture.
fn query(rec: &Record, g: &mut Gather, found: &mut Found) {
    let Some((path, q)) = rec.url.as_deref().and_then(|u| u.split_once('?')) else {
        return;
    };
    let code2session = path.to_ascii_lowercase().contains("jscode2session");
    for (k, v) in form_pairs(q.split('#').next().unwrap_or(q)) {
        if let Some(f) = field_for_key(&k) {
            if code2session && f == Field::Appid {
                if !found.appids.contains(&v) {
                    found.appids.push(v.clone());
                }
                g.appid_hint.get_or_insert(v.clone());
            }
            g.input.fill(f, &v);
        } else if let Some(kind) = client_kind(&k) {
            push_client(&mut g.clients, kind, &v);
        }
    }
    g.raw_form.extend(raw_pairs(q));
}

/// A log line or a JSON record.
fn text(rec: &Record, g: &mut Gather) {
    let Some(text) = rec.text.as_deref() else {
        return;
    };
    let t = text.trim();
    let json = (t.starts_with('{') || t.starts_with('['))
        .then(|| serde_json::from_str::<Value>(t).ok())
        .flatten();
    match json {
        Some(v) => {
            if let Some(a) = g.absorb_json(&v) {
                g.appid_hint.get_or_insert(a);
            }
        }
        None => {
            g.absorb_pairs(loose_pairs(t));
            if g.time.is_none() {
                g.time = leading_time(t);
            }
        }
    }
}

/// The response: keys, openid, tokens (client identities the login hands out).
fn response(rec: &Record, g: &mut Gather) {
    let Some(resp) = rec.response.as_deref() else {
        return;
    };
    let t = resp.trim();
    let has_key = {
        let l = t.to_ascii_lowercase();
        l.contains("session_key") || l.contains("sessionkey")
    };
    if !has_key {
        return;
    }
    match serde_json::from_str::<Value>(t) {
        Ok(v) => {
            let jf = json_finds(&v);
            let openid = jf.openid.clone();
            g.clients.extend(jf.clients);
            for (k, o) in jf.keys {
                g.response_keys.push((k, o.or_else(|| openid.clone())));
            }
        }
        Err(_) => {
            let pairs = loose_pairs(t);
            let openid = pairs
                .iter()
                .find(|(k, _)| client_kind(k) == Some("openid"))
                .map(|(_, v)| v.clone());
            for (k, v) in pairs {
                if field_for_key(&k) == Some(Field::SessionKey) {
                    g.response_keys.push((v, openid.clone()));
                } else if let Some(kind) = client_kind(&k) {
                    push_client(&mut g.clients, kind, &v);
                }
            }
        }
    }
}

/// Records the keys and the payload the record holds.
fn emit(rec: Record, source: Source, seq: usize, mut g: Gather, found: &mut Found) {
    if !g.input.appid.is_empty() {
        g.appid_hint.get_or_insert(g.input.appid.clone());
    }
    let mut dedup = HashSet::new();
    g.clients.retain(|c| dedup.insert(c.clone()));

    // A session key that travels with the request (or a log line) is a key of the capture too.
    if !g.input.session_key.trim().is_empty() {
        found.keys.push(SeenKey {
            source: source.clone(),
            session_key: g.input.session_key.clone(),
            openid: g.key_openid.clone(),
            appid: g.appid_hint.clone(),
            clients: g.clients.clone(),
            seq,
            in_response: false,
        });
    }
    for (k, openid) in std::mem::take(&mut g.response_keys) {
        let mut cl = g.clients.clone();
        if let Some(o) = &openid {
            push_client(&mut cl, "openid", o);
        }
        found.keys.push(SeenKey {
            source: source.clone(),
            session_key: k,
            openid,
            appid: g.appid_hint.clone(),
            clients: cl,
            seq,
            in_response: true,
        });
    }
    let is_payload = !g.input.iv.trim().is_empty() && !g.input.encrypted_data.trim().is_empty();
    if !is_payload {
        return;
    }
    let notes = if unencoded_plus(&g.raw_form) {
        vec![UNENCODED_PLUS.to_string()]
    } else {
        Vec::new()
    };
    let appid = if g.input.appid.is_empty() {
        g.appid_hint
    } else {
        Some(g.input.appid.clone())
    };
    found.payloads.push(FoundPayload {
        source,
        url: rec.url.as_deref().map(privacy::redact_url),
        method: rec.method,
        time: g.time,
        input: g.input,
        appid_hint: appid,
        clients: g.clients,
        notes,
        seq,
    });
}

/// Whether a payload field travelled in a form or query with a '+' that a form decoder turns
/// into a space.
fn unencoded_plus(raw_form: &[(String, String)]) -> bool {
    raw_form.iter().any(|(k, v)| {
        matches!(
            field_for_key(k),
            Some(Field::EncryptedData | Field::Iv | Field::SessionKey)
        ) && v.contains('+')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Source {
        Source {
            file: "t".into(),
            entry: Some(0),
            line: None,
        }
    }

    fn one(rec: Record) -> Found {
        let mut found = Found::default();
        analyze(rec, 1, &mut found);
        found
    }

    #[test]
    fn a_form_body_with_plus_is_noted() {
        let found = one(Record {
            source: Some(source()),
            url: Some("https://a.example/x?appid=wxq".into()),
            body: Some("encryptedData=ab+c&iv=x%2By&openid=o1".into()),
            ..Record::default()
        });
        let p = found.payloads.first().expect("a payload");
        assert_eq!(p.input.encrypted_data, "ab+c");
        assert_eq!(p.input.iv, "x+y");
        assert_eq!(p.input.appid, "wxq");
        assert_eq!(p.notes, ["capture.unencoded_plus"]);
        assert_eq!(p.clients, ["openid:o1"]);
    }

    #[test]
    fn a_login_response_gives_a_key_with_its_openid_and_the_token() {
        let found = one(Record {
            source: Some(source()),
            url: Some("https://a.example/login?code=1".into()),
            headers: vec![(
                "Referer".into(),
                "https://servicewechat.com/wx0123456789/1/page-frame.html".into(),
            )],
            response: Some(r#"{"session_key":"K","openid":"O","token":"T"}"#.into()),
            ..Record::default()
        });
        assert!(found.payloads.is_empty());
        let k = found.keys.first().expect("a key");
        assert_eq!(k.session_key, "K");
        assert_eq!(k.openid.as_deref(), Some("O"));
        assert_eq!(k.appid.as_deref(), Some("wx0123456789"));
        assert!(k.clients.contains(&"token:T".to_string()));
        assert!(k.clients.contains(&"openid:O".to_string()));
    }

    #[test]
    fn a_code2session_appid_is_remembered() {
        let found = one(Record {
            source: Some(source()),
            url: Some("https://api.weixin.qq.com/sns/jscode2session?appid=wxA&js_code=1".into()),
            ..Record::default()
        });
        assert_eq!(found.appids, ["wxA"]);
    }

    #[test]
    fn a_log_line_with_its_time() {
        let found = one(Record {
            source: Some(source()),
            text: Some("2024-01-02 03:04:05 iv=I encryptedData=E session_key=K".into()),
            ..Record::default()
        });
        let p = found.payloads.first().expect("a payload");
        assert_eq!(p.time.as_deref(), Some("2024-01-02 03:04:05"));
        assert_eq!(p.input.session_key, "K");
        assert_eq!(found.keys.len(), 1, "the key travels with the line");
    }
}
