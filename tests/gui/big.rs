//! Issue 8: a megabyte in a field. The field is a bounded, virtualised box edited through a window
//! of rows; long inputs are inspected off the UI thread (the last report stays meanwhile); the
//! verdict stays on screen; select-all acts on the whole text.

use std::time::{Duration, Instant};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use wxdecrypt::Input;
use wxdecrypt::gui::App;
use wxdecrypt::gui::demo;
use wxdecrypt::gui::state::demo_input;

use super::support::{NOW, env, window};

fn harness(app: App) -> Harness<'static, App> {
    window(app, [1280.0, 900.0])
}

/// The `big` preset: about 780 KB of WeRun JSON, just over 1 MB of base64.
fn big_input() -> Input {
    demo::preset("big", NOW).expect("preset")
}

/// Steps frames until the report is of the current input (a background inspection landed).
fn settle(h: &mut Harness<'static, App>) {
    let start = Instant::now();
    while h.state().doc.is_stale() {
        assert!(start.elapsed() < Duration::from_secs(60), "no report");
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
    h.run();
}

/// The official demo, the text of the field labelled `label` all selected (Ctrl+A).
fn demo_with_all_selected(label: &str) -> Harness<'static, App> {
    let mut app = App::new_for_test(env());
    let e = app.env;
    app.doc.set_input(demo_input(), &e);
    let mut h = harness(app);
    h.run();
    h.get_by_label(label).focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h
}

fn loaded() -> Harness<'static, App> {
    let mut app = App::new_for_test(env());
    let e = app.env;
    app.doc.set_input(big_input(), &e);
    assert!(
        app.doc.is_stale(),
        "a long input is inspected off the UI thread"
    );
    let mut h = harness(app);
    settle(&mut h);
    h
}

#[test]
fn a_megabyte_payload_decrypts_and_the_verdict_stays_on_screen() {
    let h = loaded();
    let doc = &h.state().doc;
    assert!(doc.input.encrypted_data.len() > 1_000_000);
    assert!(doc.report.ok, "{:?}", doc.report.codes());
    let verdict = h.get_by_label_contains("Decrypted: WeRun");
    let top = verdict.rect().min.y;
    assert!(top < 900.0, "the verdict is on screen (at y = {top})");
}

#[test]
fn typing_in_the_window_edits_the_whole_text_in_place() {
    let mut h = loaded();
    let before = h.state().doc.input.encrypted_data.clone();
    let field = h.get_by_label("encryptedData");
    field.focus();
    h.run();
    h.get_by_label("encryptedData").type_text("!");
    h.step();
    let after = h.state().doc.input.encrypted_data.clone();
    assert_eq!(after.len(), before.len() + 1);
    let at = after.find('!').expect("inserted");
    assert_eq!(format!("{}{}", &after[..at], &after[at + 1..]), before);
    // The old report stays until the new one lands; then the '!' is named.
    assert!(h.state().doc.is_stale());
    assert!(h.state().doc.report.ok);
    settle(&mut h);
    assert!(!h.state().doc.report.ok);
    let pos = (at + 1).to_string();
    assert!(
        h.state()
            .doc
            .report
            .findings
            .iter()
            .any(|f| f.message.contains(&pos)),
        "the bad character at {pos} is pointed at: {:?}",
        h.state().doc.report.findings
    );
}

#[test]
fn select_all_then_paste_replaces_the_whole_field() {
    let mut h = loaded();
    h.get_by_label("encryptedData").focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    assert!(
        h.query_all_by_label_contains("characters selected")
            .next()
            .is_some()
    );
    let demo = demo_input();
    h.event(egui::Event::Paste(demo.encrypted_data.clone()));
    h.run();
    assert_eq!(h.state().doc.input.encrypted_data, demo.encrypted_data);
    // Short again: inspected at once, in place.
    assert!(!h.state().doc.is_stale());
    // The small field has the keyboard, the cursor after what was pasted.
    h.get_by_label("encryptedData").type_text("!");
    h.run();
    assert_eq!(
        h.state().doc.input.encrypted_data,
        format!("{}!", demo.encrypted_data)
    );
}

#[test]
fn a_megabyte_pasted_into_a_small_field_goes_to_the_big_editor_with_the_keyboard() {
    let mut h = demo_with_all_selected("encryptedData");
    let big = big_input().encrypted_data;
    h.event(egui::Event::Paste(big.clone()));
    h.step();
    h.step();
    assert_eq!(
        h.state().doc.input.encrypted_data,
        big,
        "the selection was replaced"
    );
    // Typing goes on where the paste ended, in the big editor.
    h.get_by_label("encryptedData").type_text("!");
    h.step();
    assert_eq!(h.state().doc.input.encrypted_data, format!("{big}!"));
}

#[test]
fn saving_while_inspecting_saves_the_report_of_the_current_text() {
    let mut h = loaded();
    h.get_by_label("encryptedData").focus();
    h.run();
    h.get_by_label("encryptedData").type_text("!");
    h.step();
    let app = h.state();
    assert!(app.doc.is_stale());
    let case = app.doc.to_case(&app.env);
    assert!(!case.expect.ok, "the expectation is of the edited text");
}

#[test]
fn a_big_paste_into_a_one_line_field_turns_line_breaks_into_spaces_as_a_small_one_does() {
    let mut h = demo_with_all_selected("iv");
    h.event(egui::Event::Paste("AAAA\r\n".repeat(10_000)));
    h.step();
    h.step();
    assert_eq!(h.state().doc.input.iv, "AAAA  ".repeat(10_000));
    h.get_by_label("iv").type_text("!");
    h.step();
    assert_eq!(
        h.state().doc.input.iv,
        format!("{}!", "AAAA  ".repeat(10_000))
    );
}
