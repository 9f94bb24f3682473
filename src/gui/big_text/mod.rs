//! Long texts in bounded, scrollable, virtualised boxes: only the rows on screen are laid out, so a
//! megabyte pasted into a field, or decrypted, costs what a screenful costs. [`view`] shows text
//! read-only with coloured sections; [`editor`] edits it through a window of rows around the view.
//! Short texts keep egui's own widgets (callers choose with [`is_big`]).

mod editor;
mod rows;

use std::ops::Range;
use std::sync::Arc;

use egui::text::LayoutJob;
use egui::{FontId, Id, Ui};

use crate::gui::memo;

pub use editor::{Edited, editor, focus_at};
pub use rows::Rows;

/// Texts longer than this (bytes) are shown virtualised.
pub const BIG: usize = 32 * 1024;

/// Height of a big field's box.
pub const BOX_HEIGHT: f32 = 220.0;

/// Whether `text` is shown virtualised.
pub fn is_big(text: &str) -> bool {
    text.len() > BIG
}

/// Width of a monospace char and height of a row, for `font`.
fn metrics(ui: &Ui, font: &FontId) -> (f32, f32) {
    ui.fonts_mut(|f| (f.glyph_width(font, '0').max(1.0), f.row_height(font)))
}

/// How many chars fit in `width`.
fn cols_for(width: f32, char_width: f32) -> usize {
    ((width / char_width).floor() as usize).max(8)
}

/// The rows of `text` at `cols`, computed once per text and width (kept in egui's temp memory
/// under `id`).
fn rows_cached(ui: &Ui, id: Id, text: &str, cols: usize) -> Arc<Rows> {
    memo::cached(ui.ctx(), id.with("rows"), (text, cols), || {
        Rows::new(text, cols)
    })
}

/// A read-only virtualised view of `text`: `job_of(range)` lays out the bytes of one row (with the
/// caller's colours); the box is at most `max_height` tall and scrolls.
pub fn view(
    ui: &mut Ui,
    id: Id,
    text: &str,
    font: &FontId,
    max_height: f32,
    job_of: impl Fn(Range<usize>) -> LayoutJob,
) {
    let (cw, row_h) = metrics(ui, font);
    let width = ui.available_width() - ui.spacing().scroll.bar_width - 4.0;
    let rows = rows_cached(ui, id, text, cols_for(width, cw));
    ui.scope(|ui| {
        // Rows touch: show_rows reads the spacing from this ui.
        ui.spacing_mut().item_spacing.y = 0.0;
        egui::ScrollArea::vertical()
            .id_salt(id)
            .max_height(max_height)
            .auto_shrink([false, true])
            .show_rows(ui, row_h, rows.count(), |ui, visible| {
                for r in visible {
                    let mut job = job_of(rows.byte_range(r..r + 1));
                    job.wrap.max_width = f32::INFINITY;
                    ui.add(egui::Label::new(job).selectable(false).extend());
                }
            });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_long_texts_are_big() {
        assert!(!is_big(&"a".repeat(BIG)));
        assert!(is_big(&"a".repeat(BIG + 1)));
        assert_eq!(cols_for(100.0, 7.0), 14);
        assert_eq!(cols_for(10.0, 7.0), 8);
    }
}
