//! Captures: HAR, Burp XML, curl, raw HTTP and log fixtures made here with synthetic keys; pairing
//! of payloads with keys, the key ring, malformed entries, streaming progress; the `scan` and
//! `keyring` commands (exit codes, JSON Lines shape).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use base64::Engine as _;
use serde_json::{Value, json};

use wxdecrypt::Lang;
use wxdecrypt::Options;
use wxdecrypt::capture::{self, Scan, ScanItem, ScanOptions};
use wxdecrypt::encrypt::{EncryptRequest, encrypt};
use wxdecrypt::keyring::{Keyring, KeyringEntry};
use wxdecrypt::pair::KeyFrom;

pub(crate) const NOW: i64 = 1_700_000_000;
pub(crate) const APPID: &str = "wx0123456789abcdef";

pub(crate) fn key(seed: &str) -> String {
    assert_eq!(seed.len(), 16);
    base64::engine::general_purpose::STANDARD.encode(seed)
}

/// A phone number payload encrypted with `key` (fixed iv derived from the phone for determinism).
pub(crate) fn phone(key: &str, number: &str) -> (String, String) {
    let iv = base64::engine::general_purpose::STANDARD.encode(format!("iv{number:0>14}"));
    let payload = json!({"phoneNumber": number, "purePhoneNumber": number, "countryCode": "86"});
    let e = encrypt(&EncryptRequest {
        payload: payload.to_string(),
        session_key: Some(key.into()),
        iv: Some(iv),
        appid: Some(APPID.into()),
        timestamp: Some(NOW - 60),
        watermark: true,
        now: NOW,
    })
    .expect("encrypt");
    (e.iv, e.encrypted_data)
}

