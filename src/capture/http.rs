//! HTTP/1.x messages: parsing a request or response (head, headers, a body bounded by
//! Content-Length or chunked), and raw HTTP captures: one request, or several back to back, each
//! optionally followed by its response.

use super::MalformedReason;
use super::content::head_end;
use super::detect::is_request_line;
use super::record::{Collector, Record, find_header};

/// A parsed HTTP/1.x message (request or response).
#[derive(Debug, Default)]
pub(super) struct HttpMessage {
    pub method: Option<String>,
    pub target: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Where what follows the body starts in the parsed text (a response after a request, the
    /// next request), when Content-Length bounds the body.
    pub rest_at: Option<usize>,
}

impl HttpMessage {
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The absolute URL: the target itself, or `https://` + Host + target.
    pub fn url(&self) -> Option<String> {
        let target = self.target.as_deref()?;
        if target.starts_with("http://") || target.starts_with("https://") {
            return Some(target.to_string());
        }
        let host = self.header("host")?;
        Some(format!("https://{host}{target}"))
    }
}

/// Parses one message; never fails (a text without headers is all head, an empty body).
pub(super) fn parse_http_message(text: &str) -> HttpMessage {
    let (head, body) = split_head(text);
    let mut lines = head.lines();
    let first = lines.next().unwrap_or("").trim();
    let mut m = HttpMessage::default();
    if is_request_line(first) {
        let mut parts = first.split(' ');
        m.method = parts.next().map(str::to_string);
        m.target = parts.next().map(str::to_string);
    }
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            m.headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let chunked = m
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let len = m
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok());
    if chunked {
        m.body = String::from_utf8_lossy(&dechunk(body.as_bytes())).into_owned();
    } else if let Some((b, rest)) = len
        .filter(|len| *len < body.len())
        .and_then(|len| Some((body.get(..len)?, body.get(len..)?)))
    {
        m.body = b.to_string();
        m.rest_at = Some(text.len() - rest.len());
    } else {
        m.body = body.to_string();
    }
    m
}

/// The head and the body: split at the first blank line (CRLF or LF), found in one pass.
fn split_head(text: &str) -> (&str, &str) {
    match head_end(text.as_bytes()) {
        // Both ends are at ASCII bytes: char boundaries.
        Some((nl, body)) => {
            let head = text.get(..nl).unwrap_or("");
            let head = head.strip_suffix('\r').unwrap_or(head);
            (head, text.get(body..).unwrap_or(""))
        }
        None => (text, ""),
    }
}

/// Undoes `Transfer-Encoding: chunked` (best effort; stops at the first malformed chunk).
pub(super) fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = body;
    for _ in 0..100_000 {
        let Some(nl) = rest.iter().position(|&b| b == b'\n') else {
            break;
        };
        let size_line = String::from_utf8_lossy(&rest[..nl]);
        let size_hex = size_line.trim().split(';').next().unwrap_or("");
        let Ok(size) = usize::from_str_radix(size_hex, 16) else {
            break;
        };
        let after = &rest[nl + 1..];
        if size == 0 {
            break;
        }
        let Some(chunk) = after.get(..size) else {
            out.extend_from_slice(after);
            break;
        };
        out.extend_from_slice(chunk);
        rest = after.get(size..).unwrap_or(&[]);
        while let [b'\r' | b'\n', tail @ ..] = rest {
            rest = tail;
        }
    }
    out
}

/// Reads a raw HTTP capture: requests one after another (each bounded by Content-Length), each
/// optionally followed by its response.
pub(super) fn read_raw_http(text: &str, c: &mut Collector) {
    // A cursor over the text: each message is read once, nothing after it is copied.
    let mut rest: &str = text.trim_start_matches('\u{feff}').trim_start();
    let mut index = 0;
    while !rest.trim().is_empty() && index < 100_000 {
        let first = rest.lines().next().unwrap_or("").trim();
        if !is_request_line(first) {
            if index == 0 {
                c.malformed(c.entry(index), MalformedReason::NotHttpRequest);
            }
            break;
        }
        let msg = parse_http_message(rest);
        let mut response = None;
        let mut next = msg.rest_at.and_then(|at| rest.get(at..)).unwrap_or("");
        if next.trim_start().starts_with("HTTP/") {
            let t = next.trim_start();
            let r = parse_http_message(t);
            next = r.rest_at.and_then(|at| t.get(at..)).unwrap_or("");
            response = Some(r.body);
        }
        let source = c.entry(index);
        c.add(Record {
            source: Some(source),
            url: msg.url(),
            method: msg.method.clone(),
            time: None,
            body_mime: msg.header("content-type").map(str::to_string),
            headers: msg.headers,
            body: Some(msg.body),
            params: Vec::new(),
            response,
            text: None,
        });
        index += 1;
        rest = next.trim_start();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n"),
            b"Wikipedia"
        );
        // A chunk longer than what is left: the rest is kept.
        assert_eq!(dechunk(b"9\r\nabc"), b"abc");
        assert_eq!(dechunk(b"zz\r\nabc"), b"");
    }

    #[test]
    fn content_length_bounds_the_body_and_the_rest_follows() {
        let text = "POST /a?x=1 HTTP/1.1\r\nHost: h.example\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 200 OK";
        let m = parse_http_message(text);
        assert_eq!(m.method.as_deref(), Some("POST"));
        assert_eq!(m.url().as_deref(), Some("https://h.example/a?x=1"));
        assert_eq!(m.body, "abc");
        assert_eq!(
            m.rest_at.and_then(|at| text.get(at..)),
            Some("HTTP/1.1 200 OK")
        );
        // A length inside a multi-byte character does not split it.
        let m = parse_http_message("POST /a HTTP/1.1\nContent-Length: 1\n\né!");
        assert_eq!(m.body, "é!");
        assert_eq!(m.rest_at, None);
    }

    #[test]
    fn back_to_back_requests_with_a_response() {
        let one = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}";
        let resp = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
        let text = format!("{one}{resp}\r\n{one}");
        let mut c = Collector::new("t.http", 0);
        read_raw_http(&text, &mut c);
        assert_eq!(c.found.records, 2);
        assert!(c.found.malformed.is_empty());

        let mut c = Collector::new("t.http", 0);
        read_raw_http("hello", &mut c);
        assert_eq!(c.found.malformed.len(), 1);
    }

    /// Issue 11, item 3: requests back to back are read through a cursor (each was copied with the
    /// rest of the file behind it: 200k requests took over 30 s); LF-only heads split at their own
    /// blank line, not after a search of the whole file for CRLF.
    #[test]
    fn many_back_to_back_requests_with_lf_heads() {
        let one = "POST /d?iv=a HTTP/1.1\nHost: h\nContent-Length: 2\n\n{}";
        let text: String = std::iter::repeat_n(one, 20_000).collect();
        let mut c = Collector::new("t.http", 0);
        read_raw_http(&text, &mut c);
        assert_eq!(c.found.records, 20_000);
        assert!(c.found.malformed.is_empty());
        assert_eq!(
            split_head("A\r\nB: c\r\n\r\nbody\n\nmore"),
            ("A\r\nB: c", "body\n\nmore")
        );
        assert_eq!(
            split_head("A\nB: c\n\nbody\r\n\r\nx"),
            ("A\nB: c", "body\r\n\r\nx")
        );
        assert_eq!(split_head("no blank line"), ("no blank line", ""));
    }
}
