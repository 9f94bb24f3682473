//! `wxdecrypt snippet`: the program for the inputs of a file (here the official demo), run by
//! Python, prints the documented user info; `--lang` names the program's language there (and
//! `--language` with a message language); no language is a usage error.

use serde_json::Value;

use super::scan::bin;

fn demo_path() -> String {
    format!(
        "{}/tests/vectors/official_demo.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn the_python_program_for_the_official_demo_prints_its_user_info() {
    let a = bin()
        .args(["snippet", "--lang", "python", &demo_path()])
        .assert()
        .code(0);
    let program = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(err.contains("decrypt.py"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("decrypt.py"), program).unwrap();
    let out = std::process::Command::new("python3")
        .arg("decrypt.py")
        .current_dir(dir.path())
        .output()
        .expect("python3");
    assert!(out.status.success());
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let demo: Value = serde_json::from_str(&std::fs::read_to_string(demo_path()).unwrap()).unwrap();
    assert_eq!(printed, demo["data"]);

    // A message language and --language together.
    let a = bin()
        .args([
            "--lang",
            "zh-CN",
            "snippet",
            "--language",
            "java",
            &demo_path(),
        ])
        .assert()
        .code(0);
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(err.contains("保存为 Decrypt.java"), "{err}");
    bin().args(["snippet", &demo_path()]).assert().code(2);
}
