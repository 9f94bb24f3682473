//! The Cases panel's modal dialogs: Open (a folder or a case file), Save (name, notes, folder),
//! Rename and Delete. A button's intent is applied after the dialog is drawn.

use std::path::PathBuf;

use egui::RichText;

use super::CasesPanel;
use crate::gui::command::{Command, Commands};
use crate::gui::state::{Document, UiEnv, ViewCtx};

/// The panel's modal windows.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Dialog {
    Open {
        path: String,
        note: Option<String>,
    },
    Save {
        name: String,
        notes: String,
        folder: String,
        save_as: bool,
        error: Option<String>,
    },
    Rename {
        path: PathBuf,
        name: String,
        error: Option<String>,
    },
    Delete {
        path: PathBuf,
    },
}

/// What a dialog button asked for; applied after the dialog is drawn.
enum Action {
    OpenPath(String),
    BrowseFolder,
    BrowseFile,
    SaveForm,
    BrowseSaveFolder,
    Rename(PathBuf, String),
    Delete(PathBuf),
    Cancel,
}

impl CasesPanel {
    /// Shows the Open dialog (a folder or a case file).
    pub fn show_open_dialog(&mut self) {
        let path = self
            .ws
            .folder()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        self.dialog = Some(Dialog::Open { path, note: None });
    }

    /// Shows the Save dialog for the document: a name, notes and a folder for a new case file.
    pub fn ask_save(&mut self, doc: &Document, save_as: bool) {
        self.dialog = Some(Dialog::Save {
            name: doc.name.clone(),
            notes: doc.notes.clone(),
            folder: self
                .ws
                .folder()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            save_as,
            error: None,
        });
    }

    /// Shows why the Save or Rename dialog could not do it.
    pub(super) fn dialog_error(&mut self, text: String) {
        match &mut self.dialog {
            Some(Dialog::Save { error, .. } | Dialog::Rename { error, .. }) => *error = Some(text),
            _ => self.error(text),
        }
    }

    /// The panel's modal windows; call once per frame.
    pub fn dialogs(&mut self, ctx: &egui::Context, cx: &ViewCtx, out: &mut Commands) {
        let Some(mut dialog) = self.dialog.take() else {
            return;
        };
        let env = cx.env;
        let mut action: Option<Action> = None;
        let modal = egui::Modal::new(egui::Id::unique("wxdecrypt.cases.dialog")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            action = match &mut dialog {
                Dialog::Open { path, note } => open_ui(ui, env, path, note.as_deref()),
                Dialog::Save {
                    name,
                    notes,
                    folder,
                    save_as,
                    error,
                } => save_ui(ui, env, [name, notes, folder], *save_as, error.as_deref()),
                Dialog::Rename { path, name, error } => {
                    rename_ui(ui, env, path, name, error.as_deref())
                }
                Dialog::Delete { path } => delete_ui(ui, env, path),
            };
        });
        if modal.should_close() && action.is_none() {
            action = Some(Action::Cancel);
        }
        self.dialog = Some(dialog);
        if let Some(a) = action {
            self.apply(a, env, out);
        }
    }

    fn apply(&mut self, action: Action, env: &UiEnv, out: &mut Commands) {
        match action {
            Action::Cancel => {
                if matches!(self.dialog.take(), Some(Dialog::Save { .. })) {
                    out.send(Command::SaveCancelled);
                }
            }
            Action::OpenPath(p) => {
                let p = p.trim();
                if p.is_empty() {
                    return;
                }
                self.dialog = None;
                self.open_path(PathBuf::from(p), env, out);
            }
            Action::BrowseFolder | Action::BrowseFile => {
                let mut dlg = rfd::FileDialog::new();
                if let Some(f) = self.ws.folder() {
                    dlg = dlg.set_directory(f);
                }
                let picked = if matches!(action, Action::BrowseFolder) {
                    dlg.pick_folder()
                } else {
                    dlg.add_filter("wxcase", &["json"]).pick_file()
                };
                match picked {
                    Some(p) => {
                        self.dialog = None;
                        self.open_path(p, env, out);
                    }
                    None => {
                        if let Some(Dialog::Open { note, .. }) = &mut self.dialog {
                            *note = Some(env.tr("cases.open.no_dialog").to_string());
                        }
                    }
                }
            }
            Action::BrowseSaveFolder => {
                let picked = rfd::FileDialog::new().pick_folder();
                if let Some(Dialog::Save { folder, error, .. }) = &mut self.dialog {
                    match picked {
                        Some(p) => *folder = p.display().to_string(),
                        None => *error = Some(env.tr("cases.open.no_dialog").to_string()),
                    }
                }
            }
            Action::SaveForm => {
                if let Some(Dialog::Save {
                    name,
                    notes,
                    folder,
                    ..
                }) = &self.dialog
                {
                    // The app saves the document (and closes the dialog) or shows the error.
                    out.send(Command::SaveNamed {
                        name: name.clone(),
                        notes: notes.clone(),
                        folder: folder.clone(),
                    });
                }
            }
            Action::Rename(path, name) => match self.rename(&path, &name, env, out) {
                Ok(()) => self.dialog = None,
                Err(e) => self.dialog_error(e),
            },
            Action::Delete(path) => {
                self.dialog = None;
                self.delete(&path, env, out);
            }
        }
    }
}

