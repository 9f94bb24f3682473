//! The local endpoint over loopback (127.0.0.1, ephemeral ports) with a plain HTTP/1.1 client:
//! JSON and form bodies like the seed's `wx.request`, bad and oversized bodies, the key ring,
//! concurrent requests, and the `serve` command's one line per request.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

use wxdecrypt::Lang;
use wxdecrypt::encrypt::{EncryptRequest, encrypt};
use wxdecrypt::keyring::KeyringEntry;
use wxdecrypt::pair::KeyFrom;
use wxdecrypt::serve::{Limits, MAX_BODY, MAX_HEADERS, ServeConfig, ServeEvent, Server};

const NOW: i64 = 1_700_000_000;
const APPID: &str = "wx0123456789abcdef";

fn key(seed: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(seed)
}

/// A phone payload with a fixed iv chosen so that the encryptedData holds a '+' (the form test
/// needs one to damage), keeping every run the same.
fn phone(key: &str, number: &str) -> (String, String) {
    let payload = json!({"phoneNumber": number, "purePhoneNumber": number, "countryCode": "86"});
    let attempt = |seed: u8| {
        encrypt(&EncryptRequest {
            payload: payload.to_string(),
            session_key: Some(key.into()),
            iv: Some(wxdecrypt::opendata::normalize::encode(&[seed; 16])),
            appid: Some(APPID.into()),
            timestamp: Some(NOW - 60),
            watermark: true,
            now: NOW,
        })
        .expect("encrypt")
    };
    let e = (0..=255u8)
        .map(attempt)
        .find(|e| e.encrypted_data.contains('+'))
        .expect("some iv gives a '+'");
    (e.iv, e.encrypted_data)
}

pub(crate) fn enc(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

pub(crate) struct Answer {
    pub status: u16,
    pub head: String,
    pub body: Value,
    /// The body as sent.
    pub text: String,
}

/// Sends raw bytes and reads the whole answer (the request asks the server to close).
fn exchange(addr: SocketAddr, raw: &[u8]) -> Answer {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(20))).unwrap();
    let _ = s.write_all(raw);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"));
    Answer {
        status,
        head: head.to_string(),
        body: serde_json::from_str(body).unwrap_or(Value::Null),
        text: body.to_string(),
    }
}

pub(crate) fn post(addr: SocketAddr, path: &str, content_type: &str, body: &[u8]) -> Answer {
    let mut raw = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    raw.extend_from_slice(body);
    exchange(addr, &raw)
}

pub(crate) fn get(addr: SocketAddr, path: &str) -> Answer {
    let raw = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    exchange(addr, raw.as_bytes())
}

pub(crate) fn start(keyring: Vec<KeyringEntry>) -> (Server, Arc<Mutex<Vec<ServeEvent>>>) {
    start_with(keyring, Limits::default())
}

fn start_with(keyring: Vec<KeyringEntry>, limits: Limits) -> (Server, Arc<Mutex<Vec<ServeEvent>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let cfg = ServeConfig {
        port: 0,
        appid: Some(APPID.into()),
        keyring,
        lang: Lang::En,
        now: Some(NOW),
        allow_origins: Vec::new(),
        limits,
    };
    let server = Server::start(cfg, move |ev| sink.lock().unwrap().push(ev)).expect("start");
    assert!(server.addr().ip().is_loopback());
    assert_eq!(server.addr().ip().to_string(), "127.0.0.1");
    (server, events)
}

pub(crate) fn wait_events(events: &Mutex<Vec<ServeEvent>>, n: usize) -> Vec<ServeEvent> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if events.lock().unwrap().len() >= n {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    events.lock().unwrap().clone()
}

