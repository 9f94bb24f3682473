//! The Encrypt view: build encrypted payloads from templates (phone number, user info, WeRun, share
//! info) or any JSON, single or in batch, copy them, or open them in the Inspect tab (a command:
//! the app opens them as a new document). The state and encryption live in [`form`]; this module
//! draws.

pub mod form;

use std::path::PathBuf;

use egui::RichText;

use crate::gui::command::{Command, Commands, Origin};
use crate::gui::state::{UiEnv, ViewCtx};
use crate::gui::widgets::{self, Notice};
use crate::opendata::tamper::BatchFormat;
use crate::platform::Platform;
use crate::privacy::{mask_json_text, mask_key};
use form::{EncryptForm, Template};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Single,
    Batch,
}

/// The Encrypt tab.
pub struct EncryptView {
    form: EncryptForm,
    mode: Mode,
    notice: Option<Notice>,
    /// Kept open so that copied text stays available while the app runs (X11 has no clipboard
    /// manager by default).
    clipboard: Option<arboard::Clipboard>,
    /// Shown when no save dialog was available: a typed path for the batch output.
    save_path: Option<String>,
}

impl Default for EncryptView {
    fn default() -> Self {
        EncryptView::new()
    }
}

impl EncryptView {
    pub fn new() -> EncryptView {
        EncryptView {
            form: EncryptForm::new(),
            mode: Mode::Single,
            notice: None,
            clipboard: None,
            save_path: None,
        }
    }

    /// The tab on its batch, holding `form` (the `template` preset).
    pub fn with_batch(form: EncryptForm) -> EncryptView {
        EncryptView {
            form,
            mode: Mode::Batch,
            ..EncryptView::new()
        }
    }

    /// The state without drawing.
    pub fn form(&self) -> &EncryptForm {
        &self.form
    }

    pub fn form_mut(&mut self) -> &mut EncryptForm {
        &mut self.form
    }

    /// The last status message.
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    fn info(&mut self, text: String) {
        self.notice = Some(Notice::ok(text));
    }

    fn error(&mut self, text: String) {
        self.notice = Some(Notice::error(text));
    }

    fn copy(&mut self, text: &str, what: &str, env: &UiEnv) {
        let result = match &mut self.clipboard {
            Some(c) => c.set_text(text.to_string()),
            None => arboard::Clipboard::new().and_then(|mut c| {
                let r = c.set_text(text.to_string());
                self.clipboard = Some(c);
                r
            }),
        };
        match result {
            Ok(()) => self.info(env.lang.fmt("encrypt.copied", &[("what", what)])),
            Err(e) => self.error(
                env.lang
                    .fmt("encrypt.clipboard_error", &[("error", &e.to_string())]),
            ),
        }
    }

    fn write_batch(&mut self, path: PathBuf, env: &UiEnv) {
        let shown = path.display().to_string();
        match crate::atomic::write(&path, self.form.batch_output.as_bytes()) {
            Ok(()) => {
                self.save_path = None;
                self.info(env.lang.fmt("encrypt.batch.saved", &[("path", &shown)]));
            }
            Err(e) => self.error(env.lang.fmt(
                "encrypt.batch.error_write",
                &[("path", &shown), ("error", &e.to_string())],
            )),
        }
    }

