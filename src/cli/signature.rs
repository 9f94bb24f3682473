//! `wxdecrypt signature` (the user-info sha1 signature) and `wxdecrypt session-signature`
//! (checkSession's HMAC-SHA256): compute or check a signature and, when it does not match, name
//! the known mistake that made it.

use std::fmt::Write as _;

use crate::i18n::Lang;
use crate::opendata::{Input, Options};
use crate::signature::{self, SignatureKind, SignatureReport, SignatureRequest};

use super::{EXIT_FAIL, EXIT_OK, output, text_or_file};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The session_key from code2Session
    #[arg(long = "session-key", value_name = "KEY")]
    session_key: String,
    /// rawData of getUserInfo / getUserProfile, exactly as received (@FILE reads a file, @- stdin)
    #[arg(long = "raw-data", value_name = "TEXT|@FILE")]
    raw_data: String,
    /// The signature received with it
    #[arg(long, value_name = "HEX")]
    signature: String,
    /// The encryptedData sent with it: a key that does not open it either is named as the cause
    #[arg(long = "encrypted-data", value_name = "BASE64", requires = "iv")]
    encrypted_data: Option<String>,
    /// The iv sent with the encryptedData
    #[arg(long, requires = "encrypted_data")]
    iv: Option<String>,
    /// The appid (checked against the encryptedData's watermark)
    #[arg(long)]
    appid: Option<String>,
    /// Print the report as one JSON object
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
pub struct SessionArgs {
    /// The session_key from code2Session
    #[arg(long = "session-key", value_name = "KEY")]
    session_key: String,
    /// The request body, exactly as sent (@FILE reads a file, @- stdin; none for a GET)
    #[arg(long, value_name = "TEXT|@FILE")]
    body: Option<String>,
    /// A signature to check against the HMAC
    #[arg(long, value_name = "HEX")]
    signature: Option<String>,
    /// Print the report as one JSON object
    #[arg(long)]
    json: bool,
}

pub fn run(a: Args, lang: Lang) -> Result<i32, String> {
    let raw_data = text_or_file(&a.raw_data, lang)?;
    let paired = a.encrypted_data.as_ref().map(|d| Input {
        appid: a.appid.clone().unwrap_or_default(),
        session_key: String::new(),
        iv: a.iv.clone().unwrap_or_default(),
        encrypted_data: d.clone(),
    });
    let req = SignatureRequest {
        kind: SignatureKind::UserInfo,
        session_key: &a.session_key,
        message: &raw_data,
        signature: Some(&a.signature),
        paired: paired.as_ref(),
    };
    let report = signature::check(&req, &Options::new(super::now(), lang));
    output::print(a.json, &report, || human(&report, Some(&a.signature), lang))?;
    Ok(if report.ok { EXIT_OK } else { EXIT_FAIL })
}

pub fn run_session(a: SessionArgs, lang: Lang) -> Result<i32, String> {
    let body = match &a.body {
        Some(b) => text_or_file(b, lang)?,
        None => String::new(),
    };
    let req = SignatureRequest {
        kind: SignatureKind::Session,
        session_key: &a.session_key,
        message: &body,
        signature: a.signature.as_deref(),
        paired: None,
    };
    let report = signature::check(&req, &Options::new(super::now(), lang));
    match (&a.signature, a.json, &report.expected) {
        // Just the HMAC, for scripts.
        (None, false, Some(expected)) if report.ok => super::emit(&format!("{expected}\n")),
        _ => output::print(a.json, &report, || {
            human(&report, a.signature.as_deref(), lang)
        })?,
    }
    Ok(if report.ok { EXIT_OK } else { EXIT_FAIL })
}

/// The human report: the verdict, the expected and given signatures, the mistake, the findings.
fn human(report: &SignatureReport, given: Option<&str>, lang: Lang) -> String {
    let mut o = String::new();
    let mark = crate::present::mark(report.ok);
    let verdict = signature::present::verdict(report, given.is_some(), lang);
    let _ = writeln!(o, "{mark} {verdict}");
    if let Some(e) = &report.expected {
        let _ = writeln!(o, "  {}: {e}", lang.tr("signature.expected"));
    }
    if let Some(g) = given.map(str::trim).filter(|g| !g.is_empty()) {
        let _ = writeln!(o, "  {}: {g}", lang.tr("signature.given"));
    }
    if let Some(v) = report.variant {
        let form = signature::present::form_text(report.variant_form, lang);
        let _ = writeln!(
            o,
            "  {}: {}{form} ({})",
            lang.tr("signature.variant"),
            lang.tr(v.label_key()),
            v.as_str()
        );
    }
    output::findings_and_repairs(&mut o, &report.findings, &report.repairs, lang);
    o
}
