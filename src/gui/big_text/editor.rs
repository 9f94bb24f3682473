//! Editing a long text through a window: a `TextEdit` over the rows around the visible ones (the
//! rest is empty space of the right height), so typing in a megabyte lays out a few screens. The
//! cursor is carried when the window moves, and select-all means the whole text: after Ctrl+A,
//! paste, typing, cut, copy and delete act on all of it, as in a plain field.

use egui::text::{CCursor, CCursorRange, CharIndex, LayoutJob};
use egui::text_edit::TextEditState;
use egui::{Event, Id, Key, Modifiers, Ui};

use super::{BOX_HEIGHT, cols_for, metrics, rows_cached};
use crate::gui::highlight::{self, Mark, Style};
use crate::i18n::Lang;

/// Rows kept laid out beyond the visible ones on each side, in steps of this many (so the window
/// moves rarely).
const PAGE: usize = 32;

/// What the editor did this frame.
pub struct Edited {
    /// The whole box (for its border and hover text).
    pub outer: egui::Response,
    /// The text edit itself (focus, labels).
    pub edit: egui::Response,
    /// The new text, when it changed.
    pub changed: Option<String>,
    /// Where the cursor is after this frame, as a char of the (new) whole text, while the editor
    /// has the keyboard.
    pub cursor: Option<usize>,
}

/// Gives the keyboard to the editor `id` with the cursor at char `at` of the whole text, scrolled
/// into view on its next frame (a field that just grew big keeps its focus and cursor).
pub fn focus_at(ctx: &egui::Context, id: Id, at: usize) {
    ctx.data_mut(|d| d.insert_temp(id.with("focus_at"), at));
    ctx.memory_mut(|m| m.request_focus(id.with("edit")));
}

/// What select-all asked for.
enum AllAction {
    Replace(String),
    Copy,
    Cut,
}

/// Edits `text` in a bounded box; returns the new text when it changed. `marks` are char spans
/// of the whole text, drawn in place.
pub fn editor(
    ui: &mut Ui,
    id: Id,
    text: &str,
    marks: &[Mark],
    style: Style<'_>,
    lang: Lang,
) -> Edited {
    let edit_id = id.with("edit");
    let (cw, row_h) = metrics(ui, style.font);
    let width = ui.available_width() - ui.spacing().scroll.bar_width - 12.0;
    let cols = cols_for(width, cw);
    let rows = rows_cached(ui, id, text, cols);
    let focused = ui.memory(|m| m.has_focus(edit_id));
    let (mut all, action) = select_all_events(ui, id, focused);
    let pending = ui.data_mut(|d| d.remove_temp::<usize>(id.with("focus_at")));
    let mut changed = None;
    let mut cursor = None;
    if let Some(a) = action {
        changed = match a {
            AllAction::Replace(s) => {
                // The cursor goes after what replaced the text.
                let end = s.chars().count();
                cursor = Some(end);
                focus_at(ui.ctx(), id, end);
                Some(s)
            }
            AllAction::Copy => {
                ui.ctx().copy_text(text.to_string());
                None
            }
            AllAction::Cut => {
                ui.ctx().copy_text(text.to_string());
                Some(String::new())
            }
        };
        if changed.is_some() {
            all = false;
            ui.data_mut(|d| d.insert_temp(id.with("all"), false));
        }
    }
    let frame = egui::Frame::NONE
        .fill(ui.visuals().extreme_bg_color)
        .inner_margin(egui::Margin::symmetric(4, 2));
    let inner = frame.show(ui, |ui| {
        ui.spacing_mut().item_spacing.y = 0.0;
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt(id.with("scroll"))
            .max_height(BOX_HEIGHT)
            .auto_shrink([false, true]);
        if let Some(at) = pending {
            let row = rows.row_of_char(at) as f32;
            scroll = scroll.vertical_scroll_offset((row * row_h - BOX_HEIGHT / 2.0).max(0.0));
        }
        scroll.show_viewport(ui, |ui, viewport| {
            let total = rows.count();
            ui.set_min_height(total as f32 * row_h);
            let first = (viewport.min.y / row_h).floor().max(0.0) as usize;
            let last = ((viewport.max.y / row_h).ceil().max(0.0) as usize).min(total);
            let w_start = first.saturating_sub(PAGE) / PAGE * PAGE;
            let w_end = (last + PAGE).div_ceil(PAGE).saturating_mul(PAGE).min(total);
            let bytes = rows.byte_range(w_start..w_end);
            let chars = rows.char_range(w_start..w_end);
            let mut window = text.get(bytes.clone()).unwrap_or_default().to_string();
            let window_chars = window.chars().count();
            carry_cursor(ui, id, edit_id, chars.start, window_chars, all);
            if let Some(at) = pending
                && (chars.start..=chars.start + window_chars).contains(&at)
            {
                let mut state = TextEditState::load(ui.ctx(), edit_id).unwrap_or_default();
                let c = CCursor::new(at - chars.start);
                state.cursor.set_char_range(Some(CCursorRange::one(c)));
                state.store(ui.ctx(), edit_id);
            }
            ui.add_space(w_start as f32 * row_h);
            let shifted: Vec<Mark> = marks
                .iter()
                .filter(|m| m.span[1] > chars.start && m.span[0] < chars.end)
                .map(|m| Mark {
                    span: [
                        m.span[0].saturating_sub(chars.start),
                        m.span[1].saturating_sub(chars.start),
                    ],
                    severity: m.severity,
                })
                .collect();
            let wrap = cols as f32 * cw + cw * 0.5;
            let mut layouter = |ui: &Ui, buf: &dyn egui::TextBuffer, _w: f32| {
                let mut job: LayoutJob =
                    highlight::cached_job(ui.ctx(), buf.as_str(), &shifted, style);
                job.wrap.max_width = wrap;
                job.wrap.break_anywhere = true;
                ui.fonts_mut(|f| f.layout_job(job))
            };
            let out = egui::TextEdit::multiline(&mut window)
                .id(edit_id)
                .font(egui::TextStyle::Monospace)
                .frame(egui::Frame::NONE)
                .margin(0.0)
                .desired_rows(1)
                .desired_width(wrap)
                .lock_focus(false)
                .layouter(&mut layouter)
                .show(ui);
            if out.response.response.has_focus()
                && cursor.is_none()
                && let Some(r) = out.cursor_range
            {
                cursor = Some(chars.start + r.primary.index.0);
            }
            if out.response.response.changed() && changed.is_none() {
                let mut full = String::with_capacity(text.len() + window.len());
                full.push_str(text.get(..bytes.start).unwrap_or_default());
                full.push_str(&window);
                full.push_str(text.get(bytes.end..).unwrap_or_default());
                changed = Some(full);
            }
            ui.add_space(total.saturating_sub(w_end) as f32 * row_h);
            out.response.response
        })
    });
    let (outer, edit) = (inner.response, inner.inner.inner);
    if all {
        let n = text.chars().count().to_string();
        ui.label(
            egui::RichText::new(lang.fmt("big.all_selected", &[("chars", &n)]))
                .weak()
                .small(),
        );
    }
    Edited {
        outer,
        edit,
        changed,
        cursor,
    }
}

