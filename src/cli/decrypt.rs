//! `wxdecrypt decrypt`: inspect one payload from flags, a file, a case file or standard input.

use std::path::{Path, PathBuf};

use crate::case::{Case, Outcome};
use crate::i18n::Lang;
use crate::opendata::{Input, Options, Report, inspect};

use super::inputs::InputArgs;
use super::{EXIT_FAIL, EXIT_OK, output};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// The current time as Unix seconds (for reproducible watermark ages)
    #[arg(long, value_name = "UNIX")]
    now: Option<i64>,
    /// Print the report as one JSON object
    #[arg(long)]
    json: bool,
    /// Save this inspection as a test case (NAME.wxcase.json)
    #[arg(long, value_name = "FILE")]
    save: Option<PathBuf>,
}

pub fn run(a: Args, lang: Lang) -> Result<i32, String> {
    let g = a.input.gather(lang)?;
    let now = a.now.unwrap_or_else(super::now);
    if g.empty {
        // No payload, but a WeChat server's error answer (code2Session's, say): its cause.
        if let Some(e) = g.text.as_deref().and_then(crate::server::find_error) {
            let mut report = inspect(&Input::default(), &Options::new(now, lang));
            report.findings = vec![e.finding(lang)];
            output::print(a.json, &report, || output::human_report(&report, lang))?;
            return Ok(EXIT_FAIL);
        }
        return Err(lang.fmt("cli.error.no_fields", &[("source", &g.name)]));
    }
    let input = g.input;
    let report = inspect(&input, &Options::new(now, lang).with_platform(g.platform));
    output::print(a.json, &report, || output::human_report(&report, lang))?;
    if let Some(path) = &a.save {
        save(path, &input, &report, now, lang)?;
    }
    Ok(if report.ok { EXIT_OK } else { EXIT_FAIL })
}

/// Saves the inspection as a case at `path` (see [`super::save::save_case_file`]).
fn save(path: &Path, input: &Input, report: &Report, now: i64, lang: Lang) -> Result<(), String> {
    super::save::save_case_file(path, &Outcome::of_report(report), lang, |name| {
        Case::from_report(name, "", input, report, now)
    })
}
