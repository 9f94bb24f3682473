//! Captured traffic: read HAR, Burp XML, curl, raw HTTP and log / JSON Lines captures, find every
//! payload (encryptedData + iv) and every session_key in them, pair payloads with keys, inspect.
//!
//! The pipeline is [`read_capture`] (one file → [`Found`] payloads and keys, streamed, with progress)
//! then [`pair_and_inspect`] (payloads × keys → [`ScanItem`]s). [`scan_files`] does both for a list of
//! files. HAR files are streamed entry by entry, so a 200 MB export never sits in memory as one
//! JSON value; a malformed entry is counted and reported, never fatal.
//!
//! The parts: [`detect`](detect()) guesses the format; each reader (`har`, `burp`, `http`, `curl`,
//! `lines`) turns its format into records (`record`); `analyze` finds what one record holds, with
//! the loose field helpers of `fields`; `model` holds the types a scan produces and `reason` why
//! an entry or a file could not be read; `content` undoes chunked framing and gzip/deflate of
//! bodies saved as they travelled; [`export`] writes scan items as JSON Lines or CSV.

mod analyze;
mod burp;
mod content;
mod curl;
mod detect;
pub mod export;
mod fields;
mod har;
mod http;
mod lines;
mod model;
mod reason;
mod record;
mod shell;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::opendata::Options;
use crate::pair::{self, KeyIndex, Paired, Payload};

pub use detect::detect;
pub use fields::appid_from_referer;
pub use model::{
    Format, Found, FoundPayload, Malformed, Progress, Scan, ScanError, ScanItem, ScanOptions,
};
pub use reason::{MalformedReason, Truncation};

use record::Collector;

/// Reads every file, then pairs and inspects. `progress` is called while reading (about every
/// 256 KiB); setting `cancel` stops the scan with [`ScanError::Cancelled`].
pub fn scan_files(
    paths: &[PathBuf],
    so: &ScanOptions,
    cancel: Option<&AtomicBool>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Scan, ScanError> {
    let mut founds = Vec::with_capacity(paths.len());
    let mut seq = 0;
    for (i, p) in paths.iter().enumerate() {
        let name = p.display().to_string();
        let io = |error| ScanError::Io {
            path: name.clone(),
            error,
        };
        let file = std::fs::File::open(p).map_err(io)?;
        let total = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut cb = |read: u64, total: u64| {
            progress(Progress {
                file_index: i,
                bytes_read: read,
                total,
            })
        };
        let found =
            read_capture(&name, file, total, seq, cancel, &mut cb).map_err(|e| match e {
                ScanError::Io { error, .. } => io(error),
                other => other,
            })?;
        seq += found.records + 1;
        founds.push(found);
    }
    Ok(pair_and_inspect(founds, so))
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
    let mut c = Collector::new(name, seq_start);
    c.found.file = name.to_string();
    c.found.format = Some(format);
    match format {
        Format::Har => {
            if let Err(e) = har::read_har(&mut r, &mut c) {
                if e.is_io() {
                    let ioe: std::io::Error = e.into();
                    if is_cancel(&ioe) {
                        return Err(ScanError::Cancelled);
                    }
                    c.found.truncated = Some(Truncation::Read {
                        error: ioe.to_string(),
                    });
                } else {
                    c.found.truncated = Some(Truncation::HarSyntax {
                        error: e.to_string(),
                    });
                }
            }
        }
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

/// Reads a capture from a path, for callers that scan one file at a time (e.g. the GUI on a
/// background thread).
pub fn read_capture_file(
    path: &Path,
    seq_start: usize,
    cancel: Option<&AtomicBool>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Found, ScanError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|error| ScanError::Io {
        path: name.clone(),
        error,
    })?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    read_capture(&name, file, total, seq_start, cancel, progress)
}

/// Pairs every payload with the keys of all files (in order) and the key ring, and inspects it.
pub fn pair_and_inspect(founds: Vec<Found>, so: &ScanOptions) -> Scan {
    let mut scan = Scan::default();
    let mut payloads = Vec::new();
    let mut fallback_appid: Option<String> = None;
    for f in founds {
        scan.records += f.records;
        scan.malformed.extend(f.malformed);
        scan.keys.extend(f.keys);
        payloads.extend(f.payloads);
        if let Some(t) = f.truncated {
            scan.truncations.push((f.file.clone(), t));
        }
        if fallback_appid.is_none() {
            fallback_appid = f.appids.first().cloned();
        }
    }
    let opts = so.inspect.unwrap_or_else(Options::now);
    let index = KeyIndex::new(&scan.keys);
    let items = payloads
        .into_par_iter()
        .map(|p| inspect_payload(p, &index, so, fallback_appid.as_deref(), &opts))
        .collect();
    drop(index);
    scan.items = items;
    scan
}

fn inspect_payload(
    p: FoundPayload,
    keys: &KeyIndex<'_>,
    so: &ScanOptions,
    capture_appid: Option<&str>,
    opts: &Options,
) -> ScanItem {
    let mut input = p.input;
    if input.appid.is_empty() {
        input.appid = p
            .appid_hint
            .or_else(|| so.appid.clone())
            .unwrap_or_default();
    }
    let payload = Payload {
        input: &input,
        clients: &p.clients,
        seq: p.seq,
        fallback_appid: capture_appid,
    };
    let Paired {
        input,
        report,
        key_from,
        keys_tried,
    } = pair::pair(payload, keys, &so.keyring, opts);
    ScanItem {
        source: p.source,
        url: p.url,
        method: p.method,
        time: p.time,
        input,
        report,
        key_from,
        keys_tried,
        notes: p.notes,
    }
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
