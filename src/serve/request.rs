//! Reading one HTTP/1.1 request from the bytes a connection has delivered so far, within stated
//! limits: the head (request line and headers, parsed by `httparse`) at most [`MAX_HEAD`] bytes and
//! [`MAX_HEADERS`] headers, the body at most [`MAX_BODY`] bytes, by `Content-Length` or chunked.
//! Each byte is looked at a bounded number of times, however it is split across reads.

use super::MAX_BODY;

/// The largest request head (request line and headers) accepted: larger ones are answered 431.
pub const MAX_HEAD: usize = 16 * 1024;
/// The most headers a request may carry: more are answered 431.
pub const MAX_HEADERS: usize = 64;

/// The longest chunk-size line (with its extensions) accepted.
const MAX_CHUNK_LINE: usize = 1024;

/// A request read whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The request target: path and query string.
    pub target: String,
    /// Header names (lower case) and values (lossy UTF-8), in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Whether the client wants the connection kept open for another request.
    pub keep_alive: bool,
}

impl Request {
    /// The value of header `name` (lower case), the first one if repeated.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request cannot be read: the status, the `request.*` code and the catalogue message key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure {
    pub status: u16,
    pub code: &'static str,
    pub message_key: &'static str,
}

impl Failure {
    pub const BAD_REQUEST: Failure = Failure {
        status: 400,
        code: "request.malformed",
        message_key: "serve.error.malformed",
    };
    pub const HEAD_TOO_LARGE: Failure = Failure {
        status: 431,
        code: "request.head_too_large",
        message_key: "serve.error.head_too_large",
    };
    pub const TOO_LARGE: Failure = Failure {
        status: 413,
        code: "request.too_large",
        message_key: "serve.error.too_large",
    };
    pub const TIMEOUT: Failure = Failure {
        status: 408,
        code: "request.timeout",
        message_key: "serve.error.timeout",
    };
    pub const BUSY: Failure = Failure {
        status: 503,
        code: "request.busy",
        message_key: "serve.error.busy",
    };
}

/// What the bytes so far amount to.
#[derive(Debug, PartialEq, Eq)]
pub enum Progress {
    /// More bytes are needed. `continue_now` is set once, when the head asked for
    /// `Expect: 100-continue` and the body may now be sent.
    Partial { continue_now: bool },
    /// A whole request; bytes after it stay in the reader (a pipelined next request).
    Done(Box<Request>),
    /// The request cannot be read; `head` is what was read of it, if its head was whole.
    Failed(Failure, Option<Box<Request>>),
}

#[derive(Debug)]
enum Body {
    Length(usize),
    Chunked(Chunked),
}

#[derive(Debug, Clone, Copy)]
enum Chunked {
    /// Before a chunk-size line.
    Size,
    /// Inside a chunk: this many data bytes left.
    Data(usize),
    /// After a chunk's data: its CRLF.
    DataEnd,
    /// After the last (zero) chunk: trailer lines until an empty one.
    Trailer,
}

/// The bytes of one connection and where reading them has got to.
#[derive(Debug, Default)]
pub struct Reader {
    buf: Vec<u8>,
    /// Bytes of `buf` already consumed by the request being read.
    pos: usize,
    /// Where the search for the end of the head resumes.
    scanned: usize,
    head: Option<(Box<Request>, Body)>,
    continue_sent: bool,
}

impl Reader {
    /// Whether no byte of a request has arrived yet.
    pub fn is_empty(&self) -> bool {
        self.buf.len() == self.pos && self.head.is_none()
    }

    /// The head of the request being read, if it has arrived whole (for a request that timed out).
    pub fn take_head(&mut self) -> Option<Box<Request>> {
        self.head.take().map(|(mut req, _)| {
            req.body.clear();
            req
        })
    }

    /// Adds bytes read from the connection.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Reads as far as the bytes allow.
    pub fn progress(&mut self) -> Progress {
        if self.head.is_none() {
            match self.read_head() {
                Ok(Some(head)) => self.head = Some(head),
                Ok(None) => {
                    return Progress::Partial {
                        continue_now: false,
                    };
                }
                Err(f) => return Progress::Failed(f, None),
            }
        }
        let Some((mut req, mut body)) = self.head.take() else {
            return Progress::Partial {
                continue_now: false,
            };
        };
        let read = match &mut body {
            Body::Length(n) => {
                let take = (*n - req.body.len()).min(self.buf.len() - self.pos);
                req.body
                    .extend_from_slice(&self.buf[self.pos..self.pos + take]);
                self.pos += take;
                Ok(req.body.len() == *n)
            }
            Body::Chunked(state) => dechunk(&self.buf, &mut self.pos, state, &mut req.body),
        };
        match read {
            Ok(true) => {
                self.buf.drain(..self.pos);
                self.pos = 0;
                self.scanned = 0;
                self.continue_sent = false;
                Progress::Done(req)
            }
            Ok(false) => {
                let ask = req
                    .header("expect")
                    .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"));
                let continue_now = ask && !self.continue_sent;
                self.continue_sent |= ask;
                self.head = Some((req, body));
                self.compact();
                Progress::Partial { continue_now }
            }
            Err(f) => {
                req.body.clear();
                Progress::Failed(f, Some(req))
            }
        }
    }

