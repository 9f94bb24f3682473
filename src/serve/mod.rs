//! The local endpoint: an HTTP server on 127.0.0.1 only that receives payloads the way a backend
//! would (`wx.request` POST of encryptedData, iv, sessionKey, … as JSON or a form, any path),
//! answers with the decrypted data or an error object, and reports every request to a callback.
//!
//! [`handle`] ([`handler`]) is the pure request → answer function; [`guard`] decides which
//! requests may be answered at all (loopback `Host`, same-site `Origin`); [`Server`] ([`server`])
//! reads requests on one connection thread ([`net`], [`request`]) within the [`Limits`] and answers
//! them on a fixed pool of workers. The CLI (`wxdecrypt serve`) prints the events; the GUI can show
//! them live.

pub mod api;
mod guard;
mod handler;
mod net;
pub mod request;
mod response;
mod server;

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use crate::case::CaseKind;
use crate::i18n::Lang;
use crate::inspected::Inspected;
use crate::keyring::KeyringEntry;
use crate::pair::KeyFrom;

pub use guard::{Guard, Verdict};
pub use handler::handle;
pub use request::{MAX_HEAD, MAX_HEADERS};
pub use server::Server;

/// The largest request body accepted (larger ones are answered 413).
pub const MAX_BODY: usize = 1 << 20;

/// How much the endpoint takes from its clients. A client past a limit gets an error answer (or,
/// silent, is closed); the others are served meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Time for a request to arrive whole once its first byte has (answered 408 past it), and for
    /// an answer to be taken by the client.
    pub request_timeout: Duration,
    /// How long a connection may stay open with no request under way.
    pub idle_timeout: Duration,
    /// Open connections at most; one more is answered 503 and closed.
    pub max_connections: usize,
    /// Requests on one kept-alive connection before it is closed.
    pub max_requests_per_connection: usize,
    /// Threads answering requests.
    pub workers: usize,
    /// Whole requests waiting for a worker at most; one more is answered 503.
    pub queue: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            request_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(5),
            max_connections: 512,
            max_requests_per_connection: 1000,
            workers: 4,
            queue: 256,
        }
    }
}

/// Settings of the endpoint.
#[derive(Debug, Clone, Default)]
pub struct ServeConfig {
    /// The port on 127.0.0.1 (0: any free port).
    pub port: u16,
    /// Appid for requests that carry none (checked against the watermark).
    pub appid: Option<String>,
    /// Keys tried when the request's own key does not open the payload (session_keys), and the
    /// only keys of message pushes and Pay notifications (EncodingAESKeys, APIv3 keys).
    pub keyring: Vec<KeyringEntry>,
    /// Language of error messages and hints.
    pub lang: Lang,
    /// A fixed clock (Unix seconds) for reproducible answers; None: the system clock.
    pub now: Option<i64>,
    /// Browser origins allowed besides the endpoint's own and the WeChat DevTools' (see
    /// [`guard`]).
    pub allow_origins: Vec<String>,
    /// Timeouts and sizes of the connection handling.
    pub limits: Limits,
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
    /// The open-data kind, or the push's or notification's (`message`, `pay_transaction`, …).
    pub kind: Option<CaseKind>,
    /// The primary finding code, or the request error code (`request.*`).
    pub code: Option<String>,
    pub official_code: Option<i32>,
    pub key_from: Option<KeyFrom>,
    /// The decrypted data (for the live list; callers mask what they print).
    pub data: Option<Value>,
    /// Why the request was refused (bad requests).
    pub error: Option<String>,
    /// What an API call that found no payload did instead (keys learned).
    pub note: Option<String>,
    /// The fields received (with the key that opened the payload) and the report, to open in the
    /// Inspect view.
    #[serde(skip)]
    pub inspected: Option<Inspected>,
}

impl ServeEvent {
    /// Records what an inspection made of the request: verdict, kind, official code, the key
    /// that opened it, the primary code and the data.
    pub fn record(&mut self, inspected: &Inspected, key_from: Option<KeyFrom>) {
        self.ok = inspected.ok();
        self.kind = inspected.kind();
        self.official_code = inspected.official_code();
        self.key_from = key_from;
        self.code = inspected.primary().map(|f| f.code.as_str().to_string());
        self.data = inspected.data().cloned();
    }

    /// The short outcome of the request for a list or a log line: the data summary, the cause,
    /// the refusal, or the note of an API call without a payload.
    pub fn outcome(&self, lang: Lang, mask: bool) -> String {
        match &self.note {
            Some(note) if self.ok && self.data.is_none() => note.clone(),
            _ => crate::present::outcome_text(
                self.ok,
                self.data.as_ref(),
                self.code.as_deref(),
                self.error.as_deref(),
                lang,
                mask,
            ),
        }
    }
}

/// The answer to one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    /// A plain-text answer sent instead of `body` (what a push handler answers: `success`, the
    /// decrypted echostr).
    pub text: Option<String>,
    /// Finding codes, sent in an `X-Wxdecrypt-Codes` header.
    pub codes: Vec<String>,
}

impl Reply {
    /// A JSON answer without finding codes.
    pub(crate) fn json(status: u16, body: Value) -> Reply {
        Reply {
            status,
            body,
            text: None,
            codes: Vec::new(),
        }
    }
}
