//! The inspection pipeline: normalize → decode → decrypt → diagnose → interpret → report.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::cipher::{self, BLOCK, Padding};
use crate::diagnose::{self, Outcome};
use crate::finding::{Code, Field, Finding, Repair, Severity, Span};
use crate::i18n::Lang;
use crate::interpret::{self, Kind, Watermark};
use crate::normalize::{self, Base64Problem, LenRule, Normalized};

/// The four strings exactly as the user pasted them (any may be empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    #[serde(default)]
    pub appid: String,
    #[serde(default)]
    pub session_key: String,
    #[serde(default)]
    pub iv: String,
    #[serde(default)]
    pub encrypted_data: String,
}

impl Input {
    pub fn new(appid: &str, session_key: &str, iv: &str, encrypted_data: &str) -> Input {
        Input {
            appid: appid.into(),
            session_key: session_key.into(),
            iv: iv.into(),
            encrypted_data: encrypted_data.into(),
        }
    }

    pub fn get(&self, field: Field) -> &str {
        match field {
            Field::Appid => &self.appid,
            Field::SessionKey => &self.session_key,
            Field::Iv => &self.iv,
            Field::EncryptedData => &self.encrypted_data,
            Field::Plaintext | Field::Watermark => "",
        }
    }

    pub fn get_mut(&mut self, field: Field) -> Option<&mut String> {
        match field {
            Field::Appid => Some(&mut self.appid),
            Field::SessionKey => Some(&mut self.session_key),
            Field::Iv => Some(&mut self.iv),
            Field::EncryptedData => Some(&mut self.encrypted_data),
            Field::Plaintext | Field::Watermark => None,
        }
    }
}

/// Inspection settings. `now` is injected so results are reproducible.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// The current time, Unix seconds (watermark age and future checks).
    pub now: i64,
    /// The language of messages and hints.
    pub lang: Lang,
    /// Skip what only a viewer needs: `Report::detail` and the parsed `data` value (the batch
    /// writes the plaintext itself as `data`).
    pub lean: bool,
}

impl Options {
    pub fn new(now: i64, lang: Lang) -> Options {
        Options {
            now,
            lang,
            lean: false,
        }
    }

    /// The same options without viewer-only work (see [`Options::lean`]).
    pub fn lean(self) -> Options {
        Options { lean: true, ..self }
    }

    /// The system clock and English.
    pub fn now() -> Options {
        Options::new(chrono::Utc::now().timestamp(), Lang::En)
    }
}

/// Which key/iv produced the reported data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decryption {
    /// Nothing was decrypted.
    #[default]
    None,
    /// The inputs as given (after repairs).
    AsGiven,
    /// The iv computed from the known first block (`suggested_iv`).
    SuggestedIv,
    /// session_key and iv exchanged.
    Swapped,
}

/// What the GUI needs beyond the JSON report: per-field state and the raw bytes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detail {
    /// Per input field (order of [`Field::INPUTS`]): the repaired text and the decoded length.
    pub normalized: [Option<String>; 4],
    pub decoded_len: [Option<usize>; 4],
    /// The ciphertext bytes as decoded.
    pub ciphertext: Vec<u8>,
    /// The bytes decrypted with the key and iv as given (padding included, noise included).
    pub decrypted: Vec<u8>,
    /// Padding state of `decrypted` (None when nothing was decrypted).
    pub padding: Option<Padding>,
    /// Per block of `decrypted`: whether it reads as text.
    pub text_blocks: Vec<bool>,
    /// Which key/iv produced `plaintext` and `data`.
    pub decryption: Decryption,
}

/// The result of one inspection. Serializes to the `--json` report contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub ok: bool,
    pub kind: Option<Kind>,
    pub official_code: i32,
    pub plaintext: Option<String>,
    pub data: Option<Value>,
    pub watermark: Option<Watermark>,
    pub findings: Vec<Finding>,
    pub repairs: Vec<Repair>,
    pub suggested_iv: Option<String>,
    #[serde(skip)]
    pub detail: Detail,
    /// `plaintext` is a JSON object (with lean options, it stands for `data`).
    #[serde(skip)]
    pub plaintext_is_object: bool,
}

