//! The API's JSON shapes: the exchange a client sends (request, response, headers as pairs or an
//! object) and the item it gets back for each payload (the `scan --json` object and more).

use serde::Deserialize;
use serde_json::{Value, json};

use crate::capture::ScanItem;
use crate::capture::live::{Exchange, HttpRequest, HttpResponse, Side};
use crate::i18n::Lang;
use crate::inspected::Inspected;

/// Headers as `[["name", "value"], …]` (repeats kept, in order) or `{"name": "value"}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(super) enum Headers {
    Pairs(Vec<(String, String)>),
    Object(serde_json::Map<String, Value>),
}

impl Default for Headers {
    fn default() -> Self {
        Headers::Pairs(Vec::new())
    }
}

impl Headers {
    fn into_pairs(self) -> Vec<(String, String)> {
        match self {
            Headers::Pairs(p) => p,
            Headers::Object(m) => m
                .into_iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    (k, v)
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WireRequest {
    #[serde(default)]
    pub method: String,
    pub url: String,
    #[serde(default)]
    pub headers: Headers,
    #[serde(default)]
    pub body: String,
}

impl WireRequest {
    pub fn into_request(self) -> HttpRequest {
        HttpRequest {
            method: self.method,
            url: self.url,
            headers: self.headers.into_pairs(),
            body: self.body,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WireResponse {
    #[serde(default)]
    pub status: u16,
    #[serde(default)]
    pub headers: Headers,
    #[serde(default)]
    pub body: String,
}

/// An exchange from its wire parts.
pub(super) fn exchange(
    id: Option<String>,
    req: WireRequest,
    resp: Option<WireResponse>,
) -> Exchange {
    Exchange {
        id: id.unwrap_or_default(),
        request: req.into_request(),
        response: resp.map(|r| HttpResponse {
            status: r.status,
            headers: r.headers.into_pairs(),
            body: r.body,
        }),
    }
}

/// The report of an item as its `--json` command prints it.
pub(super) fn report_json(i: &Inspected) -> Value {
    match i {
        Inspected::OpenData { report, .. } => serde_json::to_value(report),
        Inspected::Envelope { report, .. } => serde_json::to_value(report),
    }
    .unwrap_or(Value::Null)
}

/// One item of an inspect answer: the `scan --json` object, the side it travelled in, a one-line
/// summary (phone numbers masked unless `show`), the full report and its human `text`.
pub(super) fn item_json(side: Side, item: &ScanItem, text: &str, lang: Lang, show: bool) -> Value {
    let mut v = item.to_json();
    if let Value::Object(m) = &mut v {
        m.insert("side".into(), json!(side));
        m.insert(
            "summary".into(),
            json!(crate::present::inspected_outcome(
                &item.inspected,
                lang,
                !show
            )),
        );
        m.insert("keys_tried".into(), json!(item.keys_tried));
        m.insert("report".into(), report_json(&item.inspected));
        m.insert("text".into(), json!(text));
    }
    v
}
