//! `wxdecrypt check`: re-run saved cases and report `N passed, N failed`.

use std::path::PathBuf;

use crate::case::{self, check_case};
use crate::i18n::Lang;
use crate::opendata::Options;

use super::{EXIT_FAIL, EXIT_OK, say};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Case files and folders (searched recursively for *.wxcase.json)
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
    /// The current time as Unix seconds (default: now)
    #[arg(long, value_name = "UNIX")]
    now: Option<i64>,
}

pub fn run(a: Args, lang: Lang) -> Result<i32, String> {
    let (files, walk_errors) = case::discover(&a.paths);
    let opts = Options::new(a.now.unwrap_or_else(super::now), lang);
    let (mut passed, mut failed, mut skipped) = (0usize, 0usize, 0usize);
    for e in &walk_errors {
        say(&format!(
            "{} {}",
            lang.tr("cli.check.skip"),
            e.message(lang)
        ));
        skipped += 1;
    }
    for path in &files {
        let case = match case::load_case(path) {
            Ok(c) => c,
            Err(e) => {
                say(&format!(
                    "{} {}",
                    lang.tr("cli.check.skip"),
                    e.message(lang)
                ));
                skipped += 1;
                continue;
            }
        };
        let result = check_case(&case, &opts);
        if result.passed {
            passed += 1;
            say(&format!(
                "{} {} ({})",
                lang.tr("cli.check.pass"),
                case.name,
                path.display()
            ));
        } else {
            failed += 1;
            say(&format!(
                "{} {} ({})",
                lang.tr("cli.check.fail"),
                case.name,
                path.display()
            ));
            for d in &result.diffs {
                say(&format!("    {d}"));
            }
        }
    }
    if files.is_empty() && walk_errors.is_empty() {
        eprintln!("{}", lang.tr("cli.check.none"));
    }
    let (p, f, s) = (passed.to_string(), failed.to_string(), skipped.to_string());
    if skipped > 0 {
        say(&lang
            .fmt(
                "cli.check.summary_skipped",
                &[("passed", &p), ("failed", &f), ("skipped", &s)],
            )
            .to_string());
    } else {
        say(&lang
            .fmt("cli.check.summary", &[("passed", &p), ("failed", &f)])
            .to_string());
    }
    Ok(if failed == 0 && skipped == 0 && passed > 0 {
        EXIT_OK
    } else {
        EXIT_FAIL
    })
}
