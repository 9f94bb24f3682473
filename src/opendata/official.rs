//! The official WXBizDataCrypt error codes, and which one the official samples return.

use crate::finding::{Code, Finding};

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

/// What the official WXBizDataCrypt samples (PHP/Python/Java/C#) return for the inputs as given.
pub(crate) fn for_inputs(
    appid: &str,
    key_raw: &str,
    iv_raw: &str,
    strict: [bool; 4],
    findings: &[Finding],
    decrypted_as_given: bool,
) -> i32 {
    if key_raw.len() != 24 {
        return ILLEGAL_AES_KEY;
    }
    if iv_raw.len() != 24 {
        return ILLEGAL_IV;
    }
    // Repairs are ours: the samples decode the strings as given, strictly.
    if !(strict[1] && strict[2] && strict[3]) {
        return DECODE_BASE64_ERROR;
    }
    let bad = |c: Code| findings.iter().any(|f| f.code == c);
    if !decrypted_as_given
        || bad(Code::PlaintextNotJson)
        || bad(Code::PlaintextInvalidJson)
        || bad(Code::DataLength)
        || bad(Code::PaddingInvalid)
        || bad(Code::WatermarkMissing) && !appid.is_empty()
        || bad(Code::WatermarkAppidMismatch)
    {
        return ILLEGAL_BUFFER;
    }
    OK
}
