//! The Signature section of the Inspect tab, driven headless through egui_kittest on the real
//! `App`: typed rawData and signature checked live with the session_key of the Inspect fields,
//! the mistake named, checkSession's HMAC (the documentation's examples, tests/vectors).

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use serde_json::Value;
use wxdecrypt::Lang;
use wxdecrypt::gui::App;
use wxdecrypt::gui::fonts;
use wxdecrypt::gui::state::UiEnv;
use wxdecrypt::opendata::Input;
use wxdecrypt::signature::{SignatureKind, Variant};

fn vector(name: &str) -> Value {
    super::captures::vector("signature.json", name)
}

fn s(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or_default().to_string()
}

fn harness(lang: Lang, session_key: &str) -> Harness<'static, App> {
    let env = UiEnv {
        lang,
        mask: false,
        redact_on_save: false,
        now: 1_700_000_000,
    };
    let mut app = App::new_for_test(env);
    let input = Input {
        session_key: session_key.to_string(),
        ..app.doc.input.clone()
    };
    app.doc.set_input(input, &env);
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

fn type_into(h: &mut Harness<'static, App>, label: &str, text: &str) {
    // rawData and the body are multi-line editors.
    let role = match label {
        "rawData" | "body" | "正文" => Role::MultilineTextInput,
        _ => Role::TextInput,
    };
    h.get_by_role_and_label(role, label)
        .set_text_value_accesskit(text);
    h.run();
}

#[test]
fn the_user_info_signature_is_checked_with_the_inspect_key_and_a_mistake_named() {
    let doc = vector("doc: user info");
    let mut h = harness(Lang::En, &s(&doc, "session_key"));
    h.get_by_label("Signature").click();
    h.run();
    type_into(&mut h, "rawData", &s(&doc, "message"));
    type_into(&mut h, "signature", &s(&doc, "signature"));
    let r = h.state().inspect.signature.report.clone().expect("checked");
    assert!(r.ok, "{:?}", r.codes());
    assert!(has(&h, "The user-info signature (sha1) matches."));
    assert!(has(&h, "75e81ceda165f4ffa64f4068af58c64b8f54b88c"));

    // The same rawData signed after a backend wrote it again with escaped slashes.
    let wrong = vector("doc rawData: escaped_slashes");
    type_into(&mut h, "signature", &s(&wrong, "signature"));
    let r = h.state().inspect.signature.report.clone().expect("checked");
    assert_eq!(r.codes(), ["signature.variant"]);
    assert_eq!(r.variant, Some(Variant::Reserialized));
    assert!(has(&h, "with / written \\/"));
    assert!(has(&h, "signature.variant"));

    // Another key in the Inspect fields: the signature fails, and that key does not open the
    // encryptedData beside it either (the official demo's): a stale key, named first.
    let mut input = h.state().doc.input.clone();
    input.session_key = "MTIzNDU2Nzg5MGFiY2RlZg==".into();
    let env = h.state().env;
    h.state_mut().doc.set_input(input, &env);
    h.run();
    let r = h.state().inspect.signature.report.clone().expect("checked");
    assert_eq!(r.codes(), ["signature.key_mismatch", "signature.mismatch"]);
    assert!(has(&h, "The session_key is not this login") || has(&h, "stale"));
}

#[test]
fn the_check_session_signature_in_chinese() {
    let v = vector("doc: checkSession keyed with the decoded key");
    let mut h = harness(Lang::ZhCn, &s(&v, "session_key"));
    h.get_by_label("签名").click();
    h.run();
    h.get_by_label("登录态签名（HMAC-SHA256）").click();
    h.run();
    assert_eq!(h.state().inspect.signature.kind, SignatureKind::Session);
    type_into(&mut h, "正文", &s(&v, "message"));
    type_into(&mut h, "signature", &s(&v, "signature"));
    let r = h.state().inspect.signature.report.clone().expect("checked");
    assert_eq!(r.variant, Some(Variant::DecodedKey));
    assert!(has(&h, "解码后的 16 字节"));
    assert!(has(
        &h,
        "654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b"
    ));
    // Changing the key in the Inspect fields checks again.
    let mut input = h.state().doc.input.clone();
    input.session_key = "MTIzNDU2Nzg5MGFiY2RlZg==".into();
    let env = h.state().env;
    h.state_mut().doc.set_input(input, &env);
    h.run();
    let r = h.state().inspect.signature.report.clone().expect("checked");
    assert_eq!(r.codes(), ["signature.mismatch"]);
}
