//! The Platform selector of the Inspect toolbar (Detect, or one of the platforms that copied
//! WeChat's scheme) and each platform's own names for the input fields.

use egui::{RichText, Ui};

use super::Action;
use crate::finding::Field;
use crate::gui::command::Edit;
use crate::gui::state::ViewCtx;
use crate::platform::Platform;

/// The selector: "Detect (WeChat)" — naming what was detected — or a chosen platform.
pub(super) fn selector(ui: &mut Ui, cx: &ViewCtx, actions: &mut Vec<Action>) {
    let env = cx.env;
    let chosen = cx.doc.platform;
    let detected = cx.doc.report.platform;
    let detect_text = env.lang.fmt(
        "inspect.platform.detect",
        &[("platform", env.tr(detected.label_key()))],
    );
    let shown = match chosen {
        Some(p) => env.tr(p.label_key()).to_string(),
        None => detect_text.clone(),
    };
    let label = ui.label(env.tr("inspect.platform"));
    let mut pick = chosen;
    egui::ComboBox::from_id_salt("inspect_platform")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut pick, None, detect_text);
            for p in Platform::ALL {
                ui.selectable_value(&mut pick, Some(p), env.tr(p.label_key()));
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(env.tr("inspect.platform.tip"));
    if pick != chosen {
        actions.push(Action::Edit(Edit::Platform(pick)));
    }
}

/// What `platform` calls `field`, where it differs from WeChat's name (shown beside the label).
pub(super) fn field_name(platform: Platform, field: Field) -> Option<&'static str> {
    Some(match (platform, field) {
        (Platform::Baidu, Field::Appid) => "inspect.platform.app_key",
        (Platform::Baidu, Field::EncryptedData) => "inspect.platform.baidu_data",
        (Platform::Alipay, Field::SessionKey) => "inspect.platform.aes_key",
        (Platform::Alipay, Field::Iv) => "inspect.platform.no_iv",
        (Platform::Alipay, Field::EncryptedData) => "inspect.platform.response",
        _ => return None,
    })
}

/// The platform's name for a field as a small note after its label.
pub(super) fn field_note(ui: &mut Ui, cx: &ViewCtx, field: Field) {
    if let Some(key) = field_name(cx.doc.report.platform, field) {
        ui.label(RichText::new(cx.env.tr(key)).weak());
    }
}
