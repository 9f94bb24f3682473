//! The Captures tab: open capture files (HAR, Burp XML, curl, raw HTTP, logs) and scan them on a
//! background thread with progress and cancel; the table of payloads found (open a row in the
//! Inspect view, export as JSON Lines or CSV, save checked rows as cases); the workspace key ring;
//! and the "Listen" switch that runs the local endpoint and lists its requests live.
//!
//! All decoding, pairing and inspection is the engine's ([`crate::capture`], [`crate::serve`]).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::capture::{self, Progress, Scan, ScanError, ScanItem, ScanOptions};
use crate::case::{self, Case};
use crate::gui::state::{Document, UiEnv};
use crate::gui::widgets::{self, Notice};
use crate::keyring::{self, Keyring};
use crate::opendata::{Input, Report};
use crate::serve::{ServeConfig, ServeEvent, Server};
use crate::{present, privacy};

/// File extensions that are scanned as captures when dropped on the window.
pub const CAPTURE_EXTENSIONS: &[&str] = &["har", "xml", "txt", "log", "jsonl", "curl", "http"];

/// The default port of the Listen switch.
pub const DEFAULT_PORT: u16 = 8787;

/// Most requests kept in the live list.
const MAX_EVENTS: usize = 1000;

/// Whether a path looks like a capture file (by extension).
pub fn is_capture_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| CAPTURE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A scan running on a worker thread.
struct ScanJob {
    files: usize,
    cancel: Arc<AtomicBool>,
    progress: Arc<Mutex<Option<Progress>>>,
    rx: mpsc::Receiver<Result<Scan, ScanError>>,
}

/// The workspace key ring and its editing fields.
#[derive(Default)]
struct KeyringPanel {
    ring: Keyring,
    /// Where the ring was loaded from / is saved to.
    path: Option<PathBuf>,
    /// Typed path when no cases folder is open.
    path_text: String,
    key: String,
    label: String,
    appid: String,
    notice: Option<Notice>,
}

/// The running endpoint and the requests it received.
struct Listen {
    port_text: String,
    server: Option<(Server, mpsc::Receiver<ServeEvent>)>,
    /// Newest first.
    events: Vec<ServeEvent>,
    error: Option<String>,
}

/// The Captures tab.
pub struct CapturesView {
    /// Cases were written to the cases folder since the app last asked (it rescans the list).
    cases_saved: bool,
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
    keyring: KeyringPanel,
    listen: Listen,
    /// Inputs waiting for the user to confirm replacing an unsaved document.
    pending_open: Option<Input>,
}

/// Export formats of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    JsonLines,
    Csv,
}

impl Default for CapturesView {
    fn default() -> Self {
        CapturesView::new()
    }
}

impl CapturesView {
    pub fn new() -> CapturesView {
        CapturesView {
            path_text: String::new(),
            job: None,
            result: None,
            files: Vec::new(),
            selected: None,
            checked: Vec::new(),
            notice: None,
            export_path: None,
            keyring: KeyringPanel::default(),
            listen: Listen {
                port_text: DEFAULT_PORT.to_string(),
                server: None,
                events: Vec::new(),
                error: None,
            },
            pending_open: None,
            cases_saved: false,
        }
    }

    /// Whether a scan is running.
    pub fn scanning(&self) -> bool {
        self.job.is_some()
    }

    /// The key ring used by scans and the endpoint.
    pub fn keyring(&self) -> &Keyring {
        &self.keyring.ring
    }

    /// Adds a key to the ring in memory (checked like the `keyring add` command).
    pub fn add_key(&mut self, key: &str, label: &str, appid: &str) -> Result<(), String> {
        self.keyring
            .ring
            .add(key, Some(label), Some(appid))
            .map_err(|e| e.to_string())
    }

