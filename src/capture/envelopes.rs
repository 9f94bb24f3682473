//! Message pushes and Pay notifications in a record: a request that is one (as
//! [`EnvelopeInput::from_request`] tells), a log line or JSON record holding such a body, or a
//! certificate download answer (`encrypt_certificate`); and a WeChat server's error answer.

use crate::envelope::EnvelopeInput;
use crate::privacy;

use super::Found;
use super::FoundEnvelope;
use super::record::Record;
use crate::pair::Source;

/// Adds the WeChat server error answer `rec` carries (in its response or log line), if any.
pub(super) fn find_server_answer(rec: &Record, source: &Source, found: &mut Found) {
    let texts = [rec.response.as_deref(), rec.text.as_deref()];
    let error = texts
        .into_iter()
        .flatten()
        .filter(|t| t.contains("\"errcode\""))
        .find_map(crate::server::find_error);
    if let Some(error) = error {
        found.server_answers.push(super::ServerAnswer {
            source: source.clone(),
            url: rec.url.as_deref().map(privacy::redact_url),
            error,
        });
    }
}

/// Finds the envelopes `rec` carries and adds them to `found`.
pub(super) fn find(rec: &Record, source: &Source, seq: usize, found: &mut Found) {
    let query = rec
        .url
        .as_deref()
        .and_then(|u| u.split_once('?'))
        .map(|(_, q)| q.split('#').next().unwrap_or(q));
    let mut add = |input| {
        found.envelopes.push(FoundEnvelope {
            source: source.clone(),
            url: rec.url.as_deref().map(privacy::redact_url),
            method: rec.method.clone(),
            time: rec.time.clone(),
            input,
            seq,
        })
    };
    let body = rec.body.as_deref().or(rec.text.as_deref()).unwrap_or("");
    if let Some(e) = EnvelopeInput::from_request(query, body) {
        add(e);
    }
    // The platform certificates come in an answer.
    if let Some(r) = rec.response.as_deref()
        && r.contains("encrypt_certificate")
        && let Some(e) = EnvelopeInput::from_request(None, r)
    {
        add(e);
    }
}
