//! The other way round: an error message from a backend's log ("Given final block not properly
//! padded", "bad decrypt", `-41003`, "Incorrect padding", …) → what it means and the findings that
//! cause it, most likely first. The table names which stack writes each text; matching is by
//! case-insensitive substring, so a whole log line or stack trace can be pasted.

use serde::Serialize;

use crate::finding::Code;
use crate::i18n::Lang;

/// What a failing backend ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Symptom {
    /// The padding check after decryption failed.
    BadPadding,
    /// The ciphertext is not whole 16-byte blocks.
    BlockLength,
    /// The key does not decode to 16 (or 24/32) bytes.
    KeyLength,
    /// The iv does not decode to 16 bytes.
    IvLength,
    /// The base64 text does not decode.
    Base64,
    /// Decrypted bytes that are not UTF-8 text.
    NotText,
    /// Decrypted text that does not parse as JSON.
    NotJson,
    /// JSON without `watermark.appid`.
    NoWatermark,
    /// The samples' catch-all: one of padding, JSON or the appid check failed.
    IllegalBuffer,
    /// An error answer of a WeChat server API (`{"errcode": …}`): its cause is the errcode's.
    ServerAnswer,
    /// A getPhoneNumber code (64 hex digits) given where open data or a login code was expected.
    PhoneCode,
    /// A wx.login code (32 letters and digits) given where a session_key was expected.
    LoginCode,
}

impl Symptom {
    /// The findings that lead to this symptom, the most common first.
    pub fn causes(self) -> &'static [Code] {
        use Code::*;
        match self {
            Symptom::BadPadding => &[
                KeyMismatch,
                DataTruncated,
                DataCorrupted,
                RepairPlusAsSpace,
                RepairUrlSafe,
                RepairPercentEncoding,
            ],
            Symptom::BlockLength => &[
                DataTruncated,
                DataLength,
                RepairPlusAsSpace,
                RepairPercentEncoding,
                RepairWhitespace,
                Base64Invalid,
            ],
            Symptom::KeyLength => &[
                KeyLength,
                InputLooksLikeCode,
                RepairHex,
                InputSwapped,
                RepairPlusAsSpace,
            ],
            Symptom::IvLength => &[IvLength, InputSwapped, RepairPlusAsSpace, RepairPadding],
            Symptom::Base64 => &[
                Base64Invalid,
                RepairPlusAsSpace,
                RepairPercentEncoding,
                RepairUrlSafe,
                RepairWhitespace,
                RepairJsonEscape,
                RepairQuotes,
                RepairPadding,
            ],
            Symptom::NotText => &[KeyMismatch, IvMismatch, DataCorrupted, PlaintextNotUtf8],
            Symptom::NotJson => &[
                IvMismatch,
                KeyMismatch,
                PlaintextInvalidJson,
                PlaintextNotJson,
                DataCorrupted,
            ],
            Symptom::NoWatermark => &[WatermarkMissing, PlaintextNotJson],
            Symptom::IllegalBuffer => &[
                KeyMismatch,
                IvMismatch,
                WatermarkAppidMismatch,
                DataTruncated,
                DataCorrupted,
                RepairPlusAsSpace,
                PlaintextInvalidJson,
            ],
            // The errcode names its one cause (see `explain`).
            Symptom::ServerAnswer => &[],
            Symptom::PhoneCode => &[InputPhoneCode],
            Symptom::LoginCode => &[InputLooksLikeCode],
        }
    }

    /// Catalogue key of what the symptom means.
    pub fn meaning_key(self) -> &'static str {
        match self {
            Symptom::BadPadding => "explain.bad_padding",
            Symptom::BlockLength => "explain.block_length",
            Symptom::KeyLength => "explain.key_length",
            Symptom::IvLength => "explain.iv_length",
            Symptom::Base64 => "explain.base64",
            Symptom::NotText => "explain.not_text",
            Symptom::NotJson => "explain.not_json",
            Symptom::NoWatermark => "explain.no_watermark",
            Symptom::IllegalBuffer => "explain.illegal_buffer",
            Symptom::ServerAnswer => "explain.server_answer",
            Symptom::PhoneCode => "explain.phone_code",
            Symptom::LoginCode => "explain.login_code",
        }
    }
}

