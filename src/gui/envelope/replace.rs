//! What replaces the inputs of a message-push or Pay mode: an opened case, an envelope found in a
//! capture, a paste — each keeping what the mode held one Restore away.

use super::{EnvelopePanel, Previous, Which};
use crate::case::{self, Case};
use crate::envelope::EnvelopeInput;
use crate::gui::state::UiEnv;
use crate::gui::widgets::Notice;
use crate::msg::MsgInput;
use crate::pay::PayInput;

impl EnvelopePanel {
    /// Keeps the mode's inputs for Restore before they are replaced (when there is anything
    /// in them beyond the configuration).
    pub(super) fn keep_previous(&mut self, which: Which) {
        match which {
            Which::Message => {
                let m = &self.msg;
                let arrived = [
                    &m.msg_signature,
                    &m.timestamp,
                    &m.nonce,
                    &m.encrypt,
                    &m.body,
                ];
                if arrived.iter().any(|t| !t.trim().is_empty()) {
                    self.previous = Some(Previous::Message(m.clone()));
                }
            }
            Which::Pay => {
                let p = &self.pay;
                let arrived = [&p.body, &p.ciphertext, &p.nonce, &p.associated_data];
                if arrived.iter().any(|t| !t.trim().is_empty()) {
                    self.previous = Some(Previous::Pay(p.clone()));
                }
            }
        }
    }

    /// Opens a message-push or Pay case in its mode, exactly as the case holds it.
    pub fn open_case(&mut self, c: &Case, env: &UiEnv) -> Option<Which> {
        let input = match c.input.kind {
            case::InputKind::Message => {
                EnvelopeInput::Message(c.input.message.clone().unwrap_or_default())
            }
            case::InputKind::Pay => EnvelopeInput::Pay(c.input.pay.clone().unwrap_or_default()),
            case::InputKind::OpenData => return None,
        };
        self.case_name = c.name.clone();
        let notice = env.lang.fmt("envelope.case_opened", &[("name", &c.name)]);
        Some(self.open(input, notice, env))
    }

    /// Opens a push or notification found in a capture in its mode. A capture carries no keys:
    /// where the key ring opened none, the mode's own key, token and receive id are kept.
    pub fn open_captured(&mut self, mut input: EnvelopeInput, env: &UiEnv) -> Which {
        let keep = |slot: &mut String, mine: &str| {
            if slot.trim().is_empty() {
                *slot = mine.to_string();
            }
        };
        match &mut input {
            EnvelopeInput::Message(m) => {
                keep(&mut m.encoding_aes_key, &self.msg.encoding_aes_key);
                keep(&mut m.token, &self.msg.token);
                keep(&mut m.receive_id, &self.msg.receive_id);
            }
            EnvelopeInput::Pay(p) => keep(&mut p.key, &self.pay.key),
        }
        self.open(input, env.tr("envelope.capture_opened").to_string(), env)
    }

    /// Puts `input` into its mode (what the mode held stays one Restore away) and inspects it.
    fn open(&mut self, input: EnvelopeInput, notice: String, env: &UiEnv) -> Which {
        let which = match input {
            EnvelopeInput::Message(m) => {
                self.keep_previous(Which::Message);
                self.msg = m;
                Which::Message
            }
            EnvelopeInput::Pay(p) => {
                self.keep_previous(Which::Pay);
                self.pay = p;
                Which::Pay
            }
        };
        self.notice = Some(Notice::ok(notice));
        self.refresh_mode(which, env);
        which
    }

    /// Puts a pasted request, URL, query string or body into the mode's fields (the
    /// configuration is kept, what arrived is replaced).
    pub fn paste(&mut self, text: &str, env: &UiEnv, which: Which) {
        match which {
            Which::Message => {
                let mut m = MsgInput {
                    encoding_aes_key: self.msg.encoding_aes_key.clone(),
                    token: self.msg.token.clone(),
                    receive_id: self.msg.receive_id.clone(),
                    ..MsgInput::default()
                };
                if m.fill_from_text(text) {
                    self.keep_previous(which);
                    self.msg = m;
                    self.notice = Some(Notice::ok(env.tr("envelope.pasted")));
                } else {
                    self.notice = Some(Notice::warning(env.tr("envelope.paste_none")));
                }
            }
            Which::Pay => {
                self.keep_previous(which);
                self.pay = PayInput {
                    key: self.pay.key.clone(),
                    body: text.to_string(),
                    ..PayInput::default()
                };
                self.notice = Some(Notice::ok(env.tr("envelope.pasted")));
            }
        }
        self.refresh_mode(which, env);
    }
}
