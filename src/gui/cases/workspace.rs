//! The Cases panel's state without drawing: the workspace folder, its case files, run-all results
//! and the file operations (save, rename, duplicate, delete). Everything here is testable without egui.

use std::path::{Path, PathBuf};

use crate::case::{self, Case, CaseError};
use crate::i18n::Lang;
use crate::opendata::Options;

/// The outcome of re-running one case.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub passed: bool,
    /// What differs from the expectation (empty when passed).
    pub diffs: Vec<String>,
}

/// One case file of the workspace.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: PathBuf,
    /// The parsed case, or why it could not be read (path, line:column).
    pub case: Result<Case, CaseError>,
    /// The last run-all result; `None` until run.
    pub outcome: Option<Outcome>,
}

impl Entry {
    fn load(path: PathBuf) -> Entry {
        let case = case::load_case(&path);
        Entry {
            path,
            case,
            outcome: None,
        }
    }

    /// The case name, or the file name when the file cannot be read or has no name.
    pub fn display_name(&self) -> String {
        match &self.case {
            Ok(c) if !c.name.trim().is_empty() => c.name.clone(),
            _ => self
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        }
    }
}

/// Counts of the last run, as the CLI prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
    /// Unreadable or malformed files (and unreadable folders).
    pub skipped: usize,
}

impl Summary {
    /// `N passed, N failed` plus `, N skipped` when something was skipped — the CLI's line.
    pub fn text(&self, lang: Lang) -> String {
        let (p, f, s) = (
            self.passed.to_string(),
            self.failed.to_string(),
            self.skipped.to_string(),
        );
        if self.skipped > 0 {
            lang.fmt(
                "cli.check.summary_skipped",
                &[("passed", &p), ("failed", &f), ("skipped", &s)],
            )
        } else {
            lang.fmt("cli.check.summary", &[("passed", &p), ("failed", &f)])
        }
    }
}

/// Why a file operation failed. Shown to the user; nothing is lost on any of these.
#[derive(Debug, Clone, PartialEq)]
pub enum OpError {
    /// Reading, writing or removing failed.
    Io { path: PathBuf, error: String },
    /// The target exists and would be overwritten.
    Exists(PathBuf),
    /// The case file cannot be parsed, so it cannot be renamed or duplicated.
    Unreadable(CaseError),
    /// No workspace folder to save into.
    NoFolder,
    /// An empty name.
    EmptyName,
}

impl OpError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            OpError::Io { path, error } => lang.fmt(
                "cases.error.write",
                &[("path", &path.display().to_string()), ("error", error)],
            ),
            OpError::Exists(p) => {
                lang.fmt("cases.error.exists", &[("path", &p.display().to_string())])
            }
            OpError::Unreadable(e) => e.message(lang),
            OpError::NoFolder => lang.tr("cases.error.no_folder").to_string(),
            OpError::EmptyName => lang.tr("cases.error.empty_name").to_string(),
        }
    }

    fn io(path: &Path, e: &std::io::Error) -> OpError {
        OpError::Io {
            path: path.to_path_buf(),
            error: e.to_string(),
        }
    }
}

/// The open workspace: a folder searched recursively for `*.wxcase.json`, plus case files added
/// from elsewhere (dropped or opened).
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    folder: Option<PathBuf>,
    /// Case files outside the folder that were opened or dropped.
    extra: Vec<PathBuf>,
    pub entries: Vec<Entry>,
    /// Folders that could not be read while scanning.
    pub scan_errors: Vec<CaseError>,
    /// The summary of the last run-all.
    pub summary: Option<Summary>,
}

impl Workspace {
    /// Opens `folder` (if any) and scans it.
    pub fn new(folder: Option<PathBuf>) -> Workspace {
        let mut ws = Workspace {
            folder,
            ..Workspace::default()
        };
        ws.rescan();
        ws
    }

    pub fn folder(&self) -> Option<&Path> {
        self.folder.as_deref()
    }

    /// Switches to another folder (forgets results and extra files).
    pub fn open_folder(&mut self, folder: PathBuf) {
        self.folder = Some(folder);
        self.extra.clear();
        self.summary = None;
        self.rescan();
    }

