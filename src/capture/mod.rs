//! Captured traffic: read HAR, Burp XML, curl, raw HTTP and log / JSON Lines captures, find every
//! payload (encryptedData + iv), message push and Pay notification and every session_key in them,
//! pair payloads with keys, inspect.
//!
//! The pipeline is [`read_capture`] (one file → [`Found`] payloads and keys, streamed, with progress)
//! and `stream` (payloads × keys → [`ScanItem`]s, each decided as soon as a key seen opens it).
//! [`scan_stream`] does both for a list of files and hands items on as they are decided;
//! [`scan_files`] gathers them in order. Every format is read as it comes (HAR entry by entry
//! through `har_split`), so memory holds one entry, the keys and the payloads still waiting for a
//! key, not the file; a malformed entry is counted and reported, never fatal.
//!
//! The parts: [`detect`](detect()) guesses the format; each reader (`har`, `burp`, `http`, `curl`,
//! `lines`) turns its format into records (`record`); `analyze` finds what one record holds, with
//! the loose field helpers of `fields`, and `envelopes` the pushes and notifications it carries;
//! `model` holds the types a scan produces and `reason` why an entry or a file could not be read; `content` undoes chunked framing and gzip/deflate of
//! bodies saved as they travelled; [`export`] writes scan items as JSON Lines or CSV.

mod analyze;
mod burp;
mod content;
mod curl;
mod detect;
mod envelopes;
pub mod export;
mod fields;
mod har;
mod har_split;
mod http;
mod lines;
pub mod live;
mod model;
mod reason;
mod record;
pub mod rewrite;
mod shell;
mod stream;

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

pub use detect::detect;
pub use fields::appid_from_referer;
pub use model::{
    Format, Found, FoundEnvelope, FoundPayload, Malformed, Progress, Scan, ScanError, ScanItem,
    ScanOptions, ServerAnswer, Tally,
};
pub use reason::{MalformedReason, Truncation};

use har_split::SplitError;
use record::Collector;
use stream::Pairing;

