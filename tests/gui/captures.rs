//! GUI behaviour of the Captures tab, driven headless through egui_kittest on the real [`App`]: a
//! HAR made here with a synthetic key is scanned, the table shows the phone number (masked or not)
//! and the key used, a row opens in the Inspect view; the Listen switch receives a request over
//! loopback; exports and the key ring.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine as _;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use serde_json::json;
use wxdecrypt::encrypt::{EncryptRequest, encrypt};
use wxdecrypt::gui::App;
use wxdecrypt::gui::app::Tab;
use wxdecrypt::gui::captures::ExportFormat;
use wxdecrypt::gui::command::{Command, Commands};
use wxdecrypt::gui::inspect::InspectMode;
use wxdecrypt::gui::state::UiEnv;
use wxdecrypt::inspected::Inspected;
use wxdecrypt::keyring::{KeyType, KeyringEntry};

use super::support::{self, NOW, window};

const APPID: &str = "wx0123456789abcdef";
const PHONE: &str = "13812345678";

fn env(mask: bool) -> UiEnv {
    UiEnv {
        mask,
        ..support::env()
    }
}

fn harness(app: App) -> Harness<'static, App> {
    window(app, [1400.0, 1000.0])
}

fn key() -> String {
    base64::engine::general_purpose::STANDARD.encode("captures-test-k!")
}

/// A phone-number payload encrypted with the synthetic key: (iv, encryptedData).
fn payload() -> (String, String) {
    let e = encrypt(&EncryptRequest {
        payload: json!({"phoneNumber": PHONE, "purePhoneNumber": PHONE, "countryCode": "86"})
            .to_string(),
        session_key: Some(key()),
        iv: Some(base64::engine::general_purpose::STANDARD.encode("captures-test-iv")),
        appid: Some(APPID.into()),
        timestamp: Some(NOW - 60),
        watermark: true,
        now: NOW,
    })
    .expect("encrypt");
    (e.iv, e.encrypted_data)
}

/// A HAR with a code2Session response carrying the key, then the phone payload request.
pub(crate) fn write_har(dir: &Path) -> PathBuf {
    let (iv, data) = payload();
    let entries = json!([
        {
            "startedDateTime": "2024-05-01T10:00:00.000Z",
            "request": {"method": "GET", "headers": [], "queryString": [],
                "url": format!("https://api.weixin.qq.com/sns/jscode2session?appid={APPID}&secret=S&js_code=C&grant_type=authorization_code")},
            "response": {"status": 200, "content": {"mimeType": "application/json",
                "text": json!({"openid": "oA", "session_key": key()}).to_string()}}
        },
        {
            "startedDateTime": "2024-05-01T10:00:05.000Z",
            "request": {"method": "POST", "url": "https://api.example.com/index/users/decodePhone",
                "headers": [{"name": "Content-Type", "value": "application/json"}], "queryString": [],
                "postData": {"mimeType": "application/json",
                    "text": json!({"encryptedData": data, "iv": iv, "uid": 7}).to_string()}},
            "response": {"status": 200, "content": {"mimeType": "application/json", "text": "{}"}}
        },
        "not an entry"
    ]);
    let doc = json!({"log": {"version": "1.2", "creator": {"name": "test"}, "entries": entries}});
    let p = dir.join("capture.har");
    std::fs::write(&p, doc.to_string()).expect("write har");
    p
}

fn scanned(mask: bool, dir: &Path) -> Harness<'static, App> {
    let har = write_har(dir);
    let mut app = App::new_for_test(env(mask));
    app.tab = Tab::Captures;
    let e = app.env;
    app.captures.start_scan(vec![har], &e, None);
    app.captures.wait_scan(&e);
    let mut h = harness(app);
    h.run();
    h
}

