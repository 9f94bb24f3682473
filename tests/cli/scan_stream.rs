//! `scan` as a stream: a payload that a key seen before it opens is handed on while the capture is
//! still being read; one whose key comes later waits for the end and is still opened by it; the
//! gathered scan keeps the order of the capture; `scan --json` prints in the order decided.

use serde_json::{Value, json};

use wxdecrypt::capture::{self, ScanItem};
use wxdecrypt::pair::KeyFrom;

use super::scan::{APPID, NOW, bin, entry, key, opts, phone};

/// Entry 0: client X's payload (token tX, appid in the Referer), whose key only comes at the end; entry 1: client Y
/// logs in and its key leaks; entry 2: client Y's payload; entries 3..2003: filler; entry 2003:
/// client X logs in.
fn capture(dir: &std::path::Path) -> std::path::PathBuf {
    let (kx, ky) = (key("xxxxxxxxxxxxxxxx"), key("yyyyyyyyyyyyyyyy"));
    let (iv_x, data_x) = phone(&kx, "13800000011");
    let (iv_y, data_y) = phone(&ky, "13800000022");
    let login = |token: &str, k: &str| {
        entry(
            "POST",
            "https://api.example.com/login",
            json!([]),
            None,
            json!({"text": json!({"token": token, "session_key": k}).to_string()}),
        )
    };
    let payload = |token: &str, iv: &str, data: &str| {
        entry(
            "POST",
            "https://api.example.com/decodePhone",
            json!([
                {"name": "Authorization", "value": format!("Bearer {token}")},
                {"name": "Referer", "value": format!("https://servicewechat.com/{APPID}/3/page-frame.html")},
            ]),
            Some(json!({"text": json!({"encryptedData": data, "iv": iv}).to_string()})),
            json!({"text": "{}"}),
        )
    };
    let mut entries = vec![
        payload("tX", &iv_x, &data_x),
        login("tY", &ky),
        payload("tY", &iv_y, &data_y),
    ];
    let filler = "f".repeat(1000);
    for i in 0..2000 {
        let url = format!("https://cdn.example.com/{i}.js");
        entries.push(entry("GET", &url, json!([]), None, json!({"text": filler})));
    }
    entries.push(login("tX", &kx));
    let p = dir.join("stream.har");
    std::fs::write(&p, json!({"log": {"entries": entries}}).to_string()).unwrap();
    p
}

fn key_entry(item: &ScanItem) -> Option<usize> {
    match &item.key_from {
        Some(KeyFrom::Capture { source, .. }) => source.entry,
        _ => None,
    }
}

#[test]
fn a_payload_opened_by_an_earlier_key_is_handed_on_while_reading() {
    let dir = tempfile::tempdir().unwrap();
    let p = capture(dir.path());
    let total = std::fs::metadata(&p).unwrap().len();
    // What happened, in order: bytes read so far, or the entry of a payload handed on.
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Event {
        Read(u64),
        Item(Option<usize>),
    }
    let events = std::cell::RefCell::new(Vec::new());
    let mut items = Vec::new();
    let scan = capture::scan_stream(
        std::slice::from_ref(&p),
        &opts(vec![]),
        None,
        &mut |pr| events.borrow_mut().push(Event::Read(pr.bytes_read)),
        &mut |_, item| {
            events.borrow_mut().push(Event::Item(item.source.entry));
            items.push(item);
        },
    )
    .expect("scan");
    assert_eq!(scan.records, 2004);
    assert_eq!(scan.keys.len(), 2);
    assert!(scan.items.is_empty(), "the items went by as a stream");
    // Entry 2 first (its key came before it), entry 0 last (its key is the capture's last record).
    let order: Vec<_> = items.iter().map(|i| i.source.entry).collect();
    assert_eq!(order, [Some(2), Some(0)]);
    assert!(items.iter().all(|i| i.inspected.ok()));
    assert_eq!(key_entry(&items[0]), Some(1));
    assert_eq!(key_entry(&items[1]), Some(2003));
    // Entry 2 went by while most of the file was still to be read; entry 0 after all of it.
    let events = events.into_inner();
    let at = |e: Event| events.iter().position(|x| *x == e).unwrap();
    let read_before = |i: usize| {
        events
            .get(..i)
            .unwrap()
            .iter()
            .filter_map(|e| match e {
                Event::Read(n) => Some(*n),
                Event::Item(_) => None,
            })
            .max()
            .unwrap_or(0)
    };
    let early = at(Event::Item(Some(2)));
    assert!(read_before(early) < total / 2, "{events:?}");
    assert_eq!(read_before(at(Event::Item(Some(0)))), total);

    // Gathered, the items keep the order of the capture, with the same results.
    let gathered = capture::scan_files(&[p], &opts(vec![]), None, &mut |_| {}).expect("scan");
    let in_order: Vec<_> = items.iter().rev().cloned().collect();
    assert_eq!(gathered.items, in_order);
    assert_eq!(gathered.records, scan.records);
}

#[test]
fn scan_json_prints_each_payload_as_it_is_decided() {
    let dir = tempfile::tempdir().unwrap();
    let p = capture(dir.path());
    let out = bin()
        .args(["scan", "--json", "--now", &NOW.to_string()])
        .arg(&p)
        .assert()
        .code(0)
        .get_output()
        .clone();
    let entries: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["source"]["entry"].clone())
        .collect();
    assert_eq!(entries, [json!(2), json!(0)]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("2 payload(s) in 2004 record(s): 2 decrypted"),
        "{stderr}"
    );
    // The table keeps the order of the capture.
    let table = bin()
        .args(["--lang", "en", "scan", "--now", &NOW.to_string()])
        .arg(&p)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let table = String::from_utf8(table).unwrap();
    let row = |entry: &str| table.find(&format!("stream.har#{entry} ")).unwrap();
    assert!(row("0") < row("2"), "{table}");
}
