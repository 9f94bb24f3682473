//! The window around the panels: top bar (tabs, language, theme, mask and redact toggles, help),
//! status bar, window title, keyboard shortcuts, and files dropped on the window.

use std::path::{Path, PathBuf};

use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui, ViewportCommand};

use super::{App, Tab, ThemeChoice};
use crate::gui::captures;
use crate::gui::command::{Command, Commands, Origin};
use crate::gui::inspect;
use crate::gui::widgets::{self, Notice};
use crate::i18n::Lang;

/// Largest dropped text file read for smart paste.
const MAX_DROPPED_TEXT: u64 = 64 * 1024 * 1024;

impl App {
    pub(super) fn shortcuts(&mut self, ui: &mut Ui, out: &mut Commands) {
        let take = |m: Modifiers, k: Key| {
            ui.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(m, k)))
        };
        if take(Modifiers::NONE, Key::F1) {
            out.send(Command::ToggleHelp);
        }
        // Not while a dialog is asking something.
        if self.guard.asking() || self.cases.dialog_open() {
            return;
        }
        // Ctrl+Shift+S before Ctrl+S: shortcuts match with extra Shift too.
        let cmds = [
            (
                Modifiers::COMMAND | Modifiers::SHIFT,
                Key::S,
                Command::SaveCaseAs,
            ),
            (Modifiers::COMMAND, Key::S, Command::SaveCase),
            (Modifiers::COMMAND, Key::O, Command::ShowOpenDialog),
            (Modifiers::COMMAND, Key::N, Command::NewDocument),
            (Modifiers::COMMAND, Key::Enter, Command::RunAllCases),
        ];
        for (m, k, cmd) in cmds {
            if take(m, k) {
                out.send(cmd);
            }
        }
    }

    /// Files dropped on the window, opened as [`App::open_files`] says.
    pub(super) fn dropped_files(&mut self, ui: &mut Ui, out: &mut Commands) {
        let dropped: Vec<PathBuf> = ui.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if !dropped.is_empty() {
            self.open_files(dropped, out);
        }
    }

    /// What a dropped file or a path given on the command line (`wxdecrypt PATH`) opens: case
    /// files and folders in the cases panel (a case in Inspect), captures in the Captures tab,
    /// any other file read as text for the smart paste.
    pub(crate) fn open_files(&mut self, paths: Vec<PathBuf>, out: &mut Commands) {
        let lang = self.env.lang;
        let mut cases = Vec::new();
        let mut scans = Vec::new();
        let mut input = self.doc.input.clone();
        let mut filled = Vec::new();
        for path in paths {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if name.ends_with(".wxcase.json") || path.is_dir() {
                cases.push(path);
            } else if captures::is_capture_file(&path) {
                scans.push(path);
            } else {
                match read_text(&path, lang) {
                    Ok(text) => match inspect::smart_paste(&text, &input, lang) {
                        Some((found, fields)) => {
                            input = found;
                            filled.push(fields);
                        }
                        None => {
                            self.drop_notice(Notice::warning(lang.tr("inspect.paste_any.none")))
                        }
                    },
                    Err(e) => self.drop_notice(Notice::error(lang.fmt(
                        "app.drop.error",
                        &[("path", &path.display().to_string()), ("error", &e)],
                    ))),
                }
            }
        }
        if !filled.is_empty() {
            let fields = filled.join(", ");
            out.send(Command::FillInputs {
                input,
                origin: Origin::Text { fields },
            });
        }
        if !cases.is_empty() {
            out.send(Command::OpenPaths(cases));
        }
        if !scans.is_empty() {
            out.send(Command::StartScan(scans));
        }
    }

    fn drop_notice(&mut self, notice: Notice) {
        self.tab = Tab::Inspect;
        self.inspect.notice = Some(notice);
    }

    pub(super) fn drop_overlay(&self, ui: &mut Ui) {
        let hovering = ui.input(|i| !i.raw.hovered_files.is_empty());
        if !hovering {
            return;
        }
        let ctx = ui.ctx();
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("drop_overlay"),
        ));
        let rect = ctx.content_rect();
        painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            self.env.tr("app.drop.hint"),
            egui::FontId::proportional(20.0),
            egui::Color32::WHITE,
        );
    }

    pub(super) fn top_bar(&mut self, ui: &mut Ui, out: &mut Commands) {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("wxdecrypt").strong().size(16.0));
            ui.separator();
            for (tab, key, tip) in [
                (Tab::Inspect, "app.tab.inspect", "app.tab.inspect.tip"),
                (Tab::Encrypt, "app.tab.encrypt", "app.tab.encrypt.tip"),
                (Tab::Captures, "app.tab.captures", "app.tab.captures.tip"),
            ] {
                let text = RichText::new(self.env.tr(key)).strong();
                if ui
                    .selectable_label(self.tab == tab, text)
                    .on_hover_text(self.env.tr(tip))
                    .clicked()
                {
                    out.send(Command::SwitchTab(tab));
                }
            }
            ui.separator();
            for l in Lang::ALL {
                if ui
                    .selectable_label(self.env.lang == l, l.native_name())
                    .clicked()
                {
                    out.send(Command::SetLang(l));
                }
            }
            ui.separator();
            let theme_label = ui.label(self.env.tr("app.theme"));
            egui::ComboBox::from_id_salt("theme_choice")
                .selected_text(self.env.tr(self.theme.key()))
                .show_ui(ui, |ui| {
                    for t in ThemeChoice::ALL {
                        ui.selectable_value(&mut self.theme, t, self.env.tr(t.key()));
                    }
                })
                .response
                .labelled_by(theme_label.id);
            ui.separator();
            let env = self.env;
            ui.checkbox(&mut self.env.mask, env.tr("app.mask"))
                .on_hover_text(env.tr("app.mask.tip"));
            ui.checkbox(&mut self.env.redact_on_save, env.tr("app.redact"))
                .on_hover_text(env.tr("app.redact.tip"));
            ui.separator();
            if ui
                .button(env.tr("app.help"))
                .on_hover_text(env.tr("app.help.tip"))
                .clicked()
            {
                out.send(Command::ToggleHelp);
            }
        });
    }

    pub(super) fn status_bar(&self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let doc = &self.doc;
            let name = match (&doc.path, doc.name.is_empty()) {
                (Some(p), _) => p.display().to_string(),
                (None, false) => doc.name.clone(),
                (None, true) => self.env.tr("app.untitled").to_string(),
            };
            ui.label(RichText::new(name).weak());
            if doc.is_dirty() {
                ui.label(
                    RichText::new(self.env.tr("app.unsaved")).color(widgets::severity_color(
                        ui,
                        crate::finding::Severity::Warning,
                    )),
                );
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(RichText::new(self.env.tr("app.privacy")).weak().small());
            });
        });
    }

    pub(super) fn update_title(&mut self, ctx: &egui::Context) {
        let mut title = String::from("wxdecrypt");
        if let Some(name) = self
            .doc
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .or_else(|| (!self.doc.name.is_empty()).then(|| self.doc.name.clone()))
        {
            title = format!("{name} — wxdecrypt");
        }
        if self.doc.is_dirty() {
            title.insert(0, '•');
        }
        if title != self.title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }
}

/// Reads a dropped file as text (bounded size, UTF-8 with replacement).
fn read_text(path: &Path, lang: Lang) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > MAX_DROPPED_TEXT {
        let size = (meta.len() / (1024 * 1024)).to_string();
        return Err(lang.fmt("app.drop.too_big", &[("size", &size)]));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
