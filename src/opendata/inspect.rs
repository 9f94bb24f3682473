//! The inspection pipeline: normalize → decode → decrypt → diagnose → interpret → report.

use crate::finding::{Code, Field, Finding, Repair, Severity, Span};
use crate::i18n::Lang;
use crate::opendata::cipher::{self, BLOCK, Padding};
use crate::opendata::diagnose::{self, Outcome};
use crate::opendata::framed;
use crate::opendata::interpret;
use crate::opendata::normalize::{self, LenRule};
use crate::opendata::official;
use crate::opendata::which::Which;
use crate::opendata::{Decryption, Detail, Input, Options, Report};
use crate::platform::{Cipher, Platform, alipay, baidu};

fn char_len(s: &str) -> usize {
    s.chars().count()
}

pub(super) struct Ctx {
    pub(super) lang: Lang,
    lean: bool,
    /// Paste offsets of the normalized encryptedData chars (empty: identity).
    data_origin: Vec<usize>,
    findings: Vec<Finding>,
    repairs: Vec<Repair>,
    pub(super) detail: Detail,
    /// Whether key, iv and data are the fields as received, in canonical base64 (every sample's
    /// decoder reads the same bytes from them) and in their own places.
    as_received: bool,
}

impl Ctx {
    pub(super) fn findings_mut(&mut self) -> &mut [Finding] {
        &mut self.findings
    }

    pub(super) fn push(
        &mut self,
        code: Code,
        field: Field,
        span: Option<Span>,
        args: &[(&str, &str)],
    ) {
        self.findings
            .push(Finding::new(self.lang, code, field, span, args));
    }

    /// `plaintext.not_utf8` at byte `at` of `plain`.
    pub(super) fn push_not_utf8(&mut self, plain: &[u8], at: usize) {
        let hex = plain
            .get(at..(at + 4).min(plain.len()))
            .map(hex_bytes)
            .unwrap_or_default();
        self.push(
            Code::PlaintextNotUtf8,
            Field::Plaintext,
            Some([at, (at + 1).min(plain.len())]),
            &[("offset", &at.to_string()), ("bytes", &hex)],
        );
        self.detail.decryption = Decryption::AsGiven;
    }

    /// `key.mismatch`: every decrypted block is noise.
    pub(super) fn push_key_mismatch(&mut self) {
        let blocks = self.detail.text_blocks.len().to_string();
        self.push(
            Code::KeyMismatch,
            Field::SessionKey,
            None,
            &[("blocks", &blocks)],
        );
    }

    /// `data.truncated`: `bytes` bytes of data that end before the padding, pointed at the
    /// paste's end.
    pub(super) fn push_truncated(&mut self, bytes: usize, data_raw: &str) {
        let end = char_len(data_raw);
        self.push(
            Code::DataTruncated,
            Field::EncryptedData,
            Some([end, end]),
            &[("bytes", &bytes.to_string())],
        );
    }

    /// Whether a finding with `code` was made.
    pub(super) fn has(&self, code: Code) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }

    /// `data.corrupted` at ciphertext block `block`, pointed at its base64 in the paste.
    pub(super) fn push_corrupted(&mut self, block: usize, data_raw: &str) {
        let start_byte = block * BLOCK;
        let (s, e) = (start_byte * 4 / 3, ((start_byte + BLOCK) * 4).div_ceil(3));
        let span = paste_span(&self.data_origin, data_raw, s, e);
        self.push(
            Code::DataCorrupted,
            Field::EncryptedData,
            span,
            &[
                ("block", &block.to_string()),
                ("byte", &start_byte.to_string()),
            ],
        );
    }

    /// Normalizes and decodes one base64 field, recording repairs and decode errors.
    fn decode(&mut self, field: Field, raw: &str, rule: LenRule) -> Option<Vec<u8>> {
        let d = normalize::decode_field(
            self.lang,
            field,
            raw,
            rule,
            &mut self.findings,
            &mut self.repairs,
        );
        if raw.chars().all(char::is_whitespace) {
            return None;
        }
        let idx = field.index().unwrap_or(3);
        self.detail.decoded_len[idx] = d.bytes.as_ref().map(Vec::len);
        self.as_received &= d.unchanged && d.bytes.is_some();
        if !self.lean {
            self.detail.normalized[idx] = Some(d.text_of(raw).to_string());
        }
        if field == Field::EncryptedData {
            self.data_origin = d.origin;
        }
        d.bytes
    }
}

