//! The official Node.js sample (`WXBizDataCrypt.prototype.decryptData`, WXBizDataCrypt.js):
//! `Buffer.from(s, 'base64')` (lenient: both alphabets, anything else skipped, the first `=`
//! ends it), `createDecipheriv('aes-128-cbc')`, the output read as UTF-8 with replacement
//! characters, `JSON.parse` — every failure inside its `try` becomes `Error: Illegal Buffer` —
//! then `decoded.watermark.appid !== appId` outside it (a missing watermark is a `TypeError`).

use serde_json::Value;

use super::{SampleOutcome, Shared, value_of};

/// Node's `Buffer.from(s, 'base64')`: the legacy decoder of `src/base64-inl.h` — groups of four
/// valid characters fast, otherwise one group at a time skipping invalid characters; a `=` (or the
/// end) stops decoding; the output never exceeds the size estimated from the string's length.
pub fn buffer_from_base64(s: &str) -> Vec<u8> {
    let src = s.as_bytes();
    let cap = estimated_size(src);
    let mut out = Vec::with_capacity(cap);
    let mut i = 0;
    while i < src.len() && out.len() < cap {
        // One group of four values, skipping what is not in either alphabet.
        let mut group = [0u8; 4];
        for slot in 0..4 {
            let v = loop {
                let Some(&c) = src.get(i) else {
                    return out;
                };
                i += 1;
                match value_of(c, true) {
                    Some(v) => break v,
                    None if c == b'=' || i >= src.len() => return out,
                    None => {}
                }
            };
            group[slot] = v;
            if slot > 0 {
                let byte = match slot {
                    1 => (group[0] << 2) | (v >> 4),
                    2 => (group[1] << 4) | (v >> 2),
                    _ => (group[2] << 6) | v,
                };
                out.push(byte);
                if out.len() >= cap {
                    return out;
                }
            }
            if i >= src.len() {
                return out;
            }
        }
    }
    out
}

/// `base64_decoded_size`: from the length, less up to two trailing `=`.
fn estimated_size(src: &[u8]) -> usize {
    let mut size = src.len();
    if size < 2 {
        return 0;
    }
    for _ in 0..2 {
        if src[size - 1] == b'=' {
            size -= 1;
        }
    }
    let rem = size % 4;
    let mut out = size / 4 * 3;
    if rem != 0 {
        if out == 0 && rem == 1 {
            out = 0;
        } else {
            out += 1 + usize::from(rem == 3);
        }
    }
    out
}

pub(super) fn illegal_buffer() -> SampleOutcome {
    SampleOutcome::exception("Error", "Illegal Buffer")
}

fn type_error(of: &str, reading: &str) -> SampleOutcome {
    SampleOutcome::exception(
        "TypeError",
        &format!("Cannot read properties of {of} (reading '{reading}')"),
    )
}

/// What the Node sample returns or throws.
pub(super) fn decrypt_data(
    shared: &mut Shared,
    appid: &str,
    session_key: &str,
    iv: &str,
    encrypted_data: &str,
) -> SampleOutcome {
    let mut decode = |t: &str| {
        let Ok(b) = shared.decode(t, |t| {
            Ok::<_, std::convert::Infallible>(buffer_from_base64(t))
        });
        b
    };
    let key = decode(session_key);
    let data = decode(encrypted_data);
    let iv = decode(iv);
    if key.len() != 16 || iv.len() != 16 {
        return illegal_buffer();
    }
    let Some(plain) = shared.decrypt_pkcs7(&key, &iv, &data) else {
        return illegal_buffer();
    };
    // Read as UTF-8 with replacement characters (the same text when it is UTF-8 already).
    let parsed = match std::str::from_utf8(&plain) {
        Ok(_) => shared.parse(&plain),
        Err(_) => shared.parse(String::from_utf8_lossy(&plain).as_bytes()),
    };
    let Some(decoded) = parsed.as_ref() else {
        return illegal_buffer();
    };
    // `decoded.watermark.appid !== appId`, outside the try.
    let watermark = match decoded {
        Value::Null => return type_error("null", "watermark"),
        Value::Object(o) => o.get("watermark"),
        _ => None,
    };
    let seen = match watermark {
        None => return type_error("undefined", "appid"),
        Some(Value::Null) => return type_error("null", "appid"),
        Some(Value::Object(w)) => w.get("appid"),
        Some(_) => None,
    };
    match seen {
        Some(Value::String(s)) if s == appid => SampleOutcome::ok(),
        _ => illegal_buffer(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_base64() {
        assert_eq!(buffer_from_base64("aGk="), b"hi");
        assert_eq!(buffer_from_base64("a G\nk"), b"hi");
        assert_eq!(buffer_from_base64("aG=k"), b"h");
        assert_eq!(buffer_from_base64("aGkhIQ"), b"hi!!");
        assert_eq!(buffer_from_base64("-_-_"), buffer_from_base64("+/+/"));
        assert_eq!(buffer_from_base64("a"), b"");
    }
}
