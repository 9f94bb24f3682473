//! `wxdecrypt PATH`: the workbench opened on what a file manager hands it — a case file opens in
//! Inspect, a folder of cases in the cases panel, a capture in the Captures tab — the same routes
//! as a file dropped on the window.

use egui_kittest::Harness;
use wxdecrypt::case::{self, Case};
use wxdecrypt::gui::App;
use wxdecrypt::gui::app::Tab;
use wxdecrypt::gui::state::demo_input;
use wxdecrypt::inspect;

use super::support::{NOW, env, window};

fn harness(app: App) -> Harness<'static, App> {
    window(app, [1280.0, 900.0])
}

#[test]
fn a_case_opens_in_inspect() {
    let dir = tempfile::tempdir().unwrap();
    let input = demo_input();
    let report = inspect(&input, &env().options());
    let path = dir
        .path()
        .join(case::file_name_for("from the file manager"));
    case::save_case(
        &path,
        &Case::from_report("from the file manager", "", &input, &report, NOW),
    )
    .unwrap();
    let mut app = App::new_for_test(env());
    app.tab = Tab::Captures;
    app.open_at_start(vec![path.clone()], None);
    let mut h = harness(app);
    h.run();
    assert_eq!(h.state().tab, Tab::Inspect);
    assert_eq!(h.state().doc.path.as_deref(), Some(path.as_path()));
    assert_eq!(h.state().doc.name, "from the file manager");
    assert!(!h.state().doc.is_dirty());
}

#[test]
fn a_folder_opens_in_the_cases_panel() {
    let dir = tempfile::tempdir().unwrap();
    let input = demo_input();
    let report = inspect(&input, &env().options());
    for name in ["a", "b"] {
        let c = Case::from_report(name, "", &input, &report, NOW);
        case::save_case(&dir.path().join(case::file_name_for(name)), &c).unwrap();
    }
    let mut app = App::new_for_test(env());
    app.open_at_start(vec![dir.path().to_path_buf()], None);
    let mut h = harness(app);
    h.run();
    assert_eq!(h.state().cases.folder(), Some(dir.path()));
    assert_eq!(h.state().cases.workspace().entries.len(), 2);
}

#[test]
fn a_capture_opens_in_captures() {
    let dir = tempfile::tempdir().unwrap();
    let har = super::captures::write_har(dir.path());
    let mut app = App::new_for_test(env());
    app.open_at_start(vec![har], None);
    assert_eq!(app.tab, Tab::Captures);
    let e = app.env;
    app.captures.wait_scan(&e);
    let mut h = harness(app);
    h.run();
    assert_eq!(h.state().captures.items().len(), 1);
    assert!(h.state().captures.items().iter().all(|i| i.inspected.ok()));
}

#[test]
fn nothing_given_changes_nothing() {
    let mut app = App::new_for_test(env());
    app.open_at_start(Vec::new(), None);
    assert_eq!(app.tab, Tab::Inspect);
    assert_eq!(app.doc.input, demo_input());
}
