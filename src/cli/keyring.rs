//! `wxdecrypt keyring add|list|remove`: the per-workspace list of known keys (session_keys,
//! EncodingAESKeys with their token, APIv3 keys).

use std::io::Read as _;
use std::path::PathBuf;

use crate::i18n::Lang;
use crate::keyring::{self, Keyring, KeyringEntry, KeyringError};
use crate::privacy::mask_key;

use super::{EXIT_OK, say};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Key ring file (default: ./wxdecrypt-keyring.json)
    #[arg(long, global = true, value_name = "FILE")]
    file: Option<PathBuf>,
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand, Debug)]
enum Action {
    /// Add a key: a session_key, a message-push EncodingAESKey or a Pay APIv3 key, told apart by
    /// their shape (- reads it from standard input, keeping it out of the shell history)
    Add {
        #[arg(value_name = "KEY|-")]
        key: String,
        /// The message-push token that goes with an EncodingAESKey (checks msg_signature)
        #[arg(long)]
        token: Option<String>,
        /// The appid, corpid or suite id pushes to an EncodingAESKey must end with
        #[arg(long, value_name = "ID")]
        receive_id: Option<String>,
        /// A name for the key (e.g. the test account)
        #[arg(long)]
        label: Option<String>,
        /// The appid the key belongs to
        #[arg(long)]
        appid: Option<String>,
    },
    /// List the keys (masked unless --show)
    List {
        /// Print whole keys
        #[arg(long)]
        show: bool,
    },
    /// Remove a key by its number in `list`, its label, or the key itself
    Remove {
        #[arg(value_name = "NUMBER|LABEL|KEY")]
        selector: String,
    },
}

fn error_text(e: &KeyringError, path: &str, lang: Lang) -> String {
    match e {
        KeyringError::Io(_) | KeyringError::Parse(_) => lang.fmt(
            "keyring.error.read",
            &[("path", path), ("error", &e.message(lang))],
        ),
        other => other.message(lang),
    }
}

pub fn run(a: Args, lang: Lang) -> Result<i32, String> {
    let path = a
        .file
        .unwrap_or_else(|| PathBuf::from(keyring::DEFAULT_FILE));
    let shown = path.display().to_string();
    let err = |e: KeyringError| error_text(&e, &shown, lang);
    let save_err = |e: KeyringError| {
        lang.fmt(
            "cli.error.write",
            &[("path", &shown), ("error", &e.message(lang))],
        )
    };
    match a.action {
        Action::Add {
            key,
            token,
            receive_id,
            label,
            appid,
        } => {
            let key = if key == "-" {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .map_err(|e| lang.fmt("cli.error.stdin", &[("error", &e.to_string())]))?;
                s.trim().to_string()
            } else {
                key
            };
            let mut ring = Keyring::load_or_new(&path).map_err(err)?;
            let entry = KeyringEntry::from_key(
                &key,
                token.as_deref(),
                receive_id.as_deref(),
                label.as_deref(),
                appid.as_deref(),
            )
            .map_err(err)?;
            ring.insert(entry).map_err(err)?;
            ring.save(&path).map_err(save_err)?;
            say(&lang
                .fmt(
                    "keyring.added",
                    &[
                        ("key", &mask_key(&key)),
                        ("path", &shown),
                        ("count", &ring.keys.len().to_string()),
                    ],
                )
                .to_string());
        }
        Action::List { show } => {
            let ring = Keyring::load_or_new(&path).map_err(err)?;
            if ring.keys.is_empty() {
                say(&lang.fmt("keyring.empty", &[("path", &shown)]).to_string());
            } else {
                say(&lang
                    .fmt(
                        "keyring.list.header",
                        &[("path", &shown), ("count", &ring.keys.len().to_string())],
                    )
                    .to_string());
                for (i, k) in ring.keys.iter().enumerate() {
                    let key = if show {
                        k.key().to_string()
                    } else {
                        k.masked()
                    };
                    let kind = k.key_type().map_or("-", |t| lang.tr(t.label_key()));
                    // A message key's receive id stands where a session_key's appid does.
                    let id = k.appid.as_deref().or(k.receive_id.as_deref());
                    let token = match (&k.token, show) {
                        (Some(t), true) => format!("  token={t}"),
                        (Some(t), false) => format!("  token={}", mask_key(t)),
                        (None, _) => String::new(),
                    };
                    say(&format!(
                        "  {:>3}  {:<15}  {:<45}  {:<20}  {}{token}",
                        i + 1,
                        kind,
                        key,
                        id.unwrap_or("-"),
                        k.label.as_deref().unwrap_or("")
                    ));
                }
            }
        }
        Action::Remove { selector } => {
            let mut ring = Keyring::load(&path).map_err(err)?;
            let removed = ring.remove(&selector).map_err(err)?;
            ring.save(&path).map_err(save_err)?;
            say(&lang
                .fmt(
                    "keyring.removed",
                    &[("key", &removed.masked()), ("path", &shown)],
                )
                .to_string());
        }
    }
    Ok(EXIT_OK)
}
