//! The key ring: known keys (with an optional label and appid), kept per workspace in a JSON file
//! the user chooses, written atomically with mode 0600, never sent anywhere. Three kinds of key:
//! session_keys (open data), EncodingAESKeys with their token and receive id (message push), and
//! APIv3 keys (Pay notifications).
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

/// The newest key ring format this build reads. A ring of session_keys only is written as format 1
/// (what every earlier build reads); one holding other kinds of key as format 2, which an earlier
/// build refuses with a clear message instead of misreading.
pub const FORMAT: u32 = 2;

/// What a key ring entry's key opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyType {
    /// A session_key from code2Session (open data): 24 base64 characters, 16 bytes.
    SessionKey,
    /// A message-push EncodingAESKey: 43 characters, 32 bytes once `=` is added.
    EncodingAesKey,
    /// A WeChat Pay APIv3 key (32 characters); also tried as the API key of APIv2 refunds.
    ApiV3Key,
}

impl KeyType {
    /// The entry field that holds this kind of key (also its name in `--json` output).
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::SessionKey => "session_key",
            KeyType::EncodingAesKey => "encoding_aes_key",
            KeyType::ApiV3Key => "apiv3_key",
        }
    }

    /// Catalogue key of the kind's name.
    pub fn label_key(self) -> &'static str {
        match self {
            KeyType::SessionKey => "keyring.type.session_key",
            KeyType::EncodingAesKey => "keyring.type.encoding_aes_key",
            KeyType::ApiV3Key => "keyring.type.apiv3_key",
        }
    }

    /// The kind a key's shape says: a session_key (16 bytes of base64), an EncodingAESKey (43
    /// characters that decode to 32 bytes with `=` added) or an APIv3 key (32 printable ASCII
    /// characters). None for anything else.
    pub fn of(key: &str) -> Option<KeyType> {
        let k = key.trim();
        let b64 = base64::engine::general_purpose::STANDARD;
        if k.len() == 24 && b64.decode(k).is_ok_and(|b| b.len() == 16) {
            Some(KeyType::SessionKey)
        } else if k.len() == 43
            // Trailing bits tolerated, as the official samples' decoders do.
            && crate::opendata::normalize::B64
                .decode(k)
                .is_ok_and(|b| b.len() == 32)
        {
            Some(KeyType::EncodingAesKey)
        } else if k.len() == 32 && k.bytes().all(|b| b.is_ascii_graphic()) {
            Some(KeyType::ApiV3Key)
        } else {
            None
        }
    }
}

/// One known key. Exactly one of `session_key`, `encoding_aes_key` and `apiv3_key` is set; `token`
/// and `receive_id` go with an EncodingAESKey.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyringEntry {
    #[serde(
        default,
        skip_serializing_if = "String::is_empty",
        alias = "sessionKey"
    )]
    pub session_key: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        alias = "encodingAESKey",
        alias = "EncodingAESKey"
    )]
    pub encoding_aes_key: Option<String>,
    /// The message-push token (checks `msg_signature`).
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "Token")]
    pub token: Option<String>,
    /// The appid, corpid or suite id message pushes must end with.
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "receiveId")]
    pub receive_id: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        alias = "apiV3Key",
        alias = "apiv3Key"
    )]
    pub apiv3_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "appId")]
    pub appid: Option<String>,
    /// Fields this version does not know, kept on re-save.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A text with its blanks trimmed, or None when nothing is left.