/// Moves the edit's cursor with the window (its offsets are window-relative), or shows the whole
/// window selected while select-all is on.
fn carry_cursor(ui: &Ui, id: Id, edit_id: Id, start: usize, window_chars: usize, all: bool) {
    let slot = id.with("window_start");
    let old = ui.data(|d| d.get_temp::<usize>(slot));
    ui.data_mut(|d| d.insert_temp(slot, start));
    let Some(mut state) = TextEditState::load(ui.ctx(), edit_id) else {
        return;
    };
    if all {
        state.cursor.set_char_range(Some(CCursorRange::two(
            CCursor::new(0),
            CCursor::new(window_chars),
        )));
        state.store(ui.ctx(), edit_id);
        return;
    }
    let Some(old) = old.filter(|&o| o != start) else {
        return;
    };
    let Some(range) = state.cursor.char_range() else {
        return;
    };
    let moved = |c: CCursor| {
        let abs = c.index.0 + old;
        (abs >= start && abs - start <= window_chars).then(|| CCursor {
            index: CharIndex(abs - start),
            ..c
        })
    };
    match (moved(range.primary), moved(range.secondary)) {
        (Some(primary), Some(secondary)) => {
            state.cursor.set_char_range(Some(CCursorRange {
                primary,
                secondary,
                h_pos: None,
            }));
        }
        // The cursor scrolled out of the window: the field lets go of the keyboard.
        _ => {
            state.cursor.set_char_range(None);
            ui.memory_mut(|m| m.surrender_focus(edit_id));
        }
    }
    state.store(ui.ctx(), edit_id);
}

/// Select-all over the whole text: Ctrl+A in the focused field turns it on; then the next
/// paste, text, cut, copy or delete acts on all the text, and any other key or click turns it
/// off. Returns whether it is on and what was asked.
fn select_all_events(ui: &Ui, id: Id, focused: bool) -> (bool, Option<AllAction>) {
    let slot = id.with("all");
    let mut all = focused && ui.data(|d| d.get_temp::<bool>(slot)).unwrap_or(false);
    let mut action = None;
    if focused {
        ui.input_mut(|i| {
            if i.consume_key(Modifiers::COMMAND, Key::A) {
                all = true;
            }
            if !all {
                return;
            }
            let mut keep = Vec::with_capacity(i.events.len());
            for ev in std::mem::take(&mut i.events) {
                match ev {
                    Event::Paste(s) | Event::Text(s) if action.is_none() => {
                        action = Some(AllAction::Replace(s));
                    }
                    Event::Copy => action = Some(AllAction::Copy),
                    Event::Cut => action = Some(AllAction::Cut),
                    Event::Key {
                        key: Key::Backspace | Key::Delete,
                        pressed: true,
                        ..
                    } => action = Some(AllAction::Replace(String::new())),
                    Event::Key { pressed: true, .. }
                    | Event::PointerButton { pressed: true, .. } => {
                        all = false;
                        keep.push(ev);
                    }
                    other => keep.push(other),
                }
            }
            i.events = keep;
        });
    }
    ui.data_mut(|d| d.insert_temp(slot, all));
    (all, action)
}
