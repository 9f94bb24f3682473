//! The key ring: known session keys (with an optional label and appid), kept per workspace in a
//! JSON file the user chooses, written atomically with mode 0600, never sent anywhere.
//!
//! Scans and the local endpoint try these keys against any payload whose own key fails.

use std::fmt;
use std::path::Path;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::i18n::Lang;
use crate::privacy::mask_key;

/// The conventional file name in a workspace folder.
pub const DEFAULT_FILE: &str = "wxdecrypt-keyring.json";

/// The key ring format version this build writes and reads.
pub const FORMAT: u32 = 1;

/// One known key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyringEntry {
    #[serde(alias = "sessionKey")]
    pub session_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "appId")]
    pub appid: Option<String>,
    /// Fields this version does not know, kept on re-save.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl KeyringEntry {
    /// The key with its middle hidden: `tiih…hQ==`.
    pub fn masked(&self) -> String {
        mask_key(&self.session_key)
    }
}

/// The key ring file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyring {
    /// File format version (1).
    #[serde(default = "version_one")]
    pub wxdecrypt_keyring: u32,
    #[serde(default)]
    pub keys: Vec<KeyringEntry>,
    /// Fields this version does not know, kept on re-save.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn version_one() -> u32 {
    1
}

/// Why a key ring could not be read, written or changed.
#[derive(Debug)]
pub enum KeyringError {
    Io(std::io::Error),
    Parse(String),
    /// The text is not a session_key (24 base64 characters, 16 bytes).
    NotAKey,
    Duplicate,
    NotFound(String),
    /// Written by a newer wxdecrypt (the file's format version).
    Version(u32),
}

impl KeyringError {
    /// The message in `lang` (never the key itself: a selector is shown masked).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            KeyringError::Io(e) => e.to_string(),
            KeyringError::Parse(e) => lang.fmt("keyring.error.parse", &[("error", e)]),
            KeyringError::NotAKey => lang.tr("keyring.error.not_a_key").to_string(),
            KeyringError::Duplicate => lang.tr("keyring.error.duplicate").to_string(),
            KeyringError::NotFound(s) => lang.fmt("keyring.error.not_found", &[("key", s)]),
            KeyringError::Version(v) => lang.fmt(
                "keyring.error.version",
                &[
                    ("version", &v.to_string()),
                    ("supported", &FORMAT.to_string()),
                ],
            ),
        }
    }
}

impl fmt::Display for KeyringError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for KeyringError {}

/// A parse error without the values it quotes (they may be keys).
fn parse_error(e: serde_json::Error) -> KeyringError {
    KeyringError::Parse(crate::privacy::scrub_quoted(&e.to_string()))
}

/// Whether a text is a well-formed session_key: standard base64 of 16 bytes.
pub fn is_session_key(key: &str) -> bool {
    base64::engine::general_purpose::STANDARD
        .decode(key.trim())
        .is_ok_and(|b| b.len() == 16)
}

impl Keyring {
    pub fn new() -> Keyring {
        Keyring {
            wxdecrypt_keyring: FORMAT,
            keys: Vec::new(),
            extra: Map::new(),
        }
    }

    /// Parses a key ring file's text. A bare JSON array of entries is accepted too.
    pub fn parse(text: &str) -> Result<Keyring, KeyringError> {
        let t = text.trim_start_matches('\u{feff}').trim();
        if t.starts_with('[') {
            let keys: Vec<KeyringEntry> = serde_json::from_str(t).map_err(parse_error)?;
            return Ok(Keyring {
                wxdecrypt_keyring: FORMAT,
                keys,
                extra: Map::new(),
            });
        }
        let ring: Keyring = serde_json::from_str(t).map_err(parse_error)?;
        if ring.wxdecrypt_keyring > FORMAT || ring.wxdecrypt_keyring == 0 {
            return Err(KeyringError::Version(ring.wxdecrypt_keyring));
        }
        Ok(ring)
    }

    /// Reads a key ring file.
    pub fn load(path: &Path) -> Result<Keyring, KeyringError> {
        let text = std::fs::read_to_string(path).map_err(KeyringError::Io)?;
        Keyring::parse(&text)
    }

    /// Reads a key ring file, or an empty ring when the file does not exist yet.
    pub fn load_or_new(path: &Path) -> Result<Keyring, KeyringError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Keyring::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Keyring::new()),
            Err(e) => Err(KeyringError::Io(e)),
        }
    }

    /// Writes the file atomically, mode 0600.
    pub fn save(&self, path: &Path) -> Result<(), KeyringError> {
        let mut text =
            serde_json::to_string_pretty(self).map_err(|e| KeyringError::Parse(e.to_string()))?;
        text.push('\n');
        crate::atomic::write(path, text.as_bytes()).map_err(KeyringError::Io)
    }

    /// Adds a key (checked: 16 bytes of standard base64; no duplicates).
    pub fn add(
        &mut self,
        session_key: &str,
        label: Option<&str>,
        appid: Option<&str>,
    ) -> Result<(), KeyringError> {
        let key = session_key.trim();
        if !is_session_key(key) {
            return Err(KeyringError::NotAKey);
        }
        if self.keys.iter().any(|k| k.session_key.trim() == key) {
            return Err(KeyringError::Duplicate);
        }
        let clean = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        self.keys.push(KeyringEntry {
            session_key: key.to_string(),
            label: clean(label),
            appid: clean(appid),
            extra: Map::new(),
        });
        Ok(())
    }

    /// Removes the key selected by a 1-based number, a label or the whole key; returns it.
    pub fn remove(&mut self, selector: &str) -> Result<KeyringEntry, KeyringError> {
        let s = selector.trim();
        let idx = match s.parse::<usize>() {
            Ok(n) if n >= 1 && n <= self.keys.len() => Some(n - 1),
            _ => self
                .keys
                .iter()
                .position(|k| k.label.as_deref() == Some(s))
                .or_else(|| self.keys.iter().position(|k| k.session_key.trim() == s)),
        };
        match idx {
            Some(i) => Ok(self.keys.remove(i)),
            None => Err(KeyringError::NotFound(mask_key(s))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K: &str = "MTIzNDU2Nzg5MGFiY2RlZg==";

    #[test]
    fn add_remove_save_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DEFAULT_FILE);
        let mut ring = Keyring::load_or_new(&path).unwrap();
        ring.add(K, Some("QA 1"), Some("wx0123456789abcdef"))
            .unwrap();
        assert!(matches!(
            ring.add(K, None, None),
            Err(KeyringError::Duplicate)
        ));
        assert!(matches!(
            ring.add("abc", None, None),
            Err(KeyringError::NotAKey)
        ));
        ring.save(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let mut back = Keyring::load(&path).unwrap();
        assert_eq!(back, ring);
        assert_eq!(back.keys[0].masked(), "MTIz…Zg==");
        assert_eq!(back.remove("QA 1").unwrap().session_key, K);
        assert!(back.keys.is_empty());
        assert!(matches!(back.remove("1"), Err(KeyringError::NotFound(_))));
    }
}
