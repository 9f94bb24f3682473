//! The table of payloads found by the last scan: truncation and malformed-entry notes, the
//! buttons above it (Open in Inspect, exports, save checked rows as cases) and the rows.

use std::path::PathBuf;

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::CapturesView;
use super::export::ExportFormat;
use super::filter::{Outcome, SortBy};
use crate::capture::Scan;
use crate::case::CaseKind;
use crate::gui::command::{Command, Commands, Origin};
use crate::gui::state::{UiEnv, ViewCtx};
use crate::gui::widgets::{self, Notice};
use crate::inspected::Inspected;
use crate::present;

/// What a click in the table asked for; applied after drawing.
enum Action {
    Select(usize),
    Open(usize),
    Export(ExportFormat),
    ExportTo(ExportFormat, PathBuf),
    SaveCases,
}

impl CapturesView {
    /// Opens row `i` in the Inspect tab (as a new document, through the app).
    pub fn open_row(&mut self, i: usize, out: &mut Commands) {
        self.selected = Some(i);
        match self.items().get(i).map(|item| &item.inspected) {
            Some(Inspected::OpenData { input, .. }) => out.send(Command::ReplaceDocument {
                input: input.clone(),
                origin: Origin::Capture,
            }),
            Some(Inspected::Envelope { input, .. }) => {
                out.send(Command::OpenEnvelope(Box::new(input.clone())))
            }
            None => {}
        }
    }

    pub(super) fn table_ui(&mut self, ui: &mut Ui, cx: &ViewCtx, out: &mut Commands) {
        let env = cx.env;
        let Some(scan) = &self.result else { return };
        notes_ui(ui, env, scan);
        if scan.items.is_empty() {
            ui.label(env.tr("captures.empty"));
            return;
        }
        let mut action = self.buttons_ui(ui, env);
        self.filter_ui(ui, env);
        if let Some(a) = self.rows_ui(ui, env) {
            action = Some(a);
        }
        match action {
            Some(Action::Select(i)) => self.selected = Some(i),
            Some(Action::Open(i)) => self.open_row(i, out),
            Some(Action::Export(fmt)) => {
                let name = match fmt {
                    ExportFormat::JsonLines => "captures.jsonl",
                    ExportFormat::Csv => "captures.csv",
                };
                match rfd::FileDialog::new().set_file_name(name).save_file() {
                    Some(p) => self.export(fmt, &p, env),
                    None => self.export_path = Some((fmt, String::new())),
                }
            }
            Some(Action::ExportTo(fmt, p)) => {
                self.export(fmt, &p, env);
                self.export_path = None;
            }
            Some(Action::SaveCases) => self.save_cases(cx.folder, env, out),
            None => {}
        }
    }

