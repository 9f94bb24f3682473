//! Format detection: which reader a capture needs, guessed from its first few KiB.

use serde_json::Value;

use super::Format;

/// Guesses the format from the first few KiB.
pub fn detect(head: &str) -> Format {
    let t = head.trim_start_matches('\u{feff}').trim_start();
    if let Some(rest) = t.strip_prefix('{') {
        if rest.trim_start().starts_with("\"log\"") {
            return Format::Har;
        }
        // One pretty-printed JSON object, or JSON Lines (a complete object per line)?
        let first_line = t.lines().next().unwrap_or("").trim();
        if serde_json::from_str::<Value>(first_line).is_ok() {
            return Format::Log;
        }
        return Format::Json;
    }
    if t.starts_with('[') {
        return Format::Json;
    }
    if t.starts_with('<') && (t.contains("<items") || t.contains("<item>")) {
        return Format::BurpXml;
    }
    let first = t.lines().next().unwrap_or("").trim();
    let cmd = first.trim_start_matches('$').trim_start();
    if cmd.starts_with("curl ") || cmd.starts_with("curl.exe ") || cmd == "curl" {
        return Format::Curl;
    }
    if is_request_line(first) {
        return Format::RawHttp;
    }
    Format::Log
}

/// Whether `line` is an HTTP/1.x request line (`POST /path HTTP/1.1`).
pub(super) fn is_request_line(line: &str) -> bool {
    let mut parts = line.split(' ');
    let (Some(m), Some(target), Some(v)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    parts.next().is_none()
        && matches!(
            m,
            "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS"
        )
        && !target.is_empty()
        && v.starts_with("HTTP/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats() {
        assert_eq!(detect("{\n  \"log\": {"), Format::Har);
        assert_eq!(
            detect("<?xml version=\"1.0\"?>\n<items burpVersion=\"2\">"),
            Format::BurpXml
        );
        assert_eq!(detect("curl 'https://x' -H 'a: b'"), Format::Curl);
        assert_eq!(detect("POST /a HTTP/1.1\r\nHost: x\r\n"), Format::RawHttp);
        assert_eq!(detect("2024-01-01 iv=abc"), Format::Log);
        assert_eq!(detect("{\"iv\":\"a\"}\n{\"iv\":\"b\"}"), Format::Log);
        assert_eq!(detect("{\n \"iv\": \"a\"\n}"), Format::Json);
    }

    #[test]
    fn request_lines() {
        assert!(is_request_line("POST /a HTTP/1.1"));
        assert!(!is_request_line("POST /a HTTP/1.1 extra"));
        assert!(!is_request_line("FETCH /a HTTP/1.1"));
        assert!(!is_request_line("GET /a"));
    }
}
