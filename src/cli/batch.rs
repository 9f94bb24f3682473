//! `wxdecrypt batch`: one payload per JSON line in, one report per line out, on all cores.
//!
//! A reader thread cuts the input into chunks of whole lines, the rayon pool inspects each chunk's
//! pieces in parallel, and a writer thread writes the pieces back in input order.

use std::borrow::Cow;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use rayon::prelude::*;
use serde::Deserialize;
use serde_json::Value;

use crate::extract;
use crate::i18n::Lang;
use crate::opendata::{Options, inspect, inspect_fields};
use crate::privacy;

use super::{EXIT_FAIL, EXIT_OK};
use crate::opendata::report_json::{append_report, put_int};

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

    let reader = open_input(a.input.as_deref(), lang)?;
    let (writer, out_name) = open_output(a.output.as_deref(), lang)?;

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
        .unwrap_or_else(|_| Err(lang.tr("cli.batch.writer_stopped").to_string()));
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

/// The input: a file, or standard input for `-` or nothing.
fn open_input(path: Option<&Path>, lang: Lang) -> Result<Box<dyn Read + Send>, String> {
    match path {
        None => Ok(Box::new(std::io::stdin())),
        Some(p) if p.as_os_str() == "-" => Ok(Box::new(std::io::stdin())),
        Some(p) => match std::fs::File::open(p) {
            Ok(f) => Ok(Box::new(f)),
            Err(e) => Err(lang.fmt(
                "cli.error.read",
                &[
                    ("path", &p.display().to_string()),
                    ("error", &e.to_string()),
                ],
            )),
        },
    }
}

/// The output (a new file, or standard output) and its name for messages.
fn open_output(path: Option<&Path>, lang: Lang) -> Result<(Box<dyn Write + Send>, String), String> {
    match path {
        None => Ok((Box::new(std::io::stdout()), "stdout".into())),
        Some(p) => {
            let name = p.display().to_string();
            match std::fs::File::create(p) {
                Ok(f) => Ok((Box::new(f), name)),
                Err(e) => Err(lang.fmt(
                    "cli.error.write",
                    &[("path", &name), ("error", &e.to_string())],
                )),
            }
        }
    }
}

fn read_chunks(
    reader: Box<dyn Read + Send>,
    tx: std::sync::mpsc::SyncSender<Result<Chunk, String>>,
) {
    let mut chunks = LineChunks::new(reader);
    loop {
        match chunks.next_chunk() {
            Ok(Some(chunk)) => {
                if tx.send(Ok(chunk)).is_err() {
                    return;
                }
            }
            Ok(None) => return,
            Err(e) => {
                let _ = tx.send(Err(e.to_string()));
                return;
            }
        }
    }
}

/// Bytes read at a time.
const READ_STEP: u64 = 1 << 20;

/// Cuts the input into chunks of whole lines, about [`CHUNK_BYTES`] each (a longer line makes a
/// longer chunk): cheaper than reading line by line, which matters for the serial part of the
/// pipeline. Every byte is read once and searched for a newline once, however long the lines.
struct LineChunks<R> {
    reader: R,
    /// The partial line after the last chunk's last newline (it holds no newline).
    carry: Vec<u8>,
    /// 1-based number of the next chunk's first line.
    line_no: usize,
    eof: bool,
    /// Bytes searched for a newline so far (linear-cost check in tests).
    searched: usize,
}

impl<R: Read> LineChunks<R> {
    fn new(reader: R) -> LineChunks<R> {
        LineChunks {
            reader,
            carry: Vec::new(),
            line_no: 1,
            eof: false,
            searched: 0,
        }
    }

