//! GUI behaviour of the Inspect view and the app shell, driven headless through egui_kittest on the
//! real [`App`] (accessible names, clicks, text input; no display needed).

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use wxdecrypt::encrypt::{EncryptRequest, encrypt};
use wxdecrypt::gui::App;
use wxdecrypt::gui::demo;
use wxdecrypt::gui::state::demo_input;
use wxdecrypt::{Code, Input, Lang};

use super::support::{NOW, env_in, window};

fn harness(app: App) -> Harness<'static, App> {
    window(app, [1280.0, 1000.0])
}

fn app_with(input: Input, lang: Lang) -> App {
    let mut app = App::new_for_test(env_in(lang));
    let e = app.env;
    app.doc.set_input(input, &e);
    app
}

fn has_label_containing(h: &Harness<'_, App>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

#[test]
fn starts_on_the_official_demo() {
    let mut h = harness(App::new_for_test(env_in(Lang::En)));
    h.run();
    assert!(h.state().doc.report.ok);
    assert!(h.query_all_by_label("Band").next().is_some());
}

#[test]
fn typing_the_demo_fields_decrypts_the_nickname() {
    let mut h = harness(app_with(Input::default(), Lang::En));
    h.run();
    assert!(h.query_all_by_label("Band").next().is_none());
    let demo = demo_input();
    for (label, value) in [
        ("appid", demo.appid.as_str()),
        ("session_key", demo.session_key.as_str()),
        ("iv", demo.iv.as_str()),
        ("encryptedData", demo.encrypted_data.as_str()),
    ] {
        h.get_by_label(label).set_text_value_accesskit(value);
        h.run();
    }
    assert_eq!(h.state().doc.input, demo);
    assert!(h.state().doc.report.ok);
    assert!(
        h.query_all_by_label("Band").next().is_some(),
        "the nickname is shown"
    );
    assert!(has_label_containing(&h, "Decrypted: User info"));
}

#[test]
fn a_wrong_session_key_shows_the_key_mismatch_verdict() {
    let mut h = harness(App::new_for_test(env_in(Lang::En)));
    h.run();
    h.get_by_label("session_key")
        .set_text_value_accesskit("AAAAAAAAAAAAAAAAAAAAAA==");
    h.run();
    assert!(h.state().doc.report.has(Code::KeyMismatch));
    assert!(has_label_containing(
        &h,
        "session_key does not belong to this data"
    ));
    assert!(has_label_containing(&h, "-41003 IllegalBuffer"));
    assert!(h.query_all_by_label("Band").next().is_none());
}

/// A user-info payload whose iv contains a '+', then that '+' turned into a space.
fn iv_with_space() -> (Input, String) {
    let iv = "AAAA+AAAAAAAAAAAAAAAAA==".to_string();
    let req = EncryptRequest {
        payload: r#"{"nickName":"Band","gender":1}"#.into(),
        session_key: Some(demo_input().session_key),
        iv: Some(iv.clone()),
        appid: Some("wx4f4bc4dec97d474b".into()),
        timestamp: Some(NOW - 3600),
        watermark: true,
        now: NOW,
    };
    let e = encrypt(&req).expect("encrypts");
    let broken = Input::new(
        "wx4f4bc4dec97d474b",
        &e.session_key,
        &e.iv.replace('+', " "),
        &e.encrypted_data,
    );
    (broken, iv)
}

#[test]
fn a_space_in_the_iv_is_repaired_and_apply_fix_makes_it_clean() {
    let (broken, good_iv) = iv_with_space();
    let mut h = harness(app_with(broken, Lang::En));
    h.run();
    assert!(h.state().doc.report.has(Code::RepairPlusAsSpace));
    assert!(has_label_containing(&h, "Spaces that were '+'"));
    h.get_by_label("Apply fix").click();
    h.run();
    let doc = &h.state().doc;
    assert_eq!(doc.input.iv, good_iv);
    assert!(doc.report.ok);
    assert!(doc.report.findings.iter().all(|f| !f.code.is_repair()));
    assert!(h.query_all_by_label("Apply fix").next().is_none());
    assert!(has_label_containing(&h, "Decrypted: User info."));
}

#[test]
fn the_suggested_iv_can_be_used() {
    let input = demo::preset("ivmismatch", NOW).expect("preset");
    let mut h = harness(app_with(input, Lang::En));
    h.run();
    assert!(h.state().doc.report.has(Code::IvMismatch));
    let suggested = h
        .state()
        .doc
        .report
        .suggested_iv
        .clone()
        .expect("suggested iv");
    h.get_all_by_label("Use this iv")
        .next()
        .expect("a Use this iv button")
        .click();
    h.run();
    assert_eq!(h.state().doc.input.iv, suggested);
    assert!(h.state().doc.report.ok);
}

#[test]
fn switching_language_changes_the_labels() {
    let mut h = harness(App::new_for_test(env_in(Lang::En)));
    h.run();
    assert!(has_label_containing(&h, "Paste anything"));
    assert!(!has_label_containing(&h, "粘贴任意内容"));
    h.get_by_label("简体中文").click();
    h.run();
    assert_eq!(h.state().env.lang, Lang::ZhCn);
    assert!(!has_label_containing(&h, "Paste anything"));
    assert!(has_label_containing(&h, "粘贴任意内容"));
    // The report follows the language too.
    assert!(has_label_containing(&h, "解密成功"));
    h.get_by_label("English").click();
    h.run();
    assert!(has_label_containing(&h, "Paste anything"));
}

#[test]
fn mask_hides_phone_digits() {
    let input = demo::preset("phone", NOW).expect("preset");
    let mut app = app_with(input, Lang::En);
    h_assert_phone(&mut app, false);
    app.env.mask = true;
    h_assert_phone(&mut app, true);
}

fn h_assert_phone(app: &mut App, masked: bool) {
    let mut h = harness(std::mem::replace(app, App::new_for_test(env_in(Lang::En))));
    h.run();
    assert_eq!(
        has_label_containing(&h, "13580006666"),
        !masked,
        "phone digits visible: {}",
        !masked
    );
    *app = h.into_state();
}

#[test]
fn f1_opens_the_help_with_every_code() {
    let mut h = harness(App::new_for_test(env_in(Lang::En)));
    h.run();
    h.key_press(egui::Key::F1);
    h.run();
    assert!(h.state().help_open);
    for code in Code::ALL {
        assert!(has_label_containing(&h, code.as_str()), "{}", code.as_str());
    }
    // Escape closes it (issue 13).
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!h.state().help_open);
    assert!(!has_label_containing(&h, Code::KeyMismatch.as_str()));
}

