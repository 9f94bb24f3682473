//! The workspace key ring on the Captures tab: where it is stored (the cases folder, or a typed
//! path), its keys (kind, masked key, receive id or appid, label), and adding or removing keys of
//! any kind (session_key, EncodingAESKey with its token, APIv3 key). Scans and the endpoint try
//! these keys.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use super::CapturesView;
use crate::gui::state::UiEnv;
use crate::gui::widgets::Notice;
use crate::keyring::{self, KeyType, Keyring, KeyringEntry, KeyringError};

/// The workspace key ring and its editing fields.
#[derive(Default)]
pub(super) struct KeyringPanel {
    pub(super) ring: Keyring,
    /// Where the ring was loaded from / is saved to.
    path: Option<PathBuf>,
    /// Typed path when no cases folder is open.
    path_text: String,
    key: String,
    /// The token and receive id of an EncodingAESKey.
    token: String,
    receive_id: String,
    label: String,
    appid: String,
    notice: Option<Notice>,
}

/// A key ring error for the user.
fn error_notice(e: &KeyringError, env: &UiEnv) -> Notice {
    Notice::error(
        env.lang
            .fmt("keyring_ui.error", &[("error", &e.message(env.lang))]),
    )
}

impl CapturesView {
    /// The key ring used by scans and the endpoint.
    pub fn keyring(&self) -> &Keyring {
        &self.keyring.ring
    }

    /// Adds a session_key to the ring in memory (checked like the `keyring add` command).
    pub fn add_key(&mut self, key: &str, label: &str, appid: &str) -> Result<(), KeyringError> {
        self.keyring.ring.add(key, Some(label), Some(appid))
    }

    /// Adds a key of any kind to the ring in memory.
    pub fn add_entry(&mut self, entry: KeyringEntry) -> Result<(), KeyringError> {
        self.keyring.ring.insert(entry)
    }

