//! The bundled CJK fallback font (Noto Sans SC, GBK subset, OFL), installed after egui's own fonts.

use egui::{FontData, FontFamily, FontInsert, FontPriority, InsertFontFamily};

/// Name under which the bundled font is registered.
pub const CJK_FONT_NAME: &str = "NotoSansSC-GBK";

/// The font file (see `assets/fonts/README.md` and `assets/fonts/OFL.txt`).
pub static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-GBK.otf");

/// Adds the CJK font as the last fallback of the proportional and monospace families, keeping
/// egui's default fonts first and eframe's system fonts (emoji, rarer scripts) after it.
pub fn install(ctx: &egui::Context) {
    let families = [FontFamily::Proportional, FontFamily::Monospace]
        .into_iter()
        .map(|family| InsertFontFamily {
            family,
            priority: FontPriority::Lowest,
        })
        .collect();
    ctx.add_font(FontInsert {
        name: CJK_FONT_NAME.to_string(),
        data: FontData::from_static(CJK_FONT),
        families,
    });
}
