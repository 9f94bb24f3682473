//! The local decode API under `/wxdecrypt/v1` on the `serve` port: what a proxy extension (the
//! mitmproxy add-on in `contrib/mitmproxy`, a Burp or Charles script) calls with the exchanges it
//! sees. `GET /wxdecrypt/v1` describes the API; `POST …/inspect` reads one exchange as `scan`
//! reads an entry of a capture (remembering the session keys it hands out for the exchanges that
//! follow) and answers with each payload's result; `POST …/reencrypt` writes edited data back into
//! the request, encrypted with the same key and iv; `GET …/messages` hands a proxy extension the
//! texts it shows of its own, in the user's language. Requests and answers are JSON; the shapes are
//! in the README ("The local decode API") and held by `tests/cli/api.rs`.
//!
//! A POST must say `Content-Type: application/json`: a web page cannot send that without a CORS
//! preflight, which the endpoint's [`Guard`](super::Guard) refuses for any origin it does not know.

mod inspect;
mod reencrypt;
mod view;
mod wire;

use std::sync::RwLock;

use serde_json::{Value, json};

use super::{MAX_BODY, Reply, ServeConfig, ServeEvent};
use crate::capture::live::{Live, MAX_REMEMBERED};
use crate::i18n::Lang;
use crate::inspected::Inspected;

/// The path every API endpoint starts with.
pub const PREFIX: &str = "/wxdecrypt/v1";

/// What the API keeps between requests: the live session (keys remembered, exchanges read).
#[derive(Debug, Default)]
pub struct ApiState {
    live: RwLock<Live>,
}

/// An API error: status, `api.*` code, message (and the finding behind it, when there is one).
pub(super) struct ApiError {
    status: u16,
    code: &'static str,
    message: String,
    finding: Option<Value>,
}

impl ApiError {
    fn new(status: u16, code: &'static str, message: String) -> ApiError {
        ApiError {
            status,
            code,
            message,
            finding: None,
        }
    }

    /// The endpoint's own failure (a lock poisoned by a panic in another request).
    fn internal(lang: Lang) -> ApiError {
        ApiError::new(
            500,
            "request.internal",
            lang.tr("serve.error.internal").into(),
        )
    }

    fn reply(self) -> Reply {
        Reply::json(
            self.status,
            json!({ "error": {
                "code": self.code,
                "message": self.message,
                "finding": self.finding,
            }}),
        )
    }
}

/// A request as the endpoint read it.
pub(super) struct Incoming<'a> {
    pub method: &'a str,
    /// The request target (path and query).
    pub url: &'a str,
    pub content_type: Option<&'a str>,
    pub body: &'a [u8],
}

/// The answer of an API request, or None when its path is not under [`PREFIX`].
pub(super) fn answer(
    incoming: &Incoming<'_>,
    cfg: &ServeConfig,
    state: &ApiState,
    now: i64,
    event: &mut ServeEvent,
) -> Option<(Reply, Option<Inspected>)> {
    let Incoming {
        method,
        url,
        content_type,
        body,
    } = *incoming;
    // A CORS preflight is answered as on any path (204, with the guard's headers).
    if method.eq_ignore_ascii_case("OPTIONS") {
        return None;
    }
    let path = url.split(['?', '#']).next().unwrap_or("");
    let rest = path.strip_prefix(PREFIX)?;
    if !(rest.is_empty() || rest.starts_with('/')) {
        return None;
    }
    let endpoint = rest.trim_matches('/');
    let lang = cfg.lang;
    let outcome = match (endpoint, method.to_ascii_uppercase().as_str()) {
        ("", "GET") => Ok((describe(state), None)),
        ("messages", "GET") => messages(url, lang),
        ("inspect", "POST") => json_body(content_type, body, lang)
            .and_then(|v| inspect::answer(v, cfg, state, now, event)),
        ("reencrypt", "POST") => json_body(content_type, body, lang)
            .and_then(|v| reencrypt::answer(v, cfg, state, now, event)),
        ("" | "inspect" | "reencrypt" | "messages", _) => Err(ApiError::new(
            405,
            "api.method",
            lang.fmt("api.error.method", &[("method", method)]),
        )),
        _ => Err(ApiError::new(
            404,
            "api.not_found",
            lang.fmt("api.error.not_found", &[("path", path)]),
        )),
    };
    Some(match outcome {
        Ok((reply, inspected)) => (reply, inspected),
        Err(e) => {
            event.code = Some(e.code.to_string());
            event.error = Some(e.message.clone());
            (e.reply(), None)
        }
    })
}

