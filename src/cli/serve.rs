//! `wxdecrypt serve`: the local endpoint on 127.0.0.1, one line printed per request.

use std::io::Write as _;
use std::path::PathBuf;

use crate::i18n::Lang;
use crate::present;
use crate::serve::{ServeConfig, ServeEvent, Server};

use super::EXIT_OK;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Port on 127.0.0.1 (0: any free port)
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Appid for requests that carry none (checked against the watermark)
    #[arg(long)]
    appid: Option<String>,
    /// Key ring file: session keys tried when a request's own key fails, and the keys of pushes
    /// and Pay notifications (default: ./wxdecrypt-keyring.json when it exists)
    #[arg(long, value_name = "FILE")]
    keyring: Option<PathBuf>,
    /// Print whole phone numbers (masked by default)
    #[arg(long)]
    show: bool,
    /// Let web pages from this origin use the endpoint (e.g. https://qa.example.com); repeatable.
    /// (Without it, only the endpoint's own pages, the WeChat DevTools and non-browser clients.)
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    allow_origin: Vec<String>,
    /// Stop after this many requests (for scripts and tests)
    #[arg(long, value_name = "N", hide = true)]
    exit_after: Option<usize>,
}

/// One printed line per request: time, method, path, status, verdict, key used. Never the key.
pub fn event_line(ev: &ServeEvent, lang: Lang, show: bool) -> String {
    let time = present::local_clock(ev.time).unwrap_or_default();
    let verdict = format!("{} {}", present::mark(ev.ok), ev.outcome(lang, !show));
    let key = ev
        .key_from
        .as_ref()
        .map(|k| format!("  key: {}", k.short()))
        .unwrap_or_default();
    format!(
        "{time}  {} {}  {}  {verdict}{key}",
        ev.method, ev.path, ev.status
    )
}

pub fn run(a: Args, lang: Lang) -> Result<i32, String> {
    let keyring = super::scan::load_keyring(a.keyring.as_deref(), lang)?;
    let cfg = ServeConfig {
        port: a.port,
        appid: a.appid.filter(|s| !s.trim().is_empty()),
        keyring,
        lang,
        now: None,
        allow_origins: a.allow_origin,
        limits: Default::default(),
    };
    let (server, rx) = Server::start_with_channel(cfg).map_err(|e| {
        lang.fmt(
            "serve.error.bind",
            &[("port", &a.port.to_string()), ("error", &e)],
        )
    })?;
    let addr = server.addr().to_string();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}", lang.fmt("serve.listening", &[("addr", &addr)]));
    let _ = writeln!(err, "{}", lang.tr("serve.devtools"));
    drop(err);
    for (count, ev) in rx.into_iter().enumerate() {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "{}",
            present::terminal_safe(&event_line(&ev, lang, a.show))
        );
        let _ = out.flush();
        if a.exit_after.is_some_and(|n| count + 1 >= n) {
            break;
        }
    }
    server.stop();
    Ok(EXIT_OK)
}
