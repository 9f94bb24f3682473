//! The Cases side panel: the workspace folder's saved cases and run-all results ([`list`]), the
//! open document's name and notes, and the New / Open / Save / Save As / Rename / Duplicate /
//! Delete operations with their dialogs ([`dialogs`]). File logic lives in [`workspace`].
//!
//! The panel owns the workspace; the document belongs to the app: the panel reads it and sends
//! commands (open this case, save, the case file moved…), and the app asks it to write files.

mod dialogs;
mod list;
pub mod workspace;

use std::path::{Path, PathBuf};

use egui::RichText;

use crate::case::Case;
use crate::gui::command::{Command, Commands};
use crate::gui::state::{Document, UiEnv, ViewCtx};
use crate::gui::widgets::Notice;
use dialogs::Dialog;
use workspace::{OpError, Workspace};

/// The Cases side panel.
pub struct CasesPanel {
    ws: Workspace,
    selected: Option<PathBuf>,
    dialog: Option<Dialog>,
    notice: Option<Notice>,
}

impl CasesPanel {
    /// Opens the panel on `folder` (scanned recursively for case files).
    pub fn new(folder: Option<PathBuf>) -> CasesPanel {
        CasesPanel {
            ws: Workspace::new(folder),
            selected: None,
            dialog: None,
            notice: None,
        }
    }

    /// The workspace folder, for the app to persist.
    pub fn folder(&self) -> Option<&Path> {
        self.ws.folder()
    }