/// `GET /wxdecrypt/v1`: the API's name, version, endpoints, limits and the session's counts.
fn describe(state: &ApiState) -> Reply {
    let (keys, exchanges) = state
        .live
        .read()
        .map(|l| (l.keys(), l.exchanges()))
        .unwrap_or_default();
    Reply::json(
        200,
        json!({
            "api": "wxdecrypt",
            "version": 1,
            "wxdecrypt": env!("CARGO_PKG_VERSION"),
            "endpoints": ["inspect", "reencrypt", "messages"],
            "limits": { "body": MAX_BODY, "keys": MAX_REMEMBERED },
            "session": { "keys": keys, "exchanges": exchanges },
        }),
    )
}

/// The catalogue keys of the texts a proxy extension shows of its own (`proxy.started`, …).
const MESSAGES_PREFIX: &str = "proxy.";

/// `GET /wxdecrypt/v1/messages?lang=zh-CN`: the texts a proxy extension shows of its own (its
/// log lines, its views' refusals), in the language asked for (the endpoint's by default), keyed
/// without their `proxy.` prefix; `{name}` placeholders are the extension's to fill.
fn messages(url: &str, default: Lang) -> Result<(Reply, Option<Inspected>), ApiError> {
    let query = url
        .split_once('?')
        .map_or("", |(_, q)| q.split('#').next().unwrap_or(""));
    let asked = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .filter(|v| !v.is_empty());
    let lang = match asked {
        None => default,
        Some(tag) => Lang::parse(tag).ok_or_else(|| {
            ApiError::new(
                400,
                "api.bad_request",
                default.fmt(
                    "api.error.lang",
                    &[("lang", &tag.chars().take(32).collect::<String>())],
                ),
            )
        })?,
    };
    let texts: serde_json::Map<String, Value> = crate::i18n::keys(lang)
        .into_iter()
        .filter_map(|key| {
            let name = key.strip_prefix(MESSAGES_PREFIX)?;
            Some((name.to_string(), Value::from(lang.tr(key))))
        })
        .collect();
    let body = json!({ "lang": lang.tag(), "messages": texts });
    Ok((Reply::json(200, body), None))
}

/// The request body read as the endpoint's request `T`, from a request that says it is JSON.
fn json_body<T: serde::de::DeserializeOwned>(
    content_type: Option<&str>,
    body: &[u8],
    lang: Lang,
) -> Result<T, ApiError> {
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    if !ct.contains("application/json") {
        return Err(ApiError::new(
            415,
            "api.content_type",
            lang.tr("api.error.content_type").into(),
        ));
    }
    let text = std::str::from_utf8(body).map_err(|_| {
        ApiError::new(
            400,
            "api.bad_request",
            lang.tr("serve.error.not_utf8").into(),
        )
    })?;
    serde_json::from_str(text).map_err(|e| bad_request(&e, lang))
}

/// A request whose JSON does not have the shape of the endpoint's request (serde's message, any
/// quoted value hidden).
fn bad_request(e: &serde_json::Error, lang: Lang) -> ApiError {
    ApiError::new(
        400,
        "api.bad_request",
        lang.fmt(
            "api.error.bad_request",
            &[("error", &crate::privacy::scrub_quoted(&e.to_string()))],
        ),
    )
}