/// A known error text: what to look for (lower case), who writes it, what it means.
struct Known {
    needle: &'static str,
    said_by: &'static str,
    symptom: Symptom,
}

const fn k(needle: &'static str, said_by: &'static str, symptom: Symptom) -> Known {
    Known {
        needle,
        said_by,
        symptom,
    }
}

use Symptom::*;

/// The texts, most specific first (an earlier match hides a later one of the same symptom).
const KNOWN: &[Known] = &[
    k(
        "given final block not properly padded",
        "Java (JCE)",
        BadPadding,
    ),
    k("badpaddingexception", "Java (JCE)", BadPadding),
    k(
        "pad block corrupted",
        "Java / C# (BouncyCastle)",
        BadPadding,
    ),
    k(
        "bad decrypt",
        "OpenSSL (PHP openssl_decrypt, Node.js crypto, Ruby)",
        BadPadding,
    ),
    k("invalid padding bytes", "Python (cryptography)", BadPadding),
    k(
        "padding is incorrect",
        "Python (pycryptodome unpad)",
        BadPadding,
    ),
    k(
        "padding is invalid and cannot be removed",
        "C# (.NET)",
        BadPadding,
    ),
    k("cipher: message authentication failed", "Go", BadPadding),
    k("crypto/cipher: invalid padding", "Go", BadPadding),
    k("unpad error", "Rust (block-padding)", BadPadding),
    k(
        "input length must be multiple of 16",
        "Java (JCE)",
        BlockLength,
    ),
    k("illegalblocksizeexception", "Java (JCE)", BlockLength),
    k(
        "last block incomplete in decryption",
        "Java / C# (BouncyCastle)",
        BlockLength,
    ),
    k(
        "wrong final block length",
        "OpenSSL (PHP, Node.js crypto)",
        BlockLength,
    ),
    k(
        "data must be padded to 16 byte boundary",
        "Python (pycryptodome)",
        BlockLength,
    ),
    k(
        "not a multiple of the block length",
        "Python (cryptography)",
        BlockLength,
    ),
    k("input not full blocks", "Go (crypto/cipher)", BlockLength),
    k(
        "the input data is not a complete block",
        "C# (.NET)",
        BlockLength,
    ),
    k("invalid aes key length", "Java (JCE)", KeyLength),
    k(
        "incorrect aes key length",
        "Python (pycryptodome)",
        KeyLength,
    ),
    k("invalid key size", "Python (cryptography)", KeyLength),
    k("invalid key length", "Node.js crypto", KeyLength),
    k("err_crypto_invalid_keylen", "Node.js crypto", KeyLength),
    k(
        "key length not 128/192/256 bits",
        "Java / C# (BouncyCastle)",
        KeyLength,
    ),
    k("crypto/aes: invalid key size", "Go", KeyLength),
    k("-41001", "WXBizDataCrypt (IllegalAesKey)", KeyLength),
    k("illegalaeskey", "WXBizDataCrypt (IllegalAesKey)", KeyLength),
    k("wrong iv length", "Java (JCE)", IvLength),
    k("incorrect iv length", "Python (pycryptodome)", IvLength),
    k("invalid iv size", "Python (cryptography)", IvLength),
    k("invalid initialization vector", "Node.js crypto", IvLength),
    k("invalid iv length", "Node.js crypto", IvLength),
    k(
        "iv passed is only",
        "PHP (openssl_decrypt warning)",
        IvLength,
    ),
    k(
        "initialisation vector must be the same length as block size",
        "Java / C# (BouncyCastle)",
        IvLength,
    ),
    k(
        "iv length must equal block size",
        "Go (crypto/cipher)",
        IvLength,
    ),
    k("-41002", "WXBizDataCrypt (IllegalIv)", IvLength),
    k("illegaliv", "WXBizDataCrypt (IllegalIv)", IvLength),
    k(
        "illegal base64 character",
        "Java (java.util.Base64)",
        Base64,
    ),
    k(
        "input byte array has wrong 4-byte ending unit",
        "Java (java.util.Base64)",
        Base64,
    ),
    k(
        "last unit does not have enough valid bits",
        "Java (java.util.Base64)",
        Base64,
    ),
    k(
        "input byte array has incorrect ending byte",
        "Java (java.util.Base64)",
        Base64,
    ),
    k("incorrect padding", "Python (base64 / binascii)", Base64),
    k(
        "invalid base64-encoded string",
        "Python (base64 / binascii)",
        Base64,
    ),
    k(
        "illegal base64 data at input byte",
        "Go (encoding/base64)",
        Base64,
    ),
    k(
        "not a valid base-64 string",
        "C# (Convert.FromBase64String)",
        Base64,
    ),
    k("invalid base64", "base64 decoders", Base64),
    k("-41004", "WXBizDataCrypt (DecodeBase64Error)", Base64),
    k(
        "decodebase64error",
        "WXBizDataCrypt (DecodeBase64Error)",
        Base64,
    ),
    k(
        "codec can't decode",
        "Python (json.loads on the decrypted bytes)",
        NotText,
    ),
    k("unicodedecodeerror", "Python", NotText),
    k("malformed input", "Java (charset decoder)", NotText),
    k("invalid utf-8", "JSON parsers", NotText),
    k("is not valid json", "Node.js (JSON.parse)", NotJson),
    k("unexpected token", "JavaScript (JSON.parse)", NotJson),
    k(
        "unexpected end of json input",
        "JavaScript (JSON.parse)",
        NotJson,
    ),
    k("expecting value", "Python (json)", NotJson),
    k("jsondecodeerror", "Python (json)", NotJson),
    k("invalid control character", "Python (json)", NotJson),
    k("malformedjsonexception", "Java (Gson)", NotJson),
    k("jsonparseexception", "Java (Jackson)", NotJson),
    k("unexpected character", "Java (Jackson) / fastjson", NotJson),
    k("syntax error", "PHP (json_last_error_msg)", NotJson),
    k(
        "control character error",
        "PHP (json_last_error_msg)",
        NotJson,
    ),
    k("invalid character", "Go (encoding/json)", NotJson),
    k(
        "reading 'appid'",
        "Node.js sample (decoded.watermark.appid)",
        NoWatermark,
    ),
    k("'watermark'", "Python sample (KeyError)", NoWatermark),
    k("property \"appid\"", "PHP sample (warning)", NoWatermark),
    k("property 'appid'", "PHP sample (warning)", NoWatermark),
    k("-41003", "WXBizDataCrypt (IllegalBuffer)", IllegalBuffer),
    k(
        "illegalbuffer",
        "WXBizDataCrypt (IllegalBuffer)",
        IllegalBuffer,
    ),
    k(
        "illegal buffer",
        "WXBizDataCrypt (Node.js sample)",
        IllegalBuffer,
    ),
    k(
        "invalid buffer",
        "WXBizDataCrypt (Python sample)",
        IllegalBuffer,
    ),
];

