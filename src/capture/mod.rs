//! Captured traffic: read HAR, Burp XML, curl, raw HTTP and log / JSON Lines captures, find every
//! payload (encryptedData + iv) and every session_key in them, pair payloads with keys, inspect.
//!
//! The pipeline is [`read_capture`] (one file → [`Found`] payloads and keys, streamed, with progress)
//! then [`pair_and_inspect`] (payloads × keys → [`ScanItem`]s). [`scan_files`] does both for a list of
//! files. HAR files are streamed entry by entry, so a 200 MB export never sits in memory as one
//! JSON value; a malformed entry is counted and reported, never fatal.

use std::collections::HashSet;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use base64::Engine as _;
use rayon::prelude::*;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::extract::{self, field_for_key, percent_decode};
use crate::finding::Field;
use crate::i18n::Lang;
use crate::keyring::KeyringEntry;
use crate::opendata::{Input, Options, Report};
use crate::pair::{self, KeyFrom, KeyIndex, Paired, Payload, SeenKey, Source};
use crate::privacy;

/// The capture formats [`read_capture`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// HTTP Archive (browser devtools, Charles, Fiddler, Proxyman, Reqable).
    Har,
    /// Burp Suite "save items" XML.
    BurpXml,
    /// One or more curl command lines.
    Curl,
    /// A raw HTTP request (optionally followed by its response).
    RawHttp,
    /// Plain log text or JSON Lines: each line is a record.
    Log,
    /// One JSON document (an object, or an array of records).
    Json,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Har => "har",
            Format::BurpXml => "burp_xml",
            Format::Curl => "curl",
            Format::RawHttp => "raw_http",
            Format::Log => "log",
            Format::Json => "json",
        }
    }
}

/// Progress of reading one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Index of the file in the list being scanned.
    pub file_index: usize,
    pub bytes_read: u64,
    /// The file size (0 when unknown, e.g. standard input).
    pub total: u64,
}

/// A payload found in a capture, before inspection.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundPayload {
    pub source: Source,
    pub url: Option<String>,
    pub method: Option<String>,
    pub time: Option<String>,
    /// The fields as found (session_key only when the same request carries one).
    pub input: Input,
    /// The appid found next to the payload (field, Referer), if any.
    pub appid_hint: Option<String>,
    pub clients: Vec<String>,
    /// Notes about how the payload travelled (e.g. `capture.unencoded_plus`).
    pub notes: Vec<String>,
    pub seq: usize,
}

/// An entry or line that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Malformed {
    pub source: Source,
    pub reason: String,
}

/// What one file holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    /// The file name used in sources.
    pub file: String,
    pub format: Option<Format>,
    /// Records (entries, requests, lines) read.
    pub records: usize,
    pub payloads: Vec<FoundPayload>,
    pub keys: Vec<SeenKey>,
    pub malformed: Vec<Malformed>,
    /// Appids seen in `jscode2session?appid=` requests, in order.
    pub appids: Vec<String>,
    /// The file could not be read to its end (a syntax error in a HAR or XML file); what was read
    /// before is kept.
    pub truncated: Option<String>,
}

/// One payload with its inspection.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanItem {
    pub source: Source,
    pub url: Option<String>,
    pub method: Option<String>,
    pub time: Option<String>,
    /// The inputs inspected (with the session_key that opened the payload, or the best guess):
    /// what the GUI loads into the Inspect view.
    pub input: Input,
    pub report: Report,
    /// Where the key that opened it came from; None when no key opened it.
    pub key_from: Option<KeyFrom>,
    /// How many keys were tried.
    pub keys_tried: usize,
    pub notes: Vec<String>,
}

impl ScanItem {
    /// The JSON Lines object of `wxdecrypt scan --json`.
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "source": self.source,
            "url": self.url,
            "method": self.method,
            "time": self.time,
            "ok": self.report.ok,
            "kind": self.report.kind,
            "official_code": self.report.official_code,
            "data": self.report.data,
            "codes": self.report.codes(),
            "key_from": self.key_from,
            "notes": self.notes,
        })
    }
}

/// The result of scanning one or more files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scan {
    pub items: Vec<ScanItem>,
    pub keys: Vec<SeenKey>,
    pub malformed: Vec<Malformed>,
    pub records: usize,
    /// Files that could not be read to their end: (file, reason).
    pub truncated: Vec<(String, String)>,
}

impl Scan {
    pub fn decrypted(&self) -> usize {
        self.items.iter().filter(|i| i.report.ok).count()
    }

    pub fn all_ok(&self) -> bool {
        self.items.iter().all(|i| i.report.ok)
    }
}

/// Settings of a scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Appid for payloads that carry none (checked against the watermark).
    pub appid: Option<String>,
    /// Keys tried when no key of the capture opens a payload.
    pub keyring: Vec<KeyringEntry>,
    pub inspect: Option<Options>,
}

/// Why a file could not be scanned at all.
#[derive(Debug)]
pub enum ScanError {
    Io { path: String, error: std::io::Error },
    Cancelled,
}

