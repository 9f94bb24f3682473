//! `wxdecrypt hash`: the `encrypted_msg_hash` checkEncryptedData takes, as the documentation's
//! own example computes it (sha256 of the base64 text, hex).

use serde_json::json;

use crate::i18n::Lang;
use crate::signature::{decoded_hash, encrypted_msg_hash};

use super::{EXIT_OK, text_or_file};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The encryptedData, exactly as received (@FILE reads a file, @- stdin)
    #[arg(long, value_name = "BASE64|@FILE")]
    data: String,
    /// Print {"encrypted_msg_hash", "decoded_sha256"} as JSON
    #[arg(long)]
    json: bool,
}

pub fn run(a: Args, lang: Lang) -> Result<i32, String> {
    let data = text_or_file(&a.data, lang)?;
    if data.trim().is_empty() {
        return Err(lang.fmt(
            "code.input.missing.message",
            &[("field", crate::finding::Field::EncryptedData.label(lang))],
        ));
    }
    let hash = encrypted_msg_hash(&data);
    let decoded = decoded_hash(&data);
    if a.json {
        let v = json!({ "encrypted_msg_hash": hash, "decoded_sha256": decoded });
        super::emit(&format!("{v}\n"));
    } else {
        super::emit(&format!("{hash}\n"));
        if let Some(d) = decoded {
            eprintln!("{}", lang.fmt("hash.note", &[("decoded", &d)]));
        }
    }
    Ok(EXIT_OK)
}
