//! The one guarded path that replaces the Inspect document, driven headless through the real
//! [`App`] as a user does it: a payload from elsewhere (Encrypt, Captures, a dropped text file)
//! never takes the place of the open case's file, and unsaved changes are asked about first
//! (Save / Discard / Cancel), closing the window included.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::accesskit::Role;
use egui::{Key, Modifiers, ViewportCommand, ViewportEvent, ViewportId};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use serde_json::json;
use wxdecrypt::case::{self, Case};
use wxdecrypt::encrypt::{EncryptRequest, encrypt};
use wxdecrypt::gui::App;
use wxdecrypt::gui::app::Tab;
use wxdecrypt::gui::cases::CasesPanel;
use wxdecrypt::gui::state::{Document, demo_input};
use wxdecrypt::{Input, inspect};

use super::support::{NOW, env, window};

const APPID: &str = "wx0123456789abcdef";
const KEY: &str = "Y29tbWFuZHMtdGVzdC1rIQ==";

/// Writes a case recording the current inspection of `input`.
fn write_case(dir: &Path, name: &str, input: &Input) -> PathBuf {
    let report = inspect(input, &env().options());
    let c = Case::from_report(name, "", input, &report, NOW);
    let path = dir.join(case::file_name_for(name));
    case::save_case(&path, &c).expect("save case");
    path
}

/// The app on `folder`, with an empty untitled document.
fn harness(folder: &Path) -> Harness<'static, App> {
    let env = env();
    let mut app = App::new_for_test(env);
    app.cases = CasesPanel::new(Some(folder.to_path_buf()));
    app.doc = Document::new(Input::default(), &env);
    let mut h = window(app, [1280.0, 1000.0]);
    h.run();
    h
}

/// Clicks the button called `label` (not a tab of the same name).
fn click_button(h: &mut Harness<'static, App>, label: &str) {
    h.get_all_by_role_and_label(Role::Button, label)
        .find(|n| n.accesskit_node().toggled().is_none())
        .unwrap_or_else(|| panic!("a button {label:?}"))
        .click();
    h.run();
}

/// Selects a saved case in the list, as a user does.
fn open_case(h: &mut Harness<'static, App>, name: &str, path: &Path) {
    h.get_by_label(name).click();
    h.run();
    assert_eq!(h.state().doc.path.as_deref(), Some(path));
    assert!(!h.state().doc.is_dirty());
}

/// Edits the open case's notes (unsaved changes).
fn edit_notes(h: &mut Harness<'static, App>, notes: &str) {
    h.get_by_label("Notes").set_text_value_accesskit(notes);
    h.run();
    assert!(h.state().doc.is_dirty());
}

/// Encrypt tab → Encrypt → Open in Inspect; returns the inputs the Encrypt tab made.
fn encrypt_and_open(h: &mut Harness<'static, App>) -> Input {
    h.get_by_label("Encrypt").click(); // the tab
    h.run();
    assert_eq!(h.state().tab, Tab::Encrypt);
    click_button(h, "Encrypt");
    let input = h.state().encrypt.form().inspect_input().expect("encrypted");
    click_button(h, "Open in Inspect");
    input
}

fn save_shortcut(h: &mut Harness<'static, App>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
}

#[test]
fn encrypt_into_inspect_then_ctrl_s_never_overwrites_the_open_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write_case(dir.path(), "a", &demo_input());
    let before = std::fs::read_to_string(&a).expect("read case");
    let mut h = harness(dir.path());
    open_case(&mut h, "a", &a);

    let input = encrypt_and_open(&mut h);
    assert_eq!(h.state().tab, Tab::Inspect);
    assert_eq!(h.state().doc.input, input);
    save_shortcut(&mut h);

    assert_eq!(
        std::fs::read_to_string(&a).expect("read case"),
        before,
        "case file unchanged"
    );
    assert!(h.state().cases.dialog_open(), "Save asks for a name");
    assert!(h.query_by_label("Save case").is_some());
    assert!(h.query_by_label("Case name").is_some());
    assert_eq!(h.state().cases.workspace().entries.len(), 1);
    // Nothing was unsaved: no question; the payload is a new untitled document.
    assert!(!h.state().asking());
    assert!(h.state().doc.path.is_none(), "the case's path is not kept");
    assert!(h.state().doc.name.is_empty());
}

