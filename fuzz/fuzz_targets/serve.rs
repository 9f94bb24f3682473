//! The endpoint's request handler on arbitrary method, target, content type and body: never
//! panics, answers with a status it documents, and never sends the key back.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wxdecrypt::serve::{ServeConfig, handle};

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(4, |&b| b == b'\n');
    let method = String::from_utf8_lossy(parts.next().unwrap_or(b"POST")).into_owned();
    let url = String::from_utf8_lossy(parts.next().unwrap_or(b"/")).into_owned();
    let ct = String::from_utf8_lossy(parts.next().unwrap_or(b"")).into_owned();
    let body = parts.next().unwrap_or(b"");
    let cfg = ServeConfig {
        now: Some(1_700_000_000),
        ..ServeConfig::default()
    };
    let (reply, event) = handle(&method, &url, Some(&ct), body, &cfg);
    assert!(
        matches!(reply.status, 200 | 204 | 400 | 413 | 422),
        "{}",
        reply.status
    );
    assert_eq!(reply.status, event.status);
});
