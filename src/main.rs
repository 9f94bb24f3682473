//! `wxdecrypt`: the workbench window with no arguments, the CLI with a subcommand.

#![forbid(unsafe_code)]

fn main() {
    if std::env::args_os().len() <= 1 {
        if let Err(e) = wxdecrypt::gui::run() {
            eprintln!("wxdecrypt: cannot open the window: {e}");
            std::process::exit(2);
        }
        return;
    }
    std::process::exit(wxdecrypt::cli::main());
}