    /// The state without drawing (files, results).
    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }

    /// The last message shown to the user.
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// Whether one of the panel's dialogs is open.
    pub fn dialog_open(&self) -> bool {
        self.dialog.is_some()
    }

    /// Shows a message at the top of the panel.
    pub fn notify(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    fn info(&mut self, text: String) {
        self.notice = Some(Notice::ok(text));
    }

    fn error(&mut self, text: String) {
        self.notice = Some(Notice::error(text));
    }

    /// Marks `path` (the open document's file, if any) as the selected entry.
    pub fn show_selected(&mut self, path: Option<PathBuf>) {
        self.selected = path;
    }

    /// Re-reads the case files of the folder (after another view wrote some).
    pub fn rescan(&mut self) {
        self.ws.rescan();
    }

    /// Re-inspects every case of the workspace.
    pub fn run_all(&mut self, env: &UiEnv) {
        let sum = self.ws.run_all(&env.options());
        if self.ws.entries.is_empty() && sum.skipped == 0 {
            self.info(env.tr("cases.run.none").to_string());
        } else {
            self.notice = None;
        }
    }

    /// Opens dropped files: one case file is opened, several are added to the list, a folder
    /// becomes the workspace.
    pub fn open_paths(&mut self, paths: Vec<PathBuf>, env: &UiEnv, out: &mut Commands) {
        match paths.as_slice() {
            [] => {}
            [one] => self.open_path(one.clone(), env, out),
            many => {
                if let Some(dir) = many.iter().find(|p| p.is_dir()) {
                    self.ws.open_folder(dir.clone());
                }
                let files: Vec<PathBuf> = many.iter().filter(|p| p.is_file()).cloned().collect();
                self.ws.add_files(&files);
                self.info(
                    env.lang
                        .fmt("cases.dropped", &[("count", &files.len().to_string())]),
                );
            }
        }
    }

    /// Opens a folder as the workspace, or asks the app to open a case file.
    pub fn open_path(&mut self, path: PathBuf, env: &UiEnv, out: &mut Commands) {
        if path.is_dir() {
            self.ws.open_folder(path);
            self.selected = None;
            self.notice = None;
        } else if path.is_file() {
            if self.ws.entry(&path).is_none() {
                self.ws.add_files(std::slice::from_ref(&path));
            }
            self.selected = Some(path.clone());
            out.send(Command::OpenCase(path));
        } else {
            self.error(env.lang.fmt(
                "cases.open.not_found",
                &[("path", &path.display().to_string())],
            ));
        }
    }

    /// Selects a list entry and asks to open it (the app asks first about unsaved changes).
    fn select(&mut self, path: PathBuf, doc: &Document, out: &mut Commands) {
        self.selected = Some(path.clone());
        let readable = self.ws.entry(&path).is_some_and(|e| e.case.is_ok());
        if readable && doc.path.as_deref() != Some(path.as_path()) {
            out.send(Command::OpenCase(path));
        }
    }

    /// Writes `case` over the document's own file. Says so (or why not) in the panel.
    pub fn write(&mut self, path: &Path, case: &Case, env: &UiEnv) -> bool {
        match self.ws.save_to(path, case) {
            Ok(()) => {
                self.info(
                    env.lang
                        .fmt("cases.saved", &[("path", &path.display().to_string())]),
                );
                true
            }
            Err(e) => {
                self.error(e.message(env.lang));
                false
            }
        }
    }

    /// Saves the document as a new case file named `name` in `folder` (the Save dialog's values).
    /// Returns the path and the case written; on failure the dialog shows why and stays open.
    pub fn save_named(
        &mut self,
        doc: &Document,
        name: &str,
        notes: &str,
        folder: &str,
        env: &UiEnv,
    ) -> Option<(PathBuf, Case)> {
        match self.save_new(doc, name, notes, folder, env) {
            Ok((path, case)) => {
                self.dialog = None;
                self.selected = Some(path.clone());
                self.info(
                    env.lang
                        .fmt("cases.saved", &[("path", &path.display().to_string())]),
                );
                Some((path, case))
            }
            Err(e) => {
                self.dialog_error(e);
                None
            }
        }
    }

    fn save_new(
        &mut self,
        doc: &Document,
        name: &str,
        notes: &str,
        folder: &str,
        env: &UiEnv,
    ) -> Result<(PathBuf, Case), String> {
        let folder = folder.trim();
        if !folder.is_empty() && self.ws.folder() != Some(Path::new(folder)) {
            let p = PathBuf::from(folder);
            if !p.is_dir() {
                return Err(env.lang.fmt("cases.open.not_found", &[("path", folder)]));
            }
            self.ws.open_folder(p);
        }
        let mut draft = doc.clone();
        draft.name = name.trim().to_string();
        draft.notes = notes.to_string();
        if draft.name.is_empty() {
            return Err(OpError::EmptyName.message(env.lang));
        }
        let case = draft.to_case(env);
        let path = self.ws.save_new(&case).map_err(|e| e.message(env.lang))?;
        Ok((path, case))
    }

    fn duplicate_selected(&mut self, env: &UiEnv) {
        let Some(path) = self.selected.clone() else {
            self.info(env.tr("cases.select_first").to_string());
            return;
        };
        match self.ws.duplicate(&path, env.lang) {
            Ok(p) => self.info(
                env.lang
                    .fmt("cases.duplicated", &[("path", &p.display().to_string())]),
            ),
            Err(e) => self.error(e.message(env.lang)),
        }
    }

    /// Renames a case file; the app is told so that the document follows.
    fn rename(
        &mut self,
        path: &Path,
        name: &str,
        env: &UiEnv,
        out: &mut Commands,
    ) -> Result<(), String> {
        let (new_path, case) = self
            .ws
            .rename(path, name)
            .map_err(|e| e.message(env.lang))?;
        if self.selected.as_deref() == Some(path) {
            self.selected = Some(new_path.clone());
        }
        self.info(env.lang.fmt(
            "cases.renamed",
            &[("path", &new_path.display().to_string())],
        ));
        out.send(Command::CaseMoved {
            from: path.to_path_buf(),
            to: new_path,
            case: Box::new(case),
        });
        Ok(())
    }

    /// Deletes a case file; the app is told so that the document forgets it.
    fn delete(&mut self, path: &Path, env: &UiEnv, out: &mut Commands) {
        match self.ws.delete(path) {
            Ok(()) => {
                if self.selected.as_deref() == Some(path) {
                    self.selected = None;
                }
                self.info(
                    env.lang
                        .fmt("cases.deleted", &[("path", &path.display().to_string())]),
                );
                out.send(Command::CaseDeleted(path.to_path_buf()));
            }
            Err(e) => {
                let msg = match e {
                    OpError::Io { path, error } => env.lang.fmt(
                        "cases.error.delete",
                        &[("path", &path.display().to_string()), ("error", &error)],
                    ),
                    other => other.message(env.lang),
                };
                self.error(msg);
            }
        }
    }

    /// The contents of the left side panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &ViewCtx, out: &mut Commands) {
        let env = cx.env;
        ui.heading(env.tr("cases.title"));
        ui.horizontal_wrapped(|ui| {
            for (key, cmd) in [
                ("cases.new", Command::NewDocument),
                ("cases.open", Command::ShowOpenDialog),
                ("cases.save", Command::SaveCase),
                ("cases.save_as", Command::SaveCaseAs),
                ("cases.run_all", Command::RunAllCases),
            ] {
                if ui.button(env.tr(key)).clicked() {
                    out.send(cmd);
                }
            }
        });
        self.folder_ui(ui, env);
        if let Some(n) = &self.notice {
            let mut dismiss = false;
            ui.horizontal_wrapped(|ui| {
                n.show(ui);
                dismiss = ui.small_button(env.tr("cases.dismiss")).clicked();
            });
            if dismiss {
                self.notice = None;
            }
        }
        ui.separator();
        list::current_ui(ui, cx, out);
        ui.separator();
        if let Some(sum) = self.ws.summary {
            let color = if sum.failed > 0 || sum.skipped > 0 {
                ui.visuals().warn_fg_color
            } else {
                list::pass_color(ui)
            };
            ui.label(RichText::new(sum.text(env.lang)).strong().color(color));
        }
        if let Some(path) = list::list_ui(ui, cx, &self.ws, self.selected.as_deref()) {
            self.select(path, cx.doc, out);
        }
        ui.separator();
        self.selection_buttons(ui, env);
    }

    /// The folder line with Rescan, or a hint when no folder is open.
    fn folder_ui(&mut self, ui: &mut egui::Ui, env: &UiEnv) {
        match self.ws.folder() {
            Some(f) => {
                let text = env
                    .lang
                    .fmt("cases.folder", &[("path", &f.display().to_string())]);
                ui.horizontal_wrapped(|ui| {
                    ui.add(egui::Label::new(RichText::new(text).small()).wrap());
                    if ui.small_button(env.tr("cases.refresh")).clicked() {
                        self.ws.rescan();
                    }
                });
            }
            None => {
                ui.add(egui::Label::new(RichText::new(env.tr("cases.no_folder")).weak()).wrap());
            }
        }
    }

    /// Rename / Duplicate / Delete of the selected entry.
    fn selection_buttons(&mut self, ui: &mut egui::Ui, env: &UiEnv) {
        let has_sel = self.selected.is_some();
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(has_sel, egui::Button::new(env.tr("cases.rename")))
                .clicked()
                && let Some(p) = self.selected.clone()
            {
                let name = self
                    .ws
                    .entry(&p)
                    .map(|e| e.display_name())
                    .unwrap_or_default();
                self.dialog = Some(Dialog::Rename {
                    path: p,
                    name,
                    error: None,
                });
            }
            if ui
                .add_enabled(has_sel, egui::Button::new(env.tr("cases.duplicate")))
                .clicked()
            {
                self.duplicate_selected(env);
            }
            if ui
                .add_enabled(has_sel, egui::Button::new(env.tr("cases.delete")))
                .clicked()
                && let Some(p) = self.selected.clone()
            {
                self.dialog = Some(Dialog::Delete { path: p });
            }
        });
    }
}
