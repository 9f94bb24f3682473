//! One base64 field as every inspector reads it: repaired, decoded, and each repair and decode
//! problem recorded as a finding with its span in the paste.

use super::{Base64Problem, LenRule, Normalized, normalize};
use crate::finding::{Code, Field, Finding, Repair};
use crate::i18n::Lang;

/// A decoded field: its bytes (None when empty or not base64) and what the viewers show.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decoded {
    pub bytes: Option<Vec<u8>>,
    /// The paste was canonical base64, used as it is.
    pub unchanged: bool,
    /// The field after repairs (empty when `unchanged`: the paste itself is the text).
    pub text: String,
    /// For each char of `text`, its char offset in the paste; empty when `text` is the paste.
    pub origin: Vec<usize>,
}

/// Normalizes and decodes `raw` as `field`: an empty field gives `input.missing`, each repair a
/// `repair.*` finding and a [`Repair`], a value that is still not base64 `base64.invalid`.
pub fn decode_field(
    lang: Lang,
    field: Field,
    raw: &str,
    rule: LenRule,
    findings: &mut Vec<Finding>,
    repairs: &mut Vec<Repair>,
) -> Decoded {
    if raw.chars().all(char::is_whitespace) {
        findings.push(Finding::new(lang, Code::InputMissing, field, None, &[]));
        return Decoded::default();
    }
    let Normalized {
        unchanged,
        text,
        repairs: steps,
        bytes,
        problem,
        origin,
    } = normalize(raw, rule);
    for step in steps {
        let count = step.spans.len().to_string();
        let first = step.spans.first().copied();
        findings.push(Finding::new(
            lang,
            step.code,
            field,
            first,
            &[("count", &count)],
        ));
        repairs.push(Repair {
            field,
            code: step.code,
            before: step.before,
            after: step.after,
            spans: step.spans,
        });
    }
    match problem {
        Some(Base64Problem::BadChar { span, ch }) => {
            let pos = (span[0] + 1).to_string();
            let shown = format!("{ch:?}");
            findings.push(Finding::new(
                lang,
                Code::Base64Invalid,
                field,
                Some(span),
                &[("char", &shown), ("pos", &pos)],
            ));
        }
        Some(Base64Problem::BadLength { len }) => {
            let n = len.to_string();
            let mut f = Finding::new(
                lang,
                Code::Base64Invalid,
                field,
                Some([0, raw.chars().count()]),
                &[("count", &n)],
            );
            f.message = lang.fmt(
                "code.base64.invalid.message_length",
                &[("field", field.label(lang)), ("count", &n)],
            );
            findings.push(f);
        }
        None => {}
    }
    Decoded {
        bytes,
        unchanged,
        text,
        origin,
    }
}

impl Decoded {
    /// The text the bytes were decoded from: the repaired text, or the paste when unchanged.
    pub fn text_of<'a>(&'a self, raw: &'a str) -> &'a str {
        if self.unchanged { raw } else { &self.text }
    }
}
