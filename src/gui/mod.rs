//! The desktop workbench (eframe/egui): inspect, cases, encrypt.

pub mod cases;
pub mod encrypt_view;
pub mod state;

/// Opens the main window.
pub fn run() -> eframe::Result<()> {
    eframe::run_native(
        "wxdecrypt",
        eframe::NativeOptions::default(),
        Box::new(|_cc| Ok(Box::new(Empty))),
    )
}

struct Empty;

impl eframe::App for Empty {
    fn ui(&mut self, _ui: &mut egui::Ui, _frame: &mut eframe::Frame) {}
}
