//! The four input fields of the Inspect tab: label row (severity mark, length readout, Paste and
//! Clear buttons), the editor with in-place highlights and a border in the field's worst severity,
//! and the findings about the field on hover. Edits are sent as commands.

use egui::{Color32, RichText, Ui};

use super::{Action, diagnosis};
use crate::finding::{Code, Field, Finding, Severity};
use crate::gui::big_text;
use crate::gui::command::Edit;
use crate::gui::highlight;
use crate::gui::state::{UiEnv, ViewCtx};
use crate::gui::widgets::{self, Notice};
use crate::opendata::Report;

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

/// The colour of a field's border (exposed for tests and other views).
pub fn field_color(ui: &Ui, report: &Report, field: Field) -> Option<Color32> {
    field_severity(report, field).map(|s| widgets::severity_color(ui, s))
}

/// The four fields.
pub(super) fn fields(ui: &mut Ui, cx: &ViewCtx, actions: &mut Vec<Action>) {
    for field in Field::INPUTS {
        // The editor works on a copy; a change is sent as an edit of the document.
        let mut text = cx.doc.input.get(field).to_string();
        let label = header(ui, cx, field, &text, actions);
        if editor(ui, cx, field, &mut text, label) {
            actions.push(Action::Edit(Edit::Field(field, text)));
        }
        ui.add_space(4.0);
    }
}

