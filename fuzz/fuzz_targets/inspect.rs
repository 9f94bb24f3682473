//! `inspect` on four arbitrary fields (split at line breaks): never panics; spans stay inside what
//! they point at, on every platform; `ok` means decrypted text; the hand-written JSON report is serde's byte for byte;
//! and the text itself, encrypted the way WeChat does, decrypts back to what was encrypted.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wxdecrypt::encrypt::{EncryptRequest, encrypt};
use wxdecrypt::opendata::report_json::append_report;
use wxdecrypt::platform::Platform;
use wxdecrypt::{Code, Field, Input, Lang, Options, Report, inspect};

const NOW: i64 = 1_700_000_000;

fn check_spans(input: &Input, r: &Report) {
    for f in &r.findings {
        let Some([s, e]) = f.span else { continue };
        assert!(s <= e, "{:?}: span {s}..{e}", f.code);
        let len = match f.field {
            // Padding and UTF-8 findings point into the bytes decrypted as given; the others into
            // the text that was interpreted.
            Field::Plaintext | Field::Watermark => match f.code {
                Code::PaddingInvalid | Code::PlaintextNotUtf8 => r.detail.decrypted.len(),
                _ => r.plaintext.as_deref().map_or(0, str::len),
            },
            field => input.get(field).chars().count(),
        };
        assert!(e <= len, "{:?}: span {s}..{e} past {len}", f.code);
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(4, '\n');
    let mut next = || parts.next().unwrap_or("").to_string();
    let input = Input {
        appid: next(),
        session_key: next(),
        iv: next(),
        encrypted_data: next(),
    };
    // Detected, or one platform chosen by the input's length (Baidu's frame, Alipay's answer, …).
    let platform = match data.len() % 7 {
        0 => None,
        n => Platform::ALL.get(n - 1).copied(),
    };
    for lang in [Lang::En, Lang::ZhCn] {
        let opts = Options::new(NOW, lang).with_platform(platform);
        let full = inspect(&input, &opts);
        check_spans(&input, &full);
        if full.ok {
            assert!(full.plaintext.is_some());
        }
        let mut out = b"{".to_vec();
        append_report(&mut out, &full);
        out.remove(1); // every field is written with its leading comma

        let serde = serde_json::to_vec(&full).expect("a report serializes");
        assert_eq!(out, serde, "hand-written report differs from serde's");
        let lean = inspect(&input, &opts.lean());
        assert_eq!(
            (lean.ok, lean.kind, lean.codes()),
            (full.ok, full.kind, full.codes())
        );
    }
    // The text as a payload: encrypt → inspect gives back exactly what was encrypted. (Text with
    // raw control characters, which WeChat never sends, may read as noise: left out.)
    let raw_control = text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
    let req = EncryptRequest {
        payload: text.to_string(),
        session_key: Some("MTIzNDU2Nzg5MGFiY2RlZg==".into()),
        iv: Some("ZmVkY2JhMDk4NzY1NDMyMQ==".into()),
        appid: Some("wx0123456789abcdef".into()),
        timestamp: Some(NOW - 60),
        watermark: true,
        now: NOW,
    };
    if let (false, Ok(enc)) = (raw_control, encrypt(&req)) {
        let back = Input::new(
            "wx0123456789abcdef",
            &enc.session_key,
            &enc.iv,
            &enc.encrypted_data,
        );
        let r = inspect(&back, &Options::new(NOW, Lang::En));
        assert_eq!(r.plaintext.as_deref(), Some(enc.plaintext.as_str()));
    }
});
