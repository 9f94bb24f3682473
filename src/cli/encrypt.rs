//! `wxdecrypt encrypt`: build `{iv, encryptedData}` from a JSON or text payload, or one payload
//! per value from a template (`--template`, `--values`) for Burp Intruder or a script.

use crate::i18n::Lang;
use crate::opendata::encrypt::{EncryptRequest, encrypt_for};
use crate::opendata::tamper::{self, Batch, BatchFormat};
use crate::platform::Platform;

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
    /// A template with %% where each value goes (JSON or text): one payload per value
    #[arg(
        long,
        value_name = "FILE",
        requires = "values",
        conflicts_with = "source"
    )]
    template: Option<PathBuf>,
    /// The values for --template, one per line (- for stdin)
    #[arg(long, value_name = "FILE", requires = "template")]
    values: Option<PathBuf>,
    /// How a template batch is written
    #[arg(long, value_enum, default_value = "jsonl", requires = "template")]
    format: BatchFormat,
    /// Encrypt as this platform does (Baidu: a 24-byte key and --appid as the App Key)
    #[arg(long, value_enum, default_value = "wechat")]
    platform: Platform,
    /// The payload (JSON or text); - or omitted for stdin
    #[arg(value_name = "FILE|-")]
    source: Option<PathBuf>,
}

pub fn run(a: Args, lang: Lang) -> Result<i32, String> {
    if let (Some(t), Some(v)) = (&a.template, &a.values) {
        return run_batch(&a, t, v, lang);
    }
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
    let enc = encrypt_for(&req, a.platform).map_err(|e| e.message(lang))?;
    let mut out = serde_json::Map::new();
    // Alipay sends no iv.
    if !enc.iv.is_empty() {
        out.insert("iv".into(), enc.iv.clone().into());
    }
    out.insert("encryptedData".into(), enc.encrypted_data.clone().into());
    if enc.key_generated {
        out.insert("sessionKey".into(), enc.session_key.clone().into());
        eprintln!("{}", lang.tr("cli.encrypt.generated_key"));
    }
    super::emit(&format!("{}\n", serde_json::Value::Object(out)));
    Ok(EXIT_OK)
}

/// A template batch: one payload per value, every one with the session_key given.
fn run_batch(
    a: &Args,
    template: &std::path::Path,
    values: &std::path::Path,
    lang: Lang,
) -> Result<i32, String> {
    let key = a
        .session_key
        .as_deref()
        .filter(|k| !k.trim().is_empty())
        .ok_or_else(|| lang.tr("cli.encrypt.template_needs_key").to_string())?;
    let template = read_source(template, lang)?;
    if !template.contains(tamper::PLACEHOLDER) {
        return Err(lang.tr("cli.encrypt.no_placeholder").to_string());
    }
    let values = read_source(values, lang)?;
    let out = tamper::batch(&Batch {
        template: &template,
        values: values.lines().collect(),
        session_key: key,
        iv: a.iv.as_deref().filter(|i| !i.trim().is_empty()),
        appid: a.appid.as_deref().filter(|_| !a.no_watermark),
        format: a.format,
        now: a.timestamp.unwrap_or_else(super::now),
        platform: a.platform,
    })
    .map_err(|e| e.message(lang))?;
    if a.iv.is_none()
        && let Some(iv) = &out.shared_iv
    {
        eprintln!("{}", lang.fmt("cli.encrypt.batch_iv", &[("iv", iv)]));
    }
    let mut text = out.lines.join("\n");
    text.push('\n');
    super::emit(&text);
    Ok(EXIT_OK)
}