impl ScanError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ScanError::Io { path, error } => lang.fmt(
                "scan.error.io",
                &[("path", path), ("error", &error.to_string())],
            ),
            ScanError::Cancelled => lang.tr("scan.error.cancelled").to_string(),
        }
    }
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for ScanError {}

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
/// name used in [`Source`]s; `seq_start` orders records across files; `progress(read, total)`.
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
        let head = String::from_utf8_lossy(&head[..head.len().min(8192)]).into_owned();
        detect(&head)
    };
    let mut c = Collector::new(name, seq_start);
    c.found.file = name.to_string();
    c.found.format = Some(format);
    match format {
        Format::Har => {
            let res = read_har(&mut r, &mut c);
            if let Err(e) = res {
                if e.is_io() {
                    let ioe: std::io::Error = e.into();
                    if is_cancel(&ioe) {
                        return Err(ScanError::Cancelled);
                    }
                    c.found.truncated = Some(ioe.to_string());
                } else {
                    c.found.truncated = Some(e.to_string());
                }
            }
        }
        Format::BurpXml => read_burp(&mut r, &mut c).map_err(io)?,
        Format::Log => read_lines(&mut r, &mut c).map_err(io)?,
        Format::Curl | Format::RawHttp | Format::Json => {
            let mut bytes = Vec::new();
            r.read_to_end(&mut bytes).map_err(io)?;
            let text = String::from_utf8_lossy(&bytes);
            match format {
                Format::Curl => read_curl(&text, &mut c),
                Format::RawHttp => read_raw_http(&text, &mut c),
                _ => read_json_doc(&text, &mut c),
            }
        }
    }
    // Read to the end so the last progress report says 100% (a HAR parser stops at the final
    // brace).
    let _ = std::io::copy(&mut r, &mut std::io::sink());
    Ok(c.found)
}

/// Guesses the format from the first few KiB.
pub fn detect(head: &str) -> Format {
    let t = head.trim_start_matches('\u{feff}').trim_start();
    if let Some(rest) = t.strip_prefix('{') {
        if rest.trim_start().starts_with("\"log\"") {
            return Format::Har;
        }
        // One pretty-printed JSON object, or JSON Lines (a complete object per line)?
        let first_line = t.lines().next().unwrap_or("").trim();
        if serde_json::from_str::<Value>(first_line).is_ok() {
            return Format::Log;
        }
        return Format::Json;
    }
    if t.starts_with('[') {
        return Format::Json;
    }
    if t.starts_with('<') && (t.contains("<items") || t.contains("<item>")) {
        return Format::BurpXml;
    }
    let first = t.lines().next().unwrap_or("").trim();
    let cmd = first.trim_start_matches('$').trim_start();
    if cmd.starts_with("curl ") || cmd.starts_with("curl.exe ") || cmd == "curl" {
        return Format::Curl;
    }
    if is_request_line(first) {
        return Format::RawHttp;
    }
    Format::Log
}

fn is_request_line(line: &str) -> bool {
    let mut parts = line.split(' ');
    let (Some(m), Some(target), Some(v)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    parts.next().is_none()
        && matches!(
            m,
            "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS"
        )
        && !target.is_empty()
        && v.starts_with("HTTP/")
}

// ---------------------------------------------------------------------------------------------
// Records: what every format is turned into.

/// One HTTP exchange or log record, normalised.
#[derive(Debug, Default)]
struct Record {
    source: Option<Source>,
    url: Option<String>,
    method: Option<String>,
    time: Option<String>,
    headers: Vec<(String, String)>,
    body: Option<String>,
    body_mime: Option<String>,
    /// Form parameters as exported (HAR postData.params), used when there is no body text.
    params: Vec<(String, String)>,
    response: Option<String>,
    /// A log line or JSON record (no HTTP structure).
    text: Option<String>,
}

/// The value of header `name` (case-insensitive), first occurrence.
fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

impl Record {
    fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

struct Collector {
    name: String,
    seq: usize,
    found: Found,
}

impl Collector {
    fn new(name: &str, seq: usize) -> Collector {
        Collector {
            name: name.to_string(),
            seq,
            found: Found::default(),
        }
    }

    fn entry(&self, i: usize) -> Source {
        Source {
            file: self.name.clone(),
            entry: Some(i),
            line: None,
        }
    }

    fn line(&self, n: usize) -> Source {
        Source {
            file: self.name.clone(),
            entry: None,
            line: Some(n),
        }
    }

    fn malformed(&mut self, source: Source, reason: impl Into<String>) {
        self.found.records += 1;
        self.seq += 1;
        self.found.malformed.push(Malformed {
            source,
            reason: reason.into(),
        });
    }

    fn add(&mut self, rec: Record) {
        self.found.records += 1;
        self.seq += 1;
        analyze(rec, self.seq, &mut self.found);
    }
}

/// Client identity names (field or header) and the prefix they get.
fn client_kind(key: &str) -> Option<&'static str> {
    match extract::fold_key(key).as_str() {
        "openid" => Some("openid"),
        "unionid" => Some("unionid"),
        "uid" | "userid" | "memberid" => Some("uid"),
        "token" | "accesstoken" | "xtoken" | "authtoken" | "logintoken" | "sessionid" | "sid"
        | "thirdsession" | "3rdsession" => Some("token"),
        _ => None,
    }
}

fn push_client(out: &mut Vec<String>, kind: &str, value: &str) {
    let v = value.trim();
    if v.is_empty() || v.len() > 4096 {
        return;
    }
    let id = format!("{kind}:{v}");
    if !out.contains(&id) {
        out.push(id);
    }
}

/// Keys, openids and client ids found in one JSON document.
#[derive(Default)]
struct JsonFinds {
    /// (session_key, openid of the same object)
    keys: Vec<(String, Option<String>)>,
    openid: Option<String>,
    appid: Option<String>,
    clients: Vec<String>,
    time: Option<String>,
}

fn walk_json(v: &Value, out: &mut JsonFinds, depth: usize, budget: &mut usize) {
    if depth > 32 || *budget == 0 {
        return;
    }
    *budget -= 1;
    match v {
        Value::Object(map) => {
            let mut key_here = None;
            let mut openid_here = None;
            for (k, val) in map {
                if k == "watermark" {
                    continue;
                }
                match val {
                    Value::String(s) => {
                        if field_for_key(k) == Some(Field::SessionKey) && !s.trim().is_empty() {
                            key_here = Some(s.clone());
                        } else if field_for_key(k) == Some(Field::Appid) && out.appid.is_none() {
                            out.appid = Some(s.clone());
                        } else if let Some(kind) = client_kind(k) {
                            if kind == "openid" {
                                openid_here = Some(s.clone());
                            }
                            push_client(&mut out.clients, kind, s);
                        } else if out.time.is_none()
                            && matches!(
                                k.as_str(),
                                "time" | "timestamp" | "@timestamp" | "ts" | "startedDateTime"
                            )
                        {
                            out.time = Some(s.clone());
                        } else if s.trim_start().starts_with('{')
                            && let Ok(inner) = serde_json::from_str::<Value>(s)
                        {
                            walk_json(&inner, out, depth + 1, budget);
                        }
                    }
                    Value::Number(n) => {
                        if let Some(kind) = client_kind(k) {
                            push_client(&mut out.clients, kind, &n.to_string());
                        }
                    }
                    Value::Object(_) | Value::Array(_) => walk_json(val, out, depth + 1, budget),
                    _ => {}
                }
            }
            if let Some(o) = &openid_here
                && out.openid.is_none()
            {
                out.openid = Some(o.clone());
            }
            if let Some(k) = key_here {
                out.keys.push((k, openid_here));
            }
        }
        Value::Array(items) => {
            for it in items {
                walk_json(it, out, depth + 1, budget);
            }
        }
        _ => {}
    }
}

fn json_finds(v: &Value) -> JsonFinds {
    let mut out = JsonFinds::default();
    let mut budget = 20_000;
    walk_json(v, &mut out, 0, &mut budget);
    out
}

/// `key=value` pairs of a query string or form body: `%XX` decoded, a '+' kept as it is.
fn form_pairs(text: &str) -> Vec<(String, String)> {
    text.split(['&', ';'])
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (percent_decode(k.trim()), percent_decode(v.trim())))
        .collect()
}