    /// Starts scanning `paths` on a worker thread (a running scan is cancelled first).
    pub fn start_scan(&mut self, paths: Vec<PathBuf>, env: &UiEnv, ctx: Option<egui::Context>) {
        if let Some(job) = self.job.take() {
            job.cancel.store(true, Ordering::Relaxed);
        }
        if paths.is_empty() {
            return;
        }
        let so = ScanOptions {
            appid: None,
            keyring: self.keyring.ring.keys.clone(),
            inspect: Some(env.options()),
        };
        let cancel = Arc::new(AtomicBool::new(false));
        let progress = Arc::new(Mutex::new(None));
        let (tx, rx) = mpsc::channel();
        let (c, p, files) = (cancel.clone(), progress.clone(), paths.clone());
        let spawned = std::thread::Builder::new()
            .name("wxdecrypt-scan".into())
            .spawn(move || {
                let repaint = || {
                    if let Some(ctx) = &ctx {
                        ctx.request_repaint();
                    }
                };
                let result = capture::scan_files(&files, &so, Some(&c), &mut |pr| {
                    if let Ok(mut slot) = p.lock() {
                        *slot = Some(pr);
                    }
                    repaint();
                });
                let _ = tx.send(result);
                repaint();
            });
        match spawned {
            Ok(_) => {
                self.job = Some(ScanJob {
                    files: paths.len(),
                    cancel,
                    progress,
                    rx,
                });
                self.files = paths;
                self.notice = None;
            }
            Err(e) => {
                self.notice = Some(Notice::error(
                    env.lang.fmt("captures.error", &[("error", &e.to_string())]),
                ));
            }
        }
    }

