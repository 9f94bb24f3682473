//! The Cases side panel: the workspace folder's saved cases, run-all results, and the New / Open /
//! Save / Save As / Rename / Duplicate / Delete operations with their dialogs. File logic lives in
//! [`workspace`]; this module draws and routes user intent.

pub mod workspace;

use std::path::{Path, PathBuf};

use egui::{Color32, RichText};

use crate::gui::state::{Document, UiEnv};
use crate::opendata::Input;
use crate::privacy::mask_phone;
use workspace::{OpError, Workspace};

/// Commands the app's shortcuts and menus send to the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseCommand {
    New,
    Open,
    Save,
    SaveAs,
    RunAll,
}

/// What to do once unsaved changes have been saved or discarded.
#[derive(Debug, Clone, PartialEq)]
enum Then {
    New,
    Load(PathBuf),
}

/// The panel's modal windows.
#[derive(Debug, Clone, PartialEq)]
enum Dialog {
    Open {
        path: String,
        note: Option<String>,
    },
    Save {
        name: String,
        notes: String,
        folder: String,
        save_as: bool,
        then: Option<Then>,
        error: Option<String>,
    },
    Confirm {
        then: Then,
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
    ConfirmSave(Then),
    ConfirmDiscard(Then),
    Rename(PathBuf, String),
    Delete(PathBuf),
    Cancel,
}

/// A line shown at the top of the panel until dismissed.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub error: bool,
    pub text: String,
}

/// The Cases side panel.
pub struct CasesPanel {
    ws: Workspace,
    selected: Option<PathBuf>,
    dialog: Option<Dialog>,
    message: Option<Message>,
}

