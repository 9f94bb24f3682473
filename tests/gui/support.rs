//! What the workbench's tests share: the clock they run at, the environment and the window.

use egui_kittest::Harness;
use wxdecrypt::Lang;
use wxdecrypt::gui::App;
use wxdecrypt::gui::fonts;
use wxdecrypt::gui::state::UiEnv;

/// The clock of the tests (a fixed "now" for ages and watermarks).
pub const NOW: i64 = 1_700_000_000;

/// The workbench's environment in `lang`: nothing masked, nothing redacted, at [`NOW`].
pub fn env_in(lang: Lang) -> UiEnv {
    UiEnv {
        lang,
        mask: false,
        redact_on_save: false,
        now: NOW,
    }
}

/// [`env_in`] English.
pub fn env() -> UiEnv {
    env_in(Lang::En)
}

/// The real `App` in a window of `size` points, with the workbench's fonts.
pub fn window(app: App, size: [f32; 2]) -> Harness<'static, App> {
    Harness::builder()
        .with_size(size)
        .with_context_setup(fonts::install)
        .build_ui_state(|ui, app: &mut App| app.show(ui), app)
}