/// "What your backend logs" opens under the verdict; "Explain a backend error" turns a pasted
/// exception into its causes.
#[test]
fn backend_logs_and_explaining_an_error() {
    let mut demo = demo_input();
    demo.session_key = "AAAAAAAAAAAAAAAAAAAAAA==".into();
    let mut h = harness(app_with(demo, Lang::En));
    h.run();
    assert!(!has_label_containing(&h, "Java (javax.crypto"));
    h.get_by_label("What your backend logs").click();
    h.run();
    assert!(has_label_containing(
        &h,
        "throws javax.crypto.BadPaddingException"
    ));
    assert!(has_label_containing(&h, "returns -41003 (IllegalBuffer)"));

    // Below the fold: scrolled into view first, as a user scrolls.
    h.get_by_label("Explain a backend error").scroll_to_me();
    h.run();
    h.get_by_label("Explain a backend error").click();
    h.run();
    assert!(!has_label_containing(&h, "Written by:"));
    assert!(has_label_containing(&h, "Paste what your backend logged"));
    let field = h
        .query_all_by_role(egui::accesskit::Role::MultilineTextInput)
        .last()
        .expect("the explain field");
    field.set_text_value_accesskit("error:1C800064:Provider routines::bad decrypt");
    h.run();
    assert!(has_label_containing(&h, "Written by: OpenSSL"));
    assert!(has_label_containing(&h, "1. session_key does not match"));
    assert_eq!(
        h.state().doc.input.session_key,
        "AAAAAAAAAAAAAAAAAAAAAA==",
        "no document change"
    );
}

/// Paste anything with no payload in the text: a WeChat error answer is named with its fix, a
/// getPhoneNumber code is told by its shape (an error), anything else is "nothing found".
#[test]
fn paste_anything_names_server_answers_and_codes() {
    use wxdecrypt::finding::Severity;
    use wxdecrypt::gui::inspect::nothing_to_paste;
    let n = nothing_to_paste(
        r#"login failed: {"errcode":40029,"errmsg":"invalid code, rid: 1"}"#,
        Lang::En,
    );
    assert_eq!(n.severity, Some(Severity::Error));
    assert!(
        n.text.contains("40029") && n.text.contains("wx.login"),
        "{}",
        n.text
    );
    let n = nothing_to_paste(
        "e31968a7f94cc5ee25fafc2aef2773f0bb8c3937b22520eb8ee345274d00c144",
        Lang::ZhCn,
    );
    assert!(n.text.contains("getuserphonenumber"), "{}", n.text);
    let n = nothing_to_paste("hello", Lang::En);
    assert_eq!(n.text, Lang::En.tr("inspect.paste_any.none"));
}

/// Copy as code: the menu of languages puts the program for the open inputs on the clipboard.
#[test]
fn copy_as_code_puts_the_program_on_the_clipboard() {
    let mut h = harness(app_with(demo_input(), Lang::En));
    h.run();
    h.get_by_label("Copy as code").click();
    h.run();
    h.get_by_label("Node.js").click();
    h.step();
    let copied: Vec<String> = h
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    let expected =
        wxdecrypt::snippet::snippet(wxdecrypt::snippet::SnippetLang::Node, &demo_input());
    assert_eq!(copied, [expected]);
    h.run();
    assert!(has_label_containing(&h, "save it as decrypt.js"));
}
