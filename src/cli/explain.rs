//! `wxdecrypt explain`: an error message from a backend's log → what it means and its possible
//! causes (the engine's [`explain`](crate::explain) table).

use std::path::PathBuf;

use clap::Args as ClapArgs;

use super::{EXIT_FAIL, EXIT_OK, read_source, say};
use crate::explain::{MAX_TEXT, explain};
use crate::i18n::Lang;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The error message (quote it), or - to read it from stdin (a log line or a stack trace
    /// will do)
    #[arg(value_name = "MESSAGE", allow_hyphen_values = true)]
    pub message: Option<String>,
    /// Read the message from this file (- for stdin)
    #[arg(long, value_name = "FILE", conflicts_with = "message")]
    pub file: Option<PathBuf>,
    /// Print JSON: {"recognized": bool, "matches": [{symptom, said_by, meaning, causes}]}
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: Args, lang: Lang) -> Result<i32, String> {
    let text = match (&a.file, a.message) {
        (Some(path), _) => read_source(path, lang)?,
        (None, Some(m)) if m == "-" => read_source(std::path::Path::new("-"), lang)?,
        (None, Some(m)) => m,
        (None, None) => return Err(lang.tr("explain.cli.no_message").to_string()),
    };
    let matches = explain(&text, lang);
    let code = if matches.is_empty() {
        EXIT_FAIL
    } else {
        EXIT_OK
    };
    if a.json {
        let out = serde_json::json!({ "recognized": !matches.is_empty(), "matches": matches });
        super::emit(&format!("{out}\n"));
        return Ok(code);
    }
    if matches.is_empty() {
        say(&lang.fmt("explain.cli.unknown", &[("max", &MAX_TEXT.to_string())]));
        return Ok(code);
    }
    for m in &matches {
        say(&format!("● {}", m.meaning));
        say(&format!(
            "  {} {}",
            lang.tr("explain.cli.said_by"),
            m.said_by.join("; ")
        ));
        say(&format!("  {}", lang.tr("explain.cli.causes")));
        for (i, c) in m.causes.iter().enumerate() {
            say(&format!("  {}. {} ({})", i + 1, c.title, c.code.as_str()));
            say(&format!("     {}", c.cause));
            say(&format!("     → {}", c.hint));
        }
        say("");
    }
    say(lang.tr("explain.cli.inspect"));
    Ok(code)
}