fn has(h: &Harness<'_, App>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

#[test]
fn a_scanned_har_shows_the_phone_and_the_key_used_and_opens_in_inspect() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = scanned(false, dir.path());
    let items = h.state().captures.items().to_vec();
    assert_eq!(items.len(), 1, "one payload");
    assert!(items[0].inspected.ok());
    let scan = h.state().captures.result.clone().expect("scan");
    assert_eq!(scan.malformed.len(), 1, "the bad entry is counted");
    assert!(has(&h, PHONE), "the phone number is shown");
    // The key used, in words (issue 13): the login response of the first entry.
    assert!(has(&h, "response of entry #0"), "the key used is named");
    assert!(has(&h, "Malformed entries: 1"));
    assert!(has(&h, "decodePhone"));

    // Select the row (its time, 2024-05-01T10:00:05.000Z, shown short in local time: the
    // year is not the clock's, so it is shown; minutes and seconds are the same in any whole-hour
    // zone), then "Open in Inspect".
    assert!(
        has(&h, "2024-05-") && !has(&h, "T10:00:05.000Z"),
        "shown short"
    );
    h.query_all_by_label_contains(":00:05")
        .next()
        .expect("the time cell")
        .click();
    h.run();
    assert_eq!(h.state().captures.selected, Some(0));
    h.get_by_label("Open in Inspect").click();
    h.run();
    let app = h.state();
    assert_eq!(app.tab, Tab::Inspect);
    assert_eq!(
        Some(&app.doc.input),
        items[0].inspected.as_open_data().map(|(i, _)| i)
    );
    assert_eq!(app.doc.input.session_key, key());
    assert!(app.doc.report.ok);
    assert!(has(&h, "Opened the payload from the capture"));
}

#[test]
fn masking_hides_the_phone_in_the_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = scanned(true, dir.path());
    assert!(has(&h, "138****5678"));
    assert!(!has(&h, PHONE));
}

#[test]
fn exports_and_saved_cases() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = scanned(false, dir.path());
    let e = h.state().env;
    let jsonl = dir.path().join("out.jsonl");
    let csv = dir.path().join("out.csv");
    h.state_mut()
        .captures
        .export(ExportFormat::JsonLines, &jsonl, &e);
    h.state_mut().captures.export(ExportFormat::Csv, &csv, &e);
    let text = std::fs::read_to_string(&jsonl).expect("jsonl");
    let line: serde_json::Value = serde_json::from_str(text.trim()).expect("one JSON line");
    assert_eq!(line["ok"], true);
    assert_eq!(line["data"]["phoneNumber"], PHONE);
    let csv_text = std::fs::read_to_string(&csv).expect("csv");
    let mut lines = csv_text.lines();
    assert_eq!(
        lines.next(),
        Some("source,time,method,url,ok,kind,verdict,codes,key_from")
    );
    let row = lines.next().expect("a row");
    assert!(row.contains(",true,phone_number,13812345678,"), "{row}");
    // Every row reads back with a CSV reader, field for field.
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv_text.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .expect("valid CSV");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get(6), Some("13812345678"));

    // Save the ticked row as a case twice: two files, never overwritten.
    let cases = dir.path().join("cases");
    std::fs::create_dir(&cases).expect("mkdir");
    h.get_by_label("1").click();
    h.run();
    for _ in 0..2 {
        // The app is told once per save, so its cases panel re-reads the folder.
        let mut out = Commands::new();
        h.state_mut()
            .captures
            .save_cases(Some(&cases), &e, &mut out);
        assert_eq!(out.take(), vec![Command::RescanCases]);
    }
    let n = std::fs::read_dir(&cases)
        .expect("read dir")
        .filter_map(Result::ok)
        .filter(|f| f.file_name().to_string_lossy().ends_with(".wxcase.json"))
        .count();
    assert_eq!(n, 2);
}

#[test]
fn the_key_ring_opens_what_the_capture_cannot() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (iv, data) = payload();
    let log = dir.path().join("app.log");
    std::fs::write(
        &log,
        format!("2024-05-01 10:00:00 INFO decodePhone encryptedData={data} iv={iv}\n"),
    )
    .expect("write log");
    let mut app = App::new_for_test(env(false));
    app.tab = Tab::Captures;
    app.captures
        .add_key(&key(), "QA 1", APPID)
        .expect("add key");
    assert!(app.captures.add_key("not a key", "", "").is_err());
    let e = app.env;
    app.captures.start_scan(vec![log], &e, None);
    app.captures.wait_scan(&e);
    let mut h = harness(app);
    h.run();
    assert!(h.state().captures.items()[0].inspected.ok());
    assert!(has(&h, "key ring: QA 1"));
    assert!(has(&h, "Key ring (1 keys)"));
}