/// Reads every file in order, pairing and inspecting payloads as they come, and hands each on
/// with its position among the records (`seq`): those a key seen before them opens at once, the
/// others after the last file (see `stream`). `progress` is called while reading (about every
/// 256 KiB); setting `cancel` stops the scan with [`ScanError::Cancelled`]. The [`Scan`] returned
/// has no items (they went to `emit`).
///
/// Two threads share the work: one reads and finds (parsing, [`Found`] by record), the caller's
/// pairs, inspects and calls `emit` and `progress`; a bounded channel between them keeps memory
/// flat when one is slower.
pub fn scan_stream(
    paths: &[PathBuf],
    so: &ScanOptions,
    cancel: Option<&AtomicBool>,
    progress: &mut dyn FnMut(Progress),
    emit: &mut dyn FnMut(usize, ScanItem),
) -> Result<Scan, ScanError> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Sent>(1024);
    let mut pairing = Pairing::new(so, emit);
    let mut scan = Scan::default();
    let mut failed = None;
    std::thread::scope(|s| {
        s.spawn(move || read_files(paths, cancel, &tx));
        for msg in rx {
            match msg {
                Sent::Progress(p) => progress(p),
                Sent::Found(mut found) => pairing.take(&mut found),
                Sent::File(found) => take_file(&mut scan, &mut pairing, found),
                Sent::Failed(e) => failed = Some(e),
            }
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    scan.keys = pairing.finish();
    Ok(scan)
}

/// Takes in what one file held: its payloads and keys go to `pairing`, its counts to `scan`.
fn take_file(scan: &mut Scan, pairing: &mut Pairing<'_>, mut found: Found) {
    pairing.take(&mut found);
    scan.records += found.records;
    scan.malformed.append(&mut found.malformed);
    scan.server_answers.append(&mut found.server_answers);
    if let Some(t) = found.truncated {
        scan.truncations.push((found.file, t));
    }
}

/// Pairs and inspects what [`read_capture`] found in each file (in order), with the items in the
/// order of the captures.
pub fn pair_and_inspect(founds: Vec<Found>, so: &ScanOptions) -> Scan {
    let mut items = Vec::new();
    let mut emit = |seq, item| items.push((seq, item));
    let mut pairing = Pairing::new(so, &mut emit);
    let mut scan = Scan::default();
    for found in founds {
        take_file(&mut scan, &mut pairing, found);
    }
    scan.keys = pairing.finish();
    scan.items = in_order(items);
    scan
}

/// The items in the order of the records that carried them.
fn in_order(mut items: Vec<(usize, ScanItem)>) -> Vec<ScanItem> {
    items.sort_by_key(|(seq, _)| *seq);
    items.into_iter().map(|(_, item)| item).collect()
}

/// What the reading thread of [`scan_stream`] sends.
enum Sent {
    Progress(Progress),
    /// What the records read since the last message hold.
    Found(Found),
    /// The end of a file: its counts, malformed entries and truncation (and the last records').
    File(Found),
    Failed(ScanError),
}

fn read_files(
    paths: &[PathBuf],
    cancel: Option<&AtomicBool>,
    tx: &std::sync::mpsc::SyncSender<Sent>,
) {
    let mut seq = 0;
    for (i, p) in paths.iter().enumerate() {
        let name = p.display().to_string();
        let io = |error| ScanError::Io {
            path: name.clone(),
            error,
        };
        let file = match std::fs::File::open(p) {
            Ok(f) => f,
            Err(e) => {
                let _ = tx.send(Sent::Failed(io(e)));
                return;
            }
        };
        let total = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut cb = |read: u64, total: u64| {
            let _ = tx.send(Sent::Progress(Progress {
                file_index: i,
                bytes_read: read,
                total,
            }));
        };
        // Each record's payloads and keys go over as they are found (the first appid with them).
        let mut hook = |found: &mut Found| {
            if found.payloads.is_empty() && found.keys.is_empty() && found.envelopes.is_empty() {
                return;
            }
            let _ = tx.send(Sent::Found(Found {
                payloads: std::mem::take(&mut found.payloads),
                envelopes: std::mem::take(&mut found.envelopes),
                keys: std::mem::take(&mut found.keys),
                appids: found.appids.first().cloned().into_iter().collect(),
                ..Found::default()
            }));
        };
        match read_into(&name, file, total, seq, cancel, &mut cb, Some(&mut hook)) {
            Ok(found) => {
                seq += found.records + 1;
                if tx.send(Sent::File(found)).is_err() {
                    return;
                }
            }
            Err(e) => {
                let e = match e {
                    ScanError::Io { error, .. } => io(error),
                    other => other,
                };
                let _ = tx.send(Sent::Failed(e));
                return;
            }
        }
    }
}

/// Reads every file, pairs and inspects: [`scan_stream`] with the items gathered in the order of
/// the captures.
pub fn scan_files(
    paths: &[PathBuf],
    so: &ScanOptions,
    cancel: Option<&AtomicBool>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Scan, ScanError> {
    let mut items = Vec::new();
    let mut scan = scan_stream(paths, so, cancel, progress, &mut |seq, item| {
        items.push((seq, item))
    })?;
    scan.items = in_order(items);
    Ok(scan)
}

/// Counts bytes as they are read and reports them.
struct Counting<'a, R> {
    inner: R,
    read: u64,
    total: u64,
    last: u64,
    cancel: Option<&'a AtomicBool>,
    cb: &'a mut dyn FnMut(u64, u64),
}

const PROGRESS_STEP: u64 = 256 * 1024;

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::Interrupted,
                CANCELLED,
            ));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if n == 0 || self.read - self.last >= PROGRESS_STEP {
            self.last = self.read;
            (self.cb)(self.read, self.total);
        }
        Ok(n)
    }
}

const CANCELLED: &str = "wxdecrypt: scan cancelled";

fn is_cancel(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::Interrupted && e.to_string() == CANCELLED
}

