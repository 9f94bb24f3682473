//! `POST /wxdecrypt/v1/inspect`: one exchange read as `scan` reads an entry of a capture; its
//! session keys remembered (unless `remember` is false), its payloads paired with its own key, the
//! keys remembered and the key ring, and each answered with its result; the decrypted ones saved
//! as cases in `save_cases` when asked.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Value, json};

use super::wire::{self, WireRequest, WireResponse};
use super::{ApiError, ApiState};
use crate::capture::ScanItem;
use crate::capture::live::Side;
use crate::i18n::Lang;
use crate::inspected::Inspected;
use crate::opendata::Options;
use crate::serve::{Reply, ServeConfig, ServeEvent};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct InspectRequest {
    id: Option<String>,
    request: WireRequest,
    response: Option<WireResponse>,
    #[serde(default = "yes")]
    remember: bool,
    lang: Option<Lang>,
    #[serde(default)]
    show: bool,
    save_cases: Option<PathBuf>,
    #[serde(default)]
    redact: bool,
}

fn yes() -> bool {
    true
}

pub(super) fn answer(
    req: InspectRequest,
    cfg: &ServeConfig,
    state: &ApiState,
    now: i64,
    event: &mut ServeEvent,
) -> Result<(Reply, Option<Inspected>), ApiError> {
    let lang = req.lang.unwrap_or(cfg.lang);
    let ex = wire::exchange(req.id, req.request, req.response);
    let opts = Options::new(now, lang);

    // Keys are learned under the write lock, briefly; payloads are paired and decrypted under
    // the read lock, so requests are inspected side by side.
    let (found, keys) = if req.remember {
        let mut live = state.live.write().map_err(|_| ApiError::internal(lang))?;
        let mut found = live.read(&ex);
        let keys = live.learn(&mut found);
        (found, keys)
    } else {
        let live = state.live.read().map_err(|_| ApiError::internal(lang))?;
        let found = live.read(&ex);
        let keys = live.peek(&found);
        (found, keys)
    };
    let (result, session) = {
        let live = state.live.read().map_err(|_| ApiError::internal(lang))?;
        let result = live.inspect(found, cfg.appid.as_deref(), &cfg.keyring, &opts);
        (result, (live.keys(), live.exchanges()))
    };

    // Each item's human text, made once for its JSON and its side's view.
    let texts: Vec<String> = result
        .items
        .iter()
        .map(|(_, item)| crate::present::text::inspected_text(&item.inspected, lang))
        .collect();
    let mut items = Vec::with_capacity(result.items.len());
    for ((side, item), text) in result.items.iter().zip(&texts) {
        let mut v = wire::item_json(*side, item, text, lang, req.show);
        if let (Some(dir), true, Value::Object(m)) = (&req.save_cases, item.inspected.ok(), &mut v)
        {
            match save(dir, item, req.redact, lang, now) {
                Ok(path) => m.insert("case".into(), json!(path.display().to_string())),
                Err(e) => m.insert("case_error".into(), json!(e)),
            };
        }
        items.push(v);
    }
    let answers: Vec<Value> = result
        .server_answers
        .iter()
        .map(|a| {
            json!({
                "errcode": a.error.errcode,
                "errmsg": a.error.errmsg,
                "finding": a.error.finding(lang),
            })
        })
        .collect();

    let views = super::view::views(&result.items, &texts, &keys, &result.server_answers, lang);
    fill_event(event, &result.items, keys.len(), lang);
    let inspected = result.items.first().map(|(_, i)| i.inspected.clone());
    let reply = Reply {
        status: 200,
        body: json!({
            "items": items,
            "keys": keys,
            "server_answers": answers,
            "views": views,
            "session": { "keys": session.0, "exchanges": session.1 },
        }),
        text: None,
        codes: result
            .items
            .iter()
            .flat_map(|(_, i)| i.inspected.codes())
            .map(str::to_string)
            .collect(),
    };
    Ok((reply, inspected))
}

/// The event of an inspect call: the first payload that failed (else the first), or a note of
/// the keys learned when the exchange held no payload.
fn fill_event(event: &mut ServeEvent, items: &[(Side, ScanItem)], keys: usize, lang: Lang) {
    let shown = items
        .iter()
        .find(|(_, i)| !i.inspected.ok())
        .or_else(|| items.first());
    match shown {
        Some((_, item)) => event.record(&item.inspected, item.key_from.clone()),
        None => {
            event.ok = true;
            event.note = Some(lang.fmt("api.note.no_payload", &[("keys", &keys.to_string())]));
        }
    }
}

/// Saves a decrypted item as a case in `dir` (created when missing), never over a file.
fn save(
    dir: &Path,
    item: &ScanItem,
    redact: bool,
    lang: Lang,
    now: i64,
) -> Result<PathBuf, String> {
    let name = lang.fmt(
        "captures.case_name",
        &[("source", &item.source.to_string())],
    );
    let mut case = item
        .inspected
        .to_case(&name, item.url.as_deref().unwrap_or_default(), now);
    if redact {
        case.redact();
    }
    std::fs::create_dir_all(dir)
        .and_then(|()| crate::case::save_new(dir, &name, &case))
        .map_err(|e| {
            lang.fmt(
                "api.error.save_case",
                &[
                    ("folder", &dir.display().to_string()),
                    ("error", &e.to_string()),
                ],
            )
        })
}
