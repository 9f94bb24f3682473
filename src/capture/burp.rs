//! Burp Suite "save items" XML: each `<item>` holds a URL, a method, a time and the raw request
//! and response (often base64), read with quick-xml as a stream.

use std::io::BufRead;

use base64::Engine as _;
use quick_xml::events::{BytesEnd, BytesStart, Event};

use crate::pair::Source;

use super::content::decode_message;
use super::http::parse_http_message;
use super::record::{Collector, Record};
use super::{Malformed, MalformedReason, Truncation};

/// The fields of one item: (element name, its text; None when it was base64 that does not decode).
type Item = Vec<(String, Option<String>)>;

/// The item being read: its fields so far and the field whose text is being gathered.
#[derive(Default)]
struct ItemReader {
    index: usize,
    in_item: bool,
    field: Option<String>,
    b64: bool,
    text: String,
    item: Item,
    /// What in the item could not be read although the item is kept (a compressed body).
    notes: Vec<MalformedReason>,
}

impl ItemReader {
    fn start(&mut self, s: &BytesStart<'_>) {
        let name = String::from_utf8_lossy(s.local_name().as_ref()).into_owned();
        if name == "item" {
            self.in_item = true;
            self.item.clear();
            self.notes.clear();
        } else if self.in_item {
            self.b64 = s
                .try_get_attribute("base64")
                .ok()
                .flatten()
                .is_some_and(|a| a.value.as_ref() == b"true");
            self.field = Some(name);
            self.text.clear();
        }
    }

    fn end(&mut self, e: &BytesEnd<'_>, c: &mut Collector) {
        let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
        if name == "item" {
            self.in_item = false;
            let source = c.entry(self.index);
            match burp_record(&self.item, source.clone()) {
                Ok(rec) => {
                    c.add(rec);
                    for reason in self.notes.drain(..) {
                        c.found.malformed.push(Malformed {
                            source: source.clone(),
                            reason,
                        });
                    }
                }
                Err(reason) => c.malformed(source, reason),
            }
            self.index += 1;
        } else if self.field.as_deref() == Some(name.as_str()) {
            let value = if self.b64 {
                let compact: String = self.text.split_whitespace().collect();
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .ok();
                bytes.map(|b| {
                    if matches!(name.as_str(), "request" | "response") {
                        // Burp saves messages as they travelled: chunked, gzipped.
                        let (text, note) = decode_message(&b);
                        self.notes.extend(note);
                        text
                    } else {
                        String::from_utf8_lossy(&b).into_owned()
                    }
                })
            } else {
                Some(std::mem::take(&mut self.text))
            };
            self.item.push((name, value));
            self.field = None;
            self.text.clear();
        }
    }
}

