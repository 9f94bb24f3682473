//! `batch` writes, line for line, exactly what serde_json writes for the full `inspect` report
//! (its hand-written fast paths must not change a byte).

use assert_cmd::Command;
use serde_json::{Map, Value};
use wxdecrypt::opendata::cipher::encrypt_pkcs7;
use wxdecrypt::opendata::normalize::encode;
use wxdecrypt::{Input, Lang, Options, inspect};

const APPID: &str = "wx0123456789abcdef";
const NOW: i64 = 1_700_000_000;

fn block(seed: u8) -> [u8; 16] {
    std::array::from_fn(|i| seed.wrapping_mul(31).wrapping_add(i as u8 * 7))
}

/// (encryptedData, iv, sessionKey) for `plain`.
fn seal(plain: &str, seed: u8) -> (String, String, String) {
    let (key, iv) = (block(seed), block(seed.wrapping_add(100)));
    let data = encrypt_pkcs7(&key, &iv, plain.as_bytes()).unwrap();
    (encode(&data), encode(&iv), encode(&key))
}

fn phone(number: &str, appid: &str, ts: i64) -> String {
    format!(
        r#"{{"phoneNumber":"{number}","purePhoneNumber":"{number}","countryCode":"86","watermark":{{"appid":"{appid}","timestamp":{ts}}}}}"#
    )
}

