//! `wxdecrypt`: the workbench window with no arguments or with one file or folder to open
//! (`wxdecrypt case.wxcase.json`, what a file manager runs), the CLI with a subcommand.

// The library forbids unsafe code; the binary needs one foreign call on Windows (`console`).
#![deny(unsafe_code)]
// On Windows the binary is a GUI program (no console window opens when it is started from
// Explorer); the command line attaches to the console it was started from (`console`).
#![cfg_attr(windows, windows_subsystem = "windows")]

mod console;

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let open = match args.as_slice() {
        [_] => Some(Vec::new()),
        [_, one] if wxdecrypt::cli::opens_workbench(one) => Some(vec![one.into()]),
        _ => None,
    };
    if let Some(paths) = open {
        if let Err(e) = wxdecrypt::gui::run_with(paths) {
            console::attach();
            let lang = wxdecrypt::Lang::from_env();
            eprintln!(
                "{}",
                lang.fmt("app.error.window", &[("error", &e.to_string())])
            );
            std::process::exit(2);
        }
        return;
    }
    console::attach();
    std::process::exit(wxdecrypt::cli::main());
}
