//! The running endpoint: 127.0.0.1 only, a few worker threads over `tiny_http`, each request
//! checked by the [`Guard`](super::Guard), answered by [`handle`](super::handle) and reported to
//! the callback.

use std::io::Read as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use super::handler::{bare_event, request_error};
use super::{Guard, MAX_BODY, Reply, ServeConfig, ServeEvent, Verdict, handle};

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
        let guard = Arc::new(Guard::new(addr.port(), &cfg.allow_origins));
        let cfg = Arc::new(cfg);
        let cb: Callback = Arc::new(on_event);
        let mut workers = Vec::with_capacity(WORKERS);
        for i in 0..WORKERS {
            let (server, stop, cfg, cb) = (server.clone(), stop.clone(), cfg.clone(), cb.clone());
            let guard = guard.clone();
            let h = std::thread::Builder::new()
                .name(format!("wxdecrypt-serve-{i}"))
                .spawn(move || worker(&server, &stop, &cfg, &guard, &cb))
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

fn worker(
    server: &tiny_http::Server,
    stop: &AtomicBool,
    cfg: &ServeConfig,
    guard: &Guard,
    cb: &Callback,
) {
    while !stop.load(Ordering::SeqCst) {
        match server.recv_timeout(Duration::from_millis(200)) {
            Ok(Some(req)) => serve_one(req, cfg, guard, cb),
            Ok(None) => {}
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// The value of request header `name`.
fn header(req: &tiny_http::Request, name: &'static str) -> Option<String> {
    req.headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str().to_string())
}

fn serve_one(req: tiny_http::Request, cfg: &ServeConfig, guard: &Guard, cb: &Callback) {
    let method = req.method().as_str().to_string();
    let url = req.url().to_string();
    let verdict = guard.check(
        header(&req, "Host").as_deref(),
        header(&req, "Origin").as_deref(),
        header(&req, "Sec-Fetch-Site").as_deref(),
        header(&req, "Referer").as_deref(),
    );
    let cors = match verdict {
        Verdict::Allow { cors } => cors,
        Verdict::Refuse { code, message_key } => {
            let message = cfg.lang.tr(message_key).to_string();
            let mut ev = bare_event(&method, &url);
            ev.status = 403;
            ev.code = Some(code.to_string());
            ev.error = Some(message.clone());
            respond(req, &request_error(403, code, message), None, true);
            cb(ev);
            return;
        }
    };
    serve_allowed(req, method, url, cors, cfg, cb);
}

fn serve_allowed(
    mut req: tiny_http::Request,
    method: String,
    url: String,
    cors: Option<String>,
    cfg: &ServeConfig,
    cb: &Callback,
) {
    let content_type = header(&req, "Content-Type");
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
    respond(req, &reply, cors.as_deref(), too_large);
    cb(event);
}

/// Sends `reply`; `cors` is the origin allowed to read it (never a wildcard).
fn respond(req: tiny_http::Request, reply: &Reply, cors: Option<&str>, close: bool) {
    let bytes = if reply.body.is_null() && reply.status == 204 {
        Vec::new()
    } else {
        serde_json::to_vec(&reply.body).unwrap_or_default()
    };
    let mut response = tiny_http::Response::from_data(bytes).with_status_code(reply.status);
    let mut headers = vec![
        (
            "Content-Type",
            "application/json; charset=utf-8".to_string(),
        ),
        ("X-Wxdecrypt-Codes", reply.codes.join(",")),
    ];
    if let Some(origin) = cors {
        headers.push(("Access-Control-Allow-Origin", origin.to_string()));
        headers.push(("Access-Control-Allow-Headers", "content-type".to_string()));
        headers.push(("Vary", "Origin".to_string()));
    }
    if close {
        headers.push(("Connection", "close".to_string()));
    }
    for (k, v) in headers {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            response = response.with_header(h);
        }
    }
    let _ = req.respond(response);
}