#[test]
fn listen_receives_a_request_over_loopback() {
    let mut app = App::new_for_test(env(false));
    app.tab = Tab::Captures;
    let e = app.env;
    app.captures.start_listen(0, &e).expect("listens");
    let addr = app.captures.listen_addr().expect("address");
    assert!(addr.ip().is_loopback());
    let mut h = harness(app);
    h.run_steps(2);
    assert!(has(&h, &format!("Listening on http://{addr}/")));

    let (iv, data) = payload();
    let body = json!({"encryptedData": data, "iv": iv, "sessionKey": key(), "uid": 7}).to_string();
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).ok();
    write!(
        s,
        "POST /index/users/decodePhone HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut answer = String::new();
    s.read_to_string(&mut answer).expect("answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(PHONE));

    let start = Instant::now();
    while h.state().captures.events().is_empty() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
        h.run_steps(1);
    }
    h.run_steps(2);
    let events = h.state().captures.events();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].path, "/index/users/decodePhone");
    assert!(has(&h, "/index/users/decodePhone"));
    assert!(has(&h, PHONE));

    // The switch stops the server.
    h.get_by_label("Listen").click();
    h.run_steps(2);
    assert!(h.state().captures.listen_addr().is_none());
}

#[test]
fn a_port_in_use_is_reported() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = busy.local_addr().expect("addr").port();
    let mut app = App::new_for_test(env(false));
    let e = app.env;
    assert!(app.captures.start_listen(port, &e).is_err());
    assert!(
        app.captures
            .listen_error()
            .is_some_and(|m| m.starts_with("Could not listen"))
    );
}

/// Issue 8: 100,000 rows draw (only those on screen are laid out), filter by text and outcome,
/// and sort by a header click (ascending, descending, back to the scan's order).
#[test]
fn a_hundred_thousand_rows_filter_and_sort() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = scanned(false, dir.path());
    let one = h.state().captures.items()[0].clone();
    let mut scan = h.state().captures.result.clone().expect("scan");
    scan.items = (0..100_000)
        .map(|i| {
            let mut item = one.clone();
            item.url = Some(format!("https://api.example.com/decode/{i:06}"));
            if i % 10 == 3
                && let Inspected::OpenData { report, .. } = &mut item.inspected
            {
                report.ok = false;
            }
            item
        })
        .collect();
    h.state_mut().captures.result = Some(scan);
    h.run();
    assert_eq!(h.state().captures.shown_rows().len(), 100_000);
    assert!(has(&h, "https://api.example.com/decode/000000"));
    assert!(
        !has(&h, "https://api.example.com/decode/099999"),
        "off screen: not drawn"
    );

    h.get_by_label("Filter").focus();
    h.run();
    h.get_by_label("Filter").type_text("DECODE/00000");
    h.run();
    let shown = h.state().captures.shown_rows();
    assert_eq!(shown.len(), 10, "the text filter leaves 10 rows");
    assert_eq!(shown, (0..10).collect::<Vec<_>>().as_slice());
    assert!(has(&h, "10 of 100000 rows shown"));

    h.get_by_label("URL").click();
    h.run();
    h.get_by_label("URL ▲").click();
    h.run();
    assert_eq!(
        h.state().captures.shown_rows(),
        (0..10).rev().collect::<Vec<_>>().as_slice(),
        "descending"
    );
    h.get_by_label("URL ▼").click();
    h.run();
    assert_eq!(
        h.state().captures.shown_rows()[0],
        0,
        "the scan's order again"
    );

    // Failed rows only: 3 of the 10.
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Outcome")
        .click();
    h.run();
    h.get_by_label("Failed").click();
    h.run();
    assert_eq!(h.state().captures.shown_rows(), [3]);
    assert!(has(&h, "1 of 100000 rows shown"));
}

/// The input of a Python-made vector (tests/vectors).
pub(crate) fn vector(file: &str, name: &str) -> serde_json::Value {
    let path = format!("{}/tests/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
    let all: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("vectors")).expect("json");
    all["vectors"]
        .as_array()
        .and_then(|v| v.iter().find(|v| v["name"] == name))
        .map(|v| v["input"].clone())
        .expect("vector")
}

