//! HAR (HTTP Archive) captures, streamed: serde walks down to `log.entries` and hands over one
//! entry at a time, so a 200 MB export never sits in memory as one JSON value; a malformed entry
//! is counted, never fatal.

use std::fmt;
use std::io::BufRead;

use base64::Engine as _;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::pair::Source;

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
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(compact)
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            if decoded.is_err() {
                note = Some(MalformedReason::BadBase64 {
                    element: "response.content.text".into(),
                });
            }
            decoded.ok()
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

/// Visits a JSON object and hands the value under `key` to `inner`, skipping everything else
/// (how the HAR reader walks down to `log.entries` without holding the document).
struct OneKey<S> {
    key: &'static str,
    what: &'static str,
    inner: S,
}

impl<'de, S: DeserializeSeed<'de, Value = ()>> DeserializeSeed<'de> for OneKey<S> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de, Value = ()>> Visitor<'de> for OneKey<S> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.what)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut inner = Some(self.inner);
        while let Some(key) = map.next_key::<String>()? {
            match inner.take() {
                Some(seed) if key == self.key => map.next_value_seed(seed)?,
                other => {
                    inner = other;
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct HarEntries<'a> {
    c: &'a mut Collector,
}

impl<'de> DeserializeSeed<'de> for HarEntries<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for HarEntries<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the HAR entries array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        // One entry at a time: only the current entry is held as a JSON value.
        while let Some(v) = seq.next_element::<Value>()? {
            let source = self.c.entry(i);
            match HarEntry::deserialize(v).map_err(|e| MalformedReason::BadHarEntry {
                error: e.to_string(),
            }) {
                Ok(entry) => match har_record(entry, source.clone()) {
                    Ok((rec, note)) => {
                        self.c.add(rec);
                        if let Some(reason) = note {
                            self.c.found.malformed.push(Malformed { source, reason });
                        }
                    }
                    Err(reason) => self.c.malformed(source, reason),
                },
                Err(reason) => self.c.malformed(source, reason),
            }
            i += 1;
        }
        Ok(())
    }
}

/// Reads the entries of a HAR file. An error is a syntax or read error of the file as a whole:
/// the entries before it have been read.
pub(super) fn read_har(r: &mut impl BufRead, c: &mut Collector) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_reader(r);
    OneKey {
        key: "log",
        what: "a HAR object",
        inner: OneKey {
            key: "entries",
            what: "the HAR log object",
            inner: HarEntries { c },
        },
    }
    .deserialize(&mut de)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Collector, Result<(), serde_json::Error>) {
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
