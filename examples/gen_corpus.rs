//! Writes a reproducible batch corpus of phone-number payloads as JSON Lines (for the batch
//! benchmark): `cargo run --release --example gen_corpus -- N > corpus.jsonl`.
//! Every payload has its own key and iv, derived from its line number; one line in 50 has a stale
//! key, so the corpus exercises diagnosis as well as the happy path.

use std::io::Write as _;

use wxdecrypt::encrypt::{EncryptRequest, encrypt, phone_payload};
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
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let mut state = 42u64;
    let out = std::io::stdout();
    let mut w = std::io::BufWriter::new(out.lock());
    for i in 0..n {
        let key = block(&mut state);
        let iv = block(&mut state);
        let number = format!("13{:09}", splitmix(&mut state) % 1_000_000_000);
        let req = EncryptRequest {
            payload: phone_payload(&number).to_string(),
            session_key: Some(encode(&key)),
            iv: Some(encode(&iv)),
            appid: Some(APPID.into()),
            // Stamped within the day before the benchmark's --now 1700000000.
            timestamp: Some(1_700_000_000 - (i % 86_400) as i64),
            watermark: true,
            now: 1_700_000_000,
        };
        let Ok(enc) = encrypt(&req) else { continue };
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
        if writeln!(w, "{line}").is_err() {
            return;
        }
    }
}