impl CasesPanel {
    /// Opens the panel on `folder` (scanned recursively for case files).
    pub fn new(folder: Option<PathBuf>) -> CasesPanel {
        CasesPanel {
            ws: Workspace::new(folder),
            selected: None,
            dialog: None,
            message: None,
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
    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    /// Whether one of the panel's dialogs is open.
    pub fn dialog_open(&self) -> bool {
        self.dialog.is_some()
    }

    fn info(&mut self, text: String) {
        self.message = Some(Message { error: false, text });
    }

    fn error(&mut self, text: String) {
        self.message = Some(Message { error: true, text });
    }

    /// Runs a command from a shortcut or a menu.
    pub fn command(&mut self, cmd: CaseCommand, env: &UiEnv, doc: &mut Document) {
        match cmd {
            CaseCommand::New => self.request(Then::New, env, doc),
            CaseCommand::Open => {
                let path = self
                    .ws
                    .folder()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                self.dialog = Some(Dialog::Open { path, note: None });
            }
            CaseCommand::Save => self.save(env, doc, false, None),
            CaseCommand::SaveAs => self.save(env, doc, true, None),
            CaseCommand::RunAll => self.run_all(env),
        }
    }

    /// Re-inspects every case of the workspace.
    /// Re-reads the case files of the folder (after another view wrote some).
    pub fn rescan(&mut self) {
        self.ws.rescan();
    }

    pub fn run_all(&mut self, env: &UiEnv) {
        let sum = self.ws.run_all(&env.options());
        if self.ws.entries.is_empty() && sum.skipped == 0 {
            self.info(env.tr("cases.run.none").to_string());
        } else {
            self.message = None;
        }
    }

    /// Opens dropped files: one case file is loaded, several are added to the list, a folder
    /// becomes the workspace.
    pub fn open_paths(&mut self, paths: Vec<PathBuf>, env: &UiEnv, doc: &mut Document) {
        match paths.as_slice() {
            [] => {}
            [one] => self.open_path(one.clone(), env, doc),
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

    /// Opens a folder as the workspace, or a case file into the document.
    pub fn open_path(&mut self, path: PathBuf, env: &UiEnv, doc: &mut Document) {
        if path.is_dir() {
            self.ws.open_folder(path);
            self.selected = None;
            self.message = None;
        } else if path.is_file() {
            if self.ws.entry(&path).is_none() {
                self.ws.add_files(std::slice::from_ref(&path));
            }
            self.select(path, env, doc);
        } else {
            self.error(env.lang.fmt(
                "cases.open.not_found",
                &[("path", &path.display().to_string())],
            ));
        }
    }

    /// Selects a list entry and opens it (asking first when the document has unsaved changes).
    pub fn select(&mut self, path: PathBuf, env: &UiEnv, doc: &mut Document) {
        self.selected = Some(path.clone());
        let readable = self.ws.entry(&path).is_some_and(|e| e.case.is_ok());
        if readable && doc.path.as_deref() != Some(path.as_path()) {
            self.request(Then::Load(path), env, doc);
        }
    }

    /// Does `then`, or asks Save / Discard / Cancel first when the document is dirty.
    fn request(&mut self, then: Then, env: &UiEnv, doc: &mut Document) {
        if doc.is_dirty() {
            self.dialog = Some(Dialog::Confirm { then });
        } else {
            self.perform(then, env, doc);
        }
    }

    fn perform(&mut self, then: Then, env: &UiEnv, doc: &mut Document) {
        match then {
            Then::New => {
                *doc = Document::new(Input::default(), env);
                self.selected = None;
            }
            Then::Load(path) => match crate::case::load_case(&path) {
                Ok(case) => {
                    doc.load_case(case, Some(path.clone()), env);
                    self.selected = Some(path);
                }
                Err(e) => {
                    self.error(e.to_string());
                    self.selected = doc.path.clone();
                }
            },
        }
    }

    /// Saves the document to its file, or asks for a name (and a folder) first.
    fn save(&mut self, env: &UiEnv, doc: &mut Document, save_as: bool, then: Option<Then>) {
        match (&doc.path, save_as) {
            (Some(path), false) => {
                let path = path.clone();
                let case = doc.to_case(env);
                match self.ws.save_to(&path, &case) {
                    Ok(()) => {
                        doc.mark_saved(path.clone(), case);
                        self.info(
                            env.lang
                                .fmt("cases.saved", &[("path", &path.display().to_string())]),
                        );
                        if let Some(t) = then {
                            self.perform(t, env, doc);
                        }
                    }
                    Err(e) => self.error(e.message(env.lang)),
                }
            }
            _ => {
                self.dialog = Some(Dialog::Save {
                    name: doc.name.clone(),
                    notes: doc.notes.clone(),
                    folder: self
                        .ws
                        .folder()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                    save_as,
                    then,
                    error: None,
                });
            }
        }
    }

    /// Saves a new file from the Save form. Returns the error to show in the form.
    fn save_form(
        &mut self,
        name: &str,
        notes: &str,
        folder: &str,
        env: &UiEnv,
        doc: &mut Document,
    ) -> Result<Option<Then>, String> {
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
        doc.name = draft.name;
        doc.notes = draft.notes;
        doc.mark_saved(path.clone(), case);
        self.selected = Some(path.clone());
        self.info(
            env.lang
                .fmt("cases.saved", &[("path", &path.display().to_string())]),
        );
        match self.dialog.take() {
            Some(Dialog::Save { then, .. }) => Ok(then),
            other => {
                self.dialog = other;
                Ok(None)
            }
        }
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

    fn rename(
        &mut self,
        path: &Path,
        name: &str,
        env: &UiEnv,
        doc: &mut Document,
    ) -> Result<(), String> {
        let (new_path, case) = self
            .ws
            .rename(path, name)
            .map_err(|e| e.message(env.lang))?;
        if doc.path.as_deref() == Some(path) {
            doc.path = Some(new_path.clone());
            doc.name = case.name.clone();
            if let Some(s) = &mut doc.saved {
                s.name = case.name.clone();
            }
            doc.case = Some(case);
        }
        if self.selected.as_deref() == Some(path) {
            self.selected = Some(new_path.clone());
        }
        self.info(env.lang.fmt(
            "cases.renamed",
            &[("path", &new_path.display().to_string())],
        ));
        Ok(())
    }

    fn delete(&mut self, path: &Path, env: &UiEnv, doc: &mut Document) {
        match self.ws.delete(path) {
            Ok(()) => {
                if doc.path.as_deref() == Some(path) {
                    // The inputs stay on screen as an unsaved document: nothing is lost.
                    doc.path = None;
                    doc.case = None;
                    doc.saved = None;
                }
                if self.selected.as_deref() == Some(path) {
                    self.selected = None;
                }
                self.info(
                    env.lang
                        .fmt("cases.deleted", &[("path", &path.display().to_string())]),
                );
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
    pub fn ui(&mut self, ui: &mut egui::Ui, env: &UiEnv, doc: &mut Document) {
        ui.heading(env.tr("cases.title"));
        let mut cmd = None;
        ui.horizontal_wrapped(|ui| {
            if ui.button(env.tr("cases.new")).clicked() {
                cmd = Some(CaseCommand::New);
            }
            if ui.button(env.tr("cases.open")).clicked() {
                cmd = Some(CaseCommand::Open);
            }
            if ui.button(env.tr("cases.save")).clicked() {
                cmd = Some(CaseCommand::Save);
            }
            if ui.button(env.tr("cases.save_as")).clicked() {
                cmd = Some(CaseCommand::SaveAs);
            }
            if ui.button(env.tr("cases.run_all")).clicked() {
                cmd = Some(CaseCommand::RunAll);
            }
        });
        if let Some(c) = cmd {
            self.command(c, env, doc);
        }

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

        if let Some(m) = self.message.clone() {
            let color = if m.error {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().text_color()
            };
            ui.horizontal_wrapped(|ui| {
                ui.add(egui::Label::new(RichText::new(&m.text).color(color)).wrap());
                if ui.small_button(env.tr("cases.dismiss")).clicked() {
                    self.message = None;
                }
            });
        }

        ui.separator();
        self.current_ui(ui, env, doc);
        ui.separator();

        if let Some(sum) = self.ws.summary {
            let color = if sum.failed > 0 || sum.skipped > 0 {
                ui.visuals().warn_fg_color
            } else {
                pass_color(ui)
            };
            ui.label(RichText::new(sum.text(env.lang)).strong().color(color));
        }

        self.list_ui(ui, env, doc);

        ui.separator();
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

    /// Name and notes of the open document, with its unsaved-changes mark.
    fn current_ui(&mut self, ui: &mut egui::Ui, env: &UiEnv, doc: &mut Document) {
        ui.horizontal(|ui| {
            ui.strong(env.tr("cases.current"));
            if doc.is_dirty() {
                ui.label(
                    RichText::new(format!("• {}", env.tr("cases.unsaved")))
                        .color(ui.visuals().warn_fg_color),
                );
            }
        });
        egui::Grid::new("cases.current.grid")
            .num_columns(2)
            .show(ui, |ui| {
                let l = ui.label(env.tr("cases.name"));
                ui.add(
                    egui::TextEdit::singleline(&mut doc.name)
                        .hint_text(env.tr("cases.untitled"))
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id);
                ui.end_row();
                let l = ui.label(env.tr("cases.notes"));
                ui.add(
                    egui::TextEdit::multiline(&mut doc.notes)
                        .desired_rows(2)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id);
                ui.end_row();
            });
        if let Some(p) = &doc.path {
            let file = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            ui.label(RichText::new(file).small().weak())
                .on_hover_text(p.display().to_string());
        }
    }

    fn list_ui(&mut self, ui: &mut egui::Ui, env: &UiEnv, doc: &mut Document) {
        let mut clicked: Option<PathBuf> = None;
        let dirty = doc.is_dirty();
        if self.ws.entries.is_empty() && self.ws.folder().is_some() {
            ui.label(RichText::new(env.tr("cases.empty")).weak());
        }
        egui::ScrollArea::vertical()
            .id_salt("cases.list")
            .max_height((ui.available_height() - 40.0).max(120.0))
            .show(ui, |ui| {
                for e in &self.ws.scan_errors {
                    ui.add(
                        egui::Label::new(
                            RichText::new(e.to_string()).color(ui.visuals().error_fg_color),
                        )
                        .wrap(),
                    );
                }
                for entry in &self.ws.entries {
                    let is_open = doc.path.as_deref() == Some(entry.path.as_path());
                    let is_sel = self.selected.as_deref() == Some(entry.path.as_path()) || is_open;
                    let mark = if is_open && dirty { "• " } else { "" };
                    let name = format!("{mark}{}", entry.display_name());
                    ui.horizontal(|ui| {
                        let r = ui
                            .selectable_label(is_sel, name)
                            .on_hover_text(entry.path.display().to_string());
                        if r.clicked() {
                            clicked = Some(entry.path.clone());
                        }
                        match &entry.case {
                            Ok(c) => {
                                let kind = match c.expect.kind {
                                    Some(k) if c.expect.ok => env.tr(k.label_key()),
                                    _ if !c.expect.ok => env.tr("cases.expect_fail"),
                                    _ => "",
                                };
                                ui.label(RichText::new(kind).small().weak());
                                match &entry.outcome {
                                    Some(o) if o.passed => {
                                        ui.label(
                                            RichText::new(env.tr("cases.pass"))
                                                .color(pass_color(ui)),
                                        );
                                    }
                                    Some(o) => {
                                        let diffs = diff_text(&o.diffs, env.mask);
                                        ui.label(
                                            RichText::new(env.tr("cases.fail"))
                                                .color(ui.visuals().error_fg_color),
                                        )
                                        .on_hover_text(diffs);
                                    }
                                    None => {
                                        ui.label(
                                            RichText::new(env.tr("cases.not_run")).small().weak(),
                                        );
                                    }
                                }
                            }
                            Err(_) => {
                                ui.label(
                                    RichText::new(env.tr("cases.malformed"))
                                        .color(ui.visuals().error_fg_color),
                                );
                            }
                        }
                    });
                    match (&entry.case, &entry.outcome) {
                        (Err(e), _) => {
                            ui.indent(("cases.err", &entry.path), |ui| {
                                ui.add(
                                    egui::Label::new(
                                        RichText::new(e.to_string())
                                            .small()
                                            .color(ui.visuals().error_fg_color),
                                    )
                                    .wrap(),
                                );
                            });
                        }
                        (Ok(_), Some(o)) if !o.passed => {
                            egui::CollapsingHeader::new(env.tr("cases.differences"))
                                .id_salt(("cases.diff", &entry.path))
                                .default_open(true)
                                .show(ui, |ui| {
                                    for d in &o.diffs {
                                        let d = if env.mask { mask_phone(d) } else { d.clone() };
                                        ui.add(
                                            egui::Label::new(RichText::new(d).small().monospace())
                                                .wrap(),
                                        );
                                    }
                                });
                        }
                        _ => {}
                    }
                }
            });
        if let Some(p) = clicked {
            self.select(p, env, doc);
        }
    }

    /// The panel's modal windows; call once per frame.
    pub fn dialogs(&mut self, ctx: &egui::Context, env: &UiEnv, doc: &mut Document) {
        let Some(mut dialog) = self.dialog.take() else {
            return;
        };
        let mut action: Option<Action> = None;
        let modal = egui::Modal::new(egui::Id::unique("wxdecrypt.cases.dialog")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            match &mut dialog {
                Dialog::Open { path, note } => {
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
                        ui.add(
                            egui::Label::new(
                                RichText::new(n.as_str()).color(ui.visuals().warn_fg_color),
                            )
                            .wrap(),
                        );
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
                }
                Dialog::Save {
                    name,
                    notes,
                    folder,
                    save_as,
                    error,
                    ..
                } => {
                    ui.heading(env.tr(if *save_as {
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
                }
                Dialog::Confirm { then } => {
                    ui.heading(env.tr("cases.confirm.title"));
                    let name = if doc.name.trim().is_empty() {
                        env.tr("cases.untitled").to_string()
                    } else {
                        doc.name.clone()
                    };
                    ui.label(env.lang.fmt("cases.confirm.message", &[("name", &name)]));
                    ui.horizontal(|ui| {
                        if ui.button(env.tr("cases.confirm.save")).clicked() {
                            action = Some(Action::ConfirmSave(then.clone()));
                        }
                        if ui.button(env.tr("cases.confirm.discard")).clicked() {
                            action = Some(Action::ConfirmDiscard(then.clone()));
                        }
                        if ui.button(env.tr("cases.cancel")).clicked() {
                            action = Some(Action::Cancel);
                        }
                    });
                }
                Dialog::Rename { path, name, error } => {
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
                            action = Some(Action::Rename(path.clone(), name.clone()));
                        }
                        if ui.button(env.tr("cases.cancel")).clicked() {
                            action = Some(Action::Cancel);
                        }
                    });
                }
                Dialog::Delete { path } => {
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
                            action = Some(Action::Delete(path.clone()));
                        }
                        if ui.button(env.tr("cases.cancel")).clicked() {
                            action = Some(Action::Cancel);
                        }
                    });
                }
            }
        });
        if modal.should_close() && action.is_none() {
            action = Some(Action::Cancel);
        }
        self.dialog = Some(dialog);
        if let Some(a) = action {
            self.apply(a, env, doc);
        }
    }

    fn apply(&mut self, action: Action, env: &UiEnv, doc: &mut Document) {
        match action {
            Action::Cancel => {
                self.dialog = None;
                self.selected = doc.path.clone();
            }
            Action::OpenPath(p) => {
                let p = p.trim();
                if p.is_empty() {
                    return;
                }
                self.dialog = None;
                self.open_path(PathBuf::from(p), env, doc);
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
                        self.open_path(p, env, doc);
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
                let Some(Dialog::Save {
                    name,
                    notes,
                    folder,
                    ..
                }) = self.dialog.clone()
                else {
                    return;
                };
                match self.save_form(&name, &notes, &folder, env, doc) {
                    Ok(then) => {
                        self.dialog = None;
                        if let Some(t) = then {
                            self.perform(t, env, doc);
                        }
                    }
                    Err(e) => {
                        if let Some(Dialog::Save { error, .. }) = &mut self.dialog {
                            *error = Some(e);
                        }
                    }
                }
            }
            Action::ConfirmSave(then) => {
                self.dialog = None;
                self.save(env, doc, false, Some(then));
            }
            Action::ConfirmDiscard(then) => {
                self.dialog = None;
                self.perform(then, env, doc);
            }
            Action::Rename(path, name) => match self.rename(&path, &name, env, doc) {
                Ok(()) => self.dialog = None,
                Err(e) => {
                    if let Some(Dialog::Rename { error, .. }) = &mut self.dialog {
                        *error = Some(e);
                    }
                }
            },
            Action::Delete(path) => {
                self.dialog = None;
                self.delete(&path, env, doc);
            }
        }
    }
}

fn pass_color(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(0x6c, 0xd0, 0x7c)
    } else {
        Color32::from_rgb(0x1e, 0x84, 0x34)
    }
}

fn diff_text(diffs: &[String], mask: bool) -> String {
    diffs
        .iter()
        .map(|d| if mask { mask_phone(d) } else { d.clone() })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A dialog's error line, wrapped, in the theme's error colour.
fn error_label(ui: &mut egui::Ui, text: &str) {
    ui.add(egui::Label::new(RichText::new(text).color(ui.visuals().error_fg_color)).wrap());
}
