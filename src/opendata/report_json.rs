//! The report as JSON, written by hand: byte for byte what `serde_json` writes for [`Report`]
//! (the `decrypt --json` object), several times faster, for `batch` and anything else that writes
//! reports by the million. `tests/cli/batch_output.rs` holds it to the serde output.

use serde_json::Value;

use crate::opendata::Report;
use crate::opendata::official::{SampleOutcome, Samples};
use erased::Put as _;

/// The report's top-level fields, in the order every report writes them (the `--json` object).
pub const FIELDS: [&str; 11] = [
    "ok",
    "kind",
    "official_code",
    "official",
    "plaintext",
    "data",
    "watermark",
    "findings",
    "repairs",
    "suggested_iv",
    "platform",
];

// Positions in [`FIELDS`].
const F_OK: usize = 0;
const F_KIND: usize = 1;
const F_OFFICIAL_CODE: usize = 2;
const F_OFFICIAL: usize = 3;
const F_PLAINTEXT: usize = 4;
const F_DATA: usize = 5;
const F_WATERMARK: usize = 6;
const F_FINDINGS: usize = 7;
const F_REPAIRS: usize = 8;
const F_SUGGESTED_IV: usize = 9;
const F_PLATFORM: usize = 10;

/// Which fields a written report holds: all (the default, the `--json` object), a chosen set
/// (`batch --fields`), or all but a `plaintext` that `data` already holds (`batch --compact`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// Bit `i` set: [`FIELDS`]`[i]` is written.
    bits: u16,
    /// Leave out `plaintext` when `data` holds it (the plaintext was a JSON object).
    compact: bool,
}

impl Selection {
    pub const ALL: Selection = Selection {
        bits: (1 << FIELDS.len()) - 1,
        compact: false,
    };

    pub const COMPACT: Selection = Selection {
        compact: true,
        ..Selection::ALL
    };

    /// A comma-separated list of field names; `Err` holds the first unknown name.
    pub fn parse(list: &str) -> Result<Selection, String> {
        let mut bits = 0u16;
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match FIELDS.iter().position(|f| *f == name) {
                Some(i) => bits |= 1 << i,
                None => return Err(name.to_string()),
            }
        }
        Ok(Selection {
            bits,
            compact: false,
        })
    }

    /// This selection, compacted.
    pub fn compacted(self) -> Selection {
        Selection {
            compact: true,
            ..self
        }
    }

    fn has(self, field: usize) -> bool {
        self.bits & (1 << field) != 0
    }
}

/// Appends the report's fields after an already written `{"line":N` (each field with its leading
/// comma). Field for field the same object as `decrypt --json`; with lean options `data` is the
/// decrypted JSON text itself (it is a compact object), which spares building and re-serializing
/// a `Value`. The common fields are written by hand, byte for byte as serde_json writes them.
pub fn append_report(out: &mut Vec<u8>, report: &Report) {
    append_selected(out, report, Selection::ALL);
}

