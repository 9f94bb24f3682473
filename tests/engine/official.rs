//! The report's `official` table held to the real runtimes: each sample's few lines, re-typed in
//! its own language under tests/official/, run with php, node, python3 (pycryptodome) and java over the test vectors and
//! over the official demo damaged in the ways transport damages it; the report must say exactly
//! what each runtime returned or threw. CI installs php-cli and pycryptodome; node, python3 and java are on the machines.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use wxdecrypt::opendata::cipher::encrypt_pkcs7;
use wxdecrypt::opendata::normalize::encode;
use wxdecrypt::opendata::official::SampleOutcome;
use wxdecrypt::{Input, Lang, Options, inspect};

use super::vectors::load;

/// The official demo damaged the ways transport and people damage it.
fn demo_variants() -> Vec<(String, Input)> {
    let v = load("official_demo.json");
    let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
    let demo = Input::new(
        &s("appid"),
        &s("session_key"),
        &s("iv"),
        &s("encrypted_data"),
    );
    let with = |name: &str, f: &dyn Fn(&mut Input)| {
        let mut i = demo.clone();
        f(&mut i);
        (format!("demo: {name}"), i)
    };
    let wrap = |t: &str, at: usize, sep: &str| {
        t.as_bytes()
            .chunks(at)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(sep)
    };
    vec![
        with("as given", &|_| {}),
        with("no appid", &|i| i.appid.clear()),
        with("another appid", &|i| i.appid = "wx0000000000000000".into()),
        with("+ as spaces", &|i| {
            i.encrypted_data = i.encrypted_data.replace('+', " ")
        }),
        with("%2B", &|i| {
            i.encrypted_data = i.encrypted_data.replace('+', "%2B")
        }),
        with("url-safe", &|i| {
            i.encrypted_data = i.encrypted_data.replace('+', "-").replace('/', "_")
        }),
        with("a bad character", &|i| i.encrypted_data.insert(40, '*')),
        with("CRLF every 76", &|i| {
            i.encrypted_data = wrap(&i.encrypted_data, 76, "\r\n")
        }),
        with("\\/ escaped", &|i| {
            i.encrypted_data = i.encrypted_data.replace('/', "\\/")
        }),
        with("spaces around", &|i| {
            i.encrypted_data = format!("  {}\n", i.encrypted_data)
        }),
        with("empty data", &|i| i.encrypted_data.clear()),
        with("cut by 4", &|i| {
            let n = i.encrypted_data.len() - 4;
            i.encrypted_data.truncate(n)
        }),
        with("cut by 1", &|i| {
            let n = i.encrypted_data.len() - 1;
            i.encrypted_data.truncate(n)
        }),
        with("key without padding", &|i| {
            i.session_key = i.session_key.replace('=', "")
        }),
        with("key with a space", &|i| {
            i.session_key = format!(" {}", &i.session_key[1..])
        }),
        with("key hex", &|i| {
            i.session_key = "31323334353637383930616263646566".into()
        }),
        with("key of 32 bytes", &|i| {
            i.session_key = "MTIzNDU2Nzg5MGFiY2RlZjEyMzQ1Njc4OTBhYmNkZWY=".into()
        }),
        with("iv + as space", &|i| i.iv = i.iv.replace('+', " ")),
        with("iv url-safe", &|i| {
            i.iv = i.iv.replace('+', "-").replace('/', "_")
        }),
        with("iv with = inside", &|i| i.iv.insert(4, '=')),
        with("iv and data swapped", &|i| {
            std::mem::swap(&mut i.iv, &mut i.encrypted_data)
        }),
        with("another key", &|i| {
            i.session_key = "MTIzNDU2Nzg5MGFiY2RlZg==".into()
        }),
        with("another iv", &|i| i.iv = "MTIzNDU2Nzg5MGFiY2RlZg==".into()),
        with("a character changed", &|i| {
            let mid = i.encrypted_data.len() / 2;
            let c = if &i.encrypted_data[mid..mid + 1] == "A" {
                "B"
            } else {
                "A"
            };
            i.encrypted_data.replace_range(mid..mid + 1, c)
        }),
        with("login code as key", &|i| {
            i.session_key = "081aBc0w3a1b2C3d4E5f6g7H8i9j0k1".into()
        }),
        with("non-ASCII in data", &|i| i.encrypted_data.insert(8, 'é')),
    ]
}

