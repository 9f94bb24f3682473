//! "Explain a backend error": paste the message your backend logged, read what it means and its
//! possible causes (the engine's [`explain`](crate::explain) table). Changes no document.

use egui::{RichText, Ui};

use crate::explain::{Match, explain};
use crate::finding::Severity;
use crate::gui::state::UiEnv;
use crate::gui::widgets;

/// The text pasted and what it was found to say (kept until the text changes).
#[derive(Debug, Clone, Default)]
pub struct ExplainPanel {
    pub text: String,
    found: Vec<Match>,
    explained: String,
}

impl ExplainPanel {
    /// Draws the section (collapsed until opened).
    pub fn ui(&mut self, ui: &mut Ui, env: &UiEnv) {
        egui::CollapsingHeader::new(RichText::new(env.tr("explain.gui.title")).strong())
            .id_salt("explain_section")
            .default_open(false)
            .show(ui, |ui| {
                ui.label(RichText::new(env.tr("explain.gui.intro")).weak());
                ui.add(
                    egui::TextEdit::multiline(&mut self.text)
                        .id_salt("explain_text")
                        .hint_text(env.tr("explain.gui.placeholder"))
                        .desired_rows(2)
                        .desired_width(f32::INFINITY),
                );
                if self.text != self.explained {
                    self.found = explain(&self.text, env.lang);
                    self.explained = self.text.clone();
                }
                if self.text.trim().is_empty() {
                    return;
                }
                if self.found.is_empty() {
                    ui.label(env.tr("explain.gui.unknown"));
                    return;
                }
                for m in &self.found {
                    ui.add_space(4.0);
                    widgets::card(ui, widgets::severity_color(ui, Severity::Warning), |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(RichText::new(&m.meaning).strong());
                        ui.label(
                            RichText::new(format!(
                                "{} {}",
                                env.tr("explain.cli.said_by"),
                                m.said_by.join("; ")
                            ))
                            .weak(),
                        );
                        ui.label(env.tr("explain.cli.causes"));
                        for (i, c) in m.causes.iter().enumerate() {
                            ui.horizontal_wrapped(|ui| {
                                ui.label(RichText::new(format!("{}. {}", i + 1, c.title)).strong());
                                ui.label(RichText::new(c.code.as_str()).monospace().small().weak());
                            })
                            .response
                            .on_hover_text(&c.cause);
                            ui.label(format!("{} {}", env.tr("inspect.hint_prefix"), c.hint));
                        }
                    });
                }
            });
    }
}
