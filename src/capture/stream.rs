//! Pairing while reading: a payload that its own key or its client's key seen before it opens is
//! decided at once and handed on (nothing later can change that: those keys are tried first, see
//! [`pair::pair_early`]); the others wait for the end of the capture, when every key is known.
//! Memory holds the keys and the waiting payloads, not every result. Message pushes and Pay
//! notifications are opened only by the key ring (captures never carry their keys): each is
//! decided as soon as it is read.

use rayon::prelude::*;

use crate::inspected::Inspected;
use crate::opendata::Options;
use crate::pair::envelope::{PairedEnvelope, pair_envelope};
use crate::pair::{self, KeyIndex, Paired, Payload};

use super::{Found, FoundEnvelope, FoundPayload, ScanItem, ScanOptions};

/// Takes the payloads and keys of captures as they are read and hands each payload on, inspected,
/// with its position among the records (`seq`).
pub(super) struct Pairing<'e> {
    index: KeyIndex,
    so: &'e ScanOptions,
    opts: Options,
    /// The appid of the first `jscode2session` request seen: checked for keys that name none.
    fallback_appid: Option<String>,
    waiting: Vec<FoundPayload>,
    emit: &'e mut dyn FnMut(usize, ScanItem),
}

impl<'e> Pairing<'e> {
    pub fn new(so: &'e ScanOptions, emit: &'e mut dyn FnMut(usize, ScanItem)) -> Pairing<'e> {
        Pairing {
            index: KeyIndex::default(),
            so,
            opts: so.inspect.unwrap_or_else(Options::now),
            fallback_appid: None,
            waiting: Vec::new(),
            emit,
        }
    }

    /// Takes the keys and payloads gathered so far out of `found`.
    pub fn take(&mut self, found: &mut Found) {
        if self.fallback_appid.is_none() {
            self.fallback_appid = found.appids.first().cloned();
        }
        self.index.extend(found.keys.drain(..));
        for e in std::mem::take(&mut found.envelopes) {
            let paired = pair_envelope(&e.input, &self.so.keyring, &self.opts);
            (self.emit)(e.seq, envelope_item(e, paired));
        }
        for p in std::mem::take(&mut found.payloads) {
            // Without an appid of its own, the payload's result may depend on an appid found
            // later: it waits.
            if self.fallback_appid.is_some() || !appid_of(&p, self.so).is_empty() {
                let early = with_payload(&p, self.so, self.fallback_appid.as_deref(), |payload| {
                    pair::pair_early(payload, &self.index, &self.opts)
                });
                if let Some(paired) = early {
                    (self.emit)(p.seq, item(p, paired));
                    continue;
                }
            }
            self.waiting.push(p);
        }
    }

    /// Pairs the payloads that waited with every key and the key ring, hands them on in order,
    /// and gives back the keys seen.
    pub fn finish(self) -> Vec<crate::pair::SeenKey> {
        let Pairing {
            index,
            so,
            opts,
            fallback_appid,
            waiting,
            emit,
        } = self;
        let fallback = fallback_appid.as_deref();
        let items: Vec<(usize, ScanItem)> = waiting
            .into_par_iter()
            .map(|p| {
                let paired = with_payload(&p, so, fallback, |payload| {
                    pair::pair(payload, &index, &so.keyring, &opts)
                });
                (p.seq, item(p, paired))
            })
            .collect();
        for (seq, it) in items {
            emit(seq, it);
        }
        index.into_keys()
    }
}

/// The appid a payload is inspected with: its own, the one found next to it, or `--appid`.
fn appid_of<'a>(p: &'a FoundPayload, so: &'a ScanOptions) -> &'a str {
    if !p.input.appid.is_empty() {
        return &p.input.appid;
    }
    p.appid_hint
        .as_deref()
        .or(so.appid.as_deref())
        .unwrap_or_default()
}

/// Calls `f` with the payload as [`pair`](pair::pair) takes it (its appid filled in).
pub(super) fn with_payload<T>(
    p: &FoundPayload,
    so: &ScanOptions,
    capture_appid: Option<&str>,
    f: impl FnOnce(Payload<'_>) -> T,
) -> T {
    let mut input = p.input.clone();
    if input.appid.is_empty() {
        input.appid = appid_of(p, so).to_string();
    }
    f(Payload {
        input: &input,
        clients: &p.clients,
        seq: p.seq,
        fallback_appid: capture_appid,
    })
}

pub(super) fn item(p: FoundPayload, paired: Paired) -> ScanItem {
    let Paired {
        input,
        report,
        key_from,
        keys_tried,
    } = paired;
    ScanItem {
        source: p.source,
        url: p.url,
        method: p.method,
        time: p.time,
        inspected: Inspected::open_data(input, report),
        key_from,
        keys_tried,
        notes: p.notes,
    }
}

pub(super) fn envelope_item(e: FoundEnvelope, paired: PairedEnvelope) -> ScanItem {
    let PairedEnvelope {
        input,
        report,
        key_from,
        keys_tried,
    } = paired;
    ScanItem {
        source: e.source,
        url: e.url,
        method: e.method,
        time: e.time,
        inspected: Inspected::envelope(input, report),
        key_from,
        keys_tried,
        notes: Vec::new(),
    }
}