/// Values of the given kinds of names in free text: `name=value`, `name: value`, `"name":"value"`.
fn loose_pairs(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let Some(&c) = b.get(i) else { break };
        let prev_word = i > 0 && b.get(i - 1).is_some_and(|p| is_word(*p));
        if !c.is_ascii_alphabetic() || prev_word {
            i += 1;
            continue;
        }
        let start = i;
        while b.get(i).is_some_and(|c| is_word(*c)) {
            i += 1;
        }
        let key = &text[start..i];
        if client_kind(key).is_none() && field_for_key(key).is_none() {
            continue;
        }
        let mut j = i;
        while b
            .get(j)
            .is_some_and(|c| matches!(c, b'"' | b'\'' | b' ' | b'\t'))
        {
            j += 1;
        }
        if !b.get(j).is_some_and(|c| matches!(c, b':' | b'=')) {
            continue;
        }
        j += 1;
        while b.get(j).is_some_and(|c| matches!(c, b' ' | b'\t')) {
            j += 1;
        }
        let (vs, ve) = match b.get(j) {
            Some(q @ (b'"' | b'\'')) => {
                let vs = j + 1;
                let mut k = vs;
                while k < b.len() && b.get(k) != Some(q) {
                    k += if b.get(k) == Some(&b'\\') { 2 } else { 1 };
                }
                (vs, k.min(b.len()))
            }
            _ => {
                let mut k = j;
                while b.get(k).is_some_and(|c| {
                    !matches!(
                        c,
                        b' ' | b'\t' | b'\n' | b'\r' | b',' | b'&' | b';' | b'}' | b')'
                    )
                }) {
                    k += 1;
                }
                (j, k)
            }
        };
        if let Some(v) = text.get(vs..ve)
            && !v.is_empty()
        {
            out.push((key.to_string(), v.to_string()));
        }
        i = ve.max(j);
    }
    out
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The appid in a `Referer: https://servicewechat.com/<appid>/<version>/page-frame.html`.
pub fn appid_from_referer(referer: &str) -> Option<String> {
    let rest = referer.split("servicewechat.com/").nth(1)?;
    let appid = rest.split('/').next()?;
    (appid.starts_with("wx")
        && appid.len() >= 10
        && appid.chars().all(|c| c.is_ascii_alphanumeric()))
    .then(|| appid.to_string())
}

/// Finds payloads, keys, appids and client ids in one record.
/// Takes in what a JSON body or record carries: its input fields, client ids, time and openid.
/// Returns the appid it names, if any.
fn absorb_json(
    v: &Value,
    set: &mut dyn FnMut(Field, &str, &mut Input),
    input: &mut Input,
    clients: &mut Vec<String>,
    time: &mut Option<String>,
    key_openid: &mut Option<String>,
) -> Option<String> {
    let e = extract::extract_json(v);
    for (f, _) in &e.found {
        set(*f, e.input.get(*f), input);
    }
    let jf = json_finds(v);
    clients.extend(jf.clients);
    if time.is_none() {
        *time = jf.time;
    }
    *key_openid = jf.openid;
    jf.appid
}

