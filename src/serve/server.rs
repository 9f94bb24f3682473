//! The running endpoint: 127.0.0.1 only; one thread for the connections ([`net`](super::net)) and a
//! fixed pool of workers, each request checked by the [`Guard`](super::Guard), answered by
//! [`handle`](super::handle) and reported to the callback.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;

use mio::{Interest, Poll, Waker};

use super::api::ApiState;
use super::handler::{bare_event, request_error};
use super::net::{Done, Job, LISTENER, Loop, WAKER};
use super::request::Failure;
use super::{Guard, MAX_BODY, ServeConfig, ServeEvent, Verdict, handle, response};

type Callback = Arc<dyn Fn(ServeEvent) + Send + Sync>;

/// A running endpoint. Dropping it (or [`Server::stop`]) stops it and waits for its threads.
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    waker: Arc<Waker>,
    threads: Vec<JoinHandle<()>>,
}

impl Server {
    /// Binds 127.0.0.1:`cfg.port` and starts answering; `on_event` is called once per request,
    /// from the worker threads (and from the connection thread for requests refused as busy).
    pub fn start(
        cfg: ServeConfig,
        on_event: impl Fn(ServeEvent) + Send + Sync + 'static,
    ) -> Result<Server, String> {
        let bind = SocketAddr::from(([127, 0, 0, 1], cfg.port));
        let listener = std::net::TcpListener::bind(bind).map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let mut listener = mio::net::TcpListener::from_std(listener);
        let poll = Poll::new().map_err(|e| e.to_string())?;
        poll.registry()
            .register(&mut listener, LISTENER, Interest::READABLE)
            .map_err(|e| e.to_string())?;
        let waker = Arc::new(Waker::new(poll.registry(), WAKER).map_err(|e| e.to_string())?);
        let stop = Arc::new(AtomicBool::new(false));
        let limits = cfg.limits;
        let (jobs, queue) = mpsc::sync_channel::<Job>(limits.queue.max(1));
        let (done_tx, done) = mpsc::channel::<Done>();
        let queue = Arc::new(Mutex::new(queue));
        let guard = Arc::new(Guard::new(addr.port(), &cfg.allow_origins));
        let state = Arc::new(ApiState::default());
        let lang = cfg.lang;
        let cfg = Arc::new(cfg);
        let cb: Callback = Arc::new(on_event);
        let mut threads = Vec::with_capacity(limits.workers + 1);
        for i in 0..limits.workers.max(1) {
            let (queue, done_tx, waker) = (queue.clone(), done_tx.clone(), waker.clone());
            let (cfg, guard, cb) = (cfg.clone(), guard.clone(), cb.clone());
            let state = state.clone();
            let h = std::thread::Builder::new()
                .name(format!("serve:{}:{i}", addr.port()))
                .spawn(move || {
                    while let Some(job) = next_job(&queue) {
                        let (done, event) = answer(job, &cfg, &guard, &state);
                        if done_tx.send(done).is_err() {
                            break;
                        }
                        let _ = waker.wake();
                        cb(event);
                    }
                })
                .map_err(|e| e.to_string())?;
            threads.push(h);
        }
        let event_loop = Loop {
            poll,
            listener,
            jobs,
            done,
            stop: stop.clone(),
            limits,
            lang,
            on_busy: cb,
        };
        let h = std::thread::Builder::new()
            .name(format!("serve:{}:net", addr.port()))
            .spawn(move || event_loop.run())
            .map_err(|e| e.to_string())?;
        threads.push(h);
        Ok(Server {
            addr,
            stop,
            waker,
            threads,
        })
    }

    /// Like [`Server::start`], with the events delivered on a channel (for a UI to poll).
    pub fn start_with_channel(
        cfg: ServeConfig,
    ) -> Result<(Server, mpsc::Receiver<ServeEvent>), String> {
        let (tx, rx) = mpsc::channel();
        let tx = Mutex::new(tx);
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

    /// Stops answering and waits for the threads.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.waker.wake();
        // The connection thread ends first and drops the queue's sender, which ends the workers.
        for h in self.threads.drain(..).rev() {
            let _ = h.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn next_job(queue: &Mutex<mpsc::Receiver<Job>>) -> Option<Job> {
    queue.lock().ok()?.recv().ok()
}

/// The answer to one request read (or not read) by the connection thread, and its event.
fn answer(job: Job, cfg: &ServeConfig, guard: &Guard, state: &ApiState) -> (Done, ServeEvent) {
    let (req, failure) = match job.read {
        Ok(req) => (Some(req), None),
        Err((f, head)) => (head, Some(f)),
    };
    let (method, target) = req
        .as_ref()
        .map_or(("-", "-"), |r| (r.method.as_str(), r.target.as_str()));
    let refuse = |status: u16, code: &str, message: String| {
        let mut ev = bare_event(method, target);
        ev.status = status;
        ev.code = Some(code.to_string());
        ev.error = Some(message.clone());
        (request_error(status, code, message), ev)
    };
    let verdict = match &req {
        Some(r) => guard.check(
            r.header("host"),
            r.header("origin"),
            r.header("sec-fetch-site"),
            r.header("referer"),
        ),
        None => Verdict::Allow { cors: None },
    };
    let mut close = job.close || failure.is_some() || !req.as_ref().is_some_and(|r| r.keep_alive);
    let (reply, event, cors) = match (verdict, failure, &req) {
        (Verdict::Refuse { code, message_key }, _, _) => {
            close = true;
            let (reply, ev) = refuse(403, code, cfg.lang.tr(message_key).to_string());
            (reply, ev, None)
        }
        (Verdict::Allow { cors }, Some(f), _) => {
            let message = failure_message(f, cfg);
            let (reply, ev) = refuse(f.status, f.code, message);
            (reply, ev, cors)
        }
        (Verdict::Allow { cors }, None, Some(r)) => {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                handle(
                    &r.method,
                    &r.target,
                    r.header("content-type"),
                    &r.body,
                    cfg,
                    state,
                )
            }));
            let (reply, ev) = outcome.unwrap_or_else(|_| {
                close = true;
                refuse(
                    500,
                    "request.internal",
                    cfg.lang.tr("serve.error.internal").into(),
                )
            });
            (reply, ev, cors)
        }
        (Verdict::Allow { cors }, None, None) => {
            let f = Failure::BAD_REQUEST;
            let (reply, ev) = refuse(f.status, f.code, failure_message(f, cfg));
            (reply, ev, cors)
        }
    };
    let done = Done {
        token: job.token,
        serial: job.serial,
        bytes: response::encode(&reply, cors.as_deref(), close),
        close,
    };
    (done, event)
}

/// The message of a request that could not be read, with the limit it hit.
fn failure_message(f: Failure, cfg: &ServeConfig) -> String {
    let limits = cfg.limits;
    cfg.lang.fmt(
        f.message_key,
        &[
            ("max", &MAX_BODY.to_string()),
            ("head", &super::request::MAX_HEAD.to_string()),
            ("headers", &super::request::MAX_HEADERS.to_string()),
            ("seconds", &limits.request_timeout.as_secs().to_string()),
        ],
    )
}