/// A payload whose encryptedData contains '+' (searching a bounded number of phone numbers).
fn phone_with_plus(key: &str) -> (String, String, String) {
    for i in 0..200 {
        let number = format!("1390000{i:04}");
        let (iv, data) = phone(key, &number);
        if data.contains('+') && !iv.contains('+') {
            return (number, iv, data);
        }
    }
    panic!("no payload with '+' found");
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

pub(crate) fn opts(keyring: Vec<KeyringEntry>) -> ScanOptions {
    ScanOptions {
        appid: None,
        keyring,
        inspect: Some(Options::new(NOW, Lang::En)),
    }
}

fn scan(paths: &[PathBuf], keyring: Vec<KeyringEntry>) -> Scan {
    capture::scan_files(paths, &opts(keyring), None, &mut |_| {}).expect("scan")
}

pub(crate) fn entry(
    method: &str,
    url: &str,
    headers: Value,
    post: Option<Value>,
    response: Value,
) -> Value {
    let mut req = json!({"method": method, "url": url, "headers": headers, "queryString": []});
    if let Some(p) = post {
        req["postData"] = p;
    }
    json!({
        "startedDateTime": "2024-05-01T10:00:00.000Z",
        "request": req,
        "response": {"status": 200, "content": response}
    })
}

struct Keys {
    a: String,
    b: String,
    c: String,
    d: String,
    e: String,
}

fn keys() -> Keys {
    Keys {
        a: key("aaaaaaaaaaaaaaaa"),
        b: key("bbbbbbbbbbbbbbbb"),
        c: key("cccccccccccccccc"),
        d: key("dddddddddddddddd"),
        e: key("eeeeeeeeeeeeeeee"),
    }
}

/// The HAR fixture: two clients logging in, their payloads (JSON, '+'-damaged form, query), a
/// payload with its own key, one whose key is nowhere, a base64 response leaking a key, and two
/// malformed entries.
fn har(dir: &Path) -> PathBuf {
    let k = keys();
    let referer = format!("https://servicewechat.com/{APPID}/3/page-frame.html");
    let (iv_a, data_a) = phone(&k.a, "13800000001");
    let (_, iv_b, data_b) = phone_with_plus(&k.b);
    let (iv_c, data_c) = phone(&k.c, "13800000003");
    let (iv_d, data_d) = phone(&k.d, "13800000004");
    let (iv_e, data_e) = phone(&k.e, "13800000005");
    let leak = base64::engine::general_purpose::STANDARD
        .encode(json!({"code": 0, "data": {"sessionKey": k.e, "openId": "oE"}}).to_string());
    let entries = vec![
        // 0: client A logs in (cookie sid=A); the backend leaks the session_key and a token.
        entry(
            "POST",
            "https://api.example.com/login",
            json!([{"name": "Cookie", "value": "sid=A"}]),
            Some(json!({"mimeType": "application/json", "text": "{\"code\":\"081xyz\"}"})),
            json!({"mimeType": "application/json",
                   "text": json!({"openid": "oA", "session_key": k.a, "token": "tA"}).to_string()}),
        ),
        // 1: code2Session for client B.
        entry(
            "GET",
            &format!(
                "https://api.weixin.qq.com/sns/jscode2session?appid={APPID}&secret=S3CR3T&js_code=C&grant_type=authorization_code"
            ),
            json!([]),
            None,
            json!({"mimeType": "application/json",
                   "text": json!({"session_key": k.b, "openid": "oB"}).to_string()}),
        ),
        // 2: client A's payload, JSON body, identified by its token.
        entry(
            "POST",
            "https://api.example.com/index/users/decodePhone",
            json!([{"name": "Authorization", "value": "Bearer tA"}, {"name": "Referer", "value": referer}]),
            Some(json!({"mimeType": "application/json",
                        "text": json!({"encryptedData": data_a, "iv": iv_a}).to_string()})),
            json!({"text": "{}"}),
        ),
        // 3: client B's payload as a form body whose '+' became spaces.
        entry(
            "POST",
            "https://api.example.com/index/users/decodePhone",
            json!([{"name": "Referer", "value": referer}]),
            Some(json!({"mimeType": "application/x-www-form-urlencoded",
                        "text": format!("encryptedData={}&iv={}&openid=oB",
                                        data_b.replace('+', " "), enc(&iv_b))})),
            json!({"text": "{}"}),
        ),
        // 4, 5: malformed.
        json!("not an entry"),
        json!({"request": 42}),
        // 6: the seed's request: the key travels with the payload.
        entry(
            "POST",
            "http://localhost/index/users/decodePhone",
            json!([]),
            Some(json!({"mimeType": "application/x-www-form-urlencoded",
                        "text": format!("encryptedData={}&iv={}&sessionKey={}&uid=",
                                        enc(&data_c), enc(&iv_c), enc(&k.c))})),
            json!({"text": "{}"}),
        ),
        // 7: a payload whose key is nowhere in the capture.
        entry(
            "POST",
            "https://api.example.com/index/users/decodePhone",
            json!([]),
            Some(json!({"mimeType": "application/json",
                        "text": json!({"detail": {"encryptedData": data_d, "iv": iv_d}}).to_string()})),
            json!({"text": "{}"}),
        ),
        // 8: a login response (base64 encoded) leaking client E's key.
        entry(
            "POST",
            "https://api.example.com/wxlogin",
            json!([]),
            None,
            json!({"mimeType": "application/json", "encoding": "base64", "text": leak}),
        ),
        // 9: client E's payload in the query string.
        entry(
            "GET",
            &format!(
                "https://api.example.com/phone?encryptedData={}&iv={}&openid=oE",
                enc(&data_e),
                enc(&iv_e)
            ),
            json!([{"name": "Referer", "value": referer}]),
            None,
            json!({"text": ""}),
        ),
    ];
    let doc = json!({"log": {"version": "1.2", "creator": {"name": "test"}, "pages": [], "entries": entries}});
    let p = dir.join("capture.har");
    std::fs::write(&p, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    p
}

fn item(s: &Scan, entry: usize) -> &ScanItem {
    s.items
        .iter()
        .find(|i| i.source.entry == Some(entry))
        .unwrap_or_else(|| panic!("no payload from entry {entry}: {:#?}", s.items))
}

fn capture_entry(k: &Option<KeyFrom>) -> Option<usize> {
    match k {
        Some(KeyFrom::Capture { source, .. }) => source.entry.or(source.line),
        _ => None,
    }
}

#[test]
fn har_payloads_keys_clients_and_malformed_entries() {
    let dir = tempfile::tempdir().unwrap();
    let s = scan(&[har(dir.path())], vec![]);
    assert_eq!(s.items.len(), 5, "{:#?}", s.items);
    assert_eq!(s.records, 10);
    let mal: Vec<_> = s.malformed.iter().map(|m| m.source.entry).collect();
    assert_eq!(mal, [Some(4), Some(5)]);
    assert!(s.truncations.is_empty());

    let a = item(&s, 2);
    assert!(a.inspected.ok(), "{:#?}", a.inspected.findings());
    assert_eq!(capture_entry(&a.key_from), Some(0));
    assert_eq!(a.inspected.data().unwrap()["phoneNumber"], "13800000001");
    assert_eq!(
        a.inspected.as_open_data().unwrap().0.appid,
        APPID,
        "appid from the Referer"
    );
    assert_eq!(a.time.as_deref(), Some("2024-05-01T10:00:00.000Z"));

    let b = item(&s, 3);
    assert!(b.inspected.ok(), "{:#?}", b.inspected.findings());
    assert_eq!(capture_entry(&b.key_from), Some(1));
    assert!(b.inspected.codes().contains(&"repair.plus_as_space"));

    let c = item(&s, 6);
    assert_eq!(c.key_from, Some(KeyFrom::SameRequest));
    assert!(c.inspected.ok());

    let d = item(&s, 7);
    assert!(!d.inspected.ok());
    assert_eq!(d.key_from, None);
    assert!(d.keys_tried >= 3);

    let e = item(&s, 9);
    assert!(e.inspected.ok(), "{:#?}", e.inspected.findings());
    assert_eq!(capture_entry(&e.key_from), Some(8));

    // Keys: A (response), B (code2Session), C (request), E (base64 response).
    assert_eq!(s.keys.len(), 4);
    let kb = s.keys.iter().find(|k| k.source.entry == Some(1)).unwrap();
    assert_eq!(kb.openid.as_deref(), Some("oB"));
    assert_eq!(kb.appid.as_deref(), Some(APPID));
    // The app secret never shows in URLs.
    let urls: Vec<_> = s.items.iter().filter_map(|i| i.url.clone()).collect();
    assert!(urls.iter().all(|u| !u.contains("S3CR3T")));
}

#[test]
fn keyring_opens_what_the_capture_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let k = keys();
    let ring = vec![KeyringEntry {
        session_key: k.d.clone(),
        label: Some("QA 4".into()),
        appid: None,
        ..Default::default()
    }];
    let s = scan(&[har(dir.path())], ring);
    let d = item(&s, 7);
    assert!(d.inspected.ok());
    assert_eq!(
        d.key_from,
        Some(KeyFrom::Keyring {
            index: 0,
            label: Some("QA 4".into())
        })
    );
    assert!(s.all_ok());
    let j = d.to_json();
    assert_eq!(
        j["key_from"],
        json!({"from": "keyring", "index": 0, "label": "QA 4"})
    );
}

#[test]
fn har_is_streamed_with_progress_and_survives_a_syntax_error() {
    let dir = tempfile::tempdir().unwrap();
    let k = keys();
    let (iv, data) = phone(&k.a, "13800000009");
    let filler = "x".repeat(1000);
    let mut entries = Vec::new();
    for i in 0..2000 {
        entries.push(entry(
            "GET",
            &format!("https://cdn.example.com/{i}.js"),
            json!([]),
            None,
            json!({"text": filler}),
        ));
    }
    entries.push(entry(
        "POST",
        "https://api.example.com/p",
        json!([]),
        Some(json!({"text": json!({"encryptedData": data, "iv": iv, "session_key": k.a}).to_string()})),
        json!({}),
    ));
    let doc = json!({"log": {"entries": entries}});
    let p = dir.path().join("big.har");
    let text = doc.to_string();
    std::fs::write(&p, &text).unwrap();
    let mut calls = Vec::new();
    let s = capture::scan_files(std::slice::from_ref(&p), &opts(vec![]), None, &mut |pr| {
        calls.push((pr.bytes_read, pr.total))
    })
    .unwrap();
    assert_eq!(s.records, 2001);
    assert_eq!(s.items.len(), 1);
    assert!(s.items[0].inspected.ok());
    assert!(calls.len() >= 5, "{}", calls.len());
    assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0));
    assert_eq!(
        calls.last().copied(),
        Some((text.len() as u64, text.len() as u64))
    );

    // Cut the file in the middle of an entry: what came before is kept, the rest is reported.
    let cut = dir.path().join("cut.har");
    std::fs::write(&cut, &text[..text.len() / 2]).unwrap();
    let s = scan(&[cut], vec![]);
    assert!(s.records > 500 && s.records < 2000, "{}", s.records);
    assert_eq!(s.truncations.len(), 1);

    // Cancellation.
    let stop = std::sync::atomic::AtomicBool::new(true);
    let r = capture::scan_files(&[p], &opts(vec![]), Some(&stop), &mut |_| {});
    assert!(matches!(r, Err(capture::ScanError::Cancelled)));
}

