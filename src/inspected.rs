//! What any inspector made of one payload: open data, a message push or a Pay notification, its
//! input and its report, with the few facts every list of them shows (verdict, kind, official
//! code, data, codes). Scans and the local endpoint hand these around.

use serde_json::Value;

use crate::case::{Case, CaseInput, CaseKind, InputKind};
use crate::envelope::{EnvelopeInput, EnvelopeReport};
use crate::finding::Finding;
use crate::opendata::{Input, Report};

/// One payload inspected.
#[derive(Debug, Clone, PartialEq)]
pub enum Inspected {
    OpenData {
        input: Input,
        report: Box<Report>,
    },
    Envelope {
        input: EnvelopeInput,
        report: Box<EnvelopeReport>,
    },
}

impl Inspected {
    pub fn open_data(input: Input, report: Report) -> Inspected {
        Inspected::OpenData {
            input,
            report: Box::new(report),
        }
    }

    pub fn envelope(input: EnvelopeInput, report: EnvelopeReport) -> Inspected {
        Inspected::Envelope {
            input,
            report: Box::new(report),
        }
    }

    /// Which inspector: `open_data`, `message` or `pay` (a case's `input.kind`).
    pub fn payload(&self) -> InputKind {
        match self {
            Inspected::OpenData { .. } => InputKind::OpenData,
            Inspected::Envelope {
                input: EnvelopeInput::Message(_),
                ..
            } => InputKind::Message,
            Inspected::Envelope {
                input: EnvelopeInput::Pay(_),
                ..
            } => InputKind::Pay,
        }
    }

    pub fn ok(&self) -> bool {
        match self {
            Inspected::OpenData { report, .. } => report.ok,
            Inspected::Envelope { report, .. } => report.ok,
        }
    }

    pub fn kind(&self) -> Option<CaseKind> {
        match self {
            Inspected::OpenData { report, .. } => report.kind.map(CaseKind::OpenData),
            Inspected::Envelope { report, .. } => report.kind.map(CaseKind::Envelope),
        }
    }

    /// The official code the backend's own code gives (always one for open data; the message
    /// sample's code, none for Pay).
    pub fn official_code(&self) -> Option<i32> {
        match self {
            Inspected::OpenData { report, .. } => Some(report.official_code),
            Inspected::Envelope { report, .. } => report.official_code,
        }
    }

    pub fn data(&self) -> Option<&Value> {
        match self {
            Inspected::OpenData { report, .. } => report.data.as_ref(),
            Inspected::Envelope { report, .. } => report.data.as_ref(),
        }
    }

    pub fn findings(&self) -> &[Finding] {
        match self {
            Inspected::OpenData { report, .. } => &report.findings,
            Inspected::Envelope { report, .. } => &report.findings,
        }
    }

    /// The finding that explains the verdict.
    pub fn primary(&self) -> Option<&Finding> {
        crate::finding::primary(self.findings())
    }

    pub fn codes(&self) -> Vec<&'static str> {
        self.findings().iter().map(|f| f.code.as_str()).collect()
    }

    /// The open-data input and report, when it is open data.
    pub fn as_open_data(&self) -> Option<(&Input, &Report)> {
        match self {
            Inspected::OpenData { input, report } => Some((input, report)),
            Inspected::Envelope { .. } => None,
        }
    }

    /// A case recording this result as the expectation for its input.
    pub fn to_case(&self, name: &str, notes: &str, now: i64) -> Case {
        match self {
            Inspected::OpenData { input, report } => {
                Case::from_report(name, notes, input, report, now)
            }
            Inspected::Envelope { report, .. } => {
                Case::from_envelope(name, notes, self.case_input(), report, now)
            }
        }
    }

    /// The input as a case records it.
    pub fn case_input(&self) -> CaseInput {
        match self {
            Inspected::OpenData { input, .. } => CaseInput::from_input(input),
            Inspected::Envelope {
                input: EnvelopeInput::Message(m),
                ..
            } => CaseInput::from_message(m),
            Inspected::Envelope {
                input: EnvelopeInput::Pay(p),
                ..
            } => CaseInput::from_pay(p),
        }
    }
}
