//! `wxdecrypt batch`: one payload per JSON line in, one report per line out, on all cores.
//!
//! A reader thread cuts the input into chunks of whole lines, the rayon pool inspects each chunk's
//! pieces in parallel, and a writer thread writes the pieces back in input order.

use std::borrow::Cow;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use rayon::prelude::*;
use serde::Deserialize;
use serde_json::Value;

use crate::extract;
use crate::i18n::Lang;
use crate::inspect::{Options, Report, inspect, inspect_fields};

use super::{EXIT_FAIL, EXIT_OK};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// JSON Lines input, one payload object per line; - or omitted for stdin
    #[arg(value_name = "IN.jsonl|-")]
    input: Option<PathBuf>,
    /// Output file (default: stdout)
    #[arg(short = 'o', long = "output", value_name = "OUT.jsonl")]
    output: Option<PathBuf>,
    /// Appid for lines that carry none (checked against the watermark)
    #[arg(long)]
    appid: Option<String>,
    /// Worker threads (default: all cores)
    #[arg(long)]
    threads: Option<usize>,
    /// The current time as Unix seconds (default: now)
    #[arg(long, value_name = "UNIX")]
    now: Option<i64>,
}

/// A flat payload line; borrowed when the JSON string has no escapes.
#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow, default, alias = "appId", alias = "app_id")]
    appid: Option<Cow<'a, str>>,
    #[serde(borrow, default, alias = "sessionKey", alias = "sessionkey")]
    session_key: Option<Cow<'a, str>>,
    #[serde(borrow, default, alias = "IV")]
    iv: Option<Cow<'a, str>>,
    #[serde(borrow, default, alias = "encryptedData", alias = "encrypteddata")]
    encrypted_data: Option<Cow<'a, str>>,
    /// Echoed in the output to correlate records.
    #[serde(default)]
    id: Option<Value>,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    total: usize,
    ok: usize,
    failed: usize,
    bad: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.total += o.total;
        self.ok += o.ok;
        self.failed += o.failed;
        self.bad += o.bad;
    }
}

/// Input read per chunk (whole lines); large enough to amortise the hand-offs.
const CHUNK_BYTES: usize = 4 << 20;

struct Chunk {
    /// 1-based number of the first line in `bytes`.
    first_line: usize,
    bytes: Vec<u8>,
}

pub fn run(a: Args, lang: Lang) -> Result<i32, String> {
    let threads = a
        .threads
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| e.to_string())?;
    let opts = Options::new(a.now.unwrap_or_else(super::now), lang).lean();
    let appid = a.appid.unwrap_or_default();

    let reader: Box<dyn Read + Send> = match &a.input {
        None => Box::new(std::io::stdin()),
        Some(p) if p.as_os_str() == "-" => Box::new(std::io::stdin()),
        Some(p) => Box::new(std::fs::File::open(p).map_err(|e| {
            lang.fmt(
                "cli.error.read",
                &[
                    ("path", &p.display().to_string()),
                    ("error", &e.to_string()),
                ],
            )
        })?),
    };
    let out_name = a
        .output
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "stdout".into());
    let writer: Box<dyn Write + Send> = match &a.output {
        Some(p) => Box::new(std::fs::File::create(p).map_err(|e| {
            lang.fmt(
                "cli.error.write",
                &[
                    ("path", &p.display().to_string()),
                    ("error", &e.to_string()),
                ],
            )
        })?),
        None => Box::new(std::io::stdout()),
    };

    let started = Instant::now();
    let (chunk_tx, chunk_rx) = sync_channel::<Result<Chunk, String>>(2);
    let (out_tx, out_rx) = sync_channel::<Vec<Vec<u8>>>(2);

    let read_thread = std::thread::spawn(move || read_chunks(reader, chunk_tx));
    let write_thread = std::thread::spawn(move || -> Result<(), String> {
        let mut w = BufWriter::with_capacity(1 << 20, writer);
        for pieces in out_rx {
            for p in pieces {
                w.write_all(&p).map_err(|e| e.to_string())?;
            }
        }
        w.flush().map_err(|e| e.to_string())
    });

    let mut counts = Counts::default();
    let mut read_error = None;
    for chunk in chunk_rx {
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => {
                read_error = Some(e);
                break;
            }
        };
        let pieces = split_lines(&chunk.bytes, threads * 4);
        let results: Vec<(Vec<u8>, Counts)> = pool.install(|| {
            pieces
                .par_iter()
                .map(|&(start, end, line_off)| {
                    process_piece(
                        &chunk.bytes[start..end],
                        chunk.first_line + line_off,
                        &appid,
                        &opts,
                    )
                })
                .collect()
        });
        let mut outs = Vec::with_capacity(results.len());
        for (bytes, c) in results {
            counts += c;
            outs.push(bytes);
        }
        if out_tx.send(outs).is_err() {
            break; // the writer failed; its error is reported below
        }
    }
    drop(out_tx);
    let write_result = write_thread
        .join()
        .unwrap_or_else(|_| Err("writer thread stopped".into()));
    let _ = read_thread.join();
    if let Some(e) = read_error {
        return Err(e);
    }
    write_result.map_err(|e| lang.fmt("cli.error.write", &[("path", &out_name), ("error", &e)]))?;

    let secs = started.elapsed().as_secs_f64();
    let rate = if secs > 0.0 {
        (counts.total as f64 / secs).round() as u64
    } else {
        0
    };
    eprintln!(
        "{}",
        lang.fmt(
            "cli.batch.summary",
            &[
                ("total", &counts.total.to_string()),
                ("ok", &counts.ok.to_string()),
                ("failed", &counts.failed.to_string()),
                ("bad", &counts.bad.to_string()),
                ("secs", &format!("{secs:.3}")),
                ("rate", &rate.to_string()),
                ("threads", &threads.to_string()),
            ]
        )
    );
    Ok(if counts.failed == 0 && counts.bad == 0 {
        EXIT_OK
    } else {
        EXIT_FAIL
    })
}

