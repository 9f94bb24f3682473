//! Criterion benchmarks of `inspect` on the payloads the GUI and batch see most.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use wxdecrypt::encrypt::{EncryptRequest, encrypt, phone_payload};
use wxdecrypt::{Input, Lang, Options, inspect};

const APPID: &str = "wx0123456789abcdef";

/// Encrypts `payload` with a fixed key and iv, watermarked for APPID.
fn payload_input(payload: String) -> Input {
    let enc = encrypt(&EncryptRequest {
        payload,
        session_key: Some("MTIzNDU2Nzg5MGFiY2RlZg==".into()),
        iv: Some("ZmVkY2JhMDk4NzY1NDMyMQ==".into()),
        appid: Some(APPID.into()),
        timestamp: Some(1_700_000_000),
        watermark: true,
        now: 1_700_000_000,
    })
    .expect("fixed key encrypts");
    Input::new(APPID, &enc.session_key, &enc.iv, &enc.encrypted_data)
}

fn bench(c: &mut Criterion) {
    let opts = Options::new(1_700_000_100, Lang::En);
    let ok = payload_input(phone_payload("13800138000").to_string());
    let mut stale = ok.clone();
    stale.session_key = "ZmZmZmZmZmZmZmZmZmZmZg==".into();
    let mut damaged = ok.clone();
    damaged.encrypted_data = damaged.encrypted_data.replace('+', " ");
    damaged.iv = format!("\"{}\",", damaged.iv);
    let mut wrong_iv = ok.clone();
    wrong_iv.iv = "nAHzRIAX7ioF2WuQMcR/CA==".into();
    let big = payload_input(serde_json::json!({ "blob": "x".repeat(1 << 20) }).to_string());

    let mut g = c.benchmark_group("inspect");
    g.throughput(Throughput::Elements(1));
    g.bench_function("phone_ok", |b| b.iter(|| inspect(black_box(&ok), &opts)));
    g.bench_function("phone_ok_json", |b| {
        b.iter(|| serde_json::to_vec(&inspect(black_box(&ok), &opts)))
    });
    g.bench_function("key_mismatch", |b| {
        b.iter(|| inspect(black_box(&stale), &opts))
    });
    g.bench_function("iv_mismatch_recovered", |b| {
        b.iter(|| inspect(black_box(&wrong_iv), &opts))
    });
    g.bench_function("repaired_transport", |b| {
        b.iter(|| inspect(black_box(&damaged), &opts))
    });
    g.finish();
    let mut g = c.benchmark_group("inspect_large");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(big.encrypted_data.len() as u64));
    g.bench_function("one_megabyte", |b| {
        b.iter(|| inspect(black_box(&big), &opts))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
