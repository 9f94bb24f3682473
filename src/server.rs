//! WeChat server answers and the codes the mini program hands out: an error body
//! `{"errcode": N, "errmsg": "…"}` found in any pasted text (a log line, a response) and named by
//! its errcode with the cause and the fix (`server.*` codes), and a code told apart by its shape —
//! a wx.login code (32 letters and digits, for code2Session) from a getPhoneNumber code (64 hex
//! digits, for `POST /wxa/business/getuserphonenumber`, single use, 5 minutes).

use serde_json::Value;

use crate::finding::{Code, Field, Finding};
use crate::i18n::Lang;

/// An error answer of a WeChat server API.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerError {
    pub errcode: i64,
    pub errmsg: String,
    /// The finding code that explains it.
    pub code: Code,
}

/// The finding code of an errcode: the ones backends meet with code2Session, getPhoneNumber and
/// checkSession have their own; any other is `server.error`.
pub fn code_of(errcode: i64) -> Code {
    match errcode {
        40029 => Code::ServerInvalidCode,
        40163 => Code::ServerCodeUsed,
        45011 => Code::ServerRateLimit,
        40226 => Code::ServerHighRisk,
        40013 => Code::ServerInvalidAppid,
        40001 => Code::ServerInvalidCredential,
        -1 => Code::ServerBusy,
        87009 => Code::ServerInvalidSignature,
        _ => Code::ServerError,
    }
}

/// The longest text searched for an error body.
pub const MAX_TEXT: usize = 64 * 1024;

/// The first error body (`errcode` other than 0) in `text`: the whole text as JSON, or a JSON
/// object inside it (a log line `… resp={"errcode":40029,"errmsg":"invalid code, rid: …"}`).
pub fn find_error(text: &str) -> Option<ServerError> {
    let cut = &text[..text.floor_char_boundary(MAX_TEXT)];
    let from_value = |v: &Value| {
        let errcode = v.get("errcode").and_then(|c| {
            c.as_i64()
                .or_else(|| c.as_str().and_then(|s| s.trim().parse().ok()))
        })?;
        (errcode != 0).then(|| ServerError {
            errcode,
            errmsg: v
                .get("errmsg")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            code: code_of(errcode),
        })
    };
    if let Ok(v) = serde_json::from_str::<Value>(cut.trim()) {
        return from_value(&v);
    }
    // Each `{` before an "errcode" starts a candidate object, the nearest first; the first that
    // parses is it (a few at most: the body is a small object, and the cost stays linear).
    let at = cut.find("\"errcode\"")?;
    cut[..at]
        .rmatch_indices('{')
        .take(4)
        .find_map(|(start, _)| {
            let mut de = serde_json::Deserializer::from_str(&cut[start..]).into_iter::<Value>();
            de.next().and_then(Result::ok).and_then(|v| from_value(&v))
        })
}

impl ServerError {
    /// The finding: on the field the failed call was to give (the session_key of code2Session,
    /// the signature of checkSession).
    pub fn finding(&self, lang: Lang) -> Finding {
        let field = match self.code {
            Code::ServerInvalidSignature => Field::Signature,
            _ => Field::SessionKey,
        };
        let errcode = self.errcode.to_string();
        Finding::new(
            lang,
            self.code,
            field,
            None,
            &[("errcode", &errcode), ("errmsg", &self.errmsg)],
        )
    }
}

/// What a code the mini program handed out is, by its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeShape {
    /// A wx.login code: 32 letters and digits, exchanged with code2Session.
    Login,
    /// A getPhoneNumber code (base library 2.21.2+): 64 hex digits, exchanged with
    /// `POST /wxa/business/getuserphonenumber`.
    Phone,
}

/// The shape of `text` (quotes and blanks around it ignored), if it is one of the codes.
pub fn code_shape(text: &str) -> Option<CodeShape> {
    let t = text.trim().trim_matches(|c| c == '"' || c == '\'');
    if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
        Some(CodeShape::Phone)
    } else if t.len() == 32 && t.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Some(CodeShape::Login)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_alone_or_inside_a_log_line() {
        let e = find_error(r#"{"errcode":40029,"errmsg":"invalid code, rid: 6543"}"#).unwrap();
        assert_eq!((e.errcode, e.code), (40029, Code::ServerInvalidCode));
        let e = find_error(
            r#"2026-12-02 10:00 WARN code2Session failed resp={"errcode":40163,"errmsg":"code been used, rid: 1"} uid=7"#,
        )
        .unwrap();
        assert_eq!(e.code, Code::ServerCodeUsed);
        assert_eq!(e.errmsg, "code been used, rid: 1");
        assert_eq!(
            find_error(r#"{"errcode":"-1","errmsg":"system error"}"#).map(|e| e.code),
            Some(Code::ServerBusy)
        );
        assert_eq!(
            find_error(r#"{"errcode":61451}"#).map(|e| e.code),
            Some(Code::ServerError)
        );
        assert!(find_error(r#"{"errcode":0,"errmsg":"ok"}"#).is_none());
        assert!(find_error("no errcode here {").is_none());
    }

    #[test]
    fn codes_by_shape() {
        assert_eq!(
            code_shape("e31968a7f94cc5ee25fafc2aef2773f0bb8c3937b22520eb8ee345274d00c144"),
            Some(CodeShape::Phone)
        );
        assert_eq!(
            code_shape("0a3Kxk000Sv6xO1HcI100bPWCQ0Kxk0q"),
            Some(CodeShape::Login)
        );
        assert_eq!(code_shape("tiihtNczf5v6AKRyjwEUhQ=="), None);
    }
}
