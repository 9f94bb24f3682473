//! The Inspect tab: the four paste fields with in-place highlights, the verdict, repairs, findings,
//! the decrypted result, the raw JSON and the bytes. Every edit re-inspects at once.

use egui::{Color32, RichText, Ui};

use crate::extract;
use crate::finding::{Code, Field, Finding, Repair, Severity};
use crate::gui::bytes_view::{self, BytesAction, BytesState};
use crate::gui::highlight;
use crate::gui::json_view;
use crate::gui::result_view;
use crate::gui::state::{Document, UiEnv, demo_input};
use crate::gui::widgets::{self, Notice};
use crate::opendata::{Report, official};
use crate::{present, privacy};

/// State of the Inspect tab (the document itself lives in [`Document`]).
#[derive(Debug, Clone, Default)]
pub struct InspectView {
    /// The outcome of the last paste, fix or drop.
    pub notice: Option<Notice>,
    pub bytes: BytesState,
}

/// What the user asked for while the view was drawn; applied after drawing.
#[derive(Debug, Clone, PartialEq)]
enum Action {
    Set(Field, String, Notice),
    PasteInto(Field),
    PasteAnything,
    ClearAll,
    LoadDemo,
}

/// The findings a field's mark and tooltip speak about (the appid field also owns the watermark's
/// appid checks).
pub fn findings_for(report: &Report, field: Field) -> Vec<&Finding> {
    report
        .findings
        .iter()
        .filter(|f| {
            f.field == field
                || (field == Field::Appid
                    && matches!(
                        f.code,
                        Code::WatermarkAppidMismatch | Code::WatermarkAppidUnchecked
                    ))
        })
        .collect()
}

fn field_severity(report: &Report, field: Field) -> Option<Severity> {
    findings_for(report, field).iter().map(|f| f.severity).max()
}

impl InspectView {
    pub fn new() -> InspectView {
        InspectView::default()
    }

    /// Fills fields from any text (JSON body, `e.detail`, query string, log line): the smart paste.
    pub fn paste_text(&mut self, text: &str, env: &UiEnv, doc: &mut Document) {
        let found = extract::extract(text);
        if found.is_empty() {
            self.notice = Some(Notice::warning(env.tr("inspect.paste_any.none")));
            return;
        }
        let mut input = doc.input.clone();
        let mut names = Vec::new();
        for (field, key) in &found.found {
            if let Some(slot) = input.get_mut(*field) {
                *slot = found.input.get(*field).to_string();
                names.push(format!("{} ({key})", field.label(env.lang)));
            }
        }
        doc.set_input(input, env);
        self.notice = Some(Notice::ok(
            env.lang
                .fmt("inspect.paste_any.filled", &[("fields", &names.join(", "))]),
        ));
    }