/// [`append_report`] with only the fields `sel` holds.
pub fn append_selected(out: &mut Vec<u8>, report: &Report, sel: Selection) {
    if sel.has(F_OK) {
        out.extend_from_slice(if report.ok {
            b",\"ok\":true"
        } else {
            b",\"ok\":false"
        });
    }
    if sel.has(F_KIND) {
        out.extend_from_slice(b",\"kind\":");
        match report.kind {
            Some(k) => {
                put_str(out, k.as_str());
            }
            None => out.extend_from_slice(b"null"),
        }
    }
    if sel.has(F_OFFICIAL_CODE) {
        out.extend_from_slice(b",\"official_code\":");
        put_int(out, i64::from(report.official_code));
    }
    if sel.has(F_OFFICIAL) {
        out.extend_from_slice(b",\"official\":");
        put_samples(out, &report.official);
    }
    // `data` holds the plaintext itself when it is an object (what --compact leaves out).
    let data_holds_text = report.data.is_some() || report.plaintext_is_object;
    // Whether the plaintext has a control byte (found while escaping it, when it is written).
    let mut control = None;
    if sel.has(F_PLAINTEXT) && !(sel.compact && data_holds_text) {
        out.extend_from_slice(b",\"plaintext\":");
        match &report.plaintext {
            Some(text) => control = Some(put_str(out, text)),
            None => out.extend_from_slice(b"null"),
        }
    }
    if sel.has(F_DATA) {
        out.extend_from_slice(b",\"data\":");
        match (&report.data, &report.plaintext) {
            (Some(v), _) => v.put(out),
            // No control byte, so no line break.
            (None, Some(text))
                if report.plaintext_is_object
                    && !control.unwrap_or_else(|| text.bytes().any(|b| b < 0x20)) =>
            {
                out.extend_from_slice(text.as_bytes())
            }
            // Pretty-printed text cannot stand in a JSON Lines record as it is.
            (None, Some(text)) if report.plaintext_is_object => {
                serde_json::from_str::<Value>(text).ok().put(out)
            }
            _ => out.extend_from_slice(b"null"),
        }
    }
    if sel.has(F_WATERMARK) {
        out.extend_from_slice(b",\"watermark\":");
        match &report.watermark {
            Some(w) => {
                out.extend_from_slice(b"{\"appid\":");
                put_opt_str(out, w.appid.as_deref());
                out.extend_from_slice(b",\"timestamp\":");
                put_opt_int(out, w.timestamp);
                out.extend_from_slice(b",\"time\":");
                put_opt_str(out, w.time.as_deref());
                out.extend_from_slice(b",\"age_seconds\":");
                put_opt_int(out, w.age_seconds);
                out.extend_from_slice(b",\"expected_appid\":");
                put_opt_str(out, w.expected_appid.as_deref());
                out.push(b'}');
            }
            None => out.extend_from_slice(b"null"),
        }
    }
    if sel.has(F_FINDINGS) {
        out.extend_from_slice(b",\"findings\":");
        if report.findings.is_empty() {
            out.extend_from_slice(b"[]");
        } else {
            report.findings.put(out);
        }
    }
    if sel.has(F_REPAIRS) {
        out.extend_from_slice(b",\"repairs\":");
        if report.repairs.is_empty() {
            out.extend_from_slice(b"[]");
        } else {
            report.repairs.put(out);
        }
    }
    if sel.has(F_SUGGESTED_IV) {
        out.extend_from_slice(b",\"suggested_iv\":");
        put_opt_str(out, report.suggested_iv.as_deref());
    }
    if sel.has(F_PLATFORM) {
        out.extend_from_slice(b",\"platform\":");
        put_str(out, report.platform.as_str());
    }
    out.push(b'}');
}

/// Per byte, how serde_json writes it in a string: 0 as itself, `u` as `\u00XX`, else `\` and
/// this letter.
const ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// A JSON string as serde_json writes it: `"` and `\\` escaped, the short escapes for
/// `\b \f \n \r \t`, `\u00XX` (lowercase hex) for the other control bytes, the rest as is.
/// Returns whether `s` has a control byte.
pub fn put_str(out: &mut Vec<u8>, s: &str) -> bool {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let b = s.as_bytes();
    // Most strings (keys, numbers as text, base64) have nothing to escape.
    if crate::opendata::json_scan::special(b, 0) == b.len() {
        out.reserve(b.len() + 2);
        out.push(b'"');
        out.extend_from_slice(b);
        out.push(b'"');
        return false;
    }
    let start = out.len();
    // Room for the worst case (every byte as `\u00XX`), so that each byte is one store; the
    // unused tail is cut below. Every index below stays under `6 * b.len() + 2`.
    out.resize(start + b.len() * 6 + 2, 0);
    let buf = &mut out[start..];
    buf[0] = b'"';
    let (mut i, mut j) = (0, 1);
    let mut control = false;
    while i < b.len() {
        // Eight bytes copied at once; when one of them needs escaping, the copy is kept up to
        // it (the rest is overwritten). The copy stays in the buffer: `j + 8 <= 6 * i + 9` and
        // `i + 8 <= b.len()`.
        if let Some(w) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) {
            buf[j..j + 8].copy_from_slice(w);
            let hit = crate::opendata::json_scan::special_mask(w);
            if hit == 0 {
                i += 8;
                j += 8;
                continue;
            }
            let p = (hit.trailing_zeros() / 8) as usize;
            i += p;
            j += p;
        }
        // A byte to escape, or one of the last seven.
        let c = b[i];
        i += 1;
        match ESCAPE[usize::from(c)] {
            0 => {
                buf[j] = c;
                j += 1;
            }
            b'u' => {
                control = true;
                buf[j..j + 6].copy_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(c >> 4)],
                    HEX[usize::from(c & 0xf)],
                ]);
                j += 6;
            }
            e => {
                control |= c < 0x20;
                buf[j..j + 2].copy_from_slice(&[b'\\', e]);
                j += 2;
            }
        }
    }
    buf[j] = b'"';
    out.truncate(start + j + 1);
    control
}

