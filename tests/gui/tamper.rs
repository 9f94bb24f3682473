//! "Edit and re-encrypt" on the Inspect tab, driven headless through egui_kittest on the real
//! `App`: the decrypted phone number edited, encrypted again with the same key and iv (the other
//! phone fields following), opened in Inspect; a new iv on request; bad JSON said where.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use serde_json::json;
use wxdecrypt::gui::App;
use wxdecrypt::gui::fonts;
use wxdecrypt::gui::state::UiEnv;
use wxdecrypt::{EncryptRequest, Input, Lang, encrypt};

const KEY: &str = "YWFhYWFhYWFhYWFhYWFhYQ==";
const IV: &str = "YmJiYmJiYmJiYmJiYmJiYg==";
const APPID: &str = "wx0123456789abcdef";
const NOW: i64 = 1_700_000_000;

fn harness(lang: Lang) -> Harness<'static, App> {
    let env = UiEnv {
        lang,
        mask: false,
        redact_on_save: false,
        now: NOW,
    };
    let mut app = App::new_for_test(env);
    let payload = json!({"phoneNumber": "13800000001", "purePhoneNumber": "13800000001",
        "countryCode": "86", "watermark": {"appid": APPID, "timestamp": NOW - 60}});
    let enc = encrypt(&EncryptRequest {
        payload: payload.to_string(),
        session_key: Some(KEY.into()),
        iv: Some(IV.into()),
        ..Default::default()
    })
    .expect("encrypt");
    app.doc
        .set_input(Input::new(APPID, KEY, &enc.iv, &enc.encrypted_data), &env);
    assert!(app.doc.report.ok);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 2400.0))
        .with_context_setup(fonts::install)
        .build_ui_state(|ui, app: &mut App| app.show(ui), app);
    h.run();
    h
}

fn has(h: &Harness<'_, App>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

#[test]
fn an_edited_phone_number_is_encrypted_again_and_opened_in_inspect() {
    let mut h = harness(Lang::En);
    h.get_by_label("Edit and re-encrypt").click();
    h.run();
    let text = h.state().inspect.tamper.text.clone();
    assert!(text.contains("\"phoneNumber\": \"13800000001\""), "{text}");
    let edited = text.replace(
        "\"phoneNumber\": \"13800000001\"",
        "\"phoneNumber\": \"13999999999\"",
    );
    h.get_by_role_and_label(Role::MultilineTextInput, "Data to encrypt")
        .set_text_value_accesskit(&edited);
    h.run();
    let enc = match h.state().inspect.tamper.result.clone() {
        Some(Ok(enc)) => enc,
        other => panic!("not encrypted: {other:?}"),
    };
    assert_eq!(enc.iv, IV, "the same iv by default");
    h.get_by_label("Open in Inspect").click();
    h.run();
    // The payload typed in is an unsaved document: replacing it asks first.
    h.get_by_label("Discard changes").click();
    h.run();
    let app = h.state();
    assert_eq!(app.doc.input.encrypted_data, enc.encrypted_data);
    assert!(app.doc.report.ok, "{:?}", app.doc.report.codes());
    let data = app.doc.report.data.clone().expect("data");
    assert_eq!(data["phoneNumber"], "13999999999");
    assert_eq!(data["purePhoneNumber"], "13999999999", "kept consistent");
    assert_eq!(
        data["watermark"]["timestamp"],
        NOW - 60,
        "the watermark kept"
    );
    assert!(has(&h, "Opened the re-encrypted payload"));
}

#[test]
fn a_new_iv_and_a_fresh_timestamp_on_request_and_bad_json_said() {
    let mut h = harness(Lang::ZhCn);
    h.get_by_label("编辑并重新加密").click();
    h.run();
    h.get_by_label("新的 iv").click();
    h.get_by_label("水印时间戳：现在").click();
    h.run();
    let enc = match h.state().inspect.tamper.result.clone() {
        Some(Ok(enc)) => enc,
        other => panic!("not encrypted: {other:?}"),
    };
    assert_ne!(enc.iv, IV);
    let v: serde_json::Value = serde_json::from_str(&enc.plaintext).expect("json");
    assert_eq!(v["watermark"]["timestamp"], NOW);
    h.get_by_role_and_label(Role::MultilineTextInput, "要加密的数据")
        .set_text_value_accesskit("{\n \"phoneNumber\": }");
    h.run();
    assert!(matches!(h.state().inspect.tamper.result, Some(Err(_))));
    assert!(has(&h, "第 2 行"), "the line of the JSON error");
}
