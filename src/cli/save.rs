//! `--save FILE` of `decrypt`, `msg` and `pay`: an inspection written as a case file.

use std::path::Path;

use crate::case::{self, Case, CaseInput, Outcome, SUFFIX};
use crate::envelope::EnvelopeReport;
use crate::i18n::Lang;

/// Saves a case at `path`, built by `make` from the file's name. An existing case there is updated
/// (its name, notes, creation time and unknown fields kept, and its expectation as written while
/// `outcome` still meets it); any other existing file is left alone.
pub(super) fn save_case_file(
    path: &Path,
    outcome: &Outcome<'_>,
    lang: Lang,
    make: impl FnOnce(&str) -> Case,
) -> Result<(), String> {
    let shown = path.display().to_string();
    let old = match std::fs::symlink_metadata(path) {
        Ok(_) => match case::load_case(path) {
            Ok(c) => Some(c),
            Err(_) => return Err(lang.fmt("cli.error.save_not_case", &[("path", &shown)])),
        },
        Err(_) => None,
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .map(|n| {
            n.strip_suffix(SUFFIX)
                .unwrap_or(n)
                .trim_end_matches(".json")
        })
        .unwrap_or("case")
        .to_string();
    let mut case = make(&name);
    if let Some(old) = &old {
        case.name = old.name.clone();
        case.notes = old.notes.clone();
        case.keep_from_outcome(old, outcome);
    }
    case::save_case(path, &case).map_err(|e| {
        lang.fmt(
            "cli.error.write",
            &[("path", &shown), ("error", &e.to_string())],
        )
    })?;
    eprintln!("{}", lang.fmt("cli.saved", &[("path", &shown)]));
    Ok(())
}

/// Saves a message-push or Pay inspection as a case at `path` (see [`save_case_file`]).
pub(super) fn save_envelope(
    path: &Path,
    input: CaseInput,
    report: &EnvelopeReport,
    lang: Lang,
) -> Result<(), String> {
    let now = super::now();
    save_case_file(path, &Outcome::of_envelope(report), lang, |name| {
        Case::from_envelope(name, "", input, report, now)
    })
}
