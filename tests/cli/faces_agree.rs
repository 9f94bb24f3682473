//! The CLI and the GUI describe the same report in the same words: the verdict sentence and the
//! watermark age, in both languages, for a decrypted payload, one with a warning and a failure.

use assert_cmd::Command;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use wxdecrypt::encrypt::{EncryptRequest, encrypt, phone_payload};
use wxdecrypt::gui::App;
use wxdecrypt::gui::fonts;
use wxdecrypt::gui::state::{UiEnv, demo_input};
use wxdecrypt::{Input, Lang};

const NOW: i64 = 1_700_000_000;
const APPID: &str = "wx0123456789abcdef";

/// A phone payload watermarked `age` seconds before NOW.
fn phone(appid_checked: &str, age: i64) -> Input {
    let enc = encrypt(&EncryptRequest {
        payload: phone_payload("13800138000").to_string(),
        session_key: Some("MTIzNDU2Nzg5MGFiY2RlZg==".into()),
        iv: Some("ZmVkY2JhMDk4NzY1NDMyMQ==".into()),
        appid: Some(APPID.into()),
        timestamp: Some(NOW - age),
        watermark: true,
        now: NOW,
    })
    .expect("encrypts");
    Input::new(
        appid_checked,
        &enc.session_key,
        &enc.iv,
        &enc.encrypted_data,
    )
}

/// What `wxdecrypt decrypt` prints for `input`.
fn cli(input: &Input, lang: Lang) -> String {
    let out = Command::cargo_bin("wxdecrypt")
        .expect("binary")
        .args(["--lang", lang.tag(), "decrypt", "--now", &NOW.to_string()])
        .args(["--appid", &input.appid, "--session-key", &input.session_key])
        .args(["--iv", &input.iv, "--data", &input.encrypted_data])
        .output()
        .expect("runs");
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The window showing `input` in `lang`.
fn gui(input: Input, lang: Lang) -> Harness<'static, App> {
    let mut app = App::new_for_test(UiEnv {
        lang,
        mask: false,
        redact_on_save: false,
        now: NOW,
    });
    let env = app.env;
    app.doc.set_input(input, &env);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 1000.0))
        .with_context_setup(fonts::install)
        .build_ui_state(|ui, app: &mut App| app.show(ui), app);
    h.run();
    h
}

/// The age in the CLI's watermark line: `Watermark: appid …, <time> (<age>)` (full-width
/// parentheses in Chinese).
fn cli_age(out: &str) -> Option<String> {
    let line = out
        .lines()
        .find(|l| l.contains(APPID) && (l.ends_with(')') || l.ends_with('）')))?;
    let inner = line.strip_suffix(')').or_else(|| line.strip_suffix('）'))?;
    let open = inner.rfind(['(', '（'])?;
    let age = inner.get(open..)?.trim_start_matches(['(', '（']);
    Some(age.to_string())
}

#[test]
fn verdict_and_age_read_the_same_in_both_faces() {
    let mut wrong_key = demo_input();
    wrong_key.session_key = "MTIzNDU2Nzg5MGFiY2RlZg==".into();
    let cases = [
        ("decrypted", demo_input(), true),
        ("decrypted, appid unchecked", phone("", 3 * 86_400), true),
        (
            "wrong appid",
            phone("wxffffffffffffffff", 3 * 86_400),
            false,
        ),
        ("fresh", phone(APPID, 90), true),
        ("stale key", wrong_key, false),
    ];
    for lang in Lang::ALL {
        for (name, input, ok) in &cases {
            let out = cli(input, lang);
            let first = out.lines().next().unwrap_or_default();
            let (mark, text) = first.split_once(' ').expect("a verdict line");
            assert_eq!(mark, if *ok { "✔" } else { "✘" }, "{name}: {first}");
            let h = gui(input.clone(), lang);
            assert!(
                h.query_by_label(text).is_some(),
                "{name} ({}): the GUI does not show the CLI's verdict {text:?}",
                lang.tag()
            );
            if let Some(age) = cli_age(&out) {
                assert!(
                    h.query_all_by_label_contains(&age).next().is_some(),
                    "{name} ({}): the GUI does not show the CLI's age {age:?}",
                    lang.tag()
                );
            }
        }
        // Ages in words, where a second rule would read differently: both faces say the same.
        for (age, en, zh) in [
            (90, "90 s ago", "90 秒前"),
            (3 * 86_400, "3 days ago", "3 天前"),
        ] {
            let out = cli(&phone(APPID, age), lang);
            let shown = cli_age(&out).unwrap_or_else(|| panic!("no watermark line in {out}"));
            let want = match lang {
                Lang::En => en,
                Lang::ZhCn => zh,
            };
            assert_eq!(shown, want);
            let h = gui(phone(APPID, age), lang);
            assert!(
                h.query_all_by_label_contains(want).next().is_some(),
                "the GUI does not show {want:?}"
            );
        }
    }
}