    /// Adds case files from outside the folder to the list.
    pub fn add_files(&mut self, files: &[PathBuf]) {
        for f in files {
            if !self.extra.contains(f) && !self.entries.iter().any(|e| &e.path == f) {
                self.extra.push(f.clone());
            }
        }
        self.rescan();
    }

    /// Re-reads the file list and every case, keeping earlier results of unchanged files.
    pub fn rescan(&mut self) {
        let mut roots: Vec<PathBuf> = self.folder.iter().cloned().collect();
        self.extra.retain(|p| p.exists());
        roots.extend(self.extra.iter().cloned());
        let (files, errors) = case::discover(&roots);
        let old = std::mem::take(&mut self.entries);
        self.entries = files
            .into_iter()
            .map(|path| {
                let mut e = Entry::load(path);
                if let Some(prev) = old.iter().find(|o| o.path == e.path)
                    && same_case(&prev.case, &e.case)
                {
                    e.outcome = prev.outcome.clone();
                }
                e
            })
            .collect();
        self.scan_errors = errors;
    }

    pub fn entry(&self, path: &Path) -> Option<&Entry> {
        self.entries.iter().find(|e| e.path == path)
    }

    /// Re-reads and re-inspects every case; malformed files are skipped and keep their error.
    pub fn run_all(&mut self, opts: &Options) -> Summary {
        self.rescan();
        let mut sum = Summary {
            skipped: self.scan_errors.len(),
            ..Summary::default()
        };
        for e in &mut self.entries {
            match &e.case {
                Ok(c) => {
                    let r = case::check_case(c, opts);
                    if r.passed {
                        sum.passed += 1;
                    } else {
                        sum.failed += 1;
                    }
                    e.outcome = Some(Outcome {
                        passed: r.passed,
                        diffs: r.diffs,
                    });
                }
                Err(_) => {
                    sum.skipped += 1;
                    e.outcome = None;
                }
            }
        }
        self.summary = Some(sum);
        sum
    }

    /// The path a new case called `name` gets in the folder.
    pub fn path_for(&self, name: &str) -> Result<PathBuf, OpError> {
        if name.trim().is_empty() {
            return Err(OpError::EmptyName);
        }
        let folder = self.folder.as_ref().ok_or(OpError::NoFolder)?;
        Ok(folder.join(case::file_name_for(name)))
    }

    /// Writes `case` to a new file called after its name in the folder; never overwrites.
    pub fn save_new(&mut self, case: &Case) -> Result<PathBuf, OpError> {
        let path = self.path_for(&case.name)?;
        if path.exists() {
            return Err(OpError::Exists(path));
        }
        write(&path, case)?;
        self.rescan();
        Ok(path)
    }

    /// Writes `case` over `path` (the file it was loaded from).
    pub fn save_to(&mut self, path: &Path, case: &Case) -> Result<(), OpError> {
        write(path, case)?;
        self.rescan();
        Ok(())
    }

    /// Renames a case: sets its name and moves the file to match, never overwriting another file.
    /// Returns the new path and the case as written.
    pub fn rename(&mut self, path: &Path, new_name: &str) -> Result<(PathBuf, Case), OpError> {
        let new_name = new_name.trim();
        if new_name.is_empty() {
            return Err(OpError::EmptyName);
        }
        let mut case = case::load_case(path).map_err(OpError::Unreadable)?;
        case.name = new_name.to_string();
        let dir = path.parent().unwrap_or(Path::new("."));
        let target = dir.join(case::file_name_for(new_name));
        if target == path {
            write(path, &case)?;
        } else {
            if target.exists() {
                return Err(OpError::Exists(target));
            }
            // Write the new file first: if removing the old one fails, nothing is lost.
            write(&target, &case)?;
            if let Err(e) = std::fs::remove_file(path) {
                let _ = std::fs::remove_file(&target);
                return Err(OpError::io(path, &e));
            }
            if let Some(x) = self.extra.iter_mut().find(|x| x.as_path() == path) {
                *x = target.clone();
            }
        }
        self.rescan();
        Ok((target, case))
    }

