//! "Edit and re-encrypt" on the Inspect tab, for security tests: the decrypted data in an editor,
//! encrypted again live with the session_key above and the same iv (or a new one), the watermark
//! kept (its timestamp refreshed on request) and the phone fields kept consistent; the result
//! copied as the request body it travels in (JSON or form, under the field names of the original
//! request) or opened in Inspect.

use egui::{RichText, Ui};

use crate::gui::command::{Command, Commands, Origin};
use crate::gui::state::{Document, UiEnv};
use crate::gui::widgets::{self, Notice};
use crate::opendata::encrypt::Encrypted;
use crate::opendata::tamper::{self, BodyFormat, Reencrypt};
use crate::opendata::{Input, Report};
use crate::platform::Platform;

/// Text, key, iv, new iv, refreshed timestamp, platform, App Key.
type MadeOf = (String, String, String, bool, bool, Platform, String);

/// The editor, its options and the last result.
#[derive(Debug, Clone)]
pub struct TamperPanel {
    /// The data as being edited.
    pub text: String,
    /// The plaintext `text` was loaded from (a new decryption reloads the editor unless edited).
    loaded_from: Option<String>,
    /// Encrypt with a new random iv instead of the payload's own.
    pub new_iv: bool,
    /// Set the watermark's timestamp to now.
    pub refresh_timestamp: bool,
    /// The field names of the request that carried the payload.
    pub data_name: String,
    pub iv_name: String,
    pub result: Option<Result<Encrypted, String>>,
    /// The section starts open (a preset that shows it).
    pub open: bool,
    /// What the last result was made of (text, key, iv, options, platform, App Key).
    made_of: Option<MadeOf>,
}

impl Default for TamperPanel {
    fn default() -> Self {
        TamperPanel {
            text: String::new(),
            loaded_from: None,
            new_iv: false,
            refresh_timestamp: false,
            data_name: "encryptedData".into(),
            iv_name: "iv".into(),
            result: None,
            open: false,
            made_of: None,
        }
    }
}

impl TamperPanel {
    /// Puts the decrypted data (pretty) in the editor.
    pub fn load(&mut self, report: &Report) {
        self.text = pretty(report);
        self.loaded_from = report.plaintext.clone();
    }

    /// Puts the decrypted data (pretty) in the editor when the document decrypted something new
    /// and the editor still holds what was loaded (nothing typed is replaced).
    fn follow(&mut self, report: &Report) {
        let Some(plain) = &report.plaintext else {
            return;
        };
        if self.loaded_from.as_deref() == Some(plain.as_str()) {
            return;
        }
        let untouched = match &self.loaded_from {
            None => true,
            Some(_) => self.text.is_empty() || self.text == pretty(report),
        };
        if untouched || self.text.trim().is_empty() {
            self.text = pretty(report);
        }
        self.loaded_from = Some(plain.clone());
    }

    /// Encrypts again when the text, the key, the iv or an option changed.
    pub fn refresh(&mut self, doc: &Document, env: &UiEnv) {
        self.follow(&doc.report);
        // Compared in place: nothing is copied on a frame where nothing changed.
        let same = self
            .made_of
            .as_ref()
            .is_some_and(|(t, k, iv, new_iv, ts, p, app)| {
                *t == self.text
                    && *k == doc.input.session_key
                    && *iv == doc.input.iv
                    && *new_iv == self.new_iv
                    && *ts == self.refresh_timestamp
                    && *p == doc.report.platform
                    && *app == doc.input.appid
            });
        if same {
            return;
        }
        let now = (
            self.text.clone(),
            doc.input.session_key.clone(),
            doc.input.iv.clone(),
            self.new_iv,
            self.refresh_timestamp,
            doc.report.platform,
            doc.input.appid.clone(),
        );
        let req = Reencrypt {
            edited: &self.text,
            original: doc.report.data.as_ref(),
            session_key: &doc.input.session_key,
            iv: (!self.new_iv).then_some(doc.input.iv.as_str()),
            refresh_timestamp: self.refresh_timestamp.then_some(env.now),
            now: env.now,
            platform: doc.report.platform,
            app_key: Some(doc.input.appid.trim()).filter(|a| !a.is_empty()),
        };
        self.result = Some(tamper::reencrypt(&req).map_err(|e| e.message(env.lang)));
        self.made_of = Some(now);
    }