fn read_chunks(
    reader: Box<dyn Read + Send>,
    tx: std::sync::mpsc::SyncSender<Result<Chunk, String>>,
) {
    let mut r = BufReader::with_capacity(1 << 20, reader);
    let mut line_no = 1usize;
    loop {
        let mut buf = Vec::with_capacity(CHUNK_BYTES + 4096);
        let mut lines = 0usize;
        while buf.len() < CHUNK_BYTES {
            match r.read_until(b'\n', &mut buf) {
                Ok(0) => break,
                Ok(_) => lines += 1,
                Err(e) => {
                    let _ = tx.send(Err(e.to_string()));
                    return;
                }
            }
        }
        if buf.is_empty() {
            return;
        }
        let chunk = Chunk {
            first_line: line_no,
            bytes: buf,
        };
        line_no += lines;
        if tx.send(Ok(chunk)).is_err() {
            return;
        }
    }
}

/// Splits `bytes` into about `n` ranges of whole lines: (start, end, line offset of start).
fn split_lines(bytes: &[u8], n: usize) -> Vec<(usize, usize, usize)> {
    let target = (bytes.len() / n.max(1)).max(1);
    let mut out = Vec::with_capacity(n + 1);
    let mut start = 0;
    let mut line_off = 0;
    while start < bytes.len() {
        let mut end = (start + target).min(bytes.len());
        // Extend to the end of the line.
        match bytes[end..].iter().position(|&b| b == b'\n') {
            Some(p) if end < bytes.len() => end += p + 1,
            _ => end = bytes.len(),
        }
        if end <= start {
            end = bytes.len();
        }
        out.push((start, end, line_off));
        line_off += bytes[start..end].iter().filter(|&&b| b == b'\n').count();
        start = end;
    }
    out
}

fn process_piece(
    piece: &[u8],
    first_line: usize,
    appid: &str,
    opts: &Options,
) -> (Vec<u8>, Counts) {
    let mut out = Vec::with_capacity(piece.len() * 3);
    let mut counts = Counts::default();
    for (i, raw) in piece.split(|&b| b == b'\n').enumerate() {
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        counts.total += 1;
        match process_line(line, first_line + i, appid, opts, &mut out) {
            Some(true) => counts.ok += 1,
            Some(false) => counts.failed += 1,
            None => counts.bad += 1,
        }
        out.push(b'\n');
    }
    (out, counts)
}

