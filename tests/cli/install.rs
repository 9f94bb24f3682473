//! What installation relies on: `--version` (with the commit of a checkout), `completions` for
//! each shell, the shipped sample cases passing `check`, and which single arguments open the
//! workbench instead of the command line.

use assert_cmd::Command;

fn bin() -> Command {
    let mut c = Command::cargo_bin("wxdecrypt").expect("binary built");
    c.env("LANG", "en_US.UTF-8").env_remove("LC_ALL");
    c
}

fn stdout(args: &[&str], code: i32) -> String {
    let out = bin().args(args).assert().code(code);
    String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
}

#[test]
fn version_names_the_package_and_the_commit_of_a_checkout() {
    let v = stdout(&["--version"], 0);
    let want = format!("wxdecrypt {}", env!("CARGO_PKG_VERSION"));
    assert!(v.starts_with(&want), "{v}");
    let in_checkout = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.git")).exists();
    assert_eq!(v.contains(" (commit "), in_checkout, "{v}");
    assert_eq!(stdout(&["-V"], 0), v);
}

#[test]
fn completions_for_every_shell_name_every_subcommand() {
    for (shell, marker) in [
        ("bash", "complete -F _wxdecrypt"),
        ("zsh", "#compdef wxdecrypt"),
        ("fish", "complete -c wxdecrypt"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[wxdecrypt]"),
    ] {
        let s = stdout(&["completions", shell], 0);
        assert!(s.contains(marker), "{shell}: {marker}");
        for sub in [
            "decrypt",
            "check",
            "scan",
            "serve",
            "session-signature",
            "completions",
        ] {
            assert!(s.contains(sub), "{shell} lacks {sub}");
        }
    }
    bin().args(["completions", "tcsh"]).assert().code(2);
    bin().args(["completions"]).assert().code(2);
}

#[test]
fn the_shipped_sample_cases_pass() {
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples");
    let out = stdout(&["--lang", "en", "check", samples], 0);
    assert!(out.ends_with("3 passed, 0 failed\n"), "{out}");
}

#[test]
fn one_existing_path_opens_the_workbench_a_subcommand_never_does() {
    use std::ffi::OsStr;
    use wxdecrypt::cli::opens_workbench;
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("a.wxcase.json");
    std::fs::write(&case, "{}").unwrap();
    assert!(opens_workbench(case.as_os_str()));
    assert!(opens_workbench(dir.path().as_os_str()));
    assert!(!opens_workbench(dir.path().join("missing.har").as_os_str()));
    // A subcommand, an option or help is the command line even when a file has that name.
    for arg in ["check", "decrypt", "help", "--help", "-V", "completions"] {
        assert!(!opens_workbench(OsStr::new(arg)), "{arg}");
    }
}

/// Where no display can be had (a server, an SSH session), the window's failure is said in the
/// user's language, with exit code 2 — for no argument and for a path to open alike.
#[cfg(target_os = "linux")]
#[test]
fn without_a_display_the_window_says_why_in_the_users_language() {
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples");
    for (lang, words) in [
        ("en_US.UTF-8", "wxdecrypt: cannot open the window: "),
        ("zh_CN.UTF-8", "wxdecrypt：无法打开窗口："),
    ] {
        for args in [&[][..], &[samples][..]] {
            let out = bin()
                .args(args)
                .env("LANG", lang)
                .env_remove("DISPLAY")
                .env_remove("WAYLAND_DISPLAY")
                .env_remove("WAYLAND_SOCKET")
                .assert()
                .code(2);
            let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
            assert!(err.starts_with(words), "{lang} {args:?}: {err}");
        }
    }
}
