//! The application shell: top bar (tabs, language, theme, mask and redact toggles, help), the cases
//! side panel, the active tab, keyboard shortcuts, dropped files, the close confirmation and the
//! persisted settings (never any key or payload).

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui, ViewportCommand};
use serde::{Deserialize, Serialize};

use crate::gui::captures::{self, CapturesView};
use crate::gui::cases::{CaseCommand, CasesPanel};
use crate::gui::demo;
use crate::gui::encrypt::EncryptView;
use crate::gui::fonts;
use crate::gui::help;
use crate::gui::inspect::InspectView;
use crate::gui::state::{Document, UiEnv, demo_input};
use crate::gui::widgets::{self, Notice};
use crate::i18n::Lang;

/// The storage key of [`Settings`].
pub const SETTINGS_KEY: &str = "wxdecrypt.settings";

/// Largest dropped text file read for smart paste.
const MAX_DROPPED_TEXT: u64 = 64 * 1024 * 1024;

/// The tabs of the main area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Inspect,
    Encrypt,
    Captures,
}

/// Light, dark, or whatever the system uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    fn key(self) -> &'static str {
        match self {
            ThemeChoice::System => "app.theme.system",
            ThemeChoice::Light => "app.theme.light",
            ThemeChoice::Dark => "app.theme.dark",
        }
    }

    fn preference(self) -> egui::ThemePreference {
        match self {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        }
    }

    pub fn parse(s: &str) -> Option<ThemeChoice> {
        match s.trim().to_ascii_lowercase().as_str() {
            "system" | "auto" => Some(ThemeChoice::System),
            "light" => Some(ThemeChoice::Light),
            "dark" => Some(ThemeChoice::Dark),
            _ => None,
        }
    }
}

/// What is remembered between runs. Deliberately no inputs, keys or results.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub lang: Option<Lang>,
    pub theme: ThemeChoice,
    pub mask: bool,
    pub redact_on_save: bool,
    pub folder: Option<PathBuf>,
}

/// Start-up overrides read from `WXDECRYPT_*` environment variables (screenshots, demos).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    pub demo: Option<String>,
    pub lang: Option<Lang>,
    pub theme: Option<ThemeChoice>,
    pub tab: Option<Tab>,
    pub mask: Option<bool>,
    pub folder: Option<PathBuf>,
    pub help: bool,
}

impl Overrides {
    /// `WXDECRYPT_DEMO`, `WXDECRYPT_LANG`, `WXDECRYPT_THEME`, `WXDECRYPT_TAB`, `WXDECRYPT_MASK`,
    /// `WXDECRYPT_FOLDER`, `WXDECRYPT_HELP`.
    pub fn from_env() -> Overrides {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let flag = |v: String| matches!(v.trim(), "1" | "true" | "yes" | "on");
        Overrides {
            demo: var("WXDECRYPT_DEMO"),
            lang: var("WXDECRYPT_LANG").and_then(|v| Lang::parse(&v)),
            theme: var("WXDECRYPT_THEME").and_then(|v| ThemeChoice::parse(&v)),
            tab: var("WXDECRYPT_TAB").and_then(|v| match v.trim() {
                "encrypt" => Some(Tab::Encrypt),
                "inspect" => Some(Tab::Inspect),
                "captures" => Some(Tab::Captures),
                _ => None,
            }),
            mask: var("WXDECRYPT_MASK").map(flag),
            folder: var("WXDECRYPT_FOLDER").map(PathBuf::from),
            help: var("WXDECRYPT_HELP").is_some_and(flag),
        }
    }

    fn any(&self) -> bool {
        *self != Overrides::default()
    }
}

/// Where closing the window stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Closing {
    /// Nothing asked.
    Idle,
    /// The "unsaved changes" question is shown.
    Asking,
    /// The user chose Save; close once the document is saved.
    SavingThenClose,
    /// Close without asking again.
    Confirmed,
}

/// The workbench.
pub struct App {
    pub env: UiEnv,
    pub doc: Document,
    pub tab: Tab,
    pub theme: ThemeChoice,
    pub help_open: bool,
    pub inspect: InspectView,
    pub cases: CasesPanel,
    pub encrypt: EncryptView,
    pub captures: CapturesView,
    closing: Closing,
    /// Save settings on exit (off when started with overrides or in tests).
    persist: bool,
    /// Keep `env.now` as given (tests).
    fixed_now: bool,
    applied_theme: Option<ThemeChoice>,
    fonts_installed: bool,
    title: String,
}

impl App {
    fn build(settings: Settings, env: UiEnv, overrides: &Overrides) -> App {
        let input = overrides
            .demo
            .as_deref()
            .and_then(|name| demo::preset(name, env.now))
            .unwrap_or_else(demo_input);
        let doc = Document::new(input, &env);
        let folder = overrides.folder.clone().or(settings.folder);
        App {
            env,
            doc,
            tab: overrides.tab.unwrap_or_default(),
            theme: overrides.theme.unwrap_or(settings.theme),
            help_open: overrides.help,
            inspect: InspectView::new(),
            cases: CasesPanel::new(folder),
            encrypt: EncryptView::new(),
            captures: CapturesView::new(),
            closing: Closing::Idle,
            persist: !overrides.any(),
            fixed_now: false,
            applied_theme: None,
            fonts_installed: false,
            title: String::new(),
        }
    }

