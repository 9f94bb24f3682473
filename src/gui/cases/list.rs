//! What the Cases panel lists: the open document's name and notes (edited through commands), and
//! the case files of the workspace with their expectation, last run result and read errors.

use std::path::{Path, PathBuf};

use egui::{Color32, RichText};

use super::workspace::{Entry, Workspace};
use crate::gui::command::{Command, Commands, Edit};
use crate::gui::state::{UiEnv, ViewCtx};
use crate::privacy::mask_phone;

/// The colour of a passing case.
pub(super) fn pass_color(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(0x6c, 0xd0, 0x7c)
    } else {
        Color32::from_rgb(0x1e, 0x84, 0x34)
    }
}

fn diff_text(diffs: &[String], mask: bool) -> String {
    diffs
        .iter()
        .map(|d| if mask { mask_phone(d) } else { d.clone() })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Name and notes of the open document, with its unsaved-changes mark.
pub(super) fn current_ui(ui: &mut egui::Ui, cx: &ViewCtx, out: &mut Commands) {
    let (env, doc) = (cx.env, cx.doc);
    ui.horizontal(|ui| {
        ui.strong(env.tr("cases.current"));
        if doc.is_dirty() {
            ui.label(
                RichText::new(format!("• {}", env.tr("cases.unsaved")))
                    .color(ui.visuals().warn_fg_color),
            );
        }
    });
    // The editors work on copies; a change is sent as an edit of the document.
    let mut name = doc.name.clone();
    let mut notes = doc.notes.clone();
    egui::Grid::new("cases.current.grid")
        .num_columns(2)
        .show(ui, |ui| {
            let l = ui.label(env.tr("cases.name"));
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut name)
                        .hint_text(env.tr("cases.untitled"))
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id);
            if r.changed() {
                out.send(Command::Edit(Edit::Name(name.clone())));
            }
            ui.end_row();
            let l = ui.label(env.tr("cases.notes"));
            let r = ui
                .add(
                    egui::TextEdit::multiline(&mut notes)
                        .desired_rows(2)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id);
            if r.changed() {
                out.send(Command::Edit(Edit::Notes(notes.clone())));
            }
            ui.end_row();
        });
    if let Some(p) = &doc.path {
        let file = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        ui.label(RichText::new(file).small().weak())
            .on_hover_text(p.display().to_string());
    }
}

/// The list of case files; returns the entry clicked.
pub(super) fn list_ui(
    ui: &mut egui::Ui,
    cx: &ViewCtx,
    ws: &Workspace,
    selected: Option<&Path>,
) -> Option<PathBuf> {
    let env = cx.env;
    let mut clicked: Option<PathBuf> = None;
    let dirty = cx.doc.is_dirty();
    if ws.entries.is_empty() && ws.folder().is_some() {
        ui.label(RichText::new(env.tr("cases.empty")).weak());
    }
    egui::ScrollArea::vertical()
        .id_salt("cases.list")
        .max_height((ui.available_height() - 40.0).max(120.0))
        .show(ui, |ui| {
            for e in &ws.scan_errors {
                ui.add(
                    egui::Label::new(
                        RichText::new(e.message(env.lang)).color(ui.visuals().error_fg_color),
                    )
                    .wrap(),
                );
            }
            for entry in &ws.entries {
                let is_open = cx.doc.path.as_deref() == Some(entry.path.as_path());
                let is_sel = selected == Some(entry.path.as_path()) || is_open;
                let mark = if is_open && dirty { "• " } else { "" };
                let name = format!("{mark}{}", entry.display_name());
                ui.horizontal(|ui| {
                    // A long name ends in … (whole on hover) so the status beside it stays in
                    // the panel.
                    let room = (ui.available_width() - STATUS_ROOM).max(60.0);
                    let r = ui
                        .scope(|ui| {
                            ui.set_max_width(room);
                            ui.add(egui::Button::selectable(is_sel, &name).truncate())
                        })
                        .inner
                        .on_hover_text(format!("{name}\n{}", entry.path.display()));
                    if r.clicked() {
                        clicked = Some(entry.path.clone());
                    }
                    entry_status(ui, env, entry);
                });
                entry_details(ui, env, entry);
            }
        });
    clicked
}

/// The width kept beside a case's name for its status (expected kind, last result).
const STATUS_ROOM: f32 = 140.0;

/// Beside the name: what the case expects and its last run result.
fn entry_status(ui: &mut egui::Ui, env: &UiEnv, entry: &Entry) {
    let c = match &entry.case {
        Ok(c) => c,
        Err(_) => {
            ui.label(RichText::new(env.tr("cases.malformed")).color(ui.visuals().error_fg_color));
            return;
        }
    };
    let kind = match c.expect.kind {
        Some(k) if c.expect.ok => env.tr(k.label_key()),
        _ if !c.expect.ok => env.tr("cases.expect_fail"),
        _ => "",
    };
    ui.label(RichText::new(kind).small().weak());
    match &entry.outcome {
        Some(o) if o.passed => {
            ui.label(RichText::new(env.tr("cases.pass")).color(pass_color(ui)));
        }
        Some(o) => {
            let diffs = diff_text(&o.diffs, env.mask);
            ui.label(RichText::new(env.tr("cases.fail")).color(ui.visuals().error_fg_color))
                .on_hover_text(diffs);
        }
        None => {
            ui.label(RichText::new(env.tr("cases.not_run")).small().weak());
        }
    }
}

/// Under the name: why the file cannot be read, or what differs from the expectation.
fn entry_details(ui: &mut egui::Ui, env: &UiEnv, entry: &Entry) {
    match (&entry.case, &entry.outcome) {
        (Err(e), _) => {
            ui.indent(("cases.err", &entry.path), |ui| {
                ui.add(
                    egui::Label::new(
                        RichText::new(e.message(env.lang))
                            .small()
                            .color(ui.visuals().error_fg_color),
                    )
                    .wrap(),
                );
            });
        }
        (Ok(_), Some(o)) if !o.passed => {
            egui::CollapsingHeader::new(env.tr("cases.differences"))
                .id_salt(("cases.diff", &entry.path))
                .default_open(true)
                .show(ui, |ui| {
                    for d in &o.diffs {
                        let d = if env.mask { mask_phone(d) } else { d.clone() };
                        ui.add(egui::Label::new(RichText::new(d).small().monospace()).wrap());
                    }
                });
        }
        _ => {}
    }
}