    /// Draws the tab.
    pub fn ui(&mut self, ui: &mut Ui, env: &UiEnv, doc: &mut Document) {
        let mut actions: Vec<Action> = Vec::new();
        egui::ScrollArea::vertical()
            .id_salt("inspect_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.toolbar(ui, env, &mut actions);
                ui.add_space(4.0);
                fields(ui, env, doc, &mut actions);
                ui.add_space(6.0);
                let report = &doc.report;
                let wide = ui.available_width() > 760.0;
                if wide && report.kind.is_some() {
                    ui.columns(2, |cols| {
                        diagnosis(&mut cols[0], env, doc, &mut actions);
                        result_column(&mut cols[1], env, report);
                    });
                } else {
                    diagnosis(ui, env, doc, &mut actions);
                    result_column(ui, env, report);
                }
                let report = &doc.report;
                let has_bytes =
                    !report.detail.decrypted.is_empty() || !report.detail.ciphertext.is_empty();
                // When decryption failed the bytes tell more than the JSON: show them first.
                if has_bytes && !report.ok {
                    self.bytes_section(ui, env, report, &mut actions);
                }
                if let Some(text) = &report.plaintext {
                    ui.add_space(4.0);
                    egui::CollapsingHeader::new(RichText::new(env.tr("result.raw")).strong())
                        .id_salt("raw_json_section")
                        .default_open(true)
                        .show(ui, |ui| {
                            json_view::raw_view(ui, env, report.data.as_ref(), text)
                        });
                }
                if has_bytes && report.ok {
                    self.bytes_section(ui, env, report, &mut actions);
                }
            });
        for a in actions {
            self.apply(a, env, doc);
        }
    }

    fn bytes_section(
        &mut self,
        ui: &mut Ui,
        env: &UiEnv,
        report: &Report,
        actions: &mut Vec<Action>,
    ) {
        egui::CollapsingHeader::new(RichText::new(env.tr("bytes.title")).strong())
            .id_salt(("bytes_section", report.ok))
            .default_open(!report.ok)
            .show(ui, |ui| {
                if let Some(BytesAction::UseIv(iv)) =
                    bytes_view::ui(ui, env, report, &mut self.bytes)
                {
                    actions.push(Action::Set(
                        Field::Iv,
                        iv,
                        Notice::ok(env.tr("inspect.iv_applied")),
                    ));
                }
            });
    }

    fn toolbar(&self, ui: &mut Ui, env: &UiEnv, actions: &mut Vec<Action>) {
        ui.horizontal_wrapped(|ui| {
            if ui
                .button(RichText::new(env.tr("inspect.paste_any")).strong())
                .on_hover_text(env.tr("inspect.paste_any.tip"))
                .clicked()
            {
                actions.push(Action::PasteAnything);
            }
            if ui
                .button(env.tr("inspect.clear_all"))
                .on_hover_text(env.tr("inspect.clear_all.tip"))
                .clicked()
            {
                actions.push(Action::ClearAll);
            }
            if ui
                .button(env.tr("inspect.demo"))
                .on_hover_text(env.tr("inspect.demo.tip"))
                .clicked()
            {
                actions.push(Action::LoadDemo);
            }
            if let Some(n) = &self.notice {
                ui.separator();
                n.show(ui);
            }
        });
    }

    fn apply(&mut self, action: Action, env: &UiEnv, doc: &mut Document) {
        match action {
            Action::Set(field, text, notice) => {
                if let Some(slot) = doc.input.get_mut(field) {
                    *slot = text;
                    doc.refresh(env);
                    self.notice = Some(notice);
                }
            }
            Action::PasteInto(field) => match widgets::clipboard_text(env) {
                Ok(text) => {
                    if let Some(slot) = doc.input.get_mut(field) {
                        *slot = text;
                        doc.refresh(env);
                        self.notice = None;
                    }
                }
                Err(e) => self.notice = Some(Notice::error(e)),
            },
            Action::PasteAnything => match widgets::clipboard_text(env) {
                Ok(text) => self.paste_text(&text, env, doc),
                Err(e) => self.notice = Some(Notice::error(e)),
            },
            Action::ClearAll => {
                // The appid rarely changes between payloads: keep it.
                let input = crate::opendata::Input {
                    appid: doc.input.appid.clone(),
                    ..Default::default()
                };
                doc.set_input(input, env);
                self.notice = None;
            }
            Action::LoadDemo => {
                doc.set_input(demo_input(), env);
                self.notice = Some(Notice::ok(env.tr("inspect.demo.loaded")));
            }
        }
    }
}

