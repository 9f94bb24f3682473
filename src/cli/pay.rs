//! `wxdecrypt pay`: inspect a WeChat Pay notification (APIv3, or an APIv2 refund's req_info), or
//! make one (`--encrypt`).

use std::path::PathBuf;

use crate::case::CaseInput;
use crate::i18n::Lang;
use crate::opendata::Options;
use crate::pay::{self, PayInput, SealRequest};

use super::{EXIT_FAIL, EXIT_OK, output};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The APIv3 key (32 characters)
    #[arg(long = "apiv3-key", visible_alias = "key", value_name = "KEY")]
    apiv3_key: Option<String>,
    /// The APIv2 API key (for an APIv2 refund notification's req_info)
    #[arg(long = "api-key", value_name = "KEY", conflicts_with = "apiv3_key")]
    api_key: Option<String>,
    /// resource.ciphertext (instead of a body)
    #[arg(long, value_name = "BASE64")]
    ciphertext: Option<String>,
    /// resource.nonce
    #[arg(long)]
    nonce: Option<String>,
    /// resource.associated_data (with --encrypt: default transaction)
    #[arg(long = "associated-data", value_name = "TEXT")]
    associated_data: Option<String>,
    /// resource.algorithm
    #[arg(long)]
    algorithm: Option<String>,
    /// With --encrypt: the event_type (default from the associated data)
    #[arg(long = "event-type", requires = "encrypt")]
    event_type: Option<String>,
    /// Make a notification instead: FILE is the resource's plain JSON (or an APIv2 <root> XML with --api-key)
    #[arg(long)]
    encrypt: bool,
    /// Print the report as one JSON object
    #[arg(long)]
    json: bool,
    /// Save this inspection as a test case (NAME.wxcase.json); `check` re-runs it
    #[arg(long, value_name = "FILE", conflicts_with = "encrypt")]
    save: Option<PathBuf>,
    /// The notification body, its resource object, a /v3/certificates answer or an APIv2 refund
    /// notification; - for stdin
    #[arg(value_name = "FILE|-")]
    source: Option<PathBuf>,
}

pub fn run(a: Args, lang: Lang) -> Result<i32, String> {
    let flags_given = a.ciphertext.is_some();
    let text = super::envelope_source(a.source.as_deref(), flags_given, lang)?;
    let v2 = a.api_key.is_some();
    let key = a
        .apiv3_key
        .clone()
        .or(a.api_key.clone())
        .unwrap_or_default();
    if a.encrypt {
        let req = SealRequest {
            key,
            plaintext: text.unwrap_or_default().trim().to_string(),
            nonce: a.nonce.clone().unwrap_or_default(),
            associated_data: a
                .associated_data
                .clone()
                .unwrap_or_else(|| "transaction".into()),
            event_type: a.event_type.clone().unwrap_or_default(),
            v2,
        };
        let body = pay::seal(&req, super::now()).map_err(|e| e.message(lang))?;
        let out = match body {
            serde_json::Value::String(xml) => xml,
            v => serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?,
        };
        super::emit(&format!("{out}\n"));
        return Ok(EXIT_OK);
    }
    let input = PayInput {
        key,
        algorithm: a.algorithm.clone().unwrap_or_default(),
        ciphertext: a.ciphertext.clone().unwrap_or_default(),
        nonce: a.nonce.clone().unwrap_or_default(),
        associated_data: a.associated_data.clone().unwrap_or_default(),
        v2: v2 && flags_given,
        body: text.unwrap_or_default(),
        ..PayInput::default()
    };
    let report = pay::inspect_pay(&input, &Options::new(super::now(), lang));
    output::print(a.json, &report, || output::human_envelope(&report, lang))?;
    if let Some(path) = &a.save {
        super::save::save_envelope(path, CaseInput::from_pay(&input), &report, lang)?;
    }
    Ok(if report.ok { EXIT_OK } else { EXIT_FAIL })
}
