//! The human text of a report (verdict, what each backend says, the data, the watermark, the
//! findings with their hints, the repairs): what `wxdecrypt decrypt` prints and what the local
//! decode API sends a proxy's content view, so both read alike.

use std::fmt::Write as _;

use crate::finding::Severity;
use crate::i18n::Lang;
use crate::opendata::Report;
use crate::present;

/// The mark of a finding line.
fn mark(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✘",
        Severity::Warning => "!",
        Severity::Info => "i",
    }
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let head: String = s.chars().take(max).collect();
        format!("{head}…")
    }
}

/// The full human report.
pub fn human_report(report: &Report, lang: Lang) -> String {
    let mut o = String::new();
    let verdict = present::verdict(report, lang);
    let _ = writeln!(o, "{}", verdict.line());
    if !verdict.official.is_empty() {
        let _ = writeln!(o, "  {}", verdict.official);
    }
    if report.platform != crate::platform::Platform::Wechat {
        let name = lang.tr(report.platform.label_key());
        let _ = writeln!(o, "  {}", lang.fmt("cli.platform", &[("platform", name)]));
    }
    backend_and_data(
        &mut o,
        &present::backend_lines(report, lang),
        report.data.as_ref(),
        report.plaintext.as_deref(),
        lang,
    );
    if let Some(wm) = &report.watermark {
        let time = wm.time.clone().unwrap_or_else(|| "-".into());
        let age = wm
            .age_seconds
            .map(|a| present::age_text(lang, a))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "\n{}: {}",
            lang.tr("cli.watermark"),
            lang.fmt(
                "cli.watermark.line",
                &[
                    ("appid", wm.appid.as_deref().unwrap_or("-")),
                    ("time", &time),
                    ("age", &age)
                ]
            )
        );
    }
    if let Some(iv) = &report.suggested_iv {
        let _ = writeln!(o, "\n{}: {iv}", lang.tr("cli.suggested_iv"));
    }
    findings_and_repairs(&mut o, &report.findings, &report.repairs, lang);
    o
}

/// The human report of a message push or Pay notification.
pub fn human_envelope(report: &crate::envelope::EnvelopeReport, lang: Lang) -> String {
    use crate::envelope::present as env;
    let mut o = String::new();
    let verdict = env::verdict(report, lang);
    let _ = writeln!(o, "{}", verdict.line());
    if !verdict.official.is_empty() {
        let _ = writeln!(o, "  {}", verdict.official);
    }
    backend_and_data(
        &mut o,
        &env::backend_lines(report, lang),
        report.data.as_ref(),
        report.plaintext.as_deref(),
        lang,
    );
    for (key, value) in [
        ("cli.receive_id", &report.receive_id),
        ("cli.associated_data", &report.associated_data),
        ("cli.expected_signature", &report.expected_signature),
        ("cli.reply", &report.reply),
    ] {
        if let Some(v) = value {
            let _ = writeln!(o, "{}: {v}", lang.tr(key));
        }
    }
    findings_and_repairs(&mut o, &report.findings, &report.repairs, lang);
    o
}

/// What each backend says, then the data (pretty JSON) or else the plaintext, as both reports
/// print them.
fn backend_and_data(
    o: &mut String,
    lines: &[present::BackendLine],
    data: Option<&serde_json::Value>,
    plaintext: Option<&str>,
    lang: Lang,
) {
    if !lines.is_empty() {
        let _ = writeln!(o, "\n{}:", lang.tr("backend.title"));
        for line in lines {
            let mark = present::mark(line.ok);
            let _ = writeln!(o, "  {mark} {}: {}", line.who, line.says);
        }
    }
    if let Some(data) = data {
        let _ = writeln!(o, "\n{}:", lang.tr("cli.data"));
        let pretty = serde_json::to_string_pretty(data).unwrap_or_default();
        for line in pretty.lines() {
            let _ = writeln!(o, "  {line}");
        }
    } else if let Some(text) = plaintext {
        let _ = writeln!(o, "\n{}:\n  {}", lang.tr("cli.plaintext"), text);
    }
}

/// The findings (mark, code, field, span, message, hint) and the repairs, as every report lists them.
pub fn findings_and_repairs(
    o: &mut String,
    findings: &[crate::finding::Finding],
    repairs: &[crate::finding::Repair],
    lang: Lang,
) {
    if !findings.is_empty() {
        let _ = writeln!(o, "\n{}:", lang.tr("cli.findings"));
        for f in findings {
            let span = f
                .span
                .map(|[s, e]| format!(" @{s}..{e}"))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "  {} {} [{}{}] {}",
                mark(f.severity),
                f.code.as_str(),
                f.field.as_str(),
                span,
                f.message
            );
            let _ = writeln!(o, "      {}: {}", lang.tr("cli.hint"), f.hint);
        }
    }
    if !repairs.is_empty() {
        let _ = writeln!(o, "\n{}:", lang.tr("cli.repairs"));
        for r in repairs {
            let _ = writeln!(
                o,
                "  {} {}: {:?} → {:?}",
                r.field.as_str(),
                r.code.as_str(),
                clip(&r.before, 60),
                clip(&r.after, 60)
            );
        }
    }
}

/// The human text of any inspector's result.
pub fn inspected_text(i: &crate::inspected::Inspected, lang: Lang) -> String {
    match i {
        crate::inspected::Inspected::OpenData { report, .. } => human_report(report, lang),
        crate::inspected::Inspected::Envelope { report, .. } => human_envelope(report, lang),
    }
}
