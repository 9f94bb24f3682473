//! Make test pushes the way WeChat sends them: a message (or an echostr) encrypted with the
//! EncodingAESKey, signed with the token, in an XML or JSON body and the URL's query string.

use serde::Serialize;

use super::crypt;
use crate::i18n::Lang;
use crate::opendata::cipher::random_bytes;
use crate::opendata::normalize::{self, LenRule};

/// What to send and with what. Empty timestamp or nonce: the current time and a random nonce.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SealRequest {
    pub encoding_aes_key: String,
    pub token: String,
    pub receive_id: String,
    /// The message (XML or JSON text), or the echostr's plain value.
    pub message: String,
    pub echostr: bool,
    pub timestamp: String,
    pub nonce: String,
    /// The 16 random bytes of the frame; None draws them.
    pub random: Option<[u8; 16]>,
}

/// A push ready to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sealed {
    pub encrypt: String,
    pub msg_signature: String,
    pub timestamp: String,
    pub nonce: String,
    /// The request body (`<xml>…` or `{…}` after the message's own format); empty for an echostr.
    pub body: String,
    /// The URL's query string (`msg_signature=…&timestamp=…&nonce=…`, and the echostr).
    pub query: String,
}

/// Why a push could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealError {
    /// The EncodingAESKey does not decode to 32 bytes.
    Key,
    /// The operating system gave no random numbers.
    Random(String),
}

impl SealError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            SealError::Key => lang.tr("msg.seal.error.key").to_string(),
            SealError::Random(m) => lang.fmt("encrypt.error.random", &[("msg", m)]),
        }
    }
}

/// Percent-encodes a base64 value for a query string.
fn query_escape(s: &str) -> String {
    s.replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

/// Encrypts and signs one push.
pub fn seal(req: &SealRequest, now: i64) -> Result<Sealed, SealError> {
    let key_text = req.encoding_aes_key.trim();
    let key = normalize::normalize(&format!("{key_text}="), LenRule::Exact(crypt::KEY_BYTES))
        .bytes
        .filter(|b| b.len() == crypt::KEY_BYTES && key_text.len() == crypt::KEY_CHARS)
        .ok_or(SealError::Key)?;
    let random = match req.random {
        Some(r) => r,
        None => random_bytes::<16>().map_err(SealError::Random)?,
    };
    let timestamp = match req.timestamp.trim() {
        "" => now.to_string(),
        t => t.to_string(),
    };
    let nonce = match req.nonce.trim() {
        "" => {
            let n = random_bytes::<4>().map_err(SealError::Random)?;
            (u32::from_be_bytes(n) % 1_000_000_000).to_string()
        }
        n => n.to_string(),
    };
    let sealed = crypt::seal(&key, &random, req.message.as_bytes(), req.receive_id.trim())
        .ok_or(SealError::Key)?;
    let encrypt = normalize::encode(&sealed);
    let msg_signature = crypt::msg_signature(req.token.trim(), &timestamp, &nonce, &encrypt);
    let mut query = format!("msg_signature={msg_signature}&timestamp={timestamp}&nonce={nonce}");
    let body = if req.echostr {
        query.push_str(&format!("&echostr={}", query_escape(&encrypt)));
        String::new()
    } else if req.message.trim_start().starts_with('{') {
        serde_json::json!({ "ToUserName": req.receive_id.trim(), "Encrypt": encrypt }).to_string()
    } else {
        format!(
            "<xml><ToUserName><![CDATA[{}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>",
            req.receive_id.trim()
        )
    };
    Ok(Sealed {
        encrypt,
        msg_signature,
        timestamp,
        nonce,
        body,
        query,
    })
}
