//! What a person reads about a signature check: the verdict sentence and the variant in words,
//! the same in the CLI and the GUI.

use super::check::SignatureReport;
use super::json_forms::Form;
use super::variant::SignatureKind;
use crate::i18n::Lang;

/// Catalogue key of the signature's name (`user-info signature (sha1)`, …).
pub fn kind_key(kind: SignatureKind) -> &'static str {
    match kind {
        SignatureKind::UserInfo => "signature.kind.user_info",
        SignatureKind::Session => "signature.kind.session",
    }
}

/// How the data was re-serialised, as a parenthesis after the mistake (`" (with / written \/)"`);
/// empty when the mistake is not a re-serialisation.
pub fn form_text(form: Option<Form>, lang: Lang) -> String {
    form.map(|f| lang.fmt("signature.form", &[("form", lang.tr(f.label_key()))]))
        .unwrap_or_default()
}

/// The verdict: it matches, it was computed (nothing to compare), or it does not match and why.
pub fn verdict(report: &SignatureReport, given: bool, lang: Lang) -> String {
    let kind = lang.tr(kind_key(report.kind));
    if report.ok && given {
        lang.fmt("signature.verdict.ok", &[("kind", kind)])
    } else if report.ok {
        lang.fmt("signature.verdict.computed", &[("kind", kind)])
    } else {
        let why = report.primary().map(|f| f.message.as_str()).unwrap_or("");
        lang.fmt("signature.verdict.fail", &[("kind", kind), ("why", why)])
    }
}
