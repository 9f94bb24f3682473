//! What the message-push and Pay pipelines share while they run: the report being built, with the
//! language of its findings, and the test that decrypted bytes read as text.

use super::report::EnvelopeReport;
use crate::finding::{Code, Field, Finding, Span};
use crate::i18n::Lang;

/// Share of characters that may be control characters or invalid UTF-8 in a text that reads as
/// text: a wrong key leaves about half of them so.
const NOISE_LIMIT: f64 = 0.05;

/// Whether `bytes` read as text: almost all valid UTF-8 and no control characters but
/// whitespace.
pub(crate) fn reads_as_text(bytes: &[u8]) -> bool {
    if bytes.is_empty() {
        return false;
    }
    let text = String::from_utf8_lossy(bytes);
    let (mut bad, mut all) = (0usize, 0usize);
    for c in text.chars() {
        all += 1;
        if c == char::REPLACEMENT_CHARACTER || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        {
            bad += 1;
        }
    }
    (bad as f64) <= (all as f64) * NOISE_LIMIT
}

/// An inspection under way: the report and the language its findings are written in.
pub(crate) struct Cx {
    pub lang: Lang,
    pub report: EnvelopeReport,
}

impl Cx {
    pub fn new(lang: Lang) -> Cx {
        Cx {
            lang,
            report: EnvelopeReport::new(),
        }
    }

    /// Adds a finding, its message and hint from the catalogue.
    pub fn push(&mut self, code: Code, field: Field, span: Option<Span>, args: &[(&str, &str)]) {
        self.report
            .findings
            .push(Finding::new(self.lang, code, field, span, args));
    }
}
