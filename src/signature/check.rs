//! Checking a signature: the session_key read as the inspectors read it (repairs with spans),
//! the expected digest, and when the given one differs, why — a stale key (the paired
//! encryptedData does not open with it either), a known mistake ([`explain`]), a value that is no
//! signature at all, or an unexplained mismatch.

use base64::Engine as _;
use serde::Serialize;

use super::digest::hex;
use super::json_forms::Form;
use super::variant::{SignatureKind, Variant, digest, explain};
use crate::finding::{Code, Field, Finding, Repair, Severity};
use crate::opendata::normalize::{LenRule, decode_field};
use crate::opendata::{Input, Options, inspect};

/// What to check.
#[derive(Debug, Clone, Copy)]
pub struct SignatureRequest<'a> {
    pub kind: SignatureKind,
    pub session_key: &'a str,
    /// rawData (user info), or the request body (checkSession; "" for a GET).
    pub message: &'a str,
    /// The signature received; None only computes the expected one.
    pub signature: Option<&'a str>,
    /// The encryptedData and iv sent with it (and the appid): when the signature does not match,
    /// a key that does not open them either is named as the cause.
    pub paired: Option<&'a Input>,
}

/// The result. Serializes to the `--json` contract of `wxdecrypt signature` and
/// `wxdecrypt session-signature`: `ok`, `expected`, `variant`, `findings` (and more).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignatureReport {
    /// The signature matches (or, with none given, the expected one could be computed).
    pub ok: bool,
    pub kind: SignatureKind,
    /// The signature the session_key and the message give (lowercase hex).
    pub expected: Option<String>,
    /// The known mistake that produced the given signature.
    pub variant: Option<Variant>,
    /// For `reserialized` and `sorted`: the form the data was re-serialised into.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant_form: Option<Form>,
    pub findings: Vec<Finding>,
    pub repairs: Vec<Repair>,
}

impl SignatureReport {
    pub fn primary(&self) -> Option<&Finding> {
        crate::finding::primary(&self.findings)
    }

    pub fn codes(&self) -> Vec<&'static str> {
        self.findings.iter().map(|f| f.code.as_str()).collect()
    }
}

/// Whether `s` has the shape of a signature: hex of a sha1 or sha256 digest (either case), or
/// its base64.
fn shaped_like_a_signature(s: &str) -> bool {
    let hex_len = matches!(s.len(), 40 | 64) && s.bytes().all(|b| b.is_ascii_hexdigit());
    let b64 = crate::opendata::normalize::B64
        .decode(s.trim_end_matches('='))
        .is_ok_and(|b| matches!(b.len(), 20 | 32));
    hex_len || b64
}

/// Whether the encryptedData sent with the signature fails to open with `key` (a stale key).
fn key_fails(paired: Option<&Input>, key: &str, opts: &Options) -> bool {
    let Some(paired) = paired.filter(|p| !p.encrypted_data.trim().is_empty()) else {
        return false;
    };
    let with_key = Input {
        session_key: key.to_string(),
        ..paired.clone()
    };
    inspect(&with_key, opts).has(Code::KeyMismatch)
}

/// Checks (or computes) a signature.
pub fn check(req: &SignatureRequest<'_>, opts: &Options) -> SignatureReport {
    let lang = opts.lang;
    let mut report = SignatureReport {
        ok: false,
        kind: req.kind,
        expected: None,
        variant: None,
        variant_form: None,
        findings: Vec::new(),
        repairs: Vec::new(),
    };
    let mut key_findings = Vec::new();
    let key = decode_field(
        lang,
        Field::SessionKey,
        req.session_key,
        LenRule::Block,
        &mut key_findings,
        &mut report.repairs,
    );
    if req.session_key.trim().is_empty() {
        report.findings.append(&mut key_findings);
    }
    // The key is hashed as text: its repaired text is the one WeChat used.
    let key_text = key.text_of(req.session_key.trim()).to_string();
    if req.kind == SignatureKind::UserInfo && req.message.is_empty() {
        report.findings.push(Finding::new(
            lang,
            Code::InputMissing,
            Field::RawData,
            None,
            &[],
        ));
    }
    if !report.findings.is_empty() {
        return report;
    }
    let expected = hex(&digest(
        req.kind,
        key_text.as_bytes(),
        req.message.as_bytes(),
    ));
    // Repairs of the key always show (the signature was computed with the repaired text); a key
    // that is no session_key matters only when the signature fails.
    let (repairs, problems): (Vec<Finding>, Vec<Finding>) =
        key_findings.into_iter().partition(|f| f.code.is_repair());
    report.findings.extend(repairs);
    let given = req.signature.map(str::trim);
    match given {
        None => {}
        Some("") => report.findings.push(Finding::new(
            lang,
            Code::InputMissing,
            Field::Signature,
            None,
            &[],
        )),
        Some(g) if g == expected => {}
        Some(g) => {
            report.findings.extend(problems);
            let span = Some([0, g.chars().count()]);
            let explained = shaped_like_a_signature(g)
                .then(|| explain(req.kind, &key_text, req.message, g))
                .flatten();
            if !shaped_like_a_signature(g) {
                let chars = g.chars().count().to_string();
                report.findings.push(Finding::new(
                    lang,
                    Code::SignatureMalformed,
                    Field::Signature,
                    span,
                    &[("chars", &chars)],
                ));
            } else if let Some((variant, form)) = explained {
                // The mistake was made with this very key: it is the login's key.
                let form_text = super::present::form_text(form, lang);
                let args = [
                    ("variant", lang.tr(variant.label_key())),
                    ("form", form_text.as_str()),
                    ("fix", lang.tr(variant.fix_key())),
                ];
                report.findings.push(Finding::new(
                    lang,
                    Code::SignatureVariant,
                    Field::Signature,
                    span,
                    &args,
                ));
                report.variant = Some(variant);
                report.variant_form = form;
            } else {
                if key_fails(req.paired, &key_text, opts) {
                    report.findings.push(Finding::new(
                        lang,
                        Code::SignatureKeyMismatch,
                        Field::SessionKey,
                        None,
                        &[],
                    ));
                }
                report.findings.push(Finding::new(
                    lang,
                    Code::SignatureMismatch,
                    Field::Signature,
                    span,
                    &[],
                ));
            }
        }
    }
    report
        .findings
        .sort_by_key(|f| std::cmp::Reverse(f.severity));
    report.ok = !report
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error);
    report.expected = Some(expected);
    report
}
