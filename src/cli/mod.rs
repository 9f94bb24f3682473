//! The command line: `wxdecrypt decrypt|encrypt|check|batch|scan|msg|pay|signature|…`, for scripts
//! and CI.

mod batch;
mod check;
mod completions;
mod decrypt;
mod encrypt;
mod explain;
mod hash;
mod inputs;
mod keyring;
mod msg;
mod output;
mod pay;
mod save;
mod scan;
mod serve;
mod signature;
mod snippet;

use clap::{Parser, Subcommand};
use std::io::Read as _;

use crate::i18n::Lang;

/// Exit code: success (decrypted / all cases passed).
pub const EXIT_OK: i32 = 0;
/// Exit code: the data did not decrypt cleanly, or a case failed.
pub const EXIT_FAIL: i32 = 1;
/// Exit code: usage or I/O error.
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "wxdecrypt",
    version = VERSION,
    about = "Decrypt, diagnose and forge WeChat mini program encrypted open data",
    long_about = "Decrypt, diagnose and forge WeChat mini program encrypted open data.\n\nWithout a subcommand the desktop workbench opens; `wxdecrypt PATH` opens it on a case file (in Inspect), a folder of cases or a capture (in Captures)."
)]
pub struct Cli {
    /// Language of messages: en or zh-CN (default: from the system locale)
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Decrypt and diagnose one payload
    Decrypt(decrypt::Args),
    /// Encrypt a JSON or text payload the way WeChat does
    Encrypt(encrypt::Args),
    /// Re-run saved cases (*.wxcase.json files and folders)
    Check(check::Args),
    /// Inspect one payload per JSON line, in parallel
    Batch(batch::Args),
    /// Find and inspect payloads, pushes and Pay notifications in captures
    Scan(scan::Args),
    /// Manage the key ring: session_keys, EncodingAESKeys, APIv3 keys
    Keyring(keyring::Args),
    /// Answer as a backend on 127.0.0.1 and serve the decode API for proxies
    Serve(serve::Args),
    /// Explain an error message from a backend's log and what causes it
    Explain(explain::Args),
    /// Inspect a safe-mode message push or URL check, or make one
    Msg(msg::Args),
    /// Inspect a WeChat Pay notification, or make one
    Pay(pay::Args),
    /// Check a user-info signature sha1(rawData + session_key); name the mistake
    Signature(signature::Args),
    /// Compute or check a checkSession signature (HMAC-SHA256, session_key)
    SessionSignature(signature::SessionArgs),
    /// Print encryptedData's encrypted_msg_hash for checkEncryptedData
    Hash(hash::Args),
    /// Print a program in Java, Python, Node.js, PHP, Go or Rust that decrypts the inputs
    Snippet(snippet::Args),
    /// Print the shell completions of wxdecrypt (bash, zsh, fish, powershell, elvish)
    Completions(completions::Args),
}

/// The version `--version` prints: the package's, with the git commit it was built from when it
/// was built from a checkout (`0.1.0 (commit 1a2b3c4d5e6f)`; see build.rs).
pub const VERSION: &str = env!("WXDECRYPT_VERSION");

/// Whether `wxdecrypt ARG`, with that one argument, opens the workbench on it (what a file manager
/// runs for a case file): an existing file or folder that is neither an option nor a subcommand.
pub fn opens_workbench(arg: &std::ffi::OsStr) -> bool {
    use clap::CommandFactory as _;
    let path = std::path::Path::new(arg);
    if let Some(s) = arg.to_str() {
        let cli = Cli::command();
        let is_command = s == "help"
            || cli
                .get_subcommands()
                .any(|c| c.get_name() == s || c.get_all_aliases().any(|a| a == s));
        if s.starts_with('-') || is_command {
            return false;
        }
    }
    path.exists()
}

/// Runs the CLI with the process arguments; returns the exit code.
pub fn main() -> i32 {
    run(std::env::args_os())
}