    /// Draws the view; "Open in Inspect" sends the inputs as a new document.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &ViewCtx, out: &mut Commands) {
        let env = cx.env;
        egui::ScrollArea::vertical()
            .id_salt("encrypt.scroll")
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.selectable_value(
                        &mut self.mode,
                        Mode::Single,
                        env.tr("encrypt.mode.single"),
                    );
                    ui.selectable_value(&mut self.mode, Mode::Batch, env.tr("encrypt.mode.batch"));
                });
                ui.separator();
                self.settings_ui(ui, env);
                ui.separator();
                match self.mode {
                    Mode::Single => self.single_ui(ui, env, out),
                    Mode::Batch => self.batch_ui(ui, env),
                }
                if let Some(n) = &self.notice {
                    n.show(ui);
                }
            });
    }

    /// Watermark, key and iv.
    fn settings_ui(&mut self, ui: &mut egui::Ui, env: &UiEnv) {
        let f = &mut self.form;
        let mut failure = None;
        egui::Grid::new("encrypt.settings")
            .num_columns(2)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                let l = ui.label(env.tr("inspect.platform"));
                egui::ComboBox::from_id_salt("encrypt_platform")
                    .selected_text(env.tr(f.platform.label_key()))
                    .show_ui(ui, |ui| {
                        for p in Platform::ALL {
                            ui.selectable_value(&mut f.platform, p, env.tr(p.label_key()));
                        }
                    })
                    .response
                    .labelled_by(l.id)
                    .on_hover_text(env.tr("encrypt.platform.tip"));
                ui.end_row();

                let l = ui.label(env.tr("encrypt.appid"));
                ui.horizontal(|ui| {
                    ui.add_enabled(
                        !f.no_watermark,
                        egui::TextEdit::singleline(&mut f.appid).desired_width(200.0),
                    )
                    .labelled_by(l.id);
                    ui.checkbox(&mut f.no_watermark, env.tr("encrypt.no_watermark"));
                });
                ui.end_row();

                let l = ui.label(env.tr("encrypt.timestamp"));
                ui.horizontal(|ui| {
                    ui.checkbox(&mut f.timestamp_now, env.tr("encrypt.timestamp_now"));
                    if f.timestamp_now {
                        f.timestamp = env.now.to_string();
                    }
                    ui.add_enabled(
                        !f.timestamp_now && !f.no_watermark,
                        egui::TextEdit::singleline(&mut f.timestamp).desired_width(120.0),
                    )
                    .labelled_by(l.id);
                });
                ui.end_row();

                let l = ui.label(env.tr("encrypt.session_key"));
                ui.horizontal(|ui| {
                    ui.add(
                        egui::TextEdit::singleline(&mut f.session_key)
                            .font(egui::TextStyle::Monospace)
                            .hint_text(env.tr("encrypt.random_hint"))
                            .desired_width(240.0),
                    )
                    .labelled_by(l.id);
                    if ui.button(env.tr("encrypt.generate_key")).clicked()
                        && let Err(e) = f.generate_key(env.lang)
                    {
                        failure = Some(e);
                    }
                });
                ui.end_row();

                // A template batch may fix its iv too (the request's own, for a replay).
                if self.mode == Mode::Single || f.batch_template {
                    let l = ui.label(env.tr("encrypt.iv"));
                    ui.horizontal(|ui| {
                        ui.add(
                            egui::TextEdit::singleline(&mut f.iv)
                                .font(egui::TextStyle::Monospace)
                                .hint_text(env.tr("encrypt.random_hint"))
                                .desired_width(240.0),
                        )
                        .labelled_by(l.id);
                        if ui.button(env.tr("encrypt.generate_iv")).clicked()
                            && let Err(e) = f.generate_iv(env.lang)
                        {
                            failure = Some(e);
                        }
                    });
                    ui.end_row();
                }
            });
        if let Some(e) = failure {
            self.error(e);
        }
    }

    fn single_ui(&mut self, ui: &mut egui::Ui, env: &UiEnv, out: &mut Commands) {
        let f = &mut self.form;
        ui.horizontal(|ui| {
            let current = f.template;
            let mut chosen = current;
            egui::ComboBox::from_label(env.tr("encrypt.template"))
                .selected_text(env.tr(current.label_key()))
                .show_ui(ui, |ui| {
                    for t in Template::ALL {
                        ui.selectable_value(&mut chosen, t, env.tr(t.label_key()));
                    }
                });
            if chosen != current {
                f.set_template(chosen, env.now);
            }
            if ui.button(env.tr("encrypt.apply_template")).clicked() {
                f.set_template(f.template, env.now);
            }
        });
        if f.template == Template::Phone {
            ui.horizontal(|ui| {
                let l = ui.label(env.tr("encrypt.phone"));
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut f.phone)
                            .hint_text(env.tr("encrypt.phone.hint"))
                            .desired_width(220.0),
                    )
                    .labelled_by(l.id);
                if r.changed() {
                    f.phone_changed();
                }
            });
        }
        let l = ui.label(env.tr("encrypt.payload"));
        ui.add(
            egui::TextEdit::multiline(&mut f.payload)
                .code_editor()
                .desired_rows(8)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);

        let mut clicked_encrypt = false;
        ui.horizontal(|ui| {
            clicked_encrypt = ui.button(env.tr("encrypt.run")).clicked();
        });
        if clicked_encrypt {
            // A failure is kept in `form.error` and shown below.
            let _ = self.form.encrypt(env.now, env.lang);
            self.notice = None;
        }
        if let Some(e) = &self.form.error {
            ui.add(
                egui::Label::new(RichText::new(e.as_str()).color(ui.visuals().error_fg_color))
                    .wrap(),
            );
        }
        self.result_ui(ui, env, out);
    }

    /// The encrypted payload: its three values with copy buttons, the plaintext, and the
    /// "Copy as JSON" and "Open in Inspect" buttons.
    fn result_ui(&mut self, ui: &mut egui::Ui, env: &UiEnv, out: &mut Commands) {
        let Some(r) = self.form.result.clone() else {
            return;
        };
        ui.separator();
        ui.strong(env.tr("encrypt.result"));
        let mut copy: Option<(String, &'static str)> = None;
        let key_shown = if env.mask {
            mask_key(&r.session_key)
        } else {
            r.session_key.clone()
        };
        for (label_key, shown, value, copy_key) in [
            (
                "encrypt.result.data",
                r.encrypted_data.clone(),
                r.encrypted_data.clone(),
                "encrypt.copy_data",
            ),
            ("encrypt.iv", r.iv.clone(), r.iv.clone(), "encrypt.copy_iv"),
            (
                "encrypt.session_key",
                key_shown.clone(),
                r.session_key.clone(),
                "encrypt.copy_key",
            ),
        ] {
            let mut label_id = None;
            ui.horizontal(|ui| {
                label_id = Some(ui.label(env.tr(label_key)).id);
                if ui.small_button(env.tr(copy_key)).clicked() {
                    copy = Some((value, env.tr(label_key)));
                }
            });
            let mut text = shown.as_str();
            let resp = ui.add(
                egui::TextEdit::multiline(&mut text)
                    .font(egui::TextStyle::Monospace)
                    .desired_rows(1)
                    .desired_width(f32::INFINITY),
            );
            if let Some(id) = label_id {
                resp.labelled_by(id);
            }
        }
        if r.key_generated {
            ui.label(
                RichText::new(env.tr("encrypt.generated_key"))
                    .small()
                    .weak(),
            );
        }
        let plain = if env.mask {
            mask_json_text(&r.plaintext)
        } else {
            r.plaintext.clone()
        };
        let l = ui.label(env.tr("encrypt.plaintext"));
        let mut plain_ref = plain.as_str();
        ui.add(
            egui::TextEdit::multiline(&mut plain_ref)
                .font(egui::TextStyle::Monospace)
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
        ui.horizontal(|ui| {
            if ui.button(env.tr("encrypt.copy_all")).clicked() {
                let all = serde_json::to_string_pretty(&r).unwrap_or_default();
                copy = Some((all, "JSON"));
            }
            if ui.button(env.tr("encrypt.open_in_inspect")).clicked()
                && let Some(input) = self.form.inspect_input()
            {
                out.send(Command::ReplaceDocument {
                    input,
                    origin: Origin::Encrypt {
                        platform: self.form.platform,
                    },
                });
            }
        });
        if let Some((text, what)) = copy {
            self.copy(&text, what, env);
        }
    }

    /// Phone numbers or a template with `%%`; for a template, its text and the output format.
    fn template_ui(&mut self, ui: &mut egui::Ui, env: &UiEnv) {
        let f = &mut self.form;
        ui.horizontal(|ui| {
            ui.selectable_value(&mut f.batch_template, false, env.tr("encrypt.batch.phones"));
            ui.selectable_value(
                &mut f.batch_template,
                true,
                env.tr("encrypt.batch.template"),
            );
        });
        if !f.batch_template {
            return;
        }
        ui.label(RichText::new(env.tr("encrypt.batch.template.intro")).weak());
        let l = ui.label(env.tr("encrypt.batch.template"));
        ui.add(
            egui::TextEdit::multiline(&mut f.template_text)
                .code_editor()
                .desired_rows(4)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
        ui.horizontal(|ui| {
            ui.label(env.tr("encrypt.batch.format"));
            for (format, key) in [
                (BatchFormat::Jsonl, "encrypt.batch.format.jsonl"),
                (BatchFormat::Lines, "encrypt.batch.format.lines"),
                (BatchFormat::Urlencoded, "encrypt.batch.format.urlencoded"),
            ] {
                ui.selectable_value(&mut f.batch_format, format, env.tr(key));
            }
        });
    }

    fn batch_ui(&mut self, ui: &mut egui::Ui, env: &UiEnv) {
        self.template_ui(ui, env);
        let values_key = if self.form.batch_template {
            "encrypt.batch.values"
        } else {
            "encrypt.batch.numbers"
        };
        let l = ui.label(env.tr(values_key));
        ui.add(
            egui::TextEdit::multiline(&mut self.form.batch_numbers)
                .font(egui::TextStyle::Monospace)
                .desired_rows(6)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
        if ui.button(env.tr("encrypt.batch.run")).clicked() {
            match self.form.run_batch(env.now, env.lang) {
                Ok(n) => self.info(
                    env.lang
                        .fmt("encrypt.batch.done", &[("count", &n.to_string())]),
                ),
                Err(e) => self.error(e),
            }
        }
        if self.form.batch_output.is_empty() {
            return;
        }
        if let Some(iv) = self.form.batch_iv.clone() {
            ui.horizontal_wrapped(|ui| {
                ui.label(env.lang.fmt("cli.encrypt.batch_iv", &[("iv", &iv)]));
                widgets::copy_button(ui, env, &iv);
            });
        }
        let shown = if env.mask {
            self.form
                .batch_output
                .lines()
                .map(mask_json_text)
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            self.form.batch_output.clone()
        };
        // What the output holds: JSON Lines with an iv each (fresh, or the one given), or one
        // encryptedData per line under one iv.
        let (output_key, copy_key) = match (self.form.batch_template, self.form.batch_format) {
            (true, BatchFormat::Lines | BatchFormat::Urlencoded) => {
                ("encrypt.batch.output_lines", "encrypt.batch.copy_lines")
            }
            (true, BatchFormat::Jsonl) if !self.form.iv.trim().is_empty() => {
                ("encrypt.batch.output_same_iv", "encrypt.batch.copy")
            }
            _ => ("encrypt.batch.output", "encrypt.batch.copy"),
        };
        let l = ui.label(env.tr(output_key));
        let mut shown_ref = shown.as_str();
        ui.add(
            egui::TextEdit::multiline(&mut shown_ref)
                .font(egui::TextStyle::Monospace)
                .desired_rows(6)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
        let mut save_to: Option<PathBuf> = None;
        ui.horizontal(|ui| {
            if ui.button(env.tr(copy_key)).clicked() {
                let text = self.form.batch_output.clone();
                self.copy(&text, env.tr(output_key), env);
            }
            if ui.button(env.tr("encrypt.batch.save")).clicked() {
                match rfd::FileDialog::new()
                    .set_file_name("payloads.jsonl")
                    .save_file()
                {
                    Some(p) => save_to = Some(p),
                    None => {
                        self.save_path.get_or_insert_with(String::new);
                        self.notice = Some(Notice::warning(env.tr("encrypt.batch.no_dialog")));
                    }
                }
            }
        });
        if let Some(path) = &mut self.save_path {
            ui.horizontal(|ui| {
                let l = ui.label(env.tr("encrypt.batch.save_path"));
                ui.add(egui::TextEdit::singleline(path).desired_width(300.0))
                    .labelled_by(l.id);
                if ui.button(env.tr("encrypt.batch.write")).clicked() && !path.trim().is_empty() {
                    save_to = Some(PathBuf::from(path.trim()));
                }
            });
        }
        if let Some(p) = save_to {
            self.write_batch(p, env);
        }
    }
}
