//! `wxdecrypt encrypt`: build `{iv, encryptedData}` from a JSON or text payload.

use crate::i18n::Lang;
use crate::opendata::encrypt::{EncryptRequest, encrypt};

use std::path::PathBuf;

use super::{EXIT_OK, read_source};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// session_key (base64, 16 bytes); a random one is generated and printed when omitted
    #[arg(long = "session-key", visible_alias = "key")]
    session_key: Option<String>,
    /// iv (base64, 16 bytes); random when omitted
    #[arg(long)]
    iv: Option<String>,
    /// Appid for the watermark (inserted or replaced)
    #[arg(long)]
    appid: Option<String>,
    /// Watermark timestamp, Unix seconds (default: now)
    #[arg(long, value_name = "UNIX")]
    timestamp: Option<i64>,
    /// Leave the payload's watermark as it is
    #[arg(long = "no-watermark")]
    no_watermark: bool,
    /// The payload (JSON or text); - or omitted for stdin
    #[arg(value_name = "FILE|-")]
    source: Option<PathBuf>,
}

pub fn run(a: Args, lang: Lang) -> Result<i32, String> {
    let path = a.source.unwrap_or_else(|| "-".into());
    let payload = read_source(&path, lang)?;
    let req = EncryptRequest {
        payload,
        session_key: a.session_key,
        iv: a.iv,
        appid: a.appid,
        timestamp: a.timestamp,
        watermark: !a.no_watermark,
        now: super::now(),
    };
    let enc = encrypt(&req).map_err(|e| e.message(lang))?;
    let mut out = serde_json::Map::new();
    out.insert("iv".into(), enc.iv.clone().into());
    out.insert("encryptedData".into(), enc.encrypted_data.clone().into());
    if enc.key_generated {
        out.insert("sessionKey".into(), enc.session_key.clone().into());
        eprintln!("{}", lang.tr("cli.encrypt.generated_key"));
    }
    super::emit(&format!("{}\n", serde_json::Value::Object(out)));
    Ok(EXIT_OK)
}
