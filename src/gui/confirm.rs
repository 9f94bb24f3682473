//! The one "unsaved changes" question (Save / Discard / Cancel), asked before anything replaces
//! the open document or closes the window, and what waits for its answer.

use std::path::PathBuf;

use egui::RichText;

use crate::gui::command::Origin;
use crate::gui::state::UiEnv;
use crate::gui::widgets;
use crate::opendata::Input;

/// The user's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Save,
    Discard,
    Cancel,
}

/// A document that takes the place of the open one.
#[derive(Debug, Clone, PartialEq)]
pub enum Replacement {
    /// An empty untitled document.
    New,
    /// A case file.
    Load(PathBuf),
    /// Inputs from elsewhere, as an untitled document.
    Input { input: Input, origin: Origin },
}

/// What happens once the unsaved changes are saved or discarded.
#[derive(Debug, Clone, PartialEq)]
pub enum After {
    Replace(Replacement),
    Close,
}

/// Where the question stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Guard {
    #[default]
    Idle,
    /// The question is on screen.
    Asking(After),
    /// Save was chosen: `After` runs once the document is saved (perhaps through the Save
    /// dialog); a failed or cancelled save drops it.
    Saving(After),
}

impl Guard {
    pub fn asking(&self) -> bool {
        matches!(self, Guard::Asking(_))
    }
}

/// Draws the question for the document called `name`; returns the answer once given (Escape or a
/// click outside is Cancel).
pub fn ask(ctx: &egui::Context, env: &UiEnv, name: &str) -> Option<Choice> {
    let name = if name.trim().is_empty() {
        env.tr("cases.untitled")
    } else {
        name
    };
    let mut choice = None;
    let modal = egui::Modal::new(egui::Id::unique("wxdecrypt.unsaved_changes")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        widgets::heading(ui, env.tr("cases.confirm.title"));
        ui.add_space(4.0);
        ui.add(egui::Label::new(env.lang.fmt("cases.confirm.message", &[("name", name)])).wrap());
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui
                .button(RichText::new(env.tr("cases.confirm.save")).strong())
                .clicked()
            {
                choice = Some(Choice::Save);
            }
            if ui.button(env.tr("cases.confirm.discard")).clicked() {
                choice = Some(Choice::Discard);
            }
            if ui.button(env.tr("cases.cancel")).clicked() {
                choice = Some(Choice::Cancel);
            }
        });
    });
    if modal.should_close() && choice.is_none() {
        choice = Some(Choice::Cancel);
    }
    choice
}
