//! The message-push and Pay modes of the Inspect tab: their paste fields, the live report and the
//! typed result. The inputs live here (they are not case files yet); every edit re-inspects at
//! once — pushes and notifications are a few kilobytes.

pub(crate) mod form;
mod replace;
pub mod result;

use std::path::Path;

use egui::{RichText, Ui};

use crate::case::{self, Case, CaseInput};
use crate::envelope::EnvelopeReport;
use crate::finding::Field;
use crate::gui::command::{Command, Commands};
use crate::gui::inspect::diagnosis::{SIDE_BY_SIDE_MIN, column};
use crate::gui::state::UiEnv;
use crate::gui::widgets::{self, Notice};
use crate::msg::{self, MsgInput};
use crate::pay::{self, PayInput};

use form::Spec;

/// Which envelope the panel inspects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Message,
    Pay,
}

/// What the user asked for while the panel was drawn; applied after drawing.
#[derive(Debug, Clone, PartialEq)]
enum Action {
    Edited,
    PasteAnything,
    Clear,
    Demo,
    /// Save the inputs and the verdict as a case in the cases folder.
    SaveCase,
    /// Put back the inputs the last paste, sample, clear or opened case replaced.
    Restore,
}

/// Inputs that were replaced, kept for Restore: nothing typed is lost to a paste or a sample.
#[derive(Debug, Clone, PartialEq)]
pub enum Previous {
    Message(MsgInput),
    Pay(PayInput),
}

/// The state of both modes.
#[derive(Debug, Clone, Default)]
pub struct EnvelopePanel {
    pub msg: MsgInput,
    pub msg_report: EnvelopeReport,
    pub pay: PayInput,
    pub pay_report: EnvelopeReport,
    pub notice: Option<Notice>,
    /// The name typed for "Save as case".
    pub case_name: String,
    /// What the last replacement replaced (for Restore).
    pub previous: Option<Previous>,
    /// The language and time the reports were made with.
    made_in: Option<crate::i18n::Lang>,
}

const MSG_FIELDS: [Spec; 8] = [
    Spec {
        field: Field::EncodingAesKey,
        multiline: false,
        secret: true,
        hint: "envelope.hint.encoding_aes_key",
    },
    Spec {
        field: Field::Token,
        multiline: false,
        secret: true,
        hint: "envelope.hint.token",
    },
    Spec {
        field: Field::ReceiveId,
        multiline: false,
        secret: false,
        hint: "envelope.hint.receive_id",
    },
    Spec {
        field: Field::MsgSignature,
        multiline: false,
        secret: false,
        hint: "envelope.hint.msg_signature",
    },
    Spec {
        field: Field::Timestamp,
        multiline: false,
        secret: false,
        hint: "envelope.hint.timestamp",
    },
    Spec {
        field: Field::Nonce,
        multiline: false,
        secret: false,
        hint: "envelope.hint.nonce",
    },
    Spec {
        field: Field::Encrypt,
        multiline: true,
        secret: false,
        hint: "envelope.hint.encrypt",
    },
    Spec {
        field: Field::Body,
        multiline: true,
        secret: false,
        hint: "envelope.hint.body",
    },
];

const PAY_FIELDS: [Spec; 2] = [
    Spec {
        field: Field::ApiV3Key,
        multiline: false,
        secret: true,
        hint: "envelope.hint.apiv3_key",
    },
    Spec {
        field: Field::Body,
        multiline: true,
        secret: false,
        hint: "envelope.hint.pay_body",
    },
];

const PAY_MORE: [Spec; 4] = [
    Spec {
        field: Field::Ciphertext,
        multiline: true,
        secret: false,
        hint: "envelope.hint.ciphertext",
    },
    Spec {
        field: Field::Nonce,
        multiline: false,
        secret: false,
        hint: "envelope.hint.pay_nonce",
    },
    Spec {
        field: Field::AssociatedData,
        multiline: false,
        secret: false,
        hint: "envelope.hint.associated_data",
    },
    Spec {
        field: Field::Algorithm,
        multiline: false,
        secret: false,
        hint: "envelope.hint.algorithm",
    },
];

fn msg_slot(m: &mut MsgInput, f: Field) -> &mut String {
    match f {
        Field::EncodingAesKey => &mut m.encoding_aes_key,
        Field::Token => &mut m.token,
        Field::ReceiveId => &mut m.receive_id,
        Field::MsgSignature => &mut m.msg_signature,
        Field::Timestamp => &mut m.timestamp,
        Field::Nonce => &mut m.nonce,
        Field::Encrypt => &mut m.encrypt,
        _ => &mut m.body,
    }
}

fn pay_slot(p: &mut PayInput, f: Field) -> &mut String {
    match f {
        Field::ApiV3Key | Field::ApiKey => &mut p.key,
        Field::Ciphertext => &mut p.ciphertext,
        Field::Nonce => &mut p.nonce,
        Field::AssociatedData => &mut p.associated_data,
        Field::Algorithm => &mut p.algorithm,
        _ => &mut p.body,
    }
}