#[test]
fn json_and_form_bodies_like_the_seed() {
    let (server, events) = start(vec![]);
    let addr = server.addr();
    let k = key("aaaaaaaaaaaaaaaa");
    let (iv, data) = phone(&k, "13800138000");

    // JSON, as wx.request sends by default.
    let body = json!({"encryptedData": data, "iv": iv, "sessionKey": k, "uid": ""}).to_string();
    let a = post(
        addr,
        "/index/users/decodePhone",
        "application/json",
        body.as_bytes(),
    );
    assert_eq!(a.status, 200, "{:?}", a.body);
    assert_eq!(a.body["phoneNumber"], "13800138000");
    assert_eq!(a.body["watermark"]["appid"], APPID);

    // Form-encoded, properly escaped.
    let form = format!(
        "encryptedData={}&iv={}&sessionKey={}&uid=",
        enc(&data),
        enc(&iv),
        enc(&k)
    );
    let a = post(
        addr,
        "/any/path?x=1",
        "application/x-www-form-urlencoded",
        form.as_bytes(),
    );
    assert_eq!(a.status, 200, "{:?}", a.body);
    assert_eq!(a.body["purePhoneNumber"], "13800138000");

    // Form with the '+' turned into spaces: repaired, answered, and reported in a header.
    assert!(data.contains('+'));
    {
        let form = format!(
            "encryptedData={}&iv={}&sessionKey={}",
            data.replace('+', " "),
            enc(&iv),
            enc(&k)
        );
        let a = post(
            addr,
            "/p",
            "application/x-www-form-urlencoded",
            form.as_bytes(),
        );
        assert_eq!(a.status, 200, "{:?}", a.body);
        assert!(
            a.head.to_ascii_lowercase().contains("repair.plus_as_space"),
            "{}",
            a.head
        );
    }

    // The wrong key: an error object with the finding code and the official code.
    let other = key("bbbbbbbbbbbbbbbb");
    let body = json!({"encryptedData": data, "iv": iv, "sessionKey": other}).to_string();
    let a = post(
        addr,
        "/index/users/decodePhone",
        "application/json",
        body.as_bytes(),
    );
    assert_eq!(a.status, 422);
    assert_eq!(a.body["error"]["code"], "key.mismatch");
    assert_eq!(a.body["error"]["official_code"], -41003);
    assert!(
        a.body["error"]["hint"]
            .as_str()
            .is_some_and(|h| !h.is_empty())
    );

    let evs = wait_events(&events, 4);
    assert!(evs.len() >= 3);
    // Workers report concurrently: look the events up rather than relying on their order.
    let first = evs
        .iter()
        .find(|e| e.path == "/index/users/decodePhone" && e.status == 200)
        .expect("the JSON request was reported");
    assert_eq!(first.key_from, Some(KeyFrom::SameRequest));
    for ev in &evs {
        let text = serde_json::to_string(ev).unwrap();
        assert!(!text.contains(&k) && !text.contains(&other), "{text}");
    }
    server.stop();
}