fn analyze(rec: Record, seq: usize, found: &mut Found) {
    let Some(source) = rec.source.clone() else {
        return;
    };
    let mut clients: Vec<String> = Vec::new();
    let mut input = Input::default();
    let mut notes: Vec<String> = Vec::new();
    let mut set = |f: Field, v: &str, input: &mut Input| {
        input.fill(f, v);
    };
    let mut time = rec.time.clone();
    let mut key_openid: Option<String> = None;

    // Headers: client identity and the Referer appid.
    let mut appid_hint = rec.header("referer").and_then(appid_from_referer);
    for (k, v) in &rec.headers {
        let lk = k.to_ascii_lowercase();
        if lk == "cookie" {
            push_client(&mut clients, "cookie", v);
        } else if lk == "authorization" {
            let token = v.split_once(' ').map_or(v.as_str(), |(_, t)| t);
            push_client(&mut clients, "token", token);
        } else if let Some(kind) = client_kind(k) {
            push_client(&mut clients, kind, v);
        }
    }

    // The request body.
    let mut raw_form: Vec<(String, String)> = Vec::new();
    if let Some(body) = rec.body.as_deref().filter(|b| !b.trim().is_empty()) {
        let t = body.trim();
        let is_json = (t.starts_with('{') || t.starts_with('['))
            && rec
                .body_mime
                .as_deref()
                .is_none_or(|m| !m.contains("x-www-form-urlencoded"));
        match is_json
            .then(|| serde_json::from_str::<Value>(t).ok())
            .flatten()
        {
            Some(v) => {
                absorb_json(
                    &v,
                    &mut set,
                    &mut input,
                    &mut clients,
                    &mut time,
                    &mut key_openid,
                );
            }
            None => {
                let pairs = if t.contains('=') && !t.contains('\n') {
                    form_pairs(t)
                } else {
                    loose_pairs(t)
                };
                raw_form = if t.contains('=') && !t.contains('\n') {
                    t.split('&')
                        .filter_map(|p| p.split_once('='))
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect()
                } else {
                    Vec::new()
                };
                for (k, v) in &pairs {
                    if let Some(f) = field_for_key(k) {
                        set(f, v, &mut input);
                    } else if let Some(kind) = client_kind(k) {
                        if kind == "openid" && key_openid.is_none() {
                            key_openid = Some(v.clone());
                        }
                        push_client(&mut clients, kind, v);
                    }
                }
            }
        }
    } else {
        for (k, v) in &rec.params {
            if let Some(f) = field_for_key(k) {
                set(f, &percent_decode(v), &mut input);
            } else if let Some(kind) = client_kind(k) {
                push_client(&mut clients, kind, v);
            }
        }
    }

    // The query string.
    if let Some(url) = &rec.url
        && let Some((path, q)) = url.split_once('?')
    {
        let code2session = path.to_ascii_lowercase().contains("jscode2session");
        for (k, v) in form_pairs(q.split('#').next().unwrap_or(q)) {
            if let Some(f) = field_for_key(&k) {
                if code2session && f == Field::Appid {
                    if !found.appids.contains(&v) {
                        found.appids.push(v.clone());
                    }
                    appid_hint.get_or_insert(v.clone());
                }
                set(f, &v, &mut input);
            } else if let Some(kind) = client_kind(&k) {
                push_client(&mut clients, kind, &v);
            }
        }
        for (k, v) in q.split('&').filter_map(|p| p.split_once('=')) {
            raw_form.push((k.to_string(), v.to_string()));
        }
    }

    // A log line or a JSON record.
    if let Some(text) = rec.text.as_deref() {
        let t = text.trim();
        let json = (t.starts_with('{') || t.starts_with('['))
            .then(|| serde_json::from_str::<Value>(t).ok())
            .flatten();
        match json {
            Some(v) => {
                let appid = absorb_json(
                    &v,
                    &mut set,
                    &mut input,
                    &mut clients,
                    &mut time,
                    &mut key_openid,
                );
                if let Some(a) = appid {
                    appid_hint.get_or_insert(a);
                }
            }
            None => {
                for (k, v) in loose_pairs(t) {
                    if let Some(f) = field_for_key(&k) {
                        set(f, &v, &mut input);
                    } else if let Some(kind) = client_kind(&k) {
                        if kind == "openid" && key_openid.is_none() {
                            key_openid = Some(v.clone());
                        }
                        push_client(&mut clients, kind, &v);
                    }
                }
                if time.is_none() {
                    time = leading_time(t);
                }
            }
        }
    }

    // The response: keys, openid, tokens (client identities the login hands out).
    let mut response_keys: Vec<(String, Option<String>)> = Vec::new();
    if let Some(resp) = rec.response.as_deref() {
        let t = resp.trim();
        let lower_has_key = {
            let l = t.to_ascii_lowercase();
            l.contains("session_key") || l.contains("sessionkey")
        };
        if lower_has_key {
            match serde_json::from_str::<Value>(t) {
                Ok(v) => {
                    let jf = json_finds(&v);
                    let openid = jf.openid.clone();
                    clients.extend(jf.clients);
                    for (k, o) in jf.keys {
                        response_keys.push((k, o.or_else(|| openid.clone())));
                    }
                }
                Err(_) => {
                    let pairs = loose_pairs(t);
                    let openid = pairs
                        .iter()
                        .find(|(k, _)| client_kind(k) == Some("openid"))
                        .map(|(_, v)| v.clone());
                    for (k, v) in pairs {
                        if field_for_key(&k) == Some(Field::SessionKey) {
                            response_keys.push((v, openid.clone()));
                        } else if let Some(kind) = client_kind(&k) {
                            push_client(&mut clients, kind, &v);
                        }
                    }
                }
            }
        }
    }

    if !input.appid.is_empty() {
        appid_hint.get_or_insert(input.appid.clone());
    }
    let mut dedup = HashSet::new();
    clients.retain(|c| dedup.insert(c.clone()));

    let is_payload = !input.iv.trim().is_empty() && !input.encrypted_data.trim().is_empty();
    // A session key that travels with the request (or a log line) is a key of the capture too.
    if !input.session_key.trim().is_empty() {
        found.keys.push(SeenKey {
            source: source.clone(),
            session_key: input.session_key.clone(),
            openid: key_openid.clone(),
            appid: appid_hint.clone(),
            clients: clients.clone(),
            seq,
        });
    }
    for (k, openid) in response_keys {
        let mut cl = clients.clone();
        if let Some(o) = &openid {
            push_client(&mut cl, "openid", o);
        }
        found.keys.push(SeenKey {
            source: source.clone(),
            session_key: k,
            openid,
            appid: appid_hint.clone(),
            clients: cl,
            seq,
        });
    }
    if is_payload {
        for (k, v) in &raw_form {
            if matches!(
                field_for_key(k),
                Some(Field::EncryptedData | Field::Iv | Field::SessionKey)
            ) && v.contains('+')
            {
                let note = "capture.unencoded_plus".to_string();
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
        let appid = if input.appid.is_empty() {
            appid_hint.clone()
        } else {
            Some(input.appid.clone())
        };
        found.payloads.push(FoundPayload {
            source,
            url: rec.url.as_deref().map(privacy::redact_url),
            method: rec.method,
            time,
            input,
            appid_hint: appid,
            clients,
            notes,
            seq,
        });
    }
}

/// A timestamp at the start of a log line: `2024-01-02 03:04:05.678`, `2024-01-02T03:04:05Z`, ….
fn leading_time(line: &str) -> Option<String> {
    let t = line.trim_start_matches(['[', ' ']);
    let b = t.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if !(digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10))
    {
        return None;
    }
    let mut end = 10;
    if matches!(b.get(10), Some(b' ' | b'T')) && digits(11..13) && b.get(13) == Some(&b':') {
        end = 11;
        while b
            .get(end)
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, b':' | b'.' | b',' | b'Z' | b'+'))
        {
            end += 1;
        }
    }
    t.get(..end).map(str::to_string)
}