impl EnvelopePanel {
    /// Re-inspects both inputs.
    pub fn refresh(&mut self, env: &UiEnv) {
        self.refresh_mode(Which::Message, env);
        self.refresh_mode(Which::Pay, env);
        self.made_in = Some(env.lang);
    }

    /// Re-inspects the input of one mode (after it changed).
    fn refresh_mode(&mut self, which: Which, env: &UiEnv) {
        match which {
            Which::Message => self.msg_report = msg::inspect_message(&self.msg, &env.options()),
            Which::Pay => self.pay_report = pay::inspect_pay(&self.pay, &env.options()),
        }
    }

    /// Draws the mode `which`; saving a case asks the cases panel to re-read its folder.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        env: &UiEnv,
        folder: Option<&Path>,
        which: Which,
        out: &mut Commands,
    ) {
        // The reports depend on the inputs and the language only (not on the clock).
        if self.made_in != Some(env.lang) {
            self.refresh(env);
        }
        let mut actions = Vec::new();
        self.toolbar(ui, env, which, folder.is_some(), &mut actions);
        ui.add_space(4.0);
        match which {
            Which::Message => {
                let (pairs, rest) = MSG_FIELDS.split_at(6);
                for pair in pairs.chunks(2) {
                    if self.field_row(ui, env, pair) {
                        actions.push(Action::Edited);
                    }
                }
                for spec in rest {
                    if form::field(
                        ui,
                        env,
                        (&self.msg_report.findings, &self.msg_report.repairs),
                        *spec,
                        msg_slot(&mut self.msg, spec.field),
                    ) {
                        actions.push(Action::Edited);
                    }
                    if spec.field == Field::Encrypt
                        && ui
                            .checkbox(&mut self.msg.echostr, env.tr("envelope.echostr"))
                            .changed()
                    {
                        actions.push(Action::Edited);
                    }
                }
            }
            Which::Pay => {
                if self.pay_fields(ui, env, &PAY_FIELDS) {
                    actions.push(Action::Edited);
                }
                egui::CollapsingHeader::new(env.tr("envelope.pay_fields"))
                    .id_salt("pay_more_fields")
                    .default_open(false)
                    .show(ui, |ui| {
                        if self.pay_fields(ui, env, &PAY_MORE) {
                            actions.push(Action::Edited);
                        }
                    });
            }
        }
        ui.add_space(6.0);
        let report = match which {
            Which::Message => &self.msg_report,
            Which::Pay => &self.pay_report,
        };
        result::ui(ui, env, report);
        for a in actions {
            self.apply(a, env, folder, which, out);
        }
    }

    /// The Pay fields `specs`; returns whether any changed.
    fn pay_fields(&mut self, ui: &mut Ui, env: &UiEnv, specs: &[Spec]) -> bool {
        let mut changed = false;
        for spec in specs {
            let slot = pay_slot(&mut self.pay, spec.field);
            changed |= form::field(
                ui,
                env,
                (&self.pay_report.findings, &self.pay_report.repairs),
                *spec,
                slot,
            );
        }
        changed
    }

    /// Two short message-push fields side by side in a wide panel, stacked in a narrow one;
    /// returns whether either changed.
    fn field_row(&mut self, ui: &mut Ui, env: &UiEnv, pair: &[Spec]) -> bool {
        let report = &self.msg_report;
        let msg = &mut self.msg;
        let mut changed = false;
        if ui.available_width() < SIDE_BY_SIDE_MIN {
            for spec in pair {
                changed |= form::field(
                    ui,
                    env,
                    (&report.findings, &report.repairs),
                    *spec,
                    msg_slot(msg, spec.field),
                );
            }
            return changed;
        }
        let half = (ui.available_width() - ui.spacing().item_spacing.x) / 2.0;
        ui.horizontal_top(|ui| {
            for spec in pair {
                column(ui, half, |ui| {
                    changed |= form::field(
                        ui,
                        env,
                        (&report.findings, &report.repairs),
                        *spec,
                        msg_slot(msg, spec.field),
                    );
                });
            }
        });
        changed
    }

    fn toolbar(
        &mut self,
        ui: &mut Ui,
        env: &UiEnv,
        which: Which,
        has_folder: bool,
        actions: &mut Vec<Action>,
    ) {
        ui.horizontal_wrapped(|ui| {
            let (paste, tip) = match which {
                Which::Message => ("envelope.paste_request", "envelope.paste_request.tip"),
                Which::Pay => (
                    "envelope.paste_notification",
                    "envelope.paste_notification.tip",
                ),
            };
            if ui
                .button(RichText::new(env.tr(paste)).strong())
                .on_hover_text(env.tr(tip))
                .clicked()
            {
                actions.push(Action::PasteAnything);
            }
            if ui
                .button(env.tr("inspect.clear_all"))
                .on_hover_text(env.tr("envelope.clear.tip"))
                .clicked()
            {
                actions.push(Action::Clear);
            }
            if ui
                .button(env.tr("envelope.demo"))
                .on_hover_text(env.tr("envelope.demo.tip"))
                .clicked()
            {
                actions.push(Action::Demo);
            }
            ui.separator();
            let label = ui.label(env.tr("envelope.case_name"));
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.case_name)
                        .desired_width(160.0)
                        .background_color(ui.visuals().extreme_bg_color),
                )
                .labelled_by(label.id);
            ui.painter().rect_stroke(
                field.rect,
                ui.visuals().widgets.inactive.corner_radius,
                ui.visuals().widgets.noninteractive.bg_stroke,
                egui::StrokeKind::Inside,
            );
            let tip = if has_folder {
                "envelope.save_case.tip"
            } else {
                "cases.error.no_folder"
            };
            if ui
                .add_enabled(has_folder, egui::Button::new(env.tr("envelope.save_case")))
                .on_hover_text(env.tr(tip))
                .on_disabled_hover_text(env.tr(tip))
                .clicked()
            {
                actions.push(Action::SaveCase);
            }
            if let Some(n) = &self.notice {
                ui.separator();
                n.show(ui);
            }
            let restorable = matches!(
                (&self.previous, which),
                (Some(Previous::Message(_)), Which::Message) | (Some(Previous::Pay(_)), Which::Pay)
            );
            if restorable
                && ui
                    .button(env.tr("envelope.restore"))
                    .on_hover_text(env.tr("envelope.restore.tip"))
                    .clicked()
            {
                actions.push(Action::Restore);
            }
        });
    }

    /// Writes the mode's inputs and verdict as a new case file in `folder` (never over an
    /// existing file).
    fn save_case(&mut self, env: &UiEnv, folder: &Path, which: Which) -> Result<String, String> {
        let name = self.case_name.trim();
        if name.is_empty() {
            return Err(env.tr("cases.error.empty_name").to_string());
        }
        let path = folder.join(case::file_name_for(name));
        let shown = path.display().to_string();
        if std::fs::symlink_metadata(&path).is_ok() {
            return Err(env.lang.fmt("cases.error.exists", &[("path", &shown)]));
        }
        let (input, report) = match which {
            Which::Message => (CaseInput::from_message(&self.msg), &self.msg_report),
            Which::Pay => (CaseInput::from_pay(&self.pay), &self.pay_report),
        };
        let c = Case::from_envelope(name, "", input, report, env.now);
        case::save_case(&path, &c).map_err(|e| {
            env.lang.fmt(
                "cases.error.write",
                &[("path", &shown), ("error", &e.to_string())],
            )
        })?;
        Ok(env.lang.fmt("cases.saved", &[("path", &shown)]))
    }

    /// Applies one action of the frame.
    fn apply(
        &mut self,
        action: Action,
        env: &UiEnv,
        folder: Option<&Path>,
        which: Which,
        out: &mut Commands,
    ) {
        match action {
            Action::SaveCase => {
                let Some(folder) = folder else { return };
                self.notice = Some(match self.save_case(env, folder, which) {
                    Ok(msg) => {
                        out.send(Command::RescanCases);
                        Notice::ok(msg)
                    }
                    Err(msg) => Notice::error(msg),
                });
                return;
            }
            Action::Edited => self.notice = None,
            Action::Restore => {
                match self.previous.take() {
                    Some(Previous::Message(m)) => {
                        self.previous =
                            Some(Previous::Message(std::mem::replace(&mut self.msg, m)));
                    }
                    Some(Previous::Pay(p)) => {
                        self.previous = Some(Previous::Pay(std::mem::replace(&mut self.pay, p)));
                    }
                    None => {}
                }
                self.notice = Some(Notice::ok(env.tr("envelope.restored")));
            }
            Action::PasteAnything => match widgets::clipboard_text(env) {
                Ok(text) => self.paste(&text, env, which),
                Err(e) => self.notice = Some(Notice::error(e)),
            },
            Action::Clear => {
                // The configuration (key, token, receive id) stays; what arrived goes.
                self.keep_previous(which);
                match which {
                    Which::Message => {
                        self.msg = MsgInput {
                            encoding_aes_key: std::mem::take(&mut self.msg.encoding_aes_key),
                            token: std::mem::take(&mut self.msg.token),
                            receive_id: std::mem::take(&mut self.msg.receive_id),
                            ..MsgInput::default()
                        };
                    }
                    Which::Pay => {
                        self.pay = PayInput {
                            key: std::mem::take(&mut self.pay.key),
                            ..PayInput::default()
                        };
                    }
                }
                self.notice = None;
            }
            Action::Demo => {
                self.keep_previous(which);
                match which {
                    Which::Message => self.msg = crate::gui::demo::msg_demo(),
                    Which::Pay => self.pay = crate::gui::demo::pay_demo(env.now),
                }
                self.notice = Some(Notice::ok(env.tr("envelope.demo_loaded")));
            }
        }
        self.refresh_mode(which, env);
    }
}
