//! The decrypted result by kind (phone card, user table, WeRun chart, share/group info, JSON tree)
//! and the watermark card.

use egui::{RichText, Ui};
use serde_json::Value;

use crate::finding::{Code, Severity};
use crate::gui::json_view;
use crate::gui::state::UiEnv;
use crate::gui::{big_text, memo, werun, widgets};
use crate::opendata::Report;
use crate::opendata::interpret::{Kind, Watermark};
use crate::{present, privacy};

/// Draws the result of a report that decrypted (does nothing otherwise).
pub fn ui(ui: &mut Ui, env: &UiEnv, report: &Report) {
    let Some(kind) = report.kind else {
        return;
    };
    widgets::heading(ui, env.tr(kind.label_key()));
    let obj = match &report.data {
        Some(Value::Object(o)) => Some(o),
        _ => None,
    };
    match (kind, obj) {
        (Kind::PhoneNumber, Some(o)) => phone(ui, env, o),
        (Kind::UserInfo, Some(o)) => table(ui, env, o, "user"),
        (Kind::Werun, Some(o)) => werun::ui(ui, env, report.plaintext.as_deref().unwrap_or(""), o),
        (Kind::ShareInfo | Kind::GroupInfo, Some(o)) => table(ui, env, o, "share"),
        (Kind::Unknown, Some(_)) => {
            if let Some(v) = &report.data {
                let key = report.plaintext.as_deref().unwrap_or("");
                json_view::tree(ui, env, key, "data", v);
            }
        }
        _ => plain_text(ui, env, report.plaintext.as_deref().unwrap_or("")),
    }
}

/// A plaintext that is not a JSON object, as text (masked when masking is on); a long one in a
/// virtualised box.
fn plain_text(ui: &mut Ui, env: &UiEnv, text: &str) {
    let slot = egui::Id::unique("result_plain_text");
    let shown = memo::cached(ui.ctx(), slot, (text, env.mask), || {
        if env.mask {
            privacy::mask_phone(text)
        } else {
            text.to_string()
        }
    });
    if big_text::is_big(&shown) {
        widgets::copy_button(ui, env, text);
        let font = egui::TextStyle::Monospace.resolve(ui.style());
        let color = ui.visuals().text_color();
        let id = ui.make_persistent_id("result_plain_big");
        big_text::view(ui, id, &shown, &font, 320.0, |r| {
            let row = shown.get(r).unwrap_or_default().to_string();
            egui::text::LayoutJob::simple_singleline(row, font.clone(), color)
        });
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.add(egui::Label::new(RichText::new(shown.as_str()).monospace()).selectable(true));
        widgets::copy_button(ui, env, text);
    });
}

fn str_of<'a>(o: &'a serde_json::Map<String, Value>, k: &str) -> Option<&'a str> {
    o.get(k).and_then(Value::as_str)
}

fn phone(ui: &mut Ui, env: &UiEnv, o: &serde_json::Map<String, Value>) {
    widgets::card(ui, widgets::ok_color(ui), |ui| {
        let main = str_of(o, "phoneNumber").unwrap_or("-");
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(shown_phone(env, main))
                    .size(28.0)
                    .strong()
                    .monospace(),
            );
            widgets::copy_button(ui, env, main);
        });
        egui::Grid::new("phone_grid")
            .num_columns(3)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for (key, label) in [
                    ("phoneNumber", "result.phone.number"),
                    ("purePhoneNumber", "result.phone.pure"),
                    ("countryCode", "result.phone.country"),
                ] {
                    let v = str_of(o, key).unwrap_or("-");
                    ui.label(env.tr(label));
                    let shown = if key == "countryCode" {
                        v.to_string()
                    } else {
                        shown_phone(env, v)
                    };
                    ui.label(RichText::new(shown).monospace());
                    widgets::copy_button(ui, env, v);
                    ui.end_row();
                }
            });
    });
}

