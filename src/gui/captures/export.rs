//! What leaves the captures table: JSON Lines and CSV exports, and checked rows saved as cases in
//! the cases folder (never overwriting a file).

use std::path::Path;

use super::CapturesView;
use crate::capture::export;
use crate::case;
use crate::gui::command::{Command, Commands};
use crate::gui::state::UiEnv;
use crate::gui::widgets::Notice;

/// Export formats of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    JsonLines,
    Csv,
}

impl CapturesView {
    /// Writes the table to `path` (JSON Lines of `item.to_json()`, or CSV).
    pub fn export(&mut self, fmt: ExportFormat, path: &Path, env: &UiEnv) {
        let text = match fmt {
            ExportFormat::JsonLines => export::jsonl(self.items()),
            ExportFormat::Csv => export::csv(self.items(), env.lang, env.mask),
        };
        self.notice = Some(match crate::atomic::write(path, text.as_bytes()) {
            Ok(()) => Notice::ok(env.lang.fmt(
                "captures.exported",
                &[
                    ("count", &self.items().len().to_string()),
                    ("path", &path.display().to_string()),
                ],
            )),
            Err(e) => Notice::error(env.lang.fmt("captures.error", &[("error", &e.to_string())])),
        });
    }

    /// Saves the checked rows as cases in the cases folder (never overwriting a file); asks the
    /// app to re-read the folder when something was saved.
    pub fn save_cases(&mut self, folder: Option<&Path>, env: &UiEnv, out: &mut Commands) {
        let Some(folder) = folder else {
            self.notice = Some(Notice::warning(env.tr("captures.no_folder")));
            return;
        };
        let rows: Vec<usize> = self
            .checked
            .iter()
            .enumerate()
            .filter(|(_, c)| **c)
            .map(|(i, _)| i)
            .collect();
        if rows.is_empty() {
            self.notice = Some(Notice::warning(env.tr("captures.nothing_checked")));
            return;
        }
        let mut saved = 0;
        let mut failed = None;
        for i in rows {
            let Some(item) = self.items().get(i) else {
                continue;
            };
            let name = env.lang.fmt(
                "captures.case_name",
                &[("source", &item.source.to_string())],
            );
            let name = Path::new(&name)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or(name);
            let notes = item.url.clone().unwrap_or_default();
            let mut c = item.inspected.to_case(&name, &notes, env.now);
            if env.redact_on_save {
                c.redact();
            }
            if let Err(e) = case::save_new(folder, &name, &c) {
                failed = Some(e);
                break;
            }
            saved += 1;
        }
        if saved > 0 {
            out.send(Command::RescanCases);
        }
        self.notice = Some(match failed {
            Some(e) => Notice::error(env.lang.fmt("captures.error", &[("error", &e.to_string())])),
            None => Notice::ok(env.lang.fmt(
                "captures.saved_cases",
                &[
                    ("count", &saved.to_string()),
                    ("folder", &folder.display().to_string()),
                ],
            )),
        });
    }
}
