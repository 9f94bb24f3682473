//! The connections: one thread multiplexes every socket (`mio`), reads requests within their
//! deadlines, hands whole ones to the worker pool and writes the answers back. A slow or silent
//! client costs a buffer, never a thread: the threads are this one and the pool, however many
//! clients connect.

use std::io::{ErrorKind, Read, Write};
use std::net::Shutdown;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::time::{Duration, Instant};

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};

use super::handler::{bare_event, request_error};
use super::request::{Failure, Progress, Reader, Request};
use super::{Limits, ServeEvent, response};
use crate::i18n::Lang;

pub(super) const LISTENER: Token = Token(0);
pub(super) const WAKER: Token = Token(1);
const FIRST_CONN: usize = 2;
/// How often deadlines are checked when nothing happens.
const TICK: Duration = Duration::from_millis(100);
/// How long a closing connection's unread input is drained, so the client sees the answer
/// instead of a reset.
const LINGER: Duration = Duration::from_secs(2);

/// A request (or why it could not be read) for the pool.
pub(super) struct Job {
    pub token: usize,
    pub serial: u64,
    pub read: Result<Box<Request>, (Failure, Option<Box<Request>>)>,
    /// The connection closes after this answer whatever the request asks.
    pub close: bool,
}

/// An answer from the pool.
pub(super) struct Done {
    pub token: usize,
    pub serial: u64,
    pub bytes: Vec<u8>,
    pub close: bool,
}

enum Phase {
    Reading,
    /// A request is with the pool.
    Waiting,
    Writing {
        out: Vec<u8>,
        at: usize,
        close: bool,
    },
    /// Answered and shut for writing: unread input is discarded until the client closes.
    Draining,
}

struct Conn {
    stream: TcpStream,
    serial: u64,
    phase: Phase,
    deadline: Instant,
    reader: Reader,
    served: usize,
}

/// What the loop needs besides its sockets.
pub(super) struct Loop {
    pub poll: Poll,
    pub listener: TcpListener,
    pub jobs: SyncSender<Job>,
    pub done: Receiver<Done>,
    pub stop: Arc<AtomicBool>,
    pub limits: Limits,
    pub lang: Lang,
    pub on_busy: Arc<dyn Fn(ServeEvent) + Send + Sync>,
}

/// The connection table: slots reused, each use with a new serial so late answers for a closed
/// connection are dropped.
struct Conns {
    slots: Vec<Option<Conn>>,
    free: Vec<usize>,
    open: usize,
    serial: u64,
}

impl Loop {
    /// Runs until the stop flag is set (and the waker woken).
    pub fn run(mut self) {
        let mut events = Events::with_capacity(256);
        let mut conns = Conns {
            slots: Vec::new(),
            free: Vec::new(),
            open: 0,
            serial: 0,
        };
        let mut buf = vec![0u8; 64 * 1024];
        while !self.stop.load(Ordering::SeqCst) {
            if let Err(e) = self.poll.poll(&mut events, Some(TICK))
                && e.kind() != ErrorKind::Interrupted
            {
                break;
            }
            for ev in events.iter() {
                match ev.token() {
                    LISTENER => self.accept(&mut conns),
                    WAKER => {}
                    Token(t) => self.drive(&mut conns, t, &mut buf),
                }
            }
            while let Ok(done) = self.done.try_recv() {
                let Some(conn) = conns.get(done.token, done.serial) else {
                    continue;
                };
                conn.phase = Phase::Writing {
                    out: done.bytes,
                    at: 0,
                    close: done.close,
                };
                conn.deadline = Instant::now() + self.limits.request_timeout;
                self.drive(&mut conns, done.token, &mut buf);
            }
            self.expire(&mut conns, &mut buf);
        }
    }

    fn accept(&mut self, conns: &mut Conns) {
        loop {
            let (mut stream, _) = match self.listener.accept() {
                Ok(s) => s,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => return,
            };
            if conns.open >= self.limits.max_connections {
                // Best effort: the socket is new, its buffer empty.
                let _ = stream.write(&self.busy_bytes());
                let _ = stream.shutdown(Shutdown::Both);
                (self.on_busy)(self.busy_event());
                continue;
            }
            let _ = stream.set_nodelay(true);
            let (token, serial) = conns.reserve();
            if self
                .poll
                .registry()
                .register(
                    &mut stream,
                    Token(token),
                    Interest::READABLE | Interest::WRITABLE,
                )
                .is_err()
            {
                conns.release(token);
                continue;
            }
            conns.put(
                token,
                Conn {
                    stream,
                    serial,
                    phase: Phase::Reading,
                    deadline: Instant::now() + self.limits.idle_timeout,
                    reader: Reader::default(),
                    served: 0,
                },
            );
        }
    }

    fn busy_bytes(&self) -> Vec<u8> {
        let f = Failure::BUSY;
        let reply = request_error(f.status, f.code, self.lang.tr(f.message_key).to_string());
        response::encode(&reply, None, true)
    }

    fn busy_event(&self) -> ServeEvent {
        let f = Failure::BUSY;
        let mut ev = bare_event("-", "-");
        ev.status = f.status;
        ev.code = Some(f.code.to_string());
        ev.error = Some(self.lang.tr(f.message_key).to_string());
        ev
    }

