//! Message catalogues (zh-CN, en): every user-visible string of the engine, the CLI and the GUI.
//!
//! The catalogues are flat JSON objects in `assets/i18n/`, embedded at build time and parsed once.
//! Placeholders are written `{name}` and filled by [`Lang::fmt`].

use std::collections::HashMap;
use std::sync::OnceLock;

/// A user interface language.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
}

const EN_SRC: &str = include_str!("../assets/i18n/en.json");
const ZH_SRC: &str = include_str!("../assets/i18n/zh-CN.json");

type Catalogue = HashMap<String, String>;

fn parse(src: &str) -> Catalogue {
    // The catalogues are part of the build; a broken one is caught by the catalogue tests.
    serde_json::from_str(src).unwrap_or_default()
}

fn catalogue(lang: Lang) -> &'static Catalogue {
    static EN: OnceLock<Catalogue> = OnceLock::new();
    static ZH: OnceLock<Catalogue> = OnceLock::new();
    match lang {
        Lang::En => EN.get_or_init(|| parse(EN_SRC)),
        Lang::ZhCn => ZH.get_or_init(|| parse(ZH_SRC)),
    }
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// The BCP 47 tag used in files and on the command line.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language's own name, for language pickers.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }

    /// Parses `en`, `zh`, `zh-CN`, `zh_CN.UTF-8` and similar.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::ZhCn)
        } else if s.starts_with("en") || s == "c" || s == "posix" {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language of the system locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), English when unknown.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::parse(&v))
            .unwrap_or(Lang::En)
    }

    /// The text for `key`; the key itself when it is missing (the catalogue tests forbid that).
    pub fn tr(self, key: &str) -> &'static str {
        match catalogue(self).get(key) {
            Some(s) => s.as_str(),
            None => match catalogue(Lang::En).get(key) {
                Some(s) => s.as_str(),
                None => leak_key(key),
            },
        }
    }

    /// The text for `key` with `{name}` placeholders replaced by `args`.
    pub fn fmt(self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.tr(key), args)
    }
}

/// Replaces `{name}` placeholders in `template`.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    if args.is_empty() || !template.contains('{') {
        return template.to_string();
    }
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn leak_key(key: &str) -> &'static str {
    // Missing keys are a build defect caught by tests; remember each once instead of leaking per call.
    static MISSING: OnceLock<std::sync::Mutex<HashMap<String, &'static str>>> = OnceLock::new();
    let map = MISSING.get_or_init(Default::default);
    let mut guard = match map.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    if let Some(s) = guard.get(key) {
        return s;
    }
    let leaked: &'static str = Box::leak(key.to_string().into_boxed_str());
    guard.insert(key.to_string(), leaked);
    leaked
}

/// All keys of a language's catalogue (for the completeness test).
pub fn keys(lang: Lang) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = catalogue(lang).keys().map(String::as_str).collect();
    v.sort_unstable();
    v
}

/// Whether the embedded catalogue of `lang` parses (for the completeness test).
pub fn catalogue_parses(lang: Lang) -> Result<(), String> {
    let src = match lang {
        Lang::En => EN_SRC,
        Lang::ZhCn => ZH_SRC,
    };
    serde_json::from_str::<Catalogue>(src)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_known_and_keeps_unknown() {
        assert_eq!(fill("a {x} b {y}", &[("x", "1")]), "a 1 b {y}");
        assert_eq!(fill("no braces", &[("x", "1")]), "no braces");
        assert_eq!(fill("open { only", &[("x", "1")]), "open { only");
    }

    #[test]
    fn parse_locale_names() {
        assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("en_US"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
