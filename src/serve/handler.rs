//! Answering one request: the payload fields from the body (JSON, form or loose text) and the query
//! string, paired with the keys, inspected, and answered with the data or an error object. A
//! message push or Pay notification is answered as the official handler would answer it once
//! accepted (`success`, the decrypted echostr, `{"code":"SUCCESS"}`), else with the cause.

use serde_json::{Value, json};

use super::api::{self, ApiState};
use super::{MAX_BODY, Reply, ServeConfig, ServeEvent};
use crate::envelope::{EnvelopeInput, EnvelopeReport};
use crate::extract::{self, field_for_key, percent_decode};
use crate::i18n::Lang;
use crate::inspected::Inspected;
use crate::opendata::{Input, Options, Report};
use crate::pair::envelope::pair_envelope;
use crate::pair::{self, KeyIndex, Payload};

pub(super) fn request_error(status: u16, code: &str, message: String) -> Reply {
    Reply::json(
        status,
        json!({ "error": { "code": code, "official_code": null, "message": message, "hint": null } }),
    )
}

pub(super) fn bare_event(method: &str, url: &str) -> ServeEvent {
    ServeEvent {
        time: chrono::Utc::now().timestamp(),
        method: method.to_string(),
        path: url.split(['?', '#']).next().unwrap_or("").to_string(),
        status: 0,
        ok: false,
        kind: None,
        code: None,
        official_code: None,
        key_from: None,
        data: None,
        error: None,
        note: None,
        inspected: None,
    }
}

/// Answers one request: `url` is the request target (path and query), `body` the raw body;
/// `state` is what the decode API ([`api`]) keeps between requests.
pub fn handle(
    method: &str,
    url: &str,
    content_type: Option<&str>,
    body: &[u8],
    cfg: &ServeConfig,
    state: &ApiState,
) -> (Reply, ServeEvent) {
    let now = cfg.now.unwrap_or_else(|| chrono::Utc::now().timestamp());
    let mut event = bare_event(method, url);
    let incoming = api::Incoming {
        method,
        url,
        content_type,
        body,
    };
    let (reply, inspected) = match api::answer(&incoming, cfg, state, now, &mut event) {
        Some(answered) => answered,
        None => answer(method, url, content_type, body, cfg, now, &mut event),
    };
    event.status = reply.status;
    event.inspected = inspected;
    if reply.status >= 400 && event.error.is_none() {
        event.error = reply
            .body
            .pointer("/error/message")
            .and_then(Value::as_str)
            .map(str::to_string);
    }
    (reply, event)
}

/// Why a request was refused before any inspection: status, `request.*` code and message.
struct Refusal {
    status: u16,
    code: &'static str,
    message: String,
}

impl Refusal {
    fn new(status: u16, code: &'static str, message: String) -> Refusal {
        Refusal {
            status,
            code,
            message,
        }
    }
}

/// The body as text, within [`MAX_BODY`].
fn body_text(body: &[u8], lang: Lang) -> Result<&str, Refusal> {
    if body.len() > MAX_BODY {
        let max = MAX_BODY.to_string();
        return Err(Refusal::new(
            413,
            "request.too_large",
            lang.fmt("serve.error.too_large", &[("max", &max)]),
        ));
    }
    std::str::from_utf8(body).map_err(|_| {
        Refusal::new(
            400,
            "request.not_utf8",
            lang.tr("serve.error.not_utf8").into(),
        )
    })
}

/// The payload fields of a request: the body (JSON, form or loose text), then the query string.
fn request_input(
    url: &str,
    content_type: Option<&str>,
    text: &str,
    lang: Lang,
) -> Result<Input, Refusal> {
    let mut input = Input::default();
    let t = text.trim();
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    if !t.is_empty() {
        fill_from_body(&mut input, t, &ct, lang)?;
    }
    if let Some((_, q)) = url.split_once('?') {
        for pair in q.split('#').next().unwrap_or("").split('&') {
            if let Some((k, v)) = pair.split_once('=')
                && let Some(f) = field_for_key(&percent_decode(k))
            {
                input.fill(f, &percent_decode(v));
            }
        }
    }
    if input.encrypted_data.is_empty() || input.iv.is_empty() {
        return Err(Refusal::new(
            400,
            "request.no_payload",
            lang.tr("serve.error.no_payload").into(),
        ));
    }
    Ok(input)
}

/// Fills `input` from a non-empty request body: JSON, a form, or loose text.
fn fill_from_body(input: &mut Input, t: &str, ct: &str, lang: Lang) -> Result<(), Refusal> {
    let json_like = ct.contains("json") || t.starts_with('{') || t.starts_with('[');
    if json_like && !ct.contains("x-www-form-urlencoded") {
        let v = serde_json::from_str::<Value>(t).map_err(|e| {
            Refusal::new(
                400,
                "request.bad_json",
                lang.fmt(
                    "serve.error.bad_json",
                    &[("error", &crate::privacy::scrub_quoted(&e.to_string()))],
                ),
            )
        })?;
        let e = extract::extract_json(&v);
        for (f, _) in &e.found {
            input.fill(*f, e.input.get(*f));
        }
    } else if t.contains('=') {
        for pair in t.split('&') {
            if let Some((k, v)) = pair.split_once('=')
                && let Some(f) = field_for_key(&percent_decode(k.trim()))
            {
                input.fill(f, &percent_decode(v.trim()));
            }
        }
    } else {
        let e = extract::extract(t);
        for (f, _) in &e.found {
            input.fill(*f, e.input.get(*f));
        }
    }
    Ok(())
}