    /// Moves one connection on as far as its socket allows.
    fn drive(&mut self, conns: &mut Conns, token: usize, buf: &mut [u8]) {
        let limits = self.limits;
        loop {
            let Some(conn) = conns.slot(token) else {
                return;
            };
            let step = match &mut conn.phase {
                Phase::Reading => match conn.reader.progress() {
                    Progress::Done(req) => {
                        conn.served += 1;
                        let close = conn.served >= limits.max_requests_per_connection;
                        Step::Submit(Ok(req), close)
                    }
                    Progress::Failed(f, head) => Step::Submit(Err((f, head)), true),
                    Progress::Partial { continue_now } => {
                        if continue_now {
                            let _ = conn.stream.write(response::CONTINUE);
                        }
                        let was_empty = conn.reader.is_empty();
                        match conn.stream.read(buf) {
                            Ok(0) => Step::Close,
                            Ok(n) => {
                                if was_empty {
                                    conn.deadline = Instant::now() + limits.request_timeout;
                                }
                                conn.reader.push(&buf[..n]);
                                Step::Again
                            }
                            Err(e) => on_error(&e),
                        }
                    }
                },
                Phase::Waiting => Step::Stay,
                Phase::Writing { out, at, close } => match conn.stream.write(&out[*at..]) {
                    Ok(0) => Step::Close,
                    Ok(n) => {
                        *at += n;
                        if *at < out.len() {
                            Step::Again
                        } else if *close {
                            let _ = conn.stream.shutdown(Shutdown::Write);
                            conn.phase = Phase::Draining;
                            conn.deadline = Instant::now() + LINGER;
                            Step::Again
                        } else {
                            conn.phase = Phase::Reading;
                            conn.deadline = Instant::now()
                                + if conn.reader.is_empty() {
                                    limits.idle_timeout
                                } else {
                                    limits.request_timeout
                                };
                            Step::Again
                        }
                    }
                    Err(e) => on_error(&e),
                },
                Phase::Draining => match conn.stream.read(buf) {
                    Ok(0) => Step::Close,
                    Ok(_) => Step::Again,
                    Err(e) => on_error(&e),
                },
            };
            match step {
                Step::Again => {}
                Step::Stay => return,
                Step::Close => {
                    self.close(conns, token);
                    return;
                }
                Step::Submit(read, close) => {
                    self.submit(conns, token, read, close);
                    return;
                }
            }
        }
    }

    /// Hands a request to the pool; answers 503 itself when the pool's queue is full.
    fn submit(
        &mut self,
        conns: &mut Conns,
        token: usize,
        read: Result<Box<Request>, (Failure, Option<Box<Request>>)>,
        close: bool,
    ) {
        let Some(conn) = conns.slot(token) else {
            return;
        };
        conn.phase = Phase::Waiting;
        let job = Job {
            token,
            serial: conn.serial,
            read,
            close,
        };
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => {
                conn.phase = Phase::Writing {
                    out: self.busy_bytes(),
                    at: 0,
                    close: true,
                };
                (self.on_busy)(self.busy_event());
            }
        }
    }

    /// Deals with connections past their deadline: a silent one is closed, a request that has not
    /// arrived whole in time is answered 408.
    fn expire(&mut self, conns: &mut Conns, buf: &mut [u8]) {
        let now = Instant::now();
        for token in 0..conns.slots.len() {
            let Some(conn) = conns.slots[token].as_mut() else {
                continue;
            };
            if conn.deadline > now || matches!(conn.phase, Phase::Waiting) {
                continue;
            }
            let token = token + FIRST_CONN;
            if matches!(conn.phase, Phase::Reading) && !conn.reader.is_empty() {
                let head = conn.reader.take_head();
                self.submit(conns, token, Err((Failure::TIMEOUT, head)), true);
                self.drive(conns, token, buf);
            } else {
                self.close(conns, token);
            }
        }
    }

    fn close(&mut self, conns: &mut Conns, token: usize) {
        if let Some(mut conn) = conns.take(token) {
            let _ = self.poll.registry().deregister(&mut conn.stream);
        }
    }
}

/// What [`Loop::drive`] does next.
enum Step {
    Again,
    Stay,
    Close,
    Submit(Result<Box<Request>, (Failure, Option<Box<Request>>)>, bool),
}

/// A socket error: wait for readiness, retry, or give the connection up.
fn on_error(e: &std::io::Error) -> Step {
    match e.kind() {
        ErrorKind::WouldBlock => Step::Stay,
        ErrorKind::Interrupted => Step::Again,
        _ => Step::Close,
    }
}

impl Conns {
    fn reserve(&mut self) -> (usize, u64) {
        self.serial += 1;
        self.open += 1;
        let index = match self.free.pop() {
            Some(i) => i,
            None => {
                self.slots.push(None);
                self.slots.len() - 1
            }
        };
        (index + FIRST_CONN, self.serial)
    }

    fn put(&mut self, token: usize, conn: Conn) {
        if let Some(slot) = self.slots.get_mut(token - FIRST_CONN) {
            *slot = Some(conn);
        }
    }

    fn release(&mut self, token: usize) {
        self.open -= 1;
        self.free.push(token - FIRST_CONN);
    }

    fn slot(&mut self, token: usize) -> Option<&mut Conn> {
        self.slots
            .get_mut(token.checked_sub(FIRST_CONN)?)
            .and_then(Option::as_mut)
    }

    fn get(&mut self, token: usize, serial: u64) -> Option<&mut Conn> {
        self.slot(token).filter(|c| c.serial == serial)
    }

    fn take(&mut self, token: usize) -> Option<Conn> {
        let conn = self.slots.get_mut(token.checked_sub(FIRST_CONN)?)?.take()?;
        self.release(token);
        Some(conn)
    }
}