fn http_request(path: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut s = format!("POST {path} HTTP/1.1\r\nHost: api.example.com\r\n");
    for (k, v) in headers {
        s.push_str(&format!("{k}: {v}\r\n"));
    }
    s.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    s
}

#[test]
fn burp_xml_items() {
    let dir = tempfile::tempdir().unwrap();
    let k = keys();
    let (iv, data) = phone(&k.b, "13800000011");
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let login_req = http_request("/login", &[("Cookie", "sid=B")], "{\"code\":\"x\"}");
    let login_body = json!({"openid": "oB", "session_key": k.b}).to_string();
    let login_resp = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{login_body}\r\n0\r\n\r\n",
        login_body.len()
    );
    let pay_req = http_request(
        "/index/users/decodePhone",
        &[("Cookie", "sid=B"), ("Content-Type", "application/json")],
        &json!({"encryptedData": data, "iv": iv}).to_string(),
    );
    let xml = format!(
        r#"<?xml version="1.0"?>
<!DOCTYPE items [
<!ELEMENT items (item*)>
]>
<items burpVersion="2023.1" exportTime="Wed May 01 10:00:00 CST 2024">
  <item>
    <time>Wed May 01 10:00:00 CST 2024</time>
    <url><![CDATA[https://api.example.com/login]]></url>
    <method><![CDATA[POST]]></method>
    <request base64="true"><![CDATA[{}]]></request>
    <status>200</status>
    <response base64="true"><![CDATA[{}]]></response>
  </item>
  <item>
    <time>Wed May 01 10:00:05 CST 2024</time>
    <url><![CDATA[https://api.example.com/index/users/decodePhone?a=1&amp;b=2]]></url>
    <request base64="false">{}</request>
    <response base64="true"></response>
  </item>
  <item>
    <url>https://api.example.com/broken</url>
    <request base64="true">!!!not base64!!!</request>
  </item>
</items>
"#,
        b64(&login_req),
        b64(&login_resp),
        pay_req
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('"', "&quot;"),
    );
    let p = dir.path().join("burp.xml");
    std::fs::write(&p, xml).unwrap();
    let s = scan(&[p], vec![]);
    assert_eq!(s.records, 3);
    assert_eq!(s.malformed.len(), 1, "{:?}", s.malformed);
    assert_eq!(s.items.len(), 1, "{s:#?}");
    let it = &s.items[0];
    assert!(it.inspected.ok(), "{:#?}", it.inspected.findings());
    assert_eq!(capture_entry(&it.key_from), Some(0));
    assert_eq!(it.method.as_deref(), Some("POST"));
    assert_eq!(it.time.as_deref(), Some("Wed May 01 10:00:05 CST 2024"));
}

#[test]
fn curl_commands() {
    let dir = tempfile::tempdir().unwrap();
    let k = keys();
    let (iv, data) = phone(&k.c, "13800000021");
    let (iv2, data2) = phone(&k.c, "13800000022");
    let body = json!({"encryptedData": data, "iv": iv, "sessionKey": k.c}).to_string();
    let text = format!(
        "curl 'https://api.example.com/index/users/decodePhone' \\\n  -H 'content-type: application/json' \\\n  -H 'Referer: https://servicewechat.com/{APPID}/devtools/page-frame.html' \\\n  --data-raw '{body}' \\\n  --compressed ;\ncurl -X POST \"https://api.example.com/p2\" -d $'encryptedData={}&iv={}'\n",
        enc(&data2),
        enc(&iv2)
    );
    let p = dir.path().join("request.curl");
    std::fs::write(&p, text).unwrap();
    let s = scan(&[p], vec![]);
    assert_eq!(s.items.len(), 2, "{s:#?}");
    let first = item(&s, 0);
    assert_eq!(first.key_from, Some(KeyFrom::SameRequest));
    assert!(first.inspected.ok());
    assert_eq!(first.inspected.as_open_data().unwrap().0.appid, APPID);
    let second = item(&s, 1);
    assert!(second.inspected.ok(), "{:#?}", second.inspected.findings());
    assert_eq!(capture_entry(&second.key_from), Some(0));
    assert_eq!(second.method.as_deref(), Some("POST"));
}

#[test]
fn raw_http_request_with_response() {
    let dir = tempfile::tempdir().unwrap();
    let k = keys();
    let (iv, data) = phone(&k.a, "13800000031");
    let body = format!(
        "encryptedData={}&iv={}&sessionKey={}&uid=",
        enc(&data),
        enc(&iv),
        enc(&k.a)
    );
    let mut text = http_request(
        "/index/users/decodePhone",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &body,
    );
    text.push_str(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
    );
    let p = dir.path().join("request.http");
    std::fs::write(&p, text).unwrap();
    let s = scan(&[p], vec![]);
    assert_eq!(s.items.len(), 1, "{s:#?}");
    let it = &s.items[0];
    assert!(it.inspected.ok());
    assert_eq!(it.key_from, Some(KeyFrom::SameRequest));
    assert_eq!(
        it.url.as_deref(),
        Some("https://api.example.com/index/users/decodePhone")
    );
}

#[test]
fn log_and_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let k = keys();
    let (iv_l, data_l) = phone(&k.d, "13800000041");
    let (iv_m, data_m) = phone(&k.e, "13800000042");
    let log = format!(
        "2024-05-01 10:00:00.123 INFO code2session ok openid=oL session_key={}\n\
         2024-05-01 10:00:01.000 INFO other user openid=oX session_key={}\n\
         2024-05-01 10:00:05.456 INFO decrypt openid=oL encryptedData={data_l} iv={iv_l}\n",
        k.d, k.a
    );
    let p = dir.path().join("app.log");
    std::fs::write(&p, log).unwrap();
    let jsonl = format!(
        "{}\n{{broken json}}\n{}\n",
        json!({"time": "2024-05-01T10:00:00Z", "msg": "login", "openid": "oM", "session_key": k.e}),
        json!({"time": "2024-05-01T10:00:09Z", "openid": "oM", "body": {"encryptedData": data_m, "iv": iv_m}})
    );
    let q = dir.path().join("app.jsonl");
    std::fs::write(&q, jsonl).unwrap();
    let s = scan(&[p.clone(), q.clone()], vec![]);
    assert_eq!(s.items.len(), 2, "{s:#?}");
    let l = s
        .items
        .iter()
        .find(|i| i.source.file.ends_with("app.log"))
        .unwrap();
    assert!(l.inspected.ok());
    assert_eq!(l.source.line, Some(3));
    assert_eq!(capture_entry(&l.key_from), Some(1));
    assert_eq!(l.time.as_deref(), Some("2024-05-01 10:00:05.456"));
    let m = s
        .items
        .iter()
        .find(|i| i.source.file.ends_with("app.jsonl"))
        .unwrap();
    assert!(m.inspected.ok());
    assert_eq!(capture_entry(&m.key_from), Some(1));
    assert_eq!(m.time.as_deref(), Some("2024-05-01T10:00:09Z"));
    assert_eq!(s.malformed.len(), 1);
    assert_eq!(s.malformed[0].source.line, Some(2));
}

// ---------------------------------------------------------------------------------------------
// The command line.

pub(crate) fn bin() -> Command {
    let mut c = Command::cargo_bin("wxdecrypt").expect("binary built");
    c.env("LANG", "en_US.UTF-8").env_remove("LC_ALL");
    c
}

#[test]
fn scan_json_lines_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let har = har(dir.path());
    let out = bin()
        .current_dir(dir.path())
        .args(["scan", "--json", "--now", &NOW.to_string()])
        .arg(&har)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    for l in &lines {
        for k in [
            "source", "url", "time", "ok", "kind", "data", "codes", "key_from",
        ] {
            assert!(l.get(k).is_some(), "{k} missing in {l}");
        }
        assert!(
            l["source"]["file"]
                .as_str()
                .unwrap()
                .ends_with("capture.har")
        );
        let text = l.to_string();
        for secret in [keys().a, keys().b, keys().c, "S3CR3T".to_string()] {
            assert!(!text.contains(&secret), "secret printed: {text}");
        }
    }
    let first = &lines[0];
    assert_eq!(first["source"]["entry"], 2);
    assert_eq!(first["ok"], true);
    assert_eq!(first["kind"], "phone_number");
    assert_eq!(first["data"]["phoneNumber"], "13800000001");
    assert_eq!(
        first["key_from"],
        json!({"from": "capture", "file": har.display().to_string(), "entry": 0})
    );
    let own = lines.iter().find(|l| l["source"]["entry"] == 6).unwrap();
    assert_eq!(own["key_from"], json!({"from": "same_request"}));
    let none = lines.iter().find(|l| l["source"]["entry"] == 7).unwrap();
    assert_eq!(none["ok"], false);
    assert!(none["key_from"].is_null());
    assert!(
        none["codes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "key.mismatch")
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("5 payload(s)"), "{stderr}");
    assert!(stderr.contains("2 malformed"), "{stderr}");

    // With a key ring that holds the missing key: everything decrypts, exit 0.
    let ring_path = dir.path().join("ring.json");
    let mut ring = Keyring::new();
    ring.add(&keys().d, Some("QA"), None).unwrap();
    ring.save(&ring_path).unwrap();
    let out = bin()
        .args(["scan", "--now", &NOW.to_string(), "--keyring"])
        .arg(&ring_path)
        .arg(&har)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("keyring:QA"), "{out}");
    assert!(out.contains("138****0001"), "{out}");
    assert!(out.contains("KEY USED"), "{out}");

    // Usage and I/O errors: exit 2.
    bin()
        .args(["scan", "/nonexistent/capture.har"])
        .assert()
        .code(2);
    bin().args(["scan"]).assert().code(2);
}

#[test]
fn keyring_command() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wxdecrypt-keyring.json");
    let k = keys();
    bin()
        .current_dir(dir.path())
        .args(["keyring", "add", &k.a, "--label", "QA 1", "--appid", APPID])
        .assert()
        .code(0);
    bin()
        .current_dir(dir.path())
        .args(["keyring", "add", "-", "--label", "QA 2"])
        .write_stdin(format!("{}\n", k.b))
        .assert()
        .code(0);
    bin()
        .current_dir(dir.path())
        .args(["keyring", "add", "not-a-key"])
        .assert()
        .code(2);
    let out = bin()
        .current_dir(dir.path())
        .args(["keyring", "list"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("QA 1") && out.contains("QA 2"), "{out}");
    assert!(!out.contains(&k.a) && !out.contains(&k.b), "{out}");
    let out = bin()
        .args(["keyring", "list", "--show", "--file"])
        .arg(&file)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().contains(&k.a));
    bin()
        .current_dir(dir.path())
        .args(["keyring", "remove", "QA 1"])
        .assert()
        .code(0);
    let ring = Keyring::load(&file).unwrap();
    assert_eq!(ring.keys.len(), 1);
    assert_eq!(ring.keys[0].label.as_deref(), Some("QA 2"));
}
