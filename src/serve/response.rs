//! The bytes of an answer: status line, the few headers the endpoint sends, the JSON (or, for a
//! push handler's answer, plain-text) body.

use super::Reply;

/// The interim answer to `Expect: 100-continue`.
pub const CONTINUE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// `reply` as HTTP/1.1 bytes; `cors` is the origin allowed to read it (never a wildcard), `close`
/// says the connection ends after it.
pub fn encode(reply: &Reply, cors: Option<&str>, close: bool) -> Vec<u8> {
    let (body, mime) = match &reply.text {
        Some(t) => (t.as_bytes().to_vec(), "text/plain"),
        None if reply.body.is_null() && reply.status == 204 => (Vec::new(), "application/json"),
        None => (
            serde_json::to_vec(&reply.body).unwrap_or_default(),
            "application/json",
        ),
    };
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {mime}; charset=utf-8\r\nContent-Length: {}\r\n",
        reply.status,
        reason(reply.status),
        body.len()
    );
    if !reply.codes.is_empty() {
        head.push_str(&format!("X-Wxdecrypt-Codes: {}\r\n", reply.codes.join(",")));
    }
    if let Some(origin) = cors {
        // Only origins the guard allowed reach here; a CR or LF would split the header.
        if !origin.contains(['\r', '\n']) {
            head.push_str(&format!(
                "Access-Control-Allow-Origin: {origin}\r\nAccess-Control-Allow-Headers: content-type\r\nVary: Origin\r\n"
            ));
        }
    }
    head.push_str(if close {
        "Connection: close\r\n\r\n"
    } else {
        "Connection: keep-alive\r\n\r\n"
    });
    let mut out = head.into_bytes();
    out.extend_from_slice(&body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn head_and_body() {
        let reply = Reply {
            status: 422,
            body: json!({"error": {"code": "key.mismatch"}}),
            text: None,
            codes: vec!["key.mismatch".into(), "x.y".into()],
        };
        let out =
            String::from_utf8(encode(&reply, Some("https://servicewechat.com"), true)).unwrap();
        let (head, body) = out.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 422 Unprocessable Content\r\n"));
        assert!(head.contains(&format!("Content-Length: {}", body.len())));
        assert!(head.contains("X-Wxdecrypt-Codes: key.mismatch,x.y"));
        assert!(head.contains("Access-Control-Allow-Origin: https://servicewechat.com"));
        assert!(head.ends_with("Connection: close"));
        assert_eq!(body, r#"{"error":{"code":"key.mismatch"}}"#);
    }
}
