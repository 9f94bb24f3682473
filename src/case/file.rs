//! Case files on disk: reading within the limits (size, regular files only), the pretty JSON
//! written atomically with mode 0600, safe file names, and finding case files in folders.

use std::path::{Path, PathBuf};

use super::{Case, FORMAT, MAX_CASE_BYTES, MAX_DEPTH, SUFFIX};
use crate::i18n::Lang;

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

/// Saves a case in `folder` under a file name made from `name`, never over a file: `name (2)`,
/// `name (3)`… when taken. The name is claimed by creating the file (so two writers at once
/// never pick the same one), then written atomically. Returns the path written.
pub fn save_new(folder: &Path, name: &str, case: &Case) -> std::io::Result<PathBuf> {
    let candidates = std::iter::once(name.to_string())
        .chain((2..10_000).map(|n| format!("{name} ({n})")))
        .chain(std::iter::once(format!(
            "{name} {}",
            chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
        )));
    for candidate in candidates {
        let path = folder.join(file_name_for(&candidate));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(_) => {
                return match save_case(&path, case) {
                    Ok(()) => Ok(path),
                    Err(e) => {
                        let _ = std::fs::remove_file(&path);
                        Err(e)
                    }
                };
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::ErrorKind::AlreadyExists.into())
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

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
    fn file_names_are_safe() {
        assert_eq!(file_name_for("a/b: c"), "a-b- c.wxcase.json");
        assert_eq!(file_name_for(" .. "), "case.wxcase.json");
        assert_eq!(file_name_for("手机号"), "手机号.wxcase.json");
    }
}