    /// Draws the section (only when the document decrypted).
    pub fn ui(&mut self, ui: &mut Ui, env: &UiEnv, doc: &Document, out: &mut Commands) {
        if !doc.report.ok {
            return;
        }
        egui::CollapsingHeader::new(RichText::new(env.tr("tamper.title")).strong())
            .id_salt("tamper_section")
            .default_open(self.open)
            .show(ui, |ui| {
                ui.label(RichText::new(env.tr("tamper.intro")).weak());
                self.refresh(doc, env);
                ui.horizontal_wrapped(|ui| {
                    ui.checkbox(&mut self.new_iv, env.tr("tamper.new_iv"));
                    ui.checkbox(&mut self.refresh_timestamp, env.tr("tamper.refresh_ts"));
                    if ui.button(env.tr("tamper.reset")).clicked() {
                        self.text = pretty(&doc.report);
                    }
                });
                let label = ui.label(RichText::new(env.tr("tamper.data")).strong());
                ui.add(
                    egui::TextEdit::multiline(&mut self.text)
                        .code_editor()
                        .desired_rows(8)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
                self.refresh(doc, env);
                // Taken out while drawn (the field names beside it are edited), put back after.
                let result = self.result.take();
                match &result {
                    Some(Ok(enc)) => self.output(ui, env, doc, enc, out),
                    Some(Err(e)) => Notice::error(e.clone()).show(ui),
                    None => {}
                }
                self.result = result;
            });
    }

    /// The new iv and encryptedData, the request body in both forms, Open in Inspect.
    fn output(
        &mut self,
        ui: &mut Ui,
        env: &UiEnv,
        doc: &Document,
        enc: &Encrypted,
        out: &mut Commands,
    ) {
        for (label, value) in [("iv", &enc.iv), ("encryptedData", &enc.encrypted_data)] {
            ui.horizontal(|ui| {
                ui.label(RichText::new(label).monospace().strong());
                widgets::copy_button(ui, env, value);
                ui.add(egui::Label::new(RichText::new(value.as_str()).monospace()).truncate());
            });
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(env.tr("tamper.names"));
            let l = ui.label(env.tr("tamper.name_data"));
            ui.add(egui::TextEdit::singleline(&mut self.data_name).desired_width(130.0))
                .labelled_by(l.id);
            let l = ui.label(env.tr("tamper.name_iv"));
            ui.add(egui::TextEdit::singleline(&mut self.iv_name).desired_width(60.0))
                .labelled_by(l.id);
            for (key, format) in [
                ("tamper.copy_json", BodyFormat::Json),
                ("tamper.copy_form", BodyFormat::Form),
            ] {
                if ui.button(env.tr(key)).clicked() {
                    let names = (self.data_name.as_str(), self.iv_name.as_str());
                    let body = tamper::request_body(enc, format, names);
                    ui.ctx().copy_text(body);
                }
            }
            if ui.button(env.tr("tamper.open")).clicked() {
                out.send(Command::ReplaceDocument {
                    input: Input {
                        iv: enc.iv.clone(),
                        encrypted_data: enc.encrypted_data.clone(),
                        ..doc.input.clone()
                    },
                    origin: Origin::Reencrypted {
                        platform: doc.platform,
                    },
                });
            }
        });
    }
}

/// The decrypted data as the editor shows it: pretty JSON, or the text as it is.
fn pretty(report: &Report) -> String {
    match &report.data {
        Some(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
        None => report.plaintext.clone().unwrap_or_default(),
    }
}