fn answer(
    method: &str,
    url: &str,
    content_type: Option<&str>,
    body: &[u8],
    cfg: &ServeConfig,
    now: i64,
    event: &mut ServeEvent,
) -> (Reply, Option<Inspected>) {
    if method.eq_ignore_ascii_case("OPTIONS") {
        return (Reply::json(204, Value::Null), None);
    }
    let refused = |r: Refusal, event: &mut ServeEvent| {
        event.code = Some(r.code.into());
        (request_error(r.status, r.code, r.message), None)
    };
    let text = match body_text(body, cfg.lang) {
        Ok(t) => t,
        Err(r) => return refused(r, event),
    };
    let query = url
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(q));
    if let Some(envelope) = EnvelopeInput::from_request(query, text) {
        return answer_envelope(&envelope, cfg, now, event);
    }
    let mut input = match request_input(url, content_type, text, cfg.lang) {
        Ok(i) => i,
        Err(r) => return refused(r, event),
    };
    if input.appid.is_empty()
        && let Some(a) = &cfg.appid
    {
        input.appid = a.clone();
    }
    let payload = Payload {
        input: &input,
        clients: &[],
        seq: 0,
        fallback_appid: None,
    };
    let paired = pair::pair(
        payload,
        &KeyIndex::default(),
        &cfg.keyring,
        &Options::new(now, cfg.lang),
    );
    let reply = reply_for(&paired.report);
    let inspected = Inspected::open_data(paired.input, paired.report);
    event.record(&inspected, paired.key_from);
    (reply, Some(inspected))
}

/// Answers a message push or Pay notification, opened with the key ring's keys of its kind.
fn answer_envelope(
    input: &EnvelopeInput,
    cfg: &ServeConfig,
    now: i64,
    event: &mut ServeEvent,
) -> (Reply, Option<Inspected>) {
    let paired = pair_envelope(input, &cfg.keyring, &Options::new(now, cfg.lang));
    let reply = envelope_reply(&paired.report, matches!(input, EnvelopeInput::Pay(_)));
    let inspected = Inspected::envelope(paired.input, paired.report);
    event.record(&inspected, paired.key_from);
    (reply, Some(inspected))
}

/// What the official handler answers: `success` or the decrypted echostr as text for a push,
/// `{"code":"SUCCESS"}` for a notification; when it is refused, 422 with the cause (a Pay
/// notification's body also in the shape WeChat Pay reads, `{"code":"FAIL","message":…}`).
fn envelope_reply(report: &EnvelopeReport, pay: bool) -> Reply {
    let codes: Vec<String> = report.codes().iter().map(|c| c.to_string()).collect();
    match (&report.reply, pay) {
        (Some(reply), true) if report.ok => Reply {
            status: 200,
            body: serde_json::from_str(reply).unwrap_or(Value::Null),
            text: None,
            codes,
        },
        (Some(reply), false) if report.ok => Reply {
            status: 200,
            body: Value::Null,
            text: Some(reply.clone()),
            codes,
        },
        _ => {
            let primary = report.primary();
            let mut body = json!({ "error": {
                "code": primary.map(|f| f.code.as_str()),
                "official_code": report.official_code,
                "message": primary.map(|f| f.message.clone()),
                "hint": primary.map(|f| f.hint.clone()),
                "codes": codes,
            }});
            if pay {
                body["code"] = json!("FAIL");
                body["message"] = json!(primary.map(|f| f.message.clone()));
            }
            Reply {
                status: 422,
                body,
                text: None,
                codes,
            }
        }
    }
}

/// The answer to an inspected payload: the data (200), or an error object with the cause (422).
fn reply_for(report: &Report) -> Reply {
    let codes: Vec<String> = report.codes().iter().map(|c| c.to_string()).collect();
    if report.ok {
        let body = match (&report.data, &report.plaintext) {
            (Some(d), _) => d.clone(),
            (None, Some(p)) => Value::String(p.clone()),
            (None, None) => Value::Null,
        };
        return Reply {
            status: 200,
            body,
            text: None,
            codes,
        };
    }
    let primary = report.primary();
    Reply {
        status: 422,
        body: json!({ "error": {
            "code": primary.map(|f| f.code.as_str()),
            "official_code": report.official_code,
            "message": primary.map(|f| f.message.clone()),
            "hint": primary.map(|f| f.hint.clone()),
            "codes": codes,
        }}),
        text: None,
        codes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_requests() {
        let cfg = ServeConfig::default();
        let st = ApiState::default();
        let handle = |m, u, ct, b: &[u8], cfg| handle(m, u, ct, b, cfg, &st);
        let (r, ev) = handle("POST", "/x", Some("application/json"), b"{nope", &cfg);
        assert_eq!(r.status, 400);
        assert_eq!(ev.code.as_deref(), Some("request.bad_json"));
        let (r, _) = handle("POST", "/x", None, b"a=1", &cfg);
        assert_eq!(r.status, 400);
        let (r, _) = handle("POST", "/x", None, &[0xff, 0xfe], &cfg);
        assert_eq!(r.status, 400);
        let (r, _) = handle("POST", "/x", None, &vec![b'a'; MAX_BODY + 1], &cfg);
        assert_eq!(r.status, 413);
    }
}
