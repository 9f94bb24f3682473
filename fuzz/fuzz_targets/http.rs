//! The endpoint's request reader (`serve::request::Reader`) over arbitrary bytes delivered in
//! arbitrary pieces: it never panics, never returns a body over the limit, and reads the same
//! requests however the bytes are split.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxdecrypt::serve::MAX_BODY;
use wxdecrypt::serve::request::{Progress, Reader};

/// Everything the reader makes of `data` delivered in pieces of `step` bytes.
fn read(data: &[u8], step: usize) -> Vec<String> {
    let mut reader = Reader::default();
    let mut out = Vec::new();
    for piece in data.chunks(step.max(1)) {
        reader.push(piece);
        loop {
            match reader.progress() {
                Progress::Partial { .. } => break,
                Progress::Done(req) => {
                    assert!(req.body.len() <= MAX_BODY);
                    out.push(format!(
                        "{} {} {:?} {}",
                        req.method, req.target, req.body, req.keep_alive
                    ));
                }
                Progress::Failed(f, _) => {
                    out.push(format!("failed {}", f.status));
                    return out;
                }
            }
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&step, data)) = data.split_first() else {
        return;
    };
    let whole = read(data, data.len());
    let pieces = read(data, usize::from(step % 17) + 1);
    assert_eq!(whole, pieces);
});
