//! Root-cause analysis from the decrypted bytes: which 16-byte blocks read as text tells whether the
//! key, the iv or the data is wrong, without knowing the right answer.

use crate::opendata::cipher::{BLOCK, Padding, check_pkcs7};

/// What the decrypted bytes say about the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Readable text throughout and valid padding.
    Clean { pad_len: usize },
    /// Readable text throughout but the data ends early (no valid padding, or a partial block).
    Truncated,
    /// Only the first block is noise: the iv belongs to another call.
    IvMismatch,
    /// Readable up to block `block`, noise from there: the ciphertext was altered there.
    Corrupted { block: usize },
    /// Noise everywhere: the key does not belong to this data.
    KeyMismatch,
    /// Looks like text with valid padding, but is not UTF-8 at byte `at`.
    NotUtf8 { at: usize },
}

/// Bytes that never appear in WeChat's JSON text.
pub fn is_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f
}

/// Most bytes a block may have that are control bytes or not part of valid UTF-8 and still read as
/// text: text with a stray control character stays text, while a random block (about 60 % of its
/// bytes are such) passes with p ≈ 1.3·10⁻⁴.
const MAX_ODD_BYTES: usize = 2;

/// Per-block "reads as text" flags over `plain`: a block is noise when more than
/// [`MAX_ODD_BYTES`] of its bytes are control bytes or not part of valid UTF-8.
pub fn text_blocks(plain: &[u8]) -> Vec<bool> {
    let mut invalid = vec![0usize; plain.len().div_ceil(BLOCK)];
    let mut off = 0;
    for chunk in plain.utf8_chunks() {
        off += chunk.valid().len();
        for i in 0..chunk.invalid().len() {
            if let Some(slot) = invalid.get_mut((off + i) / BLOCK) {
                *slot += 1;
            }
        }
        off += chunk.invalid().len();
    }
    plain
        .chunks(BLOCK)
        .zip(invalid)
        .map(|(block, bad)| bad + block.iter().filter(|&&b| is_control(b)).count() <= MAX_ODD_BYTES)
        .collect()
}

/// Classifies decrypted bytes. `partial` is true when the ciphertext had bytes past its last
/// whole block (so padding cannot be expected).
pub fn classify(plain: &[u8], partial: bool) -> Outcome {
    let padding = if partial {
        None
    } else {
        match check_pkcs7(plain) {
            Padding::Valid { len } => Some(len),
            Padding::Invalid { .. } => None,
        }
    };
    let body = &plain[..plain.len() - padding.unwrap_or(0)];
    // Fast path: clean UTF-8 without control bytes.
    if let Some(pad_len) = padding
        && std::str::from_utf8(body).is_ok()
        && !body.iter().any(|&b| is_control(b))
    {
        return Outcome::Clean { pad_len };
    }
    let blocks = text_blocks(body);
    if blocks.iter().all(|&t| t) {
        return match padding {
            Some(pad_len) => match std::str::from_utf8(body) {
                Ok(_) => Outcome::Clean { pad_len },
                Err(e) => Outcome::NotUtf8 {
                    at: e.valid_up_to(),
                },
            },
            None => Outcome::Truncated,
        };
    }
    let first_noise = blocks.iter().position(|&t| !t).unwrap_or(0);
    if first_noise == 0 {
        if blocks.len() >= 2 && blocks[1..].iter().all(|&t| t) {
            Outcome::IvMismatch
        } else {
            Outcome::KeyMismatch
        }
    } else if first_noise >= 2 || body.first() == Some(&b'{') {
        // Text, then noise from a block on. One leading "text" block alone could be chance
        // (p ≈ 0.1% per random block), unless it opens a JSON object.
        Outcome::Corrupted { block: first_noise }
    } else {
        Outcome::KeyMismatch
    }
}

/// First plaintext blocks that are known exactly from the rest of the data.
pub const KNOWN_PREFIXES: &[(&str, &[&str])] = &[
    (
        "{\"phoneNumber\":\"",
        &["\"purePhoneNumber\"", "\"countryCode\""],
    ),
    ("{\"stepInfoList\":", &["\"step\"", "\"timestamp\""]),
];

/// When only the first block is noise and the rest shows a payload whose first block is fixed,
/// returns the iv that would have produced that block, and the first block itself.
pub fn recover_iv(plain: &[u8], given_iv: &[u8]) -> Option<([u8; BLOCK], &'static str)> {
    if plain.len() < 2 * BLOCK || given_iv.len() != BLOCK {
        return None;
    }
    let rest = String::from_utf8_lossy(&plain[BLOCK..]);
    let (prefix, _) = KNOWN_PREFIXES
        .iter()
        .find(|(_, markers)| markers.iter().all(|m| rest.contains(m)))?;
    let known = prefix.as_bytes();
    let mut iv = [0u8; BLOCK];
    for i in 0..BLOCK {
        // D(C0) = P0_wrong ^ iv_given, and the right iv is D(C0) ^ P0_known.
        iv[i] = plain[i] ^ given_iv[i] ^ known[i];
    }
    Some((iv, prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_one_block() {
        for (p, _) in KNOWN_PREFIXES {
            assert_eq!(p.len(), BLOCK, "{p}");
        }
    }

    #[test]
    fn classify_text_and_noise() {
        let mut text = b"{\"a\":\"hello world, this is text\"}".to_vec();
        let pad = 16 - text.len() % 16;
        text.extend(std::iter::repeat_n(pad as u8, pad));
        assert_eq!(classify(&text, false), Outcome::Clean { pad_len: pad });
        let mut iv_bad = text.clone();
        iv_bad[..16].copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
        assert_eq!(classify(&iv_bad, false), Outcome::IvMismatch);
        let cut = &text[..32];
        assert_eq!(classify(cut, false), Outcome::Truncated);
        // An altered ciphertext block decrypts to noise (and flips a byte in the next one).
        let mut corrupt = text.clone();
        for (i, b) in corrupt[16..32].iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(73).wrapping_add(0x81);
        }
        corrupt[33] ^= 0x20;
        assert_eq!(classify(&corrupt, false), Outcome::Corrupted { block: 1 });
        // A stray control character in text that decrypted right is text, in any block.
        for at in [3, 20] {
            let mut odd = text.clone();
            odd[at] = 0x01;
            assert_eq!(
                classify(&odd, false),
                Outcome::Clean { pad_len: pad },
                "{at}"
            );
        }
        let noise: Vec<u8> = (0..48u32).map(|i| (i * 37 % 256) as u8).collect();
        assert_eq!(classify(&noise, false), Outcome::KeyMismatch);
    }
}
