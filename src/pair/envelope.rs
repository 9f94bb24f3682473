//! Pairing keys with message pushes and Pay notifications: the envelope's own key, then the key
//! ring's keys of its kind in order; the first that opens it wins. Captures never carry these keys
//! (they live in the console and the server's configuration), so there is no nearest-key search.

use super::KeyFrom;
use crate::envelope::{EnvelopeInput, EnvelopeReport};
use crate::keyring::{Keyring, KeyringEntry};
use crate::opendata::Options;

/// The outcome of pairing an envelope: the input inspected (with the key that opened it, or the
/// first key tried), its report, where the key came from and how many keys were tried.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedEnvelope {
    pub input: EnvelopeInput,
    pub report: EnvelopeReport,
    /// None when no key opened it.
    pub key_from: Option<KeyFrom>,
    pub keys_tried: usize,
}

/// Whether the key opened the envelope: the message's frame or the notification's text came out
/// (a wrong receive id, signature or associated data is a finding about a key that fits).
pub fn opened(report: &EnvelopeReport) -> bool {
    report.plaintext.is_some()
}

/// Tries the envelope's own key, then the `keyring`'s keys of its kind, and returns the first
/// that opens it; when none does, the diagnosis with the first key tried (or with no key). A
/// plain-mode push, which no key opens, is answered without trying any.
pub fn pair_envelope(
    input: &EnvelopeInput,
    keyring: &[KeyringEntry],
    opts: &Options,
) -> PairedEnvelope {
    let done = |input: EnvelopeInput, report, key_from, keys_tried| PairedEnvelope {
        input,
        report,
        key_from,
        keys_tried,
    };
    let own = input.inspect(opts);
    let tried_own = input.has_key();
    if opened(&own) {
        let from = tried_own.then_some(KeyFrom::SameRequest);
        return done(input.clone(), own, from, usize::from(tried_own));
    }
    let mut tried = usize::from(tried_own);
    let mut first = tried_own.then(|| (input.clone(), own.clone()));
    for (index, entry) in Keyring::of_type(keyring, input.key_type()) {
        let candidate = input.with_key(entry);
        let report = candidate.inspect(opts);
        tried += 1;
        if opened(&report) {
            let from = KeyFrom::Keyring {
                index,
                label: entry.label.clone(),
            };
            return done(candidate, report, Some(from), tried);
        }
        first.get_or_insert((candidate, report));
    }
    let (input, report) = first.unwrap_or_else(|| (input.clone(), own));
    done(input, report, None, tried)
}