    fn next_chunk(&mut self) -> std::io::Result<Option<Chunk>> {
        if self.eof {
            return Ok(None);
        }
        let mut buf = std::mem::take(&mut self.carry);
        buf.reserve(CHUNK_BYTES);
        let mut last_newline = None;
        loop {
            let start = buf.len();
            let n = (&mut self.reader).take(READ_STEP).read_to_end(&mut buf)?;
            if n == 0 {
                self.eof = true;
                break;
            }
            let fresh = buf.get(start..).unwrap_or_default();
            self.searched += fresh.len();
            if let Some(p) = fresh.iter().rposition(|&c| c == b'\n') {
                last_newline = Some(start + p);
            }
            if buf.len() >= CHUNK_BYTES && last_newline.is_some() {
                break;
            }
        }
        if !self.eof
            && let Some(p) = last_newline
        {
            self.carry = buf.split_off(p + 1);
        }
        if buf.is_empty() {
            return Ok(None);
        }
        let first_line = self.line_no;
        self.line_no += count_newlines(&buf);
        Ok(Some(Chunk {
            first_line,
            bytes: buf,
        }))
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
        line_off += count_newlines(&bytes[start..end]);
        start = end;
    }
    out
}

/// Newlines in `b`, eight bytes at a time (exact: no carries between bytes).
fn count_newlines(b: &[u8]) -> usize {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let words = b.chunks_exact(8);
    let tail = words.remainder().iter().filter(|&&c| c == b'\n').count();
    words.fold(tail, |n, w| {
        let mut word = [0u8; 8];
        word.copy_from_slice(w);
        let x = u64::from_le_bytes(word) ^ 0x0a0a_0a0a_0a0a_0a0a;
        // High bit set exactly in the bytes of x that are zero.
        let zero = !(((x & LOW7) + LOW7) | x | LOW7);
        n + zero.count_ones() as usize
    })
}

/// Index of the first newline in `b` (or its length).
fn line_end(b: &[u8]) -> usize {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut i = 0;
    while i + 8 <= b.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&b[i..i + 8]);
        let x = u64::from_le_bytes(word) ^ 0x0a0a_0a0a_0a0a_0a0a;
        let zero = !(((x & LOW7) + LOW7) | x | LOW7);
        if zero != 0 {
            return i + (zero.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p)
}

fn process_piece(
    piece: &[u8],
    first_line: usize,
    appid: &str,
    opts: &Options,
) -> (Vec<u8>, Counts) {
    let mut out = Vec::with_capacity(piece.len() * 3);
    let mut counts = Counts::default();
    let mut start = 0;
    let mut line_no = first_line;
    while start < piece.len() {
        let end = start + line_end(&piece[start..]);
        let raw = &piece[start..end];
        start = end + 1;
        line_no += 1;
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        counts.total += 1;
        match process_line(line, line_no - 1, appid, opts, &mut out) {
            Some(true) => counts.ok += 1,
            Some(false) => counts.failed += 1,
            None => counts.bad += 1,
        }
        out.push(b'\n');
    }
    (out, counts)
}

/// A flat payload line as scanned by hand: what serde would read into [`Line`], when every field is
/// a plain string and the `id` a plain string or integer (kept as its JSON text).
struct Flat<'a> {
    appid: Option<&'a str>,
    session_key: Option<&'a str>,
    iv: Option<&'a str>,
    encrypted_data: &'a str,
    id: Option<&'a [u8]>,
}

