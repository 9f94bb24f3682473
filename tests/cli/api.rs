//! The local decode API (`/wxdecrypt/v1` on the `serve` port) over loopback, as a proxy extension
//! calls it: the description, a login answer's session key remembered and pairing a later payload
//! of the same client, `remember: false`, server answers, cases saved, re-encryption written back
//! into JSON, form and query requests (opened again by pycryptodome), and every error answer.

use std::net::SocketAddr;

use serde_json::{Value, json};

use super::serve::{get, post, start};
use wxdecrypt::encrypt::{EncryptRequest, encrypt};

const NOW: i64 = 1_700_000_000;
const APPID: &str = "wx0123456789abcdef";
const KEY: &str = "YWJjZGVmZ2hpamtsbW5vcA==";

fn api(addr: SocketAddr, endpoint: &str, body: &Value) -> (u16, Value, String) {
    let a = post(
        addr,
        &format!("/wxdecrypt/v1/{endpoint}"),
        "application/json",
        body.to_string().as_bytes(),
    );
    (a.status, a.body, a.text)
}

fn payload(number: &str) -> (String, String) {
    let e = encrypt(&EncryptRequest {
        payload: json!({"phoneNumber": number, "purePhoneNumber": number, "countryCode": "86"})
            .to_string(),
        session_key: Some(KEY.into()),
        iv: Some("MDEyMzQ1Njc4OWFiY2RlZg==".into()),
        appid: Some(APPID.into()),
        timestamp: Some(NOW - 60),
        watermark: true,
        now: NOW,
    })
    .expect("encrypt");
    (e.iv, e.encrypted_data)
}

fn login(id: &str) -> Value {
    json!({
        "id": id,
        "request": {"method": "POST", "url": "https://api.example.com/login",
                    "headers": [["Content-Type", "application/json"]], "body": "{\"code\":\"0a1\"}"},
        "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                     "body": format!("{{\"session_key\":\"{KEY}\",\"openid\":\"oU1\",\"token\":\"T-1\"}}")}
    })
}

fn phone_request(body: &str, url: &str, content_type: &str) -> Value {
    json!({"method": "POST", "url": url,
           "headers": [["Content-Type", content_type], ["Authorization", "Bearer T-1"]],
           "body": body})
}