// ---------------------------------------------------------------------------------------------
// HAR, streamed.

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarEntry {
    #[serde(rename = "startedDateTime")]
    started: Option<String>,
    request: Option<HarRequest>,
    response: Option<HarResponse>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarRequest {
    method: Option<String>,
    url: Option<String>,
    headers: Vec<HarPair>,
    #[serde(rename = "queryString")]
    query: Vec<HarPair>,
    #[serde(rename = "postData")]
    post: Option<HarPost>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarPair {
    name: String,
    value: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarPost {
    #[serde(rename = "mimeType")]
    mime: Option<String>,
    text: Option<String>,
    params: Vec<HarPair>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarResponse {
    content: Option<HarContent>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarContent {
    text: Option<String>,
    encoding: Option<String>,
}

fn har_record(entry: HarEntry, source: Source) -> Result<Record, String> {
    let Some(req) = entry.request else {
        return Err("entry has no request".into());
    };
    let mut url = req.url.filter(|u| !u.is_empty());
    // Some exporters leave the query out of `url` and list it in `queryString` only.
    if let Some(u) = &mut url
        && !u.contains('?')
        && !req.query.is_empty()
    {
        let q: Vec<String> = req
            .query
            .iter()
            .map(|p| format!("{}={}", p.name, p.value.as_deref().unwrap_or("")))
            .collect();
        u.push('?');
        u.push_str(&q.join("&"));
    }
    let response = entry.response.and_then(|r| r.content).and_then(|c| {
        let text = c.text?;
        if c.encoding.as_deref() == Some("base64") {
            let compact: String = text.split_whitespace().collect();
            base64::engine::general_purpose::STANDARD
                .decode(compact)
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
        } else {
            Some(text)
        }
    });
    let (body, body_mime, params) = match req.post {
        Some(p) => (
            p.text,
            p.mime,
            p.params
                .into_iter()
                .map(|x| (x.name, x.value.unwrap_or_default()))
                .collect(),
        ),
        None => (None, None, Vec::new()),
    };
    Ok(Record {
        source: Some(source),
        url,
        method: req.method,
        time: entry.started,
        headers: req
            .headers
            .into_iter()
            .map(|h| (h.name, h.value.unwrap_or_default()))
            .collect(),
        body,
        body_mime,
        params,
        response,
        text: None,
    })
}

/// Visits a JSON object and hands the value under `key` to `inner`, skipping everything else
/// (how the HAR reader walks down to `log.entries` without holding the document).
struct OneKey<S> {
    key: &'static str,
    what: &'static str,
    inner: S,
}

impl<'de, S: DeserializeSeed<'de, Value = ()>> DeserializeSeed<'de> for OneKey<S> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de, Value = ()>> Visitor<'de> for OneKey<S> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.what)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut inner = Some(self.inner);
        while let Some(key) = map.next_key::<String>()? {
            match inner.take() {
                Some(seed) if key == self.key => map.next_value_seed(seed)?,
                other => {
                    inner = other;
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct HarEntries<'a> {
    c: &'a mut Collector,
}

impl<'de> DeserializeSeed<'de> for HarEntries<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for HarEntries<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the HAR entries array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        // One entry at a time: only the current entry is held as a JSON value.
        while let Some(v) = seq.next_element::<Value>()? {
            let source = self.c.entry(i);
            match HarEntry::deserialize(v).map_err(|e| e.to_string()) {
                Ok(entry) => match har_record(entry, source.clone()) {
                    Ok(rec) => self.c.add(rec),
                    Err(reason) => self.c.malformed(source, reason),
                },
                Err(reason) => self.c.malformed(source, reason),
            }
            i += 1;
        }
        Ok(())
    }
}

fn read_har(r: &mut impl BufRead, c: &mut Collector) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_reader(r);
    OneKey {
        key: "log",
        what: "a HAR object",
        inner: OneKey {
            key: "entries",
            what: "the HAR log object",
            inner: HarEntries { c },
        },
    }
    .deserialize(&mut de)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Burp Suite XML.

fn read_burp(r: &mut impl BufRead, c: &mut Collector) -> std::io::Result<()> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(r);
    let mut buf = Vec::new();
    let mut index = 0usize;
    let mut in_item = false;
    let mut field: Option<String> = None;
    let mut b64 = false;
    let mut text = String::new();
    let mut item: Vec<(String, String)> = Vec::new();
    loop {
        let ev = match reader.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(quick_xml::Error::Io(e)) => {
                return Err(std::io::Error::new(e.kind(), e.to_string()));
            }
            Err(e) => {
                c.found.truncated = Some(format!(
                    "XML error at byte {}: {e}",
                    reader.buffer_position()
                ));
                break;
            }
        };
        match ev {
            Event::Start(s) => {
                let name = String::from_utf8_lossy(s.local_name().as_ref()).into_owned();
                if name == "item" {
                    in_item = true;
                    item.clear();
                } else if in_item {
                    b64 = s
                        .try_get_attribute("base64")
                        .ok()
                        .flatten()
                        .is_some_and(|a| a.value.as_ref() == b"true");
                    field = Some(name);
                    text.clear();
                }
            }
            Event::Text(t) if field.is_some() => {
                text.push_str(&t.decode().unwrap_or_default());
            }
            Event::CData(t) if field.is_some() => {
                text.push_str(&String::from_utf8_lossy(&t.into_inner()));
            }
            Event::GeneralRef(r) if field.is_some() => {
                let ch = match r.resolve_char_ref() {
                    Ok(Some(ch)) => Some(ch),
                    _ => match r.decode().unwrap_or_default().as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(ch) = ch {
                    text.push(ch);
                }
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name == "item" {
                    in_item = false;
                    let source = c.entry(index);
                    match burp_record(&item, source.clone()) {
                        Ok(rec) => c.add(rec),
                        Err(reason) => c.malformed(source, reason),
                    }
                    index += 1;
                } else if field.as_deref() == Some(name.as_str()) {
                    let value = if b64 {
                        let compact: String = text.split_whitespace().collect();
                        match base64::engine::general_purpose::STANDARD.decode(compact) {
                            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                            Err(_) => format!("\u{0}bad base64 in <{name}>"),
                        }
                    } else {
                        std::mem::take(&mut text)
                    };
                    item.push((name, value));
                    field = None;
                    text.clear();
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

fn burp_record(item: &[(String, String)], source: Source) -> Result<Record, String> {
    let get = |k: &str| item.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let request = get("request").unwrap_or("");
    if let Some(bad) = request.strip_prefix('\u{0}') {
        return Err(bad.to_string());
    }
    if request.trim().is_empty() {
        return Err("item has no request".into());
    }
    let req = parse_http_message(request);
    let response = get("response")
        .filter(|r| !r.starts_with('\u{0}'))
        .map(|r| parse_http_message(r).body);
    let url = get("url")
        .map(str::to_string)
        .filter(|u| !u.is_empty())
        .or_else(|| req.url());
    Ok(Record {
        source: Some(source),
        url,
        method: get("method").map(str::to_string).or(req.method.clone()),
        time: get("time").map(str::to_string),
        body_mime: req.header("content-type").map(str::to_string),
        headers: req.headers,
        body: Some(req.body),
        params: Vec::new(),
        response,
        text: None,
    })
}

/// A parsed HTTP/1.x message (request or response).
#[derive(Debug, Default)]
struct HttpMessage {
    method: Option<String>,
    target: Option<String>,
    headers: Vec<(String, String)>,
    body: String,
    /// What follows the body (a response after a request), when Content-Length bounds it.
    rest: Option<String>,
}

impl HttpMessage {
    fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    fn url(&self) -> Option<String> {
        let target = self.target.as_deref()?;
        if target.starts_with("http://") || target.starts_with("https://") {
            return Some(target.to_string());
        }
        let host = self.header("host")?;
        Some(format!("https://{host}{target}"))
    }
}

fn parse_http_message(text: &str) -> HttpMessage {
    let (head, body) = match text.find("\r\n\r\n") {
        Some(i) => (&text[..i], &text[i + 4..]),
        None => match text.find("\n\n") {
            Some(i) => (&text[..i], &text[i + 2..]),
            None => (text, ""),
        },
    };
    let mut lines = head.lines();
    let first = lines.next().unwrap_or("").trim();
    let mut m = HttpMessage::default();
    if is_request_line(first) {
        let mut parts = first.split(' ');
        m.method = parts.next().map(str::to_string);
        m.target = parts.next().map(str::to_string);
    }
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            m.headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let chunked = m
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        m.body = dechunk(body);
    } else if let Some(len) = m
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok())
        && len < body.len()
        && body.is_char_boundary(len)
    {
        m.body = body[..len].to_string();
        m.rest = Some(body[len..].to_string());
    } else {
        m.body = body.to_string();
    }
    m
}

/// Undoes `Transfer-Encoding: chunked` (best effort; stops at the first malformed chunk).
fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    for _ in 0..100_000 {
        let Some((size_line, after)) = rest.split_once('\n') else {
            break;
        };
        let size_hex = size_line.trim().split(';').next().unwrap_or("");
        let Ok(size) = usize::from_str_radix(size_hex, 16) else {
            break;
        };
        if size == 0 {
            break;
        }
        let Some(chunk) = after.get(..size) else {
            out.push_str(after);
            break;
        };
        out.push_str(chunk);
        rest = after
            .get(size..)
            .unwrap_or("")
            .trim_start_matches(['\r', '\n']);
    }
    out
}

fn read_raw_http(text: &str, c: &mut Collector) {
    let mut rest = text.trim_start_matches('\u{feff}').trim_start().to_string();
    let mut index = 0;
    // One request, or several one after another (each bounded by Content-Length).
    while !rest.trim().is_empty() && index < 100_000 {
        let first = rest.lines().next().unwrap_or("").trim().to_string();
        if !is_request_line(&first) {
            if index == 0 {
                c.malformed(c.entry(index), "not an HTTP request");
            }
            break;
        }
        let msg = parse_http_message(&rest);
        let mut response = None;
        let mut next = msg.rest.clone().unwrap_or_default();
        if next.trim_start().starts_with("HTTP/") {
            let r = parse_http_message(next.trim_start());
            response = Some(r.body.clone());
            next = r.rest.unwrap_or_default();
        }
        let source = c.entry(index);
        c.add(Record {
            source: Some(source),
            url: msg.url(),
            method: msg.method.clone(),
            time: None,
            body_mime: msg.header("content-type").map(str::to_string),
            headers: msg.headers,
            body: Some(msg.body),
            params: Vec::new(),
            response,
            text: None,
        });
        index += 1;
        rest = next.trim_start().to_string();
    }
}

// ---------------------------------------------------------------------------------------------
// curl.

#[derive(Debug, PartialEq)]
enum Tok {
    Word(String),
    Sep,
}

/// Splits shell text into words: '…', "…", $'…', backslash escapes and line continuations; an
/// unquoted newline, `;`, `&&` or `|` ends a command.
fn shell_words(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut cur = String::new();
    let mut in_word = false;
    let at = |i: usize| chars.get(i).copied();
    while let Some(ch) = at(i) {
        match ch {
            ' ' | '\t' | '\r' => {
                if in_word {
                    out.push(Tok::Word(std::mem::take(&mut cur)));
                    in_word = false;
                }
                i += 1;
            }
            '\n' | ';' | '|' | '&' => {
                if in_word {
                    out.push(Tok::Word(std::mem::take(&mut cur)));
                    in_word = false;
                }
                if out.last() != Some(&Tok::Sep) {
                    out.push(Tok::Sep);
                }
                i += 1;
            }
            '\\' => {
                match at(i + 1) {
                    Some('\n') => {}
                    Some('\r') if at(i + 2) == Some('\n') => i += 1,
                    Some(c) => {
                        cur.push(c);
                        in_word = true;
                    }
                    None => {}
                }
                i += 2;
            }
            '\'' => {
                in_word = true;
                i += 1;
                while let Some(c) = at(i) {
                    i += 1;
                    if c == '\'' {
                        break;
                    }
                    cur.push(c);
                }
            }
            '"' => {
                in_word = true;
                i += 1;
                while let Some(c) = at(i) {
                    i += 1;
                    match c {
                        '"' => break,
                        '\\' if matches!(at(i), Some('"' | '\\' | '$' | '`')) => {
                            if let Some(n) = at(i) {
                                cur.push(n);
                            }
                            i += 1;
                        }
                        '\\' if at(i) == Some('\n') => i += 1,
                        _ => cur.push(c),
                    }
                }
            }
            '$' if at(i + 1) == Some('\'') => {
                in_word = true;
                i += 2;
                while let Some(c) = at(i) {
                    i += 1;
                    match c {
                        '\'' => break,
                        '\\' => {
                            let e = at(i);
                            i += 1;
                            match e {
                                Some('n') => cur.push('\n'),
                                Some('r') => cur.push('\r'),
                                Some('t') => cur.push('\t'),
                                Some('x') => {
                                    let hex: String = chars
                                        .get(i..(i + 2).min(chars.len()))
                                        .map(|s| s.iter().collect())
                                        .unwrap_or_default();
                                    if let Ok(v) = u8::from_str_radix(&hex, 16) {
                                        cur.push(v as char);
                                        i += 2;
                                    }
                                }
                                Some('u') => {
                                    let hex: String = chars
                                        .get(i..(i + 4).min(chars.len()))
                                        .map(|s| s.iter().collect())
                                        .unwrap_or_default();
                                    if let Some(ch) =
                                        u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                                    {
                                        cur.push(ch);
                                        i += 4;
                                    }
                                }
                                Some(o) => cur.push(o),
                                None => {}
                            }
                        }
                        _ => cur.push(c),
                    }
                }
            }
            _ => {
                cur.push(ch);
                in_word = true;
                i += 1;
            }
        }
    }
    if in_word {
        out.push(Tok::Word(cur));
    }
    out
}

/// curl options that take a value (the ones that matter, and the common others to skip).
fn curl_takes_value(opt: &str) -> bool {
    matches!(
        opt,
        "-H" | "--header"
            | "-d"
            | "--data"
            | "--data-raw"
            | "--data-binary"
            | "--data-ascii"
            | "--data-urlencode"
            | "-X"
            | "--request"
            | "-b"
            | "--cookie"
            | "-e"
            | "--referer"
            | "-A"
            | "--user-agent"
            | "-u"
            | "--user"
            | "-o"
            | "--output"
            | "-x"
            | "--proxy"
            | "-m"
            | "--max-time"
            | "--connect-timeout"
            | "-w"
            | "--write-out"
            | "--url"
            | "-F"
            | "--form"
            | "--cacert"
            | "--cert"
            | "--key"
            | "-T"
            | "--upload-file"
            | "--resolve"
            | "--retry"
    )
}

fn read_curl(text: &str, c: &mut Collector) {
    let toks = shell_words(text);
    let mut commands: Vec<Vec<String>> = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    for t in toks {
        match t {
            Tok::Sep => {
                if !cur.is_empty() {
                    commands.push(std::mem::take(&mut cur));
                }
            }
            Tok::Word(w) => {
                // Continuation: a newline inside a curl command is only a separator if the next
                // word starts a new command (an option means the command goes on).
                if cur.is_empty()
                    && w.starts_with('-')
                    && let Some(last) = commands.pop()
                {
                    cur = last;
                }
                cur.push(w);
            }
        }
    }
    if !cur.is_empty() {
        commands.push(cur);
    }
    let mut index = 0;
    for words in commands {
        let Some(pos) = words
            .iter()
            .position(|w| w == "curl" || w.ends_with("/curl") || w == "curl.exe")
        else {
            continue;
        };
        let source = c.entry(index);
        index += 1;
        let args = words.get(pos + 1..).unwrap_or(&[]);
        let mut url = None;
        let mut method = None;
        let mut headers = Vec::new();
        let mut data: Vec<String> = Vec::new();
        let mut get = false;
        let mut i = 0;
        while let Some(a) = args.get(i) {
            let (opt, inline) = match a.split_once('=') {
                Some((o, v)) if o.starts_with("--") => (o, Some(v.to_string())),
                _ => (a.as_str(), None),
            };
            if opt.starts_with('-') && opt.len() > 1 && curl_takes_value(opt) {
                let val = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        args.get(i).cloned().unwrap_or_default()
                    }
                };
                match opt {
                    "-H" | "--header" => {
                        if let Some((k, v)) = val.split_once(':') {
                            headers.push((k.trim().to_string(), v.trim().to_string()));
                        }
                    }
                    "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-ascii"
                    | "--data-urlencode" | "-F" | "--form" => data.push(val),
                    "-X" | "--request" => method = Some(val),
                    "-b" | "--cookie" => headers.push(("Cookie".into(), val)),
                    "-e" | "--referer" => headers.push(("Referer".into(), val)),
                    "--url" => url = Some(val),
                    _ => {}
                }
            } else if opt == "-G" || opt == "--get" {
                get = true;
            } else if !a.starts_with('-') && url.is_none() {
                url = Some(a.clone());
            }
            i += 1;
        }
        let mut body = (!data.is_empty()).then(|| data.join("&"));
        if get && let (Some(u), Some(b)) = (&mut url, body.take()) {
            u.push(if u.contains('?') { '&' } else { '?' });
            u.push_str(&b);
        }
        let method = method.or_else(|| Some(if body.is_some() { "POST" } else { "GET" }.into()));
        let mime = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.clone());
        c.add(Record {
            source: Some(source),
            url,
            method,
            time: None,
            headers,
            body,
            body_mime: mime,
            params: Vec::new(),
            response: None,
            text: None,
        });
    }
    if index == 0 {
        c.malformed(c.entry(0), "no curl command found");
    }
}

// ---------------------------------------------------------------------------------------------
// Logs, JSON Lines and single JSON documents.

const MAX_LINE: usize = 16 << 20;

fn read_lines(r: &mut impl BufRead, c: &mut Collector) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut n = 0usize;
    loop {
        buf.clear();
        let read = r
            .by_ref()
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut buf)?;
        if read == 0 {
            break;
        }
        n += 1;
        if buf.len() >= MAX_LINE && buf.last() != Some(&b'\n') {
            // Skip the rest of an over-long line.
            let mut sink = Vec::new();
            r.read_until(b'\n', &mut sink)?;
            c.malformed(c.line(n), "line longer than 16 MiB");
            continue;
        }
        let line = String::from_utf8_lossy(&buf);
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t.starts_with('{') && serde_json::from_str::<Value>(t).is_err() && t.ends_with('}') {
            c.malformed(c.line(n), "invalid JSON line");
            continue;
        }
        let source = c.line(n);
        c.add(Record {
            source: Some(source),
            text: Some(t.to_string()),
            ..Record::default()
        });
    }
    Ok(())
}

