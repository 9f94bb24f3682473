//! The message-push and Pay modes of the Inspect tab, driven headless through egui_kittest on the
//! real `App`: switching modes, typing the fields, the verdict and the typed views.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use wxdecrypt::Lang;
use wxdecrypt::gui::App;
use wxdecrypt::gui::demo;
use wxdecrypt::gui::fonts;
use wxdecrypt::gui::inspect::InspectMode;
use wxdecrypt::gui::state::UiEnv;

const NOW: i64 = 1_700_000_000;

fn app(lang: Lang) -> App {
    App::new_for_test(UiEnv {
        lang,
        mask: false,
        redact_on_save: false,
        now: NOW,
    })
}

fn harness(lang: Lang) -> Harness<'static, App> {
    harness_of(app(lang))
}

fn harness_of(app: App) -> Harness<'static, App> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 1400.0))
        .with_context_setup(fonts::install)
        .build_ui_state(|ui, app: &mut App| app.show(ui), app)
}

/// The app on the Inspect mode labelled `mode`.
fn in_mode(lang: Lang, mode: &str) -> Harness<'static, App> {
    let mut h = harness(lang);
    h.run();
    h.get_by_label(mode).click();
    h.run();
    h
}

fn has(h: &Harness<'_, App>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

#[test]
fn the_message_mode_decrypts_the_official_push_typed_field_by_field() {
    let mut h = in_mode(Lang::En, "Message push");
    assert_eq!(h.state().inspect.mode, InspectMode::Message);
    let sample = demo::msg_demo();
    for (label, value) in [
        ("EncodingAESKey", sample.encoding_aes_key.as_str()),
        ("token", sample.token.as_str()),
        ("receive id", sample.receive_id.as_str()),
        ("msg_signature", sample.msg_signature.as_str()),
        ("timestamp", sample.timestamp.as_str()),
        ("nonce", sample.nonce.as_str()),
        ("body", sample.body.as_str()),
    ] {
        h.get_by_label(label).set_text_value_accesskit(value);
        h.run();
    }
    let r = &h.state().inspect.envelope.msg_report;
    assert!(r.ok, "{:?}", r.codes());
    assert!(has(&h, "Decrypted: Pushed message"));
    // The message as a table of its elements.
    assert!(h.query_all_by_label("MsgId").next().is_some());
    assert!(h.query_all_by_label("4561255354251345929").next().is_some());
    assert!(has(&h, "returns 0 (OK)") || has(&h, "Official sample would return 0"));
}

#[test]
fn a_wrong_key_is_named_with_the_official_code_beside_it() {
    let mut h = in_mode(Lang::En, "Message push");
    h.get_by_label("Load sample").click();
    h.run();
    assert!(h.state().inspect.envelope.msg_report.ok);
    h.get_by_label("EncodingAESKey")
        .set_text_value_accesskit("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
    h.run();
    let r = &h.state().inspect.envelope.msg_report;
    assert_eq!(r.codes(), ["msg.key_mismatch"]);
    assert!(has(&h, "The EncodingAESKey does not decrypt this push"));
    assert!(has(&h, "-40005 (ValidateAppidError)"));
}

#[test]
fn the_pay_mode_shows_the_payment_card_and_names_a_wrong_associated_data() {
    let mut h = in_mode(Lang::ZhCn, "支付通知");
    h.get_by_label("载入示例").click();
    h.run();
    assert!(h.state().inspect.envelope.pay_report.ok);
    assert!(has(&h, "¥88.00 CNY"));
    assert!(has(&h, "WX20261202153012"));
    h.get_by_label("资源字段").click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "associated_data")
        .set_text_value_accesskit("refund");
    h.run();
    let r = &h.state().inspect.envelope.pay_report;
    assert_eq!(r.codes(), ["pay.associated_data_mismatch"]);
    assert!(has(&h, "\"transaction\""));
    // Back to open data: the open document is untouched.
    h.get_by_label("开放数据").click();
    h.run();
    assert!(h.state().doc.report.ok);
}

#[test]
fn a_push_saved_as_a_case_opens_again_in_its_mode_and_passes_run_all() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(Lang::En);
    app.cases = wxdecrypt::gui::cases::CasesPanel::new(Some(dir.path().to_path_buf()));
    let mut h = harness_of(app);
    h.run();
    h.get_by_label("Message push").click();
    h.run();
    h.get_by_label("Load sample").click();
    h.run();
    h.get_by_label("Case name")
        .set_text_value_accesskit("wecom push");
    h.run();
    h.get_by_label("Save as case").click();
    h.run();
    let path = dir.path().join("wecom push.wxcase.json");
    let saved = wxdecrypt::case::load_case(&path).expect("saved");
    assert_eq!(saved.input.kind, wxdecrypt::case::InputKind::Message);
    // Saving again under the same name never replaces the file.
    let before = std::fs::read(&path).unwrap();
    h.get_by_label("Save as case").click();
    h.run();
    assert!(has(&h, "already exists"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // Back in open-data mode, the case opens from the list in its own mode.
    h.get_by_label("Open data").click();
    h.run();
    h.get_by_label("wecom push").click();
    h.run();
    assert_eq!(h.state().inspect.mode, InspectMode::Message);
    assert!(h.state().inspect.envelope.msg_report.ok);
    h.get_by_label("Run all").click();
    h.run();
    assert!(has(&h, "1 passed, 0 failed"));
}

#[test]
fn a_sample_over_typed_inputs_can_be_undone_with_restore() {
    let mut h = in_mode(Lang::En, "Pay notification");
    h.get_by_label("body")
        .set_text_value_accesskit("{\"resource\": {\"ciphertext\": \"typed\"}}");
    h.run();
    assert!(h.query_all_by_label("Restore previous").next().is_none());
    assert_eq!(h.state().inspect.envelope.pay.body.len(), 37, "typed");
    h.get_by_label("Load sample").click();
    h.run();
    assert!(h.state().inspect.envelope.pay_report.ok);
    assert!(h.state().inspect.envelope.previous.is_some(), "kept");
    h.get_by_label("Restore previous").click();
    h.run();
    assert_eq!(
        h.state().inspect.envelope.pay.body,
        "{\"resource\": {\"ciphertext\": \"typed\"}}"
    );
    // Restore again brings the sample back: nothing is lost either way.
    h.get_by_label("Restore previous").click();
    h.run();
    assert!(h.state().inspect.envelope.pay_report.ok);
}
