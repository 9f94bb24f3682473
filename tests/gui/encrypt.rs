//! The Encrypt view driven headless with egui_kittest: the phone template round-trips through
//! inspect(), "Open in Inspect" hands over the inputs, JSON errors say where, batch mode.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use wxdecrypt::gui::command::{Command, Commands, Origin};
use wxdecrypt::gui::encrypt::EncryptView;
use wxdecrypt::gui::encrypt::form::Template;
use wxdecrypt::gui::state::{Document, UiEnv, ViewCtx};
use wxdecrypt::{Input, Kind, Lang, Options, inspect};

const NOW: i64 = 1_700_000_000;
const KEY: &str = "tiihtNczf5v6AKRyjwEUhQ==";

struct App {
    view: EncryptView,
    env: UiEnv,
    doc: Document,
    opened: Option<Input>,
}

/// Draws the view; "Open in Inspect" is the command that opens the inputs as a new document.
fn draw(ui: &mut egui::Ui, app: &mut App) {
    let cx = ViewCtx {
        env: &app.env,
        doc: &app.doc,
        folder: None,
    };
    let mut out = Commands::new();
    app.view.ui(ui, &cx, &mut out);
    for cmd in out.take() {
        if let Command::ReplaceDocument {
            input,
            origin: Origin::Encrypt { .. },
        } = cmd
        {
            app.opened = Some(input);
        }
    }
}

fn harness(mask: bool) -> Harness<'static, App> {
    let env = UiEnv {
        lang: Lang::En,
        mask,
        redact_on_save: false,
        now: NOW,
    };
    let app = App {
        view: EncryptView::new(),
        doc: Document::new(Input::default(), &env),
        env,
        opened: None,
    };
    // The app's fonts, as in the window (the status line's icons come from them).
    Harness::builder()
        .with_size([1000.0, 1000.0])
        .with_context_setup(wxdecrypt::gui::fonts::install)
        .build_ui_state(draw, app)
}

#[test]
fn phone_template_round_trips_and_opens_in_inspect() {
    let mut h = harness(false);
    h.run();
    h.get_by_label("Phone number")
        .set_text_value_accesskit("13912345678");
    h.get_by_label("session_key").set_text_value_accesskit(KEY);
    h.run();
    // The payload follows the phone field, consistently.
    let payload: serde_json::Value = serde_json::from_str(&h.state().view.form().payload).unwrap();
    assert_eq!(payload["phoneNumber"], "13912345678");
    assert_eq!(payload["purePhoneNumber"], "13912345678");
    assert_eq!(payload["countryCode"], "86");

    h.get_by_label("Encrypt").click();
    h.run();
    assert!(
        h.state().view.form().error.is_none(),
        "{:?}",
        h.state().view.form().error
    );
    h.get_by_label("Open in Inspect").click();
    h.run();

    let input = h
        .state()
        .opened
        .clone()
        .expect("Open in Inspect returns the inputs");
    assert_eq!(input.session_key, KEY);
    assert_eq!(input.appid, "wx4f4bc4dec97d474b");
    let result = h.state().view.form().result.clone().unwrap();
    assert_eq!(input.iv, result.iv);
    assert_eq!(input.encrypted_data, result.encrypted_data);

    let report = inspect(&input, &Options::new(NOW + 5, Lang::En));
    assert!(report.ok, "{:?}", report.findings);
    assert_eq!(report.kind, Some(Kind::PhoneNumber));
    let data = report.data.unwrap();
    assert_eq!(data["phoneNumber"], "13912345678");
    assert_eq!(data["watermark"]["appid"], "wx4f4bc4dec97d474b");
    assert_eq!(data["watermark"]["timestamp"], NOW);
}

#[test]
fn generate_buttons_fill_valid_keys() {
    let mut h = harness(false);
    h.run();
    h.get_by_label("Generate session_key").click();
    h.get_by_label("Generate iv").click();
    h.run();
    let f = h.state().view.form();
    assert_eq!(f.session_key.len(), 24);
    assert_eq!(f.iv.len(), 24);
    assert_ne!(f.session_key, f.iv);
}

