//! Burp Suite "save items" XML: each `<item>` holds a URL, a method, a time and the raw request
//! and response (often base64), read with quick-xml as a stream.

use std::io::BufRead;

use base64::Engine as _;
use quick_xml::events::{BytesEnd, BytesStart, Event};

use crate::pair::Source;

use super::http::parse_http_message;
use super::record::{Collector, Record};

/// The item being read: its fields so far and the field whose text is being gathered.
#[derive(Default)]
struct ItemReader {
    index: usize,
    in_item: bool,
    field: Option<String>,
    b64: bool,
    text: String,
    item: Vec<(String, String)>,
}

impl ItemReader {
    fn start(&mut self, s: &BytesStart<'_>) {
        let name = String::from_utf8_lossy(s.local_name().as_ref()).into_owned();
        if name == "item" {
            self.in_item = true;
            self.item.clear();
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
                Ok(rec) => c.add(rec),
                Err(reason) => c.malformed(source, reason),
            }
            self.index += 1;
        } else if self.field.as_deref() == Some(name.as_str()) {
            let value = if self.b64 {
                let compact: String = self.text.split_whitespace().collect();
                match base64::engine::general_purpose::STANDARD.decode(compact) {
                    Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                    Err(_) => format!("\u{0}bad base64 in <{name}>"),
                }
            } else {
                std::mem::take(&mut self.text)
            };
            self.item.push((name, value));
            self.field = None;
            self.text.clear();
        }
    }
}

/// The character an entity reference stands for (`&#38;`, `&amp;`, …).
fn entity(r: &quick_xml::events::BytesRef<'_>) -> Option<char> {
    match r.resolve_char_ref() {
        Ok(Some(ch)) => Some(ch),
        _ => match r.decode().unwrap_or_default().as_ref() {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => None,
        },
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
                c.found.truncated = Some(format!(
                    "XML error at byte {}: {e}",
                    reader.buffer_position()
                ));
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
                if let Some(ch) = entity(&r) {
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

fn burp_record(item: &[(String, String)], source: Source) -> Result<Record, String> {
    let get = |k: &str| item.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let request = get("request").unwrap_or("");
    if let Some(bad) = request.strip_prefix('\u{0}') {
        return Err(bad.to_string());
    }
    if request.trim().is_empty() {
        return Err("item has no request".into());
    }
    let req = parse_http_message(request);
    let response = get("response")
        .filter(|r| !r.starts_with('\u{0}'))
        .map(|r| parse_http_message(r).body);
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