/// The common line without serde (a few times faster); `None` for anything the scanner does not
/// take (escapes, nesting, floats, duplicate fields, …), which then takes the serde path.
fn scan_line(line: &[u8]) -> Option<Flat<'_>> {
    use crate::opendata::json_scan::{Scan, Val};
    // One UTF-8 pass over the line (serde checks each string; invalid bytes elsewhere are a
    // syntax error either way).
    let mut s = Scan::new(std::str::from_utf8(line).ok()?);
    let mut fields: [Option<&str>; 4] = [None; 4];
    let mut id = None;
    let mut seen = 0u8;
    if !s.eat(b'{') || s.eat(b'}') {
        return None;
    }
    loop {
        let key = s.key()?;
        let key_start = s.i;
        let v = s.value()?;
        let slot = match key {
            "appid" | "appId" | "app_id" => 0,
            "session_key" | "sessionKey" | "sessionkey" => 1,
            "iv" | "IV" => 2,
            "encrypted_data" | "encryptedData" | "encrypteddata" => 3,
            "id" => 4,
            _ => 5,
        };
        if slot < 5 {
            // serde rejects a field given twice (under any of its names).
            if seen & (1 << slot) != 0 {
                return None;
            }
            seen |= 1 << slot;
        }
        match (slot, v) {
            (_, Val::Open) => return None,
            (0..=3, Val::Str(text)) => fields[slot] = Some(text),
            (0..=3, Val::Null) | (5, _) => {}
            (0..=3, _) => return None,
            (_, Val::Str(_) | Val::Int(_)) => {
                // The value's JSON text, as serde_json would write it back.
                let text = &line[key_start..s.i];
                id = Some(text.trim_ascii_start());
            }
            (_, Val::Null) => {}
            (_, Val::Bool) => return None,
        }
        if !s.next()? {
            break;
        }
    }
    if !s.at_end() {
        return None;
    }
    Some(Flat {
        appid: fields[0],
        session_key: fields[1],
        iv: fields[2],
        encrypted_data: fields[3]?,
        id,
    })
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
        put_int(out, line_no as i64);
        if let Some(id) = id {
            out.extend_from_slice(b",\"id\":");
            let _ = serde_json::to_writer(&mut *out, id);
        }
        out.push(b',');
    };
    if let Some(l) = scan_line(line) {
        let line_appid = l.appid.filter(|s| !s.is_empty()).unwrap_or(appid);
        let report = inspect_fields(
            line_appid,
            l.session_key.unwrap_or(""),
            l.iv.unwrap_or(""),
            l.encrypted_data,
            opts,
        );
        prefix(out, None);
        if let Some(id) = l.id {
            // `prefix` wrote the comma after the line number.
            out.extend_from_slice(b"\"id\":");
            out.extend_from_slice(id);
            out.push(b',');
        }
        append_report(out, &report);
        return Some(report.ok);
    }
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
                bad_line(
                    out,
                    line_no,
                    opts.lang.tr("cli.batch.not_object"),
                    opts.lang,
                );
                None
            }
            Err(e) => {
                bad_line(
                    out,
                    line_no,
                    &privacy::scrub_quoted(&e.to_string()),
                    opts.lang,
                );
                None
            }
        },
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

    /// Issue 11, item 1: one long line is read and searched once (it was searched again after
    /// every read: 22 s for a 100 MB line).
    #[test]
    fn long_lines_are_searched_once() {
        let mut input = vec![b'a'; 3 * CHUNK_BYTES + 12_345];
        input.push(b'\n');
        input.extend_from_slice(b"short\nlast line without newline");
        let mut chunks = LineChunks::new(&input[..]);
        let mut joined = Vec::new();
        let mut firsts = Vec::new();
        while let Some(c) = chunks.next_chunk().unwrap() {
            firsts.push(c.first_line);
            joined.extend_from_slice(&c.bytes);
        }
        assert_eq!(joined, input);
        assert_eq!(firsts[0], 1);
        assert_eq!(chunks.searched, input.len());
    }

    #[test]
    fn chunks_end_at_line_ends() {
        let line = b"0123456789012345678901234567890123456789\n";
        let input: Vec<u8> = line
            .iter()
            .copied()
            .cycle()
            .take(line.len() * 300_000)
            .collect();
        let mut chunks = LineChunks::new(&input[..]);
        let mut total = 0;
        let mut next_line = 1;
        while let Some(c) = chunks.next_chunk().unwrap() {
            assert_eq!(c.first_line, next_line);
            assert_eq!(c.bytes.last(), Some(&b'\n'));
            next_line += count_newlines(&c.bytes);
            total += c.bytes.len();
        }
        assert_eq!(total, input.len());
        assert_eq!(chunks.searched, input.len());
    }

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