    /// Asks the running scan to stop.
    pub fn cancel_scan(&self) {
        if let Some(job) = &self.job {
            job.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Blocks until the running scan ends and takes its result (tests, scripts).
    pub fn wait_scan(&mut self, env: &UiEnv) {
        if let Some(job) = self.job.take() {
            let result = job.rx.recv().unwrap_or(Err(ScanError::Cancelled));
            self.finish_scan(result, env);
        }
    }

    /// Takes the scan result when the worker has finished.
    fn poll_scan(&mut self, env: &UiEnv) {
        let Some(job) = &self.job else { return };
        match job.rx.try_recv() {
            Ok(result) => {
                self.job = None;
                self.finish_scan(result, env);
            }
            Err(mpsc::TryRecvError::Empty) => {}
            Err(mpsc::TryRecvError::Disconnected) => {
                self.job = None;
                self.finish_scan(Err(ScanError::Cancelled), env);
            }
        }
    }

    fn finish_scan(&mut self, result: Result<Scan, ScanError>, env: &UiEnv) {
        match result {
            Ok(scan) => {
                self.checked = vec![false; scan.items.len()];
                self.selected = None;
                self.notice = Some(Notice::ok(summary(&scan, env)));
                self.result = Some(scan);
            }
            Err(ScanError::Cancelled) => {
                self.notice = Some(Notice::warning(env.tr("captures.cancelled")));
            }
            Err(e) => {
                self.notice = Some(Notice::error(
                    env.lang.fmt("captures.error", &[("error", &e.to_string())]),
                ));
            }
        }
    }

    /// The items of the last scan.
    pub fn items(&self) -> &[ScanItem] {
        self.result
            .as_ref()
            .map(|s| s.items.as_slice())
            .unwrap_or(&[])
    }

    /// The requests received by the endpoint, newest first.
    pub fn events(&self) -> &[ServeEvent] {
        &self.listen.events
    }

    /// The address the endpoint listens on, while it runs.
    pub fn listen_addr(&self) -> Option<std::net::SocketAddr> {
        self.listen.server.as_ref().map(|(s, _)| s.addr())
    }

    /// The last endpoint error (e.g. port in use).
    pub fn listen_error(&self) -> Option<&str> {
        self.listen.error.as_deref()
    }

    /// Starts the endpoint on `port` (127.0.0.1 only).
    pub fn start_listen(&mut self, port: u16, env: &UiEnv) -> Result<(), String> {
        self.stop_listen();
        let cfg = ServeConfig {
            port,
            appid: None,
            keyring: self.keyring.ring.keys.clone(),
            lang: env.lang,
            now: None,
        };
        match Server::start_with_channel(cfg) {
            Ok(pair) => {
                self.listen.server = Some(pair);
                self.listen.error = None;
                Ok(())
            }
            Err(e) => {
                let msg = env.lang.fmt("listen.error", &[("error", &e)]);
                self.listen.error = Some(msg.clone());
                Err(msg)
            }
        }
    }

    /// Stops the endpoint (the list of requests is kept).
    pub fn stop_listen(&mut self) {
        if let Some((server, rx)) = self.listen.server.take() {
            server.stop();
            self.take_events(&rx);
        }
    }

    /// Moves the requests received so far into the list.
    pub fn poll_listen(&mut self) {
        if let Some((server, rx)) = self.listen.server.take() {
            self.take_events(&rx);
            self.listen.server = Some((server, rx));
        }
    }

    fn take_events(&mut self, rx: &mpsc::Receiver<ServeEvent>) {
        while let Ok(ev) = rx.try_recv() {
            self.listen.events.insert(0, ev);
        }
        self.listen.events.truncate(MAX_EVENTS);
    }

    /// Opens `input` in the document, asking first when the document has unsaved changes.
    fn request_open(&mut self, input: Input, doc: &Document) -> Option<Input> {
        if doc.is_dirty() {
            self.pending_open = Some(input);
            None
        } else {
            Some(input)
        }
    }

    /// Opens row `i` of the table (returns the inputs to load unless a confirmation is needed).
    pub fn open_row(&mut self, i: usize, doc: &Document) -> Option<Input> {
        self.selected = Some(i);
        let input = self.items().get(i)?.input.clone();
        self.request_open(input, doc)
    }

    /// Draws the tab. Returns inputs to load into the document (the app then shows Inspect).
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        env: &UiEnv,
        doc: &Document,
        folder: Option<&Path>,
    ) -> Option<Input> {
        self.poll_scan(env);
        self.poll_listen();
        if self.listen.server.is_some() {
            ui.ctx().request_repaint_after(Duration::from_millis(250));
        }
        if let Some(f) = folder {
            let p = f.join(keyring::DEFAULT_FILE);
            if self.keyring.path.as_deref() != Some(p.as_path()) {
                self.load_keyring(p, env);
            }
        }
        let mut open = None;
        egui::ScrollArea::vertical()
            .id_salt("captures_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                widgets::heading(ui, env.tr("captures.title"));
                ui.label(RichText::new(env.tr("captures.intro")).weak());
                ui.add_space(4.0);
                self.open_row_ui(ui, env);
                self.progress_ui(ui, env);
                if let Some(n) = &self.notice {
                    n.show(ui);
                }
                if let Some(input) = self.table_ui(ui, env, doc, folder) {
                    open = Some(input);
                }
                ui.add_space(8.0);
                self.keyring_ui(ui, env, folder);
                ui.add_space(8.0);
                if let Some(input) = self.listen_ui(ui, env, doc) {
                    open = Some(input);
                }
            });
        if let Some(input) = self.confirm_ui(ui.ctx(), env) {
            open = Some(input);
        }
        open
    }

