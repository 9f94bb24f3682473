//! The bundled fallback fonts (Noto Sans CJK SC, Noto Emoji and the Noto fonts of the world's
//! scripts, all OFL), installed after egui's own fonts so that any name a WeChat user can pick —
//! rare CJK characters, emoji, kaomoji built from a dozen scripts — renders as a glyph, not a box.

use egui::{FontData, FontFamily, FontInsert, FontPriority, InsertFontFamily};

/// Name under which the CJK font is registered.
pub const CJK_FONT_NAME: &str = "NotoSansCJKsc";

/// Noto Sans CJK SC Regular, every character it has (see `assets/fonts/README.md`). Built from
/// the repository it is always there; the crate on crates.io leaves it out (13 MB, past the
/// registry's size limit: see build.rs), and CJK text then comes from the system's fonts through
/// eframe's fallback.
#[cfg(wxdecrypt_cjk_font)]
pub static CJK_FONT: Option<&[u8]> = Some(include_bytes!(
    "../../assets/fonts/NotoSansCJKsc-Regular.otf"
));
#[cfg(not(wxdecrypt_cjk_font))]
pub static CJK_FONT: Option<&[u8]> = None;

/// Name under which the emoji font is registered.
pub const EMOJI_FONT_NAME: &str = "NotoEmoji-3";

/// Noto Emoji 3 (monochrome outlines of the Unicode 15 emoji, skin tones, ZWJ and variation
/// selectors), the fallback for what egui's older emoji font lacks.
pub static EMOJI_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoEmoji-Regular.ttf");

macro_rules! scripts {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../assets/fonts/scripts/", $name, "-Regular.ttf")) as &[u8])),*]
    };
}

/// Noto fonts of other scripts and symbols (`assets/fonts/scripts/`), by name: Noto Sans (Latin,
/// Greek and Cyrillic extensions, IPA and phonetic letters) first, then alphabetically one font a
/// script and the symbol fonts.
pub static SCRIPT_FONTS: &[(&str, &[u8])] = scripts![
    "NotoSans",
    "NotoSansArabic",
    "NotoSansArmenian",
    "NotoSansBalinese",
    "NotoSansBamum",
    "NotoSansBatak",
    "NotoSansBengali",
    "NotoSansBrahmi",
    "NotoSansBuginese",
    "NotoSansCanadianAboriginal",
    "NotoSansCham",
    "NotoSansCherokee",
    "NotoSansCoptic",
    "NotoSansDeseret",
    "NotoSansDevanagari",
    "NotoSansEgyptianHieroglyphs",
    "NotoSansEthiopic",
    "NotoSansGeorgian",
    "NotoSansGlagolitic",
    "NotoSansGothic",
    "NotoSansGujarati",
    "NotoSansGurmukhi",
    "NotoSansHebrew",
    "NotoSansInscriptionalPahlavi",
    "NotoSansJavanese",
    "NotoSansKannada",
    "NotoSansKharoshthi",
    "NotoSansKhmer",
    "NotoSansLao",
    "NotoSansLepcha",
    "NotoSansLinearA",
    "NotoSansMalayalam",
    "NotoSansMath",
    "NotoSansMongolian",
    "NotoSansMyanmar",
    "NotoSansNKo",
    "NotoSansOgham",
    "NotoSansOlChiki",
    "NotoSansOldItalic",
    "NotoSansOriya",
    "NotoSansOsmanya",
    "NotoSansPhoenician",
    "NotoSansRunic",
    "NotoSansShavian",
    "NotoSansSinhala",
    "NotoSansSundanese",
    "NotoSansSymbols",
    "NotoSansSymbols2",
    "NotoSansSyriac",
    "NotoSansTaiLe",
    "NotoSansTaiTham",
    "NotoSansTaiViet",
    "NotoSansTamil",
    "NotoSansTelugu",
    "NotoSansThaana",
    "NotoSansThai",
    "NotoSansTifinagh",
    "NotoSansVai",
    "NotoSansYi",
    "NotoSerifTibetan",
];

/// Every bundled font in the order it is tried: CJK text, emoji, then the other scripts.
pub fn bundled() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    CJK_FONT
        .map(|f| (CJK_FONT_NAME, f))
        .into_iter()
        .chain([(EMOJI_FONT_NAME, EMOJI_FONT)])
        .chain(SCRIPT_FONTS.iter().copied())
}

/// Adds the bundled fonts as the last fallbacks of the proportional and monospace families:
/// egui's default fonts come first (Latin text, its own emoji), then these in [`bundled`] order;
/// eframe's system fonts come after.
pub fn install(ctx: &egui::Context) {
    for (name, data) in bundled() {
        let families = [FontFamily::Proportional, FontFamily::Monospace]
            .into_iter()
            .map(|family| InsertFontFamily {
                family,
                priority: FontPriority::Lowest,
            })
            .collect();
        ctx.add_font(FontInsert {
            name: name.to_string(),
            data: FontData::from_static(data),
            families,
        });
    }
}