    /// The app as eframe starts it: settings from storage, `WXDECRYPT_*` overrides, fonts.
    pub fn new(cc: &eframe::CreationContext<'_>) -> App {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        let overrides = Overrides::from_env();
        let env = UiEnv {
            lang: overrides
                .lang
                .or(settings.lang)
                .unwrap_or_else(Lang::from_env),
            mask: overrides.mask.unwrap_or(settings.mask),
            redact_on_save: settings.redact_on_save,
            now: chrono::Utc::now().timestamp(),
        };
        fonts::install(&cc.egui_ctx);
        let mut app = App::build(settings, env, &overrides);
        app.fonts_installed = true;
        app
    }

    /// An app without a window or storage, on the official demo, with `env.now` fixed (tests).
    pub fn new_for_test(env: UiEnv) -> App {
        let mut app = App::build(Settings::default(), env, &Overrides::default());
        app.persist = false;
        app.fixed_now = true;
        app
    }

    /// The settings to remember.
    pub fn settings(&self) -> Settings {
        Settings {
            lang: Some(self.env.lang),
            theme: self.theme,
            mask: self.env.mask,
            redact_on_save: self.env.redact_on_save,
            folder: self.cases.folder().map(|p| p.to_path_buf()),
        }
    }

    /// Switches the interface language (messages of the current report included).
    pub fn set_lang(&mut self, lang: Lang) {
        if self.env.lang != lang {
            self.env.lang = lang;
            self.doc.refresh(&self.env);
            self.inspect.notice = None;
        }
    }

    /// Draws the whole window into `ui` (also what tests drive).
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if !self.fonts_installed {
            fonts::install(&ctx);
            self.fonts_installed = true;
        }
        if self.applied_theme != Some(self.theme) {
            ctx.set_theme(self.theme.preference());
            self.applied_theme = Some(self.theme);
        }
        self.tick_clock();
        self.shortcuts(ui);
        self.dropped_files(ui);

