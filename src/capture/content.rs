//! Bodies as they travelled: a captured HTTP message whose body is chunked and compressed (gzip or
//! deflate, as Burp saves responses; a HAR body stored base64 still gzipped) turned into the text
//! the other readers expect, within a stated limit on the inflated size.

use std::io::Read;

use flate2::read::{DeflateDecoder, GzDecoder, ZlibDecoder};

use super::MalformedReason;
use super::http::dechunk;

/// The largest body inflated (a "zip bomb" stops here and is reported).
pub const MAX_INFLATED_MIB: usize = 64;
const MAX_INFLATED: usize = MAX_INFLATED_MIB << 20;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Whether `bytes` start like a gzip stream.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&GZIP_MAGIC)
}

/// Inflates a body compressed with `coding` (`gzip`, `x-gzip`, `deflate`).
pub fn inflate(bytes: &[u8], coding: &str) -> Result<Vec<u8>, MalformedReason> {
    let mut out = Vec::new();
    let limit = MAX_INFLATED as u64 + 1;
    let read = match coding {
        "gzip" | "x-gzip" => GzDecoder::new(bytes).take(limit).read_to_end(&mut out),
        // HTTP's "deflate" is zlib-wrapped; some servers send it raw.
        "deflate" => ZlibDecoder::new(bytes)
            .take(limit)
            .read_to_end(&mut out)
            .or_else(|_| {
                out.clear();
                DeflateDecoder::new(bytes).take(limit).read_to_end(&mut out)
            }),
        other => {
            return Err(MalformedReason::Compressed {
                coding: other.to_string(),
            });
        }
    };
    match read {
        Ok(_) if out.len() > MAX_INFLATED => Err(MalformedReason::InflatedTooLarge {
            max_mib: MAX_INFLATED_MIB,
        }),
        Ok(_) => Ok(out),
        Err(_) => Err(MalformedReason::BadCompressed {
            coding: coding.to_string(),
        }),
    }
}

/// A raw HTTP message as text with its body as the application sent it: chunked framing removed
/// and gzip/deflate inflated (those headers and `Content-Length` then dropped from the head). A
/// body that cannot be decoded is left as it was, with the reason.
pub fn decode_message(raw: &[u8]) -> (String, Option<MalformedReason>) {
    let Some((head_end, body_at)) = head_end(raw) else {
        return (String::from_utf8_lossy(raw).into_owned(), None);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]);
    let value = |name: &str| {
        head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_ascii_lowercase())
        })
    };
    let coding = value("content-encoding").filter(|c| c != "identity");
    let Some(coding) = coding else {
        return (String::from_utf8_lossy(raw).into_owned(), None);
    };
    let body = &raw[body_at..];
    let chunked = value("transfer-encoding").is_some_and(|t| t.contains("chunked"));
    let framed = if chunked {
        dechunk(body)
    } else {
        body.to_vec()
    };
    match inflate(&framed, &coding) {
        Ok(plain) => {
            let mut text = String::with_capacity(head.len() + plain.len() + 4);
            for (i, line) in head.lines().enumerate() {
                let name = line
                    .split_once(':')
                    .map(|(k, _)| k.trim().to_ascii_lowercase());
                let drop = i > 0
                    && matches!(
                        name.as_deref(),
                        Some("content-encoding" | "transfer-encoding" | "content-length")
                    );
                if !drop {
                    text.push_str(line.trim_end_matches('\r'));
                    text.push_str("\r\n");
                }
            }
            text.push_str("\r\n");
            text.push_str(&String::from_utf8_lossy(&plain));
            (text, None)
        }
        Err(reason) => (String::from_utf8_lossy(raw).into_owned(), Some(reason)),
    }
}

/// Where the head ends (the line break after its last line) and the body starts, after the first
/// blank line (CRLF CRLF or LF LF); one pass.
pub(super) fn head_end(raw: &[u8]) -> Option<(usize, usize)> {
    let mut at = 0;
    while let Some(p) = raw.get(at..)?.iter().position(|&b| b == b'\n') {
        let nl = at + p;
        match (raw.get(nl + 1), raw.get(nl + 2)) {
            (Some(b'\n'), _) => return Some((nl, nl + 2)),
            (Some(b'\r'), Some(b'\n')) => return Some((nl, nl + 3)),
            _ => at = nl + 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::{GzEncoder, ZlibEncoder};
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn a_chunked_gzipped_response_becomes_plain_text() {
        let body = gzip(br#"{"session_key":"K","openid":"o"}"#);
        let mut raw = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        let (a, b) = body.split_at(10);
        for part in [a, b] {
            raw.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
            raw.extend_from_slice(part);
            raw.extend_from_slice(b"\r\n");
        }
        raw.extend_from_slice(b"0\r\n\r\n");
        let (text, note) = decode_message(&raw);
        assert_eq!(note, None);
        assert_eq!(
            text,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"session_key\":\"K\",\"openid\":\"o\"}"
        );
    }

    #[test]
    fn deflate_zlib_and_raw() {
        let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
        e.write_all(b"hello").unwrap();
        assert_eq!(inflate(&e.finish().unwrap(), "deflate").unwrap(), b"hello");
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), Compression::default());
        e.write_all(b"hello").unwrap();
        assert_eq!(inflate(&e.finish().unwrap(), "deflate").unwrap(), b"hello");
    }

    #[test]
    fn what_cannot_be_inflated_is_named() {
        let raw = b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n\x01\x02";
        let (text, note) = decode_message(raw);
        assert_eq!(
            note,
            Some(MalformedReason::Compressed {
                coding: "br".into()
            })
        );
        assert!(text.starts_with("HTTP/1.1 200 OK"));
        let raw = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\nnot gzip";
        assert_eq!(
            decode_message(raw).1,
            Some(MalformedReason::BadCompressed {
                coding: "gzip".into()
            })
        );
        // 65 MiB of zeros gzip to ~65 KiB: stopped at the limit.
        let bomb = gzip(&vec![0u8; (MAX_INFLATED_MIB + 1) << 20]);
        assert_eq!(
            inflate(&bomb, "gzip"),
            Err(MalformedReason::InflatedTooLarge {
                max_mib: MAX_INFLATED_MIB
            })
        );
    }

    #[test]
    fn plain_messages_are_untouched() {
        let raw = b"POST /x HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}";
        assert_eq!(
            decode_message(raw),
            (String::from_utf8_lossy(raw).into_owned(), None)
        );
    }
}
