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
use wxdecrypt::serve::{MAX_BODY, ServeConfig, ServeEvent, Server};

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

fn enc(s: &str) -> String {
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

struct Answer {
    status: u16,
    head: String,
    body: Value,
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
    let body = serde_json::from_str(body).unwrap_or(Value::Null);
    Answer {
        status,
        head: head.to_string(),
        body,
    }
}

fn post(addr: SocketAddr, path: &str, content_type: &str, body: &[u8]) -> Answer {
    let mut raw = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    raw.extend_from_slice(body);
    exchange(addr, &raw)
}

fn start(keyring: Vec<KeyringEntry>) -> (Server, Arc<Mutex<Vec<ServeEvent>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let cfg = ServeConfig {
        port: 0,
        appid: Some(APPID.into()),
        keyring,
        lang: Lang::En,
        now: Some(NOW),
        allow_origins: Vec::new(),
    };
    let server = Server::start(cfg, move |ev| sink.lock().unwrap().push(ev)).expect("start");
    assert!(server.addr().ip().is_loopback());
    assert_eq!(server.addr().ip().to_string(), "127.0.0.1");
    (server, events)
}

fn wait_events(events: &Mutex<Vec<ServeEvent>>, n: usize) -> Vec<ServeEvent> {
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