impl Report {
    /// The finding that explains the verdict: the first error, else the first warning.
    pub fn primary(&self) -> Option<&Finding> {
        self.findings
            .iter()
            .find(|f| f.severity == Severity::Error)
            .or_else(|| {
                self.findings
                    .iter()
                    .find(|f| f.severity == Severity::Warning)
            })
    }

    /// The worst severity among findings about `field` (None when nothing is said about it).
    pub fn field_severity(&self, field: Field) -> Option<Severity> {
        self.findings
            .iter()
            .filter(|f| f.field == field)
            .map(|f| f.severity)
            .max()
    }

    pub fn has(&self, code: Code) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }

    pub fn codes(&self) -> Vec<&'static str> {
        self.findings.iter().map(|f| f.code.as_str()).collect()
    }
}

/// Official WXBizDataCrypt error codes.
pub mod official {
    pub const OK: i32 = 0;
    pub const ILLEGAL_AES_KEY: i32 = -41001;
    pub const ILLEGAL_IV: i32 = -41002;
    pub const ILLEGAL_BUFFER: i32 = -41003;
    pub const DECODE_BASE64_ERROR: i32 = -41004;

    /// The sample's constant name for a code.
    pub fn name(code: i32) -> &'static str {
        match code {
            OK => "OK",
            ILLEGAL_AES_KEY => "IllegalAesKey",
            ILLEGAL_IV => "IllegalIv",
            ILLEGAL_BUFFER => "IllegalBuffer",
            DECODE_BASE64_ERROR => "DecodeBase64Error",
            _ => "?",
        }
    }
}

