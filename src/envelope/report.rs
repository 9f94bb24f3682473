//! The shared report of the message-push and Pay inspectors: the same `findings` / `repairs` /
//! `official_code` contract as the open-data [`Report`](crate::Report), with what these
//! envelopes carry instead of a watermark (the receive id, the associated data, the reply the
//! official handler sends).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::finding::{Code, Field, Finding, Repair, Severity};

/// What an envelope turned out to hold. The strings are a public contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvelopeKind {
    /// A pushed message (`<Encrypt>` of an XML body, `Encrypt` of a JSON one).
    Message,
    /// The URL check's `echostr`.
    Echostr,
    /// A Pay APIv3 payment notification (`TRANSACTION.*`).
    PayTransaction,
    /// A Pay APIv3 refund notification (`REFUND.*`).
    PayRefund,
    /// A platform certificate from `/v3/certificates`.
    PayCertificate,
    /// Another Pay APIv3 notification (complaints, pay score, …).
    PayNotification,
    /// A Pay APIv2 refund notification (`req_info`).
    PayV2Refund,
}

impl EnvelopeKind {
    pub const ALL: [EnvelopeKind; 7] = [
        EnvelopeKind::Message,
        EnvelopeKind::Echostr,
        EnvelopeKind::PayTransaction,
        EnvelopeKind::PayRefund,
        EnvelopeKind::PayCertificate,
        EnvelopeKind::PayNotification,
        EnvelopeKind::PayV2Refund,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EnvelopeKind::Message => "message",
            EnvelopeKind::Echostr => "echostr",
            EnvelopeKind::PayTransaction => "pay_transaction",
            EnvelopeKind::PayRefund => "pay_refund",
            EnvelopeKind::PayCertificate => "pay_certificate",
            EnvelopeKind::PayNotification => "pay_notification",
            EnvelopeKind::PayV2Refund => "pay_v2_refund",
        }
    }

    /// Catalogue key of the kind's name.
    pub fn label_key(self) -> &'static str {
        match self {
            EnvelopeKind::Message => "envelope.kind.message",
            EnvelopeKind::Echostr => "envelope.kind.echostr",
            EnvelopeKind::PayTransaction => "envelope.kind.pay_transaction",
            EnvelopeKind::PayRefund => "envelope.kind.pay_refund",
            EnvelopeKind::PayCertificate => "envelope.kind.pay_certificate",
            EnvelopeKind::PayNotification => "envelope.kind.pay_notification",
            EnvelopeKind::PayV2Refund => "envelope.kind.pay_v2_refund",
        }
    }
}

/// What one official sample or SDK does with the envelope as received: its code (the message
/// samples return numbers), or the error its log shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackendSays {
    /// Which code: `php` (the official WXBizMsgCrypt sample), `java`, `go`, `node`, `python`.
    pub backend: &'static str,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i32>,
    /// The constant's name or the error text, as the backend logs it.
    pub says: String,
}

/// The per-field texts a viewer highlights, and the decrypted bytes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnvelopeDetail {
    /// Each field the inspector read, as it read it (after repairs).
    pub texts: Vec<(Field, String)>,
    /// The bytes decrypted with the key as given (framing and padding included).
    pub decrypted: Vec<u8>,
}

/// The result of inspecting one message push or Pay notification. Serializes to the `--json`
/// contract of `wxdecrypt msg` and `wxdecrypt pay`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnvelopeReport {
    pub ok: bool,
    pub kind: Option<EnvelopeKind>,
    /// The official sample's code (message push: `WXBizMsgCrypt`'s -40001…-40011, 0 when it
    /// accepts); `null` for Pay, whose SDKs throw instead.
    pub official_code: Option<i32>,
    /// What each official sample or SDK says, in its own words.
    pub official: Vec<BackendSays>,
    pub plaintext: Option<String>,
    pub data: Option<Value>,
    /// Message push: the receive id found at the end of the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receive_id: Option<String>,
    /// Message push: the `msg_signature` the token, timestamp, nonce and Encrypt give.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_signature: Option<String>,
    /// Pay: the associated data the tag verifies with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub associated_data: Option<String>,
    /// What the official handler answers once this is accepted (`success`, the echostr, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    pub findings: Vec<Finding>,
    pub repairs: Vec<Repair>,
    #[serde(skip)]
    pub detail: EnvelopeDetail,
}

impl EnvelopeReport {
    /// An empty report (nothing decrypted, nothing found).
    pub fn new() -> EnvelopeReport {
        EnvelopeReport {
            ok: false,
            kind: None,
            official_code: None,
            official: Vec::new(),
            plaintext: None,
            data: None,
            receive_id: None,
            expected_signature: None,
            associated_data: None,
            reply: None,
            findings: Vec::new(),
            repairs: Vec::new(),
            detail: EnvelopeDetail::default(),
        }
    }

    /// The finding that explains the verdict: the first error, else the first warning.
    pub fn primary(&self) -> Option<&Finding> {
        crate::finding::primary(&self.findings)
    }

    pub fn has(&self, code: Code) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }

    pub fn codes(&self) -> Vec<&'static str> {
        self.findings.iter().map(|f| f.code.as_str()).collect()
    }

    /// Orders the findings (root causes first, then discovery order) and sets `ok`: something was
    /// decrypted and no error stands (the reply is dropped otherwise).
    pub fn finish(&mut self) {
        self.findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        self.ok = self.plaintext.is_some()
            && !self.findings.iter().any(|f| f.severity == Severity::Error);
        // The handler answers only what it accepts.
        if !self.ok {
            self.reply = None;
        }
    }
}

impl Default for EnvelopeReport {
    fn default() -> Self {
        EnvelopeReport::new()
    }
}
