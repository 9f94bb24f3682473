//! The Cases panel driven headless with egui_kittest through the real [`App`]: saving, run all,
//! malformed files, and the unsaved-changes mark and confirmation.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use wxdecrypt::case::{self, Case};
use wxdecrypt::gui::App;
use wxdecrypt::gui::cases::CasesPanel;
use wxdecrypt::gui::command::Command;
use wxdecrypt::gui::state::{Document, demo_input};
use wxdecrypt::{EncryptRequest, Input, Lang, inspect};

use super::support::{NOW, env, window};

/// The app with `folder` open in the cases panel and `input` as an untitled document.
fn app(folder: &Path, input: Input) -> App {
    let env = env();
    let mut app = App::new_for_test(env);
    app.cases = CasesPanel::new(Some(folder.to_path_buf()));
    app.doc = Document::new(input, &env);
    app
}

fn harness(app: App) -> Harness<'static, App> {
    window(app, [1280.0, 1000.0])
}

/// Writes a case recording the current inspection of `input`.
fn write_case(dir: &Path, name: &str, input: &Input) -> PathBuf {
    let env = env();
    let report = inspect(input, &env.options());
    let c = Case::from_report(name, "", input, &report, NOW);
    let path = dir.join(case::file_name_for(name));
    case::save_case(&path, &c).unwrap();
    path
}

fn phone_input(number: &str) -> Input {
    let enc = wxdecrypt::encrypt(&EncryptRequest {
        payload: wxdecrypt::encrypt::phone_payload(number).to_string(),
        session_key: Some("tiihtNczf5v6AKRyjwEUhQ==".into()),
        iv: Some("r7BXXKkLb8qrSNn05n0qiA==".into()),
        appid: Some("wx4f4bc4dec97d474b".into()),
        timestamp: Some(NOW - 60),
        watermark: true,
        now: NOW,
    })
    .unwrap();
    Input::new(
        "wx4f4bc4dec97d474b",
        &enc.session_key,
        &enc.iv,
        &enc.encrypted_data,
    )
}

#[test]
fn saving_writes_a_passing_private_case_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(app(dir.path(), demo_input()));
    h.run();
    h.get_by_label("Save").click();
    h.run();
    h.get_by_label("Case name")
        .set_text_value_accesskit("demo user");
    h.get_by_label("Case notes")
        .set_text_value_accesskit("official sample");
    h.run();
    h.get_by_label("Save to file").click();
    h.run();

    let path = dir.path().join("demo user.wxcase.json");
    assert!(path.is_file(), "{:?}", h.state().cases.notice());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let saved = case::load_case(&path).unwrap();
    assert_eq!(saved.name, "demo user");
    assert_eq!(saved.notes, "official sample");
    assert!(case::check_case(&saved, &env().options()).passed);
    let state = h.state();
    assert_eq!(state.doc.path.as_deref(), Some(path.as_path()));
    assert!(!state.doc.is_dirty());
    assert!(!state.cases.dialog_open());
    // The list shows it.
    assert!(h.query_by_label("demo user").is_some());

    // Saving again writes to the same file (no dialog).
    h.state_mut().doc.notes = "changed".into();
    h.run();
    h.get_by_label("Save").click();
    h.run();
    assert!(!h.state().cases.dialog_open());
    assert_eq!(case::load_case(&path).unwrap().notes, "changed");
}

#[test]
fn redaction_on_save_keeps_the_case_passing() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(dir.path(), phone_input("13800138000"));
    a.env.redact_on_save = true;
    a.doc.name = "phone".into();
    let mut h = harness(a);
    h.run();
    h.get_by_label("Save").click();
    h.run();
    h.get_by_label("Save to file").click();
    h.run();
    let path = dir.path().join("phone.wxcase.json");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("\"13800138000\""), "{text}");
    assert!(text.contains(wxdecrypt::privacy::REDACTED_PREFIX));
    let saved = case::load_case(&path).unwrap();
    assert!(case::check_case(&saved, &env().options()).passed);
}