fn clean(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

impl KeyringEntry {
    /// An entry for `key`, of the kind its shape says; `token` and `receive_id` only go with an
    /// EncodingAESKey. Blank optional fields are left out.
    pub fn from_key(
        key: &str,
        token: Option<&str>,
        receive_id: Option<&str>,
        label: Option<&str>,
        appid: Option<&str>,
    ) -> Result<KeyringEntry, KeyringError> {
        let k = key.trim().to_string();
        let kind = KeyType::of(&k).ok_or(KeyringError::NotAKey)?;
        let (token, receive_id) = (clean(token), clean(receive_id));
        if kind != KeyType::EncodingAesKey && (token.is_some() || receive_id.is_some()) {
            return Err(KeyringError::TokenWithoutAesKey);
        }
        let mut entry = KeyringEntry {
            label: clean(label),
            appid: clean(appid),
            ..KeyringEntry::default()
        };
        match kind {
            KeyType::SessionKey => entry.session_key = k,
            KeyType::EncodingAesKey => {
                entry.encoding_aes_key = Some(k);
                entry.token = token;
                entry.receive_id = receive_id;
            }
            KeyType::ApiV3Key => entry.apiv3_key = Some(k),
        }
        Ok(entry)
    }

    /// The keys this entry holds, each with its kind.
    fn keys(&self) -> impl Iterator<Item = (KeyType, &str)> {
        fn opt(o: &Option<String>) -> Option<&str> {
            o.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        [
            Some(self.session_key.trim()).filter(|s| !s.is_empty()),
            opt(&self.encoding_aes_key),
            opt(&self.apiv3_key),
        ]
        .into_iter()
        .zip([
            KeyType::SessionKey,
            KeyType::EncodingAesKey,
            KeyType::ApiV3Key,
        ])
        .filter_map(|(k, t)| k.map(|k| (t, k)))
    }

    /// The kind of key the entry holds (None for an entry without a key).
    pub fn key_type(&self) -> Option<KeyType> {
        self.keys().next().map(|(t, _)| t)
    }

    /// The entry's key, whatever its kind ("" for none).
    pub fn key(&self) -> &str {
        self.keys().next().map_or("", |(_, k)| k)
    }

    /// The key with its middle hidden: `tiih…hQ==`.
    pub fn masked(&self) -> String {
        mask_key(self.key())
    }

    /// Whether the entry holds a session_key (the only kind open data is tried with).
    pub fn is_session_key(&self) -> bool {
        self.key_type() == Some(KeyType::SessionKey)
    }
}

/// The key ring file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyring {
    /// File format version (1, or 2 when it holds other keys than session_keys).
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
    /// The text is not a key of any kind the ring holds.
    NotAKey,
    /// A token or receive id was given for a key that is not an EncodingAESKey.
    TokenWithoutAesKey,
    Duplicate,
    NotFound(String),
    /// Written by a newer wxdecrypt (the file's format version).
    Version(u32),
    /// Entry `number` (1-based) holds no key, or more than one kind of key.
    Entry {
        number: usize,
        keys: usize,
    },
}

impl KeyringError {
    /// The message in `lang` (never the key itself: a selector is shown masked).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            KeyringError::Io(e) => e.to_string(),
            KeyringError::Parse(e) => lang.fmt("keyring.error.parse", &[("error", e)]),
            KeyringError::NotAKey => lang.tr("keyring.error.not_a_key").to_string(),
            KeyringError::TokenWithoutAesKey => {
                lang.tr("keyring.error.token_without_aes_key").to_string()
            }
            KeyringError::Duplicate => lang.tr("keyring.error.duplicate").to_string(),
            KeyringError::NotFound(s) => lang.fmt("keyring.error.not_found", &[("key", s)]),
            KeyringError::Version(v) => lang.fmt(
                "keyring.error.version",
                &[
                    ("version", &v.to_string()),
                    ("supported", &FORMAT.to_string()),
                ],
            ),
            KeyringError::Entry { number, keys } => lang.fmt(
                if *keys == 0 {
                    "keyring.error.entry_no_key"
                } else {
                    "keyring.error.entry_two_keys"
                },
                &[("number", &number.to_string())],
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
    KeyType::of(key) == Some(KeyType::SessionKey)
}

impl Keyring {
    pub fn new() -> Keyring {
        Keyring {
            wxdecrypt_keyring: 1,
            keys: Vec::new(),
            extra: Map::new(),
        }
    }

    /// Parses a key ring file's text. A bare JSON array of entries is accepted too. Every entry
    /// must hold exactly one key.
    pub fn parse(text: &str) -> Result<Keyring, KeyringError> {
        let t = text.trim_start_matches('\u{feff}').trim();
        let ring = if t.starts_with('[') {
            let keys: Vec<KeyringEntry> = serde_json::from_str(t).map_err(parse_error)?;
            Keyring {
                keys,
                ..Keyring::new()
            }
        } else {
            let ring: Keyring = serde_json::from_str(t).map_err(parse_error)?;
            if ring.wxdecrypt_keyring > FORMAT || ring.wxdecrypt_keyring == 0 {
                return Err(KeyringError::Version(ring.wxdecrypt_keyring));
            }
            ring
        };
        for (i, k) in ring.keys.iter().enumerate() {
            let keys = k.keys().count();
            if keys != 1 {
                return Err(KeyringError::Entry {
                    number: i + 1,
                    keys,
                });
            }
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

    /// The format version the ring needs: 1 while it holds session_keys only.
    pub fn format_needed(&self) -> u32 {
        if self.keys.iter().all(KeyringEntry::is_session_key) {
            1
        } else {
            2
        }
    }

    /// Writes the file atomically, mode 0600, as the oldest format that holds its keys.
    pub fn save(&self, path: &Path) -> Result<(), KeyringError> {
        let mut out = self.clone();
        out.wxdecrypt_keyring = self.format_needed();
        let mut text =
            serde_json::to_string_pretty(&out).map_err(|e| KeyringError::Parse(e.to_string()))?;
        text.push('\n');
        crate::atomic::write(path, text.as_bytes()).map_err(KeyringError::Io)
    }

    /// Adds a session_key (checked: 16 bytes of standard base64; no duplicates).
    pub fn add(
        &mut self,
        session_key: &str,
        label: Option<&str>,
        appid: Option<&str>,
    ) -> Result<(), KeyringError> {
        if !is_session_key(session_key) {
            return Err(KeyringError::NotAKey);
        }
        self.insert(KeyringEntry::from_key(
            session_key,
            None,
            None,
            label,
            appid,
        )?)
    }

    /// Adds an entry (one key of a known shape; no key twice).
    pub fn insert(&mut self, entry: KeyringEntry) -> Result<(), KeyringError> {
        let keys = entry.keys().count();
        if keys != 1 {
            return Err(KeyringError::Entry {
                number: self.keys.len() + 1,
                keys,
            });
        }
        if KeyType::of(entry.key()) != entry.key_type() {
            return Err(KeyringError::NotAKey);
        }
        if self.keys.iter().any(|k| k.key() == entry.key()) {
            return Err(KeyringError::Duplicate);
        }
        self.keys.push(entry);
        Ok(())
    }

    /// The entries of one kind, each with its index in the ring.
    pub fn of_type(
        keys: &[KeyringEntry],
        kind: KeyType,
    ) -> impl Iterator<Item = (usize, &KeyringEntry)> {
        keys.iter()
            .enumerate()
            .filter(move |(_, k)| k.key_type() == Some(kind))
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
                .or_else(|| self.keys.iter().position(|k| k.key() == s)),
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
    const AES: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    const V3: &str = "0123456789abcdefghijklmnopqrstuv";

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
        // `add` takes session_keys only.
        assert!(matches!(
            ring.add(V3, None, None),
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

    #[test]
    fn key_types_by_shape() {
        assert_eq!(KeyType::of(K), Some(KeyType::SessionKey));
        assert_eq!(KeyType::of(AES), Some(KeyType::EncodingAesKey));
        assert_eq!(KeyType::of(V3), Some(KeyType::ApiV3Key));
        assert_eq!(KeyType::of(&AES[1..]), None);
        assert_eq!(KeyType::of("0123456789abcdefghijklmnopqrstu "), None);
        assert_eq!(KeyType::of(""), None);
    }

    #[test]
    fn other_key_types_are_kept_and_written_as_format_2() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DEFAULT_FILE);
        let mut ring = Keyring::new();
        ring.add(K, None, None).unwrap();
        ring.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"wxdecrypt_keyring\": 1"), "{text}");
        let e = KeyringEntry::from_key(AES, Some("tok"), Some(" wx1 "), Some("push"), None);
        ring.insert(e.unwrap()).unwrap();
        ring.insert(KeyringEntry::from_key(V3, None, None, None, None).unwrap())
            .unwrap();
        assert!(matches!(
            KeyringEntry::from_key(V3, Some("tok"), None, None, None),
            Err(KeyringError::TokenWithoutAesKey)
        ));
        ring.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"wxdecrypt_keyring\": 2"), "{text}");
        assert!(text.contains("\"receive_id\": \"wx1\""), "{text}");
        let back = Keyring::load(&path).unwrap();
        let types: Vec<_> = back.keys.iter().map(|k| k.key_type()).collect();
        assert_eq!(
            types,
            [
                Some(KeyType::SessionKey),
                Some(KeyType::EncodingAesKey),
                Some(KeyType::ApiV3Key)
            ]
        );
        assert_eq!(back.keys[1].token.as_deref(), Some("tok"));
        let pay: Vec<usize> = Keyring::of_type(&back.keys, KeyType::ApiV3Key)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(pay, [2]);
        assert_eq!(back.clone().remove(V3).unwrap().key(), V3);
        // The official spellings of the fields are read too.
        let r = Keyring::parse(&format!(r#"[{{"EncodingAESKey":"{AES}","Token":"t"}}]"#)).unwrap();
        assert_eq!(r.keys[0].key_type(), Some(KeyType::EncodingAesKey));
    }

    #[test]
    fn entries_hold_exactly_one_key() {
        let none = Keyring::parse(r#"{"wxdecrypt_keyring": 2, "keys": [{"label": "x"}]}"#);
        assert!(matches!(
            none,
            Err(KeyringError::Entry { number: 1, keys: 0 })
        ));
        let two = Keyring::parse(&format!(r#"[{{"session_key":"{K}","apiv3_key":"{V3}"}}]"#));
        assert!(matches!(
            two,
            Err(KeyringError::Entry { number: 1, keys: 2 })
        ));
        let newer = Keyring::parse(r#"{"wxdecrypt_keyring": 3, "keys": []}"#);
        assert!(matches!(newer, Err(KeyringError::Version(3))));
    }
}
