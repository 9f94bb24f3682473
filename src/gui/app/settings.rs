//! What the application remembers between runs (never a key or a payload), the tabs and themes,
//! and the `WXDECRYPT_*` start-up overrides used for screenshots and demos.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// The storage key of [`Settings`].
pub const SETTINGS_KEY: &str = "wxdecrypt.settings";

/// The tabs of the main area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Inspect,
    Encrypt,
    Captures,
}

/// Light, dark, or whatever the system uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    pub(crate) fn key(self) -> &'static str {
        match self {
            ThemeChoice::System => "app.theme.system",
            ThemeChoice::Light => "app.theme.light",
            ThemeChoice::Dark => "app.theme.dark",
        }
    }

    pub(crate) fn preference(self) -> egui::ThemePreference {
        match self {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        }
    }

    pub fn parse(s: &str) -> Option<ThemeChoice> {
        match s.trim().to_ascii_lowercase().as_str() {
            "system" | "auto" => Some(ThemeChoice::System),
            "light" => Some(ThemeChoice::Light),
            "dark" => Some(ThemeChoice::Dark),
            _ => None,
        }
    }
}

/// What is remembered between runs. Deliberately no inputs, keys or results.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub lang: Option<Lang>,
    pub theme: ThemeChoice,
    pub mask: bool,
    pub redact_on_save: bool,
    pub folder: Option<PathBuf>,
}

/// Start-up overrides read from `WXDECRYPT_*` environment variables (screenshots, demos).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    pub demo: Option<String>,
    pub lang: Option<Lang>,
    pub theme: Option<ThemeChoice>,
    pub tab: Option<Tab>,
    pub mask: Option<bool>,
    pub folder: Option<PathBuf>,
    pub help: bool,
    /// Captures to scan at start (the Captures tab shows them).
    pub scan: Vec<PathBuf>,
    /// A fixed clock (Unix seconds): reproducible screenshots.
    pub now: Option<i64>,
}

impl Overrides {
    /// `WXDECRYPT_DEMO`, `WXDECRYPT_LANG`, `WXDECRYPT_THEME`, `WXDECRYPT_TAB`, `WXDECRYPT_MASK`,
    /// `WXDECRYPT_FOLDER`, `WXDECRYPT_HELP`, `WXDECRYPT_SCAN` (capture files, separated like
    /// `PATH`), `WXDECRYPT_NOW` (Unix seconds).
    pub fn from_env() -> Overrides {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let flag = |v: String| matches!(v.trim(), "1" | "true" | "yes" | "on");
        Overrides {
            demo: var("WXDECRYPT_DEMO"),
            lang: var("WXDECRYPT_LANG").and_then(|v| Lang::parse(&v)),
            theme: var("WXDECRYPT_THEME").and_then(|v| ThemeChoice::parse(&v)),
            tab: var("WXDECRYPT_TAB").and_then(|v| match v.trim() {
                "encrypt" => Some(Tab::Encrypt),
                "inspect" => Some(Tab::Inspect),
                "captures" => Some(Tab::Captures),
                _ => None,
            }),
            mask: var("WXDECRYPT_MASK").map(flag),
            folder: var("WXDECRYPT_FOLDER").map(PathBuf::from),
            help: var("WXDECRYPT_HELP").is_some_and(flag),
            scan: std::env::var_os("WXDECRYPT_SCAN")
                .map(|v| std::env::split_paths(&v).collect())
                .unwrap_or_default(),
            now: var("WXDECRYPT_NOW").and_then(|v| v.trim().parse().ok()),
        }
    }

    pub(crate) fn any(&self) -> bool {
        *self != Overrides::default()
    }
}