#[test]
fn run_all_shows_pass_fail_and_the_cli_summary() {
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), "good", &demo_input());
    let wrong_path = write_case(dir.path(), "wrong", &demo_input());
    let mut wrong = case::load_case(&wrong_path).unwrap();
    if let Some(serde_json::Value::Object(data)) = &mut wrong.expect.data {
        data.insert("nickName".into(), "Someone else".into());
    }
    case::save_case(&wrong_path, &wrong).unwrap();

    let mut h = harness(app(dir.path(), demo_input()));
    h.run();
    h.get_by_label("Run all").click();
    h.run();
    assert!(h.query_by_label("1 passed, 1 failed").is_some());
    assert_eq!(h.query_all_by_label("pass").count(), 1);
    assert_eq!(h.query_all_by_label("fail").count(), 1);
    assert!(
        h.query_by_label_contains("data differs at $.nickName")
            .is_some(),
        "the failing case says what differs"
    );
    let ws = h.state().cases.workspace();
    assert_eq!(
        ws.summary.map(|s| (s.passed, s.failed, s.skipped)),
        Some((1, 1, 0))
    );

    // The shortcut command does the same.
    h.state_mut().cases = CasesPanel::new(Some(dir.path().to_path_buf()));
    h.state_mut().apply(Command::RunAllCases);
    h.run();
    assert!(h.query_by_label("1 passed, 1 failed").is_some());
}

#[test]
fn a_malformed_file_shows_its_error_and_the_rest_still_run() {
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), "good", &demo_input());
    let sub = dir.path().join("nested");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("bad.wxcase.json"), "{\n  \"name\": ,\n}\n").unwrap();

    let mut h = harness(app(dir.path(), demo_input()));
    h.run();
    // The error (path, line:column) is listed before running anything.
    assert!(h.query_by_label_contains("bad.wxcase.json:2:").is_some());
    h.get_by_label("Run all").click();
    h.run();
    assert!(h.query_by_label("1 passed, 0 failed, 1 skipped").is_some());
    assert_eq!(h.query_all_by_label("pass").count(), 1);
    assert!(h.query_by_label_contains("bad.wxcase.json:2:").is_some());
}

#[test]
fn unsaved_changes_are_marked_and_switching_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let a_path = write_case(dir.path(), "a", &demo_input());
    let b_path = write_case(dir.path(), "b", &phone_input("13900001111"));
    let mut h = harness(app(dir.path(), Input::default()));
    h.run();

    // Clean document: switching needs no confirmation.
    h.get_by_label("a").click();
    h.run();
    assert_eq!(h.state().doc.path.as_deref(), Some(a_path.as_path()));
    assert!(h.query_by_label("• a").is_none());

    // An edit marks the case.
    h.get_by_label("Notes").set_text_value_accesskit("edited");
    h.run();
    assert!(h.state().doc.is_dirty());
    assert!(h.query_by_label("• a").is_some());
    assert!(h.query_by_label("• Unsaved changes").is_some());

    // Switching asks; Cancel keeps the edit.
    h.get_by_label("b").click();
    h.run();
    assert!(h.query_by_label("Discard changes").is_some());
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!h.state().asking() && !h.state().cases.dialog_open());
    assert_eq!(h.state().doc.path.as_deref(), Some(a_path.as_path()));
    assert_eq!(h.state().doc.notes, "edited");
    // Escape is Cancel too (issue 13).
    h.get_by_label("b").click();
    h.run();
    assert!(h.state().asking());
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!h.state().asking() && !h.state().cases.dialog_open());
    assert_eq!(h.state().doc.path.as_deref(), Some(a_path.as_path()));
    assert_eq!(h.state().doc.notes, "edited");

    // Save changes: writes a, then opens b.
    h.get_by_label("• a").click(); // already open: nothing happens
    h.run();
    assert!(!h.state().asking() && !h.state().cases.dialog_open());
    h.get_by_label("b").click();
    h.run();
    h.get_by_label("Save changes").click();
    h.run();
    assert_eq!(case::load_case(&a_path).unwrap().notes, "edited");
    assert_eq!(h.state().doc.path.as_deref(), Some(b_path.as_path()));
    assert_eq!(h.state().doc.name, "b");

    // Discard changes: the edit to b is dropped, the file is untouched.
    h.get_by_label("Notes").set_text_value_accesskit("scratch");
    h.run();
    h.get_by_label("a").click();
    h.run();
    h.get_by_label("Discard changes").click();
    h.run();
    assert_eq!(h.state().doc.name, "a");
    assert_eq!(case::load_case(&b_path).unwrap().notes, "");

    // New on a dirty document asks too.
    h.get_by_label("Notes").set_text_value_accesskit("more");
    h.run();
    h.get_by_label("New").click();
    h.run();
    assert!(h.query_by_label("Discard changes").is_some());
    h.get_by_label("Discard changes").click();
    h.run();
    assert!(h.state().doc.path.is_none());
    assert!(h.state().doc.input.encrypted_data.is_empty());
}

