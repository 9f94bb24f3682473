//! Printing a report on the command line: its JSON or its human text ([`present::text`]).

use crate::present;

pub use crate::present::text::{findings_and_repairs, human_envelope, human_report};

/// Prints a report: its JSON (`--json`, one line), or the human text made terminal-safe.
pub(super) fn print(
    json: bool,
    report: &impl serde::Serialize,
    human: impl FnOnce() -> String,
) -> Result<(), String> {
    if json {
        let s = serde_json::to_string(report).map_err(|e| e.to_string())?;
        super::emit(&format!("{s}\n"));
    } else {
        super::emit(&present::terminal_safe(&human()));
    }
    Ok(())
}