        egui::Panel::top("top_bar").show(ui, |ui| self.top_bar(ui));
        egui::Panel::bottom("status_bar").show(ui, |ui| self.status_bar(ui));
        egui::Panel::left("cases_panel")
            .resizable(true)
            .default_size(250.0)
            .min_size(180.0)
            .show(ui, |ui| self.cases.ui(ui, &self.env, &mut self.doc));
        egui::CentralPanel::default().show(ui, |ui| match self.tab {
            Tab::Inspect => self.inspect.ui(ui, &self.env, &mut self.doc),
            Tab::Encrypt => {
                if let Some(input) = self.encrypt.ui(ui, &self.env) {
                    self.doc.set_input(input, &self.env);
                    self.tab = Tab::Inspect;
                    self.inspect.notice = Some(Notice::ok(self.env.tr("app.opened_from_encrypt")));
                }
            }
            Tab::Captures => {
                let folder = self.cases.folder().map(|p| p.to_path_buf());
                let opened = self
                    .captures
                    .ui(ui, &self.env, &self.doc, folder.as_deref());
                if self.captures.take_cases_saved() {
                    self.cases.rescan();
                }
                if let Some(input) = opened {
                    self.doc = Document::new(input, &self.env);
                    self.tab = Tab::Inspect;
                    self.inspect.notice = Some(Notice::ok(self.env.tr("app.opened_from_captures")));
                }
            }
        });
        self.cases.dialogs(&ctx, &self.env, &mut self.doc);
        help::window(&ctx, &self.env, &mut self.help_open);
        self.close_dialog(&ctx);
        self.drop_overlay(ui);
        self.update_title(&ctx);
    }

    /// Keeps `env.now` current (watermark ages) without repainting while idle.
    fn tick_clock(&mut self) {
        if self.fixed_now {
            return;
        }
        let now = chrono::Utc::now().timestamp();
        if (now - self.env.now).abs() >= 60 {
            self.env.now = now;
            self.doc.refresh(&self.env);
        }
    }

    fn shortcuts(&mut self, ui: &mut Ui) {
        let take = |m: Modifiers, k: Key| {
            ui.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(m, k)))
        };
        // Ctrl+Shift+S before Ctrl+S: shortcuts match with extra Shift too.
        let cmds = [
            (
                take(Modifiers::COMMAND | Modifiers::SHIFT, Key::S),
                CaseCommand::SaveAs,
            ),
            (take(Modifiers::COMMAND, Key::S), CaseCommand::Save),
            (take(Modifiers::COMMAND, Key::O), CaseCommand::Open),
            (take(Modifiers::COMMAND, Key::N), CaseCommand::New),
            (take(Modifiers::COMMAND, Key::Enter), CaseCommand::RunAll),
        ];
        let help = take(Modifiers::NONE, Key::F1);
        for (pressed, cmd) in cmds {
            if pressed {
                self.cases.command(cmd, &self.env, &mut self.doc);
            }
        }
        if help {
            self.help_open = !self.help_open;
        }
    }

    fn dropped_files(&mut self, ui: &mut Ui) {
        let dropped = ui.input(|i| i.raw.dropped_files.clone());
        if dropped.is_empty() {
            return;
        }
        let mut cases = Vec::new();
        let mut captures = Vec::new();
        for file in dropped {
            let path = file.path().to_path_buf();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if name.ends_with(".wxcase.json") || path.is_dir() {
                cases.push(path);
                continue;
            }
            if captures::is_capture_file(&path) {
                captures.push(path);
                continue;
            }
            match read_text(&path) {
                Ok(text) => {
                    self.tab = Tab::Inspect;
                    self.inspect.paste_text(&text, &self.env, &mut self.doc);
                }
                Err(e) => {
                    self.inspect.notice = Some(Notice::error(self.env.lang.fmt(
                        "app.drop.error",
                        &[("path", &path.display().to_string()), ("error", &e)],
                    )));
                }
            }
        }
        if !cases.is_empty() {
            self.cases.open_paths(cases, &self.env, &mut self.doc);
        }
        if !captures.is_empty() {
            self.tab = Tab::Captures;
            let ctx = ui.ctx().clone();
            self.captures.start_scan(captures, &self.env, Some(ctx));
        }
    }

    fn drop_overlay(&self, ui: &mut Ui) {
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

    fn top_bar(&mut self, ui: &mut Ui) {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("wxdecrypt").strong().size(16.0));
            ui.separator();
            ui.selectable_value(
                &mut self.tab,
                Tab::Inspect,
                RichText::new(self.env.tr("app.tab.inspect")).strong(),
            )
            .on_hover_text(self.env.tr("app.tab.inspect.tip"));
            ui.selectable_value(
                &mut self.tab,
                Tab::Encrypt,
                RichText::new(self.env.tr("app.tab.encrypt")).strong(),
            )
            .on_hover_text(self.env.tr("app.tab.encrypt.tip"));
            ui.selectable_value(
                &mut self.tab,
                Tab::Captures,
                RichText::new(self.env.tr("app.tab.captures")).strong(),
            )
            .on_hover_text(self.env.tr("app.tab.captures.tip"));
            ui.separator();
            let mut lang = self.env.lang;
            for l in Lang::ALL {
                ui.selectable_value(&mut lang, l, l.native_name());
            }
            self.set_lang(lang);
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
                .button(self.env.tr("app.help"))
                .on_hover_text(self.env.tr("app.help.tip"))
                .clicked()
            {
                self.help_open = !self.help_open;
            }
        });
    }

    fn status_bar(&mut self, ui: &mut Ui) {
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

    /// Asks before closing with unsaved work: save / discard / cancel.
    fn close_dialog(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) {
            match self.closing {
                Closing::Confirmed => {}
                _ if !self.doc.is_dirty() => {}
                _ => {
                    ctx.send_viewport_cmd(ViewportCommand::CancelClose);
                    self.closing = Closing::Asking;
                }
            }
        }
        if self.closing == Closing::SavingThenClose {
            if !self.doc.is_dirty() {
                self.closing = Closing::Confirmed;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            } else if !self.cases.dialog_open() {
                // The save was cancelled or failed: stay open.
                self.closing = Closing::Idle;
            }
        }
        if self.closing != Closing::Asking {
            return;
        }
        let env = self.env;
        let mut choice = None;
        let modal = egui::Modal::new(egui::Id::unique("close_confirm")).show(ctx, |ui| {
            ui.set_max_width(380.0);
            widgets::heading(ui, env.tr("app.close.title"));
            ui.label(env.tr("app.close.text"));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui
                    .button(RichText::new(env.tr("app.close.save")).strong())
                    .clicked()
                {
                    choice = Some(CloseChoice::Save);
                }
                if ui.button(env.tr("app.close.discard")).clicked() {
                    choice = Some(CloseChoice::Discard);
                }
                if ui.button(env.tr("app.close.cancel")).clicked() {
                    choice = Some(CloseChoice::Cancel);
                }
            });
        });
        if modal.should_close() && choice.is_none() {
            choice = Some(CloseChoice::Cancel);
        }
        match choice {
            Some(CloseChoice::Save) => {
                self.cases
                    .command(CaseCommand::Save, &self.env, &mut self.doc);
                self.closing = Closing::SavingThenClose;
            }
            Some(CloseChoice::Discard) => {
                self.closing = Closing::Confirmed;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
            Some(CloseChoice::Cancel) => self.closing = Closing::Idle,
            None => {}
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CloseChoice {
    Save,
    Discard,
    Cancel,
}

/// Reads a dropped file as text (bounded size, UTF-8 with replacement).
fn read_text(path: &std::path::Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > MAX_DROPPED_TEXT {
        return Err(format!("{} MB > 64 MB", meta.len() / (1024 * 1024)));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.persist {
            eframe::set_value(storage, SETTINGS_KEY, &self.settings());
        }
    }

    /// egui's memory holds text-edit undo history, i.e. pasted keys: never write it to disk.
    fn persist_egui_memory(&self) -> bool {
        false
    }
}
