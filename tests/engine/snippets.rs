//! Copy as code: the programs `wxdecrypt snippet` writes, run by their own runtimes on the
//! official demo, print exactly the documented user info; each also refuses a wrong key. Python,
//! Node.js, Java and PHP run here (CI installs what it lacks); Go runs when `go` is installed and
//! is skipped visibly otherwise; Rust is left to `cargo` users (its dependencies are not fetched
//! in tests).

use std::process::Command;

use serde_json::Value;
use wxdecrypt::Input;
use wxdecrypt::snippet::{SnippetLang, snippet};

fn demo() -> (Input, Value) {
    let path = format!(
        "{}/tests/vectors/official_demo.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let s = |k: &str| v[k].as_str().unwrap().to_string();
    (
        Input::new(
            &s("appid"),
            &s("session_key"),
            &s("iv"),
            &s("encrypted_data"),
        ),
        v["data"].clone(),
    )
}

/// Runs the program for `input` in `lang`: (success, stdout).
fn run(lang: SnippetLang, input: &Input) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(lang.file_name());
    std::fs::write(&file, snippet(lang, input)).unwrap();
    let (program, args): (&str, Vec<&str>) = match lang {
        SnippetLang::Python => ("python3", vec![lang.file_name()]),
        SnippetLang::Node => ("node", vec![lang.file_name()]),
        SnippetLang::Java => ("java", vec![lang.file_name()]),
        SnippetLang::Php => ("php", vec![lang.file_name()]),
        SnippetLang::Go => ("go", vec!["run", lang.file_name()]),
        SnippetLang::Rust => unreachable!("not run here"),
    };
    let out = Command::new(program)
        .args(args)
        .current_dir(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed for this test ({e}); .ci/run installs it"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn check(lang: SnippetLang) {
    let (input, data) = demo();
    let (ok, out) = run(lang, &input);
    assert!(ok, "{}: failed: {out}", lang.as_str());
    let printed: Value = serde_json::from_str(out.trim())
        .unwrap_or_else(|e| panic!("{}: {out}: {e}", lang.as_str()));
    assert_eq!(printed, data, "{}", lang.as_str());
    // A wrong key: the program fails instead of printing.
    let wrong = Input {
        session_key: "MTIzNDU2Nzg5MGFiY2RlZg==".into(),
        ..input.clone()
    };
    let (ok, out) = run(lang, &wrong);
    assert!(!ok && out.trim().is_empty(), "{}: {out}", lang.as_str());
    // Another appid: refused by the watermark check.
    let other = Input {
        appid: "wx0000000000000000".into(),
        ..input
    };
    assert!(!run(lang, &other).0, "{}: the appid check", lang.as_str());
}

#[test]
fn python_snippet_decrypts_the_official_demo() {
    check(SnippetLang::Python);
}

#[test]
fn node_snippet_decrypts_the_official_demo() {
    check(SnippetLang::Node);
}

#[test]
fn java_snippet_decrypts_the_official_demo() {
    check(SnippetLang::Java);
}

#[test]
fn php_snippet_decrypts_the_official_demo() {
    check(SnippetLang::Php);
}

#[test]
fn go_snippet_decrypts_the_official_demo_when_go_is_installed() {
    if Command::new("go").arg("version").output().is_err() {
        eprintln!("SKIP go snippet: no `go` on this machine");
        return;
    }
    check(SnippetLang::Go);
}

/// The Rust program, built offline as its comment says (the crates are the ones this crate
/// already depends on, so the registry has them) in a target directory kept beside the tests'.
#[test]
fn rust_snippet_decrypts_the_official_demo() {
    let (input, data) = demo();
    let exe = std::env::current_exe().unwrap();
    let target = exe
        .ancestors()
        .nth(3)
        .map(|t| t.join("snippet-rust"))
        .unwrap_or_else(|| std::env::temp_dir().join("wxdecrypt-snippet-rust"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        concat!(
            "[package]\nname = \"decrypt\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
            "[dependencies]\naes = \"0.9\"\ncbc = { version = \"0.2\", features = [\"alloc\"] }\n",
            "base64 = \"0.22\"\nserde_json = \"1\"\n[workspace]\n"
        ),
    )
    .unwrap();
    let main = snippet(SnippetLang::Rust, &input);
    // The dependencies the program's comment names are the ones written above.
    for dep in [
        "aes = \"0.9\"",
        "cbc = { version = \"0.2\"",
        "base64 = \"0.22\"",
        "serde_json = \"1\"",
    ] {
        assert!(main.contains(dep), "{dep}");
    }
    std::fs::write(dir.path().join("src/main.rs"), main).unwrap();
    let out = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--offline"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(dir.path())
        .output()
        .expect("cargo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(printed, data);
}
