//! The diagnosis of the Inspect tab: the verdict banner, the suggested iv, the repairs (before →
//! after, Apply fix) and the other findings; and the result column beside it.

use egui::{RichText, Ui};

use super::Action;
use crate::Kind;
use crate::finding::{Field, Finding, Repair, Severity};
use crate::gui::result_view;
use crate::gui::state::{Document, UiEnv};
use crate::gui::widgets::{self, Notice};
use crate::opendata::{Report, official};
use crate::{present, privacy};

/// One finding: icon, message, and (when `hint`) the hint and the code.
pub(crate) fn finding_line(ui: &mut Ui, env: &UiEnv, f: &Finding, hint: bool) {
    ui.horizontal_top(|ui| {
        widgets::severity_mark(ui, f.severity);
        ui.vertical(|ui| {
            ui.label(RichText::new(&f.message).color(widgets::severity_color(ui, f.severity)));
            if hint && !f.hint.is_empty() {
                ui.label(format!("{} {}", env.tr("inspect.hint_prefix"), f.hint));
            }
            if hint {
                ui.label(RichText::new(f.code.as_str()).monospace().small().weak());
            }
        });
    });
}

/// The left column: verdict, suggested iv, repairs and findings.
pub(super) fn diagnosis(ui: &mut Ui, env: &UiEnv, doc: &Document, actions: &mut Vec<Action>) {
    if doc.is_stale() {
        // A long input being re-inspected off the UI thread: the last report stays meanwhile,
        // its buttons off (their spans are of the text before the edit).
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(RichText::new(env.tr("inspect.inspecting")).weak());
        });
    }
    ui.add_enabled_ui(!doc.is_stale(), |ui| diagnosis_body(ui, env, doc, actions));
}

fn diagnosis_body(ui: &mut Ui, env: &UiEnv, doc: &Document, actions: &mut Vec<Action>) {
    let report = &doc.report;
    verdict(ui, env, report);
    if let Some(iv) = &report.suggested_iv {
        ui.add_space(4.0);
        widgets::card(ui, widgets::severity_color(ui, Severity::Warning), |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(env.tr("inspect.suggested_iv")).strong());
                ui.label(RichText::new(iv).monospace());
                if ui
                    .button(env.tr("bytes.use_iv"))
                    .on_hover_text(env.tr("inspect.use_iv.tip"))
                    .clicked()
                {
                    actions.push(Action::Set(
                        Field::Iv,
                        iv.clone(),
                        Notice::ok(env.tr("inspect.iv_applied")),
                    ));
                }
                widgets::copy_button(ui, env, iv);
            });
        });
    }
    if !report.repairs.is_empty() {
        ui.add_space(6.0);
        widgets::heading(ui, env.tr("inspect.repairs"));
        for r in &report.repairs {
            repair(ui, env, doc, r, actions);
        }
    }
    other_findings(ui, env, report.ok, &report.findings);
}

/// The findings under the verdict: all but the repairs (listed with their fixes) and, when the
/// data did not decrypt, the primary one (the verdict's own sentence).
pub(crate) fn other_findings(ui: &mut Ui, env: &UiEnv, ok: bool, findings: &[Finding]) {
    let primary = if ok {
        None
    } else {
        crate::finding::primary(findings)
    };
    let others: Vec<&Finding> = findings
        .iter()
        .filter(|f| !f.code.is_repair() && Some(*f) != primary)
        .collect();
    if !others.is_empty() {
        ui.add_space(6.0);
        widgets::heading(ui, env.tr("inspect.findings"));
        for f in others {
            finding_line(ui, env, f, true);
            ui.add_space(2.0);
        }
    }
}

/// The verdict banner: one plain sentence (the CLI's verdict line), the warning or hint, and the
/// official SDK code.
fn verdict(ui: &mut Ui, env: &UiEnv, report: &Report) {
    let v = present::verdict(report, env.lang);
    let code = report.official_code;
    let official = env.lang.fmt(
        "inspect.official",
        &[("code", &code.to_string()), ("name", official::name(code))],
    );
    let lines = present::backend_lines(report, env.lang);
    let official = present::official_applies(report).then_some((official, code == official::OK));
    verdict_card(ui, env, &v, official, &lines);
}

/// The verdict banner of any inspector: the sentence, the warning or hint, the official code
/// (its text and whether it is OK) and what each backend logs.
pub(crate) fn verdict_card(
    ui: &mut Ui,
    env: &UiEnv,
    v: &present::Verdict,
    official: Option<(String, bool)>,
    lines: &[present::BackendLine],
) {
    let (color, icon) = match (v.ok, v.severity) {
        (true, None) => (widgets::ok_color(ui), widgets::OK_ICON),
        (true, Some(sev)) => (widgets::severity_color(ui, sev), widgets::OK_ICON),
        (false, sev) => {
            let sev = sev.unwrap_or(Severity::Error);
            (
                widgets::severity_color(ui, sev),
                widgets::severity_icon(sev),
            )
        }
    };
    widgets::card(ui, color, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_top(|ui| {
            ui.label(RichText::new(icon).size(22.0).color(color));
            ui.vertical(|ui| {
                ui.label(RichText::new(&v.text).size(16.0).strong().color(color));
                if let Some(w) = &v.warning {
                    ui.label(w);
                }
                if let Some(h) = &v.hint {
                    ui.label(format!("{} {h}", env.tr("inspect.hint_prefix")));
                }
                if let Some((text, ok)) = official {
                    let official_color = if ok {
                        ui.visuals().weak_text_color()
                    } else {
                        widgets::severity_color(ui, Severity::Error)
                    };
                    let label = ui.label(RichText::new(text).monospace().color(official_color));
                    if !v.official.is_empty() {
                        label.on_hover_text(&v.official);
                    }
                }
                if lines.is_empty() {
                    return;
                }
                egui::CollapsingHeader::new(env.tr("backend.title"))
                    .id_salt("backend_logs")
                    .default_open(false)
                    .show(ui, |ui| {
                        for line in lines {
                            let color = if line.ok {
                                widgets::ok_color(ui)
                            } else {
                                widgets::severity_color(ui, Severity::Error)
                            };
                            ui.horizontal_wrapped(|ui| {
                                ui.label(RichText::new(&line.who).strong());
                                ui.label(RichText::new(&line.says).monospace().color(color));
                            });
                        }
                    });
            });
        });
    });
}

