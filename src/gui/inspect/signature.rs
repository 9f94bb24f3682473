//! The Signature section of the Inspect tab: the user-info signature (rawData + signature) or the
//! checkSession one (body + signature), checked live with the session_key of the Inspect fields
//! (and, for a stale key, the encryptedData beside it), with the same findings and highlights as
//! `wxdecrypt signature` and `session-signature`.

use egui::{RichText, Ui};

use crate::finding::Field;
use crate::gui::envelope::form::{self, Spec};
use crate::gui::inspect::diagnosis::finding_line;
use crate::gui::state::{BACKGROUND_FROM, Document, UiEnv, input_len};
use crate::gui::widgets;
use crate::opendata::Options;
use crate::signature::{self, SignatureKind, SignatureReport, SignatureRequest};

/// What the section holds: which signature, its texts, and the last check.
#[derive(Debug, Clone)]
pub struct SignaturePanel {
    pub kind: SignatureKind,
    /// rawData of getUserInfo / getUserProfile.
    pub raw_data: String,
    /// The request body checkSession signs.
    pub body: String,
    pub signature: String,
    /// The check of the texts as they were at `checked`.
    pub report: Option<SignatureReport>,
    /// The section starts open (a preset that shows it).
    pub open: bool,
    /// What the last check was made of (kind, key, message, signature, encryptedData, iv).
    checked: Option<(SignatureKind, [String; 5])>,
}

impl Default for SignaturePanel {
    fn default() -> Self {
        SignaturePanel {
            kind: SignatureKind::UserInfo,
            raw_data: String::new(),
            body: String::new(),
            signature: String::new(),
            report: None,
            open: false,
            checked: None,
        }
    }
}

impl SignaturePanel {
    /// The message of the signature chosen.
    fn message(&self) -> &str {
        match self.kind {
            SignatureKind::UserInfo => &self.raw_data,
            SignatureKind::Session => &self.body,
        }
    }

    /// Checks again when anything it depends on changed since the last check (a few hashes; the
    /// encryptedData is opened only when the signature fails, and only below the size the
    /// document inspects at once).
    pub fn refresh(&mut self, doc: &Document, env: &UiEnv) {
        let i = &doc.input;
        let now = [
            i.session_key.as_str(),
            self.message(),
            self.signature.as_str(),
            i.encrypted_data.as_str(),
            i.iv.as_str(),
        ];
        let same = self
            .checked
            .as_ref()
            .is_some_and(|(k, was)| *k == self.kind && was.iter().zip(now).all(|(a, b)| a == b));
        if same {
            return;
        }
        let paired =
            (self.kind == SignatureKind::UserInfo && input_len(i) <= BACKGROUND_FROM).then_some(i);
        let nothing = self.message().is_empty() && self.signature.trim().is_empty();
        let checked = (self.kind, now.map(str::to_string));
        let report = (!nothing).then(|| {
            let req = SignatureRequest {
                kind: self.kind,
                session_key: &i.session_key,
                message: self.message(),
                signature: Some(self.signature.as_str()).filter(|s| !s.trim().is_empty()),
                paired,
            };
            signature::check(&req, &Options::new(env.now, env.lang))
        });
        self.report = report;
        self.checked = Some(checked);
    }

    /// Draws the section (closed until opened).
    pub fn ui(&mut self, ui: &mut Ui, env: &UiEnv, doc: &Document) {
        egui::CollapsingHeader::new(RichText::new(env.tr("signature_ui.title")).strong())
            .id_salt("signature_section")
            .default_open(self.open)
            .show(ui, |ui| {
                ui.label(RichText::new(env.tr("signature_ui.intro")).weak());
                ui.horizontal(|ui| {
                    for kind in [SignatureKind::UserInfo, SignatureKind::Session] {
                        let name = env.tr(signature::present::kind_key(kind));
                        ui.selectable_value(&mut self.kind, kind, name);
                    }
                });
                self.refresh(doc, env);
                let said = self
                    .report
                    .as_ref()
                    .map_or((&[][..], &[][..]), |r| (&r.findings[..], &r.repairs[..]));
                let (field, hint, text) = match self.kind {
                    SignatureKind::UserInfo => (
                        Field::RawData,
                        "signature_ui.raw_data.hint",
                        &mut self.raw_data,
                    ),
                    SignatureKind::Session => {
                        (Field::Body, "signature_ui.body.hint", &mut self.body)
                    }
                };
                let multiline = Spec {
                    field,
                    multiline: true,
                    secret: false,
                    hint,
                };
                form::field(ui, env, said, multiline, text);
                let sig = Spec {
                    field: Field::Signature,
                    multiline: false,
                    secret: false,
                    hint: "signature_ui.signature.hint",
                };
                form::field(ui, env, said, sig, &mut self.signature);
                self.refresh(doc, env);
                if let Some(r) = &self.report {
                    result(ui, env, r, !self.signature.trim().is_empty());
                }
            });
    }
}

/// The verdict, the expected signature with Copy, the mistake named, the findings.
fn result(ui: &mut Ui, env: &UiEnv, r: &SignatureReport, given: bool) {
    let color = if r.ok {
        widgets::ok_color(ui)
    } else {
        widgets::severity_color(ui, crate::finding::Severity::Error)
    };
    let verdict = signature::present::verdict(r, given, env.lang);
    ui.label(
        RichText::new(format!("{} {verdict}", crate::present::mark(r.ok)))
            .color(color)
            .strong(),
    );
    if let Some(e) = &r.expected {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{}:", env.tr("signature.expected")));
            ui.label(RichText::new(e).monospace());
            widgets::copy_button(ui, env, e);
        });
    }
    for f in &r.findings {
        finding_line(ui, env, f, true);
    }
}
