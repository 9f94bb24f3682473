//! Reproducers of defects found by the black-box campaign (issue 11) that need the command line:
//! each runs the binary as a user would.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

fn bin() -> Command {
    let mut c = Command::cargo_bin("wxdecrypt").expect("binary built");
    c.env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .timeout(Duration::from_secs(60));
    c
}

fn demo_path() -> String {
    format!(
        "{}/tests/vectors/official_demo.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Saves the official demo as a passing case at `path`.
fn save_demo(path: &Path) {
    bin()
        .args(["decrypt", "--save", path.to_str().unwrap(), &demo_path()])
        .assert()
        .code(0);
}

/// `check DIR`: its exit code and output.
fn check(dir: &Path) -> (i32, String) {
    let out = bin()
        .args(["check", dir.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    (out.status.code().unwrap_or(-1), text)
}

/// Item 2: a FIFO or a device named like a case is skipped (it blocked `check` forever, and a
/// symlink to /dev/zero was read until memory ran out).
#[cfg(unix)]
#[test]
fn check_skips_fifos_and_devices_instead_of_hanging() {
    let dir = tempfile::tempdir().unwrap();
    save_demo(&dir.path().join("demo.wxcase.json"));
    let fifo = dir.path().join("x.wxcase.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.wxcase.json")).unwrap();
    let (code, out) = check(dir.path());
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        out.lines().last(),
        Some("1 passed, 0 failed, 2 skipped"),
        "{out}"
    );
    assert!(out.contains("x.wxcase.json: not a regular file"), "{out}");
    assert!(
        out.contains("zero.wxcase.json: not a regular file"),
        "{out}"
    );
}

/// Item 2: case files have a size limit, said when hit.
#[test]
fn check_refuses_a_case_file_over_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.wxcase.json");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(17 << 20).unwrap();
    let (code, out) = check(dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("big.wxcase.json: larger than 16 MiB"), "{out}");
    assert_eq!(
        out.lines().last(),
        Some("0 passed, 0 failed, 1 skipped"),
        "{out}"
    );
}

/// Item 10: a case too deep to search is reported, not silently left out of a passing run; a
/// case file with a UTF-8 BOM is read.
#[test]
fn check_reports_folders_too_deep_and_reads_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    let bom = dir.path().join("bom.wxcase.json");
    save_demo(&bom);
    let mut text = b"\xef\xbb\xbf".to_vec();
    text.extend(std::fs::read(&bom).unwrap());
    std::fs::write(&bom, text).unwrap();
    let mut deep = dir.path().to_path_buf();
    for i in 0..34 {
        deep.push(format!("d{i}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    save_demo(&deep.join("deep.wxcase.json"));
    let (code, out) = check(dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("more than 32 folders deep"), "{out}");
    assert_eq!(
        out.lines().last(),
        Some("1 passed, 0 failed, 1 skipped"),
        "{out}"
    );
}

/// The key of the issue's reproducers.
const K: &str = "MTIzNDU2Nzg5MGFiY2RlZg==";

/// Runs the binary in `dir`: exit code, stdout and stderr together.
fn run_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = bin().current_dir(dir).args(args).output().unwrap();
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

/// Item 12: `decrypt --save` never replaces a file that is not a case.
#[test]
fn save_leaves_other_files_alone() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "my notes").unwrap();
    let (code, out) = run_in(
        dir.path(),
        &["decrypt", "--save", "notes.txt", &demo_path()],
    );
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("notes.txt exists and is not a case file"),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes");
}

/// Item 12: re-saving a case onto itself keeps its name, notes, unknown fields and expected codes.
#[test]
fn resaving_a_case_keeps_what_the_user_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stale.wxcase.json");
    let demo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(demo_path()).unwrap()).unwrap();
    let case = serde_json::json!({
        "wxdecrypt_case": 1,
        "name": "Stale key, QA account 7",
        "notes": "refreshed by a second wx.login",
        "created": "2026-11-01T10:00:00+08:00",
        "input": {
            "appid": demo["appid"], "session_key": K, "iv": demo["iv"],
            "encrypted_data": demo["encrypted_data"], "ticket": "QA-17"
        },
        "expect": {"ok": false, "codes": ["key.mismatch"], "why": "stale"},
        "tags": ["regression"]
    });
    std::fs::write(&path, serde_json::to_string_pretty(&case).unwrap()).unwrap();
    let p = path.to_str().unwrap();
    let (code, out) = run_in(dir.path(), &["decrypt", p, "--save", p]);
    assert_eq!(code, 1, "{out}");
    let again: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(again["name"], case["name"]);
    assert_eq!(again["notes"], case["notes"]);
    assert_eq!(again["created"], case["created"]);
    assert_eq!(again["tags"], case["tags"]);
    assert_eq!(again["input"]["ticket"], "QA-17");
    assert_eq!(again["expect"]["why"], "stale");
    assert_eq!(
        again["expect"]["codes"],
        serde_json::json!(["key.mismatch"])
    );
    let (code, out) = run_in(dir.path(), &["check", p]);
    assert_eq!(
        (code, out.lines().last()),
        (0, Some("1 passed, 0 failed")),
        "{out}"
    );
}

