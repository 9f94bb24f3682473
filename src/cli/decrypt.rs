//! `wxdecrypt decrypt`: inspect one payload from flags, a file, a case file or standard input.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use crate::case::{Case, Outcome};
use crate::extract;
use crate::i18n::Lang;
use crate::opendata::{Input, Options, Report, inspect};

use super::{EXIT_FAIL, EXIT_OK, output, read_source};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Your mini program's appid (checked against the watermark)
    #[arg(long)]
    appid: Option<String>,
    /// session_key from code2Session (base64)
    #[arg(long = "session-key", visible_alias = "key")]
    session_key: Option<String>,
    /// iv from e.detail (base64)
    #[arg(long)]
    iv: Option<String>,
    /// encryptedData from e.detail (base64)
    #[arg(long = "data", visible_alias = "encrypted-data")]
    data: Option<String>,
    /// The current time as Unix seconds (for reproducible watermark ages)
    #[arg(long, value_name = "UNIX")]
    now: Option<i64>,
    /// Print the report as one JSON object
    #[arg(long)]
    json: bool,
    /// Save this inspection as a test case (NAME.wxcase.json)
    #[arg(long, value_name = "FILE")]
    save: Option<PathBuf>,
    /// A case file, or any JSON object / query string / log text holding the fields; - for stdin
    #[arg(value_name = "FILE|-")]
    source: Option<PathBuf>,
}

pub fn run(a: Args, lang: Lang) -> Result<i32, String> {
    let flags_given =
        a.appid.is_some() || a.session_key.is_some() || a.iv.is_some() || a.data.is_some();
    let mut input = Input::default();
    let source = match (&a.source, flags_given) {
        (Some(p), _) => Some(p.clone()),
        (None, false) if !std::io::stdin().is_terminal() => Some(PathBuf::from("-")),
        (None, false) => {
            return Err(lang.tr("cli.error.no_input").to_string());
        }
        (None, true) => None,
    };
    if let Some(path) = &source {
        let text = read_source(path, lang)?;
        let found = extract::extract(&text);
        // No payload, but a WeChat server's error answer (code2Session's, say): its cause.
        if found.is_empty()
            && !flags_given
            && let Some(e) = crate::server::find_error(&text)
        {
            let mut report = inspect(&Input::default(), &Options::new(super::now(), lang));
            report.findings = vec![e.finding(lang)];
            output::print(a.json, &report, || output::human_report(&report, lang))?;
            return Ok(EXIT_FAIL);
        }
        if found.is_empty() && !flags_given {
            let name = if path.as_os_str() == "-" {
                "stdin".to_string()
            } else {
                path.display().to_string()
            };
            return Err(lang.fmt("cli.error.no_fields", &[("source", &name)]));
        }
        input = found.input;
    }
    // Flags override what the file says.
    for (flag, slot) in [
        (&a.appid, &mut input.appid),
        (&a.session_key, &mut input.session_key),
        (&a.iv, &mut input.iv),
        (&a.data, &mut input.encrypted_data),
    ] {
        if let Some(v) = flag {
            *slot = v.clone();
        }
    }
    let now = a.now.unwrap_or_else(super::now);
    let report = inspect(&input, &Options::new(now, lang));
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