fn read_json_doc(text: &str, c: &mut Collector) {
    match serde_json::from_str::<Value>(text.trim().trim_start_matches('\u{feff}')) {
        Ok(Value::Array(items)) => {
            for (i, it) in items.into_iter().enumerate() {
                let source = c.entry(i);
                c.add(Record {
                    source: Some(source),
                    text: Some(it.to_string()),
                    ..Record::default()
                });
            }
        }
        Ok(v) => {
            let source = c.entry(0);
            c.add(Record {
                source: Some(source),
                text: Some(v.to_string()),
                ..Record::default()
            });
        }
        Err(_) => {
            // Not one JSON document after all: read it as lines.
            let mut r = std::io::Cursor::new(text.as_bytes());
            let _ = read_lines(&mut r, c);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pairing and inspection.

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
            scan.truncated.push((f.file.clone(), t));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats() {
        assert_eq!(detect("{\n  \"log\": {"), Format::Har);
        assert_eq!(
            detect("<?xml version=\"1.0\"?>\n<items burpVersion=\"2\">"),
            Format::BurpXml
        );
        assert_eq!(detect("curl 'https://x' -H 'a: b'"), Format::Curl);
        assert_eq!(detect("POST /a HTTP/1.1\r\nHost: x\r\n"), Format::RawHttp);
        assert_eq!(detect("2024-01-01 iv=abc"), Format::Log);
        assert_eq!(detect("{\"iv\":\"a\"}\n{\"iv\":\"b\"}"), Format::Log);
        assert_eq!(detect("{\n \"iv\": \"a\"\n}"), Format::Json);
    }

    #[test]
    fn shell_words_quotes() {
        let t = shell_words("curl 'a b' \"c\\\"d\" $'e\\nf' g\\\n h; x");
        let words: Vec<_> = t
            .iter()
            .map(|t| match t {
                Tok::Word(w) => w.as_str(),
                Tok::Sep => "<sep>",
            })
            .collect();
        assert_eq!(
            words,
            ["curl", "a b", "c\"d", "e\nf", "g", "h", "<sep>", "x"]
        );
    }

    #[test]
    fn referer_and_redaction() {
        assert_eq!(
            appid_from_referer("https://servicewechat.com/wx0123456789abcdef/3/page-frame.html")
                .as_deref(),
            Some("wx0123456789abcdef")
        );
        assert_eq!(
            leading_time("2024-01-02 03:04:05.678 INFO x").as_deref(),
            Some("2024-01-02 03:04:05.678")
        );
    }

    #[test]
    fn chunked_bodies() {
        assert_eq!(dechunk("4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n"), "Wikipedia");
    }
}
