//! The F1 help window: keyboard shortcuts and every finding code with its title, cause and fix.

use egui::{RichText, Ui};

use crate::finding::Code;
use crate::gui::state::UiEnv;
use crate::gui::widgets;

/// Keyboard shortcuts and the catalogue key of what they do.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Ctrl+N", "help.key.new"),
    ("Ctrl+O", "help.key.open"),
    ("Ctrl+S", "help.key.save"),
    ("Ctrl+Shift+S", "help.key.save_as"),
    ("Ctrl+Enter", "help.key.run_all"),
    ("F1", "help.key.help"),
    ("Esc", "help.key.close"),
];

/// Shows the help window while `open` is true; Escape closes it.
pub fn window(ctx: &egui::Context, env: &UiEnv, open: &mut bool) {
    if *open && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
        *open = false;
    }
    egui::Window::new(env.tr("help.title"))
        .id(egui::Id::unique("help_window"))
        .open(open)
        .default_size([620.0, 520.0])
        .vscroll(true)
        .show(ctx, |ui| contents(ui, env));
}

fn contents(ui: &mut Ui, env: &UiEnv) {
    ui.label(env.tr("help.intro"));
    ui.add_space(6.0);
    widgets::heading(ui, env.tr("help.shortcuts"));
    egui::Grid::new("help_keys").num_columns(2).show(ui, |ui| {
        for (keys, what) in SHORTCUTS {
            ui.label(RichText::new(*keys).monospace().strong());
            ui.label(env.tr(what));
            ui.end_row();
        }
    });
    ui.add_space(6.0);
    widgets::heading(ui, env.tr("help.privacy.title"));
    ui.label(env.tr("help.privacy"));
    ui.add_space(6.0);
    widgets::heading(ui, env.tr("help.codes"));
    for code in Code::ALL {
        let sev = code.severity();
        egui::CollapsingHeader::new(
            RichText::new(format!(
                "{} {}  —  {}",
                widgets::severity_icon(sev),
                code.as_str(),
                env.tr(code.title_key())
            ))
            .color(widgets::severity_color(ui, sev)),
        )
        .id_salt(("help_code", code.as_str()))
        .show(ui, |ui| {
            ui.label(format!(
                "{}: {}",
                env.tr("help.cause"),
                env.tr(code.cause_key())
            ));
            let args = [
                ("field", env.tr("help.a_field")),
                ("other", env.tr("help.other_field")),
            ];
            let hint = env.lang.fmt(code.hint_key(), &args);
            ui.label(format!("{}: {}", env.tr("help.fix"), hint));
        });
    }
}
