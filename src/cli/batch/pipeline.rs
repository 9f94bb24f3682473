//! The ordered pipeline of `batch`: each chunk's pieces are inspected on the pool as soon as they
//! are read (no barrier between chunks: a worker that finishes early takes the next piece), and a
//! writer thread puts the outputs back in input order. At most `in_flight` pieces are read and not
//! yet written, so memory stays bounded however far the workers run ahead of the writer.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel, sync_channel};

use super::Counts;
use super::chunks::{Chunk, split_lines};

/// What one piece gives: its output bytes and counts.
pub(super) type Work<'a> = dyn Fn(&[u8], usize) -> (Vec<u8>, Counts) + Sync + 'a;

/// How a run ended.
pub(super) struct Ended {
    /// The counts of every piece written, or the writer's error (`None`: the writer panicked).
    pub(super) written: Result<Counts, Option<String>>,
    /// The reader's error, if it stopped on one.
    pub(super) read_error: Option<String>,
}

/// Runs `work` on `split` pieces of each chunk from `chunks` (whole lines; `work` gets the bytes
/// and the 1-based number of their first line) on `pool`, writing the outputs to `out` in order.
pub(super) fn run(
    pool: &rayon::ThreadPool,
    chunks: Receiver<Result<Chunk, String>>,
    split: usize,
    in_flight: usize,
    work: &Work<'_>,
    out: Box<dyn Write + Send>,
) -> Ended {
    let in_flight = in_flight.max(1);
    let (res_tx, res_rx) = channel::<(u64, Vec<u8>, Counts)>();
    // A token a piece in flight: taken before a piece starts, given back once it is written.
    let (token_tx, token_rx) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        let _ = token_tx.send(());
    }
    let writer = std::thread::spawn(move || -> Result<Counts, String> {
        let mut w = BufWriter::with_capacity(1 << 20, out);
        let mut waiting = BTreeMap::new();
        let mut next = 0u64;
        let mut counts = Counts::default();
        for (seq, bytes, c) in res_rx {
            waiting.insert(seq, (bytes, c));
            while let Some((bytes, c)) = waiting.remove(&next) {
                w.write_all(&bytes).map_err(|e| e.to_string())?;
                counts += c;
                next += 1;
                let _ = token_tx.send(());
            }
        }
        w.flush().map_err(|e| e.to_string())?;
        Ok(counts)
    });
    let mut read_error = None;
    pool.in_place_scope(|s| {
        let mut seq = 0u64;
        'chunks: for chunk in chunks {
            let chunk = match chunk {
                Ok(c) => Arc::new(c),
                Err(e) => {
                    read_error = Some(e);
                    break;
                }
            };
            for (start, end, line_off) in split_lines(&chunk.bytes, split) {
                if token_rx.recv().is_err() {
                    break 'chunks; // the writer stopped on an error
                }
                let (chunk, tx, n) = (Arc::clone(&chunk), res_tx.clone(), seq);
                seq += 1;
                s.spawn(move |_| {
                    let bytes = chunk.bytes.get(start..end).unwrap_or_default();
                    let (output, counts) = work(bytes, chunk.first_line + line_off);
                    let _ = tx.send((n, output, counts));
                });
            }
        }
    });
    drop(res_tx);
    let written = match writer.join() {
        Ok(r) => r.map_err(Some),
        Err(_) => Err(None),
    };
    Ended {
        written,
        read_error,
    }
}
