//! The local endpoint: an HTTP server on 127.0.0.1 only that receives payloads the way a backend
//! would (`wx.request` POST of encryptedData, iv, sessionKey, … as JSON or a form, any path),
//! answers with the decrypted data or an error object, and reports every request to a callback.
//!
//! [`handle`] is the pure request → answer function; [`Server`] runs it on a few worker threads
//! over `tiny_http`. The CLI (`wxdecrypt serve`) prints the events; the GUI can show them live.

use std::io::Read as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};

use crate::extract::{self, field_for_key, percent_decode};
use crate::i18n::Lang;
use crate::keyring::KeyringEntry;
use crate::opendata::interpret::Kind;
use crate::opendata::{Input, Options, Report};
use crate::pair::{self, KeyFrom, Payload};

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

fn request_error(status: u16, code: &str, message: String) -> Reply {
    Reply {
        status,
        body: json!({ "error": { "code": code, "official_code": null, "message": message, "hint": null } }),
        codes: Vec::new(),
    }
}

fn bare_event(method: &str, url: &str) -> ServeEvent {
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
        input: None,
        report: None,
    }
}

/// Answers one request: `url` is the request target (path and query), `body` the raw body.
pub fn handle(
    method: &str,
    url: &str,
    content_type: Option<&str>,
    body: &[u8],
    cfg: &ServeConfig,
) -> (Reply, ServeEvent) {
    let now = cfg.now.unwrap_or_else(|| chrono::Utc::now().timestamp());
    let mut event = bare_event(method, url);
    let (reply, input) = answer(method, url, content_type, body, cfg, now, &mut event);
    event.status = reply.status;
    event.input = input;
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

/// The payload fields of a request: the body (JSON, form or loose text), then the query string.
fn request_input(
    url: &str,
    content_type: Option<&str>,
    body: &[u8],
    lang: Lang,
) -> Result<Input, Refusal> {
    if body.len() > MAX_BODY {
        let max = MAX_BODY.to_string();
        return Err(Refusal::new(
            413,
            "request.too_large",
            lang.fmt("serve.error.too_large", &[("max", &max)]),
        ));
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return Err(Refusal::new(
            400,
            "request.not_utf8",
            lang.tr("serve.error.not_utf8").into(),
        ));
    };
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
                lang.fmt("serve.error.bad_json", &[("error", &e.to_string())]),
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
) -> (Reply, Option<Input>) {
    if method.eq_ignore_ascii_case("OPTIONS") {
        let reply = Reply {
            status: 204,
            body: Value::Null,
            codes: Vec::new(),
        };
        return (reply, None);
    }
    let mut input = match request_input(url, content_type, body, cfg.lang) {
        Ok(i) => i,
        Err(r) => {
            event.code = Some(r.code.into());
            return (request_error(r.status, r.code, r.message), None);
        }
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
    let paired = pair::pair(payload, &[], &cfg.keyring, &Options::new(now, cfg.lang));
    let report = &paired.report;
    event.ok = report.ok;
    event.kind = report.kind;
    event.official_code = Some(report.official_code);
    event.key_from = paired.key_from;
    event.code = report.primary().map(|f| f.code.as_str().to_string());
    event.data = report.data.clone();
    let reply = reply_for(report);
    event.report = Some(paired.report);
    (reply, Some(paired.input))
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
        codes,
    }
}

type Callback = Arc<dyn Fn(ServeEvent) + Send + Sync>;

/// A running endpoint. Dropping it (or [`Server::stop`]) stops the workers.
pub struct Server {
    server: Arc<tiny_http::Server>,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    workers: Vec<JoinHandle<()>>,
}

/// Worker threads answering requests.
const WORKERS: usize = 4;

impl Server {
    /// Binds 127.0.0.1:`cfg.port` and starts answering; `on_event` is called once per request,
    /// from the worker threads.
    pub fn start(
        cfg: ServeConfig,
        on_event: impl Fn(ServeEvent) + Send + Sync + 'static,
    ) -> Result<Server, String> {
        let bind = SocketAddr::from(([127, 0, 0, 1], cfg.port));
        let server = tiny_http::Server::http(bind).map_err(|e| e.to_string())?;
        let addr = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| cfg.lang.tr("serve.error.not_ip").to_string())?;
        let server = Arc::new(server);
        let stop = Arc::new(AtomicBool::new(false));
        let cfg = Arc::new(cfg);
        let cb: Callback = Arc::new(on_event);
        let mut workers = Vec::with_capacity(WORKERS);
        for i in 0..WORKERS {
            let (server, stop, cfg, cb) = (server.clone(), stop.clone(), cfg.clone(), cb.clone());
            let h = std::thread::Builder::new()
                .name(format!("wxdecrypt-serve-{i}"))
                .spawn(move || worker(&server, &stop, &cfg, &cb))
                .map_err(|e| e.to_string())?;
            workers.push(h);
        }
        Ok(Server {
            server,
            addr,
            stop,
            workers,
        })
    }

    /// Like [`Server::start`], with the events delivered on a channel (for a UI to poll).
    pub fn start_with_channel(
        cfg: ServeConfig,
    ) -> Result<(Server, mpsc::Receiver<ServeEvent>), String> {
        let (tx, rx) = mpsc::channel();
        let tx = std::sync::Mutex::new(tx);
        let server = Server::start(cfg, move |ev| {
            if let Ok(tx) = tx.lock() {
                let _ = tx.send(ev);
            }
        })?;
        Ok((server, rx))
    }

    /// The address actually bound (127.0.0.1 and the port).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops answering and waits for the workers.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for _ in 0..self.workers.len() {
            self.server.unblock();
        }
        for h in self.workers.drain(..) {
            let _ = h.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn worker(server: &tiny_http::Server, stop: &AtomicBool, cfg: &ServeConfig, cb: &Callback) {
    while !stop.load(Ordering::SeqCst) {
        match server.recv_timeout(Duration::from_millis(200)) {
            Ok(Some(req)) => serve_one(req, cfg, cb),
            Ok(None) => {}
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

fn serve_one(mut req: tiny_http::Request, cfg: &ServeConfig, cb: &Callback) {
    let method = req.method().as_str().to_string();
    let url = req.url().to_string();
    let content_type = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("Content-Type"))
        .map(|h| h.value.as_str().to_string());
    let too_large = req.body_length().is_some_and(|n| n > MAX_BODY);
    let mut body = Vec::new();
    let read = if too_large {
        Ok(())
    } else {
        req.as_reader()
            .take(MAX_BODY as u64 + 1)
            .read_to_end(&mut body)
            .map(|_| ())
    };
    let refused = |status: u16, code: &str, message: String| {
        let mut ev = bare_event(&method, &url);
        ev.status = status;
        ev.code = Some(code.to_string());
        ev.error = Some(message.clone());
        (request_error(status, code, message), ev)
    };
    let (reply, event) = match read {
        _ if too_large => refused(
            413,
            "request.too_large",
            cfg.lang
                .fmt("serve.error.too_large", &[("max", &MAX_BODY.to_string())]),
        ),
        Err(e) => refused(
            400,
            "request.unreadable",
            cfg.lang
                .fmt("serve.error.unreadable", &[("error", &e.to_string())]),
        ),
        Ok(()) => {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                handle(&method, &url, content_type.as_deref(), &body, cfg)
            }));
            match outcome {
                Ok(r) => r,
                Err(_) => refused(
                    500,
                    "request.internal",
                    cfg.lang.tr("serve.error.internal").into(),
                ),
            }
        }
    };
    let bytes = if reply.body.is_null() && reply.status == 204 {
        Vec::new()
    } else {
        serde_json::to_vec(&reply.body).unwrap_or_default()
    };
    let mut response = tiny_http::Response::from_data(bytes).with_status_code(reply.status);
    let headers = [
        (
            "Content-Type",
            "application/json; charset=utf-8".to_string(),
        ),
        ("X-Wxdecrypt-Codes", reply.codes.join(",")),
        ("Access-Control-Allow-Origin", "*".to_string()),
        ("Access-Control-Allow-Headers", "content-type".to_string()),
    ];
    for (k, v) in headers {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            response = response.with_header(h);
        }
    }
    if too_large && let Ok(h) = tiny_http::Header::from_bytes(&b"Connection"[..], &b"close"[..]) {
        response = response.with_header(h);
    }
    let _ = req.respond(response);
    cb(event);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_requests() {
        let cfg = ServeConfig::default();
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
