//! `wxdecrypt msg`: inspect a message push (safe mode) or a URL check, or make one (`--encrypt`).

use std::path::PathBuf;

use crate::case::CaseInput;
use crate::i18n::Lang;
use crate::msg::{self, MsgInput, SealRequest};
use crate::opendata::Options;

use super::{EXIT_FAIL, EXIT_OK, output};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The 43-character EncodingAESKey from the console
    #[arg(
        long = "encoding-aes-key",
        visible_alias = "aes-key",
        value_name = "KEY"
    )]
    encoding_aes_key: Option<String>,
    /// The token configured beside the EncodingAESKey
    #[arg(long)]
    token: Option<String>,
    /// The appid, corpid or suite id the message must end with
    #[arg(long = "receive-id", visible_alias = "appid", value_name = "ID")]
    receive_id: Option<String>,
    /// msg_signature from the URL
    #[arg(long = "msg-signature", value_name = "HEX")]
    msg_signature: Option<String>,
    /// timestamp from the URL
    #[arg(long)]
    timestamp: Option<String>,
    /// nonce from the URL
    #[arg(long)]
    nonce: Option<String>,
    /// The Encrypt value itself (instead of a body)
    #[arg(long = "data", value_name = "BASE64")]
    data: Option<String>,
    /// The echostr of the URL check, as it arrived
    #[arg(long)]
    echostr: Option<String>,
    /// Make a push instead: FILE is the message (XML or JSON), or the echostr's plain value with --echostr-mode
    #[arg(long)]
    encrypt: bool,
    /// With --encrypt: make a URL check (echostr) instead of a message
    #[arg(long = "echostr-mode", requires = "encrypt")]
    echostr_mode: bool,
    /// Print the report as one JSON object
    #[arg(long)]
    json: bool,
    /// Save this inspection as a test case (NAME.wxcase.json); `check` re-runs it
    #[arg(long, value_name = "FILE", conflicts_with = "encrypt")]
    save: Option<PathBuf>,
    /// The raw request, its URL or query string, or the XML/JSON body (a file, the text itself, or - for stdin)
    #[arg(value_name = "FILE|-")]
    source: Option<PathBuf>,
}

pub fn run(a: Args, lang: Lang) -> Result<i32, String> {
    if a.encrypt {
        return seal(&a, lang);
    }
    let flags_given = a.data.is_some() || a.echostr.is_some();
    let mut input = MsgInput {
        encoding_aes_key: a.encoding_aes_key.clone().unwrap_or_default(),
        token: a.token.clone().unwrap_or_default(),
        receive_id: a.receive_id.clone().unwrap_or_default(),
        msg_signature: a.msg_signature.clone().unwrap_or_default(),
        timestamp: a.timestamp.clone().unwrap_or_default(),
        nonce: a.nonce.clone().unwrap_or_default(),
        ..MsgInput::default()
    };
    if let Some(e) = &a.echostr {
        input.encrypt = e.clone();
        input.echostr = true;
    } else if let Some(d) = &a.data {
        input.encrypt = d.clone();
    }
    if let Some(text) = super::envelope_source(a.source.as_deref(), flags_given, lang)? {
        input.fill_from_text(&text);
    }
    let report = msg::inspect_message(&input, &Options::new(super::now(), lang));
    output::print(a.json, &report, || output::human_envelope(&report, lang))?;
    if let Some(path) = &a.save {
        super::save::save_envelope(path, CaseInput::from_message(&input), &report, lang)?;
    }
    Ok(if report.ok { EXIT_OK } else { EXIT_FAIL })
}

fn seal(a: &Args, lang: Lang) -> Result<i32, String> {
    let message = match super::envelope_source(a.source.as_deref(), false, lang)? {
        Some(t) => t.trim_end_matches(['\r', '\n']).to_string(),
        None => String::new(),
    };
    let req = SealRequest {
        encoding_aes_key: a.encoding_aes_key.clone().unwrap_or_default(),
        token: a.token.clone().unwrap_or_default(),
        receive_id: a.receive_id.clone().unwrap_or_default(),
        message,
        echostr: a.echostr_mode,
        timestamp: a.timestamp.clone().unwrap_or_default(),
        nonce: a.nonce.clone().unwrap_or_default(),
        random: None,
    };
    let sealed = msg::seal(&req, super::now()).map_err(|e| e.message(lang))?;
    output::print(a.json, &sealed, || {
        let mut o = format!("{}: {}\n", lang.tr("cli.msg.sealed_query"), sealed.query);
        if !sealed.body.is_empty() {
            o.push_str(&format!(
                "{}:\n{}\n",
                lang.tr("cli.msg.sealed_body"),
                sealed.body
            ));
        }
        o
    })?;
    Ok(EXIT_OK)
}