    fn open_row_ui(&mut self, ui: &mut Ui, env: &UiEnv) {
        ui.horizontal_wrapped(|ui| {
            if ui
                .button(env.tr("captures.open"))
                .on_hover_text(env.tr("captures.open.tip"))
                .clicked()
            {
                match rfd::FileDialog::new()
                    .add_filter("captures", CAPTURE_EXTENSIONS)
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

    fn progress_ui(&mut self, ui: &mut Ui, env: &UiEnv) {
        let Some(job) = &self.job else { return };
        let p = job.progress.lock().ok().and_then(|g| *g);
        let fraction = match p {
            Some(p) if p.total > 0 => {
                (p.file_index as f32 + (p.bytes_read as f32 / p.total as f32).min(1.0))
                    / job.files.max(1) as f32
            }
            Some(p) => p.file_index as f32 / job.files.max(1) as f32,
            None => 0.0,
        };
        let mut cancel = false;
        ui.horizontal(|ui| {
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(300.0)
                    .show_percentage()
                    .text(env.tr("captures.scanning")),
            );
            cancel = ui.button(env.tr("captures.cancel")).clicked();
        });
        if cancel {
            self.cancel_scan();
        }
    }

    fn table_ui(
        &mut self,
        ui: &mut Ui,
        env: &UiEnv,
        doc: &Document,
        folder: Option<&Path>,
    ) -> Option<Input> {
        let scan = self.result.as_ref()?;
        let mut open = None;
        if let Some((file, reason)) = scan.truncated.first() {
            Notice::warning(
                env.lang
                    .fmt("captures.truncated", &[("file", file), ("reason", reason)]),
            )
            .show(ui);
        }
        if !scan.malformed.is_empty() {
            egui::CollapsingHeader::new(env.lang.fmt(
                "captures.malformed",
                &[("count", &scan.malformed.len().to_string())],
            ))
            .id_salt("captures_malformed")
            .show(ui, |ui| {
                for m in scan.malformed.iter().take(200) {
                    ui.label(format!("{} — {}", m.source, m.reason));
                }
            });
        }
        if scan.items.is_empty() {
            ui.label(env.tr("captures.empty"));
            return None;
        }
        let mut action: Option<Action> = None;
        ui.horizontal_wrapped(|ui| {
            if ui.button(env.tr("captures.open_inspect")).clicked() {
                action = self.selected.map(Action::Open);
            }
            if ui.button(env.tr("captures.export_jsonl")).clicked() {
                action = Some(Action::Export(ExportFormat::JsonLines));
            }
            if ui.button(env.tr("captures.export_csv")).clicked() {
                action = Some(Action::Export(ExportFormat::Csv));
            }
            if ui.button(env.tr("captures.save_cases")).clicked() {
                action = Some(Action::SaveCases);
            }
        });
        if let Some((fmt, path)) = &mut self.export_path {
            let fmt = *fmt;
            let mut save = false;
            ui.horizontal(|ui| {
                let label = ui.label(env.tr("captures.export.path"));
                ui.add(egui::TextEdit::singleline(path).desired_width(360.0))
                    .labelled_by(label.id);
                save = ui.button(env.tr("captures.export.save")).clicked();
            });
            if save && !path.trim().is_empty() {
                action = Some(Action::ExportTo(fmt, PathBuf::from(path.trim())));
            }
        }
        let scan = self.result.as_ref()?;
        let checked = &mut self.checked;
        checked.resize(scan.items.len(), false);
        let selected = self.selected;
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        TableBuilder::new(ui)
            .id_salt("captures_table")
            .striped(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .max_scroll_height(360.0)
            .column(Column::auto())
            .column(Column::auto().at_least(120.0))
            .column(Column::initial(280.0).at_least(80.0).clip(true))
            .column(Column::auto().at_least(70.0))
            .column(Column::initial(220.0).at_least(80.0).clip(true))
            .column(Column::remainder().at_least(80.0).clip(true))
            .header(row_h, |mut h| {
                for key in [
                    "#",
                    "captures.col.time",
                    "captures.col.url",
                    "captures.col.kind",
                    "captures.col.verdict",
                    "captures.col.key",
                ] {
                    h.col(|ui| {
                        let text = if key == "#" { key } else { env.tr(key) };
                        ui.strong(text);
                    });
                }
            })
            .body(|body| {
                body.rows(row_h, scan.items.len(), |mut row| {
                    let i = row.index();
                    let Some(item) = scan.items.get(i) else {
                        return;
                    };
                    row.set_selected(selected == Some(i));
                    row.col(|ui| {
                        if let Some(c) = checked.get_mut(i) {
                            ui.checkbox(c, format!("{}", i + 1));
                        }
                    });
                    row.col(|ui| {
                        let t = item.time.clone().unwrap_or_else(|| item.source.to_string());
                        if ui.selectable_label(selected == Some(i), t).clicked() {
                            action = Some(Action::Select(i));
                        }
                    });
                    row.col(|ui| {
                        ui.label(item.url.as_deref().unwrap_or("—"))
                            .on_hover_text(item.source.to_string());
                    });
                    row.col(|ui| {
                        ui.label(present::kind_text(item.report.kind, env.lang));
                    });
                    row.col(|ui| {
                        let text = verdict(&item.report, env);
                        if item.report.ok {
                            ui.label(RichText::new(text).color(widgets::ok_color(ui)));
                        } else {
                            ui.label(RichText::new(text).color(widgets::severity_color(
                                ui,
                                crate::finding::Severity::Error,
                            )));
                        }
                    });
                    row.col(|ui| {
                        ui.label(key_used(item));
                    });
                    let r = row.response();
                    if r.double_clicked() {
                        action = Some(Action::Open(i));
                    } else if r.clicked() {
                        action = Some(Action::Select(i));
                    }
                });
            });
        match action {
            Some(Action::Select(i)) => self.selected = Some(i),
            Some(Action::Open(i)) => open = self.open_row(i, doc),
            Some(Action::Export(fmt)) => {
                let name = match fmt {
                    ExportFormat::JsonLines => "captures.jsonl",
                    ExportFormat::Csv => "captures.csv",
                };
                match rfd::FileDialog::new().set_file_name(name).save_file() {
                    Some(p) => self.export(fmt, &p, env),
                    None => self.export_path = Some((fmt, String::new())),
                }
            }
            Some(Action::ExportTo(fmt, p)) => {
                self.export(fmt, &p, env);
                self.export_path = None;
            }
            Some(Action::SaveCases) => self.save_cases(folder, env),
            None => {}
        }
        open
    }

    /// Writes the table to `path` (JSON Lines of `item.to_json()`, or CSV).
    pub fn export(&mut self, fmt: ExportFormat, path: &Path, env: &UiEnv) {
        let text = match fmt {
            ExportFormat::JsonLines => jsonl(self.items()),
            ExportFormat::Csv => csv(self.items(), env),
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

    /// Whether cases were saved since the last call (the cases panel should re-read its folder).
    pub fn take_cases_saved(&mut self) -> bool {
        std::mem::take(&mut self.cases_saved)
    }

    /// Saves the checked rows as cases in the cases folder (never overwriting a file).
    pub fn save_cases(&mut self, folder: Option<&Path>, env: &UiEnv) {
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
        for i in rows {
            let Some(item) = self.items().get(i) else {
                continue;
            };
            let name = format!("capture {}", item.source);
            let name = Path::new(&name)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or(name);
            let notes = item.url.clone().unwrap_or_default();
            let mut c = Case::from_report(&name, &notes, &item.input, &item.report, env.now);
            if env.redact_on_save {
                c.redact();
            }
            let path = free_path(folder, &name);
            if let Err(e) = case::save_case(&path, &c) {
                self.notice = Some(Notice::error(
                    env.lang.fmt("captures.error", &[("error", &e.to_string())]),
                ));
                return;
            }
            saved += 1;
        }
        self.cases_saved |= saved > 0;
        self.notice = Some(Notice::ok(env.lang.fmt(
            "captures.saved_cases",
            &[
                ("count", &saved.to_string()),
                ("folder", &folder.display().to_string()),
            ],
        )));
    }

    fn load_keyring(&mut self, path: PathBuf, env: &UiEnv) {
        let k = &mut self.keyring;
        match Keyring::load_or_new(&path) {
            Ok(ring) => {
                k.notice = Some(Notice::ok(env.lang.fmt(
                    "keyring_ui.loaded",
                    &[("count", &ring.keys.len().to_string())],
                )));
                k.ring = ring;
            }
            Err(e) => {
                k.notice = Some(Notice::error(
                    env.lang
                        .fmt("keyring_ui.error", &[("error", &e.to_string())]),
                ));
            }
        }
        k.path_text = path.display().to_string();
        k.path = Some(path);
    }

    fn keyring_ui(&mut self, ui: &mut Ui, env: &UiEnv, folder: Option<&Path>) {
        let title = env.lang.fmt(
            "keyring_ui.title",
            &[("count", &self.keyring.ring.keys.len().to_string())],
        );
        egui::CollapsingHeader::new(title)
            .id_salt("keyring_panel")
            .show(ui, |ui| {
                ui.label(RichText::new(env.tr("keyring_ui.intro")).weak());
                let mut load = false;
                let mut save = false;
                ui.horizontal_wrapped(|ui| {
                    let label = ui.label(env.tr("keyring_ui.path"));
                    if folder.is_some() {
                        ui.label(RichText::new(&self.keyring.path_text).monospace())
                            .labelled_by(label.id);
                    } else {
                        ui.add(
                            egui::TextEdit::singleline(&mut self.keyring.path_text)
                                .desired_width(320.0)
                                .hint_text(keyring::DEFAULT_FILE),
                        )
                        .labelled_by(label.id);
                        if ui.button(env.tr("keyring_ui.browse")).clicked() {
                            match rfd::FileDialog::new()
                                .set_file_name(keyring::DEFAULT_FILE)
                                .save_file()
                            {
                                Some(p) => self.keyring.path_text = p.display().to_string(),
                                None => {
                                    self.keyring.notice =
                                        Some(Notice::warning(env.tr("captures.no_dialog")))
                                }
                            }
                        }
                        load = ui.button(env.tr("keyring_ui.load")).clicked();
                    }
                    save = ui.button(env.tr("keyring_ui.save")).clicked();
                });
                let typed = PathBuf::from(self.keyring.path_text.trim());
                if load {
                    if self.keyring.path_text.trim().is_empty() {
                        self.keyring.notice = Some(Notice::warning(env.tr("keyring_ui.no_path")));
                    } else {
                        self.load_keyring(typed.clone(), env);
                    }
                }
                if save {
                    let path = match folder {
                        Some(f) => Some(f.join(keyring::DEFAULT_FILE)),
                        None if !self.keyring.path_text.trim().is_empty() => Some(typed),
                        None => None,
                    };
                    self.keyring.notice = Some(match path {
                        None => Notice::warning(env.tr("keyring_ui.no_path")),
                        Some(p) => match self.keyring.ring.save(&p) {
                            Ok(()) => {
                                let n = Notice::ok(env.lang.fmt(
                                    "keyring_ui.saved",
                                    &[("path", &p.display().to_string())],
                                ));
                                self.keyring.path = Some(p);
                                n
                            }
                            Err(e) => Notice::error(
                                env.lang
                                    .fmt("keyring_ui.error", &[("error", &e.to_string())]),
                            ),
                        },
                    });
                }
                let mut remove = None;
                if self.keyring.ring.keys.is_empty() {
                    ui.label(RichText::new(env.tr("keyring_ui.empty")).weak());
                }
                egui::Grid::new("keyring_grid")
                    .striped(true)
                    .show(ui, |ui| {
                        for (i, k) in self.keyring.ring.keys.iter().enumerate() {
                            ui.label(format!("{}", i + 1));
                            ui.monospace(privacy::mask_key(&k.session_key));
                            ui.label(k.label.as_deref().unwrap_or(""));
                            ui.monospace(k.appid.as_deref().unwrap_or(""));
                            if ui
                                .small_button(env.tr("keyring_ui.remove"))
                                .on_hover_text(format!("#{}", i + 1))
                                .clicked()
                            {
                                remove = Some(i);
                            }
                            ui.end_row();
                        }
                    });
                if let Some(i) = remove
                    && i < self.keyring.ring.keys.len()
                {
                    self.keyring.ring.keys.remove(i);
                    self.keyring.notice = Some(Notice::warning(env.tr("keyring_ui.unsaved")));
                }
                let mut add = false;
                ui.horizontal_wrapped(|ui| {
                    let l = ui.label(env.tr("keyring_ui.key"));
                    ui.add(
                        egui::TextEdit::singleline(&mut self.keyring.key)
                            .password(env.mask)
                            .desired_width(220.0),
                    )
                    .labelled_by(l.id);
                    let l = ui.label(env.tr("keyring_ui.label"));
                    ui.add(
                        egui::TextEdit::singleline(&mut self.keyring.label).desired_width(120.0),
                    )
                    .labelled_by(l.id);
                    let l = ui.label(env.tr("keyring_ui.appid"));
                    ui.add(
                        egui::TextEdit::singleline(&mut self.keyring.appid).desired_width(160.0),
                    )
                    .labelled_by(l.id);
                    add = ui.button(env.tr("keyring_ui.add")).clicked();
                });
                if add {
                    let k = &mut self.keyring;
                    match k.ring.add(&k.key, Some(&k.label), Some(&k.appid)) {
                        Ok(()) => {
                            k.key.clear();
                            k.label.clear();
                            k.appid.clear();
                            k.notice = Some(Notice::warning(env.tr("keyring_ui.unsaved")));
                        }
                        Err(e) => {
                            k.notice = Some(Notice::error(
                                env.lang
                                    .fmt("keyring_ui.error", &[("error", &e.to_string())]),
                            ))
                        }
                    }
                }
                if let Some(n) = &self.keyring.notice {
                    n.show(ui);
                }
            });
    }

    fn listen_ui(&mut self, ui: &mut Ui, env: &UiEnv, doc: &Document) -> Option<Input> {
        widgets::heading(ui, env.tr("listen.title"));
        let mut on = self.listen.server.is_some();
        let was = on;
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut on, env.tr("listen.switch"))
                .on_hover_text(env.tr("listen.switch.tip"));
            let label = ui.label(env.tr("listen.port"));
            ui.add_enabled(
                !was,
                egui::TextEdit::singleline(&mut self.listen.port_text).desired_width(60.0),
            )
            .labelled_by(label.id);
            if let Some(addr) = self.listen_addr() {
                let url = format!("http://{addr}/");
                ui.label(env.lang.fmt("listen.address", &[("addr", &url)]));
                widgets::copy_button(ui, env, &url);
            }
            if !self.listen.events.is_empty() && ui.button(env.tr("listen.clear")).clicked() {
                self.listen.events.clear();
            }
        });
        if on && !was {
            match self.listen.port_text.trim().parse::<u16>() {
                Ok(port) => {
                    let _ = self.start_listen(port, env);
                }
                Err(_) => self.listen.error = Some(env.tr("listen.bad_port").to_string()),
            }
        } else if !on && was {
            self.stop_listen();
        }
        ui.label(RichText::new(env.tr("serve.devtools")).weak().small());
        if let Some(e) = &self.listen.error {
            Notice::error(e.clone()).show(ui);
        }
        if self.listen.events.is_empty() {
            if self.listen.server.is_some() {
                ui.label(RichText::new(env.tr("listen.empty")).weak());
            }
            return None;
        }
        let mut open = None;
        egui::Grid::new("listen_grid")
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for key in [
                    "listen.col.time",
                    "listen.col.method",
                    "listen.col.path",
                    "listen.col.status",
                    "listen.col.verdict",
                ] {
                    ui.strong(env.tr(key));
                }
                ui.end_row();
                for (i, ev) in self.listen.events.iter().enumerate().take(200) {
                    let time = present::local_time(ev.time).unwrap_or_else(|| ev.time.to_string());
                    let r = ui.selectable_label(false, time);
                    let r = if ev.input.is_some() {
                        r.on_hover_text(env.tr("listen.open.tip"))
                    } else {
                        r
                    };
                    if r.clicked() && ev.input.is_some() {
                        open = Some(i);
                    }
                    ui.monospace(&ev.method);
                    ui.monospace(&ev.path);
                    ui.label(ev.status.to_string());
                    ui.label(event_verdict(ev, env));
                    ui.end_row();
                }
            });
        let input = open.and_then(|i| self.listen.events.get(i)?.input.clone())?;
        self.request_open(input, doc)
    }

    fn confirm_ui(&mut self, ctx: &egui::Context, env: &UiEnv) -> Option<Input> {
        self.pending_open.as_ref()?;
        let mut choice = None;
        let modal = egui::Modal::new(egui::Id::unique("captures_replace")).show(ctx, |ui| {
            ui.set_max_width(380.0);
            widgets::heading(ui, env.tr("captures.replace.title"));
            ui.label(env.tr("captures.replace.text"));
            ui.horizontal(|ui| {
                if ui.button(env.tr("captures.replace.ok")).clicked() {
                    choice = Some(true);
                }
                if ui.button(env.tr("captures.replace.cancel")).clicked() {
                    choice = Some(false);
                }
            });
        });
        if modal.should_close() && choice.is_none() {
            choice = Some(false);
        }
        match choice {
            Some(true) => self.pending_open.take(),
            Some(false) => {
                self.pending_open = None;
                None
            }
            None => None,
        }
    }
}

enum Action {
    Select(usize),
    Open(usize),
    Export(ExportFormat),
    ExportTo(ExportFormat, PathBuf),
    SaveCases,
}

/// A case path in `folder` for `name` that does not exist yet.
fn free_path(folder: &Path, name: &str) -> PathBuf {
    let first = folder.join(case::file_name_for(name));
    if !first.exists() {
        return first;
    }
    (2..10_000)
        .map(|n| folder.join(case::file_name_for(&format!("{name} ({n})"))))
        .find(|p| !p.exists())
        .unwrap_or_else(|| {
            folder.join(case::file_name_for(&format!(
                "{name} {}",
                chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
            )))
        })
}

/// "3 payloads (2 decrypted) in 10 records; 1 malformed; 2 keys found".
fn summary(scan: &Scan, env: &UiEnv) -> String {
    env.lang.fmt(
        "captures.summary",
        &[
            ("payloads", &scan.items.len().to_string()),
            ("decrypted", &scan.decrypted().to_string()),
            ("records", &scan.records.to_string()),
            ("malformed", &scan.malformed.len().to_string()),
            ("keys", &scan.keys.len().to_string()),
        ],
    )
}

/// The verdict column: the phone number (masked when masking is on), nickname, … when decrypted;
/// the primary finding's title and code otherwise.
pub fn verdict(report: &Report, env: &UiEnv) -> String {
    present::report_outcome(report, env.lang, env.mask)
}

fn event_verdict(ev: &ServeEvent, env: &UiEnv) -> String {
    present::outcome_text(
        ev.ok,
        ev.data.as_ref(),
        ev.code.as_deref(),
        ev.error.as_deref(),
        env.lang,
        env.mask,
    )
}

/// The "key used" column.
pub fn key_used(item: &ScanItem) -> String {
    item.key_from
        .as_ref()
        .map(|k| k.short())
        .unwrap_or_else(|| "—".into())
}

/// The table as JSON Lines (`wxdecrypt scan --json`).
pub fn jsonl(items: &[ScanItem]) -> String {
    let mut out = String::new();
    for item in items {
        out.push_str(&item.to_json().to_string());
        out.push('\n');
    }
    out
}

/// One CSV field, quoted when needed (RFC 4180).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The table as CSV with a header row (CRLF line ends).
pub fn csv(items: &[ScanItem], env: &UiEnv) -> String {
    let mut out = String::new();
    let mut line = |fields: &[&str]| {
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    };
    line(&[
        "source", "time", "method", "url", "ok", "kind", "verdict", "codes", "key_from",
    ]);
    for item in items {
        let kind = item.report.kind.map(|k| k.as_str()).unwrap_or("");
        line(&[
            &item.source.to_string(),
            item.time.as_deref().unwrap_or(""),
            item.method.as_deref().unwrap_or(""),
            item.url.as_deref().unwrap_or(""),
            if item.report.ok { "true" } else { "false" },
            kind,
            &verdict(&item.report, env),
            &item.report.codes().join(" "),
            &key_used(item),
        ]);
    }
    out
}
