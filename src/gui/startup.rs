//! Start-up timing, printed to stderr when `WXDECRYPT_TRACE_STARTUP=1`: how long after `run` the
//! app was built (fonts and catalogues included) and the first frame drawn. `tools/bench-gui.sh`
//! reads it; nothing is printed otherwise.

use std::sync::OnceLock;
use std::time::Instant;

use crate::i18n::Lang;

static START: OnceLock<Instant> = OnceLock::new();

/// Whether tracing is on.
pub fn enabled() -> bool {
    std::env::var_os("WXDECRYPT_TRACE_STARTUP").is_some_and(|v| v == "1")
}

/// Marks the start (called first thing by [`crate::gui::run`]).
pub fn mark_start() {
    let _ = START.set(Instant::now());
}

/// Milliseconds since [`mark_start`].
fn elapsed_ms() -> f64 {
    START
        .get()
        .map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0)
}

/// Prints one phase's time (`phase` is a catalogue key).
pub fn trace(lang: Lang, phase: &str) {
    if enabled() {
        eprintln!(
            "{}",
            lang.fmt(
                "startup.trace",
                &[
                    ("phase", lang.tr(phase)),
                    ("ms", &format!("{:.1}", elapsed_ms()))
                ]
            )
        );
    }
}
