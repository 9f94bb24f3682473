//! One input field of the message-push and Pay modes (and the signature check): its label with the worst severity said
//! about it, an editor with the findings' and repairs' spans highlighted in place and a border in
//! that severity, the findings on hover. Long texts go to the virtualised editor.

use egui::{RichText, Ui};

use crate::finding::{Field, Finding, Repair};
use crate::gui::big_text;
use crate::gui::highlight;
use crate::gui::inspect::fields;
use crate::gui::state::UiEnv;
use crate::gui::widgets;

/// How a field is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub field: Field,
    /// Several lines (a body, a ciphertext).
    pub multiline: bool,
    /// A secret: bullets when the user masks keys.
    pub secret: bool,
    /// Catalogue key of the placeholder.
    pub hint: &'static str,
}

/// Draws one field with what a report says about it (its findings and repairs); returns whether
/// its text changed.
pub fn field(
    ui: &mut Ui,
    env: &UiEnv,
    (findings, repairs): (&[Finding], &[Repair]),
    spec: Spec,
    text: &mut String,
) -> bool {
    let about: Vec<&Finding> = findings.iter().filter(|f| f.field == spec.field).collect();
    let sev = about.iter().map(|f| f.severity).max();
    let label = ui
        .horizontal(|ui| {
            let l = ui.label(
                RichText::new(spec.field.label(env.lang))
                    .strong()
                    .monospace(),
            );
            if let Some(s) = sev {
                widgets::severity_mark(ui, s).on_hover_text(env.tr(s.label_key()));
            } else if !text.trim().is_empty() {
                ui.label(RichText::new(widgets::OK_ICON).color(widgets::ok_color(ui)));
            }
            let chars = text.chars().count().to_string();
            ui.label(
                RichText::new(env.lang.fmt("inspect.len_chars", &[("chars", &chars)]))
                    .weak()
                    .small(),
            );
            l.id
        })
        .inner;
    let marks = highlight::marks(findings, repairs, spec.field);
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let style = highlight::Style {
        font: &font,
        color: ui.visuals().text_color(),
        dark: ui.visuals().dark_mode,
        mask: env.mask && spec.secret,
    };
    let id = ui.make_persistent_id(("envelope_field", spec.field.as_str()));
    let (response, changed) = if big_text::is_big(text) {
        let ed = big_text::editor(ui, id.with("big"), text, &marks, style, env.lang);
        let changed = match ed.changed {
            Some(t) => {
                *text = t;
                true
            }
            None => false,
        };
        (ed.outer, changed)
    } else {
        let mut layouter = |ui: &Ui, buf: &dyn egui::TextBuffer, wrap_width: f32| {
            let mut job = highlight::cached_job(ui.ctx(), buf.as_str(), &marks, style);
            if spec.multiline {
                job.wrap.max_width = wrap_width;
                job.wrap.break_anywhere = true;
            } else {
                job.wrap.max_width = f32::INFINITY;
            }
            ui.fonts_mut(|f| f.layout_job(job))
        };
        let edit = if spec.multiline {
            egui::TextEdit::multiline(text)
                .desired_rows(4)
                .lock_focus(false)
        } else {
            egui::TextEdit::singleline(text)
        };
        let r = edit
            .id(id)
            .font(egui::TextStyle::Monospace)
            .desired_width(f32::INFINITY)
            .background_color(ui.visuals().extreme_bg_color)
            .hint_text(env.tr(spec.hint))
            .layouter(&mut layouter)
            .show(ui)
            .response
            .response
            .clone()
            .labelled_by(label);
        let changed = r.changed();
        (r, changed)
    };
    fields::frame(ui, env, &response, response.has_focus(), sev, &about);
    ui.add_space(4.0);
    changed
}
