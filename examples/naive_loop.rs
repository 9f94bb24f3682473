//! The bare decrypt that batch is measured against: what a backend's loop does with no diagnosis
//! and no report. Reads `gen_corpus` JSON Lines into a typed struct, decodes the base64 fields,
//! decrypts with AES-128-CBC + PKCS#7, reads the plaintext into a typed phone struct and counts.
//!
//! `naive_loop < corpus.jsonl` prints `N payloads, N ok, N failed (RATE/s)` to stderr.

use std::io::BufRead as _;
use std::time::Instant;

use aes::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
use base64::Engine as _;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Line {
    encrypted_data: String,
    iv: String,
    session_key: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // read to be checked, as a backend would
struct Phone {
    phone_number: String,
    pure_phone_number: String,
    country_code: String,
    watermark: Watermark,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Watermark {
    appid: String,
    timestamp: i64,
}

fn open(line: &str) -> Option<Phone> {
    let l: Line = serde_json::from_str(line).ok()?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let key = b64.decode(&l.session_key).ok()?;
    let iv = b64.decode(&l.iv).ok()?;
    let data = b64.decode(&l.encrypted_data).ok()?;
    let plain = cbc::Decryptor::<aes::Aes128>::new_from_slices(&key, &iv)
        .ok()?
        .decrypt_padded_vec::<Pkcs7>(&data)
        .ok()?;
    serde_json::from_slice(&plain).ok()
}

fn main() {
    let start = Instant::now();
    let (mut ok, mut failed) = (0u64, 0u64);
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        match open(&line) {
            Some(_) => ok += 1,
            None => failed += 1,
        }
    }
    let n = ok + failed;
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    eprintln!(
        "{n} payloads, {ok} ok, {failed} failed ({:.0}/s)",
        n as f64 / secs
    );
}