/// Input lines in all the shapes the batch meets (the fast paths and the serde fallbacks).
fn lines() -> Vec<String> {
    let mut out = Vec::new();
    let flat = |id: &str, plain: &str, seed: u8| {
        let (d, iv, k) = seal(plain, seed);
        format!(r#"{{"id":{id},"encryptedData":"{d}","iv":"{iv}","sessionKey":"{k}"}}"#)
    };
    out.push(flat("1", &phone("13800138000", APPID, NOW), 1));
    out.push(flat(
        r#""s-2""#,
        &phone("13800138001", APPID, NOW - 90_000),
        2,
    ));
    // Other appid in the watermark, future timestamp, inconsistent numbers.
    out.push(flat("-3", &phone("13800138002", "wxother", NOW + 4000), 3));
    out.push(flat(
        "4",
        r#"{"phoneNumber":"+86 138-0013-8003","purePhoneNumber":"13800138003","countryCode":"86","watermark":{"appid":"wx0123456789abcdef","timestamp":1699990000}}"#,
        4,
    ));
    out.push(flat(
        "5",
        r#"{"phoneNumber":"1","purePhoneNumber":"2","countryCode":"86","watermark":{"appid":"wx0123456789abcdef","timestamp":"1699990000"}}"#,
        5,
    ));
    // User info: Chinese, escapes, control characters, a nested array.
    out.push(flat(
        "6",
        r#"{"nickName":"微信用户","gender":0,"city":"a\"b\\c\nd\u0001\/e","avatarUrl":"https://x/y","watermark":{"appid":"wx0123456789abcdef","timestamp":1699999000}}"#,
        6,
    ));
    out.push(flat(
        "7",
        r#"{"nickName":"张三","openId":"o1","watermark":{"appid":"wx0123456789abcdef","timestamp":1699999000}}"#,
        7,
    ));
    out.push(flat(
        "8",
        r#"{"stepInfoList":[{"timestamp":1,"step":2}],"watermark":{"appid":"wx0123456789abcdef","timestamp":1699999000}}"#,
        8,
    ));
    // Pretty-printed, no watermark, not JSON, duplicate keys in the plaintext.
    out.push(flat(
        "9",
        "{\n  \"phoneNumber\": \"13800138009\",\n  \"purePhoneNumber\": \"13800138009\",\n  \"countryCode\": \"86\",\n  \"watermark\": {\"appid\": \"wx0123456789abcdef\", \"timestamp\": 1699999999}\n}",
        9,
    ));
    out.push(flat("10", r#"{"phoneNumber":"13800138010"}"#, 10));
    out.push(flat("11", "just text", 11));
    out.push(flat(
        "12",
        r#"{"phoneNumber":"1","phoneNumber":"13800138012","purePhoneNumber":"13800138012","countryCode":"86","watermark":{"appid":"wx0123456789abcdef","timestamp":1699999999}}"#,
        12,
    ));
    // What serde cannot read as a `Value` (a number out of range, nesting past its limit) is
    // `data: null` in both; duplicate keys and a top-level array too (issue 11).
    out.push(flat("19", r#"{"x":1e400,"y":1,"y":2}"#, 19));
    let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
    out.push(flat("20", &format!(r#"{{"nickName":"n","a":{deep}}}"#), 20));
    out.push(flat("21", &deep, 21));
    out.push(flat("22", r#"["13800138000","13800138000","86"]"#, 22));
    out.push(flat("23", "{\"nickName\":\"a\u{1}b\"}", 23));
    // Key mismatch, iv mismatch, swapped key and iv, repairs, a wrong length.
    let (d, iv, _) = seal(&phone("13800138013", APPID, NOW), 13);
    let other = encode(&block(99));
    out.push(format!(
        r#"{{"id":13,"encryptedData":"{d}","iv":"{iv}","sessionKey":"{other}"}}"#
    ));
    let (d, _, k) = seal(&phone("13800138014", APPID, NOW), 14);
    out.push(format!(
        r#"{{"id":14,"encryptedData":"{d}","iv":"{other}","session_key":"{k}"}}"#
    ));
    let (d, iv, k) = seal(&phone("13800138015", APPID, NOW), 15);
    out.push(format!(
        r#"{{"id":15,"encryptedData":"{d}","iv":"{k}","sessionKey":"{iv}"}}"#
    ));
    let (d, iv, k) = seal(&phone("13800138016", APPID, NOW), 16);
    let spaced = d.replace('+', " ").replace('/', "_");
    out.push(format!(
        r#"{{"id":16,"encrypted_data":" {spaced} ","IV":"'{iv}'","sessionkey":"{k}\n"}}"#
    ));
    out.push(format!(
        r#"{{"id":17,"encryptedData":"{}","iv":"{iv}","sessionKey":"{k}"}}"#,
        &d[..d.len() - 10]
    ));
    // Escaped slashes and an appid of its own; a float, a bool, an object as id.
    let (d, iv, k) = seal(&phone("13800138018", "wxown", NOW), 18);
    out.push(format!(
        r#"{{"appId":"wxown","id":18.5,"encryptedData":"{}","iv":"{iv}","sessionKey":"{k}"}}"#,
        d.replace('/', "\\/")
    ));
    out.push(format!(
        r#"{{ "app_id" : "" , "id" : true , "encryptedData" : "{d}" , "iv" : "{iv}" , "sessionKey" : "{k}" , "note" : "备注" }}  "#
    ));
    out.push(format!(
        r#"{{"id":{{"a":1}},"encryptedData":"{d}","iv":"{iv}","sessionKey":"{k}","x":null}}"#
    ));
    out.push(format!(
        r#"{{"id":null,"encryptedData":"{d}","iv":null,"sessionKey":"{k}","n":-0}}"#
    ));
    out.push(format!(
        r#"{{"id":"dup","iv":"{iv}","encryptedData":"{d}","iv":"{iv}","sessionKey":"{k}"}}"#
    ));
    out.push(format!(
        r#"{{"id":1234567890123456789012,"detail":{{"encryptedData":"{d}","iv":"{iv}","sessionKey":"{k}"}}}}"#
    ));
    out.push(format!(
        "{{\"id\":\"crlf\",\"encryptedData\":\"{d}\",\"iv\":\"{iv}\",\"sessionKey\":\"{k}\"}}\r"
    ));
    out.push(format!(r#"{{"id":"e\u00e9","encryptedData":"{d}"}}"#));
    out.push(String::new());
    out.push("not json".into());
    out.push("[1,2]".into());
    out.push(r#"{"id":1,"encryptedData":"AAAA""#.into());
    out.push("{}".into());
    out
}

/// What each output line must be: `line`, the input's `id`, then the full report as serde writes it.
fn expected(line_no: usize, line: &str) -> String {
    let v: Value = serde_json::from_str(line.trim_end_matches('\r')).unwrap();
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| v.get(n).and_then(Value::as_str))
            .unwrap_or("")
            .to_string()
    };
    let src = v.get("detail").unwrap_or(&v);
    let get = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| src.get(n).and_then(Value::as_str))
            .unwrap_or("")
            .to_string()
    };
    let mut appid = field(&["appid", "appId", "app_id"]);
    if appid.is_empty() {
        appid = APPID.into();
    }
    let input = Input {
        appid,
        session_key: get(&["session_key", "sessionKey", "sessionkey"]),
        iv: get(&["iv", "IV"]),
        encrypted_data: get(&["encrypted_data", "encryptedData", "encrypteddata"]),
    };
    let report = inspect(&input, &Options::new(NOW, Lang::En));
    let mut m = Map::new();
    m.insert("line".into(), line_no.into());
    if let Some(id) = v.get("id").filter(|id| !id.is_null()) {
        m.insert("id".into(), id.clone());
    }
    let Value::Object(mut r) = serde_json::to_value(&report).unwrap() else {
        unreachable!()
    };
    // The batch's `data` is a compact object's decrypted text itself (see `append_report`).
    const MARK: &str = "\u{0}data";
    let raw = report.plaintext.as_deref().filter(|t| {
        report.data.as_ref().is_some_and(Value::is_object) && !t.contains(['\n', '\r'])
    });
    if raw.is_some() {
        r["data"] = MARK.into();
    }
    m.extend(r);
    let text = serde_json::to_string(&m).unwrap();
    match raw {
        Some(t) => text.replacen("\"\\u0000data\"", t, 1),
        None => text,
    }
}

#[test]
fn batch_lines_are_the_serde_report_byte_for_byte() {
    let lines = lines();
    let input = lines.join("\n") + "\n";
    let out = Command::cargo_bin("wxdecrypt")
        .unwrap()
        .args(["--lang", "en", "batch", "--threads", "2", "--appid", APPID])
        .args(["--now", &NOW.to_string()])
        .write_stdin(input)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let got: Vec<&str> = text.lines().collect();
    let mut at = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let out_line = got[at];
        at += 1;
        if serde_json::from_str::<Value>(line.trim_end_matches('\r')).is_ok_and(|v| v.is_object()) {
            assert_eq!(
                out_line,
                expected(i + 1, line),
                "input line {}: {line}",
                i + 1
            );
        } else {
            let v: Value = serde_json::from_str(out_line).unwrap();
            assert_eq!(v["line"], i + 1);
            assert_eq!(v["ok"], false);
            assert!(v["error"].is_string());
        }
    }
    assert_eq!(at, got.len());
}

/// Runs batch over `lines()` with `extra` flags; the output lines parsed, each with its input line.
fn batch_with(extra: &[&str]) -> Vec<(String, Value)> {
    let lines = lines();
    let input = lines.join("\n") + "\n";
    let out = Command::cargo_bin("wxdecrypt")
        .unwrap()
        .args(["--lang", "en", "batch", "--threads", "2", "--appid", APPID])
        .args(["--now", &NOW.to_string()])
        .args(extra)
        .write_stdin(input)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let objects = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let got: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got.len(), objects.clone().count());
    objects
        .zip(got)
        .map(|((i, l), v)| (expected_or_error(i + 1, l), v))
        .collect()
}

fn expected_or_error(line_no: usize, line: &str) -> String {
    match serde_json::from_str::<Value>(line.trim_end_matches('\r')) {
        Ok(v) if v.is_object() => expected(line_no, line),
        _ => String::new(),
    }
}

/// `--fields` keeps `line`, `id` and the fields named, in the report's order, with the full
/// report's values; `--compact` drops `plaintext` exactly when `data` holds the same object.
#[test]
fn fields_and_compact_select_from_the_full_report() {
    for (i, (want, got)) in batch_with(&["--fields", "kind, data,ok"])
        .into_iter()
        .enumerate()
    {
        if want.is_empty() {
            assert_eq!(got["ok"], false, "line {i}");
            continue;
        }
        let full: Value = serde_json::from_str(&want).unwrap();
        let keys: Vec<&str> = got
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expect_keys = vec!["line"];
        if full.get("id").is_some() {
            expect_keys.push("id");
        }
        expect_keys.extend(["ok", "kind", "data"]);
        assert_eq!(keys, expect_keys, "line {i}");
        for k in expect_keys {
            assert_eq!(got[k], full[k], "line {i}, field {k}");
        }
    }
    let mut dropped = 0;
    for (i, (want, got)) in batch_with(&["--compact"]).into_iter().enumerate() {
        if want.is_empty() {
            continue;
        }
        let mut full: Value = serde_json::from_str(&want).unwrap();
        if full["data"].is_object() {
            full.as_object_mut().unwrap().remove("plaintext");
            dropped += 1;
        }
        assert_eq!(got, full, "line {i}");
    }
    assert!(dropped >= 5, "only {dropped} lines had data");
}

#[test]
fn an_unknown_field_is_a_usage_error_that_lists_the_fields() {
    let out = Command::cargo_bin("wxdecrypt")
        .unwrap()
        .args(["--lang", "en", "batch", "--fields", "ok,plain"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("'plain'"), "{err}");
    assert!(
        err.contains("ok, kind, official_code, official, plaintext, data, watermark, findings, repairs, suggested_iv"),
        "{err}"
    );
}

/// Many chunks (the reader cuts 4 MiB at a time), many pieces each, workers running ahead of the
/// writer: the output is in input order and the same on 1 and on 3 threads.
#[test]
fn outputs_stay_in_input_order_across_chunks_and_threads() {
    let line = lines()
        .into_iter()
        .find(|l| l.contains("encryptedData") && serde_json::from_str::<Value>(l).is_ok())
        .expect("a payload line");
    let mut v: Value = serde_json::from_str(&line).unwrap();
    let mut input = String::new();
    let mut n = 0u64;
    // Past 8 MiB: three chunks at least.
    while input.len() <= 8 << 20 {
        v["id"] = n.into();
        input.push_str(&v.to_string());
        input.push('\n');
        n += 1;
    }
    let run = |threads: &str| {
        let out = Command::cargo_bin("wxdecrypt")
            .unwrap()
            .args([
                "--lang",
                "en",
                "batch",
                "--threads",
                threads,
                "--appid",
                APPID,
            ])
            .args(["--now", &NOW.to_string(), "--fields", "ok"])
            .write_stdin(input.clone())
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let one = run("1");
    let three = run("3");
    assert_eq!(one, three);
    let ids: Vec<(u64, u64)> = three
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["line"].as_u64().unwrap(), v["id"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(ids.len() as u64, n);
    assert!(
        ids.iter()
            .enumerate()
            .all(|(i, &(l, id))| l == i as u64 + 1 && id == i as u64)
    );
}

/// A writer that fails mid-run stops the run with exit 2 and says why (no hang, no lost error).
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_stops_the_run_with_exit_2() {
    let input = lines().join("\n").repeat(200);
    let out = Command::cargo_bin("wxdecrypt")
        .unwrap()
        .args(["--lang", "en", "batch", "--threads", "2", "-o", "/dev/full"])
        .timeout(std::time::Duration::from_secs(60))
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot write /dev/full"), "{err}");
}
