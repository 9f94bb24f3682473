//! Re-running a case: a fresh inspection of its input (open data, message push or Pay) compared
//! with its expectation, each difference in words.

use serde_json::Value;

use super::{Case, CaseKind, Expect, InputKind};
use crate::envelope::EnvelopeReport;
use crate::finding::Finding;
use crate::i18n::Lang;
use crate::opendata::{Options, Report, inspect};
use crate::privacy::{REDACTED_PREFIX, redacted};

/// The report a re-run made.
#[derive(Debug, Clone)]
pub enum Checked {
    OpenData(Box<Report>),
    Envelope(Box<EnvelopeReport>),
}

/// The result of re-running one case.
#[derive(Debug, Clone)]
pub struct CheckResult {
    pub passed: bool,
    /// What differs, one line each (in the requested language).
    pub diffs: Vec<String>,
    pub report: Checked,
}

/// Re-inspects a case (with the inspector its input's kind names) and compares with its
/// expectation. A message-push or Pay case without its input object has an empty one.
pub fn check_case(case: &Case, opts: &Options) -> CheckResult {
    let report = match case.input.kind {
        InputKind::OpenData => Checked::OpenData(Box::new(inspect(
            &case.input.to_input(),
            &opts.with_platform(case.input.platform),
        ))),
        InputKind::Message => Checked::Envelope(Box::new(crate::msg::inspect_message(
            &case.input.message.clone().unwrap_or_default(),
            opts,
        ))),
        InputKind::Pay => Checked::Envelope(Box::new(crate::pay::inspect_pay(
            &case.input.pay.clone().unwrap_or_default(),
            opts,
        ))),
    };
    let outcome = match &report {
        Checked::OpenData(r) => Outcome::of_report(r),
        Checked::Envelope(r) => Outcome::of_envelope(r),
    };
    let diffs = differences(&case.expect, &outcome, opts.lang);
    CheckResult {
        passed: diffs.is_empty(),
        diffs,
        report,
    }
}

/// What an expectation is compared with: any inspector's verdict, kind, data and findings.
#[derive(Debug, Clone, Copy)]
pub struct Outcome<'a> {
    pub ok: bool,
    pub kind: Option<CaseKind>,
    pub data: Option<&'a Value>,
    pub findings: &'a [Finding],
}

impl<'a> Outcome<'a> {
    pub fn of_report(r: &'a Report) -> Outcome<'a> {
        Outcome {
            ok: r.ok,
            kind: r.kind.map(CaseKind::OpenData),
            data: r.data.as_ref(),
            findings: &r.findings,
        }
    }

    pub fn of_envelope(r: &'a EnvelopeReport) -> Outcome<'a> {
        Outcome {
            ok: r.ok,
            kind: r.kind.map(CaseKind::Envelope),
            data: r.data.as_ref(),
            findings: &r.findings,
        }
    }
}

/// Differences between an expectation and an open-data report (empty: the case passes).
pub fn compare(expect: &Expect, report: &Report, lang: Lang) -> Vec<String> {
    differences(expect, &Outcome::of_report(report), lang)
}

/// Differences between an expectation and any inspector's outcome (empty: the case passes).
pub fn differences(expect: &Expect, got: &Outcome<'_>, lang: Lang) -> Vec<String> {
    let mut diffs = Vec::new();
    if expect.ok != got.ok {
        let cause = crate::finding::primary(got.findings)
            .map(|f| f.code.as_str().to_string())
            .unwrap_or_default();
        diffs.push(lang.fmt(
            "check.diff.ok",
            &[
                ("expected", &expect.ok.to_string()),
                ("got", &got.ok.to_string()),
                ("cause", &cause),
            ],
        ));
    }
    if let Some(kind) = expect.kind
        && got.kind != Some(kind)
    {
        diffs.push(lang.fmt(
            "check.diff.kind",
            &[
                ("expected", kind.as_str()),
                ("got", got.kind.map(CaseKind::as_str).unwrap_or("-")),
            ],
        ));
    }
    if let Some(want) = &expect.data {
        match got.data {
            Some(data) => {
                if let Some((path, w, g)) = first_difference(want, data, "$") {
                    diffs.push(lang.fmt(
                        "check.diff.data",
                        &[("path", &path), ("expected", &w), ("got", &g)],
                    ));
                }
            }
            None => diffs.push(lang.fmt("check.diff.no_data", &[])),
        }
    }
    for code in &expect.codes {
        if !got.findings.iter().any(|f| f.code.as_str() == code) {
            let all: Vec<&str> = got.findings.iter().map(|f| f.code.as_str()).collect();
            diffs.push(lang.fmt(
                "check.diff.code",
                &[("code", code), ("got", &all.join(", "))],
            ));
        }
    }
    diffs
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// The first place where `got` differs from `want` (a JSON path and both values). A redacted
/// string in `want` matches a value with the same hash.
pub fn first_difference(want: &Value, got: &Value, path: &str) -> Option<(String, String, String)> {
    match (want, got) {
        (Value::String(w), Value::String(g)) if w.starts_with(REDACTED_PREFIX) => {
            (redacted(g) != *w).then(|| (path.to_string(), w.clone(), "(hash differs)".into()))
        }
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let p = format!("{path}.{k}");
                match g.get(k) {
                    Some(gv) => {
                        if let Some(d) = first_difference(wv, gv, &p) {
                            return Some(d);
                        }
                    }
                    None => return Some((p, short(wv), "(missing)".into())),
                }
            }
            g.keys()
                .find(|k| !w.contains_key(*k))
                .map(|k| (format!("{path}.{k}"), "(absent)".into(), short(&g[k])))
        }
        (Value::Array(w), Value::Array(g)) => {
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                if let Some(d) = first_difference(wv, gv, &format!("{path}[{i}]")) {
                    return Some(d);
                }
            }
            (w.len() != g.len()).then(|| {
                (
                    format!("{path}.length"),
                    w.len().to_string(),
                    g.len().to_string(),
                )
            })
        }
        _ => (want != got).then(|| (path.to_string(), short(want), short(got))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacted_values_match_by_hash() {
        let want = serde_json::json!({"phoneNumber": redacted("13800000000")});
        let same = serde_json::json!({"phoneNumber": "13800000000"});
        let other = serde_json::json!({"phoneNumber": "13800000001"});
        assert!(first_difference(&want, &same, "$").is_none());
        assert!(first_difference(&want, &other, "$").is_some());
    }
}
