//! The endpoint's request handler on arbitrary method, target, content type and body: never
//! panics, answers with a status it documents, a plain-text answer only when a push was accepted,
//! and never sends a key of its key ring back. The ring holds the WeCom sample's EncodingAESKey
//! and a Pay APIv3 key (seeds: a push, the URL check, a payment notification), so pushes and
//! notifications are opened, not just refused for want of a key. The decode API (`/wxdecrypt/v1`)
//! is reached the same way (seeds: an inspect of a login answer, a re-encryption), with a fresh
//! session each run; its requests that could name a folder to save cases in are skipped, so a run
//! never writes files.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wxdecrypt::keyring::KeyringEntry;
use wxdecrypt::serve::api::ApiState;
use wxdecrypt::serve::{ServeConfig, handle};

const AES: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const V3: &str = "WechatPayAPIv3Key000000000000000";

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(4, |&b| b == b'\n');
    let method = String::from_utf8_lossy(parts.next().unwrap_or(b"POST")).into_owned();
    let url = String::from_utf8_lossy(parts.next().unwrap_or(b"/")).into_owned();
    let ct = String::from_utf8_lossy(parts.next().unwrap_or(b"")).into_owned();
    let body = parts.next().unwrap_or(b"");
    let names_a_folder =
        |b: &[u8]| b.windows(4).any(|w| w == b"save") || b.windows(2).any(|w| w == b"\\u");
    if url.starts_with("/wxdecrypt") && names_a_folder(body) {
        return;
    }
    let keyring = vec![
        KeyringEntry::from_key(AES, Some("QDG6eK"), Some("wx5823bf96d3bd56c7"), None, None)
            .expect("the sample key"),
        KeyringEntry::from_key(V3, None, None, None, None).expect("a 32-character key"),
    ];
    let cfg = ServeConfig {
        now: Some(1_700_000_000),
        keyring,
        ..ServeConfig::default()
    };
    let (reply, event) = handle(&method, &url, Some(&ct), body, &cfg, &ApiState::default());
    assert!(
        matches!(reply.status, 200 | 204 | 400 | 404 | 405 | 413 | 415 | 422),
        "{}",
        reply.status
    );
    assert_eq!(reply.status, event.status);
    assert!(reply.text.is_none() || reply.status == 200);
    let sent = format!("{}{}", reply.body, reply.text.as_deref().unwrap_or(""));
    // A request may carry a key itself and have it echoed in data it chose; the ring's keys are
    // never in the request unless the input put them there.
    let given = String::from_utf8_lossy(data);
    for key in [AES, V3] {
        assert!(
            !sent.contains(key) || given.contains(key),
            "a ring key was sent back"
        );
    }
});