/// Runs the CLI with the given arguments (the first is the program name).
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let mut cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    // `snippet --lang java`: there --lang names the program's language.
    if let Command::Snippet(a) = &mut cli.command
        && let Some(which) = cli
            .lang
            .as_deref()
            .and_then(crate::snippet::SnippetLang::parse)
    {
        a.set_language(which);
        cli.lang = None;
    }
    let lang = match cli.lang.as_deref() {
        Some(s) => match Lang::parse(s) {
            Some(l) => l,
            None => {
                let shown = format!("{s:?}");
                eprintln!(
                    "wxdecrypt: {}",
                    Lang::from_env().fmt("cli.error.bad_lang", &[("lang", &shown)])
                );
                return EXIT_USAGE;
            }
        },
        None => Lang::from_env(),
    };
    let result = match cli.command {
        Command::Decrypt(a) => decrypt::run(a, lang),
        Command::Encrypt(a) => encrypt::run(a, lang),
        Command::Check(a) => check::run(a, lang),
        Command::Batch(a) => batch::run(a, lang),
        Command::Scan(a) => scan::run(a, lang),
        Command::Keyring(a) => keyring::run(a, lang),
        Command::Serve(a) => serve::run(a, lang),
        Command::Explain(a) => explain::run(a, lang),
        Command::Msg(a) => msg::run(a, lang),
        Command::Pay(a) => pay::run(a, lang),
        Command::Signature(a) => signature::run(a, lang),
        Command::SessionSignature(a) => signature::run_session(a, lang),
        Command::Hash(a) => hash::run(a, lang),
        Command::Snippet(a) => snippet::run(a, lang),
        Command::Completions(a) => completions::run(a),
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("wxdecrypt: {}", crate::present::terminal_safe(&msg));
            EXIT_USAGE
        }
    }
}

/// Reads a file, or standard input for `-`.
pub(crate) fn read_source(path: &std::path::Path, lang: Lang) -> Result<String, String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| lang.fmt("cli.error.stdin", &[("error", &e.to_string())]))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| {
            lang.fmt(
                "cli.error.read",
                &[
                    ("path", &path.display().to_string()),
                    ("error", &e.to_string()),
                ],
            )
        })
    }
}

/// A flag's value: the text itself, or `@FILE` read from a file (`@-`: standard input).
pub(crate) fn text_or_file(arg: &str, lang: Lang) -> Result<String, String> {
    match arg.strip_prefix('@') {
        Some(path) => read_source(std::path::Path::new(path), lang),
        None => Ok(arg.to_string()),
    }
}

/// Reads `arg` as a file (or standard input for `-`); an argument that names no file but is
/// itself a URL, query string or body (`https://…?…`, `a=1&b=2`, `<xml>…`, `{…}`) is the text.
pub(crate) fn read_source_or_text(arg: &std::path::Path, lang: Lang) -> Result<String, String> {
    if arg.as_os_str() != "-"
        && std::fs::symlink_metadata(arg).is_err()
        && let Some(text) = arg.to_str()
    {
        let t = text.trim_start();
        if t.starts_with('<') || t.starts_with('{') || t.contains('?') || t.contains('=') {
            return Ok(text.to_string());
        }
    }
    read_source(arg, lang)
}

/// The text of a push or notification: the FILE (or text) given, else standard input when it is
/// not a terminal and no field came as a flag (`Ok(None)`: the flags are all there is).
pub(crate) fn envelope_source(
    source: Option<&std::path::Path>,
    flags_given: bool,
    lang: Lang,
) -> Result<Option<String>, String> {
    use std::io::IsTerminal as _;
    match (source, flags_given) {
        (Some(p), _) => read_source_or_text(p, lang).map(Some),
        (None, false) if !std::io::stdin().is_terminal() => {
            read_source(std::path::Path::new("-"), lang).map(Some)
        }
        (None, false) => Err(lang.tr("cli.error.no_envelope").to_string()),
        (None, true) => Ok(None),
    }
}

/// Prints a line of human output made terminal-safe: data never drives the terminal.
pub(crate) fn say(line: &str) {
    emit(&format!("{}\n", crate::present::terminal_safe(line)));
}

/// Writes `text` to standard output. A reader that went away (`| head`) is not an error: the
/// rest is dropped and the command ends with its own exit code, instead of a panic.
pub(crate) fn emit(text: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// The current time, Unix seconds.
pub(crate) fn now() -> i64 {
    chrono::Utc::now().timestamp()
}
