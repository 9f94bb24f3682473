//! What an inspection gives: the report (the `--json` contract) and the detail viewers need.

use serde::Serialize;
use serde_json::Value;

use crate::finding::{Code, Field, Finding, Repair, Severity};
use crate::opendata::cipher::Padding;
use crate::opendata::interpret::{Kind, Watermark};
use crate::opendata::official::Samples;
use crate::platform::Platform;

/// Which key/iv produced the reported data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decryption {
    /// Nothing was decrypted.
    #[default]
    None,
    /// The inputs as given (after repairs).
    AsGiven,
    /// The iv computed from the known first block (`suggested_iv`).
    SuggestedIv,
    /// session_key and iv exchanged.
    Swapped,
}

/// What the GUI needs beyond the JSON report: per-field state and the raw bytes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detail {
    /// Per input field (order of [`Field::INPUTS`]): the repaired text and the decoded length.
    pub normalized: [Option<String>; 4],
    pub decoded_len: [Option<usize>; 4],
    /// The ciphertext bytes as decoded.
    pub ciphertext: Vec<u8>,
    /// The bytes decrypted with the key and iv as given (padding included, noise included).
    pub decrypted: Vec<u8>,
    /// Padding state of `decrypted` (None when nothing was decrypted).
    pub padding: Option<Padding>,
    /// Per block of `decrypted`: whether it reads as text.
    pub text_blocks: Vec<bool>,
    /// Which key/iv produced `plaintext` and `data`.
    pub decryption: Decryption,
    /// The platform the user chose (`None`: detected); a saved case keeps it.
    pub chosen_platform: Option<Platform>,
}

/// The result of one inspection. Serializes to the `--json` report contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub ok: bool,
    pub kind: Option<Kind>,
    /// The official PHP sample's code (kept for scripts; `official.php.code`).
    pub official_code: i32,
    /// What each common backend (the official PHP and Node.js samples, JDK Java) does with the
    /// strings as received: its code, or the exception it throws.
    pub official: Samples,
    pub plaintext: Option<String>,
    pub data: Option<Value>,
    pub watermark: Option<Watermark>,
    pub findings: Vec<Finding>,
    pub repairs: Vec<Repair>,
    pub suggested_iv: Option<String>,
    /// The platform the payload was read as (chosen, or detected from the inputs).
    pub platform: Platform,
    #[serde(skip)]
    pub detail: Detail,
    /// `plaintext` is a JSON object (with lean options, it stands for `data`).
    #[serde(skip)]
    pub plaintext_is_object: bool,
}

impl Report {
    /// The finding that explains the verdict: the first error, else the first warning.
    pub fn primary(&self) -> Option<&Finding> {
        crate::finding::primary(&self.findings)
    }

    /// The worst severity among findings about `field` (None when nothing is said about it).
    pub fn field_severity(&self, field: Field) -> Option<Severity> {
        self.findings
            .iter()
            .filter(|f| f.field == field)
            .map(|f| f.severity)
            .max()
    }

    pub fn has(&self, code: Code) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }

    pub fn codes(&self) -> Vec<&'static str> {
        self.findings.iter().map(|f| f.code.as_str()).collect()
    }
}