/// A short excerpt of `s` around char `at` (long fields stay readable).
fn excerpt(s: &str, at: usize, radius: usize) -> String {
    let n = s.chars().count();
    if n <= radius * 2 + 8 {
        return s.to_string();
    }
    let start = at.saturating_sub(radius);
    let end = (at + radius).min(n);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(s.chars().skip(start).take(end - start));
    if end < n {
        out.push('…');
    }
    out
}

fn visible_ws(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' => '⏎',
            '\r' => '←',
            '\t' => '→',
            ' ' => '␣',
            c => c,
        })
        .collect()
}

/// One repair: before → after, "Apply fix" and "Copy repaired".
fn repair(ui: &mut Ui, env: &UiEnv, doc: &Document, r: &Repair, actions: &mut Vec<Action>) {
    let sev = r.code.severity();
    let color = widgets::severity_color(ui, sev);
    let at = r.spans.first().map_or(0, |s| s[0]);
    let mask = env.mask && r.field == Field::SessionKey;
    let show = |s: &str| {
        let e = visible_ws(&excerpt(s, at, 24));
        if mask { privacy::hide(&e) } else { e }
    };
    let idx = r.field.index().unwrap_or(3);
    let normalized = doc
        .report
        .detail
        .normalized
        .get(idx)
        .cloned()
        .flatten()
        .unwrap_or_else(|| r.after.clone());
    widgets::card(ui, color, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            widgets::severity_mark(ui, sev);
            ui.label(
                RichText::new(format!(
                    "{}: {}",
                    r.field.label(env.lang),
                    env.tr(r.code.title_key())
                ))
                .strong(),
            );
        });
        let bg = widgets::severity_bg(ui.visuals().dark_mode, sev);
        let ok = widgets::ok_color(ui);
        for (key, text, before) in [
            ("inspect.before", show(&r.before), true),
            ("inspect.after", show(&r.after), false),
        ] {
            ui.horizontal(|ui| {
                ui.add_sized(
                    [70.0, ui.spacing().interact_size.y],
                    egui::Label::new(RichText::new(env.tr(key)).weak()),
                );
                let t = RichText::new(text).monospace();
                let t = if before {
                    t.background_color(bg)
                } else {
                    t.color(ok)
                };
                ui.add(egui::Label::new(t).truncate());
            });
        }
        ui.horizontal(|ui| {
            if ui
                .button(env.tr("inspect.apply_fix"))
                .on_hover_text(env.tr("inspect.apply_fix.tip"))
                .clicked()
            {
                actions.push(Action::Set(
                    r.field,
                    normalized.clone(),
                    Notice::ok(
                        env.lang
                            .fmt("inspect.fix_applied", &[("field", r.field.label(env.lang))]),
                    ),
                ));
            }
            if ui
                .button(env.tr("inspect.copy_repaired"))
                .on_hover_text(env.tr("inspect.copy_repaired.tip"))
                .clicked()
            {
                ui.ctx().copy_text(normalized.clone());
            }
        });
    });
    ui.add_space(2.0);
}

/// Below this width of the Inspect panel the result and the watermark are stacked.
pub const SIDE_BY_SIDE_MIN: f32 = 720.0;

/// The decrypted result and its watermark: side by side in a wide panel (the result taking three
/// fifths), stacked in a narrow one; a WeRun chart always takes the whole width.
pub(super) fn result(ui: &mut Ui, env: &UiEnv, report: &Report) {
    let Some(kind) = report.kind else {
        return;
    };
    let chart = kind == Kind::Werun;
    if chart || ui.available_width() < SIDE_BY_SIDE_MIN {
        result_view::ui(ui, env, report);
        ui.add_space(6.0);
        result_view::watermark(ui, env, report);
        return;
    }
    // At most three fifths for the result (a table fills them, a phone card keeps its own width)
    // and what is left, less the card's frame drawn outside its contents, for the watermark.
    let left = (ui.available_width() - ui.spacing().item_spacing.x) * 0.6;
    let frame = 2.0 * (widgets::CARD_MARGIN + 1.0);
    ui.horizontal_top(|ui| {
        column(ui, left, |ui| result_view::ui(ui, env, report));
        let right = ui.available_width() - frame;
        column(ui, right, |ui| result_view::watermark(ui, env, report));
    });
}

/// A top-down column at most `width` wide.
pub(crate) fn column(ui: &mut Ui, width: f32, add: impl FnOnce(&mut Ui)) {
    ui.allocate_ui_with_layout(
        egui::vec2(width, 0.0),
        egui::Layout::top_down(egui::Align::Min),
        |ui| {
            ui.set_max_width(width);
            add(ui);
        },
    );
}
