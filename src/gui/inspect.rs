//! The Inspect tab: the toolbar (Paste anything, Clear, Official demo), the four paste fields
//! ([`fields`]), the diagnosis and the result ([`diagnosis`]), the raw JSON and the bytes, the
//! signature check ([`signature`]) and "explain a backend error" ([`explain`]). It draws
//! the open document and sends every change as a command: edits in place, or new inputs. "Edit and
//! re-encrypt" ([`tamper`]) sits below the raw JSON when the data decrypted.

pub(crate) mod diagnosis;
pub mod explain;
pub(crate) mod fields;
mod platform;
pub mod signature;
pub mod tamper;

use egui::{RichText, Ui};

pub use fields::{field_color, findings_for};

use crate::extract;
use crate::finding::Field;
use crate::gui::bytes_view::{self, BytesAction, BytesState};
use crate::gui::command::{Command, Commands, Edit, Origin};
use crate::gui::envelope::{EnvelopePanel, Which};
use crate::gui::json_view;
use crate::gui::state::{ViewCtx, demo_input};
use crate::gui::widgets::{self, Notice};
use crate::i18n::Lang;
use crate::opendata::{Input, Report};
use crate::snippet::SnippetLang;

/// What the Inspect tab inspects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InspectMode {
    /// encryptedData + iv + session_key (the open document).
    #[default]
    OpenData,
    /// A message push in safe mode, or a URL check.
    Message,
    /// A WeChat Pay notification.
    Pay,
}

impl InspectMode {
    pub const ALL: [InspectMode; 3] = [
        InspectMode::OpenData,
        InspectMode::Message,
        InspectMode::Pay,
    ];

    /// The mode that shows an envelope.
    pub fn of(which: Which) -> InspectMode {
        match which {
            Which::Message => InspectMode::Message,
            Which::Pay => InspectMode::Pay,
        }
    }

    /// Catalogue key of the mode's name.
    pub fn label_key(self) -> &'static str {
        match self {
            InspectMode::OpenData => "inspect.mode.open_data",
            InspectMode::Message => "inspect.mode.message",
            InspectMode::Pay => "inspect.mode.pay",
        }
    }
}

/// State of the Inspect tab (the document itself belongs to the app).
#[derive(Debug, Clone, Default)]
pub struct InspectView {
    pub mode: InspectMode,
    /// The message-push and Pay modes.
    pub envelope: EnvelopePanel,
    /// The outcome of the last paste, fix or drop.
    pub notice: Option<Notice>,
    pub bytes: BytesState,
    /// "Explain a backend error".
    pub explain: explain::ExplainPanel,
    /// The user-info and checkSession signatures, checked with the session_key above.
    pub signature: signature::SignaturePanel,
    /// Edit the decrypted data and encrypt it again.
    pub tamper: tamper::TamperPanel,
}

/// What the user asked for while the view was drawn; turned into commands after drawing.
#[derive(Debug, Clone, PartialEq)]
enum Action {
    Edit(Edit),
    /// Set a field and say so.
    Set(Field, String, Notice),
    PasteInto(Field),
    PasteAnything,
    ClearAll,
    LoadDemo,
    /// Copy a program that decrypts the inputs.
    CopyCode(SnippetLang),
}

/// Catalogue key of a snippet language's name.
fn snippet_label_key(lang: SnippetLang) -> &'static str {
    match lang {
        SnippetLang::Java => "snippet.lang.java",
        SnippetLang::Python => "snippet.lang.python",
        SnippetLang::Node => "snippet.lang.node",
        SnippetLang::Php => "snippet.lang.php",
        SnippetLang::Go => "snippet.lang.go",
        SnippetLang::Rust => "snippet.lang.rust",
    }
}

