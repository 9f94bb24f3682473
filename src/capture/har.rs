//! HAR (HTTP Archive) captures, streamed: serde walks down to `log.entries` and hands over one
//! entry at a time, so a 200 MB export never sits in memory as one JSON value; a malformed entry
//! is counted, never fatal.

use std::cell::Cell;
use std::fmt;
use std::io::Read;

use base64::Engine as _;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::pair::Source;

use super::content::{inflate, is_gzip};
use super::har_split::{MAX_ENTRY_MIB, Piece, SplitError, split_entries};
use super::record::{Collector, Record};
use super::{Malformed, MalformedReason};

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarEntry {
    #[serde(rename = "startedDateTime")]
    started: Option<String>,
    request: Option<HarRequest>,
    response: Option<HarResponse>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarRequest {
    method: Option<String>,
    url: Option<String>,
    headers: Vec<HarPair>,
    #[serde(rename = "queryString")]
    query: Vec<HarPair>,
    #[serde(rename = "postData")]
    post: Option<HarPost>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarPair {
    name: String,
    value: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarPost {
    #[serde(rename = "mimeType")]
    mime: Option<String>,
    text: Option<String>,
    params: Vec<HarPair>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarResponse {
    content: Option<HarContent>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarContent {
    text: Option<String>,
    encoding: Option<String>,
}

/// The record of a HAR entry, and what in it could not be read although the entry is kept (a
/// response body whose base64 does not decode).
fn har_record(
    entry: HarEntry,
    source: Source,
) -> Result<(Record, Option<MalformedReason>), MalformedReason> {
    let Some(req) = entry.request else {
        return Err(MalformedReason::EntryWithoutRequest);
    };
    let mut url = req.url.filter(|u| !u.is_empty());
    // Some exporters leave the query out of `url` and list it in `queryString` only.
    if let Some(u) = &mut url
        && !u.contains('?')
        && !req.query.is_empty()
    {
        let q: Vec<String> = req
            .query
            .iter()
            .map(|p| format!("{}={}", p.name, p.value.as_deref().unwrap_or("")))
            .collect();
        u.push('?');
        u.push_str(&q.join("&"));
    }
    let mut note = None;
    let response = entry.response.and_then(|r| r.content).and_then(|c| {
        let text = c.text?;
        if c.encoding.as_deref() == Some("base64") {
            let compact: String = text.split_whitespace().collect();
            let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(compact) else {
                note = Some(MalformedReason::BadBase64 {
                    element: "response.content.text".into(),
                });
                return None;
            };
            // Some exporters store the body as it travelled, still gzipped.
            if is_gzip(&bytes) {
                return match inflate(&bytes, "gzip") {
                    Ok(plain) => Some(String::from_utf8_lossy(&plain).into_owned()),
                    Err(reason) => {
                        note = Some(reason);
                        None
                    }
                };
            }
            Some(String::from_utf8_lossy(&bytes).into_owned())
        } else {
            Some(text)
        }
    });
    let (body, body_mime, params) = match req.post {
        Some(p) => (
            p.text,
            p.mime,
            p.params
                .into_iter()
                .map(|x| (x.name, x.value.unwrap_or_default()))
                .collect(),
        ),
        None => (None, None, Vec::new()),
    };
    let record = Record {
        source: Some(source),
        url,
        method: req.method,
        time: entry.started,
        headers: req
            .headers
            .into_iter()
            .map(|h| (h.name, h.value.unwrap_or_default()))
            .collect(),
        body,
        body_mime,
        params,
        response,
        text: None,
    };
    Ok((record, note))
}

/// Takes in one element of `log.entries`: the record it holds, or why it could not be read.
fn take_entry(c: &mut Collector, i: usize, piece: Piece<'_>) {
    let source = c.entry(i);
    let (bytes, depth) = match piece {
        Piece::Entry { bytes, depth } => (bytes, depth),
        Piece::TooLarge => {
            let max_mib = MAX_ENTRY_MIB;
            return c.malformed(source, MalformedReason::EntryTooLarge { max_mib });
        }
    };
    // Most entries are read straight from their bytes; one nested deeper than MAX_ENTRY_DEPTH is
    // read through a seed that cuts it there, so serde_json's recursion limit never ends it.
    let mut too_deep = None;
    let entry = if depth < MAX_ENTRY_DEPTH {
        serde_json::from_slice::<HarEntry>(bytes)
    } else {
        let cut = Cell::new(false);
        let seed = Bounded {
            depth: MAX_ENTRY_DEPTH,
            cut: &cut,
        };
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let value = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
        too_deep = cut.get().then_some(MalformedReason::TooDeep {
            max: MAX_ENTRY_DEPTH,
        });
        value.and_then(HarEntry::deserialize)
    };
    let entry = match entry {
        Ok(entry) => entry,
        Err(e) => {
            let error = e.to_string();
            return c.malformed(source, MalformedReason::BadHarEntry { error });
        }
    };
    match har_record(entry, source.clone()) {
        Ok((rec, note)) => {
            c.add(rec);
            for reason in too_deep.into_iter().chain(note) {
                c.found.malformed.push(Malformed {
                    source: source.clone(),
                    reason,
                });
            }
        }
        Err(reason) => c.malformed(source, reason),
    }
}

/// How deep a HAR entry is read (an entry is about 5 levels deep; serde_json stops at 128).
pub const MAX_ENTRY_DEPTH: usize = 64;

/// A JSON value read no deeper than `depth` levels: what lies deeper is skipped (serde_json skips
/// without recursing) and read as `null`, and `cut` is set.
struct Bounded<'a> {
    depth: usize,
    cut: &'a Cell<bool>,
}

impl<'de> DeserializeSeed<'de> for Bounded<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        if self.depth == 0 {
            self.cut.set(true);
            IgnoredAny::deserialize(d)?;
            return Ok(Value::Null);
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Bounded<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Bounded {
            depth: self.depth - 1,
            cut: self.cut,
        })? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(Bounded {
                depth: self.depth - 1,
                cut: self.cut,
            })?;
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

/// Reads the entries of a HAR file, one at a time. An error is a read error or a break in the
/// file's structure: the entries before it have been read.
pub(super) fn read_har(r: impl Read, c: &mut Collector) -> Result<(), SplitError> {
    let mut i = 0usize;
    split_entries(r, &mut |piece| {
        take_entry(c, i, piece);
        i += 1;
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Collector<'static>, Result<(), SplitError>) {
        let mut c = Collector::new("t.har", 0);
        let res = read_har(&mut text.as_bytes(), &mut c);
        (c, res)
    }

    #[test]
    fn entries_are_streamed_and_bad_ones_counted() {
        let (c, res) = read(
            r#"{"log": {"version": "1.2", "entries": [
                {"request": {"method": "POST", "url": "https://a/x",
                  "postData": {"text": "{\"iv\":\"I\",\"encryptedData\":\"E\"}"}}},
                {"response": {}},
                {"request": 7}
            ]}}"#,
        );
        assert!(res.is_ok());
        assert_eq!(c.found.records, 3);
        assert_eq!(c.found.payloads.len(), 1);
        let bad: Vec<_> = c.found.malformed.iter().map(|m| m.source.entry).collect();
        assert_eq!(bad, [Some(1), Some(2)]);
    }

    /// Issue 11, item 11: a response body whose base64 does not decode is counted, and the
    /// entry's request is still read.
    #[test]
    fn a_response_with_bad_base64_is_counted_and_the_request_kept() {
        let (c, res) = read(
            r#"{"log": {"entries": [
                {"request": {"method": "POST", "url": "https://a/x",
                  "postData": {"text": "{\"iv\":\"I\",\"encryptedData\":\"E\"}"}},
                 "response": {"content": {"text": "not*base64", "encoding": "base64"}}}
            ]}}"#,
        );
        assert!(res.is_ok());
        assert_eq!(c.found.records, 1);
        assert_eq!(c.found.payloads.len(), 1);
        let bad: Vec<_> = c.found.malformed.iter().map(|m| &m.reason).collect();
        assert_eq!(
            bad,
            [&MalformedReason::BadBase64 {
                element: "response.content.text".into()
            }]
        );
    }

    /// Issue 11, item 11: an entry nested past serde_json's recursion limit ended the file (and
    /// the valid entries after it were lost). Now its deep part is skipped and counted; a deep
    /// entry of a million levels costs no stack.
    #[test]
    fn a_deeply_nested_entry_is_counted_and_the_next_ones_read() {
        for depth in [200, 1_000_000] {
            let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let text = format!(
                r#"{{"log": {{"entries": [
                    {{"request": {{"url": "https://a/1?iv=I&encryptedData=E"}}, "x": {deep}}},
                    {{"request": {{"url": "https://a/2?iv=I&encryptedData=E"}}}}
                ]}}}}"#
            );
            let (c, res) = read(&text);
            assert!(res.is_ok(), "{res:?}");
            assert_eq!(c.found.records, 2);
            assert_eq!(c.found.payloads.len(), 2);
            let bad: Vec<_> = c
                .found
                .malformed
                .iter()
                .map(|m| (m.source.entry, &m.reason))
                .collect();
            assert_eq!(
                bad,
                [(
                    Some(0),
                    &MalformedReason::TooDeep {
                        max: MAX_ENTRY_DEPTH
                    }
                )]
            );
        }
    }

    /// Issue 11, item 11: a response body stored base64 and still gzipped is read.
    #[test]
    fn a_gzipped_base64_response_is_read() {
        use flate2::write::GzEncoder;
        use std::io::Write;
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(br#"{"session_key":"tiihtNczf5v6AKRyjwEUhQ==","openid":"o"}"#)
            .unwrap();
        let gz = base64::engine::general_purpose::STANDARD.encode(e.finish().unwrap());
        let (c, res) = read(&format!(
            r#"{{"log": {{"entries": [{{"request": {{"url": "https://api.weixin.qq.com/sns/jscode2session?appid=wx1&js_code=c"}},
                "response": {{"content": {{"text": "{gz}", "encoding": "base64"}}}}}}]}}}}"#
        ));
        assert!(res.is_ok());
        assert!(c.found.malformed.is_empty());
        assert_eq!(c.found.keys.len(), 1);
    }

    #[test]
    fn the_query_string_fills_a_bare_url() {
        let (c, _) = read(
            r#"{"log": {"entries": [{"request": {"url": "https://a/x",
                "queryString": [{"name": "iv", "value": "I"}, {"name": "encryptedData", "value": "E"}]}}]}}"#,
        );
        let p = c.found.payloads.first().expect("a payload");
        assert_eq!(p.input.iv, "I");
        assert_eq!(p.url.as_deref(), Some("https://a/x?iv=I&encryptedData=E"));
    }

    #[test]
    fn a_cut_file_keeps_what_came_before() {
        let (c, res) = read(r#"{"log": {"entries": [{"request": {"url": "https://a/x"}}, {"requ"#);
        assert!(res.is_err());
        assert_eq!(c.found.records, 1);
    }
}