#[test]
fn rename_never_overwrites_and_delete_asks() {
    let dir = tempfile::tempdir().unwrap();
    let a_path = write_case(dir.path(), "a", &phone_input("13700000000"));
    let b_path = write_case(dir.path(), "b", &demo_input());
    let mut h = harness(app(dir.path(), Input::default()));
    h.run();
    h.get_by_label("a").click();
    h.run();
    h.get_by_label("Rename…").click();
    h.run();
    h.get_by_label("Case name").set_text_value_accesskit("b");
    h.run();
    h.get_by_label("Rename").click();
    h.run();
    // Refused: both files still there, the dialog shows why.
    assert!(a_path.is_file() && b_path.is_file());
    assert!(h.query_by_label_contains("already exists").is_some());
    h.get_by_label("Case name").set_text_value_accesskit("c");
    h.run();
    h.get_by_label("Rename").click();
    h.run();
    let c_path = dir.path().join("c.wxcase.json");
    assert!(!a_path.exists() && c_path.is_file());
    assert_eq!(h.state().doc.path.as_deref(), Some(c_path.as_path()));
    assert_eq!(h.state().doc.name, "c");
    assert!(!h.state().doc.is_dirty());

    h.get_by_label("Duplicate").click();
    h.run();
    assert!(dir.path().join("c copy.wxcase.json").is_file());

    h.get_by_label("Delete…").click();
    h.run();
    h.get_by_label("Delete file").click();
    h.run();
    assert!(!c_path.exists());
    // The inputs stay as an unsaved document.
    assert!(h.state().doc.path.is_none());
    assert!(h.state().doc.is_dirty());
}

#[test]
fn dropped_files_open() {
    let dir = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    let x = write_case(other.path(), "x", &demo_input());
    let y = write_case(other.path(), "y", &demo_input());
    let mut h = harness(app(dir.path(), Input::default()));
    h.run();
    h.state_mut().apply(Command::OpenPaths(vec![x.clone()]));
    h.run();
    assert_eq!(h.state().doc.path.as_deref(), Some(x.as_path()));
    h.state_mut()
        .apply(Command::OpenPaths(vec![x.clone(), y.clone()]));
    h.run();
    assert!(h.query_by_label("x").is_some() && h.query_by_label("y").is_some());
    assert_eq!(h.state().cases.workspace().entries.len(), 2);
}

#[test]
fn chinese_labels_render_with_the_bundled_font() {
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), "喆的用例", &phone_input("13800138000"));
    let mut a = app(dir.path(), Input::default());
    a.env.lang = Lang::ZhCn;
    let mut h = Harness::builder()
        .with_size([1280.0, 1000.0])
        .with_context_setup(wxdecrypt::gui::fonts::install)
        .build_ui_state(|ui, app: &mut App| app.show(ui), a);
    h.run();
    h.get_by_label("全部运行").click();
    h.run();
    assert!(h.query_by_label("通过").is_some());
    assert!(h.query_by_label("1 passed, 0 failed").is_some());
    h.get_by_label("喆的用例").click();
    h.run();
    h.get_by_label("备注").set_text_value_accesskit("改过了");
    h.run();
    assert!(h.query_by_label("• 喆的用例").is_some());
    h.get_by_label("新建").click();
    h.run();
    assert!(h.query_by_label("放弃更改").is_some());
    assert!(
        h.query_by_label_contains("有未保存的更改，要先保存吗")
            .is_some()
    );
    h.get_by_label("取消").click();
    h.run();
    h.get_by_label("另存为…").click();
    h.run();
    assert!(h.query_by_label("保存到文件").is_some());
}