/// A `wx.login` code: 32 alphanumerics, which decode to 24 bytes instead of a 16-byte key.
pub fn looks_like_login_code(raw: &str) -> bool {
    let t = raw.trim().trim_matches(|c| c == '"' || c == '\'');
    t.len() == 32 && t.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Inspects the four pasted strings, as a payload of `opts.platform` (detected when `None`).
/// Never panics, whatever the input.
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
        data_origin: Vec::new(),
        findings: Vec::new(),
        repairs: Vec::new(),
        detail: Detail::default(),
        as_received: true,
    };
    let appid = appid_raw
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .trim();
    if !opts.lean {
        cx.detail.normalized[0] = Some(appid.to_string());
    }

    // Alipay: my.getPhoneNumber's whole answer pasted as the data (findings point into it).
    let answer = alipay::response_of(data_raw);
    let mut which = Which::new(opts.platform, appid, answer.is_some());
    let (data_raw, data_shift) = match &answer {
        Some((response, at)) if which.platform == Platform::Alipay => (response.as_str(), *at),
        _ => (data_raw, 0),
    };

    which.by_trial(key_raw, iv_raw, data_raw);
    let key_rule = match which.platform {
        Platform::Baidu => LenRule::Exact(baidu::KEY_BYTES),
        _ => LenRule::Block,
    };
    let mut key = cx.decode(Field::SessionKey, key_raw, key_rule);
    let mut iv = match which.platform.sends_iv() {
        true => cx.decode(Field::Iv, iv_raw, LenRule::Block),
        false => Some(alipay::IV.to_vec()),
    };
    let mut data = cx.decode(Field::EncryptedData, data_raw, LenRule::Blocks);
    which.by_key_length(key.as_deref(), key_raw);

    let partial = check_lengths(
        &mut cx,
        which.platform.key_lengths(),
        [&mut key, &mut iv, &mut data],
        [key_raw, iv_raw, data_raw],
    );

    let mut result = Decrypted::default();
    if let (Some(k), Some(i), Some(d)) = (&key, &iv, &data) {
        result = match which.platform.cipher() {
            Cipher::Baidu => framed::decrypt(&mut cx, k, i, d, appid, data_raw),
            Cipher::Cbc128 | Cipher::Alipay => {
                decrypt_and_diagnose(&mut cx, k, i, d, partial, data_raw)
            }
        };
        cx.detail.ciphertext = data.take().unwrap_or_default();
    }

    let mut report = Report {
        ok: false,
        kind: None,
        official_code: 0,
        official: Default::default(),
        plaintext: None,
        data: None,
        watermark: None,
        findings: Vec::new(),
        repairs: Vec::new(),
        suggested_iv: result.suggested_iv,
        detail: Detail::default(),
        plaintext_is_object: false,
        platform: Platform::Wechat,
    };
    if let Some(text) = result.text {
        let read = |platform: Platform, findings: &mut Vec<Finding>| {
            let rule = platform.watermark();
            interpret::interpret(
                &text, appid, rule, opts.now, opts.lang, !opts.lean, findings,
            )
        };
        let before = cx.findings.len();
        let mut interp = read(which.platform, &mut cx.findings);
        // A watermark spelled as another platform's: read again as that one's (rare: Xiaohongshu
        // undetected by anything else), the first reading's findings dropped.
        if which.by_watermark(interp.watermark_spelling) {
            cx.findings.truncate(before);
            interp = read(which.platform, &mut cx.findings);
        }
        report.plaintext_is_object = interp.is_object;
        report.kind = Some(interp.kind);
        report.data = interp.data;
        report.watermark = interp.watermark;
        if which.platform == Platform::Alipay {
            alipay::check_answer(&text, cx.lang, &mut cx.findings);
        }
        report.plaintext = Some(text);
    }
    which.finish(&mut cx, data_shift);
    // Root causes first, then symptoms; within a severity, discovery order.
    cx.findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    // What the backend's own code says, from the strings as received (our repairs do not apply).
    // When every sample reads them as we did, only the appid comparison is left to make.
    let clean = cx.as_received
        && !partial
        && cx.detail.decryption == Decryption::AsGiven
        && matches!(cx.detail.padding, Some(Padding::Valid { .. }));
    report.official = match report.watermark.as_ref().and_then(|w| w.appid.as_deref()) {
        Some(seen) if clean && report.plaintext_is_object => {
            official::samples_of_clean(appid, seen)
        }
        _ => official::samples(appid, key_raw, iv_raw, data_raw),
    };
    report.official_code = report.official.php.code.unwrap_or(official::ILLEGAL_BUFFER);
    report.ok =
        report.plaintext.is_some() && !cx.findings.iter().any(|f| f.severity == Severity::Error);
    report.platform = which.platform;
    cx.detail.chosen_platform = opts.platform;
    report.findings = cx.findings;
    report.repairs = cx.repairs;
    report.detail = cx.detail;
    report
}

