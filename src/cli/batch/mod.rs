//! `wxdecrypt batch`: one payload per JSON line in, one report per line out, on all cores.
//!
//! A reader thread cuts the input into chunks of whole lines, the rayon pool inspects their pieces
//! as they come (`pipeline`), and a writer thread writes the pieces back in input order.

use std::borrow::Cow;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use serde::Deserialize;
use serde_json::Value;

use crate::cli::{EXIT_FAIL, EXIT_OK};
use crate::extract;
use crate::i18n::Lang;
use crate::opendata::report_json::{FIELDS, Selection, append_selected, put_int};
use crate::opendata::{Options, inspect, inspect_fields};
use crate::platform::Platform;
use crate::privacy;
use chunks::{Chunk, LineChunks, line_end};

mod chunks;
mod pipeline;

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
    /// Write only these report fields (comma-separated: ok, kind, official_code, official,
    /// plaintext, data, watermark, findings, repairs, suggested_iv, platform); "line" and "id"
    /// always
    #[arg(long, value_name = "LIST")]
    fields: Option<String>,
    /// Leave out "plaintext" when "data" already holds it (the plaintext was a JSON object)
    #[arg(long)]
    compact: bool,
    /// The platform of every line (default: WeChat unless a line's inputs tell)
    #[arg(long, value_enum)]
    platform: Option<Platform>,
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

pub fn run(a: Args, lang: Lang) -> Result<i32, String> {
    let threads = a
        .threads
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| e.to_string())?;
    let opts = Options::new(a.now.unwrap_or_else(super::now), lang)
        .with_platform(a.platform)
        .lean();
    let appid = a.appid.unwrap_or_default();
    let mut sel = match a.fields.as_deref() {
        None => Selection::ALL,
        Some(list) => Selection::parse(list).map_err(|name| {
            lang.fmt(
                "cli.batch.unknown_field",
                &[("name", &name), ("fields", &FIELDS.join(", "))],
            )
        })?,
    };
    if a.compact {
        sel = sel.compacted();
    }

    let reader = open_input(a.input.as_deref(), lang)?;
    let (writer, out_name) = open_output(a.output.as_deref(), lang)?;

    let started = Instant::now();
    let (chunk_tx, chunk_rx) = sync_channel::<Result<Chunk, String>>(2);
    let read_thread = std::thread::spawn(move || read_chunks(reader, chunk_tx));
    let job = Job {
        appid: &appid,
        opts: &opts,
        sel,
    };
    let work = |bytes: &[u8], first_line: usize| process_piece(bytes, first_line, &job);
    let ended = pipeline::run(&pool, chunk_rx, threads * 4, threads * 16, &work, writer);
    let _ = read_thread.join();
    if let Some(e) = ended.read_error {
        return Err(e);
    }
    let counts = ended.written.map_err(|e| {
        let e = e.unwrap_or_else(|| lang.tr("cli.batch.writer_stopped").to_string());
        lang.fmt("cli.error.write", &[("path", &out_name), ("error", &e)])
    })?;

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

/// What every line of a run shares.
struct Job<'a> {
    /// For lines that carry none.
    appid: &'a str,
    opts: &'a Options,
    sel: Selection,
}

fn process_piece(piece: &[u8], first_line: usize, job: &Job<'_>) -> (Vec<u8>, Counts) {
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
        match process_line(line, line_no - 1, job, &mut out) {
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
fn process_line(line: &[u8], line_no: usize, job: &Job<'_>, out: &mut Vec<u8>) -> Option<bool> {
    let Job { appid, opts, sel } = *job;
    let prefix = |out: &mut Vec<u8>, id: Option<&Value>| {
        out.extend_from_slice(b"{\"line\":");
        put_int(out, line_no as i64);
        if let Some(id) = id {
            out.extend_from_slice(b",\"id\":");
            let _ = serde_json::to_writer(&mut *out, id);
        }
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
            out.extend_from_slice(b",\"id\":");
            out.extend_from_slice(id);
        }
        append_selected(out, &report, sel);
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
            append_selected(out, &report, sel);
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
                append_selected(out, &report, sel);
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
