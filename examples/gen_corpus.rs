//! Writes reproducible benchmark corpora of phone-number payloads.
//!
//! - `gen_corpus N > corpus.jsonl` — JSON Lines for `batch`: every payload has its own key and iv,
//!   derived from its line number; one line in 50 has a stale key, so the corpus exercises
//!   diagnosis as well as the happy path.
//! - `gen_corpus N har [stale] > capture.har` — a HAR for `scan` as issue 11 found it: N clients,
//!   each a login whose response leaks its sessionKey with a token, then a decode request carrying
//!   `Authorization: Bearer <token>` and the payload (~1.2 KB a client: 84k clients ≈ 100 MB).
//!   With `stale`, the leaked keys are not the ones that encrypted (no key opens a payload).

use std::io::Write as _;

use wxdecrypt::encrypt::{EncryptRequest, Encrypted, encrypt, phone_payload};
use wxdecrypt::opendata::normalize::encode;

const APPID: &str = "wx0123456789abcdef";

/// A small deterministic generator (splitmix64), so the corpus is the same on every machine.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn block(state: &mut u64) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&splitmix(state).to_le_bytes());
    b[8..].copy_from_slice(&splitmix(state).to_le_bytes());
    b
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let out = std::io::stdout();
    let mut w = std::io::BufWriter::new(out.lock());
    let result = match args.get(2).map(String::as_str) {
        Some("har") => har(n, args.get(3).is_some_and(|a| a == "stale"), &mut w),
        _ => jsonl(n, &mut w),
    };
    if let Err(e) = result.and_then(|()| w.flush()) {
        eprintln!("gen_corpus: {e}");
    }
}

/// One HAR entry.
fn entry(
    method: &str,
    url: &str,
    headers: &[(&str, String)],
    post: Option<String>,
    response: String,
) -> serde_json::Value {
    let headers: Vec<_> = headers
        .iter()
        .map(|(k, v)| serde_json::json!({"name": k, "value": v}))
        .collect();
    let mut request = serde_json::json!({"method": method, "url": url, "httpVersion": "HTTP/1.1", "headers": headers, "queryString": []});
    if let Some(text) = post {
        request["postData"] = serde_json::json!({"mimeType": "application/json", "text": text});
    }
    serde_json::json!({
        "startedDateTime": "2026-11-30T08:00:00.000Z",
        "time": 42,
        "request": request,
        "response": {"status": 200, "statusText": "OK", "headers": [], "content": {"size": response.len(), "mimeType": "application/json", "text": response}},
    })
}

/// Payload `i`: a phone number sealed with its own key and iv, all drawn from `state`, stamped
/// within the day before the benchmarks' --now 1700000000.
fn sealed(i: usize, state: &mut u64) -> Option<Encrypted> {
    let key = block(state);
    let iv = block(state);
    let number = format!("13{:09}", splitmix(state) % 1_000_000_000);
    let req = EncryptRequest {
        payload: phone_payload(&number).to_string(),
        session_key: Some(encode(&key)),
        iv: Some(encode(&iv)),
        appid: Some(APPID.into()),
        timestamp: Some(1_700_000_000 - (i % 86_400) as i64),
        watermark: true,
        now: 1_700_000_000,
    };
    encrypt(&req).ok()
}

fn har(n: usize, stale: bool, w: &mut impl std::io::Write) -> std::io::Result<()> {
    let mut state = 7u64;
    let referer = format!("https://servicewechat.com/{APPID}/12/page-frame.html");
    let agent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";
    write!(
        w,
        r#"{{"log":{{"version":"1.2","creator":{{"name":"gen_corpus","version":"1"}},"entries":["#
    )?;
    for i in 0..n {
        let Some(enc) = sealed(i, &mut state) else {
            continue;
        };
        let leaked = if stale {
            encode(&block(&mut state))
        } else {
            enc.session_key
        };
        let token = format!("t{:016x}", splitmix(&mut state));
        let common = [
            ("User-Agent", agent.to_string()),
            ("Referer", referer.clone()),
        ];
        let login = entry(
            "POST",
            "https://api.example.com/user/login",
            &[common[0].clone(), common[1].clone(), ("Content-Type", "application/json".into())],
            Some(format!(r#"{{"code":"0a3{i:013}"}}"#)),
            serde_json::json!({"code": 0, "token": token, "sessionKey": leaked, "openid": format!("o{i:027}")}).to_string(),
        );
        let decode = entry(
            "POST",
            "https://api.example.com/user/decodePhone",
            &[
                common[0].clone(),
                common[1].clone(),
                ("Content-Type", "application/json".into()),
                ("Authorization", format!("Bearer {token}")),
            ],
            Some(
                serde_json::json!({"encryptedData": enc.encrypted_data, "iv": enc.iv}).to_string(),
            ),
            r#"{"code":0,"msg":"ok"}"#.into(),
        );
        let sep = if i == 0 { "" } else { "," };
        write!(w, "{sep}{login},{decode}")?;
    }
    writeln!(w, "]}}}}")
}

fn jsonl(n: usize, w: &mut impl std::io::Write) -> std::io::Result<()> {
    let mut state = 42u64;
    for i in 0..n {
        let Some(enc) = sealed(i, &mut state) else {
            continue;
        };
        let session_key = if i % 50 == 49 {
            encode(&block(&mut state))
        } else {
            enc.session_key
        };
        let line = serde_json::json!({
            "id": i,
            "encryptedData": enc.encrypted_data,
            "iv": enc.iv,
            "sessionKey": session_key,
        });
        writeln!(w, "{line}")?;
    }
    Ok(())
}