fn leaf_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Key/value rows of a flat payload (user info, share info); the watermark has its own card.
/// Long values are truncated to the width (full text on hover and in the copy).
fn table(ui: &mut Ui, env: &UiEnv, o: &serde_json::Map<String, Value>, id: &str) {
    let key_width = 110.0;
    for (i, (k, v)) in o
        .iter()
        .filter(|(k, _)| k.as_str() != "watermark")
        .enumerate()
    {
        let label = match k.as_str() {
            "nickName" => env.tr("result.user.nickname"),
            "avatarUrl" => env.tr("result.user.avatar"),
            "gender" => env.tr("result.user.gender"),
            _ => k.as_str(),
        };
        let text = leaf_text(v);
        let shown = match k.as_str() {
            "gender" => gender(env, v).unwrap_or_else(|| text.clone()),
            _ => text.clone(),
        };
        let fill = if i % 2 == 0 {
            ui.visuals().faint_bg_color
        } else {
            egui::Color32::TRANSPARENT
        };
        egui::Frame::new().fill(fill).show(ui, |ui| {
            ui.push_id((id, k), |ui| {
                ui.horizontal(|ui| {
                    ui.allocate_ui_with_layout(
                        egui::vec2(key_width, ui.spacing().interact_size.y),
                        egui::Layout::left_to_right(egui::Align::Center),
                        |ui| {
                            ui.set_min_width(key_width);
                            ui.add(egui::Label::new(RichText::new(label).strong()).truncate())
                                .on_hover_text(k);
                        },
                    );
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        widgets::copy_button(ui, env, &text);
                        ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                            ui.add(egui::Label::new(&shown).truncate())
                                .on_hover_text(&text);
                        });
                    });
                });
            });
        });
    }
}

fn gender(env: &UiEnv, v: &Value) -> Option<String> {
    let key = match v.as_i64()? {
        1 => "result.user.gender.male",
        2 => "result.user.gender.female",
        _ => "result.user.gender.unknown",
    };
    Some(format!("{} ({v})", env.tr(key)))
}

/// The watermark card: appid found vs expected, and the time with its age.
pub fn watermark(ui: &mut Ui, env: &UiEnv, report: &Report) {
    let Some(wm) = &report.watermark else {
        if report.has(Code::WatermarkMissing) {
            widgets::card(ui, widgets::severity_color(ui, Severity::Warning), |ui| {
                widgets::heading(ui, env.tr("result.watermark"));
                ui.label(env.tr("result.watermark.none"));
            });
        }
        return;
    };
    let mismatch = report.has(Code::WatermarkAppidMismatch);
    let future = report.has(Code::WatermarkTimestampFuture);
    let border = if mismatch {
        widgets::severity_color(ui, Severity::Error)
    } else if future {
        widgets::severity_color(ui, Severity::Warning)
    } else {
        widgets::ok_color(ui)
    };
    widgets::card(ui, border, |ui| {
        widgets::heading(ui, env.tr("result.watermark"));
        watermark_grid(ui, env, wm, mismatch, future);
    });
}

fn watermark_grid(ui: &mut Ui, env: &UiEnv, wm: &Watermark, mismatch: bool, future: bool) {
    let err = widgets::severity_color(ui, Severity::Error);
    let warn = widgets::severity_color(ui, Severity::Warning);
    egui::Grid::new("watermark_grid")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            ui.label(env.tr("result.watermark.found"));
            let found = wm.appid.as_deref().unwrap_or("-");
            let mut t = RichText::new(found).monospace().strong();
            if mismatch {
                t = t.color(err);
            }
            ui.label(t);
            ui.end_row();
            ui.label(env.tr("result.watermark.expected"));
            match &wm.expected_appid {
                Some(e) => {
                    let mut t = RichText::new(e).monospace();
                    if mismatch {
                        t = t.color(err);
                    }
                    ui.label(t);
                }
                None => {
                    ui.label(RichText::new(env.tr("result.watermark.unchecked")).weak());
                }
            }
            ui.end_row();
            ui.label(env.tr("result.watermark.time"));
            match wm.timestamp {
                Some(ts) => {
                    let local = present::local_time(ts).unwrap_or_else(|| ts.to_string());
                    ui.label(RichText::new(local).monospace())
                        .on_hover_text(format!("{ts} = {}", wm.time.as_deref().unwrap_or("-")));
                    // The age on a row of its own: the card stays inside a narrow column.
                    if let Some(a) = wm.age_seconds {
                        ui.end_row();
                        ui.label(env.tr("result.watermark.age"));
                        let mut t = RichText::new(present::age_text(env.lang, a));
                        if future {
                            t = t.color(warn);
                        }
                        ui.label(t);
                    }
                }
                None => {
                    ui.label("-");
                }
            }
            ui.end_row();
        });
}

/// A phone number as shown: masked when masking is on.
fn shown_phone(env: &UiEnv, s: &str) -> String {
    if env.mask {
        privacy::mask_phone(s)
    } else {
        s.to_string()
    }
}