/// The smart paste: the fields found in any text (JSON body, `e.detail`, query string, log line)
/// put over `current`. Returns the inputs and the fields found (for the notice), or `None` when
/// nothing was found.
pub fn smart_paste(text: &str, current: &Input, lang: Lang) -> Option<(Input, String)> {
    let found = extract::extract(text);
    if found.is_empty() {
        return None;
    }
    let mut input = current.clone();
    let mut names = Vec::new();
    for (field, key) in &found.found {
        if let Some(slot) = input.get_mut(*field) {
            *slot = found.input.get(*field).to_string();
            names.push(format!("{} ({key})", field.label(lang)));
        }
    }
    // Alipay's whole answer stays whole: the inspection reads the response from it and tells
    // the platform by it.
    if crate::platform::alipay::is_answer(text.trim()) {
        input.encrypted_data = text.trim().to_string();
    }
    Some((input, names.join(", ")))
}

/// What Paste anything says of a text without payload fields: a WeChat server's error answer and
/// its cause, a code told by its shape, or that nothing was found.
pub fn nothing_to_paste(text: &str, lang: Lang) -> Notice {
    if let Some(e) = crate::server::find_error(text) {
        let f = e.finding(lang);
        return Notice::error(format!("{} {}", f.message, f.hint));
    }
    match crate::server::code_shape(text) {
        Some(crate::server::CodeShape::Phone) => Notice::warning(lang.tr("explain.phone_code")),
        Some(crate::server::CodeShape::Login) => Notice::warning(lang.tr("explain.login_code")),
        None => Notice::warning(lang.tr("inspect.paste_any.none")),
    }
}

impl InspectView {
    pub fn new() -> InspectView {
        InspectView::default()
    }

