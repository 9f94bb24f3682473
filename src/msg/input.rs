//! What a message-push inspection reads: the configured key, token and receive id, the URL's
//! parameters and the body — from flags, or picked out of a pasted request, URL, query string or
//! body.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::xml::{self, XmlError};

/// The strings of one push as received. Empty means not given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MsgInput {
    /// The 43-character EncodingAESKey from the console.
    pub encoding_aes_key: String,
    /// The token from the console.
    pub token: String,
    /// The appid (mini program, official account), corpid or suite id the message must end with.
    pub receive_id: String,
    pub msg_signature: String,
    pub timestamp: String,
    pub nonce: String,
    /// The `Encrypt` text, or the `echostr` of the URL check.
    pub encrypt: String,
    /// `encrypt` is the URL check's `echostr`.
    pub echostr: bool,
    /// The request body as received (XML or JSON), when `encrypt` is to be taken from it.
    pub body: String,
}

/// What a push body holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// A safe-mode body: its `Encrypt`, and the signature fields a reply body carries.
    Encrypted {
        encrypt: String,
        msg_signature: Option<String>,
        timestamp: Option<String>,
        nonce: Option<String>,
        /// `ToUserName`: the account the push was sent to.
        to_user: Option<String>,
        /// The body was XML (the official samples read nothing else).
        xml: bool,
    },
    /// A plain-mode message (no `Encrypt`): its fields.
    Plain(Value),
    /// Neither XML nor JSON: why, and the byte offset.
    Invalid { offset: u64 },
}

fn text_field(v: &Value, name: &str) -> Option<String> {
    match v.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads a push body: XML (`<xml><Encrypt>…`) or JSON (`{"Encrypt": …}`).
pub fn read_body(body: &str) -> Body {
    let t = body.trim_start_matches('\u{feff}').trim();
    let fields = if t.starts_with('<') {
        match xml::to_json(t) {
            Ok((_, v)) => v,
            Err(XmlError::Syntax { offset } | XmlError::TooDeep { offset }) => {
                return Body::Invalid { offset };
            }
            Err(XmlError::Empty) => return Body::Invalid { offset: 0 },
        }
    } else {
        match serde_json::from_str::<Value>(t) {
            Ok(v) => v,
            Err(e) => {
                let offset = crate::opendata::interpret::byte_offset(t, e.line(), e.column());
                return Body::Invalid {
                    offset: offset as u64,
                };
            }
        }
    };
    if !fields.is_object() {
        return Body::Invalid { offset: 0 };
    }
    match text_field(&fields, "Encrypt") {
        Some(encrypt) => Body::Encrypted {
            encrypt,
            msg_signature: text_field(&fields, "MsgSignature"),
            timestamp: text_field(&fields, "TimeStamp"),
            nonce: text_field(&fields, "Nonce"),
            to_user: text_field(&fields, "ToUserName"),
            xml: t.starts_with('<'),
        },
        None => Body::Plain(fields),
    }
}

/// Percent-decodes a query value (`+` is a space, as form decoding makes it).
fn query_decode(v: &str) -> String {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = b
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl MsgInput {
    /// Fills the empty fields from a pasted text: a raw HTTP request (`POST /path?query …` and
    /// its body), a URL or query string of the URL check, or a bare body. Returns whether anything
    /// was found.
    pub fn fill_from_text(&mut self, text: &str) -> bool {
        let t = text.trim_start_matches('\u{feff}').trim_start();
        let (query, body) = split_request(t);
        let mut found = false;
        if let Some(q) = query {
            found |= self.fill_from_query(q);
        }
        if let Some(b) = body
            && !b.trim().is_empty()
            && self.body.is_empty()
        {
            self.body = b.to_string();
            found = true;
        }
        found
    }

    /// Fills the empty fields from a query string (`msg_signature=…&timestamp=…`).
    pub fn fill_from_query(&mut self, q: &str) -> bool {
        let mut found = false;
        for pair in q.split('&') {
            let (k, raw) = pair.split_once('=').unwrap_or((pair, ""));
            // Decoded once, as the web framework hands the values to the handler: a '+' sent
            // unencoded arrives as a space, an echostr encoded twice still holds %2B.
            let v = query_decode(raw);
            let slot = match k {
                "msg_signature" => &mut self.msg_signature,
                "timestamp" => &mut self.timestamp,
                "nonce" => &mut self.nonce,
                "echostr" => {
                    self.echostr = true;
                    &mut self.encrypt
                }
                _ => continue,
            };
            if slot.is_empty() {
                *slot = v;
                found = true;
            }
        }
        found
    }
}

/// Splits a pasted text into its query string and body: a raw request (`GET /p?q HTTP/1.1`,
/// headers, a blank line, the body), a URL, a bare query string, or a bare body.
fn split_request(t: &str) -> (Option<&str>, Option<&str>) {
    let first = t.lines().next().unwrap_or("");
    let is_request = ["GET ", "POST ", "PUT "]
        .iter()
        .any(|m| first.starts_with(m));
    if is_request {
        let target = first.split_whitespace().nth(1).unwrap_or("");
        let query = target.split_once('?').map(|(_, q)| q);
        let body = t
            .split_once("\r\n\r\n")
            .or_else(|| t.split_once("\n\n"))
            .map(|(_, b)| b);
        return (query, body);
    }
    if t.starts_with('<') || t.starts_with('{') {
        return (None, Some(t));
    }
    let line = first.trim();
    if let Some((_, q)) = line.split_once('?') {
        return (Some(q), None);
    }
    if line.contains('=') {
        return (Some(line), None);
    }
    (None, Some(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_line_and_body_are_read() {
        let mut m = MsgInput::default();
        let req = "POST /cb?msg_signature=ab&timestamp=1&nonce=2 HTTP/1.1\r\nHost: x\r\n\r\n<xml><Encrypt>E</Encrypt></xml>";
        assert!(m.fill_from_text(req));
        assert_eq!(
            (m.msg_signature.as_str(), m.timestamp.as_str()),
            ("ab", "1")
        );
        assert!(matches!(read_body(&m.body), Body::Encrypted { encrypt, .. } if encrypt == "E"));
    }

    #[test]
    fn url_check_decodes_the_echostr_once_as_a_framework_does() {
        let mut m = MsgInput::default();
        m.fill_from_text("https://x/cb?msg_signature=a&timestamp=1&nonce=2&echostr=ab%2Bc%253D+d");
        assert!(m.echostr);
        assert_eq!(m.encrypt, "ab+c%3D d");
    }

    #[test]
    fn bodies_plain_encrypted_and_broken() {
        assert!(matches!(
            read_body("{\"ToUserName\":\"gh\",\"Encrypt\":\"E\"}"),
            Body::Encrypted { to_user: Some(u), .. } if u == "gh"
        ));
        assert!(matches!(
            read_body("<xml><MsgType>text</MsgType></xml>"),
            Body::Plain(_)
        ));
        assert!(matches!(read_body("<xml><a>"), Body::Invalid { .. }));
        assert!(matches!(read_body("[1]"), Body::Invalid { .. }));
    }

    #[test]
    fn query_decoding() {
        assert_eq!(query_decode("a+b%2B%zz%"), "a b+%zz%");
    }
}