/// Appends one output record; returns the report's `ok`, or `None` for an unreadable line.
fn process_line(
    line: &[u8],
    line_no: usize,
    appid: &str,
    opts: &Options,
    out: &mut Vec<u8>,
) -> Option<bool> {
    let prefix = |out: &mut Vec<u8>, id: Option<&Value>| {
        out.extend_from_slice(b"{\"line\":");
        out.extend_from_slice(line_no.to_string().as_bytes());
        if let Some(id) = id {
            out.extend_from_slice(b",\"id\":");
            let _ = serde_json::to_writer(&mut *out, id);
        }
        out.push(b',');
    };
    match serde_json::from_slice::<Line>(line) {
        Ok(l) if l.encrypted_data.is_some() => {
            let line_appid = l
                .appid
                .as_deref()
                .filter(|s| !s.is_empty())
                .unwrap_or(appid);
            let report = inspect_fields(
                line_appid,
                l.session_key.as_deref().unwrap_or(""),
                l.iv.as_deref().unwrap_or(""),
                l.encrypted_data.as_deref().unwrap_or(""),
                opts,
            );
            prefix(out, l.id.as_ref());
            append_report(out, &report);
            Some(report.ok)
        }
        // Not flat: look for the fields anywhere in the object (e.g. {"detail": {...}}).
        _ => match serde_json::from_slice::<Value>(line) {
            Ok(v) if v.is_object() => {
                let mut e = extract::extract_json(&v);
                if e.input.appid.is_empty() {
                    e.input.appid = appid.to_string();
                }
                let report = inspect(&e.input, opts);
                prefix(out, v.get("id"));
                append_report(out, &report);
                Some(report.ok)
            }
            Ok(_) => {
                bad_line(out, line_no, "not a JSON object", opts.lang);
                None
            }
            Err(e) => {
                bad_line(out, line_no, &e.to_string(), opts.lang);
                None
            }
        },
    }
}

/// Appends the report's fields after an already written `{"line":N,` prefix. Field for field the
/// same object as `decrypt --json`; with lean options `data` is the decrypted JSON text itself
/// (it is a compact object), which spares building and re-serializing a `Value`.
fn append_report(out: &mut Vec<u8>, report: &Report) {
    let mut put = |key: &str, value: &dyn erased::Put| {
        out.push(b'"');
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\":");
        value.put(out);
        out.push(b',');
    };
    put("ok", &report.ok);
    put("kind", &report.kind);
    put("official_code", &report.official_code);
    put("plaintext", &report.plaintext);
    match (&report.data, &report.plaintext) {
        (Some(v), _) => put("data", v),
        (None, Some(text)) if report.plaintext_is_object && !text.contains(['\n', '\r']) => {
            put("data", &erased::Raw(text))
        }
        // Pretty-printed text cannot stand in a JSON Lines record as it is.
        (None, Some(text)) if report.plaintext_is_object => {
            let v: Option<serde_json::Value> = serde_json::from_str(text).ok();
            put("data", &v)
        }
        _ => put("data", &Option::<()>::None),
    }
    put("watermark", &report.watermark);
    put("findings", &report.findings);
    put("repairs", &report.repairs);
    put("suggested_iv", &report.suggested_iv);
    // Replace the last comma with the closing brace.
    if out.last() == Some(&b',') {
        out.pop();
    }
    out.push(b'}');
}

mod erased {
    //! Writing differently typed values through one closure.
    pub trait Put {
        fn put(&self, out: &mut Vec<u8>);
    }
    impl<T: serde::Serialize> Put for T {
        fn put(&self, out: &mut Vec<u8>) {
            if serde_json::to_writer(&mut *out, self).is_err() {
                out.extend_from_slice(b"null");
            }
        }
    }
    /// JSON text written as it is.
    pub struct Raw<'a>(pub &'a str);
    impl Put for Raw<'_> {
        fn put(&self, out: &mut Vec<u8>) {
            out.extend_from_slice(self.0.as_bytes());
        }
    }
}

fn bad_line(out: &mut Vec<u8>, line_no: usize, error: &str, lang: Lang) {
    let msg = lang.fmt(
        "cli.batch.bad_line",
        &[("line", &line_no.to_string()), ("error", error)],
    );
    let v = serde_json::json!({ "line": line_no, "ok": false, "error": msg });
    let _ = serde_json::to_writer(&mut *out, &v);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_lines_keeps_whole_lines_and_offsets() {
        let text = b"a\nbb\nccc\ndddd\n";
        let parts = split_lines(text, 3);
        let joined: Vec<u8> = parts
            .iter()
            .flat_map(|&(s, e, _)| text[s..e].to_vec())
            .collect();
        assert_eq!(joined, text);
        for &(s, _, off) in &parts {
            assert_eq!(off, text[..s].iter().filter(|&&b| b == b'\n').count());
        }
    }
}