#[test]
fn pushes_and_notifications_in_a_capture_open_in_their_inspect_mode() {
    let push = vector("msg.json", "official WeCom push");
    let payment = vector("pay.json", "payment");
    let s = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    let query = format!(
        "msg_signature={}&timestamp={}&nonce={}",
        s(&push, "msg_signature"),
        s(&push, "timestamp"),
        s(&push, "nonce")
    );
    let entry = |url: String, text: String| {
        json!({
            "startedDateTime": "2024-05-01T10:00:00.000Z",
            "request": {"method": "POST", "url": url, "headers": [], "queryString": [],
                "postData": {"mimeType": "text/plain", "text": text}},
            "response": {"status": 200, "content": {"mimeType": "text/plain", "text": "success"}}
        })
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let har = dir.path().join("backend.har");
    let doc = json!({"log": {"version": "1.2", "entries": [
        entry(format!("https://backend.example.com/wecom?{query}"), s(&push, "body")),
        entry("https://backend.example.com/pay/notify".into(), s(&payment, "body")),
    ]}});
    std::fs::write(&har, doc.to_string()).expect("write har");

    let mut app = App::new_for_test(env(false));
    app.tab = Tab::Captures;
    let v3 = KeyringEntry::from_key(&s(&payment, "key"), None, None, Some("merchant"), None);
    app.captures.add_entry(v3.expect("APIv3 key")).expect("add");
    let mut h = harness(app);
    h.run();
    // The EncodingAESKey is typed into the key ring panel: its token and receive id fields
    // appear once the key has the EncodingAESKey's shape.
    h.get_by_label_contains("Key ring (1 keys)").click();
    h.run();
    assert!(h.query_by_label("Token").is_none());
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Key")
        .set_text_value_accesskit(&s(&push, "encoding_aes_key"));
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Token")
        .set_text_value_accesskit(&s(&push, "token"));
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Receive id")
        .set_text_value_accesskit(&s(&push, "receive_id"));
    h.run();
    h.get_by_label("Add key").click();
    h.run();
    let ring = h.state().captures.keyring().clone();
    assert_eq!(ring.keys.len(), 2);
    assert_eq!(ring.keys[1].key_type(), Some(KeyType::EncodingAesKey));
    assert_eq!(ring.keys[1].token.as_deref(), Some("QDG6eK"));
    assert!(has(&h, "EncodingAESKey") && has(&h, "APIv3 key"));

    let doc_before = h.state().doc.input.clone();
    let e = h.state().env;
    h.state_mut().captures.start_scan(vec![har], &e, None);
    h.state_mut().captures.wait_scan(&e);
    h.run();
    let items = h.state().captures.items().to_vec();
    let kinds: Vec<_> = items
        .iter()
        .map(|i| (i.inspected.ok(), i.inspected.kind().map(|k| k.as_str())))
        .collect();
    assert_eq!(
        kinds,
        [(true, Some("message")), (true, Some("pay_transaction"))]
    );
    assert!(has(&h, "Pushed message") && has(&h, "text · hello"));
    assert!(has(&h, "¥0.01 · ORDER-1"));

    // Open the payment: the Pay mode shows it, opened with the ring's key.
    // Select the payment's row by its time cell (both rows show the same time: the second).
    h.query_all_by_label_contains(":00:00")
        .nth(1)
        .expect("the second time cell")
        .click();
    h.run();
    assert_eq!(h.state().captures.selected, Some(1));
    h.get_by_label("Open in Inspect").click();
    h.run();
    let app = h.state();
    assert_eq!(app.tab, Tab::Inspect);
    assert_eq!(app.inspect.mode, InspectMode::Pay);
    assert!(app.inspect.envelope.pay_report.ok);
    assert_eq!(app.inspect.envelope.pay.key, s(&payment, "key"));
    assert!(has(&h, "Opened from the capture"));
    assert_eq!(
        app.doc.input, doc_before,
        "the open-data document is untouched"
    );
}

/// A capture dropped on the window before the Captures tab was ever drawn is scanned with the key
/// ring of the cases folder (the ring used to load only when the tab was shown).
#[test]
fn a_capture_dropped_on_inspect_uses_the_cases_folders_key_ring() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("cases");
    std::fs::create_dir(&folder).expect("mkdir");
    let mut ring = wxdecrypt::keyring::Keyring::new();
    ring.add(&key(), Some("QA 1"), Some(APPID)).expect("add");
    ring.save(&folder.join("wxdecrypt-keyring.json"))
        .expect("save");
    let (iv, data) = payload();
    let log = dir.path().join("app.log");
    std::fs::write(&log, format!("decodePhone encryptedData={data} iv={iv}\n")).expect("log");
    let mut app = App::new_for_test(env(false));
    app.cases = wxdecrypt::gui::cases::CasesPanel::new(Some(folder));
    assert_eq!(app.tab, Tab::Inspect);
    app.apply(Command::StartScan(vec![log]));
    let e = app.env;
    app.captures.wait_scan(&e);
    assert_eq!(app.tab, Tab::Captures);
    assert_eq!(app.captures.keyring().keys.len(), 1);
    assert!(app.captures.items()[0].inspected.ok());
}
