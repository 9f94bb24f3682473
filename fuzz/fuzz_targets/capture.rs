//! Every capture reader (the format is detected from the bytes: HAR, Burp XML, curl, raw HTTP,
//! logs, JSON): never panics, and pairing gives one inspected item per payload, push or
//! notification found.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wxdecrypt::capture::{ScanOptions, pair_and_inspect, read_capture};
use wxdecrypt::{Lang, Options};

fuzz_target!(|data: &[u8]| {
    let Ok(found) = read_capture("f", data, data.len() as u64, 0, None, &mut |_, _| {}) else {
        return;
    };
    let payloads = found.payloads.len() + found.envelopes.len();
    let so = ScanOptions {
        inspect: Some(Options::new(1_700_000_000, Lang::En)),
        ..ScanOptions::default()
    };
    let scan = pair_and_inspect(vec![found], &so);
    assert_eq!(scan.items.len(), payloads);
});