fn open_ui(
    ui: &mut egui::Ui,
    env: &UiEnv,
    path: &mut String,
    note: Option<&str>,
) -> Option<Action> {
    let mut action = None;
    ui.heading(env.tr("cases.open.title"));
    ui.horizontal(|ui| {
        if ui.button(env.tr("cases.open.browse_folder")).clicked() {
            action = Some(Action::BrowseFolder);
        }
        if ui.button(env.tr("cases.open.browse_file")).clicked() {
            action = Some(Action::BrowseFile);
        }
    });
    if let Some(n) = note {
        ui.add(egui::Label::new(RichText::new(n).color(ui.visuals().warn_fg_color)).wrap());
    }
    ui.horizontal(|ui| {
        let l = ui.label(env.tr("cases.open.path"));
        let r = ui
            .add(egui::TextEdit::singleline(path).desired_width(320.0))
            .labelled_by(l.id);
        if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            action = Some(Action::OpenPath(path.clone()));
        }
    });
    ui.horizontal(|ui| {
        if ui.button(env.tr("cases.open.go")).clicked() {
            action = Some(Action::OpenPath(path.clone()));
        }
        if ui.button(env.tr("cases.cancel")).clicked() {
            action = Some(Action::Cancel);
        }
    });
    action
}

/// The Save form: `[name, notes, folder]`.
fn save_ui(
    ui: &mut egui::Ui,
    env: &UiEnv,
    [name, notes, folder]: [&mut String; 3],
    save_as: bool,
    error: Option<&str>,
) -> Option<Action> {
    let mut action = None;
    ui.heading(env.tr(if save_as {
        "cases.save_as.title"
    } else {
        "cases.save.title"
    }));
    egui::Grid::new("cases.save.grid")
        .num_columns(2)
        .show(ui, |ui| {
            let l = ui.label(env.tr("cases.save.name"));
            ui.add(egui::TextEdit::singleline(name).desired_width(300.0))
                .labelled_by(l.id);
            ui.end_row();
            let l = ui.label(env.tr("cases.save.notes"));
            ui.add(
                egui::TextEdit::multiline(notes)
                    .desired_rows(3)
                    .desired_width(300.0),
            )
            .labelled_by(l.id);
            ui.end_row();
            let l = ui.label(env.tr("cases.save.folder"));
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(folder).desired_width(220.0))
                    .labelled_by(l.id);
                if ui.button(env.tr("cases.open.browse_folder")).clicked() {
                    action = Some(Action::BrowseSaveFolder);
                }
            });
            ui.end_row();
        });
    if !name.trim().is_empty() {
        ui.label(
            RichText::new(env.lang.fmt(
                "cases.save.file",
                &[("file", &crate::case::file_name_for(name))],
            ))
            .small()
            .weak(),
        );
    }
    if env.redact_on_save {
        ui.label(RichText::new(env.tr("cases.save.redacted")).small());
    }
    if let Some(e) = error {
        error_label(ui, e);
    }
    ui.horizontal(|ui| {
        if ui.button(env.tr("cases.save.confirm")).clicked() {
            action = Some(Action::SaveForm);
        }
        if ui.button(env.tr("cases.cancel")).clicked() {
            action = Some(Action::Cancel);
        }
    });
    action
}

fn rename_ui(
    ui: &mut egui::Ui,
    env: &UiEnv,
    path: &std::path::Path,
    name: &mut String,
    error: Option<&str>,
) -> Option<Action> {
    let mut action = None;
    ui.heading(env.tr("cases.rename.title"));
    ui.horizontal(|ui| {
        let l = ui.label(env.tr("cases.save.name"));
        ui.add(egui::TextEdit::singleline(name).desired_width(300.0))
            .labelled_by(l.id);
    });
    if let Some(e) = error {
        error_label(ui, e);
    }
    ui.horizontal(|ui| {
        if ui.button(env.tr("cases.rename.confirm")).clicked() {
            action = Some(Action::Rename(path.to_path_buf(), name.clone()));
        }
        if ui.button(env.tr("cases.cancel")).clicked() {
            action = Some(Action::Cancel);
        }
    });
    action
}

fn delete_ui(ui: &mut egui::Ui, env: &UiEnv, path: &std::path::Path) -> Option<Action> {
    let mut action = None;
    ui.heading(env.tr("cases.delete.title"));
    ui.add(
        egui::Label::new(env.lang.fmt(
            "cases.delete.message",
            &[("path", &path.display().to_string())],
        ))
        .wrap(),
    );
    ui.horizontal(|ui| {
        if ui.button(env.tr("cases.delete.confirm")).clicked() {
            action = Some(Action::Delete(path.to_path_buf()));
        }
        if ui.button(env.tr("cases.cancel")).clicked() {
            action = Some(Action::Cancel);
        }
    });
    action
}

/// A dialog's error line, wrapped, in the theme's error colour.
fn error_label(ui: &mut egui::Ui, text: &str) {
    ui.add(egui::Label::new(RichText::new(text).color(ui.visuals().error_fg_color)).wrap());
}