/// Checks the decoded lengths (16-byte key and iv, whole blocks of data) and notices iv and data
/// pasted into each other's fields. Fields that cannot be used are set to `None`; returns whether
/// the data is partial (not whole blocks).
fn check_lengths(
    cx: &mut Ctx,
    key_lengths: &[usize],
    [key, iv, data]: [&mut Option<Vec<u8>>; 3],
    [key_raw, iv_raw, data_raw]: [&str; 3],
) -> bool {
    // iv and encryptedData pasted into each other's fields.
    if let (Some(i), Some(d)) = (&*iv, &*data)
        && i.len() != BLOCK
        && i.len() > BLOCK
        && i.len() % BLOCK == 0
        && d.len() == BLOCK
    {
        cx.push(
            Code::InputSwapped,
            Field::Iv,
            Some([0, char_len(iv_raw)]),
            &[("other", Field::EncryptedData.label(cx.lang))],
        );
        std::mem::swap(iv, data);
        cx.as_received = false;
    }

    if let Some(k) = key
        && !key_lengths.contains(&k.len())
    {
        let n = k.len().to_string();
        let span = Some([0, char_len(key_raw)]);
        if crate::server::code_shape(key_raw) == Some(crate::server::CodeShape::Phone) {
            cx.push(Code::InputPhoneCode, Field::SessionKey, span, &[]);
        } else if looks_like_login_code(key_raw) {
            cx.push(
                Code::InputLooksLikeCode,
                Field::SessionKey,
                span,
                &[("bytes", &n)],
            );
        } else {
            cx.push(Code::KeyLength, Field::SessionKey, span, &[("bytes", &n)]);
        }
        *key = None;
    }
    if let Some(i) = iv
        && i.len() != BLOCK
    {
        let n = i.len().to_string();
        cx.push(
            Code::IvLength,
            Field::Iv,
            Some([0, char_len(iv_raw)]),
            &[("bytes", &n)],
        );
        *iv = None;
    }
    // A getPhoneNumber code decodes as base64 to three blocks: it is no ciphertext.
    if data.is_some()
        && crate::server::code_shape(data_raw) == Some(crate::server::CodeShape::Phone)
    {
        cx.push(
            Code::InputPhoneCode,
            Field::EncryptedData,
            Some([0, char_len(data_raw)]),
            &[],
        );
        *data = None;
    }
    let mut partial = false;
    if let Some(d) = data
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
            *data = None;
        }
    }

    partial
}

#[derive(Default)]
pub(super) struct Decrypted {
    /// The text to interpret (from whichever decryption worked).
    pub(super) text: Option<String>,
    pub(super) suggested_iv: Option<String>,
}

fn decrypt_and_diagnose(
    cx: &mut Ctx,
    key: &[u8],
    iv: &[u8],
    data: &[u8],
    partial: bool,
    data_raw: &str,
) -> Decrypted {
    let Some(plain) = cipher::decrypt_raw(key, iv, data) else {
        return Decrypted::default();
    };
    let plain = match take_clean(cx, plain, partial) {
        Ok(clean) => return clean,
        Err(plain) => plain,
    };
    let mut outcome = diagnose::classify(&plain, partial);
    // A wrong iv can leave a printable first block (rare with random ivs): a payload whose fixed
    // first block is recognisable from the rest, which does not start with it, is not JSON as
    // given but is JSON with that first block, is an iv mismatch. (Text that decrypted right and
    // only mentions "step" and "timestamp" — JSON after a space, or not JSON at all — is not.)
    if let Outcome::Clean { pad_len } = outcome
        && plain.first() != Some(&b'{')
        && let Some((_, prefix)) = diagnose::recover_iv(&plain, iv)
        && let Some(body) = plain.get(..plain.len() - pad_len)
        && !is_json(body)
        && body.get(BLOCK..).is_some_and(|rest| {
            let mut fixed = prefix.as_bytes().to_vec();
            fixed.extend_from_slice(rest);
            is_json(&fixed)
        })
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
            cx.push_truncated(data.len(), data_raw);
            cx.detail.decryption = Decryption::AsGiven;
        }
        Outcome::NotUtf8 { at } => cx.push_not_utf8(&plain, at),
        Outcome::IvMismatch => out = explain_iv_mismatch(cx, &plain, iv),
        Outcome::Corrupted { block } => cx.push_corrupted(block, data_raw),
        Outcome::KeyMismatch => out = explain_key_mismatch(cx, key, iv, data, partial),
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

/// The batch hot path: clean text (valid padding, no control byte, UTF-8) is taken over without a
/// copy or a second UTF-8 pass. Anything else is handed back for the full diagnosis.
fn take_clean(cx: &mut Ctx, mut plain: Vec<u8>, partial: bool) -> Result<Decrypted, Vec<u8>> {
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
                return Ok(Decrypted {
                    text: Some(text),
                    suggested_iv: None,
                });
            }
            Err(e) => {
                // Not UTF-8 after all: restore the padding and take the full path.
                plain = e.into_bytes();
                plain.resize(full, len as u8);
            }
        }
    }
    Err(plain)
}

/// Whether `bytes` are one JSON value (linear; serde_json's depth limit makes deeper nesting
/// "not JSON", which only means the iv is not blamed).
fn is_json(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok()
}

/// An iv from another call: only the first block is noise. For payloads whose first block is
/// known (phone, WeRun), the right iv is computed and the data recovered.
fn explain_iv_mismatch(cx: &mut Ctx, plain: &[u8], iv: &[u8]) -> Decrypted {
    let mut out = Decrypted::default();
    let recovered = diagnose::recover_iv(plain, iv);
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
    out
}

/// Every block is noise: a stale session_key, unless session_key and iv were pasted into each
/// other's fields.
fn explain_key_mismatch(
    cx: &mut Ctx,
    key: &[u8],
    iv: &[u8],
    data: &[u8],
    partial: bool,
) -> Decrypted {
    let mut out = Decrypted::default();
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
        cx.push_key_mismatch();
    }
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