    /// Drops consumed bytes once they are the larger part of the buffer (amortised linear).
    fn compact(&mut self) {
        if self.pos > 4096 && self.pos * 2 > self.buf.len() {
            self.buf.drain(..self.pos);
            self.scanned = self.scanned.saturating_sub(self.pos);
            self.pos = 0;
        }
    }

    /// Parses the head once its blank line has arrived. `Ok(None)`: not yet.
    fn read_head(&mut self) -> Result<Option<(Box<Request>, Body)>, Failure> {
        // Blank lines before a request are ignored (RFC 9112 §2.2).
        while self.buf[self.pos..].starts_with(b"\r\n") {
            self.pos += 2;
        }
        // Resume 3 bytes back: the blank line may straddle two reads.
        let from = self.scanned.saturating_sub(3).max(self.pos);
        let Some(at) = self.buf[from..].windows(4).position(|w| w == b"\r\n\r\n") else {
            self.scanned = self.buf.len();
            if self.buf.len() - self.pos > MAX_HEAD {
                return Err(Failure::HEAD_TOO_LARGE);
            }
            return Ok(None);
        };
        let end = from + at + 4;
        if end - self.pos > MAX_HEAD {
            return Err(Failure::HEAD_TOO_LARGE);
        }
        let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut slots);
        match parsed.parse(&self.buf[self.pos..end]) {
            Ok(httparse::Status::Complete(_)) => {}
            Ok(httparse::Status::Partial) => return Err(Failure::BAD_REQUEST),
            Err(httparse::Error::TooManyHeaders) => return Err(Failure::HEAD_TOO_LARGE),
            Err(_) => return Err(Failure::BAD_REQUEST),
        }
        let (Some(method), Some(target), Some(version)) =
            (parsed.method, parsed.path, parsed.version)
        else {
            return Err(Failure::BAD_REQUEST);
        };
        let headers: Vec<(String, String)> = parsed
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_ascii_lowercase(),
                    String::from_utf8_lossy(h.value).trim().to_string(),
                )
            })
            .collect();
        let mut req = Box::new(Request {
            method: method.to_string(),
            target: target.to_string(),
            headers,
            body: Vec::new(),
            keep_alive: false,
        });
        req.keep_alive = keep_alive(&req, version);
        let body = body_of(&req)?;
        self.pos = end;
        self.scanned = end;
        Ok(Some((req, body)))
    }
}

fn keep_alive(req: &Request, version: u8) -> bool {
    let tokens = req.header("connection").unwrap_or("").to_ascii_lowercase();
    let has = |t: &str| tokens.split(',').any(|x| x.trim() == t);
    if version == 0 {
        has("keep-alive")
    } else {
        !has("close")
    }
}

/// How the body is delimited: `Content-Length` or chunked; both, several lengths that differ, or
/// another transfer coding are refused (request smuggling looks like that).
fn body_of(req: &Request) -> Result<Body, Failure> {
    let te = req.headers.iter().filter(|(n, _)| n == "transfer-encoding");
    let mut lengths = req.headers.iter().filter(|(n, _)| n == "content-length");
    let chunked = match te.map(|(_, v)| v.to_ascii_lowercase()).collect::<Vec<_>>()[..] {
        [] => false,
        [ref v] if v == "chunked" => true,
        _ => return Err(Failure::BAD_REQUEST),
    };
    let first = lengths.next();
    if chunked {
        return match first {
            None => Ok(Body::Chunked(Chunked::Size)),
            Some(_) => Err(Failure::BAD_REQUEST),
        };
    }
    let Some((_, v)) = first else {
        return Ok(Body::Length(0));
    };
    if lengths.any(|(_, other)| other != v) {
        return Err(Failure::BAD_REQUEST);
    }
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Failure::BAD_REQUEST);
    }
    match v.parse::<usize>() {
        Ok(n) if n <= MAX_BODY => Ok(Body::Length(n)),
        _ => Err(Failure::TOO_LARGE),
    }
}