#[test]
fn encrypt_into_inspect_asks_about_unsaved_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write_case(dir.path(), "a", &demo_input());

    // Cancel: the edited case stays open, on the Encrypt tab; the file is untouched.
    let mut h = harness(dir.path());
    open_case(&mut h, "a", &a);
    edit_notes(&mut h, "edited");
    encrypt_and_open(&mut h);
    assert!(h.state().asking());
    assert!(
        h.query_by_label_contains("\"a\" has unsaved changes")
            .is_some()
    );
    click_button(&mut h, "Cancel");
    assert!(!h.state().asking());
    assert_eq!(h.state().tab, Tab::Encrypt);
    assert_eq!(h.state().doc.path.as_deref(), Some(a.as_path()));
    assert_eq!(h.state().doc.notes, "edited");
    assert_eq!(case::load_case(&a).expect("case").notes, "");

    // Discard: the payload opens as an untitled document; the file is untouched.
    let mut h = harness(dir.path());
    open_case(&mut h, "a", &a);
    edit_notes(&mut h, "edited");
    let input = encrypt_and_open(&mut h);
    click_button(&mut h, "Discard changes");
    assert!(!h.state().asking());
    assert_eq!(h.state().tab, Tab::Inspect);
    assert_eq!(h.state().doc.input, input);
    assert!(h.state().doc.path.is_none());
    assert_eq!(case::load_case(&a).expect("case").notes, "");

    // Save: the edit is written to the case, then the payload opens as an untitled document.
    let mut h = harness(dir.path());
    open_case(&mut h, "a", &a);
    edit_notes(&mut h, "edited");
    let input = encrypt_and_open(&mut h);
    click_button(&mut h, "Save changes");
    assert!(!h.state().asking());
    assert_eq!(case::load_case(&a).expect("case").notes, "edited");
    assert_eq!(h.state().doc.input, input);
    assert!(h.state().doc.path.is_none());
    assert!(
        h.query_by_label_contains("Opened the payload from the Encrypt tab")
            .is_some()
    );
}

/// A log line with a phone payload encrypted with [`KEY`] (the key is in the app's key ring).
fn scanned(dir: &Path) -> Harness<'static, App> {
    let enc = encrypt(&EncryptRequest {
        payload: json!({"phoneNumber": "13812345678", "purePhoneNumber": "13812345678", "countryCode": "86"})
            .to_string(),
        session_key: Some(KEY.into()),
        iv: Some("Y29tbWFuZHMtdGVzdC1pdg==".into()),
        appid: Some(APPID.into()),
        timestamp: Some(NOW - 60),
        watermark: true,
        now: NOW,
    })
    .expect("encrypt");
    let log = dir.join("app.log");
    std::fs::write(
        &log,
        format!(
            "2024-05-01 10:00:00 INFO decodePhone encryptedData={} iv={}\n",
            enc.encrypted_data, enc.iv
        ),
    )
    .expect("write log");
    let mut h = harness(dir);
    let app = h.state_mut();
    app.captures.add_key(KEY, "QA", APPID).expect("add key");
    let e = app.env;
    app.captures.start_scan(vec![log], &e, None);
    app.captures.wait_scan(&e);
    assert_eq!(app.captures.items().len(), 1);
    h.run();
    h
}

/// Captures tab → select the row → Open in Inspect; returns the row's inputs.
fn capture_and_open(h: &mut Harness<'static, App>) -> Input {
    h.get_by_label("Captures").click();
    h.run();
    let item = h.state().captures.items()[0].clone();
    let row = item.time.clone().unwrap_or_else(|| item.source.to_string());
    h.get_by_label(&row).click();
    h.run();
    click_button(h, "Open in Inspect");
    item.inspected.as_open_data().expect("open data").0.clone()
}

#[test]
fn captures_into_inspect_asks_about_unsaved_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write_case(dir.path(), "a", &demo_input());

    // Cancel: the edited case stays.
    let mut h = scanned(dir.path());
    open_case(&mut h, "a", &a);
    edit_notes(&mut h, "edited");
    capture_and_open(&mut h);
    assert!(h.state().asking());
    click_button(&mut h, "Cancel");
    assert_eq!(h.state().tab, Tab::Captures);
    assert_eq!(h.state().doc.path.as_deref(), Some(a.as_path()));
    assert_eq!(h.state().doc.notes, "edited");

    // Discard: the row opens as an untitled document; the file is untouched.
    let mut h = scanned(dir.path());
    open_case(&mut h, "a", &a);
    edit_notes(&mut h, "edited");
    let input = capture_and_open(&mut h);
    click_button(&mut h, "Discard changes");
    assert_eq!(h.state().doc.input, input);
    assert!(h.state().doc.report.ok);
    assert!(h.state().doc.path.is_none());
    assert_eq!(case::load_case(&a).expect("case").notes, "");
    assert!(
        h.query_by_label_contains("Opened the payload from the capture")
            .is_some()
    );

    // Save: written first, then opened.
    let mut h = scanned(dir.path());
    open_case(&mut h, "a", &a);
    edit_notes(&mut h, "edited");
    let input = capture_and_open(&mut h);
    click_button(&mut h, "Save changes");
    assert_eq!(case::load_case(&a).expect("case").notes, "edited");
    assert_eq!(h.state().doc.input, input);
    assert!(h.state().doc.path.is_none());
}