/// [`Samples`] as serde writes it: each sample's fields in order, the absent ones left out.
fn put_samples(out: &mut Vec<u8>, samples: &Samples) {
    let Samples {
        php,
        node,
        python,
        java,
    } = samples;
    for (name, o) in [
        (&b"{\"php\":"[..], php),
        (b",\"node\":", node),
        (b",\"python\":", python),
        (b",\"java\":", java),
    ] {
        out.extend_from_slice(name);
        let SampleOutcome {
            ok,
            code,
            exception,
            message,
        } = o;
        out.extend_from_slice(if *ok {
            b"{\"ok\":true"
        } else {
            b"{\"ok\":false"
        });
        if let Some(code) = code {
            out.extend_from_slice(b",\"code\":");
            put_int(out, i64::from(*code));
        }
        if let Some(e) = exception {
            out.extend_from_slice(b",\"exception\":");
            put_str(out, e);
        }
        if let Some(m) = message {
            out.extend_from_slice(b",\"message\":");
            put_str(out, m);
        }
        out.push(b'}');
    }
    out.push(b'}');
}

fn put_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            put_str(out, s);
        }
        None => out.extend_from_slice(b"null"),
    }
}

pub fn put_int(out: &mut Vec<u8>, n: i64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut v = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if n < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[i..]);
}

fn put_opt_int(out: &mut Vec<u8>, n: Option<i64>) {
    match n {
        Some(n) => put_int(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

mod erased {
    //! Writing differently typed values through one closure.
    pub trait Put {
        fn put(&self, out: &mut Vec<u8>);
    }
    impl<T: serde::Serialize> Put for T {
        fn put(&self, out: &mut Vec<u8>) {
            if serde_json::to_writer(&mut *out, self).is_err() {
                out.extend_from_slice(b"null");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::put_str;

    fn check(s: &str) {
        let mut out = b"x".to_vec();
        let control = put_str(&mut out, s);
        let want = serde_json::to_string(s).unwrap_or_default();
        assert_eq!(String::from_utf8_lossy(&out[1..]), want, "{s:?}");
        assert_eq!(control, s.bytes().any(|c| c < 0x20), "{s:?}");
    }

    #[test]
    fn strings_are_written_as_serde_writes_them() {
        // Every ASCII byte at every place of words and tails, and a few others around it.
        for len in 0..26 {
            for at in 0..len {
                for c in (0u8..0x80)
                    .map(char::from)
                    .chain(['é', '中', '\u{2028}', '😀'])
                {
                    let s: String = (0..len)
                        .map(|i| {
                            if i == at {
                                c
                            } else {
                                char::from(b'a' + (i % 26) as u8)
                            }
                        })
                        .collect();
                    check(&s);
                }
            }
        }
        check("");
        check(r#"{"phoneNumber":"13800138000","watermark":{"appid":"wx1"}}"#);
        check(&"\"\\\n\u{1}".repeat(100));
    }
}