fn field_index(f: Field) -> usize {
    match f {
        Field::Appid => 0,
        Field::SessionKey => 1,
        Field::Iv => 2,
        _ => 3,
    }
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

struct Ctx {
    lang: Lang,
    lean: bool,
    /// Per input field: the paste was canonical base64 as given (what the official SDK accepts).
    strict: [bool; 4],
    /// Paste offsets of the normalized encryptedData chars (empty: identity).
    data_origin: Vec<usize>,
    findings: Vec<Finding>,
    repairs: Vec<Repair>,
    detail: Detail,
}

impl Ctx {
    fn push(&mut self, code: Code, field: Field, span: Option<Span>, args: &[(&str, &str)]) {
        self.findings
            .push(Finding::new(self.lang, code, field, span, args));
    }

    /// Normalizes and decodes one base64 field, recording repairs and decode errors.
    fn decode(&mut self, field: Field, raw: &str, rule: LenRule) -> Option<Vec<u8>> {
        if raw.trim().is_empty() {
            self.push(Code::InputMissing, field, None, &[]);
            return None;
        }
        let Normalized {
            unchanged,
            text,
            repairs,
            bytes,
            problem,
            origin,
        } = normalize::normalize(raw, rule);
        if field == Field::EncryptedData {
            self.data_origin = origin;
        }
        for step in repairs {
            let count = step.spans.len().to_string();
            let first = step.spans.first().copied();
            self.push(step.code, field, first, &[("count", &count)]);
            self.repairs.push(Repair {
                field,
                code: step.code,
                before: step.before,
                after: step.after,
                spans: step.spans,
            });
        }
        let idx = field_index(field);
        match problem {
            Some(Base64Problem::BadChar { span, ch }) => {
                let pos = (span[0] + 1).to_string();
                let shown = format!("{ch:?}");
                self.push(
                    Code::Base64Invalid,
                    field,
                    Some(span),
                    &[("char", &shown), ("pos", &pos)],
                );
            }
            Some(Base64Problem::BadLength { len }) => {
                let n = len.to_string();
                let mut f = Finding::new(
                    self.lang,
                    Code::Base64Invalid,
                    field,
                    Some([0, char_len(raw)]),
                    &[("field", field.label(self.lang)), ("count", &n)],
                );
                f.message = self.lang.fmt(
                    "code.base64.invalid.message_length",
                    &[("field", field.label(self.lang)), ("count", &n)],
                );
                self.findings.push(f);
            }
            None => {}
        }
        self.strict[idx] = unchanged;
        self.detail.decoded_len[idx] = bytes.as_ref().map(Vec::len);
        if !self.lean {
            self.detail.normalized[idx] = Some(if unchanged { raw.to_string() } else { text });
        }
        bytes
    }
}

/// A `wx.login` code: 32 alphanumerics, which decode to 24 bytes instead of a 16-byte key.
pub fn looks_like_login_code(raw: &str) -> bool {
    let t = raw.trim().trim_matches(|c| c == '"' || c == '\'');
    t.len() == 32 && t.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Inspects the four pasted strings. Never panics, whatever the input.
pub fn inspect(input: &Input, opts: &Options) -> Report {
    inspect_fields(
        &input.appid,
        &input.session_key,
        &input.iv,
        &input.encrypted_data,
        opts,
    )
}

/// [`inspect`] on borrowed fields (the batch path avoids copying them).
pub fn inspect_fields(
    appid_raw: &str,
    key_raw: &str,
    iv_raw: &str,
    data_raw: &str,
    opts: &Options,
) -> Report {
    let mut cx = Ctx {
        lang: opts.lang,
        lean: opts.lean,
        strict: [false; 4],
        data_origin: Vec::new(),
        findings: Vec::new(),
        repairs: Vec::new(),
        detail: Detail::default(),
    };
    let appid = appid_raw
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .trim();
    if !opts.lean {
        cx.detail.normalized[0] = Some(appid.to_string());
    }

    let mut key = cx.decode(Field::SessionKey, key_raw, LenRule::Block);
    let mut iv = cx.decode(Field::Iv, iv_raw, LenRule::Block);
    let mut data = cx.decode(Field::EncryptedData, data_raw, LenRule::Blocks);

    // iv and encryptedData pasted into each other's fields.
    if let (Some(i), Some(d)) = (&iv, &data)
        && i.len() != BLOCK
        && i.len() > BLOCK
        && i.len() % BLOCK == 0
        && d.len() == BLOCK
    {
        cx.push(
            Code::InputSwapped,
            Field::Iv,
            Some([0, char_len(iv_raw)]),
            &[("other", Field::EncryptedData.label(opts.lang))],
        );
        std::mem::swap(&mut iv, &mut data);
    }

    if let Some(k) = &key
        && k.len() != BLOCK
    {
        let n = k.len().to_string();
        let span = Some([0, char_len(key_raw)]);
        if looks_like_login_code(key_raw) {
            cx.push(
                Code::InputLooksLikeCode,
                Field::SessionKey,
                span,
                &[("bytes", &n)],
            );
        } else {
            cx.push(Code::KeyLength, Field::SessionKey, span, &[("bytes", &n)]);
        }
        key = None;
    }
    if let Some(i) = &iv
        && i.len() != BLOCK
    {
        let n = i.len().to_string();
        cx.push(
            Code::IvLength,
            Field::Iv,
            Some([0, char_len(iv_raw)]),
            &[("bytes", &n)],
        );
        iv = None;
    }
    let mut partial = false;
    if let Some(d) = &data
        && (d.is_empty() || d.len() % BLOCK != 0)
    {
        let n = d.len().to_string();
        let rem = (d.len() % BLOCK).to_string();
        cx.push(
            Code::DataLength,
            Field::EncryptedData,
            Some([0, char_len(data_raw)]),
            &[("bytes", &n), ("extra", &rem)],
        );
        partial = true;
        if d.len() < BLOCK {
            data = None;
        }
    }

    let mut result = Decrypted::default();
    if let (Some(k), Some(i), Some(d)) = (&key, &iv, &data) {
        result = decrypt_and_diagnose(&mut cx, k, i, d, partial, data_raw);
        cx.detail.ciphertext = data.take().unwrap_or_default();
    }

    let mut report = Report {
        ok: false,
        kind: None,
        official_code: 0,
        plaintext: None,
        data: None,
        watermark: None,
        findings: Vec::new(),
        repairs: Vec::new(),
        suggested_iv: result.suggested_iv,
        detail: Detail::default(),
        plaintext_is_object: false,
    };
    if let Some(text) = result.text {
        let interp = interpret::interpret(
            &text,
            appid,
            opts.now,
            opts.lang,
            !opts.lean,
            &mut cx.findings,
        );
        report.plaintext_is_object = interp.is_object;
        report.kind = Some(interp.kind);
        report.data = interp.data;
        report.watermark = interp.watermark;
        report.plaintext = Some(text);
    }
    // Root causes first, then symptoms; within a severity, discovery order.
    cx.findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    report.official_code = official_code(
        appid,
        key_raw,
        iv_raw,
        cx.strict,
        &cx.findings,
        cx.detail.decryption == Decryption::AsGiven && report.plaintext.is_some(),
    );
    report.ok =
        report.plaintext.is_some() && !cx.findings.iter().any(|f| f.severity == Severity::Error);
    report.findings = cx.findings;
    report.repairs = cx.repairs;
    report.detail = cx.detail;
    report
}

#[derive(Default)]
struct Decrypted {
    /// The text to interpret (from whichever decryption worked).
    text: Option<String>,
    suggested_iv: Option<String>,
}

fn decrypt_and_diagnose(
    cx: &mut Ctx,
    key: &[u8],
    iv: &[u8],
    data: &[u8],
    partial: bool,
    data_raw: &str,
) -> Decrypted {
    let Some(mut plain) = cipher::decrypt_raw(key, iv, data) else {
        return Decrypted::default();
    };
    // The batch hot path: clean text is taken over without a copy or a second UTF-8 pass.
    if cx.lean
        && !partial
        && plain.first() == Some(&b'{')
        && let Padding::Valid { len } = cipher::check_pkcs7(&plain)
        // A fold, not `any`: it vectorizes, and clean text has to be read to the end anyway.
        && !plain[..plain.len() - len]
            .iter()
            .fold(false, |bad, &b| bad | diagnose::is_control(b))
    {
        let full = plain.len();
        plain.truncate(full - len);
        match String::from_utf8(plain) {
            Ok(text) => {
                cx.detail.padding = Some(Padding::Valid { len });
                cx.detail.decryption = Decryption::AsGiven;
                return Decrypted {
                    text: Some(text),
                    suggested_iv: None,
                };
            }
            Err(e) => {
                // Not UTF-8 after all: restore the padding and take the full path.
                plain = e.into_bytes();
                plain.resize(full, len as u8);
            }
        }
    }
    let mut outcome = diagnose::classify(&plain, partial);
    // A wrong iv can leave a printable first block (rare with random ivs): a payload whose fixed
    // first block is recognisable from the rest, but which does not start with it, is an iv mismatch.
    if matches!(outcome, Outcome::Clean { .. })
        && plain.first() != Some(&b'{')
        && diagnose::recover_iv(&plain, iv).is_some()
    {
        outcome = Outcome::IvMismatch;
    }
    let padding = cipher::check_pkcs7(&plain);
    cx.detail.padding = Some(padding);
    // Valid padding bytes are control bytes by design: judge the text before them.
    if !cx.lean || !matches!(outcome, Outcome::Clean { .. }) {
        cx.detail.text_blocks = match padding {
            Padding::Valid { len } => {
                let mut blocks = diagnose::text_blocks(&plain[..plain.len() - len]);
                if len == BLOCK {
                    blocks.push(true);
                }
                blocks
            }
            Padding::Invalid { .. } => diagnose::text_blocks(&plain),
        };
    }
    let mut out = Decrypted::default();
    match outcome {
        Outcome::Clean { pad_len } => {
            cx.detail.decryption = Decryption::AsGiven;
            out.text = String::from_utf8(plain[..plain.len() - pad_len].to_vec()).ok();
        }
        Outcome::Truncated => {
            let n = data.len().to_string();
            cx.push(
                Code::DataTruncated,
                Field::EncryptedData,
                Some([char_len(data_raw), char_len(data_raw)]),
                &[("bytes", &n)],
            );
            cx.detail.decryption = Decryption::AsGiven;
        }
        Outcome::NotUtf8 { at } => {
            let hex = plain
                .get(at..(at + 4).min(plain.len()))
                .map(hex_bytes)
                .unwrap_or_default();
            cx.push(
                Code::PlaintextNotUtf8,
                Field::Plaintext,
                Some([at, (at + 1).min(plain.len())]),
                &[("offset", &at.to_string()), ("bytes", &hex)],
            );
            cx.detail.decryption = Decryption::AsGiven;
        }
        Outcome::IvMismatch => {
            let recovered = diagnose::recover_iv(&plain, iv);
            let suggested = recovered.map(|(good, _)| normalize::encode(&good));
            let shown = suggested.clone().unwrap_or_else(|| "-".into());
            cx.push(Code::IvMismatch, Field::Iv, None, &[("suggested", &shown)]);
            if let Some((_, prefix)) = recovered {
                let mut fixed = prefix.as_bytes().to_vec();
                fixed.extend_from_slice(&plain[BLOCK..]);
                if let Padding::Valid { len } = cipher::check_pkcs7(&fixed) {
                    fixed.truncate(fixed.len() - len);
                    out.text = String::from_utf8(fixed).ok();
                    cx.detail.decryption = Decryption::SuggestedIv;
                }
                out.suggested_iv = suggested;
            }
        }
        Outcome::Corrupted { block } => {
            let start_byte = block * BLOCK;
            let (s, e) = (start_byte * 4 / 3, ((start_byte + BLOCK) * 4).div_ceil(3));
            let span = paste_span(&cx.data_origin, data_raw, s, e);
            cx.push(
                Code::DataCorrupted,
                Field::EncryptedData,
                span,
                &[
                    ("block", &block.to_string()),
                    ("byte", &start_byte.to_string()),
                ],
            );
        }
        Outcome::KeyMismatch => {
            // Before blaming the key: were session_key and iv pasted into each other's fields?
            if let Some(swapped) = cipher::decrypt_raw(iv, key, data)
                && let Outcome::Clean { pad_len } = diagnose::classify(&swapped, partial)
            {
                cx.push(
                    Code::InputSwapped,
                    Field::SessionKey,
                    None,
                    &[("other", Field::Iv.label(cx.lang))],
                );
                cx.detail.decryption = Decryption::Swapped;
                out.text = String::from_utf8(swapped[..swapped.len() - pad_len].to_vec()).ok();
            } else {
                let blocks = cx.detail.text_blocks.len().to_string();
                cx.push(
                    Code::KeyMismatch,
                    Field::SessionKey,
                    None,
                    &[("blocks", &blocks)],
                );
            }
        }
    }
    if let Padding::Invalid { claimed, start } = padding
        && !matches!(outcome, Outcome::Clean { .. })
        && !partial
    {
        let tail = &plain[start..];
        cx.push(
            Code::PaddingInvalid,
            Field::Plaintext,
            Some([start, plain.len()]),
            &[
                ("bytes", &hex_bytes(tail)),
                ("claimed", &claimed.to_string()),
            ],
        );
    }
    cx.detail.decrypted = plain;
    out
}

/// Maps a char range `[s, e)` of the normalized encryptedData back to the paste.
fn paste_span(origin: &[usize], data_raw: &str, s: usize, e: usize) -> Option<Span> {
    let n = char_len(data_raw);
    if origin.is_empty() {
        return Some([s.min(n), e.min(n)]);
    }
    let start = origin.get(s).copied().unwrap_or(n);
    let end = origin
        .get(e.saturating_sub(1))
        .map(|i| i + 1)
        .unwrap_or(n)
        .max(start);
    Some([start, end])
}

/// Space-separated lowercase hex.
pub fn hex_bytes(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 3);
    for (i, x) in b.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&format!("{x:02x}"));
    }
    s
}

/// What the official WXBizDataCrypt samples (PHP/Python/Java/C#) return for the inputs as given.
fn official_code(
    appid: &str,
    key_raw: &str,
    iv_raw: &str,
    strict: [bool; 4],
    findings: &[Finding],
    decrypted_as_given: bool,
) -> i32 {
    if key_raw.len() != 24 {
        return official::ILLEGAL_AES_KEY;
    }
    if iv_raw.len() != 24 {
        return official::ILLEGAL_IV;
    }
    // Repairs are ours: the samples decode the strings as given, strictly.
    if !(strict[1] && strict[2] && strict[3]) {
        return official::DECODE_BASE64_ERROR;
    }
    let bad = |c: Code| findings.iter().any(|f| f.code == c);
    if !decrypted_as_given
        || bad(Code::PlaintextNotJson)
        || bad(Code::DataLength)
        || bad(Code::PaddingInvalid)
        || bad(Code::WatermarkMissing) && !appid.is_empty()
        || bad(Code::WatermarkAppidMismatch)
    {
        return official::ILLEGAL_BUFFER;
    }
    official::OK
}