#[test]
fn bad_and_oversized_bodies() {
    let (server, events) = start(vec![]);
    let addr = server.addr();
    let a = post(addr, "/x", "application/json", b"{\"encryptedData\": ");
    assert_eq!(a.status, 400);
    assert_eq!(a.body["error"]["code"], "request.bad_json");
    let a = post(addr, "/x", "application/x-www-form-urlencoded", b"a=1&b=2");
    assert_eq!(a.status, 400);
    assert_eq!(a.body["error"]["code"], "request.no_payload");
    let a = post(addr, "/x", "text/plain", &[0xff, 0xfe, 0x00, 0x80]);
    assert_eq!(a.status, 400);
    let a = post(addr, "/x", "application/json", b"");
    assert_eq!(a.status, 400);

    // Declared too large: refused without reading it.
    let big = vec![b'a'; MAX_BODY + 10];
    let a = post(addr, "/x", "application/json", &big);
    assert_eq!(a.status, 413);
    assert_eq!(a.body["error"]["code"], "request.too_large");

    // Too large without a Content-Length (chunked): cut at the limit.
    let mut raw = b"POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    let chunk = vec![b'b'; 64 * 1024];
    for _ in 0..((MAX_BODY / chunk.len()) + 2) {
        raw.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        raw.extend_from_slice(&chunk);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    let a = exchange(addr, &raw);
    assert_eq!(a.status, 413);

    // Garbage instead of HTTP: the server stays up.
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = s.write_all(b"\x00\x01\x02 not http\r\n\r\n");
    let mut sink = Vec::new();
    let _ = s.read_to_end(&mut sink);
    let a = post(addr, "/x", "application/json", b"{}");
    assert_eq!(a.status, 400);

    let evs = wait_events(&events, 7);
    assert!(evs.iter().any(|e| e.status == 413));
    server.stop();
}

#[test]
fn keyring_and_concurrent_requests() {
    let k = key("cccccccccccccccc");
    let ring = vec![KeyringEntry {
        session_key: k.clone(),
        label: Some("QA".into()),
        appid: None,
        ..Default::default()
    }];
    let (server, events) = start(ring);
    let addr = server.addr();
    let mut handles = Vec::new();
    for t in 0..4 {
        let k = k.clone();
        handles.push(std::thread::spawn(move || {
            for i in 0..5 {
                let number = format!("1380000{t}{i:03}");
                let (iv, data) = phone(&k, &number);
                // No key in the request: the key ring opens it.
                let body = json!({"encryptedData": data, "iv": iv}).to_string();
                let a = post(addr, "/decode", "application/json", body.as_bytes());
                assert_eq!(a.status, 200, "{:?}", a.body);
                assert_eq!(a.body["phoneNumber"], number.as_str());
            }
        }));
    }
    for h in handles {
        h.join().expect("client thread");
    }
    let evs = wait_events(&events, 20);
    assert_eq!(evs.len(), 20);
    assert!(evs.iter().all(|e| e.ok
        && e.key_from
            == Some(KeyFrom::Keyring {
                index: 0,
                label: Some("QA".into())
            })));
    server.stop();
}

#[test]
fn serve_command_prints_one_masked_line_per_request() {
    let exe = assert_cmd::cargo::cargo_bin("wxdecrypt");
    let mut child = std::process::Command::new(exe)
        .args(["serve", "--port", "0", "--exit-after", "1", "--lang", "en"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().unwrap();
    let mut first = String::new();
    let mut reader = BufReader::new(stderr);
    reader.read_line(&mut first).unwrap();
    // Keep reading stderr so the server never writes into a closed pipe.
    let drain = std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = reader.read_to_string(&mut rest);
        rest
    });
    let addr: SocketAddr = first
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    assert!(addr.ip().is_loopback());
    let k = key("dddddddddddddddd");
    let (iv, data) = phone(&k, "13912345678");
    let form = format!(
        "encryptedData={}&iv={}&sessionKey={}&uid=",
        enc(&data),
        enc(&iv),
        enc(&k)
    );
    let a = post(
        addr,
        "/index/users/decodePhone",
        "application/x-www-form-urlencoded",
        form.as_bytes(),
    );
    assert_eq!(a.status, 200);
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "serve did not exit"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let rest = drain.join().unwrap_or_default();
    assert!(status.success(), "{rest}");
    assert!(rest.contains("Local Settings"), "{rest}");
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(out.contains("POST /index/users/decodePhone  200"), "{out}");
    assert!(out.contains("139****5678"), "{out}");
    assert!(!out.contains("13912345678") && !out.contains(&k), "{out}");
}

/// Issue 11, item 18: the endpoint is no decryption oracle for web pages. A page elsewhere (its
/// Origin) and a DNS-rebinding page (its Host) are refused, with no wildcard CORS header; the
/// WeChat DevTools' requests and plain clients are answered.
#[test]
fn web_pages_elsewhere_cannot_use_the_endpoint() {
    let k = key("dddddddddddddddd");
    let ring = vec![KeyringEntry {
        session_key: k.clone(),
        label: Some("QA".into()),
        ..Default::default()
    }];
    let (server, _events) = start(ring);
    let addr = server.addr();
    let (iv, data) = phone(&k, "13800000000");
    let body = json!({"encryptedData": data, "iv": iv}).to_string();
    let request = |headers: &str| {
        let raw = format!(
            "POST /decode HTTP/1.1\r\n{headers}Content-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        exchange(addr, raw.as_bytes())
    };
    let port = addr.port();
    let own = format!("Host: 127.0.0.1:{port}\r\n");
    // The campaign's request: another site's page, the endpoint's host rebound to its name.
    let a = request(&format!(
        "Host: evil.example:{port}\r\nOrigin: https://evil.example\r\n"
    ));
    assert_eq!(a.status, 403, "{}", a.head);
    assert_eq!(a.body["error"]["code"], "request.bad_host");
    assert!(a.body.get("phoneNumber").is_none());
    let a = request(&format!("{own}Origin: https://evil.example\r\n"));
    assert_eq!(a.status, 403, "{}", a.head);
    assert_eq!(a.body["error"]["code"], "request.cross_origin");
    let a = request(&format!(
        "{own}Sec-Fetch-Site: cross-site\r\nReferer: https://evil.example/\r\n"
    ));
    assert_eq!(a.status, 403, "{}", a.head);
    // The WeChat DevTools (simulator pages on servicewechat.com).
    let a = request(&format!(
        "{own}Referer: https://servicewechat.com/wx0123456789abcdef/devtools/page-frame.html\r\n"
    ));
    assert_eq!(a.status, 200, "{}", a.head);
    assert_eq!(a.body["phoneNumber"], "13800000000");
    let a = request(&format!("{own}Origin: https://servicewechat.com\r\n"));
    assert_eq!(a.status, 200, "{}", a.head);
    let head = a.head.to_ascii_lowercase();
    assert!(
        head.contains("access-control-allow-origin: https://servicewechat.com"),
        "{head}"
    );
    // curl and scripts: no Origin, and never a wildcard.
    let a = request(&own);
    assert_eq!(a.status, 200, "{}", a.head);
    assert!(
        !a.head
            .to_ascii_lowercase()
            .contains("access-control-allow-origin"),
        "{}",
        a.head
    );
}

/// Threads of this process of the endpoint on `port` (named `serve:PORT:…`).
fn serve_threads(port: u16) -> usize {
    let prefix = format!("serve:{port}:");
    std::fs::read_dir("/proc/self/task")
        .map(|d| {
            d.flatten()
                .filter(|t| {
                    std::fs::read_to_string(t.path().join("comm"))
                        .is_ok_and(|c| c.starts_with(&prefix))
                })
                .count()
        })
        .unwrap_or(0)
}

/// Issue 11, item 5: clients that send a head and a few bytes of body (or half a head) and wait
/// took every worker, and each connection a thread. Now they cost a buffer each: valid requests
/// are answered meanwhile, the thread count stays the pool's, and the slow ones get 408 at the
/// request deadline.
#[test]
fn slow_clients_cost_no_thread_and_stall_nobody() {
    let k = key("eeeeeeeeeeeeeeee");
    let limits = Limits {
        request_timeout: Duration::from_secs(2),
        ..Limits::default()
    };
    let (server, events) = start_with(vec![], limits);
    let addr = server.addr();
    // A thread names itself when it starts running: wait for the pool to be up.
    let pool = Limits::default().workers + 1;
    let start = Instant::now();
    while serve_threads(addr.port()) < pool && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(serve_threads(addr.port()), pool);
    let mut slow = Vec::new();
    for i in 0..200 {
        let mut s = TcpStream::connect(addr).expect("connect");
        let raw: &[u8] = match i % 3 {
            0 => b"POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000\r\n\r\n{\"enc",
            1 => {
                b"POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nab"
            }
            _ => b"POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
        };
        s.write_all(raw).expect("send");
        slow.push(s);
    }
    // Every slow client is connected and waiting; valid requests are still answered.
    for i in 0..10 {
        let number = format!("1390000{i:04}");
        let (iv, data) = phone(&k, &number);
        let body = json!({"encryptedData": data, "iv": iv, "sessionKey": k}).to_string();
        let a = post(addr, "/decode", "application/json", body.as_bytes());
        assert_eq!(a.status, 200, "{:?}", a.body);
        assert_eq!(a.body["phoneNumber"], number.as_str());
    }
    assert_eq!(serve_threads(addr.port()), pool);
    // At the deadline each slow client is answered 408 and closed.
    for mut s in slow {
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        let text = String::from_utf8_lossy(&out);
        assert!(text.starts_with("HTTP/1.1 408 "), "{text}");
        assert!(text.contains("request.timeout"), "{text}");
    }
    let evs = wait_events(&events, 210);
    assert_eq!(evs.iter().filter(|e| e.status == 408).count(), 200);
    assert_eq!(evs.iter().filter(|e| e.status == 200).count(), 10);
    server.stop();
    // A joined thread can stay listed in /proc for a moment while the kernel reaps it.
    let start = Instant::now();
    while serve_threads(addr.port()) > 0 && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(serve_threads(addr.port()), 0);
}

/// Heads past the limits are answered 431; a silent connection is closed at the idle timeout
/// without an answer; one kept alive serves several requests in turn, pipelined ones too.
#[test]
fn head_limits_idle_connections_and_keep_alive() {
    let limits = Limits {
        idle_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let (server, _events) = start_with(vec![], limits);
    let addr = server.addr();
    let many: String = (0..=MAX_HEADERS).map(|i| format!("X-{i}: v\r\n")).collect();
    let a = exchange(addr, format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes());
    assert_eq!(a.status, 431);
    assert_eq!(a.body["error"]["code"], "request.head_too_large");
    let long = format!("GET / HTTP/1.1\r\nX-Long: {}\r\n\r\n", "v".repeat(20_000));
    assert_eq!(exchange(addr, long.as_bytes()).status, 431);
    let a = exchange(
        addr,
        b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    );
    assert_eq!(a.status, 400);
    assert_eq!(a.body["error"]["code"], "request.malformed");

    // Silent: closed without a byte.
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut out = Vec::new();
    assert_eq!(s.read_to_end(&mut out).ok(), Some(0));

    // Kept alive: two requests in one write, then a third; each answered in order.
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let one = "POST /a HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}";
    s.write_all(format!("{one}{one}").as_bytes()).unwrap();
    let mut reader = BufReader::new(s.try_clone().unwrap());
    for _ in 0..2 {
        let (status, head) = read_answer(&mut reader);
        assert_eq!(status, 400);
        assert!(
            head.to_ascii_lowercase().contains("connection: keep-alive"),
            "{head}"
        );
    }
    s.write_all(
        one.replace("/a", "/b")
            .replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .unwrap();
    let (status, head) = read_answer(&mut reader);
    assert_eq!(status, 400);
    assert!(
        head.to_ascii_lowercase().contains("connection: close"),
        "{head}"
    );
    let mut rest = Vec::new();
    let _ = reader.read_to_end(&mut rest);
    assert!(rest.is_empty());
    server.stop();
}

/// `Expect: 100-continue` (curl sends it for bodies over 1 KiB) gets the interim answer at once.
#[test]
fn expect_continue_is_answered() {
    let k = key("ffffffffffffffff");
    let (server, _events) = start(vec![]);
    let (iv, data) = phone(&k, "13800000001");
    let body = json!({"encryptedData": data, "iv": iv, "sessionKey": k}).to_string();
    let mut s = TcpStream::connect(server.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let head = format!(
        "POST /d HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    let mut reader = BufReader::new(s.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "HTTP/1.1 100 Continue\r\n");
    line.clear();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "\r\n");
    s.write_all(body.as_bytes()).unwrap();
    let (status, _) = read_answer(&mut reader);
    assert_eq!(status, 200);
    server.stop();
}

/// Reads one answer (head and a body of its Content-Length) from a kept-alive connection.
fn read_answer(reader: &mut BufReader<TcpStream>) -> (u16, String) {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("answer");
        if line == "\r\n" || line.is_empty() {
            break;
        }
        head.push_str(&line);
    }
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let len = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(str::to_string)
        })
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).expect("body");
    (status, head)
}
