//! The result of the message-push and Pay modes: the verdict banner, the findings, the repairs,
//! and the typed view — the pushed message as a table of its elements, a payment or refund as a
//! card (amount, order number, payer, time), a certificate as its PEM — then the raw text.

use egui::{RichText, Ui};
use serde_json::Value;

use crate::envelope::{EnvelopeKind, EnvelopeReport, present as env_present};
use crate::gui::inspect::diagnosis;
use crate::gui::json_view;
use crate::gui::state::UiEnv;
use crate::gui::widgets;
use crate::{present, privacy};

/// Draws the report.
pub fn ui(ui: &mut Ui, env: &UiEnv, report: &EnvelopeReport) {
    let v = env_present::verdict(report, env.lang);
    let official = report
        .official_code
        .map(|code| (v.official.clone(), code == 0));
    let lines = env_present::backend_lines(report, env.lang);
    diagnosis::verdict_card(ui, env, &v, official, &lines);
    if !report.repairs.is_empty() {
        ui.add_space(6.0);
        widgets::heading(ui, env.tr("inspect.repairs"));
        for r in &report.repairs {
            ui.horizontal_wrapped(|ui| {
                widgets::severity_mark(ui, r.code.severity());
                ui.label(RichText::new(r.field.label(env.lang)).strong().monospace());
                ui.label(env.tr(r.code.title_key()));
            });
        }
    }
    diagnosis::other_findings(ui, env, report.ok, &report.findings);
    if report.plaintext.is_none() {
        return;
    }
    ui.add_space(6.0);
    if let Some(kind) = report.kind {
        widgets::heading(ui, env.tr(kind.label_key()));
    }
    typed(ui, env, report);
    facts(ui, env, report);
    if let Some(text) = &report.plaintext {
        ui.add_space(4.0);
        egui::CollapsingHeader::new(RichText::new(env.tr("result.raw")).strong())
            .id_salt("envelope_raw")
            .default_open(false)
            .show(ui, |ui| {
                json_view::raw_view(ui, env, report.data.as_ref(), text)
            });
    }
}

/// The receive id, the associated data and the reply, each with a copy button.
fn facts(ui: &mut Ui, env: &UiEnv, report: &EnvelopeReport) {
    let rows = [
        ("cli.receive_id", &report.receive_id),
        ("cli.associated_data", &report.associated_data),
        ("cli.reply", &report.reply),
    ];
    egui::Grid::new("envelope_facts")
        .num_columns(3)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for (key, value) in rows {
                if let Some(v) = value {
                    ui.label(RichText::new(env.tr(key)).strong());
                    ui.label(RichText::new(v).monospace());
                    widgets::copy_button(ui, env, v);
                    ui.end_row();
                }
            }
        });
}

/// A JSON value as one line of a table.
fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The rows of a payment or refund card: (catalogue key, JSON pointer).
const TRANSACTION: [(&str, &str); 7] = [
    ("pay.view.out_trade_no", "/out_trade_no"),
    ("pay.view.transaction_id", "/transaction_id"),
    ("pay.view.trade_state", "/trade_state"),
    ("pay.view.trade_type", "/trade_type"),
    ("pay.view.payer", "/payer/openid"),
    ("pay.view.success_time", "/success_time"),
    ("pay.view.attach", "/attach"),
];
const REFUND: [(&str, &str); 6] = [
    ("pay.view.out_refund_no", "/out_refund_no"),
    ("pay.view.refund_id", "/refund_id"),
    ("pay.view.out_trade_no", "/out_trade_no"),
    ("pay.view.refund_status", "/refund_status"),
    ("pay.view.user_received_account", "/user_received_account"),
    ("pay.view.success_time", "/success_time"),
];

fn typed(ui: &mut Ui, env: &UiEnv, report: &EnvelopeReport) {
    let data = report.data.as_ref();
    match (report.kind, data) {
        (Some(EnvelopeKind::PayTransaction), Some(d)) => {
            card(ui, env, report.ok, d, "/amount/total", &TRANSACTION)
        }
        (Some(EnvelopeKind::PayRefund), Some(d)) => {
            card(ui, env, report.ok, d, "/amount/refund", &REFUND)
        }
        (Some(EnvelopeKind::Message | EnvelopeKind::PayV2Refund), Some(Value::Object(o))) => {
            egui::Grid::new("envelope_message")
                .num_columns(2)
                .striped(true)
                .spacing([16.0, 4.0])
                .show(ui, |ui| {
                    for (k, v) in o {
                        ui.label(RichText::new(k).monospace().strong());
                        let text = cell(v);
                        let shown = if env.mask {
                            privacy::mask_phone(&text)
                        } else {
                            text
                        };
                        ui.add(egui::Label::new(shown).wrap());
                        ui.end_row();
                    }
                });
        }
        (_, Some(v)) => {
            json_view::tree(
                ui,
                env,
                report.plaintext.as_deref().unwrap_or(""),
                "data",
                v,
            );
        }
        (_, None) => {
            let text = report.plaintext.as_deref().unwrap_or("");
            ui.add(egui::Label::new(RichText::new(text).monospace()).wrap());
        }
    }
}

/// A payment or refund: the amount large, then the rows that are present. Data whose tag did not
/// verify is framed as an error and says so.
fn card(ui: &mut Ui, env: &UiEnv, verified: bool, d: &Value, amount: &str, rows: &[(&str, &str)]) {
    let color = if verified {
        widgets::ok_color(ui)
    } else {
        widgets::severity_color(ui, crate::finding::Severity::Error)
    };
    widgets::card(ui, color, |ui| {
        ui.set_width(ui.available_width());
        if !verified {
            ui.label(
                RichText::new(env.tr("pay.view.unverified"))
                    .strong()
                    .color(color),
            );
        }
        if let Some(fen) = d.pointer(amount).and_then(Value::as_i64) {
            let currency = d
                .pointer("/amount/currency")
                .and_then(Value::as_str)
                .unwrap_or("CNY");
            ui.label(
                RichText::new(format!("{} {currency}", present::yuan(fen)))
                    .size(24.0)
                    .strong(),
            );
        }
        egui::Grid::new(("pay_card", amount))
            .num_columns(2)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                for (key, pointer) in rows {
                    if let Some(v) = d.pointer(pointer).filter(|v| !cell(v).is_empty()) {
                        ui.label(RichText::new(env.tr(key)).strong());
                        let text = cell(v);
                        let shown = match present::short_time(&text, env.now) {
                            Some(t) if pointer.ends_with("_time") => t,
                            _ => text,
                        };
                        ui.label(RichText::new(shown).monospace());
                        ui.end_row();
                    }
                }
            });
    });
}