/// Clean payloads whose watermark appid and the app's differ only in ways a loose comparison may
/// forgive (PHP 8 compares numeric strings as numbers) or a strict one may not.
fn appid_variants() -> Vec<(String, Input)> {
    let key = *b"0123456789abcdef";
    let iv = *b"fedcba9876543210";
    let pairs = [
        ("10", "1e1"),
        ("1e1", "10"),
        ("10", "10.0"),
        ("10", " 10"),
        ("10", "10 "),
        ("wx1", "wx1 "),
        ("0x1A", "26"),
        ("", "wx1"),
        ("100", "1e2"),
        ("1_000", "1000"),
        ("INF", "INF"),
        (".5", "0.5"),
        ("1e400", "2e400"),
        ("wx1", "wx1"),
    ];
    pairs
        .iter()
        .map(|(app, seen)| {
            let plain =
                json!({"openId": "o1", "watermark": {"appid": seen, "timestamp": 1_700_000_000}});
            let data = encrypt_pkcs7(&key, &iv, plain.to_string().as_bytes()).expect("encrypt");
            (
                format!("appid {app:?} against watermark {seen:?}"),
                Input::new(app, &encode(&key), &encode(&iv), &encode(&data)),
            )
        })
        .collect()
}

fn cases() -> Vec<(String, Input)> {
    let mut out = demo_variants();
    out.extend(appid_variants());
    let vectors = load("findings.json");
    for v in vectors["vectors"].as_array().into_iter().flatten() {
        let input: Input = serde_json::from_value(v["input"].clone()).expect("input");
        out.push((v["name"].as_str().unwrap_or("?").to_string(), input));
    }
    out
}

/// Runs `program args…` with the cases as JSON Lines on stdin; one outcome a line back.
fn run(program: &str, args: &[&str], cases: &[(String, Input)]) -> Vec<SampleOutcome> {
    let lines: Vec<Value> = cases
        .iter()
        .map(|(_, i)| json!({"appid": i.appid, "sessionKey": i.session_key, "iv": i.iv, "encryptedData": i.encrypted_data}))
        .collect();
    run_script(program, args, &lines)
        .into_iter()
        .map(
            |v| match (v.get("code").and_then(Value::as_i64), v.get("exception")) {
                (Some(c), _) => SampleOutcome::code(c as i32),
                (None, Some(e)) => SampleOutcome::exception(
                    e.as_str().unwrap_or(""),
                    v["message"].as_str().unwrap_or(""),
                ),
                _ => SampleOutcome::ok(),
            },
        )
        .collect()
}

/// Runs `program args` in tests/official with one JSON object per line on its standard input;
/// returns the JSON object it writes back for each.
pub(super) fn run_script(program: &str, args: &[&str], lines: &[Value]) -> Vec<Value> {
    let dir = format!("{}/tests/official", env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new(program)
        .args(args)
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("{program} is needed for this test ({e}); .ci/run installs what CI lacks")
        });
    let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("run");
    writer.join().expect("writer").expect("write");
    assert!(out.status.success(), "{program} failed");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let back: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert_eq!(back.len(), lines.len(), "{program}: one line per case");
    back
}

fn check(sample: &str, got: Vec<SampleOutcome>, pick: fn(&wxdecrypt::Report) -> &SampleOutcome) {
    let cases = cases();
    let mut seen: Vec<SampleOutcome> = Vec::new();
    for g in &got {
        if !seen.contains(g) {
            seen.push(g.clone());
        }
    }
    // Not a vacuous comparison: the cases make each runtime answer in several ways.
    assert!(seen.len() >= 3, "{sample} answered only {seen:?}");
    let mut wrong = Vec::new();
    for ((name, input), real) in cases.iter().zip(got) {
        let report = inspect(input, &Options::new(1_700_000_000, Lang::En));
        let said = pick(&report);
        if *said != real {
            wrong.push(format!(
                "{name}: the report says {said:?}, {sample} did {real:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases differ:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[test]
fn php_sample() {
    check("php", run("php", &["sample.php"], &cases()), |r| {
        &r.official.php
    });
}

#[test]
fn the_compatible_official_code_is_the_php_samples() {
    for (name, input) in cases() {
        let r = inspect(&input, &Options::new(1_700_000_000, Lang::En));
        assert_eq!(Some(r.official_code), r.official.php.code, "{name}");
    }
}

#[test]
fn node_sample() {
    check("node", run("node", &["sample.js"], &cases()), |r| {
        &r.official.node
    });
}

#[test]
fn python_sample() {
    check("python", run("python3", &["sample.py"], &cases()), |r| {
        &r.official.python
    });
}

#[test]
fn java_code() {
    check("java", run("java", &["Sample.java"], &cases()), |r| {
        &r.official.java
    });
}
