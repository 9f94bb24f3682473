//! The official Python sample (`WXBizDataCrypt.decrypt`, WXBizDataCrypt.py, with pycryptodome):
//! `base64.b64decode` (characters outside the alphabet discarded, padding still required),
//! `AES.new(key, MODE_CBC, iv)` (a 16, 24 or 32-byte key), `_unpad` that trusts the last byte
//! without checking the padding, `json.loads` on the bytes, then
//! `decrypted['watermark']['appid'] != self.appId`. Exceptions as CPython 3.11 prints them.

use super::pyjson::{self, Py};
use super::{SampleOutcome, Shared, value_of};

/// `base64.b64decode(s)` (validate=False): `binascii.a2b_base64` in its lenient mode.
pub fn b64decode(s: &str) -> Result<Vec<u8>, (&'static str, String)> {
    if !s.is_ascii() {
        return Err((
            "ValueError",
            "string argument should contain only ASCII characters".into(),
        ));
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut quad, mut left, mut pads) = (0u8, 0u32, 0u8);
    for c in s.bytes() {
        if c == b'=' {
            if quad >= 2 {
                pads += 1;
                if quad + pads >= 4 {
                    // A whole pad sequence ends the data.
                    return Ok(out);
                }
            }
            continue;
        }
        let Some(v) = value_of(c, false) else {
            continue;
        };
        let v = u32::from(v);
        pads = 0;
        match quad {
            0 => (quad, left) = (1, v),
            1 => {
                out.push(((left << 2) | (v >> 4)) as u8);
                (quad, left) = (2, v & 0x0f);
            }
            2 => {
                out.push(((left << 4) | (v >> 2)) as u8);
                (quad, left) = (3, v & 0x03);
            }
            _ => {
                out.push(((left << 6) | v) as u8);
                (quad, left) = (0, 0);
            }
        }
    }
    match quad {
        0 => Ok(out),
        1 => Err((
            "Error",
            format!(
                "Invalid base64-encoded string: number of data characters ({}) cannot be 1 more than a multiple of 4",
                out.len() / 3 * 4 + 1
            ),
        )),
        _ => Err(("Error", "Incorrect padding".into())),
    }
}

fn raised(class: &str, message: &str) -> SampleOutcome {
    SampleOutcome::exception(class, message)
}

/// What the sample raises when the watermark's appid is not the app's.
pub(super) fn invalid_buffer() -> SampleOutcome {
    raised("Exception", "Invalid Buffer")
}

/// `v[key]` as Python evaluates it on a JSON value: the value, or the exception.
fn index<'a>(v: &'a Py, key: &str) -> Result<&'a Py, SampleOutcome> {
    match v {
        Py::Dict(_) => v
            .get(key)
            .ok_or_else(|| raised("KeyError", &format!("'{key}'"))),
        Py::List => Err(raised(
            "TypeError",
            "list indices must be integers or slices, not str",
        )),
        Py::Str(_) => Err(raised(
            "TypeError",
            "string indices must be integers, not 'str'",
        )),
        other => Err(raised(
            "TypeError",
            &format!("'{}' object is not subscriptable", other.type_name()),
        )),
    }
}

/// What the Python sample returns or raises.
pub(super) fn decrypt(
    shared: &mut Shared,
    appid: &str,
    session_key: &str,
    iv: &str,
    encrypted_data: &str,
) -> SampleOutcome {
    let decoded = shared
        .decode(session_key, b64decode)
        .and_then(|k| Ok((k, shared.decode(encrypted_data, b64decode)?)))
        .and_then(|(k, d)| Ok((k, d, shared.decode(iv, b64decode)?)));
    let (key, data, iv) = match decoded {
        Ok(t) => t,
        Err((class, m)) => return raised(class, &m),
    };
    if !matches!(key.len(), 16 | 24 | 32) {
        return raised(
            "ValueError",
            &format!("Incorrect AES key length ({} bytes)", key.len()),
        );
    }
    if iv.len() != 16 {
        return raised(
            "ValueError",
            "Incorrect IV length (it must be 16 bytes long)",
        );
    }
    if !data.len().is_multiple_of(16) {
        return raised(
            "ValueError",
            "Data must be padded to 16 byte boundary in CBC mode",
        );
    }
    let Some(plain) = shared.decrypt_raw(&key, &iv, &data) else {
        return raised("ValueError", "Incorrect AES key length");
    };
    // `s[:-ord(s[len(s)-1:])]`: no check of the padding.
    let Some(&last) = plain.last() else {
        return raised(
            "TypeError",
            "ord() expected a character, but string of length 0 found",
        );
    };
    let keep = match usize::from(last) {
        0 => 0,
        n => plain.len().saturating_sub(n),
    };
    let body = &plain[..keep];
    // What serde_json reads (strict JSON, UTF-8, no BOM, shallow), json.loads reads to the same
    // dicts, lists and strings: a payload with its watermark needs no emulation.
    let parsed = shared.parse(body);
    if let Some(seen) = parsed
        .as_ref()
        .as_ref()
        .and_then(|v| v.get("watermark"))
        .filter(|w| w.is_object())
        .and_then(|w| w.get("appid"))
    {
        return match seen.as_str() {
            Some(s) if s == appid => SampleOutcome::ok(),
            _ => invalid_buffer(),
        };
    }
    let decrypted = match pyjson::loads(body) {
        Ok(v) => v,
        Err((class, m)) => return raised(&class, &m),
    };
    let seen = match index(&decrypted, "watermark").and_then(|w| index(w, "appid")) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let appid: Vec<u32> = appid.chars().map(u32::from).collect();
    match seen {
        Py::Str(s) if *s == appid => SampleOutcome::ok(),
        _ => invalid_buffer(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expectations as CPython 3.11 printed them.
    #[test]
    fn b64decode_as_cpython() {
        assert_eq!(b64decode("aGk=").unwrap(), b"hi");
        assert_eq!(b64decode("a G\nk=").unwrap(), b"hi");
        assert_eq!(b64decode("aGk=junk").unwrap(), b"hi");
        assert_eq!(b64decode("aGk").unwrap_err().1, "Incorrect padding");
        assert_eq!(
            b64decode("aGkhI").unwrap_err().1,
            "Invalid base64-encoded string: number of data characters (5) cannot be 1 more than a multiple of 4"
        );
        assert_eq!(b64decode("é").unwrap_err().0, "ValueError");
    }
}