/// Reads one capture (format auto-detected) and finds its payloads and keys. `name` is the file
/// name used in [`Source`](crate::pair::Source)s; `seq_start` orders records across files;
/// `progress(read, total)`.
pub fn read_capture(
    name: &str,
    reader: impl Read,
    total: u64,
    seq_start: usize,
    cancel: Option<&AtomicBool>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Found, ScanError> {
    read_into(name, reader, total, seq_start, cancel, progress, None)
}

/// [`read_capture`], handing what was gathered to `hook` after each record.
fn read_into(
    name: &str,
    reader: impl Read,
    total: u64,
    seq_start: usize,
    cancel: Option<&AtomicBool>,
    progress: &mut dyn FnMut(u64, u64),
    hook: Option<&mut dyn FnMut(&mut Found)>,
) -> Result<Found, ScanError> {
    let counting = Counting {
        inner: reader,
        read: 0,
        total,
        last: 0,
        cancel,
        cb: progress,
    };
    let mut r = BufReader::with_capacity(64 * 1024, counting);
    let io = |error: std::io::Error| {
        if is_cancel(&error) {
            ScanError::Cancelled
        } else {
            ScanError::Io {
                path: name.to_string(),
                error,
            }
        }
    };
    let format = {
        let head = r.fill_buf().map_err(io)?;
        let head = String::from_utf8_lossy(head.get(..head.len().min(8192)).unwrap_or(head));
        detect(&head)
    };
    let mut c = match hook {
        Some(hook) => Collector::with_hook(name, seq_start, hook),
        None => Collector::new(name, seq_start),
    };
    c.found.file = name.to_string();
    c.found.format = Some(format);
    match format {
        Format::Har => match har::read_har(&mut r, &mut c) {
            Ok(()) => {}
            Err(SplitError::Io(e)) if is_cancel(&e) => return Err(ScanError::Cancelled),
            Err(SplitError::Io(e)) => {
                c.found.truncated = Some(Truncation::Read {
                    error: e.to_string(),
                })
            }
            Err(SplitError::End { offset }) => {
                c.found.truncated = Some(Truncation::HarEnd { offset })
            }
            Err(SplitError::Broken { offset }) => {
                c.found.truncated = Some(Truncation::HarBroken { offset })
            }
        },
        Format::BurpXml => burp::read_burp(&mut r, &mut c).map_err(io)?,
        Format::Log => lines::read_lines(&mut r, &mut c).map_err(io)?,
        Format::Curl | Format::RawHttp | Format::Json => {
            let mut bytes = Vec::new();
            r.read_to_end(&mut bytes).map_err(io)?;
            let text = String::from_utf8_lossy(&bytes);
            match format {
                Format::Curl => curl::read_curl(&text, &mut c),
                Format::RawHttp => http::read_raw_http(&text, &mut c),
                _ => lines::read_json_doc(&text, &mut c),
            }
        }
    }
    // Read to the end so the last progress report says 100% (a HAR parser stops at the final
    // brace).
    let _ = std::io::copy(&mut r, &mut std::io::sink());
    Ok(c.found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, cancel: Option<&AtomicBool>) -> (Result<Found, ScanError>, Vec<u64>) {
        let mut calls = Vec::new();
        let r = read_capture(
            "t",
            text.as_bytes(),
            text.len() as u64,
            0,
            cancel,
            &mut |read, _| calls.push(read),
        );
        (r, calls)
    }

    #[test]
    fn the_last_progress_report_is_the_whole_file() {
        let text = "{\"log\": {\"entries\": []}}   \n\n";
        let (r, calls) = read(text, None);
        let found = r.expect("read");
        assert_eq!(found.format, Some(Format::Har));
        assert_eq!(calls.last().copied(), Some(text.len() as u64));
    }

    #[test]
    fn a_set_cancel_flag_stops_reading() {
        let stop = AtomicBool::new(true);
        let (r, _) = read("iv=1", Some(&stop));
        assert!(matches!(r, Err(ScanError::Cancelled)));
    }
}
