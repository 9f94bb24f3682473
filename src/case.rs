//! Saved test cases (`NAME.wxcase.json`): format, atomic 0600 writes, discovery and checking.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::i18n::Lang;
use crate::opendata::interpret::Kind;
use crate::opendata::{Input, Options, Report, inspect};

/// The file name suffix of case files.
pub const SUFFIX: &str = ".wxcase.json";
/// The format version this build writes and reads.
pub const FORMAT: u32 = 1;
/// The largest case file read (a case holds four strings; 16 MiB leaves room for a 10 MB
/// encryptedData).
pub const MAX_CASE_BYTES: u64 = 16 << 20;
/// How deep folders are searched for case files.
pub const MAX_DEPTH: usize = 32;
use crate::privacy::{REDACTED_PREFIX, redacted};

fn is_false(b: &bool) -> bool {
    !*b
}

/// The four input strings of a case, plus any fields a newer tool added.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseInput {
    #[serde(default)]
    pub appid: String,
    #[serde(default)]
    pub session_key: String,
    #[serde(default)]
    pub iv: String,
    #[serde(default)]
    pub encrypted_data: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CaseInput {
    pub fn to_input(&self) -> Input {
        Input::new(
            &self.appid,
            &self.session_key,
            &self.iv,
            &self.encrypted_data,
        )
    }

    pub fn from_input(i: &Input) -> CaseInput {
        CaseInput {
            appid: i.appid.clone(),
            session_key: i.session_key.clone(),
            iv: i.iv.clone(),
            encrypted_data: i.encrypted_data.clone(),
            extra: Map::new(),
        }
    }
}

/// What a fresh inspection must give for the case to pass.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Expect {
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One saved test case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub wxdecrypt_case: u32,
    pub name: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub created: String,
    pub input: CaseInput,
    pub expect: Expect,
    /// Fields this version does not know, kept on re-save.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
    /// Set by the writer when the expectation was redacted; informational.
    #[serde(default, skip_serializing_if = "is_false", rename = "redacted")]
    pub redacted: bool,
}

impl Case {
    /// A case recording `report` as the expectation for `input`.
    pub fn from_report(name: &str, notes: &str, input: &Input, report: &Report, now: i64) -> Case {
        Case {
            wxdecrypt_case: FORMAT,
            name: name.to_string(),
            notes: notes.to_string(),
            created: rfc3339_local(now),
            input: CaseInput::from_input(input),
            expect: Expect::from_report(report),
            extra: Map::new(),
            redacted: false,
        }
    }

    /// Keeps what a new save must not lose from the case it replaces: its creation time, every
    /// field this version does not know (at the top, in `input` and in `expect`), and its
    /// expectation as written (a chosen subset of codes, redacted data) when `report` still meets
    /// it.
    pub fn keep_from(&mut self, old: &Case, report: &Report) {
        self.extra = old.extra.clone();
        self.input.extra = old.input.extra.clone();
        self.expect.extra = old.expect.extra.clone();
        if !old.created.is_empty() {
            self.created = old.created.clone();
        }
        if compare(&old.expect, report, Lang::En).is_empty() {
            self.expect = old.expect.clone();
            self.redacted = old.redacted;
        }
    }

    /// Replaces phone numbers in the expected data with hash-checked placeholders.
    pub fn redact(&mut self) {
        if let Some(Value::Object(obj)) = &mut self.expect.data {
            for key in ["phoneNumber", "purePhoneNumber"] {
                if let Some(Value::String(s)) = obj.get_mut(key)
                    && !s.starts_with(REDACTED_PREFIX)
                {
                    *s = redacted(s);
                    self.redacted = true;
                }
            }
        }
    }
}

impl Expect {
    /// The expectation a report meets: kind and data when ok, the error codes when not.
    pub fn from_report(report: &Report) -> Expect {
        if report.ok {
            Expect {
                ok: true,
                kind: report.kind,
                data: report.data.clone(),
                codes: Vec::new(),
                extra: Map::new(),
            }
        } else {
            let mut codes: Vec<String> = Vec::new();
            for f in &report.findings {
                if f.severity == crate::Severity::Error
                    && !codes.iter().any(|c| c == f.code.as_str())
                {
                    codes.push(f.code.as_str().to_string());
                }
            }
            Expect {
                ok: false,
                kind: None,
                data: None,
                codes,
                extra: Map::new(),
            }
        }
    }
}

fn rfc3339_local(now: i64) -> String {
    chrono::DateTime::from_timestamp(now, 0)
        .map(|utc| {
            utc.with_timezone(&chrono::Local)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
        })
        .unwrap_or_default()
}

