//! Saved test cases (`NAME.wxcase.json`): the format — an open-data, message-push or Pay input
//! and what a fresh inspection must give — with [`file`] (reading, writing, discovery) and
//! [`check`] (re-running and comparing).

mod check;
mod file;

pub use check::{CheckResult, Checked, Outcome, check_case, compare, first_difference};
pub use file::{
    CaseError, case_json, discover, file_name_for, load_case, parse_case, save_case, save_new,
};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::envelope::{EnvelopeKind, EnvelopeReport};
use crate::i18n::Lang;
use crate::msg::MsgInput;
use crate::opendata::interpret::Kind;
use crate::opendata::{Input, Report};
use crate::pay::PayInput;
use crate::platform::Platform;

/// The file name suffix of case files.
pub const SUFFIX: &str = ".wxcase.json";
/// The format version this build writes and reads.
pub const FORMAT: u32 = 1;
/// The largest case file read (a case holds four strings; 16 MiB leaves room for a 10 MB
/// encryptedData).
pub const MAX_CASE_BYTES: u64 = 16 << 20;
/// How deep folders are searched for case files.
pub const MAX_DEPTH: usize = 32;
use crate::privacy::{REDACTED_PREFIX, redacted};

fn is_false(b: &bool) -> bool {
    !*b
}

/// What a case's input is. Files without `kind` are open data (every file written before
/// message-push and Pay cases existed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    #[default]
    OpenData,
    Message,
    Pay,
}

fn is_open_data(k: &InputKind) -> bool {
    *k == InputKind::OpenData
}

/// The input of a case: the four open-data strings, or (by `kind`) a message push or a Pay
/// notification, plus any fields a newer tool added.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseInput {
    #[serde(default, skip_serializing_if = "is_open_data")]
    pub kind: InputKind,
    #[serde(default)]
    pub appid: String,
    #[serde(default)]
    pub session_key: String,
    #[serde(default)]
    pub iv: String,
    #[serde(default)]
    pub encrypted_data: String,
    /// The platform the open data comes from, when it was chosen (absent: detected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// The push, when `kind` is `message`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<MsgInput>,
    /// The notification, when `kind` is `pay`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay: Option<PayInput>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CaseInput {
    pub fn to_input(&self) -> Input {
        Input::new(
            &self.appid,
            &self.session_key,
            &self.iv,
            &self.encrypted_data,
        )
    }

    pub fn from_input(i: &Input) -> CaseInput {
        CaseInput {
            appid: i.appid.clone(),
            session_key: i.session_key.clone(),
            iv: i.iv.clone(),
            encrypted_data: i.encrypted_data.clone(),
            ..CaseInput::default()
        }
    }

    /// The input of a message-push case.
    pub fn from_message(m: &MsgInput) -> CaseInput {
        CaseInput {
            kind: InputKind::Message,
            message: Some(m.clone()),
            ..CaseInput::default()
        }
    }

    /// The input of a Pay case.
    pub fn from_pay(p: &PayInput) -> CaseInput {
        CaseInput {
            kind: InputKind::Pay,
            pay: Some(p.clone()),
            ..CaseInput::default()
        }
    }
}

/// The kind a case expects: an open-data kind (`phone_number`, …) or an envelope's (`message`,
/// `pay_transaction`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CaseKind {
    OpenData(Kind),
    Envelope(EnvelopeKind),
}

impl CaseKind {
    /// Every kind: the open-data ones, then the envelopes'.
    pub fn all() -> impl Iterator<Item = CaseKind> {
        Kind::ALL
            .into_iter()
            .map(CaseKind::OpenData)
            .chain(EnvelopeKind::ALL.into_iter().map(CaseKind::Envelope))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::OpenData(k) => k.as_str(),
            CaseKind::Envelope(k) => k.as_str(),
        }
    }

    /// Catalogue key of the kind's name.
    pub fn label_key(self) -> &'static str {
        match self {
            CaseKind::OpenData(k) => k.label_key(),
            CaseKind::Envelope(k) => k.label_key(),
        }
    }
}

