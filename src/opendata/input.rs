//! What an inspection starts from: the four pasted strings and the settings.

use serde::{Deserialize, Serialize};

use crate::finding::Field;
use crate::i18n::Lang;
use crate::platform::Platform;

/// The four strings exactly as the user pasted them (any may be empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    #[serde(default)]
    pub appid: String,
    #[serde(default)]
    pub session_key: String,
    #[serde(default)]
    pub iv: String,
    #[serde(default)]
    pub encrypted_data: String,
}

impl Input {
    pub fn new(appid: &str, session_key: &str, iv: &str, encrypted_data: &str) -> Input {
        Input {
            appid: appid.into(),
            session_key: session_key.into(),
            iv: iv.into(),
            encrypted_data: encrypted_data.into(),
        }
    }

    pub fn get(&self, field: Field) -> &str {
        match field {
            Field::Appid => &self.appid,
            Field::SessionKey => &self.session_key,
            Field::Iv => &self.iv,
            Field::EncryptedData => &self.encrypted_data,
            _ => "",
        }
    }

    /// Sets `field` to `value` unless it already holds a value or `value` is blank: the first value
    /// found wins (how captures, request bodies and pasted text fill an input). Returns whether it
    /// was set.
    pub fn fill(&mut self, field: Field, value: &str) -> bool {
        match self.get_mut(field) {
            Some(slot) if slot.trim().is_empty() && !value.trim().is_empty() => {
                *slot = value.to_string();
                true
            }
            _ => false,
        }
    }

    pub fn get_mut(&mut self, field: Field) -> Option<&mut String> {
        match field {
            Field::Appid => Some(&mut self.appid),
            Field::SessionKey => Some(&mut self.session_key),
            Field::Iv => Some(&mut self.iv),
            Field::EncryptedData => Some(&mut self.encrypted_data),
            _ => None,
        }
    }
}

/// Inspection settings. `now` is injected so results are reproducible.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// The current time, Unix seconds (watermark age and future checks).
    pub now: i64,
    /// The language of messages and hints.
    pub lang: Lang,
    /// Skip what only a viewer needs: `Report::detail` and the parsed `data` value (the batch
    /// writes the plaintext itself as `data`).
    pub lean: bool,
    /// The platform the payload comes from; `None`: WeChat unless the inputs say otherwise.
    pub platform: Option<Platform>,
}

impl Options {
    pub fn new(now: i64, lang: Lang) -> Options {
        Options {
            now,
            lang,
            lean: false,
            platform: None,
        }
    }

    /// The same options for a payload of `platform` (`None`: detect it).
    pub fn with_platform(self, platform: Option<Platform>) -> Options {
        Options { platform, ..self }
    }

    /// The same options without viewer-only work (see [`Options::lean`]).
    pub fn lean(self) -> Options {
        Options { lean: true, ..self }
    }

    /// The system clock and English.
    pub fn now() -> Options {
        Options::new(chrono::Utc::now().timestamp(), Lang::En)
    }
}