fn codes(item: &Value) -> Vec<String> {
    item["codes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_login_key_opens_the_next_payload_and_no_answer_quotes_it() {
    let (server, _events) = start(vec![]);
    let addr = server.addr();
    let a = post(addr, "/wxdecrypt/v1", "", b"");
    assert_eq!(a.status, 405, "GET only: {}", a.text);

    // Before the login: the payload has no key.
    let (iv, data) = payload("13800138000");
    let body = json!({"encryptedData": data, "iv": iv}).to_string();
    let req = json!({"id": "f0", "request": phone_request(&body, "https://api.example.com/phone", "application/json")});
    let (status, v, _) = api(addr, "inspect", &req);
    assert_eq!(status, 200);
    let item = &v["items"][0];
    assert_eq!(item["ok"], false);
    assert_eq!(codes(item), ["input.missing"]);

    // The login answer hands out the key: reported masked, remembered.
    let (status, v, text) = api(addr, "inspect", &login("f1"));
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["items"], json!([]));
    assert_eq!(
        v["keys"],
        json!([{"side": "response", "masked": "YWJj…cA==", "openid": "oU1", "appid": null, "new": true}])
    );
    assert_eq!(v["session"], json!({"keys": 1, "exchanges": 2}));
    assert_eq!(
        v["views"],
        json!({"request": "", "response": "session_key YWJj…cA== (openid oU1): remembered for the flows that follow",
               "nothing": "Nothing encrypted here: no open data, message push, Pay notification or session key."})
    );
    assert!(!text.contains(KEY));

    // The same payload now opens with it, named by the login's id.
    let (status, v, text) = api(
        addr,
        "inspect",
        &json!({"id": "f2", "request": req["request"], "show": true}),
    );
    assert_eq!(status, 200);
    assert!(!text.contains(KEY), "no answer quotes the key");
    let item = &v["items"][0];
    assert_eq!(item["ok"], true, "{item}");
    assert_eq!(item["side"], "request");
    assert_eq!(item["kind"], "phone_number");
    assert_eq!(item["data"]["phoneNumber"], "13800138000");
    assert_eq!(item["key_from"], json!({"from": "capture", "file": "f1"}));
    assert_eq!(item["summary"], "13800138000");
    assert_eq!(item["report"]["ok"], true);
    let view = v["views"]["request"].as_str().unwrap();
    assert!(view.starts_with("✔"), "{view}");
    assert!(view.ends_with("\nKey: response of f1"), "{view}");
    assert_eq!(v["views"]["response"], "");
    assert!(
        item["text"]
            .as_str()
            .unwrap()
            .contains("\"phoneNumber\": \"13800138000\"")
    );
    assert_eq!(v["session"]["exchanges"], 3);

    // Masked by default.
    let (_, v, _) = api(
        addr,
        "inspect",
        &json!({"request": req["request"], "remember": false}),
    );
    assert_eq!(v["items"][0]["summary"], "138****8000");
    assert_eq!(
        v["session"]["exchanges"], 3,
        "remember: false reads without counting"
    );

    let a = post(addr, "/wxdecrypt/v1?x=1", "", b"");
    assert_eq!(a.status, 405);
    // A preflight (of a page the user allowed) is answered as on every path.
    let preflight = {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(b"OPTIONS /wxdecrypt/v1/inspect HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    };
    assert!(preflight.starts_with("HTTP/1.1 204 "), "{preflight}");
    let d = get(addr, "/wxdecrypt/v1").body;
    assert_eq!(d["api"], "wxdecrypt");
    assert_eq!(d["version"], 1);
    assert_eq!(d["endpoints"], json!(["inspect", "reencrypt", "messages"]));
    assert_eq!(d["session"], json!({"keys": 1, "exchanges": 3}));
}

#[test]
fn remember_false_learns_nothing_and_server_answers_are_named() {
    let (server, _events) = start(vec![]);
    let addr = server.addr();
    let mut l = login("f1");
    l["remember"] = json!(false);
    let (_, v, _) = api(addr, "inspect", &l);
    assert_eq!(v["keys"][0]["new"], true);
    assert_eq!(v["session"], json!({"keys": 0, "exchanges": 0}));

    let failed = json!({
        "request": {"method": "GET", "url": "https://api.weixin.qq.com/sns/jscode2session?appid=wx1&secret=S&js_code=C"},
        "response": {"status": 200, "body": "{\"errcode\":40029,\"errmsg\":\"invalid code, rid: 1\"}"}
    });
    let (status, v, _) = api(addr, "inspect", &failed);
    assert_eq!(status, 200);
    assert_eq!(v["server_answers"][0]["errcode"], 40029);
    assert_eq!(
        v["server_answers"][0]["finding"]["code"],
        "server.invalid_code"
    );
}

#[test]
fn decrypted_items_are_saved_as_cases_that_check() {
    let (server, _events) = start(vec![]);
    let addr = server.addr();
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases");
    api(addr, "inspect", &login("f1"));
    let (iv, data) = payload("13800138000");
    let body = json!({"encryptedData": data, "iv": iv}).to_string();
    let req = json!({"id": "f2", "request": phone_request(&body, "https://api.example.com/phone", "application/json"),
                     "save_cases": cases});
    let (_, v1, _) = api(addr, "inspect", &req);
    let (_, v2, _) = api(addr, "inspect", &req);
    let p1 = v1["items"][0]["case"].as_str().expect("saved").to_string();
    let p2 = v2["items"][0]["case"].as_str().expect("saved").to_string();
    assert_ne!(p1, p2, "never over a file");
    assert!(p2.ends_with("(2).wxcase.json"), "{p2}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&p1).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let out = assert_cmd::Command::cargo_bin("wxdecrypt")
        .unwrap()
        .args(["check", cases.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Opens a payload with pycryptodome (tests/official/open_plain.py).
fn open_independently(iv: &str, data: &str) -> Value {
    let line = json!({"sessionKey": KEY, "iv": iv, "encryptedData": data}).to_string();
    let out = assert_cmd::Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/official/open_plain.py"
        ))
        .write_stdin(format!("{line}\n"))
        .output()
        .expect("python3 with pycryptodome (.ci/run installs it)");
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    serde_json::from_str(v["plaintext"].as_str().expect("opened")).expect("JSON")
}

#[test]
fn reencrypt_writes_the_payload_back_where_and_as_it_travelled() {
    let (server, _events) = start(vec![]);
    let addr = server.addr();
    api(addr, "inspect", &login("f1"));
    let (iv, data) = payload("13800138000");

    // JSON body: layout and other members kept, only the value changed.
    let body = format!("{{\n  \"encryptedData\": \"{data}\",\n  \"iv\": \"{iv}\",\n  \"n\": 1\n}}");
    let req = json!({"request": phone_request(&body, "https://api.example.com/phone", "application/json"),
                     "set": ["phoneNumber=13900001111"]});
    let (status, v, text) = api(addr, "reencrypt", &req);
    assert_eq!(status, 200, "{v}");
    assert!(!text.contains(KEY));
    let new = v["encryptedData"].as_str().unwrap();
    assert_eq!(v["iv"], iv, "the same iv");
    assert_eq!(
        v["request"]["body"],
        format!("{{\n  \"encryptedData\": \"{new}\",\n  \"iv\": \"{iv}\",\n  \"n\": 1\n}}")
    );
    assert_eq!(v["request"]["url"], "https://api.example.com/phone");
    assert_eq!(
        v["changed"],
        json!([{"field": "encrypted_data", "in": "body"}])
    );
    assert_eq!(v["check"]["ok"], true);
    assert_eq!(v["key_from"], json!({"from": "capture", "file": "f1"}));
    let opened = open_independently(&iv, new);
    assert_eq!(opened["phoneNumber"], "13900001111");
    assert_eq!(opened["purePhoneNumber"], "13900001111", "kept consistent");
    assert_eq!(opened["watermark"]["appid"], APPID);

    // Form body, percent-encoded as sent; a new iv is written too.
    let form = format!(
        "iv={}&encryptedData={}&uid=7",
        super::serve::enc(&iv),
        super::serve::enc(&data)
    );
    let req = json!({"request": phone_request(&form, "https://api.example.com/phone", "application/x-www-form-urlencoded"),
                     "data": {"phoneNumber": "13700000000", "purePhoneNumber": "13700000000", "countryCode": "86",
                              "watermark": {"appid": APPID, "timestamp": NOW}},
                     "new_iv": true});
    let (status, v, _) = api(addr, "reencrypt", &req);
    assert_eq!(status, 200, "{v}");
    let (new_iv, new) = (
        v["iv"].as_str().unwrap(),
        v["encryptedData"].as_str().unwrap(),
    );
    assert_ne!(new_iv, iv);
    assert_eq!(
        v["request"]["body"],
        format!(
            "iv={}&encryptedData={}&uid=7",
            super::serve::enc(new_iv),
            super::serve::enc(new)
        )
    );
    assert_eq!(
        v["changed"],
        json!([{"field": "encrypted_data", "in": "body"}, {"field": "iv", "in": "body"}])
    );
    assert_eq!(
        open_independently(new_iv, new)["phoneNumber"],
        "13700000000"
    );

    // Query string: the URL is rewritten, the body left alone.
    let url = format!(
        "https://api.example.com/phone?encryptedData={}&iv={}",
        super::serve::enc(&data),
        super::serve::enc(&iv)
    );
    let req =
        json!({"request": phone_request("", &url, "text/plain"), "set": ["countryCode=\"852\""]});
    let (status, v, _) = api(addr, "reencrypt", &req);
    assert_eq!(status, 200, "{v}");
    let new = v["encryptedData"].as_str().unwrap();
    assert_eq!(
        v["request"]["url"],
        format!(
            "https://api.example.com/phone?encryptedData={}&iv={}",
            super::serve::enc(new),
            super::serve::enc(&iv)
        )
    );
    assert_eq!(
        v["changed"],
        json!([{"field": "encrypted_data", "in": "query"}])
    );
    assert_eq!(open_independently(&iv, new)["countryCode"], "852");
}

/// The `proxy.` texts of a catalogue file, read from the file itself.
fn proxy_texts(file: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/i18n")
        .join(file);
    let all: serde_json::Map<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    Value::Object(
        all.into_iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("proxy.")?.to_string(), v)))
            .collect(),
    )
}

#[test]
fn messages_come_in_the_language_asked_for() {
    let (server, _events) = start(vec![]);
    let addr = server.addr();
    // The endpoint's language (English here) unless the query names one.
    for (path, lang, file) in [
        ("/wxdecrypt/v1/messages", "en", "en.json"),
        ("/wxdecrypt/v1/messages?lang=en", "en", "en.json"),
        (
            "/wxdecrypt/v1/messages?x=1&lang=zh-CN",
            "zh-CN",
            "zh-CN.json",
        ),
        ("/wxdecrypt/v1/messages/?lang=zh", "zh-CN", "zh-CN.json"),
    ] {
        let a = get(addr, path);
        assert_eq!(a.status, 200, "{path}: {}", a.text);
        assert_eq!(a.body["lang"], lang, "{path}");
        let expected = proxy_texts(file);
        assert!(expected.as_object().is_some_and(|m| m.len() >= 8));
        assert_eq!(a.body["messages"], expected, "{path}");
    }
    assert_eq!(
        get(addr, "/wxdecrypt/v1/messages?lang=zh-CN").body["messages"]["view.no_data"],
        "这个请求里没有已解密的开放数据"
    );
    let a = get(addr, "/wxdecrypt/v1/messages?lang=fr");
    assert_eq!(a.status, 400, "{}", a.text);
    assert_eq!(a.body["error"]["code"], "api.bad_request");
    assert_eq!(
        a.body["error"]["message"],
        "fr: no such language (en, zh-CN)"
    );
    let a = post(addr, "/wxdecrypt/v1/messages", "application/json", b"{}");
    assert_eq!(a.status, 405, "{}", a.text);
    assert_eq!(a.body["error"]["code"], "api.method");
}

#[test]
fn every_error_answer() {
    let (server, events) = start(vec![]);
    let addr = server.addr();
    let (iv, data) = payload("13800138000");
    let body = json!({"encryptedData": data, "iv": iv}).to_string();
    let phone = phone_request(&body, "https://api.example.com/phone", "application/json");
    // (path, content type, the finding behind the error, body, status, error code)
    type Case<'a> = (&'a str, &'a str, &'a str, Vec<u8>, u16, &'a str);
    let cases: Vec<Case> = vec![
        (
            "/wxdecrypt/v1/inspect",
            "text/plain",
            "",
            json!({"request": phone}).to_string().into_bytes(),
            415,
            "api.content_type",
        ),
        (
            "/wxdecrypt/v1/inspect",
            "application/json",
            "",
            b"{\"request\": 1}".to_vec(),
            400,
            "api.bad_request",
        ),
        (
            "/wxdecrypt/v1/inspect",
            "application/json",
            "",
            b"{nope".to_vec(),
            400,
            "api.bad_request",
        ),
        (
            "/wxdecrypt/v1/inspect",
            "application/json",
            "",
            json!({"request": phone, "extra": 1})
                .to_string()
                .into_bytes(),
            400,
            "api.bad_request",
        ),
        (
            "/wxdecrypt/v1/nope",
            "application/json",
            "",
            b"{}".to_vec(),
            404,
            "api.not_found",
        ),
        // No key for it: not decrypted, with the finding behind it.
        (
            "/wxdecrypt/v1/reencrypt",
            "application/json",
            "input.missing",
            json!({"request": phone}).to_string().into_bytes(),
            422,
            "api.not_decrypted",
        ),
        (
            "/wxdecrypt/v1/reencrypt",
            "application/json",
            "",
            json!({"request": {"url": "https://h/x", "body": "{}"}})
                .to_string()
                .into_bytes(),
            422,
            "api.no_payload",
        ),
    ];
    for (path, ct, finding, body, status, code) in &cases {
        let a = post(addr, path, ct, body);
        assert_eq!(a.status, *status, "{path} {ct}: {}", a.text);
        assert_eq!(a.body["error"]["code"], *code, "{}", a.text);
        assert!(
            a.body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        if !finding.is_empty() {
            assert_eq!(a.body["error"]["finding"]["code"], *finding);
        }
    }
    api(addr, "inspect", &login("f1"));
    let with_key = |set: &str| json!({"request": phone, "set": [set]});
    for (set, message) in [
        (
            "phoneNumber.x=1",
            "phoneNumber.x: no such place in the data (a list index past its end, or a member of a text or a number)",
        ),
        (
            "watermark.timestamp=soon",
            "watermark.timestamp holds a number: give a number",
        ),
        (
            "=1",
            "=1: write path=value, e.g. phoneNumber=13900001111 or watermark.appid=wx…",
        ),
    ] {
        let (status, v, _) = api(addr, "reencrypt", &with_key(set));
        assert_eq!(status, 400, "{v}");
        assert_eq!(v["error"]["code"], "api.bad_assignment");
        assert_eq!(v["error"]["message"], message);
    }
    // Every call was reported; a call without a payload notes the keys it saw.
    let evs = super::serve::wait_events(&events, cases.len() + 4);
    let login_ev = evs
        .iter()
        .find(|e| e.note.is_some())
        .expect("the login's event");
    assert_eq!(
        login_ev.outcome(wxdecrypt::Lang::En, true),
        "No payload; session keys seen: 1"
    );
}

#[test]
fn a_push_in_an_exchange_is_opened_with_the_key_ring() {
    // The WeCom documentation's push (tests/vectors/msg.json), its key in the ring.
    let v = super::envelopes::vector("msg.json", "official WeCom push");
    let ring = vec![wxdecrypt::keyring::KeyringEntry {
        encoding_aes_key: v["encoding_aes_key"].as_str().map(String::from),
        token: v["token"].as_str().map(String::from),
        receive_id: v["receive_id"].as_str().map(String::from),
        ..Default::default()
    }];
    let (server, _events) = start(ring);
    let url = format!(
        "https://backend.example.com/wecom?msg_signature={}&timestamp={}&nonce={}",
        v["msg_signature"].as_str().unwrap(),
        v["timestamp"].as_str().unwrap(),
        v["nonce"].as_str().unwrap()
    );
    let req = json!({"request": {"method": "POST", "url": url, "body": v["body"]},
                     "response": {"status": 200, "body": "success"}});
    let (status, v, _) = api(server.addr(), "inspect", &req);
    assert_eq!(status, 200, "{v}");
    let item = &v["items"][0];
    assert_eq!(item["payload"], "message");
    assert_eq!(item["side"], "request");
    assert_eq!(item["ok"], true, "{item}");
    assert_eq!(codes(item), Vec::<String>::new());
    assert_eq!(
        item["key_from"],
        json!({"from": "keyring", "index": 0, "label": null})
    );
    assert!(
        v["views"]["request"]
            .as_str()
            .unwrap()
            .contains("Key: key ring: #1")
    );
}
