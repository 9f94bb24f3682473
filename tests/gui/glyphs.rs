//! Glyph coverage (issue 13): real-world WeChat nicknames — rare characters of the CJK extensions,
//! kana and hangul, emoji with skin tones and ZWJ sequences, flags, full-width forms and kaomoji
//! built from a dozen scripts — have a glyph for every character in both text families once the
//! bundled fonts are installed, and the User info view shows one (egui_kittest panics on a missing
//! glyph, so drawing it is a check too).

use egui::{FontFamily, FontId};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use wxdecrypt::encrypt::{EncryptRequest, encrypt};
use wxdecrypt::gui::App;
use wxdecrypt::gui::fonts;
use wxdecrypt::gui::state::UiEnv;
use wxdecrypt::{Input, Lang};

const NOW: i64 = 1_700_000_000;

/// Nicknames and group names as users pick them (each line a kind of rarity).
const NICKNAMES: &[&str] = &[
    "王喆堃🍊 Zoë",
    "刘䶮",
    "𠮷野家 𡈼 龘 彧 囧",
    "👍🏽 点赞 👩🏻‍🦰",
    "👨‍👩‍👧 一家人 🧑‍💻 码农",
    "🇨🇳 中国 🏳️‍🌈",
    "ＡＢＣ１２３！ Ｌｏｖｅ♥",
    "🥹🫠✨ ❤️☕ ㊗️",
    "さくら・サクラ 火星文ゞ ☆彡",
    "김민준",
    "~(=^‥^)ノ ʚ♡ɞ ₍ᐢ..ᐢ₎ •ᴗ•",
    "⁽⁽ଘ( ˊᵕˋ )ଓ⁾⁾ ꒰ᐢ. .ᐢ꒱ ๑ ⸝⸝ ⌯ ✧ ⋆",
    "ᥫᩣ ꪆৎ ᯓ★ 𓂃 ᰔᩚ ꕤ ᡣ𐭩 ༊ 𐙚",
    "Я Саша Σωκράτης مرحبا שלום नमस्ते ᠮᠣᠩᠭᠣᠯ ꆈꌠ",
];

/// A context after one pass (fonts are loaded at the start of a pass).
fn context(install: bool) -> egui::Context {
    let ctx = egui::Context::default();
    if install {
        fonts::install(&ctx);
    }
    let mut out = ctx.run_ui(egui::RawInput::default(), |_| {});
    out.textures_delta.clear();
    ctx
}

#[test]
fn every_character_of_real_nicknames_has_a_glyph() {
    let ctx = context(true);
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let font = FontId::new(14.0, family.clone());
        let missing: Vec<String> = ctx.fonts_mut(|f| {
            NICKNAMES
                .iter()
                .flat_map(|n| n.chars())
                .filter(|&c| !f.has_glyph(&font, c))
                .map(|c| format!("U+{:04X} {c}", c as u32))
                .collect()
        });
        assert!(
            missing.is_empty(),
            "{family:?} has no glyph for {missing:?}"
        );
    }
}

/// Without the bundled fonts the same check fails (egui's own fonts lack these): the test above
/// can fail.
#[test]
fn without_the_bundled_fonts_some_are_missing() {
    let ctx = context(false);
    let font = FontId::proportional(14.0);
    let missing = ctx.fonts_mut(|f| {
        NICKNAMES
            .iter()
            .flat_map(|n| n.chars())
            .filter(|&c| !f.has_glyph(&font, c))
            .count()
    });
    assert!(missing > 50, "{missing}");
}

#[test]
fn every_nickname_is_drawn_in_the_user_info_view() {
    for &name in NICKNAMES {
        let payload = serde_json::json!({"nickName": name, "gender": 0, "city": "", "province": "",
            "country": "", "avatarUrl": ""});
        let e = encrypt(&EncryptRequest {
            payload: payload.to_string(),
            session_key: Some("MTIzNDU2Nzg5MGFiY2RlZg==".into()),
            iv: Some("ZmVkY2JhMDk4NzY1NDMyMQ==".into()),
            appid: Some("wx0123456789abcdef".into()),
            timestamp: Some(NOW - 60),
            watermark: true,
            now: NOW,
        })
        .expect("encrypt");
        let env = UiEnv {
            lang: Lang::ZhCn,
            mask: false,
            redact_on_save: false,
            now: NOW,
        };
        let mut app = App::new_for_test(env);
        let input = Input::new(
            "wx0123456789abcdef",
            &e.session_key,
            &e.iv,
            &e.encrypted_data,
        );
        app.doc.set_input(input, &env);
        let mut h = Harness::builder()
            .with_size(egui::vec2(1100.0, 750.0))
            .with_context_setup(fonts::install)
            .build_ui_state(|ui, app: &mut App| app.show(ui), app);
        // A character without a glyph would panic here (egui_kittest's missing-glyph policy).
        h.run();
        assert!(h.state().doc.report.ok, "{name}");
        assert!(
            h.query_all_by_label_contains(name).next().is_some(),
            "{name} not shown"
        );
    }
}
