//! What Java backends commonly run: `java.util.Base64.getDecoder()` (strict RFC 4648: no
//! whitespace, no URL-safe characters), `Cipher.getInstance("AES/CBC/PKCS5Padding")` (AES-128,
//! -192 or -256 by key length), `doFinal`, `new String(…, UTF_8)`; the text is returned and parsed
//! later, so neither the JSON nor the appid is checked here. Exceptions as the JDK throws them.

use super::{SampleOutcome, Shared, value_of};
use crate::opendata::cipher::{Padding, check_pkcs7};

/// `Base64.getDecoder().decode(String)`: the string's chars as ISO-8859-1 bytes (others become
/// `?`), strictly decoded; the JDK's exception message on failure.
pub fn decode(s: &str) -> Result<Vec<u8>, String> {
    let src: Vec<u8> = s
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let (mut bits, mut shiftto) = (0u32, 18i32);
    let mut sp = 0;
    while sp < src.len() {
        let b = src[sp];
        sp += 1;
        let Some(v) = value_of(b, false) else {
            if b != b'=' {
                return Err(format!("Illegal base64 character {}", java_hex(b)));
            }
            // "=" ends the data: only "xx==" and "xxx=" are whole.
            let second = shiftto == 6 && src.get(sp).is_some_and(|&c| c == b'=');
            if shiftto == 6 && !second || shiftto == 18 {
                return Err("Input byte array has wrong 4-byte ending unit".into());
            }
            if second {
                sp += 1;
            }
            break;
        };
        bits |= u32::from(v) << shiftto;
        shiftto -= 6;
        if shiftto < 0 {
            out.extend_from_slice(&[(bits >> 16) as u8, (bits >> 8) as u8, bits as u8]);
            (bits, shiftto) = (0, 18);
        }
    }
    match shiftto {
        6 => out.push((bits >> 16) as u8),
        0 => out.extend_from_slice(&[(bits >> 16) as u8, (bits >> 8) as u8]),
        12 => return Err("Last unit does not have enough valid bits".into()),
        _ => {}
    }
    if sp < src.len() {
        return Err(format!(
            "Input byte array has incorrect ending byte at {sp}"
        ));
    }
    Ok(out)
}

/// `Integer.toString(b, 16)` of a (signed) Java byte.
fn java_hex(b: u8) -> String {
    let v = b as i8;
    if v < 0 {
        format!("-{:x}", -(i16::from(v)))
    } else {
        format!("{v:x}")
    }
}

fn thrown(class: &str, message: &str) -> SampleOutcome {
    SampleOutcome::exception(class, message)
}

/// What the Java code returns or throws.
pub(super) fn decrypt(
    shared: &mut Shared,
    session_key: &str,
    iv: &str,
    encrypted_data: &str,
) -> SampleOutcome {
    let decoded = shared
        .decode(session_key, decode)
        .and_then(|k| Ok((k, shared.decode(encrypted_data, decode)?)))
        .and_then(|(k, d)| Ok((k, d, shared.decode(iv, decode)?)));
    let (key, data, iv) = match decoded {
        Ok(t) => t,
        Err(m) => return thrown("java.lang.IllegalArgumentException", &m),
    };
    if key.is_empty() {
        return thrown("java.lang.IllegalArgumentException", "Empty key");
    }
    if !matches!(key.len(), 16 | 24 | 32) {
        let m = format!("Invalid AES key length: {} bytes", key.len());
        return thrown("java.security.InvalidKeyException", &m);
    }
    if iv.len() != 16 {
        let m = "Wrong IV length: must be 16 bytes long";
        return thrown("java.security.InvalidAlgorithmParameterException", m);
    }
    if !data.len().is_multiple_of(16) {
        let m = "Input length must be multiple of 16 when decrypting with padded cipher";
        return thrown("javax.crypto.IllegalBlockSizeException", m);
    }
    let Some(plain) = shared.decrypt_raw(&key, &iv, &data) else {
        return thrown(
            "java.security.InvalidKeyException",
            "Invalid AES key length",
        );
    };
    if plain.is_empty() {
        return SampleOutcome::ok();
    }
    match check_pkcs7(&plain) {
        Padding::Valid { .. } => SampleOutcome::ok(),
        Padding::Invalid { .. } => thrown(
            "javax.crypto.BadPaddingException",
            "Given final block not properly padded. Such issues can arise if a bad key is used during decryption.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_base64_and_its_messages() {
        assert_eq!(decode("aGk=").as_deref(), Ok(&b"hi"[..]));
        assert_eq!(decode("aGk").as_deref(), Ok(&b"hi"[..]));
        assert_eq!(decode("a Gk=").unwrap_err(), "Illegal base64 character 20");
        assert_eq!(decode("aG-k").unwrap_err(), "Illegal base64 character 2d");
        assert_eq!(
            decode("aGk=x").unwrap_err(),
            "Input byte array has incorrect ending byte at 4"
        );
        assert_eq!(
            decode("a").unwrap_err(),
            "Last unit does not have enough valid bits"
        );
        assert_eq!(decode("é").unwrap_err(), "Illegal base64 character -17");
    }
}
