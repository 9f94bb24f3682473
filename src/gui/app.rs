//! The application shell: owns the state (settings, the open document, one struct per panel),
//! draws the panels each frame from a read-only [`ViewCtx`], then applies the [`Command`]s they
//! queued ([`apply`]). The top and status bars, shortcuts and dropped files are in [`chrome`].

mod apply;
mod chrome;
mod settings;

use std::path::Path;

use egui::{Ui, ViewportCommand};

pub use settings::{Overrides, SETTINGS_KEY, Settings, Tab, ThemeChoice};

use crate::gui::captures::CapturesView;
use crate::gui::cases::CasesPanel;
use crate::gui::command::{Command, Commands};
use crate::gui::confirm::{self, Guard};
use crate::gui::demo;
use crate::gui::encrypt::EncryptView;
use crate::gui::fonts;
use crate::gui::help;
use crate::gui::inspect::{InspectMode, InspectView};
use crate::gui::startup;
use crate::gui::state::{Document, UiEnv, ViewCtx, demo_input};
use crate::i18n::Lang;

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
    /// The unsaved-changes question and what waits for it.
    guard: Guard,
    /// Nothing unsaved is left (saved or discarded): let the window close.
    close_confirmed: bool,
    /// Close the window at the end of this frame.
    close_now: bool,
    /// Save settings on exit (off when started with overrides or in tests).
    persist: bool,
    /// Keep `env.now` as given (tests).
    fixed_now: bool,
    applied_theme: Option<ThemeChoice>,
    fonts_installed: bool,
    /// Frames drawn so far (start-up tracing).
    frames: u64,
    title: String,
    /// For work that finishes between frames (scans) to ask for a repaint.
    egui_ctx: Option<egui::Context>,
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
        let mut inspect = InspectView::new();
        if let Some((which, msg, pay)) = overrides
            .demo
            .as_deref()
            .and_then(|name| demo::envelope_preset(name, env.now))
        {
            inspect.mode = InspectMode::of(which);
            inspect.envelope.msg = msg;
            inspect.envelope.pay = pay;
            inspect.envelope.refresh(&env);
        }
        if let Some(panel) = overrides.demo.as_deref().and_then(demo::signature_preset) {
            inspect.signature = panel;
        }
        if let Some(panel) = overrides
            .demo
            .as_deref()
            .and_then(|name| demo::tamper_preset(name, &doc.report))
        {
            inspect.tamper = panel;
        }
        App {
            env,
            doc,
            tab: overrides.tab.unwrap_or_default(),
            theme: overrides.theme.unwrap_or(settings.theme),
            help_open: overrides.help,
            inspect,
            cases: CasesPanel::new(folder),
            encrypt: match overrides
                .demo
                .as_deref()
                .and_then(|name| demo::encrypt_preset(name, env.now, env.lang))
            {
                Some(form) => EncryptView::with_batch(form),
                None => EncryptView::new(),
            },
            captures: CapturesView::new(),
            guard: Guard::Idle,
            close_confirmed: false,
            close_now: false,
            persist: !overrides.any(),
            fixed_now: false,
            applied_theme: None,
            fonts_installed: false,
            frames: 0,
            title: String::new(),
            egui_ctx: None,
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
            now: overrides
                .now
                .unwrap_or_else(|| chrono::Utc::now().timestamp()),
        };
        fonts::install(&cc.egui_ctx);
        let mut app = App::build(settings, env, &overrides);
        app.fonts_installed = true;
        app.fixed_now = overrides.now.is_some();
        if !overrides.scan.is_empty() {
            let ctx = cc.egui_ctx.clone();
            let folder = app.cases.folder().map(Path::to_path_buf);
            app.captures.follow_folder(folder.as_deref(), &env);
            app.captures
                .start_scan(overrides.scan.clone(), &env, Some(ctx));
        }
        startup::trace(env.lang, "startup.app_built");
        app
    }

    /// Opens `paths` as [`App::open_files`] does, before the first frame (`ctx` lets a scan
    /// started now ask for repaints).
    pub fn open_at_start(&mut self, paths: Vec<std::path::PathBuf>, ctx: Option<&egui::Context>) {
        if paths.is_empty() {
            return;
        }
        if let Some(ctx) = ctx {
            self.egui_ctx = Some(ctx.clone());
        }
        let mut out = Commands::new();
        self.open_files(paths, &mut out);
        self.apply_all(out.take());
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

    /// Whether the unsaved-changes question is on screen.
    pub fn asking(&self) -> bool {
        self.guard.asking()
    }

    /// Draws the whole window into `ui` (also what tests drive), then applies what was asked.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.prepare(&ctx);
        let mut out = Commands::new();
        self.shortcuts(ui, &mut out);
        self.dropped_files(ui, &mut out);
        egui::Panel::top("top_bar").show(ui, |ui| self.top_bar(ui, &mut out));
        egui::Panel::bottom("status_bar").show(ui, |ui| self.status_bar(ui));
        self.panels(ui, &mut out);
        help::window(&ctx, &self.env, &mut self.help_open);
        if ctx.input(|i| i.viewport().close_requested())
            && !self.close_confirmed
            && self.doc.is_dirty()
        {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            out.send(Command::CloseWindow);
        }
        self.drop_overlay(ui);
        if !out.is_empty() {
            self.apply_all(out.take());
            // Draw what the commands changed.
            ctx.request_repaint();
        }
        self.frames += 1;
        match self.frames {
            1 => startup::trace(self.env.lang, "startup.first_frame"),
            2 => startup::trace(self.env.lang, "startup.second_frame"),
            _ => {}
        }
        if std::mem::take(&mut self.close_now) {
            ctx.send_viewport_cmd(ViewportCommand::Close);
        }
        self.update_title(&ctx);
    }

    /// Fonts, theme and clock before drawing.
    fn prepare(&mut self, ctx: &egui::Context) {
        if !self.fonts_installed {
            fonts::install(ctx);
            self.fonts_installed = true;
        }
        if self.applied_theme != Some(self.theme) {
            ctx.set_theme(self.theme.preference());
            self.applied_theme = Some(self.theme);
        }
        if self.egui_ctx.is_none() {
            self.egui_ctx = Some(ctx.clone());
        }
        self.tick_clock();
        if self.doc.poll(&self.env) {
            // A long input is being inspected off this thread: look again shortly.
            ctx.request_repaint_after(std::time::Duration::from_millis(30));
        }
    }

    /// The cases side panel, the active tab, the dialogs: each reads the state, none changes it.
    fn panels(&mut self, ui: &mut Ui, out: &mut Commands) {
        let folder = self.cases.folder().map(Path::to_path_buf);
        let cx = ViewCtx {
            env: &self.env,
            doc: &self.doc,
            folder: folder.as_deref(),
        };
        egui::Panel::left("cases_panel")
            .resizable(true)
            .default_size(250.0)
            .min_size(180.0)
            .show(ui, |ui| self.cases.ui(ui, &cx, out));
        egui::CentralPanel::default().show(ui, |ui| match self.tab {
            Tab::Inspect => self.inspect.ui(ui, &cx, out),
            Tab::Encrypt => self.encrypt.ui(ui, &cx, out),
            Tab::Captures => self.captures.ui(ui, &cx, out),
        });
        let ctx = ui.ctx();
        self.cases.dialogs(ctx, &cx, out);
        if self.guard.asking()
            && let Some(choice) = confirm::ask(ctx, cx.env, &cx.doc.name)
        {
            out.send(Command::Resolve(choice));
        }
    }

    /// Sets `env.now` to the clock (unless time is fixed, as in tests); inspects nothing.
    pub(crate) fn read_clock(&mut self) {
        if !self.fixed_now {
            self.env.now = chrono::Utc::now().timestamp();
        }
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