    /// The buttons above the table, and the typed export path when no file dialog was shown.
    fn buttons_ui(&mut self, ui: &mut Ui, env: &UiEnv) -> Option<Action> {
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            if ui.button(env.tr("captures.open_inspect")).clicked() {
                action = self.selected.map(Action::Open);
            }
            if ui.button(env.tr("captures.export_jsonl")).clicked() {
                action = Some(Action::Export(ExportFormat::JsonLines));
            }
            if ui.button(env.tr("captures.export_csv")).clicked() {
                action = Some(Action::Export(ExportFormat::Csv));
            }
            if ui.button(env.tr("captures.save_cases")).clicked() {
                action = Some(Action::SaveCases);
            }
        });
        if let Some((fmt, path)) = &mut self.export_path {
            let fmt = *fmt;
            let mut save = false;
            ui.horizontal(|ui| {
                let label = ui.label(env.tr("captures.export.path"));
                ui.add(egui::TextEdit::singleline(path).desired_width(360.0))
                    .labelled_by(label.id);
                save = ui.button(env.tr("captures.export.save")).clicked();
            });
            if save && !path.trim().is_empty() {
                action = Some(Action::ExportTo(fmt, PathBuf::from(path.trim())));
            }
        }
        action
    }

    /// The filter above the table: text, kind, outcome, and how many rows pass.
    fn filter_ui(&mut self, ui: &mut Ui, env: &UiEnv) {
        let Some(scan) = &self.result else { return };
        let f = &mut self.filter;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(env.tr("captures.filter"));
            ui.add(
                egui::TextEdit::singleline(&mut f.text)
                    .desired_width(220.0)
                    .hint_text(env.tr("captures.filter.hint")),
            )
            .labelled_by(label.id);
            let kind_text = |k: Option<Option<CaseKind>>| match k {
                None => env.tr("captures.filter.all_kinds").to_string(),
                Some(k) => present::any_kind_text(k, env.lang),
            };

            let kind_label = ui.label(env.tr("captures.col.kind"));
            egui::ComboBox::from_id_salt("captures_kind")
                .selected_text(kind_text(f.kind))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut f.kind, None, kind_text(None));
                    // The kinds this scan found (worked out only while the list is open), in the
                    // usual order, then "not decrypted".
                    let mut seen: Vec<CaseKind> = Vec::new();
                    for k in scan.items.iter().filter_map(|i| i.inspected.kind()) {
                        if !seen.contains(&k) {
                            seen.push(k);
                        }
                    }
                    let found = CaseKind::all().filter(|k| seen.contains(k));
                    for k in found.map(Some).chain([None]) {
                        ui.selectable_value(&mut f.kind, Some(k), kind_text(Some(k)));
                    }
                })
                .response
                .labelled_by(kind_label.id);
            let outcome_text = |o: Outcome| {
                env.tr(match o {
                    Outcome::All => "captures.filter.all",
                    Outcome::Decrypted => "captures.filter.decrypted",
                    Outcome::Failed => "captures.filter.failed",
                })
            };
            let outcome_label = ui.label(env.tr("captures.filter.outcome"));
            egui::ComboBox::from_id_salt("captures_outcome")
                .selected_text(outcome_text(f.outcome))
                .show_ui(ui, |ui| {
                    for o in [Outcome::All, Outcome::Decrypted, Outcome::Failed] {
                        ui.selectable_value(&mut f.outcome, o, outcome_text(o));
                    }
                })
                .response
                .labelled_by(outcome_label.id);
        });
        self.rows
            .update(&scan.items, self.generation, env, &self.filter);
        if self.rows.order.len() != scan.items.len() {
            ui.label(
                RichText::new(env.lang.fmt(
                    "captures.filter.count",
                    &[
                        ("shown", &self.rows.order.len().to_string()),
                        ("total", &scan.items.len().to_string()),
                    ],
                ))
                .weak(),
            );
        }
    }

    /// The rows that pass the filter, in its order: tick box, time, URL, kind, verdict, key used.
    /// Only the rows on screen are drawn. A click selects, a double click opens; a click on a
    /// column's header sorts by it.
    fn rows_ui(&mut self, ui: &mut Ui, env: &UiEnv) -> Option<Action> {
        let scan = self.result.as_ref()?;
        let checked = &mut self.checked;
        checked.resize(scan.items.len(), false);
        let (rows, filter) = (&self.rows, &mut self.filter);
        let selected = self.selected;
        let mut action = None;
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        // Narrower than the columns need, the table scrolls sideways instead of hiding the last
        // ones.
        let width = ui.available_width().max(TABLE_MIN_WIDTH);
        let (bar, style) = if width > ui.available_width() {
            // A solid bar: the floating one stays invisible until hovered.
            (
                egui::scroll_area::ScrollBarVisibility::AlwaysVisible,
                egui::style::ScrollStyle::solid(),
            )
        } else {
            (
                egui::scroll_area::ScrollBarVisibility::AlwaysHidden,
                ui.spacing().scroll,
            )
        };
        ui.scope(|ui| {
            ui.spacing_mut().scroll = style;
            egui::ScrollArea::horizontal()
                .id_salt("captures_table_h")
                .scroll_bar_visibility(bar)
                .show(ui, |ui| {
                    ui.set_width(width);
                    Self::table(
                        ui,
                        row_h,
                        rows,
                        filter,
                        scan,
                        checked,
                        selected,
                        env,
                        &mut action,
                    );
                });
        });
        action
    }

    /// The table itself (see [`Self::rows_ui`]).
    #[allow(clippy::too_many_arguments)]
    fn table(
        ui: &mut Ui,
        row_h: f32,
        rows: &super::filter::RowView,
        filter: &mut super::filter::RowFilter,
        scan: &Scan,
        checked: &mut [bool],
        selected: Option<usize>,
        env: &UiEnv,
        action: &mut Option<Action>,
    ) {
        TableBuilder::new(ui)
            .id_salt("captures_table")
            .striped(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .max_scroll_height(360.0)
            .resizable(true)
            // The URL takes what the others leave, so every column fits the panel (the key used
            // stays in view); drag a header's edge to resize.
            .column(Column::initial(56.0).at_least(40.0))
            .column(Column::initial(118.0).at_least(70.0).clip(true))
            .column(Column::remainder().at_least(100.0).clip(true))
            .column(Column::initial(95.0).at_least(60.0).clip(true))
            .column(Column::initial(150.0).at_least(80.0).clip(true))
            .column(Column::initial(150.0).at_least(80.0).clip(true))
            .header(row_h, |mut h| {
                h.col(|ui| {
                    ui.strong("#");
                });
                for (key, by) in [
                    ("captures.col.time", SortBy::Time),
                    ("captures.col.url", SortBy::Url),
                    ("captures.col.kind", SortBy::Kind),
                    ("captures.col.verdict", SortBy::Verdict),
                    ("captures.col.key", SortBy::Key),
                ] {
                    h.col(|ui| {
                        let arrow = match filter.sort {
                            Some((b, false)) if b == by => " ▲",
                            Some((b, true)) if b == by => " ▼",
                            _ => "",
                        };
                        let text = RichText::new(format!("{}{arrow}", env.tr(key))).strong();
                        if ui
                            .add(egui::Button::new(text).frame(false))
                            .on_hover_text(env.tr("captures.sort.tip"))
                            .clicked()
                        {
                            filter.cycle_sort(by);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_h, rows.order.len(), |mut row| {
                    let Some(&i) = rows.order.get(row.index()) else {
                        return;
                    };
                    let (Some(item), Some(text)) = (scan.items.get(i), rows.texts.get(i)) else {
                        return;
                    };
                    row.set_selected(selected == Some(i));
                    row.col(|ui| {
                        if let Some(c) = checked.get_mut(i) {
                            ui.checkbox(c, format!("{}", i + 1));
                        }
                    });
                    row.col(|ui| {
                        // The whole time as captured, and where, on hover.
                        let full = match &item.time {
                            Some(t) => format!("{t}\n{}", item.source),
                            None => item.source.to_string(),
                        };
                        let label =
                            egui::Button::selectable(selected == Some(i), &text.time).truncate();
                        if ui.add(label).on_hover_text(full).clicked() {
                            *action = Some(Action::Select(i));
                        }
                    });
                    row.col(|ui| {
                        let url = item.url.as_deref().unwrap_or("—");
                        ui.add(egui::Label::new(url).truncate())
                            .on_hover_text(format!("{url}\n{}", item.source));
                    });
                    row.col(|ui| {
                        ui.label(present::any_kind_text(item.inspected.kind(), env.lang));
                    });
                    row.col(|ui| {
                        let color = if item.inspected.ok() {
                            widgets::ok_color(ui)
                        } else {
                            widgets::severity_color(ui, crate::finding::Severity::Error)
                        };
                        ui.add(
                            egui::Label::new(RichText::new(&text.verdict).color(color)).truncate(),
                        )
                        .on_hover_text(&text.verdict);
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(&text.key).truncate())
                            .on_hover_text(&text.key);
                    });
                    let r = row.response();
                    if r.double_clicked() {
                        *action = Some(Action::Open(i));
                    } else if r.clicked() {
                        *action = Some(Action::Select(i));
                    }
                });
            });
    }
}

/// The width under which the Captures table scrolls sideways.
const TABLE_MIN_WIDTH: f32 = 660.0;

/// What could not be read: a truncated file, malformed entries.
fn notes_ui(ui: &mut Ui, env: &UiEnv, scan: &Scan) {
    if let Some((file, why)) = scan.truncations.first() {
        let reason = why.message(env.lang);
        Notice::warning(
            env.lang
                .fmt("captures.truncated", &[("file", file), ("reason", &reason)]),
        )
        .show(ui);
    }
    if !scan.server_answers.is_empty() {
        egui::CollapsingHeader::new(env.lang.fmt(
            "scan.server_answers",
            &[("count", &scan.server_answers.len().to_string())],
        ))
        .id_salt("captures_server_answers")
        .show(ui, |ui| {
            for s in scan.server_answers.iter().take(200) {
                let f = s.error.finding(env.lang);
                crate::gui::inspect::diagnosis::finding_line(ui, env, &f, true);
                ui.label(egui::RichText::new(s.source.to_string()).weak().small());
            }
        });
    }
    if !scan.malformed.is_empty() {
        egui::CollapsingHeader::new(env.lang.fmt(
            "captures.malformed",
            &[("count", &scan.malformed.len().to_string())],
        ))
        .id_salt("captures_malformed")
        .show(ui, |ui| {
            for m in scan.malformed.iter().take(200) {
                ui.label(format!("{} — {}", m.source, m.reason.message(env.lang)));
            }
        });
    }
}
