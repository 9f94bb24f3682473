//! `POST /wxdecrypt/v1/reencrypt`: the request's payload decrypted (with the same keys as
//! inspect), its data replaced or edited (`set: ["phoneNumber=139…"]`), encrypted again with the
//! same session_key and iv (a new iv on request), checked by decrypting it back, and written into
//! the request where and how it travelled ([`rewrite`](crate::capture::rewrite)).

use serde::Deserialize;
use serde_json::{Value, json};

use super::wire::{self, WireRequest};
use super::{ApiError, ApiState};
use crate::capture::rewrite;
use crate::finding::Field;
use crate::i18n::Lang;
use crate::inspected::Inspected;
use crate::opendata::tamper::{self, Reencrypt};
use crate::opendata::{Input, Options, Report, assign, inspect};
use crate::pair;
use crate::platform::Platform;
use crate::serve::{Reply, ServeConfig, ServeEvent};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReencryptRequest {
    id: Option<String>,
    request: WireRequest,
    /// Which open-data payload of the request (0: the first).
    #[serde(default)]
    item: usize,
    /// The whole new data (else the data as it decrypted).
    data: Option<Value>,
    /// Edits applied after `data`: `path=value`.
    #[serde(default)]
    set: Vec<String>,
    #[serde(default)]
    new_iv: bool,
    #[serde(default)]
    refresh_timestamp: bool,
    lang: Option<Lang>,
}

pub(super) fn answer(
    req: ReencryptRequest,
    cfg: &ServeConfig,
    state: &ApiState,
    now: i64,
    event: &mut ServeEvent,
) -> Result<(Reply, Option<Inspected>), ApiError> {
    let lang = req.lang.unwrap_or(cfg.lang);
    let opts = Options::new(now, lang);
    let ex = wire::exchange(req.id, req.request, None);
    let result = {
        let live = state.live.read().map_err(|_| ApiError::internal(lang))?;
        let found = live.read(&ex);
        live.inspect(found, cfg.appid.as_deref(), &cfg.keyring, &opts)
    };
    let opened: Vec<_> = result
        .items
        .iter()
        .filter_map(|(_, item)| match &item.inspected {
            Inspected::OpenData { input, report } => Some((input, report.as_ref(), item)),
            Inspected::Envelope { .. } => None,
        })
        .collect();
    let Some(&(input, report, item)) = opened.get(req.item) else {
        let count = opened.len().to_string();
        return Err(ApiError::new(
            422,
            "api.no_payload",
            lang.fmt("api.error.no_payload", &[("count", &count)]),
        ));
    };
    if !pair::opened(report) {
        let mut e = ApiError::new(
            422,
            "api.not_decrypted",
            lang.fmt(
                "api.error.not_decrypted",
                &[(
                    "outcome",
                    &crate::present::report_outcome(report, lang, true),
                )],
            ),
        );
        e.finding = report.primary().and_then(|f| serde_json::to_value(f).ok());
        return Err(e);
    }

    let data = new_data(report, req.data, &req.set, lang)?;
    let edited = match &data {
        Value::String(s) if report.data.is_none() => s.clone(),
        v => v.to_string(),
    };
    let enc = tamper::reencrypt(&Reencrypt {
        edited: &edited,
        original: report.data.as_ref(),
        session_key: &input.session_key,
        iv: (!req.new_iv).then_some(input.iv.trim()),
        refresh_timestamp: req.refresh_timestamp.then_some(now),
        now,
        platform: report.platform,
        app_key: (report.platform == Platform::Baidu)
            .then_some(input.appid.trim())
            .filter(|a| !a.is_empty()),
    })
    .map_err(|e| ApiError::new(400, "api.encrypt", e.message(lang)))?;

    let mut values = vec![(
        Field::EncryptedData,
        input.encrypted_data.as_str(),
        enc.encrypted_data.as_str(),
    )];
    if enc.iv != input.iv.trim() {
        values.push((Field::Iv, input.iv.as_str(), enc.iv.as_str()));
    }
    let rewritten = rewrite::rewrite(&ex.request, &values)
        .map_err(|e| ApiError::new(422, "api.not_located", e.message(lang)))?;

    // The new payload read back with the same key: what the backend will make of it.
    let new_input = Input {
        encrypted_data: enc.encrypted_data.clone(),
        iv: enc.iv.clone(),
        ..input.clone()
    };
    let check = inspect(&new_input, &opts);
    let changed: Vec<Value> = rewritten
        .changed
        .iter()
        .map(|(f, place)| json!({ "field": f.as_str(), "in": place }))
        .collect();
    let codes: Vec<String> = check.codes().iter().map(|c| c.to_string()).collect();
    let reply = Reply {
        status: 200,
        body: json!({
            "request": { "url": rewritten.url, "body": rewritten.body },
            "changed": changed,
            "encryptedData": enc.encrypted_data,
            "iv": enc.iv,
            "data": check.data,
            "key_from": item.key_from,
            "check": { "ok": check.ok, "codes": codes, "official_code": check.official_code },
        }),
        text: None,
        codes,
    };
    let inspected = Inspected::open_data(new_input, check);
    event.record(&inspected, item.key_from.clone());
    Ok((reply, Some(inspected)))
}

/// The data to encrypt: `data` or the data as it decrypted (its text when it was not JSON), with
/// the edits applied in order.
fn new_data(
    report: &Report,
    data: Option<Value>,
    set: &[String],
    lang: Lang,
) -> Result<Value, ApiError> {
    let base = data
        .or_else(|| report.data.clone())
        .or_else(|| report.plaintext.clone().map(Value::String))
        .unwrap_or(Value::Null);
    let mut edits = Vec::with_capacity(set.len());
    for a in set {
        let (path, value) = assign::split(a)
            .map_err(|e| ApiError::new(400, "api.bad_assignment", e.message(lang)))?;
        edits.push((path.to_string(), value.to_string()));
    }
    assign::apply_all(&base, &edits)
        .map_err(|e| ApiError::new(400, "api.bad_assignment", e.message(lang)))
}
