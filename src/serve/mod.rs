//! The local endpoint: an HTTP server on 127.0.0.1 only that receives payloads the way a backend
//! would (`wx.request` POST of encryptedData, iv, sessionKey, … as JSON or a form, any path),
//! answers with the decrypted data or an error object, and reports every request to a callback.
//!
//! [`handle`] ([`handler`]) is the pure request → answer function; [`guard`] decides which
//! requests may be answered at all (loopback `Host`, same-site `Origin`); [`Server`] ([`server`])
//! runs them on a few worker threads over `tiny_http`. The CLI (`wxdecrypt serve`) prints the
//! events; the GUI can show them live.

mod guard;
mod handler;
mod server;

use serde::Serialize;
use serde_json::Value;

use crate::i18n::Lang;
use crate::keyring::KeyringEntry;
use crate::opendata::interpret::Kind;
use crate::opendata::{Input, Report};
use crate::pair::KeyFrom;

pub use guard::{Guard, Verdict};
pub use handler::handle;
pub use server::Server;

/// The largest request body accepted (larger ones are answered 413).
pub const MAX_BODY: usize = 1 << 20;

/// Settings of the endpoint.
#[derive(Debug, Clone, Default)]
pub struct ServeConfig {
    /// The port on 127.0.0.1 (0: any free port).
    pub port: u16,
    /// Appid for requests that carry none (checked against the watermark).
    pub appid: Option<String>,
    /// Keys tried when the request's own key does not open the payload.
    pub keyring: Vec<KeyringEntry>,
    /// Language of error messages and hints.
    pub lang: Lang,
    /// A fixed clock (Unix seconds) for reproducible answers; None: the system clock.
    pub now: Option<i64>,
    /// Browser origins allowed besides the endpoint's own and the WeChat DevTools' (see
    /// [`guard`]).
    pub allow_origins: Vec<String>,
}

/// One request, as reported to the callback. Never holds the session key in its serialized form.
#[derive(Debug, Clone, Serialize)]
pub struct ServeEvent {
    /// When the request arrived (Unix seconds).
    pub time: i64,
    pub method: String,
    /// The path without the query string.
    pub path: String,
    pub status: u16,
    pub ok: bool,
    pub kind: Option<Kind>,
    /// The primary finding code, or the request error code (`request.*`).
    pub code: Option<String>,
    pub official_code: Option<i32>,
    pub key_from: Option<KeyFrom>,
    /// The decrypted data (for the live list; callers mask what they print).
    pub data: Option<Value>,
    /// Why the request was refused (bad requests).
    pub error: Option<String>,
    /// The fields received (with the key that opened the payload), to open in the Inspect view.
    #[serde(skip)]
    pub input: Option<Input>,
    #[serde(skip)]
    pub report: Option<Report>,
}

/// The answer to one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    /// Finding codes, sent in an `X-Wxdecrypt-Codes` header.
    pub codes: Vec<String>,
}
