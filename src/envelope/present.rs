//! What a person reads about an envelope report: the verdict and "what your backend logs", in the
//! same shapes as the open-data ones ([`crate::present`]) so both faces print them alike.

use super::report::EnvelopeReport;
use crate::i18n::Lang;
use crate::present::{self, BackendLine, Verdict};

/// The verdict of `report` in `lang`.
pub fn verdict(report: &EnvelopeReport, lang: Lang) -> Verdict {
    let official = match (report.official_code, report.official.first()) {
        (Some(code), _) => lang.fmt(
            "verdict.official_msg",
            &[
                ("code", &code.to_string()),
                ("name", crate::msg::official::name(code)),
            ],
        ),
        (None, Some(first)) if !first.ok => lang.fmt(
            "verdict.official_says",
            &[
                ("who", lang.tr(who_key(first.backend))),
                ("says", &first.says),
            ],
        ),
        _ => String::new(),
    };
    let kind = report.kind.map(|k| k.label_key());
    present::verdict_of(report.ok, kind, report.primary(), official, lang)
}

/// Catalogue key of a backend's name.
fn who_key(backend: &str) -> &'static str {
    match backend {
        "php" => "backend.msg_php",
        "java" => "backend.pay_java",
        "go" => "backend.pay_go",
        "node" => "backend.pay_node",
        _ => "backend.pay_python",
    }
}

/// What each official sample or SDK says about the envelope as received.
pub fn backend_lines(report: &EnvelopeReport, lang: Lang) -> Vec<BackendLine> {
    report
        .official
        .iter()
        .map(|s| BackendLine {
            who: lang.tr(who_key(s.backend)).to_string(),
            says: match s.code {
                Some(code) => lang.fmt(
                    "backend.returns",
                    &[
                        ("code", &code.to_string()),
                        ("name", crate::msg::official::name(code)),
                    ],
                ),
                None if s.ok => lang.tr("backend.fine").to_string(),
                None => s.says.clone(),
            },
            ok: s.ok,
        })
        .collect()
}