/// Decodes chunked bytes from `buf[*pos..]` into `body`. `Ok(true)`: the last chunk and its
/// trailer have been read.
fn dechunk(
    buf: &[u8],
    pos: &mut usize,
    state: &mut Chunked,
    body: &mut Vec<u8>,
) -> Result<bool, Failure> {
    loop {
        match *state {
            Chunked::Size => {
                let rest = &buf[*pos..];
                match httparse::parse_chunk_size(rest) {
                    Ok(httparse::Status::Complete((used, _))) if used > MAX_CHUNK_LINE => {
                        return Err(Failure::BAD_REQUEST);
                    }
                    Ok(httparse::Status::Complete((used, size))) => {
                        *pos += used;
                        let size = usize::try_from(size).map_err(|_| Failure::TOO_LARGE)?;
                        if size > MAX_BODY - body.len() {
                            return Err(Failure::TOO_LARGE);
                        }
                        *state = if size == 0 {
                            Chunked::Trailer
                        } else {
                            Chunked::Data(size)
                        };
                    }
                    Ok(httparse::Status::Partial) if rest.len() > MAX_CHUNK_LINE => {
                        return Err(Failure::BAD_REQUEST);
                    }
                    Ok(httparse::Status::Partial) => return Ok(false),
                    Err(_) => return Err(Failure::BAD_REQUEST),
                }
            }
            Chunked::Data(left) => {
                let take = left.min(buf.len() - *pos);
                body.extend_from_slice(&buf[*pos..*pos + take]);
                *pos += take;
                if take < left {
                    *state = Chunked::Data(left - take);
                    return Ok(false);
                }
                *state = Chunked::DataEnd;
            }
            Chunked::DataEnd => {
                let rest = &buf[*pos..];
                if rest.len() < 2 {
                    return Ok(false);
                }
                if &rest[..2] != b"\r\n" {
                    return Err(Failure::BAD_REQUEST);
                }
                *pos += 2;
                *state = Chunked::Size;
            }
            Chunked::Trailer => {
                let rest = &buf[*pos..];
                let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") else {
                    if rest.len() > MAX_HEAD {
                        return Err(Failure::HEAD_TOO_LARGE);
                    }
                    return Ok(false);
                };
                *pos += eol + 2;
                if eol == 0 {
                    return Ok(true);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(parts: &[&[u8]]) -> Vec<Progress> {
        let mut r = Reader::default();
        parts
            .iter()
            .map(|p| {
                r.push(p);
                r.progress()
            })
            .collect()
    }

    fn done(p: &Progress) -> &Request {
        match p {
            Progress::Done(r) => r,
            other => panic!("not done: {other:?}"),
        }
    }

    #[test]
    fn content_length_split_anywhere() {
        let raw = b"POST /a?b=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
        for cut in 0..raw.len() {
            let out = read_all(&[&raw[..cut], &raw[cut..]]);
            let req = done(&out[1]);
            assert_eq!(req.method, "POST");
            assert_eq!(req.target, "/a?b=1");
            assert_eq!(req.body, b"hello");
            assert!(req.keep_alive);
            assert_eq!(req.header("host"), Some("x"));
        }
    }

    #[test]
    fn chunked_with_extension_and_trailer() {
        let raw = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5;x=y\r\nhello\r\n1\r\n!\r\n0\r\nX-T: 1\r\n\r\n";
        for cut in 0..raw.len() {
            let out = read_all(&[&raw[..cut], &raw[cut..]]);
            let req = done(&out[1]);
            assert_eq!(req.body, b"hello!");
            assert!(!req.keep_alive);
        }
    }

    #[test]
    fn pipelined_requests_are_read_one_after_the_other() {
        let mut r = Reader::default();
        r.push(b"GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.0\r\n\r\n");
        assert_eq!(done(&r.progress()).target, "/1");
        let second = r.progress();
        assert_eq!(done(&second).target, "/2");
        assert!(!done(&second).keep_alive);
        assert!(r.is_empty());
    }

    #[test]
    fn limits_and_malformed_heads() {
        let fail = |raw: &[u8]| match read_all(&[raw]).pop() {
            Some(Progress::Failed(f, _)) => f.status,
            other => panic!("not refused: {other:?}"),
        };
        assert_eq!(fail(&vec![b'a'; MAX_HEAD + 1]), 431);
        let many: String = (0..=MAX_HEADERS).map(|i| format!("X-{i}: v\r\n")).collect();
        assert_eq!(
            fail(format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes()),
            431
        );
        assert_eq!(fail(b"\x00\x01 not http\r\n\r\n"), 400);
        let big = format!(
            "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY + 1
        );
        assert_eq!(fail(big.as_bytes()), 413);
        assert_eq!(
            fail(b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
            400
        );
        assert_eq!(fail(b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"), 400);
        assert_eq!(
            fail(b"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            400
        );
        assert_eq!(
            fail(b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"),
            400
        );
        assert_eq!(
            fail(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            400
        );
        let over = format!(
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n",
            MAX_BODY + 1
        );
        assert_eq!(fail(over.as_bytes()), 413);
    }

    #[test]
    fn expect_continue_is_signalled_once() {
        let mut r = Reader::default();
        r.push(b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        assert_eq!(r.progress(), Progress::Partial { continue_now: true });
        r.push(b"o");
        assert_eq!(
            r.progress(),
            Progress::Partial {
                continue_now: false
            }
        );
        r.push(b"k");
        assert_eq!(done(&r.progress()).body, b"ok");
    }

    #[test]
    fn a_head_in_single_bytes_is_scanned_linearly() {
        let mut r = Reader::default();
        let raw = format!(
            "GET / HTTP/1.1\r\nX: {}\r\n\r\n",
            "v".repeat(MAX_HEAD - 100)
        );
        let mut last = Progress::Partial {
            continue_now: false,
        };
        for b in raw.as_bytes() {
            r.push(&[*b]);
            last = r.progress();
        }
        assert_eq!(done(&last).target, "/");
    }
}