/// Item 12: a read-only case file is not replaced through the rename.
#[cfg(unix)]
#[test]
fn a_read_only_case_is_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.wxcase.json");
    save_demo(&path);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let p = path.to_str().unwrap();
    let (code, out) = run_in(dir.path(), &["decrypt", &demo_path(), "--save", p]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("permission denied"), "{out}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

/// Item 12: `keyring add` keeps fields it does not know, and refuses a newer format (this build
/// reads formats 1 and 2).
#[test]
fn the_key_ring_keeps_unknown_fields_and_its_version() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wxdecrypt-keyring.json");
    std::fs::write(
        &file,
        r#"{"wxdecrypt_keyring":1,"owner":"QA","keys":[{"session_key":"tiihtNczf5v6AKRyjwEUhQ==","label":"demo","expires":"2026-12-31"}]}"#,
    )
    .unwrap();
    let (code, out) = run_in(dir.path(), &["keyring", "add", K, "--label", "QA 1"]);
    assert_eq!(code, 0, "{out}");
    let ring: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(ring["owner"], "QA");
    assert_eq!(ring["keys"][0]["expires"], "2026-12-31");
    assert_eq!(ring["keys"][1]["label"], "QA 1");
    std::fs::write(&file, r#"{"wxdecrypt_keyring":3,"keys":[]}"#).unwrap();
    let (code, out) = run_in(dir.path(), &["keyring", "add", K]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("format version 3 is newer"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        r#"{"wxdecrypt_keyring":3,"keys":[]}"#
    );
}

/// Item 15: parse errors never quote a key (the key ring through every command that reads it,
/// and a case whose `input` is a string).
#[test]
fn parse_errors_never_quote_a_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.json"), format!(r#"["{K}"]"#)).unwrap();
    std::fs::write(dir.path().join("capture.log"), "nothing here\n").unwrap();
    for args in [
        &["keyring", "--file", "r.json", "list"][..],
        &["scan", "--keyring", "r.json", "capture.log"][..],
        &["serve", "--keyring", "r.json", "--port", "0"][..],
    ] {
        let (code, out) = run_in(dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(out.contains("invalid type"), "{args:?}: {out}");
        assert!(!out.contains(K), "{args:?} printed the key: {out}");
    }
    std::fs::write(
        dir.path().join("s.wxcase.json"),
        format!(r#"{{"wxdecrypt_case":1,"name":"n","input":"{K}","expect":{{"ok":true}}}}"#),
    )
    .unwrap();
    let (code, out) = run_in(dir.path(), &["check", "s.wxcase.json"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("s.wxcase.json:1:"), "{out}");
    assert!(!out.contains(K), "check printed the key: {out}");
}
