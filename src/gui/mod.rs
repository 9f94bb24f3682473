//! The desktop workbench (eframe/egui): inspect, cases, encrypt, captures.
//!
//! [`app::App`] is the shell; each panel has its own module and draws from the shared state in
//! [`state`], sending [`command::Command`]s that the app applies after the frame (the one place
//! the document changes; [`confirm`] asks about unsaved changes). The GUI calls the engine and
//! does no cryptography or diagnosis of its own.

pub mod app;
pub mod big_text;
pub mod bytes_view;
pub mod captures;
pub mod cases;
pub mod command;
pub mod confirm;
pub mod demo;
pub mod encrypt;
pub mod envelope;
pub mod fonts;
pub mod help;
pub mod highlight;
pub mod inspect;
pub mod json_view;
pub mod memo;
pub mod result_view;
pub mod startup;
pub mod state;
pub mod werun;
pub mod widgets;

pub use app::App;

/// The window icon (assets/icon.png).
pub static ICON_PNG: &[u8] = include_bytes!("../../assets/icon.png");

/// Opens the main window.
pub fn run() -> eframe::Result<()> {
    run_with(Vec::new())
}

/// Opens the main window on `paths` (`wxdecrypt PATH`): each opened as if dropped on the window
/// ([`App::open_files`]: a case in Inspect, a folder in the cases panel, a capture in Captures).
pub fn run_with(paths: Vec<std::path::PathBuf>) -> eframe::Result<()> {
    startup::mark_start();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("wxdecrypt")
        .with_app_id("wxdecrypt")
        .with_inner_size([1100.0, 750.0])
        .with_min_inner_size([640.0, 420.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(ICON_PNG) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        "wxdecrypt",
        options,
        Box::new(move |cc| {
            let mut app = App::new(cc);
            app.open_at_start(paths, Some(&cc.egui_ctx));
            Ok(Box::new(app))
        }),
    )
}