    /// Copies a case under a fresh name (`NAME copy`, `NAME copy 2`, …) beside it.
    pub fn duplicate(&mut self, path: &Path, lang: Lang) -> Result<PathBuf, OpError> {
        let mut case = case::load_case(path).map_err(OpError::Unreadable)?;
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let base = lang.fmt("cases.copy_name", &[("name", case.name.trim())]);
        let mut n = 1;
        let (name, target) = loop {
            let name = if n == 1 {
                base.clone()
            } else {
                format!("{base} {n}")
            };
            let target = dir.join(case::file_name_for(&name));
            if !target.exists() {
                break (name, target);
            }
            n += 1;
            if n > 10_000 {
                return Err(OpError::Exists(target));
            }
        };
        case.name = name;
        write(&target, &case)?;
        if self
            .folder
            .as_deref()
            .is_none_or(|f| !target.starts_with(f))
        {
            self.extra.push(target.clone());
        }
        self.rescan();
        Ok(target)
    }

    /// Removes a case file.
    pub fn delete(&mut self, path: &Path) -> Result<(), OpError> {
        std::fs::remove_file(path).map_err(|e| OpError::io(path, &e))?;
        self.extra.retain(|x| x != path);
        self.rescan();
        Ok(())
    }
}

fn write(path: &Path, case: &Case) -> Result<(), OpError> {
    case::save_case(path, case).map_err(|e| OpError::io(path, &e))
}

fn same_case(a: &Result<Case, CaseError>, b: &Result<Case, CaseError>) -> bool {
    match (a, b) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opendata::{Input, inspect};

    fn sample_case(name: &str) -> Case {
        let input = crate::gui::state::demo_input();
        let opts = Options::new(1_700_000_000, Lang::En);
        let report = inspect(&input, &opts);
        Case::from_report(name, "", &input, &report, opts.now)
    }

    #[test]
    fn save_rename_duplicate_delete() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::new(Some(dir.path().to_path_buf()));
        let p = ws.save_new(&sample_case("a")).unwrap();
        assert_eq!(ws.entries.len(), 1);
        assert!(matches!(
            ws.save_new(&sample_case("a")),
            Err(OpError::Exists(_))
        ));
        ws.save_new(&sample_case("b")).unwrap();
        // Renaming onto an existing file is refused and leaves both files.
        assert!(matches!(ws.rename(&p, "b"), Err(OpError::Exists(_))));
        let (q, c) = ws.rename(&p, "c").unwrap();
        assert_eq!(c.name, "c");
        assert!(!p.exists() && q.exists());
        let d = ws.duplicate(&q, Lang::En).unwrap();
        assert!(d.ends_with("c copy.wxcase.json"), "{}", d.display());
        let d2 = ws.duplicate(&q, Lang::En).unwrap();
        assert!(d2.ends_with("c copy 2.wxcase.json"));
        ws.delete(&d).unwrap();
        assert_eq!(ws.entries.len(), 3);
        let s = ws.run_all(&Options::new(1_700_000_000, Lang::En));
        assert_eq!(s.text(Lang::En), "3 passed, 0 failed");
    }

    #[test]
    fn malformed_is_skipped_and_others_run() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.wxcase.json"), "{\n  \"name\": ,\n}").unwrap();
        let mut ws = Workspace::new(Some(dir.path().to_path_buf()));
        ws.save_new(&sample_case("good")).unwrap();
        let mut wrong = sample_case("wrong");
        wrong.input = crate::case::CaseInput::from_input(&Input::new("wx", "", "", ""));
        ws.save_new(&wrong).unwrap();
        let s = ws.run_all(&Options::new(1_700_000_000, Lang::En));
        assert_eq!(s.text(Lang::En), "1 passed, 1 failed, 1 skipped");
        let bad = ws.entries.iter().find(|e| e.case.is_err()).unwrap();
        assert!(matches!(bad.case, Err(CaseError::Parse { line: 2, .. })));
    }

    #[test]
    fn no_folder_means_no_save() {
        let mut ws = Workspace::new(None);
        assert_eq!(ws.save_new(&sample_case("x")), Err(OpError::NoFolder));
    }
}
