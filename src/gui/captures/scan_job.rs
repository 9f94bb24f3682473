//! The scan of capture files on a worker thread: start, progress bar with cancel, and taking the
//! result when the worker is done (the engine's [`capture::scan_files`] does the work).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use egui::Ui;

use super::CapturesView;
use crate::capture::{self, Progress, Scan, ScanError, ScanOptions};
use crate::gui::state::UiEnv;
use crate::gui::widgets::Notice;

/// A scan running on a worker thread.
pub(super) struct ScanJob {
    files: usize,
    cancel: Arc<AtomicBool>,
    progress: Arc<Mutex<Option<Progress>>>,
    rx: mpsc::Receiver<Result<Scan, ScanError>>,
}

impl CapturesView {
    /// Whether a scan is running.
    pub fn scanning(&self) -> bool {
        self.job.is_some()
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
    pub(super) fn poll_scan(&mut self, env: &UiEnv) {
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
                self.generation += 1;
            }
            Err(ScanError::Cancelled) => {
                self.notice = Some(Notice::warning(env.tr("captures.cancelled")));
            }
            Err(e) => {
                self.notice = Some(Notice::error(
                    env.lang
                        .fmt("captures.error", &[("error", &e.message(env.lang))]),
                ));
            }
        }
    }

    /// The progress bar and Cancel button while a scan runs.
    pub(super) fn progress_ui(&mut self, ui: &mut Ui, env: &UiEnv) {
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