/// What a fresh inspection must give for the case to pass.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Expect {
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<CaseKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One saved test case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub wxdecrypt_case: u32,
    pub name: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub created: String,
    pub input: CaseInput,
    pub expect: Expect,
    /// Fields this version does not know, kept on re-save.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
    /// Set by the writer when the expectation was redacted; informational.
    #[serde(default, skip_serializing_if = "is_false", rename = "redacted")]
    pub redacted: bool,
}

impl Case {
    /// A case recording `report` as the expectation for `input`.
    pub fn from_report(name: &str, notes: &str, input: &Input, report: &Report, now: i64) -> Case {
        Case {
            wxdecrypt_case: FORMAT,
            name: name.to_string(),
            notes: notes.to_string(),
            created: rfc3339_local(now),
            input: CaseInput {
                platform: report.detail.chosen_platform,
                ..CaseInput::from_input(input)
            },
            expect: Expect::from_report(report),
            extra: Map::new(),
            redacted: false,
        }
    }

    /// A message-push or Pay case recording `report` as the expectation for `input`.
    pub fn from_envelope(
        name: &str,
        notes: &str,
        input: CaseInput,
        report: &EnvelopeReport,
        now: i64,
    ) -> Case {
        Case {
            wxdecrypt_case: FORMAT,
            name: name.to_string(),
            notes: notes.to_string(),
            created: rfc3339_local(now),
            input,
            expect: Expect::from_findings(
                report.ok,
                report.kind.map(CaseKind::Envelope),
                report.data.as_ref(),
                &report.findings,
            ),
            extra: Map::new(),
            redacted: false,
        }
    }

    /// Keeps what a new save must not lose from the case it replaces: its creation time, every
    /// field this version does not know (at the top, in `input` and in `expect`), and its
    /// expectation as written (a chosen subset of codes, redacted data) when `report` still meets
    /// it.
    pub fn keep_from(&mut self, old: &Case, report: &Report) {
        self.keep_from_outcome(old, &check::Outcome::of_report(report));
    }

    /// [`Case::keep_from`] for any inspector's outcome.
    pub fn keep_from_outcome(&mut self, old: &Case, outcome: &check::Outcome<'_>) {
        self.extra = old.extra.clone();
        self.input.extra = old.input.extra.clone();
        self.expect.extra = old.expect.extra.clone();
        if !old.created.is_empty() {
            self.created = old.created.clone();
        }
        if check::differences(&old.expect, outcome, Lang::En).is_empty() {
            self.expect = old.expect.clone();
            self.redacted = old.redacted;
        }
    }

    /// Replaces phone numbers in the expected data with hash-checked placeholders.
    pub fn redact(&mut self) {
        if let Some(Value::Object(obj)) = &mut self.expect.data {
            for key in ["phoneNumber", "purePhoneNumber"] {
                if let Some(Value::String(s)) = obj.get_mut(key)
                    && !s.starts_with(REDACTED_PREFIX)
                {
                    *s = redacted(s);
                    self.redacted = true;
                }
            }
        }
    }
}

impl Expect {
    /// The expectation a report meets: kind and data when ok, the error codes when not.
    pub fn from_report(report: &Report) -> Expect {
        Expect::from_findings(
            report.ok,
            report.kind.map(CaseKind::OpenData),
            report.data.as_ref(),
            &report.findings,
        )
    }

    /// The expectation of any inspector's verdict, kind, data and findings.
    pub fn from_findings(
        ok: bool,
        kind: Option<CaseKind>,
        data: Option<&Value>,
        findings: &[crate::Finding],
    ) -> Expect {
        if ok {
            Expect {
                ok: true,
                kind,
                data: data.cloned(),
                codes: Vec::new(),
                extra: Map::new(),
            }
        } else {
            let mut codes: Vec<String> = Vec::new();
            for f in findings {
                if f.severity == crate::Severity::Error
                    && !codes.iter().any(|c| c == f.code.as_str())
                {
                    codes.push(f.code.as_str().to_string());
                }
            }
            Expect {
                ok: false,
                kind: None,
                data: None,
                codes,
                extra: Map::new(),
            }
        }
    }
}

fn rfc3339_local(now: i64) -> String {
    chrono::DateTime::from_timestamp(now, 0)
        .map(|utc| {
            utc.with_timezone(&chrono::Local)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
        })
        .unwrap_or_default()
}