/// The label row of a field; returns the label's id (the editor is labelled by it).
fn header(
    ui: &mut Ui,
    cx: &ViewCtx,
    field: Field,
    text: &str,
    actions: &mut Vec<Action>,
) -> egui::Id {
    let (env, report) = (cx.env, &cx.doc.report);
    let idx = field.index().unwrap_or(3);
    ui.horizontal(|ui| {
        let label = ui.label(RichText::new(field.label(env.lang)).strong().monospace());
        super::platform::field_note(ui, cx, field);
        match field_severity(report, field) {
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
        label.id
    })
    .inner
}

/// The editor of one field; returns whether the text changed.
fn editor(ui: &mut Ui, cx: &ViewCtx, field: Field, text: &mut String, label: egui::Id) -> bool {
    let (env, report) = (cx.env, &cx.doc.report);
    let sev = field_severity(report, field);
    let marks = highlight::field_marks(report, field);
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let color = ui.visuals().text_color();
    let dark = ui.visuals().dark_mode;
    let mask = env.mask && field == Field::SessionKey;
    let style = highlight::Style {
        font: &font,
        color,
        dark,
        mask,
    };
    let small_id = ui.make_persistent_id(("field", field.as_str()));
    let big_id = ui.make_persistent_id(("big_field", field.as_str()));
    let was_big = big_text::is_big(text);
    // A paste that makes a small field big goes straight to the big editor: egui's own would lay
    // out the whole text for a frame (hundreds of MB of glyphs at a megabyte).
    let grown = (!was_big && ui.memory(|m| m.has_focus(small_id)))
        .then(|| paste_that_grows(ui, small_id, field == Field::EncryptedData, text))
        .flatten();
    if let Some(at) = grown {
        ui.memory_mut(|m| m.surrender_focus(small_id));
        big_text::focus_at(ui.ctx(), big_id, at);
    }
    let (response, outer, changed) = if big_text::is_big(text) {
        // A long text (a log pasted by mistake, a big payload): a bounded, virtualised box.
        let ed = big_text::editor(ui, big_id, text, &marks, style, env.lang);
        let edit = ed.edit.labelled_by(label);
        let changed = ed.changed.is_some();
        if let Some(t) = ed.changed {
            *text = t;
            // Shrunk to a small field: it keeps the keyboard and the cursor.
            if let Some(at) = ed.cursor.filter(|_| !big_text::is_big(text)) {
                ui.data_mut(|d| d.insert_temp(small_id.with("focus_at"), at));
            }
        }
        (edit, Some(ed.outer), changed || grown.is_some())
    } else {
        if let Some(at) = ui.data_mut(|d| d.remove_temp::<usize>(small_id.with("focus_at"))) {
            focus_small_at(ui, small_id, at);
        }
        let out = small_editor(ui, env, small_id, field, text, &marks, style);
        let response = out.response.response.clone().labelled_by(label);
        let changed = response.changed();
        // Grown big by typing: the big editor takes the keyboard and the cursor.
        if changed
            && big_text::is_big(text)
            && let Some(r) = out.cursor_range
        {
            big_text::focus_at(ui.ctx(), big_id, r.primary.index.0);
        }
        (response, None, changed)
    };
    let frame_response = outer.as_ref().unwrap_or(&response);
    frame(
        ui,
        env,
        frame_response,
        response.has_focus(),
        sev,
        &findings_for(report, field),
    );
    changed
}

/// The border of an input field in its worst severity (a plain frame when nothing is said, the
/// selection colour while it has the keyboard), and what was found about it on hover.
pub(crate) fn frame(
    ui: &Ui,
    env: &UiEnv,
    field: &egui::Response,
    focused: bool,
    sev: Option<Severity>,
    about: &[&Finding],
) {
    let stroke = match sev {
        Some(s) => egui::Stroke::new(1.5, widgets::severity_color(ui, s)),
        None if focused => ui.visuals().selection.stroke,
        None => ui.visuals().widgets.noninteractive.bg_stroke,
    };
    ui.painter().rect_stroke(
        field.rect,
        ui.visuals().widgets.inactive.corner_radius,
        stroke,
        egui::StrokeKind::Inside,
    );
    if !about.is_empty() {
        field.clone().on_hover_ui(|ui| {
            ui.set_max_width(460.0);
            for f in about {
                diagnosis::finding_line(ui, env, f, false);
            }
        });
    }
}

/// egui's own editor with the highlights as its layouter (texts up to [`big_text::BIG`]).
fn small_editor(
    ui: &mut Ui,
    env: &UiEnv,
    id: egui::Id,
    field: Field,
    text: &mut String,
    marks: &[highlight::Mark],
    style: highlight::Style<'_>,
) -> egui::text_edit::TextEditOutput {
    let multiline = field == Field::EncryptedData;
    let mut layouter = |ui: &Ui, buf: &dyn egui::TextBuffer, wrap_width: f32| {
        let mut job = highlight::cached_job(ui.ctx(), buf.as_str(), marks, style);
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
    edit.id(id)
        .font(egui::TextStyle::Monospace)
        .desired_width(f32::INFINITY)
        .background_color(ui.visuals().extreme_bg_color)
        .hint_text(env.tr(placeholder_key(field)))
        .layouter(&mut layouter)
        .show(ui)
}

/// When the small editor `id` is about to get pastes that make `text` big: takes them from this
/// frame's input, puts them in place of the selection (or at the cursor) and returns the char the
/// cursor ends at. Line breaks become spaces in a one-line field, as egui's editor does.
fn paste_that_grows(
    ui: &mut Ui,
    id: egui::Id,
    multiline: bool,
    text: &mut String,
) -> Option<usize> {
    let pasted: usize = ui.input(|i| {
        i.events
            .iter()
            .map(|e| match e {
                egui::Event::Paste(s) => s.len(),
                _ => 0,
            })
            .sum()
    });
    if pasted == 0 || text.len() + pasted <= big_text::BIG {
        return None;
    }
    let pastes: Vec<String> = ui.input_mut(|i| {
        let (pastes, rest) = std::mem::take(&mut i.events)
            .into_iter()
            .partition(|e| matches!(e, egui::Event::Paste(_)));
        i.events = rest;
        pastes
            .into_iter()
            .filter_map(|e| match e {
                egui::Event::Paste(s) => Some(s),
                _ => None,
            })
            .collect()
    });
    let chars = text.chars().count();
    let (a, b) = egui::text_edit::TextEditState::load(ui.ctx(), id)
        .and_then(|s| s.cursor.char_range())
        .map(|r| {
            let (x, y) = (r.primary.index.0, r.secondary.index.0);
            (x.min(y).min(chars), x.max(y).min(chars))
        })
        .unwrap_or((chars, chars));
    let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(i, _)| i);
    let (from, to) = (byte(a), byte(b));
    let mut insert: String = pastes.concat();
    if !multiline {
        insert = insert.replace(['\r', '\n'], " ");
    }
    let at = a + insert.chars().count();
    text.replace_range(from..to, &insert);
    Some(at)
}

/// Gives the keyboard to the small editor `id` with the cursor at char `at` (in the frame that
/// shows it: egui drops focus asked for a widget the last frame did not have).
fn focus_small_at(ui: &Ui, id: egui::Id, at: usize) {
    let mut state = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
    let c = egui::text::CCursor::new(at);
    state
        .cursor
        .set_char_range(Some(egui::text::CCursorRange::one(c)));
    state.store(ui.ctx(), id);
    ui.memory_mut(|m| m.request_focus(id));
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