    /// Draws the tab.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx, out: &mut Commands) {
        let mut actions: Vec<Action> = Vec::new();
        let env = cx.env;
        egui::ScrollArea::vertical()
            .id_salt("inspect_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.mode_bar(ui, env);
                let which = match self.mode {
                    InspectMode::OpenData => None,
                    InspectMode::Message => Some(Which::Message),
                    InspectMode::Pay => Some(Which::Pay),
                };
                if let Some(which) = which {
                    self.envelope.ui(ui, env, cx.folder, which, out);
                    return;
                }
                self.toolbar(ui, cx, &mut actions);
                ui.add_space(4.0);
                fields::fields(ui, cx, &mut actions);
                ui.add_space(6.0);
                let report = &cx.doc.report;
                // The verdict across the width, then the result and its watermark side by side
                // when there is room (stacked in a narrow window; a chart takes the whole width).
                diagnosis::diagnosis(ui, env, cx.doc, &mut actions);
                ui.add_space(6.0);
                diagnosis::result(ui, env, report);
                let has_bytes =
                    !report.detail.decrypted.is_empty() || !report.detail.ciphertext.is_empty();
                // When decryption failed the bytes tell more than the JSON: show them first.
                if has_bytes && !report.ok {
                    self.bytes_section(ui, cx, report, &mut actions);
                }
                if let Some(text) = &report.plaintext {
                    ui.add_space(4.0);
                    egui::CollapsingHeader::new(RichText::new(env.tr("result.raw")).strong())
                        .id_salt("raw_json_section")
                        .default_open(true)
                        .show(ui, |ui| {
                            json_view::raw_view(ui, env, report.data.as_ref(), text)
                        });
                }
                ui.add_space(4.0);
                self.tamper.ui(ui, env, cx.doc, out);
                if has_bytes && report.ok {
                    self.bytes_section(ui, cx, report, &mut actions);
                }
                ui.add_space(4.0);
                self.signature.ui(ui, env, cx.doc);
                ui.add_space(4.0);
                self.explain.ui(ui, env);
            });
        for a in actions {
            self.send(a, cx, out, ui.ctx());
        }
    }

    fn bytes_section(
        &mut self,
        ui: &mut Ui,
        cx: &ViewCtx,
        report: &Report,
        actions: &mut Vec<Action>,
    ) {
        let env = cx.env;
        egui::CollapsingHeader::new(RichText::new(env.tr("bytes.title")).strong())
            .id_salt(("bytes_section", report.ok))
            .default_open(!report.ok)
            .show(ui, |ui| {
                if let Some(BytesAction::UseIv(iv)) =
                    bytes_view::ui(ui, env, report, &mut self.bytes)
                {
                    actions.push(Action::Set(
                        Field::Iv,
                        iv,
                        Notice::ok(env.tr("inspect.iv_applied")),
                    ));
                }
            });
    }

    /// The switch between open data, message push and Pay.
    fn mode_bar(&mut self, ui: &mut Ui, env: &crate::gui::state::UiEnv) {
        ui.horizontal(|ui| {
            for mode in InspectMode::ALL {
                ui.selectable_value(
                    &mut self.mode,
                    mode,
                    RichText::new(env.tr(mode.label_key())).strong(),
                );
            }
        });
        ui.separator();
    }

    fn toolbar(&self, ui: &mut Ui, cx: &ViewCtx, actions: &mut Vec<Action>) {
        let env = cx.env;
        ui.horizontal_wrapped(|ui| {
            // First: it says how everything below is read, and it stays whole on the first row.
            platform::selector(ui, cx, actions);
            ui.separator();
            if ui
                .button(RichText::new(env.tr("inspect.paste_any")).strong())
                .on_hover_text(env.tr("inspect.paste_any.tip"))
                .clicked()
            {
                actions.push(Action::PasteAnything);
            }
            if ui
                .button(env.tr("inspect.clear_all"))
                .on_hover_text(env.tr("inspect.clear_all.tip"))
                .clicked()
            {
                actions.push(Action::ClearAll);
            }
            if ui
                .button(env.tr("inspect.demo"))
                .on_hover_text(env.tr("inspect.demo.tip"))
                .clicked()
            {
                actions.push(Action::LoadDemo);
            }
            let platform = cx.doc.report.platform;
            match crate::snippet::refusal(platform, env.lang) {
                None => {
                    ui.menu_button(env.tr("inspect.copy_code"), |ui| {
                        for lang in SnippetLang::ALL {
                            if ui.button(env.tr(snippet_label_key(lang))).clicked() {
                                actions.push(Action::CopyCode(lang));
                                ui.close();
                            }
                        }
                    })
                    .response
                    .on_hover_text(env.tr("inspect.copy_code.tip"));
                }
                Some(why) => {
                    ui.add_enabled(false, egui::Button::new(env.tr("inspect.copy_code")))
                        .on_disabled_hover_text(why);
                }
            }
            if let Some(n) = &self.notice {
                ui.separator();
                n.show(ui);
            }
        });
    }

    /// Turns an action into a command (reading the clipboard first where needed).
    fn send(&mut self, action: Action, cx: &ViewCtx, out: &mut Commands, ctx: &egui::Context) {
        let env = cx.env;
        match action {
            Action::Edit(edit) => out.send(Command::Edit(edit)),
            Action::Set(field, text, notice) => {
                self.notice = Some(notice);
                out.send(Command::Edit(Edit::Field(field, text)));
            }
            Action::PasteInto(field) => match widgets::clipboard_text(env) {
                Ok(text) => {
                    self.notice = None;
                    out.send(Command::Edit(Edit::Field(field, text)));
                }
                Err(e) => self.notice = Some(Notice::error(e)),
            },
            Action::PasteAnything => match widgets::clipboard_text(env) {
                Ok(text) => match smart_paste(&text, &cx.doc.input, env.lang) {
                    Some((input, fields)) => out.send(Command::FillInputs {
                        input,
                        origin: Origin::Text { fields },
                    }),
                    None => self.notice = Some(nothing_to_paste(&text, env.lang)),
                },
                Err(e) => self.notice = Some(Notice::error(e)),
            },
            Action::ClearAll => {
                // The appid rarely changes between payloads: keep it.
                let input = Input {
                    appid: cx.doc.input.appid.clone(),
                    ..Default::default()
                };
                out.send(Command::FillInputs {
                    input,
                    origin: Origin::Cleared,
                });
            }
            Action::CopyCode(lang) => {
                ctx.copy_text(crate::snippet::snippet(lang, &cx.doc.input));
                self.notice = Some(Notice::ok(env.lang.fmt(
                    "inspect.copy_code.done",
                    &[("file", lang.file_name()), ("run", lang.run_command())],
                )));
            }
            Action::LoadDemo => out.send(Command::ReplaceDocument {
                input: demo_input(),
                origin: Origin::Demo,
            }),
        }
    }
}