#[test]
fn saving_an_untitled_document_first_goes_through_the_save_dialog() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = scanned(dir.path());
    // Typed work in an untitled document.
    h.get_by_label("session_key").set_text_value_accesskit(KEY);
    h.run();
    assert!(h.state().doc.is_dirty());
    let typed = h.state().doc.input.clone();

    // Save, then Cancel in the Save dialog: nothing is replaced.
    let input = capture_and_open(&mut h);
    click_button(&mut h, "Save changes");
    assert!(h.state().cases.dialog_open());
    click_button(&mut h, "Cancel");
    assert!(!h.state().cases.dialog_open() && !h.state().asking());
    assert_eq!(h.state().doc.input, typed);

    // Save, then a name: the typed work is a case, then the row opens.
    click_button(&mut h, "Open in Inspect");
    click_button(&mut h, "Save changes");
    h.get_by_label("Case name")
        .set_text_value_accesskit("scratch");
    h.run();
    click_button(&mut h, "Save to file");
    let saved = dir.path().join("scratch.wxcase.json");
    assert_eq!(
        case::load_case(&saved).expect("case").input.to_input(),
        typed
    );
    assert_eq!(h.state().doc.input, input);
    assert!(h.state().doc.path.is_none());
    assert_eq!(h.state().tab, Tab::Inspect);
}

/// A file dropped on the window (what eframe hands over).
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_dropped_text_file_fills_a_scratch_document_but_never_the_open_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write_case(dir.path(), "a", &demo_input());
    let before = std::fs::read_to_string(&a).expect("read case");
    let body = dir.path().join("body.json");
    std::fs::write(
        &body,
        json!({"encryptedData": demo_input().encrypted_data, "iv": demo_input().iv}).to_string(),
    )
    .expect("write body");
    let drop = |h: &mut Harness<'static, App>| {
        h.input_mut()
            .dropped_files
            .push(Arc::new(Dropped(body.clone())));
        h.run();
    };

    // On a saved case: a new untitled document with the case's other fields.
    let mut h = harness(dir.path());
    open_case(&mut h, "a", &a);
    drop(&mut h);
    assert!(h.state().doc.path.is_none());
    assert_eq!(h.state().doc.input.session_key, demo_input().session_key);
    assert!(h.query_by_label_contains("Filled: encryptedData").is_some());
    save_shortcut(&mut h);
    assert!(h.state().cases.dialog_open());
    assert_eq!(std::fs::read_to_string(&a).expect("read case"), before);

    // On an untitled document: filled in place, the name stays.
    let mut h = harness(dir.path());
    h.get_by_label("Name").set_text_value_accesskit("scratch");
    h.run();
    drop(&mut h);
    assert!(!h.state().asking());
    assert_eq!(h.state().doc.name, "scratch");
    assert_eq!(h.state().doc.input.iv, demo_input().iv);
}

/// Asks the window to close, as the window manager does.
fn request_close(h: &mut Harness<'static, App>) {
    if let Some(vp) = h.input_mut().viewports.get_mut(&ViewportId::ROOT) {
        vp.events.push(ViewportEvent::Close);
    }
    h.step();
}

fn sent(h: &Harness<'static, App>, cmd: &ViewportCommand) -> bool {
    h.output()
        .viewport_output
        .get(&ViewportId::ROOT)
        .is_some_and(|o| o.commands.contains(cmd))
}

#[test]
fn closing_with_unsaved_changes_asks_the_same_question() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write_case(dir.path(), "a", &demo_input());
    let mut h = harness(dir.path());
    open_case(&mut h, "a", &a);

    // Nothing unsaved: the window closes without a question.
    request_close(&mut h);
    assert!(!sent(&h, &ViewportCommand::CancelClose));
    assert!(!h.state().asking());

    edit_notes(&mut h, "edited");
    request_close(&mut h);
    assert!(sent(&h, &ViewportCommand::CancelClose));
    h.run();
    assert!(h.state().asking());
    click_button(&mut h, "Cancel");
    assert!(!h.state().asking());

    request_close(&mut h);
    h.run();
    h.get_by_label("Save changes").click();
    h.step();
    assert_eq!(case::load_case(&a).expect("case").notes, "edited");
    assert!(!h.state().doc.is_dirty());
    assert!(sent(&h, &ViewportCommand::Close), "saved, then closed");
}