    /// Loads the ring of the cases folder when the folder changed (the tab does it each frame; a
    /// scan started from elsewhere calls it first, so it never runs with a stale ring).
    pub fn follow_folder(&mut self, folder: Option<&Path>, env: &UiEnv) {
        if let Some(f) = folder {
            let p = f.join(keyring::DEFAULT_FILE);
            if self.keyring.path.as_deref() != Some(p.as_path()) {
                self.load_keyring(p, env);
            }
        }
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
            Err(e) => k.notice = Some(error_notice(&e, env)),
        }
        k.path_text = path.display().to_string();
        k.path = Some(path);
    }

    pub(super) fn keyring_ui(&mut self, ui: &mut Ui, env: &UiEnv, folder: Option<&Path>) {
        let title = env.lang.fmt(
            "keyring_ui.title",
            &[("count", &self.keyring.ring.keys.len().to_string())],
        );
        egui::CollapsingHeader::new(title)
            .id_salt("keyring_panel")
            .show(ui, |ui| {
                ui.label(RichText::new(env.tr("keyring_ui.intro")).weak());
                self.file_row(ui, env, folder);
                self.keys_grid(ui, env);
                self.add_row(ui, env);
                if let Some(n) = &self.keyring.notice {
                    n.show(ui);
                }
            });
    }

    /// Where the ring is stored, with Load and Save.
    fn file_row(&mut self, ui: &mut Ui, env: &UiEnv, folder: Option<&Path>) {
        let mut load = false;
        let mut save = false;
        ui.horizontal_wrapped(|ui| {
            let k = &mut self.keyring;
            let label = ui.label(env.tr("keyring_ui.path"));
            if folder.is_some() {
                ui.label(RichText::new(&k.path_text).monospace())
                    .labelled_by(label.id);
            } else {
                ui.add(
                    egui::TextEdit::singleline(&mut k.path_text)
                        .desired_width(320.0)
                        .hint_text(keyring::DEFAULT_FILE),
                )
                .labelled_by(label.id);
                if ui.button(env.tr("keyring_ui.browse")).clicked() {
                    match rfd::FileDialog::new()
                        .set_file_name(keyring::DEFAULT_FILE)
                        .save_file()
                    {
                        Some(p) => k.path_text = p.display().to_string(),
                        None => k.notice = Some(Notice::warning(env.tr("captures.no_dialog"))),
                    }
                }
                load = ui.button(env.tr("keyring_ui.load")).clicked();
            }
            save = ui.button(env.tr("keyring_ui.save")).clicked();
        });
        let typed = self.keyring.path_text.trim().to_string();
        if load {
            if typed.is_empty() {
                self.keyring.notice = Some(Notice::warning(env.tr("keyring_ui.no_path")));
            } else {
                self.load_keyring(PathBuf::from(typed.clone()), env);
            }
        }
        if save {
            let path = match folder {
                Some(f) => Some(f.join(keyring::DEFAULT_FILE)),
                None if !typed.is_empty() => Some(PathBuf::from(typed)),
                None => None,
            };
            self.save_keyring(path, env);
        }
    }

    fn save_keyring(&mut self, path: Option<PathBuf>, env: &UiEnv) {
        let k = &mut self.keyring;
        k.notice = Some(match path {
            None => Notice::warning(env.tr("keyring_ui.no_path")),
            Some(p) => match k.ring.save(&p) {
                Ok(()) => {
                    let n = Notice::ok(
                        env.lang
                            .fmt("keyring_ui.saved", &[("path", &p.display().to_string())]),
                    );
                    k.path = Some(p);
                    n
                }
                Err(e) => error_notice(&e, env),
            },
        });
    }

    /// The keys, masked, each with Remove.
    fn keys_grid(&mut self, ui: &mut Ui, env: &UiEnv) {
        let mut remove = None;
        if self.keyring.ring.keys.is_empty() {
            ui.label(RichText::new(env.tr("keyring_ui.empty")).weak());
        }
        egui::Grid::new("keyring_grid")
            .striped(true)
            .show(ui, |ui| {
                for (i, k) in self.keyring.ring.keys.iter().enumerate() {
                    ui.label(format!("{}", i + 1));
                    ui.label(k.key_type().map_or("—", |t| env.tr(t.label_key())));
                    ui.monospace(k.masked());
                    ui.label(k.label.as_deref().unwrap_or(""));
                    // A message key's receive id stands where a session_key's appid does.
                    ui.monospace(k.appid.as_deref().or(k.receive_id.as_deref()).unwrap_or(""));
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
    }

    /// The fields of a new key and Add key.
    fn add_row(&mut self, ui: &mut Ui, env: &UiEnv) {
        let k = &mut self.keyring;
        let mut add = false;
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(env.tr("keyring_ui.key"));
            ui.add(
                egui::TextEdit::singleline(&mut k.key)
                    .password(env.mask)
                    .desired_width(220.0),
            )
            .labelled_by(l.id);
            // The token and receive id matter for an EncodingAESKey only.
            if KeyType::of(&k.key) == Some(KeyType::EncodingAesKey) {
                let l = ui.label(env.tr("keyring_ui.token"));
                ui.add(
                    egui::TextEdit::singleline(&mut k.token)
                        .password(env.mask)
                        .desired_width(120.0),
                )
                .labelled_by(l.id);
                let l = ui.label(env.tr("keyring_ui.receive_id"));
                ui.add(egui::TextEdit::singleline(&mut k.receive_id).desired_width(160.0))
                    .labelled_by(l.id);
            }
            let l = ui.label(env.tr("keyring_ui.label"));
            ui.add(egui::TextEdit::singleline(&mut k.label).desired_width(120.0))
                .labelled_by(l.id);
            let l = ui.label(env.tr("keyring_ui.appid"));
            ui.add(egui::TextEdit::singleline(&mut k.appid).desired_width(160.0))
                .labelled_by(l.id);
            add = ui.button(env.tr("keyring_ui.add")).clicked();
        });
        if !add {
            return;
        }
        let aes = KeyType::of(&k.key) == Some(KeyType::EncodingAesKey);
        let extra = |s: &str| Some(s.to_string()).filter(|_| aes);
        let (token, receive_id) = (extra(&k.token), extra(&k.receive_id));
        let entry = KeyringEntry::from_key(
            &k.key,
            token.as_deref(),
            receive_id.as_deref(),
            Some(&k.label),
            Some(&k.appid),
        );
        match entry.and_then(|e| k.ring.insert(e)) {
            Ok(()) => {
                k.key.clear();
                k.token.clear();
                k.receive_id.clear();
                k.label.clear();
                k.appid.clear();
                k.notice = Some(Notice::warning(env.tr("keyring_ui.unsaved")));
            }
            Err(e) => k.notice = Some(error_notice(&e, env)),
        }
    }
}
