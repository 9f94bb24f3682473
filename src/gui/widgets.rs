//! Small drawing helpers shared by the views: severity colours and icons, copy buttons, masking,
//! clipboard access and the user-facing notice line.

use egui::{Color32, RichText, Ui};

use crate::finding::Severity;
use crate::gui::state::UiEnv;

/// Foreground colour of a severity (text, borders, icons).
pub fn severity_color(ui: &Ui, sev: Severity) -> Color32 {
    let dark = ui.visuals().dark_mode;
    match (sev, dark) {
        (Severity::Error, true) => Color32::from_rgb(255, 110, 100),
        (Severity::Error, false) => Color32::from_rgb(200, 30, 30),
        (Severity::Warning, true) => Color32::from_rgb(255, 190, 70),
        (Severity::Warning, false) => Color32::from_rgb(180, 110, 0),
        (Severity::Info, true) => Color32::from_rgb(110, 170, 255),
        (Severity::Info, false) => Color32::from_rgb(20, 90, 200),
    }
}

/// Background colour used to highlight characters a finding points at.
pub fn severity_bg(dark: bool, sev: Severity) -> Color32 {
    match (sev, dark) {
        (Severity::Error, true) => Color32::from_rgb(120, 30, 30),
        (Severity::Error, false) => Color32::from_rgb(255, 190, 185),
        (Severity::Warning, true) => Color32::from_rgb(110, 80, 0),
        (Severity::Warning, false) => Color32::from_rgb(255, 225, 140),
        (Severity::Info, true) => Color32::from_rgb(30, 60, 120),
        (Severity::Info, false) => Color32::from_rgb(195, 220, 255),
    }
}

/// The colour of success.
pub fn ok_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(90, 210, 120)
    } else {
        Color32::from_rgb(20, 140, 60)
    }
}

/// A faint tinted background for banners and cards.
pub fn tint(ui: &Ui, c: Color32) -> Color32 {
    let base = ui.visuals().panel_fill;
    lerp_color(base, c, if ui.visuals().dark_mode { 0.22 } else { 0.14 })
}

fn lerp_color(a: Color32, b: Color32, t: f32) -> Color32 {
    let mix = |x: u8, y: u8| (x as f32 + (y as f32 - x as f32) * t).round() as u8;
    Color32::from_rgb(mix(a.r(), b.r()), mix(a.g(), b.g()), mix(a.b(), b.b()))
}

/// The icon of a severity (glyphs of the bundled fonts: egui 0.37 ships no emoji font).
pub fn severity_icon(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "×",
        Severity::Warning => "⚠",
        Severity::Info => "ⓘ",
    }
}

/// The "ok" icon.
pub const OK_ICON: &str = "✓";

/// A coloured severity icon label.
pub fn severity_mark(ui: &mut Ui, sev: Severity) -> egui::Response {
    ui.label(
        RichText::new(severity_icon(sev))
            .color(severity_color(ui, sev))
            .strong(),
    )
}

/// A small "Copy" button that puts `text` on the clipboard through egui (works wherever egui's
/// platform output does, no clipboard handle needed).
pub fn copy_button(ui: &mut Ui, env: &UiEnv, text: &str) -> egui::Response {
    let r = ui
        .small_button(env.tr("app.copy"))
        .on_hover_text(env.tr("app.copy.tip"));
    if r.clicked() {
        ui.ctx().copy_text(text.to_string());
    }
    r
}

/// Reads text from the system clipboard. Errors (no display, empty clipboard, not text) are
/// returned as a message for the user.
pub fn clipboard_text(env: &UiEnv) -> Result<String, String> {
    let mut cb = arboard::Clipboard::new().map_err(|e| {
        env.lang
            .fmt("app.clipboard.error", &[("error", &e.to_string())])
    })?;
    let text = cb.get_text().map_err(|e| {
        env.lang
            .fmt("app.clipboard.error", &[("error", &e.to_string())])
    })?;
    if text.is_empty() {
        return Err(env.tr("app.clipboard.empty").to_string());
    }
    Ok(text)
}

/// The one status line of every panel: the outcome of the last action (paste, apply fix, file
/// drop, save, scan, copy…), with its severity.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub severity: Option<Severity>,
}

impl Notice {
    pub fn ok(text: impl Into<String>) -> Notice {
        Notice {
            text: text.into(),
            severity: None,
        }
    }
    pub fn error(text: impl Into<String>) -> Notice {
        Notice {
            text: text.into(),
            severity: Some(Severity::Error),
        }
    }
    pub fn warning(text: impl Into<String>) -> Notice {
        Notice {
            text: text.into(),
            severity: Some(Severity::Warning),
        }
    }

    /// Draws the notice as one coloured line.
    pub fn show(&self, ui: &mut Ui) {
        let (icon, color) = match self.severity {
            Some(s) => (severity_icon(s), severity_color(ui, s)),
            None => (OK_ICON, ok_color(ui)),
        };
        ui.add(
            egui::Label::new(RichText::new(format!("{icon} {}", self.text)).color(color)).wrap(),
        );
    }

    pub fn is_error(&self) -> bool {
        self.severity == Some(Severity::Error)
    }
}

/// A section heading.
pub fn heading(ui: &mut Ui, text: &str) -> egui::Response {
    ui.label(RichText::new(text).strong().size(15.0))
}

/// A framed card with a tinted background.
/// The inner margin of a [`card`].
pub const CARD_MARGIN: f32 = 8.0;

pub fn card<R>(ui: &mut Ui, color: Color32, add: impl FnOnce(&mut Ui) -> R) -> R {
    egui::Frame::group(ui.style())
        .fill(tint(ui, color))
        .stroke(egui::Stroke::new(1.0, color.gamma_multiply(0.7)))
        .inner_margin(CARD_MARGIN)
        .show(ui, add)
        .inner
}