#[test]
fn invalid_json_says_line_and_column() {
    let mut h = harness(false);
    h.run();
    h.state_mut().view.form_mut().template = Template::Custom;
    h.state_mut().view.form_mut().payload = "{\n  \"a\": 1,\n  \"b\": }".into();
    h.run();
    h.get_by_label("Encrypt").click();
    h.run();
    assert!(
        h.query_by_label_contains("line 3, column").is_some(),
        "{:?}",
        h.state().view.form().error
    );
    assert!(h.state().view.form().result.is_none());
}

#[test]
fn batch_mode_writes_json_lines_with_one_key() {
    let mut h = harness(true);
    h.run();
    h.get_by_label("Batch").click();
    h.run();
    h.get_by_label("session_key").set_text_value_accesskit(KEY);
    h.get_by_label("Phone numbers, one per line")
        .set_text_value_accesskit("13800000001\n13800000002\n");
    h.run();
    h.get_by_label("Encrypt all").click();
    h.run();
    let out = h.state().view.form().batch_output.clone();
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    for (line, phone) in lines.iter().zip(["13800000001", "13800000002"]) {
        assert_eq!(line["phone"], phone);
        assert_eq!(line["sessionKey"], KEY);
        let input = Input::new(
            "wx4f4bc4dec97d474b",
            KEY,
            line["iv"].as_str().unwrap(),
            line["encryptedData"].as_str().unwrap(),
        );
        let r = inspect(&input, &Options::new(NOW, Lang::En));
        assert_eq!(r.data.unwrap()["phoneNumber"], phone);
    }
    assert_ne!(lines[0]["iv"], lines[1]["iv"]);
    // Masked on screen: the read-only output hides the phone digits.
    assert!(h.query_by_value(&out).is_none());
    assert!(
        h.query_all_by(|n| n
            .value()
            .is_some_and(|v| v.contains("\"phone\":\"138****0001\"")))
            .next()
            .is_some()
    );
    assert!(h.query_by_label_contains("2 payloads").is_some());
}

#[test]
fn chinese_labels_render_with_the_bundled_font() {
    let env = UiEnv {
        lang: Lang::ZhCn,
        mask: true,
        redact_on_save: false,
        now: NOW,
    };
    let app = App {
        view: EncryptView::new(),
        doc: Document::new(Input::default(), &env),
        env,
        opened: None,
    };
    let mut h = Harness::builder()
        .with_size([1000.0, 1000.0])
        .with_context_setup(wxdecrypt::gui::fonts::install)
        .build_ui_state(draw, app);
    h.run();
    h.get_by_label("加密").click();
    h.run();
    assert!(h.query_by_label("在检查页中打开").is_some());
    assert!(h.query_by_label("复制 encryptedData").is_some());
    h.get_by_label("批量").click();
    h.run();
    assert!(h.query_by_label("手机号，每行一个").is_some());
}

#[test]
fn a_template_batch_for_burp_intruder_shares_one_iv() {
    let mut h = harness(false);
    h.run();
    h.get_by_label("Batch").click();
    h.run();
    h.get_by_label("Template with %%").click();
    h.run();
    h.get_by_label("session_key").set_text_value_accesskit(KEY);
    h.get_by_label("Values, one per line")
        .set_text_value_accesskit("13800000001\n\n13800000002\n");
    h.get_by_label("encryptedData per line (Burp Intruder)")
        .click();
    h.run();
    h.get_by_label("Encrypt all").click();
    h.run();
    let form = h.state().view.form().clone();
    let iv = form.batch_iv.clone().expect("the iv they share");
    assert!(
        h.query_all_by_label_contains(&iv).next().is_some(),
        "the iv is shown"
    );
    let phones: Vec<String> = form
        .batch_output
        .lines()
        .map(|data| {
            let r = inspect(
                &Input::new("wx4f4bc4dec97d474b", KEY, &iv, data),
                &Options::new(NOW, Lang::En),
            );
            assert!(r.ok, "{:?}", r.codes());
            r.data.unwrap()["purePhoneNumber"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(phones, ["13800000001", "13800000002"]);

    // Without a key: said, nothing made.
    h.get_by_label("session_key").set_text_value_accesskit("");
    h.run();
    h.get_by_label("Encrypt all").click();
    h.run();
    assert!(
        h.query_all_by_label_contains("--template needs --session-key")
            .next()
            .is_some()
    );
}