/// Why a case file could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseError {
    /// The file or folder could not be read (`msg`: the system's reason).
    Io { path: PathBuf, msg: String },
    /// Not a case file: the JSON error and where it is.
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        msg: String,
    },
    /// Written by a newer wxdecrypt.
    Version { path: PathBuf, version: u32 },
    /// A FIFO, a device or anything else that is not a regular file (never opened: reading a FIFO
    /// would wait forever).
    NotAFile { path: PathBuf },
    /// Larger than [`MAX_CASE_BYTES`].
    TooLarge { path: PathBuf },
    /// A folder deeper than [`MAX_DEPTH`] below the folder given: not searched.
    TooDeep { path: PathBuf },
}

impl CaseError {
    /// The message in `lang`, naming the file (and the line and column for syntax errors).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            CaseError::Io { path, msg } => lang.fmt(
                "case.error.io",
                &[("path", &path.display().to_string()), ("error", msg)],
            ),
            CaseError::Parse {
                path,
                line,
                column,
                msg,
            } => lang.fmt(
                "case.error.parse",
                &[
                    ("path", &path.display().to_string()),
                    ("line", &line.to_string()),
                    ("column", &column.to_string()),
                    ("error", msg),
                ],
            ),
            CaseError::NotAFile { path } => lang.fmt(
                "case.error.not_a_file",
                &[("path", &path.display().to_string())],
            ),
            CaseError::TooLarge { path } => lang.fmt(
                "case.error.too_large",
                &[
                    ("path", &path.display().to_string()),
                    ("max", &(MAX_CASE_BYTES >> 20).to_string()),
                ],
            ),
            CaseError::TooDeep { path } => lang.fmt(
                "case.error.too_deep",
                &[
                    ("path", &path.display().to_string()),
                    ("max", &MAX_DEPTH.to_string()),
                ],
            ),
            CaseError::Version { path, version } => lang.fmt(
                "case.error.version",
                &[
                    ("path", &path.display().to_string()),
                    ("version", &version.to_string()),
                    ("supported", &FORMAT.to_string()),
                ],
            ),
        }
    }
}

impl std::fmt::Display for CaseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for CaseError {}

/// Parses case JSON; `path` is only used in messages.
pub fn parse_case(text: &str, path: &Path) -> Result<Case, CaseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let case: Case = serde_json::from_str(text).map_err(|e| CaseError::Parse {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        msg: crate::privacy::scrub_quoted(&e.to_string()),
    })?;
    if case.wxdecrypt_case > FORMAT || case.wxdecrypt_case == 0 {
        return Err(CaseError::Version {
            path: path.to_path_buf(),
            version: case.wxdecrypt_case,
        });
    }
    Ok(case)
}

/// Reads a case file: a regular file of at most [`MAX_CASE_BYTES`].
pub fn load_case(path: &Path) -> Result<Case, CaseError> {
    let text = read_limited(path)?;
    parse_case(&text, path)
}