/// Reads the items of a Burp XML file. An XML syntax error ends the reading (what came before is
/// kept, the file is marked truncated); a read error is returned.
pub(super) fn read_burp(r: &mut impl BufRead, c: &mut Collector) -> std::io::Result<()> {
    let mut reader = quick_xml::Reader::from_reader(r);
    let mut buf = Vec::new();
    let mut st = ItemReader::default();
    loop {
        let ev = match reader.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(quick_xml::Error::Io(e)) => {
                return Err(std::io::Error::new(e.kind(), e.to_string()));
            }
            Err(e) => {
                c.found.truncated = Some(Truncation::Xml {
                    position: reader.buffer_position(),
                    error: e.to_string(),
                });
                break;
            }
        };
        match ev {
            Event::Start(s) => st.start(&s),
            Event::Text(t) if st.field.is_some() => {
                st.text.push_str(&t.decode().unwrap_or_default());
            }
            Event::CData(t) if st.field.is_some() => {
                st.text.push_str(&String::from_utf8_lossy(&t.into_inner()));
            }
            Event::GeneralRef(r) if st.field.is_some() => {
                if let Some(ch) = crate::xml::entity(&r) {
                    st.text.push(ch);
                }
            }
            Event::End(e) => st.end(&e, c),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// The request record of one item. A response, URL, method or time that does not decode is left
/// out; a request that does not decode makes the item malformed.
fn burp_record(
    item: &[(String, Option<String>)],
    source: Source,
) -> Result<Record, MalformedReason> {
    let field = |k: &str| item.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_deref());
    let get = |k: &str| field(k).flatten();
    let request = match field("request") {
        Some(None) => {
            return Err(MalformedReason::BadBase64 {
                element: "request".into(),
            });
        }
        Some(Some(r)) => r,
        None => "",
    };
    if request.trim().is_empty() {
        return Err(MalformedReason::ItemWithoutRequest);
    }
    let req = parse_http_message(request);
    let response = get("response").map(|r| parse_http_message(r).body);
    let url = get("url")
        .map(str::to_string)
        .filter(|u| !u.is_empty())
        .or_else(|| req.url());
    Ok(Record {
        source: Some(source),
        url,
        method: get("method").map(str::to_string).or(req.method.clone()),
        time: get("time").map(str::to_string),
        body_mime: req.header("content-type").map(str::to_string),
        headers: req.headers,
        body: Some(req.body),
        params: Vec::new(),
        response,
        text: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> Collector<'static> {
        let mut c = Collector::new("t.xml", 0);
        read_burp(&mut xml.as_bytes(), &mut c).expect("read");
        c
    }

    #[test]
    fn items_with_entities_base64_and_bad_base64() {
        let req = "POST /p HTTP/1.1\r\nHost: h\r\n\r\n{\"iv\":\"I\",\"encryptedData\":\"E\"}";
        let xml = format!(
            "<?xml version=\"1.0\"?><items>\
             <item><url>https://h/p?a=1&amp;b=2</url><request base64=\"true\">{}</request>\
             <response base64=\"true\">!!</response></item>\
             <item><request base64=\"true\">!!!</request></item>\
             <item><url>https://h/q</url></item>\
             </items>",
            base64::engine::general_purpose::STANDARD.encode(req)
        );
        let c = read(&xml);
        assert_eq!(c.found.records, 3);
        let p = c.found.payloads.first().expect("a payload");
        assert_eq!(p.url.as_deref(), Some("https://h/p?a=1&b=2"));
        assert_eq!(p.method.as_deref(), Some("POST"));
        let reasons: Vec<_> = c.found.malformed.iter().map(|m| &m.reason).collect();
        assert_eq!(
            reasons,
            [
                &MalformedReason::BadBase64 {
                    element: "request".into()
                },
                &MalformedReason::ItemWithoutRequest
            ]
        );
        assert_eq!(c.found.truncated, None);
    }

    /// Issue 11, item 11: Burp saves responses as they travelled; a chunked, gzipped
    /// `jscode2session` answer gives up its session_key, and a `br` one is named, not skipped
    /// in silence.
    #[test]
    fn gzipped_chunked_responses_are_read() {
        use flate2::write::GzEncoder;
        use std::io::Write;
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(br#"{"session_key":"tiihtNczf5v6AKRyjwEUhQ==","openid":"o"}"#)
            .unwrap();
        let gz = e.finish().unwrap();
        let mut resp = format!(
            "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n",
            gz.len()
        )
        .into_bytes();
        resp.extend_from_slice(&gz);
        resp.extend_from_slice(b"\r\n0\r\n\r\n");
        let req = "GET /sns/jscode2session?appid=wx1&js_code=c HTTP/1.1\r\nHost: api.weixin.qq.com\r\n\r\n";
        let br = "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n\u{1}\u{2}";
        let xml = format!(
            "<items><item><request base64=\"true\">{}</request><response base64=\"true\">{}</response></item>\
             <item><request base64=\"true\">{}</request><response base64=\"true\">{}</response></item></items>",
            b64(req.as_bytes()),
            b64(&resp),
            b64(req.as_bytes()),
            b64(br.as_bytes()),
        );
        let c = read(&xml);
        assert_eq!(c.found.records, 2);
        assert_eq!(c.found.keys.len(), 1);
        let bad: Vec<_> = c
            .found
            .malformed
            .iter()
            .map(|m| (m.source.entry, &m.reason))
            .collect();
        assert_eq!(
            bad,
            [(
                Some(1),
                &MalformedReason::Compressed {
                    coding: "br".into()
                }
            )]
        );
    }

    #[test]
    fn an_xml_error_keeps_the_items_before_it() {
        let c = read(
            "<items><item><request>GET /a?iv=1 HTTP/1.1\nHost: h\n\n</request></item><item></wrong>",
        );
        assert_eq!(c.found.records, 1);
        assert!(matches!(c.found.truncated, Some(Truncation::Xml { .. })));
    }
}
