//! The Platform selector of Inspect: detection shown in it, a choice re-reading the payload, the
//! platform's names for the fields, Copy as code held back for schemes it does not write, the
//! choice kept in saved cases and counted as an unsaved change, and Alipay's pasted answer.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable};
use serde_json::Value;
use wxdecrypt::gui::App;
use wxdecrypt::gui::inspect::smart_paste;
use wxdecrypt::gui::state::UiEnv;
use wxdecrypt::platform::Platform;
use wxdecrypt::{Input, Lang};

use super::support::window;

const NOW: i64 = 1_700_000_100;

fn vector(name: &str) -> Input {
    let path = format!(
        "{}/tests/vectors/platforms.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let all: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let v = all["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no vector {name}"));
    serde_json::from_value(v["input"].clone()).unwrap()
}

fn app_with(input: Input, lang: Lang) -> App {
    let mut app = App::new_for_test(UiEnv {
        lang,
        mask: false,
        redact_on_save: false,
        now: NOW,
    });
    let e = app.env;
    app.doc.set_input(input, &e);
    app
}

fn harness(app: App) -> Harness<'static, App> {
    window(app, [1280.0, 1000.0])
}

fn has(h: &Harness<'_, App>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

#[test]
fn a_detected_platform_shows_in_the_selector_and_the_field_names() {
    let mut h = harness(app_with(
        vector("Baidu: the documentation's vector, detected by its 24-byte key"),
        Lang::En,
    ));
    h.run();
    assert_eq!(h.state().doc.report.platform, Platform::Baidu);
    let combo = h.get_by_role_and_label(Role::ComboBox, "Platform");
    assert_eq!(
        combo.accesskit_node().value().as_deref(),
        Some("Detect (Baidu)")
    );
    assert!(has(&h, "Baidu: the App Key") && has(&h, "Baidu: data"));
    assert!(has(&h, "baidu_user"));
    // WeChat's samples are not Baidu's SDK: their lines are left out.
    assert!(!has(&h, "What your backend logs"));
}

#[test]
fn choosing_a_platform_re_reads_the_payload_and_is_an_unsaved_change() {
    let mut h = harness(app_with(
        vector("Xiaohongshu payload read as WeChat's"),
        Lang::ZhCn,
    ));
    h.run();
    // Detected by its appId watermark.
    assert_eq!(h.state().doc.report.platform, Platform::Xiaohongshu);
    assert!(h.state().doc.report.ok);
    let combo = h.get_by_role_and_label(Role::ComboBox, "平台");
    assert_eq!(
        combo.accesskit_node().value().as_deref(),
        Some("自动识别（小红书）")
    );
    combo.click();
    h.run();
    h.get_by_label("微信").click();
    h.run();
    let doc = &h.state().doc;
    assert_eq!(doc.platform, Some(Platform::Wechat));
    assert_eq!(
        doc.report.codes(),
        ["watermark.appid_mismatch", "platform.mismatch"]
    );
    assert!(has(&h, "看起来来自小红书"));
    // The choice is saved with the case, and changes a saved document.
    let case = doc.to_case(&h.state().env);
    assert_eq!(case.input.platform, Some(Platform::Wechat));
    let path = std::path::PathBuf::from("x.wxcase.json");
    h.state_mut().doc.mark_saved(path, case);
    assert!(!h.state().doc.is_dirty());
    h.get_by_role_and_label(Role::ComboBox, "平台").click();
    h.run();
    h.get_by_label("小红书").click();
    h.run();
    assert_eq!(h.state().doc.platform, Some(Platform::Xiaohongshu));
    assert!(h.state().doc.report.ok);
    assert!(h.state().doc.is_dirty());
}

#[test]
fn copy_as_code_is_held_back_for_schemes_it_does_not_write() {
    let mut h = harness(app_with(
        vector("Alipay: my.getPhoneNumber's answer, detected"),
        Lang::En,
    ));
    h.run();
    assert_eq!(h.state().doc.report.platform, Platform::Alipay);
    h.get_by_label("Copy as code").click();
    h.run();
    assert!(!has(&h, "Node.js"), "the menu opened for Alipay");
    let mut h = harness(app_with(vector("QQ user info, chosen"), Lang::En));
    h.run();
    h.get_by_label("Copy as code").click();
    h.run();
    assert!(has(&h, "Node.js"));
}

#[test]
fn pasting_alipays_answer_keeps_it_whole_and_reads_it_as_alipays() {
    let v = vector("Alipay: my.getPhoneNumber's answer, detected");
    let pasted = format!("  {}\n", v.encrypted_data);
    let current = Input {
        session_key: v.session_key.clone(),
        ..Input::default()
    };
    let (input, fields) = smart_paste(&pasted, &current, Lang::En).unwrap();
    assert!(fields.contains("response"), "{fields}");
    assert_eq!(input.encrypted_data, v.encrypted_data);
    let mut h = harness(app_with(input, Lang::En));
    h.run();
    assert_eq!(h.state().doc.report.platform, Platform::Alipay);
    assert!(h.state().doc.report.ok);
    assert!(has(&h, "13700137000"));
}

/// Encrypt as Baidu (its 24-byte key generated, the appid as App Key), then Open in Inspect: the
/// new document is read as Baidu's, chosen, and decrypts clean.
#[test]
fn the_encrypt_tab_makes_a_platforms_payload_and_inspect_reads_it_so() {
    let mut h = harness(app_with(Input::default(), Lang::En));
    h.run();
    h.get_by_label("Encrypt").click(); // the tab
    h.run();
    h.get_by_role_and_label(Role::ComboBox, "Platform").click();
    h.run();
    h.get_by_label("Baidu").click();
    h.run();
    h.state_mut().encrypt.form_mut().appid = "AppKeyOfTheSmartProgram000000001".into();
    h.get_by_label("Generate session_key").click();
    h.run();
    let key = h.state().encrypt.form().session_key.clone();
    assert_eq!(key.len(), 32, "a 24-byte key: {key}");
    h.get_all_by_role_and_label(Role::Button, "Encrypt")
        .find(|n| n.accesskit_node().toggled().is_none())
        .unwrap()
        .click();
    h.run();
    h.get_by_label("Open in Inspect").click();
    h.run();
    let doc = &h.state().doc;
    assert_eq!(doc.platform, Some(Platform::Baidu));
    assert_eq!(doc.report.platform, Platform::Baidu);
    assert!(
        doc.report.ok && doc.report.codes().is_empty(),
        "{:?}",
        doc.report.codes()
    );
    assert_eq!(
        doc.report.data.as_ref().unwrap()["purePhoneNumber"],
        "13800138000"
    );
}