/// The text of a regular file of at most [`MAX_CASE_BYTES`]; FIFOs and devices are refused
/// before they are opened.
fn read_limited(path: &Path) -> Result<String, CaseError> {
    use std::io::Read as _;
    let io = |e: std::io::Error| CaseError::Io {
        path: path.to_path_buf(),
        msg: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(CaseError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    if meta.len() > MAX_CASE_BYTES {
        return Err(CaseError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_CASE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(io)?;
    // The file may have grown since its size was read.
    if bytes.len() as u64 > MAX_CASE_BYTES {
        return Err(CaseError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    String::from_utf8(bytes).map_err(|e| CaseError::Parse {
        path: path.to_path_buf(),
        line: 1,
        column: e.utf8_error().valid_up_to() + 1,
        msg: e.utf8_error().to_string(),
    })
}

/// The pretty JSON text of a case (two-space indent, stable key order, final newline).
pub fn case_json(case: &Case) -> String {
    let mut s = serde_json::to_string_pretty(case).unwrap_or_default();
    s.push('\n');
    s
}

/// Saves a case atomically with mode 0600.
pub fn save_case(path: &Path, case: &Case) -> std::io::Result<()> {
    crate::atomic::write(path, case_json(case).as_bytes())
}

/// A file name for a case name: path separators and reserved characters replaced.
pub fn file_name_for(name: &str) -> String {
    let mut s: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '-'
            } else {
                c
            }
        })
        .collect();
    s = s
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    if s.is_empty() {
        s = "case".into();
    }
    format!("{s}{SUFFIX}")
}

/// Case files under `paths`: files as given, folders searched recursively for `*.wxcase.json`,
/// sorted by path. Unreadable folders are returned as errors beside the files.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<CaseError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut files, &mut errors, 0);
        } else {
            files.push(p.clone());
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<CaseError>, depth: usize) {
    if depth > MAX_DEPTH {
        errors.push(CaseError::TooDeep {
            path: dir.to_path_buf(),
        });
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(CaseError::Io {
                path: dir.to_path_buf(),
                msg: e.to_string(),
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            walk(&path, files, errors, depth + 1);
        } else if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(SUFFIX))
        {
            files.push(path);
        }
    }
}

/// The result of re-running one case.
#[derive(Debug, Clone)]
pub struct CheckResult {
    pub passed: bool,
    /// What differs, one line each (in the requested language).
    pub diffs: Vec<String>,
    pub report: Report,
}

/// Re-inspects a case and compares with its expectation.
pub fn check_case(case: &Case, opts: &Options) -> CheckResult {
    let report = inspect(&case.input.to_input(), opts);
    let diffs = compare(&case.expect, &report, opts.lang);
    CheckResult {
        passed: diffs.is_empty(),
        diffs,
        report,
    }
}

/// Differences between an expectation and a report (empty: the case passes).
pub fn compare(expect: &Expect, report: &Report, lang: Lang) -> Vec<String> {
    let mut diffs = Vec::new();
    if expect.ok != report.ok {
        let got = report
            .primary()
            .map(|f| f.code.as_str().to_string())
            .unwrap_or_default();
        diffs.push(lang.fmt(
            "check.diff.ok",
            &[
                ("expected", &expect.ok.to_string()),
                ("got", &report.ok.to_string()),
                ("cause", &got),
            ],
        ));
    }
    if let Some(kind) = expect.kind
        && report.kind != Some(kind)
    {
        diffs.push(lang.fmt(
            "check.diff.kind",
            &[
                ("expected", kind.as_str()),
                ("got", report.kind.map(Kind::as_str).unwrap_or("-")),
            ],
        ));
    }
    if let Some(want) = &expect.data {
        match &report.data {
            Some(got) => {
                if let Some((path, w, g)) = first_difference(want, got, "$") {
                    diffs.push(lang.fmt(
                        "check.diff.data",
                        &[("path", &path), ("expected", &w), ("got", &g)],
                    ));
                }
            }
            None => diffs.push(lang.fmt("check.diff.no_data", &[])),
        }
    }
    for code in &expect.codes {
        if !report.findings.iter().any(|f| f.code.as_str() == code) {
            diffs.push(lang.fmt(
                "check.diff.code",
                &[("code", code), ("got", &report.codes().join(", "))],
            ));
        }
    }
    diffs
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// The first place where `got` differs from `want` (a JSON path and both values). A redacted
/// string in `want` matches a value with the same hash.
pub fn first_difference(want: &Value, got: &Value, path: &str) -> Option<(String, String, String)> {
    match (want, got) {
        (Value::String(w), Value::String(g)) if w.starts_with(REDACTED_PREFIX) => {
            (redacted(g) != *w).then(|| (path.to_string(), w.clone(), "(hash differs)".into()))
        }
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let p = format!("{path}.{k}");
                match g.get(k) {
                    Some(gv) => {
                        if let Some(d) = first_difference(wv, gv, &p) {
                            return Some(d);
                        }
                    }
                    None => return Some((p, short(wv), "(missing)".into())),
                }
            }
            g.keys()
                .find(|k| !w.contains_key(*k))
                .map(|k| (format!("{path}.{k}"), "(absent)".into(), short(&g[k])))
        }
        (Value::Array(w), Value::Array(g)) => {
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                if let Some(d) = first_difference(wv, gv, &format!("{path}[{i}]")) {
                    return Some(d);
                }
            }
            (w.len() != g.len()).then(|| {
                (
                    format!("{path}.length"),
                    w.len().to_string(),
                    g.len().to_string(),
                )
            })
        }
        _ => (want != got).then(|| (path.to_string(), short(want), short(got))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let text = r#"{"wxdecrypt_case":1,"name":"n","input":{"iv":"x","future":1},
            "expect":{"ok":false,"codes":["key.mismatch"],"why":"z"},"tags":["a"]}"#;
        let case = parse_case(text, Path::new("t")).unwrap();
        let again: Value = serde_json::from_str(&case_json(&case)).unwrap();
        assert_eq!(again["tags"][0], "a");
        assert_eq!(again["input"]["future"], 1);
        assert_eq!(again["expect"]["why"], "z");
    }

    #[test]
    fn parse_error_has_line_and_column() {
        let err = parse_case("{\n  \"name\": ,\n}", Path::new("bad.wxcase.json")).unwrap_err();
        assert!(matches!(err, CaseError::Parse { line: 2, .. }), "{err}");
        assert!(err.to_string().starts_with("bad.wxcase.json:2:"));
    }

    #[test]
    fn redacted_values_match_by_hash() {
        let want = serde_json::json!({"phoneNumber": redacted("13800000000")});
        let same = serde_json::json!({"phoneNumber": "13800000000"});
        let other = serde_json::json!({"phoneNumber": "13800000001"});
        assert!(first_difference(&want, &same, "$").is_none());
        assert!(first_difference(&want, &other, "$").is_some());
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_name_for("a/b: c"), "a-b- c.wxcase.json");
        assert_eq!(file_name_for(" .. "), "case.wxcase.json");
        assert_eq!(file_name_for("手机号"), "手机号.wxcase.json");
    }
}
