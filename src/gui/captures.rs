//! The Captures tab: open capture files (HAR, Burp XML, curl, raw HTTP, logs) and scan them on a
//! background thread ([`scan_job`]); the table of payloads found ([`table`]; a row opens in the
//! Inspect tab, [`export`] as JSON Lines or CSV, or saves checked rows as cases); the workspace key
//! ring ([`keyring_panel`]); and the Listen switch ([`listen`]).
//!
//! All decoding, pairing and inspection is the engine's ([`crate::capture`], [`crate::serve`]).

mod export;
mod filter;
mod keyring_panel;
mod listen;
mod scan_job;
mod table;

use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::{RichText, Ui};

pub use export::ExportFormat;
pub use listen::DEFAULT_PORT;

use crate::capture::{Scan, ScanItem};
use crate::gui::command::Commands;
use crate::gui::state::{UiEnv, ViewCtx};
use crate::gui::widgets::{self, Notice};
use keyring_panel::KeyringPanel;
use listen::Listen;
use scan_job::ScanJob;

/// File extensions that are scanned as captures when dropped on the window.
pub const CAPTURE_EXTENSIONS: &[&str] = &["har", "xml", "txt", "log", "jsonl", "curl", "http"];

/// Whether a path looks like a capture file (by extension).
pub fn is_capture_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| CAPTURE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The Captures tab.
#[derive(Default)]
pub struct CapturesView {
    /// Typed file path(s) (one per line), used when no file dialog is available.
    pub path_text: String,
    job: Option<ScanJob>,
    /// The last finished scan.
    pub result: Option<Scan>,
    /// Files of the last scan.
    pub files: Vec<PathBuf>,
    /// The row selected (opened with "Open in Inspect").
    pub selected: Option<usize>,
    /// Rows ticked for "Save checked as cases".
    pub checked: Vec<bool>,
    pub notice: Option<Notice>,
    export_path: Option<(ExportFormat, String)>,
    /// Bumped by every finished scan (the table's row texts are remade then).
    generation: u64,
    /// The filter and sort above the table, and the rows they leave.
    filter: filter::RowFilter,
    rows: filter::RowView,
    keyring: KeyringPanel,
    listen: Listen,
}

impl CapturesView {
    pub fn new() -> CapturesView {
        CapturesView::default()
    }

    /// The items of the last scan.
    pub fn items(&self) -> &[ScanItem] {
        self.result
            .as_ref()
            .map(|s| s.items.as_slice())
            .unwrap_or(&[])
    }

    /// The rows the table shows, in its order (indices into [`CapturesView::items`]), as of the
    /// last frame.
    pub fn shown_rows(&self) -> &[usize] {
        &self.rows.order
    }

    /// Draws the tab; a row or a request to open is sent as a command.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx, out: &mut Commands) {
        let env = cx.env;
        self.poll_scan(env);
        self.poll_listen();
        if self.listening() {
            ui.ctx().request_repaint_after(Duration::from_millis(250));
        }
        self.follow_folder(cx.folder, env);
        egui::ScrollArea::vertical()
            .id_salt("captures_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                widgets::heading(ui, env.tr("captures.title"));
                ui.label(RichText::new(env.tr("captures.intro")).weak());
                ui.add_space(4.0);
                self.open_files_ui(ui, env);
                self.progress_ui(ui, env);
                if let Some(n) = &self.notice {
                    n.show(ui);
                }
                self.table_ui(ui, cx, out);
                ui.add_space(8.0);
                self.keyring_ui(ui, env, cx.folder);
                ui.add_space(8.0);
                self.listen_ui(ui, env, out);
            });
    }

    /// Open captures… (file dialog), or a typed path and Scan.
    fn open_files_ui(&mut self, ui: &mut Ui, env: &UiEnv) {
        ui.horizontal_wrapped(|ui| {
            if ui
                .button(env.tr("captures.open"))
                .on_hover_text(env.tr("captures.open.tip"))
                .clicked()
            {
                match rfd::FileDialog::new()
                    .add_filter(env.tr("captures.title"), CAPTURE_EXTENSIONS)
                    .pick_files()
                {
                    Some(paths) => self.start_scan(paths, env, Some(ui.ctx().clone())),
                    None => self.notice = Some(Notice::warning(env.tr("captures.no_dialog"))),
                }
            }
            let label = ui.label(env.tr("captures.path"));
            ui.add(
                egui::TextEdit::singleline(&mut self.path_text)
                    .desired_width(360.0)
                    .hint_text("/path/to/capture.har"),
            )
            .labelled_by(label.id);
            if ui.button(env.tr("captures.scan")).clicked() {
                let paths: Vec<PathBuf> = self
                    .path_text
                    .split(['\n', ';'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(PathBuf::from)
                    .collect();
                self.start_scan(paths, env, Some(ui.ctx().clone()));
            }
        });
    }
}