/// The four fields.
fn fields(ui: &mut Ui, env: &UiEnv, doc: &mut Document, actions: &mut Vec<Action>) {
    let Document { input, report, .. } = doc;
    let mut changed = false;
    for field in Field::INPUTS {
        let idx = field.index().unwrap_or(3);
        let Some(text) = input.get_mut(field) else {
            continue;
        };
        let sev = field_severity(report, field);
        let about = findings_for(report, field);
        let label = ui
            .horizontal(|ui| {
                let label = ui.label(RichText::new(field.label(env.lang)).strong().monospace());
                match sev {
                    Some(s) => {
                        widgets::severity_mark(ui, s).on_hover_text(env.tr(s.label_key()));
                    }
                    None if !text.trim().is_empty() => {
                        ui.label(RichText::new(widgets::OK_ICON).color(widgets::ok_color(ui)));
                    }
                    None => {}
                }
                let chars = text.chars().count();
                let readout = match report.detail.decoded_len.get(idx).copied().flatten() {
                    Some(bytes) if field != Field::Appid => env.lang.fmt(
                        "inspect.len_bytes",
                        &[("chars", &chars.to_string()), ("bytes", &bytes.to_string())],
                    ),
                    _ => env
                        .lang
                        .fmt("inspect.len_chars", &[("chars", &chars.to_string())]),
                };
                ui.label(RichText::new(readout).weak().small());
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .small_button(env.tr("inspect.clear"))
                        .on_hover_text(env.tr("inspect.clear.tip"))
                        .clicked()
                    {
                        actions.push(Action::Set(
                            field,
                            String::new(),
                            Notice::ok(env.tr("inspect.cleared")),
                        ));
                    }
                    if ui
                        .small_button(env.tr("inspect.paste"))
                        .on_hover_text(env.tr("inspect.paste.tip"))
                        .clicked()
                    {
                        actions.push(Action::PasteInto(field));
                    }
                });
                label
            })
            .inner;
        let marks = highlight::field_marks(report, field);
        let font = egui::TextStyle::Monospace.resolve(ui.style());
        let color = ui.visuals().text_color();
        let dark = ui.visuals().dark_mode;
        let mask = env.mask && field == Field::SessionKey;
        let multiline = field == Field::EncryptedData;
        let mut layouter = |ui: &Ui, buf: &dyn egui::TextBuffer, wrap_width: f32| {
            let style = highlight::Style {
                font: &font,
                color,
                dark,
                mask,
            };
            let mut job = highlight::cached_job(ui.ctx(), buf.as_str(), &marks, style);
            if multiline {
                job.wrap.max_width = wrap_width;
                job.wrap.break_anywhere = true;
            } else {
                job.wrap.max_width = f32::INFINITY;
            }
            ui.fonts_mut(|f| f.layout_job(job))
        };
        let edit = if multiline {
            egui::TextEdit::multiline(text)
                .desired_rows(5)
                .lock_focus(false)
        } else {
            egui::TextEdit::singleline(text)
        };
        let out = edit
            .id_salt(("field", field.as_str()))
            .font(egui::TextStyle::Monospace)
            .desired_width(f32::INFINITY)
            .background_color(ui.visuals().extreme_bg_color)
            .hint_text(env.tr(placeholder_key(field)))
            .layouter(&mut layouter)
            .show(ui);
        let response = out.response.response.labelled_by(label.id);
        // The border shows the field's worst severity (a plain frame when nothing is said).
        let stroke = match sev {
            Some(s) => egui::Stroke::new(1.5, widgets::severity_color(ui, s)),
            None if response.has_focus() => ui.visuals().selection.stroke,
            None => ui.visuals().widgets.noninteractive.bg_stroke,
        };
        ui.painter().rect_stroke(
            response.rect,
            ui.visuals().widgets.inactive.corner_radius,
            stroke,
            egui::StrokeKind::Inside,
        );
        if response.changed() {
            changed = true;
        }
        if !about.is_empty() {
            response.on_hover_ui(|ui| {
                ui.set_max_width(460.0);
                for f in &about {
                    finding_line(ui, env, f, false);
                }
            });
        }
        ui.add_space(4.0);
    }
    if changed {
        doc.refresh(env);
    }
}

/// One finding: icon, message, and (when `hint`) the hint and the code.
fn finding_line(ui: &mut Ui, env: &UiEnv, f: &Finding, hint: bool) {
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
fn diagnosis(ui: &mut Ui, env: &UiEnv, doc: &Document, actions: &mut Vec<Action>) {
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
    // The primary finding is the verdict's sentence; list the rest.
    let primary = if report.ok { None } else { report.primary() };
    let others: Vec<&Finding> = report
        .findings
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
    let (color, icon) = match (v.severity, v.ok) {
        (Some(sev), _) => (
            widgets::severity_color(ui, sev),
            widgets::severity_icon(sev),
        ),
        (None, true) => (widgets::ok_color(ui), widgets::OK_ICON),
        (None, false) => (
            widgets::severity_color(ui, Severity::Error),
            widgets::severity_icon(Severity::Error),
        ),
    };
    let icon = if v.ok { widgets::OK_ICON } else { icon };
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
                let code = report.official_code;
                let official_color = if code == official::OK {
                    ui.visuals().weak_text_color()
                } else {
                    widgets::severity_color(ui, Severity::Error)
                };
                ui.label(
                    RichText::new(env.lang.fmt(
                        "inspect.official",
                        &[("code", &code.to_string()), ("name", official::name(code))],
                    ))
                    .monospace()
                    .color(official_color),
                )
                .on_hover_text(&v.official);
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

/// The right column: the result by kind and the watermark.
fn result_column(ui: &mut Ui, env: &UiEnv, report: &Report) {
    if report.kind.is_none() {
        return;
    }
    result_view::ui(ui, env, report);
    ui.add_space(6.0);
    result_view::watermark(ui, env, report);
}

/// The colour of a field's border (exposed for tests and other views).
pub fn field_color(ui: &Ui, report: &Report, field: Field) -> Option<Color32> {
    field_severity(report, field).map(|s| widgets::severity_color(ui, s))
}

/// Catalogue key of an input field's placeholder text.
fn placeholder_key(field: Field) -> &'static str {
    match field {
        Field::Appid => "inspect.hint.appid",
        Field::SessionKey => "inspect.hint.session_key",
        Field::Iv => "inspect.hint.iv",
        _ => "inspect.hint.encrypted_data",
    }
}