/// The most text looked at (a pasted log is cut here).
pub const MAX_TEXT: usize = 64 * 1024;

/// One symptom recognised in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    pub symptom: Symptom,
    /// Which stacks write the texts found.
    pub said_by: Vec<&'static str>,
    /// What the symptom means, in the language asked for.
    pub meaning: String,
    /// The findings that cause it, most likely first.
    pub causes: Vec<Cause>,
}

/// A possible cause, as the finding catalogue describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    pub code: Code,
    pub title: String,
    pub cause: String,
    pub hint: String,
}

/// The causes of a symptom, as the finding catalogue words them.
fn causes_of(symptom: Symptom, lang: Lang) -> Vec<Cause> {
    symptom
        .causes()
        .iter()
        .map(|&code| Cause {
            code,
            title: lang.tr(code.title_key()).to_string(),
            cause: lang.tr(code.cause_key()).to_string(),
            hint: lang.fmt(
                code.hint_key(),
                &[
                    ("field", lang.tr("explain.field")),
                    ("other", lang.tr("explain.other_field")),
                ],
            ),
        })
        .collect()
}

/// The symptoms `text` names, in the table's order; empty when none is known.
pub fn explain(text: &str, lang: Lang) -> Vec<Match> {
    let cut = text
        .char_indices()
        .nth(MAX_TEXT)
        .map_or(text, |(i, _)| &text[..i]);
    let lower = cut.to_lowercase();
    let mut out: Vec<Match> = Vec::new();
    for known in KNOWN.iter().filter(|k| lower.contains(k.needle)) {
        match out.iter_mut().find(|m| m.symptom == known.symptom) {
            Some(m) => {
                if !m.said_by.contains(&known.said_by) {
                    m.said_by.push(known.said_by);
                }
            }
            None => out.push(Match {
                symptom: known.symptom,
                said_by: vec![known.said_by],
                meaning: lang.tr(known.symptom.meaning_key()).to_string(),
                causes: causes_of(known.symptom, lang),
            }),
        }
    }
    // A WeChat server's error answer names its cause; a code alone is told by its shape.
    if let Some(e) = crate::server::find_error(cut) {
        let f = e.finding(lang);
        out.push(Match {
            symptom: ServerAnswer,
            said_by: vec!["WeChat server API"],
            meaning: f.message,
            causes: vec![Cause {
                code: e.code,
                title: lang.tr(e.code.title_key()).to_string(),
                cause: lang.tr(e.code.cause_key()).to_string(),
                hint: f.hint,
            }],
        });
    } else if let Some(shape) = crate::server::code_shape(cut) {
        let symptom = match shape {
            crate::server::CodeShape::Phone => PhoneCode,
            crate::server::CodeShape::Login => LoginCode,
        };
        out.push(Match {
            symptom,
            said_by: vec!["WeChat (wx.login / getPhoneNumber)"],
            meaning: lang.tr(symptom.meaning_key()).to_string(),
            causes: causes_of(symptom, lang),
        });
    }
    // The catch-all says least: it goes last when something more precise was found too.
    if out.len() > 1 {
        out.sort_by_key(|m| m.symptom == IllegalBuffer);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn symptoms(text: &str) -> Vec<Symptom> {
        explain(text, Lang::En).iter().map(|m| m.symptom).collect()
    }

    #[test]
    fn stacks_texts_are_recognised() {
        assert_eq!(
            symptoms(
                "javax.crypto.BadPaddingException: Given final block not properly padded. Such issues can arise if a bad key is used during decryption."
            ),
            [BadPadding]
        );
        assert_eq!(
            symptoms("error:1C800064:Provider routines::bad decrypt"),
            [BadPadding]
        );
        assert_eq!(
            symptoms("ValueError: Incorrect AES key length (18 bytes)"),
            [KeyLength]
        );
        assert_eq!(symptoms("binascii.Error: Incorrect padding"), [Base64]);
        assert_eq!(symptoms("decryptData returned -41003"), [IllegalBuffer]);
        assert_eq!(
            symptoms("Error: Illegal Buffer\n  caused by: wrong final block length"),
            [BlockLength, IllegalBuffer]
        );
        assert_eq!(
            symptoms("TypeError: Cannot read properties of undefined (reading 'appid')"),
            [NoWatermark]
        );
        assert!(symptoms("everything is fine").is_empty());
        assert_eq!(
            symptoms(r#"code2session failed: {"errcode":40163,"errmsg":"code been used"}"#),
            [ServerAnswer]
        );
        assert_eq!(
            symptoms("e31968a7f94cc5ee25fafc2aef2773f0bb8c3937b22520eb8ee345274d00c144"),
            [PhoneCode]
        );
    }

    #[test]
    fn a_server_answer_names_the_errcodes_cause() {
        let m = explain(
            r#"{"errcode":87009,"errmsg":"invalid signature"}"#,
            Lang::En,
        );
        assert_eq!(m[0].causes.len(), 1);
        assert_eq!(m[0].causes[0].code, Code::ServerInvalidSignature);
        assert!(m[0].meaning.contains("87009"), "{}", m[0].meaning);
    }

    #[test]
    fn causes_come_from_the_catalogue() {
        let m = explain("pad block corrupted", Lang::ZhCn);
        let first = m.first().and_then(|m| m.causes.first()).expect("a cause");
        assert_eq!(first.code, Code::KeyMismatch);
        assert_eq!(first.title, Lang::ZhCn.tr(Code::KeyMismatch.title_key()));
        assert_eq!(m[0].said_by, ["Java / C# (BouncyCastle)"]);
    }
}
