//! Baidu smart programs: AES-192-CBC with the 24-byte session_key, and a framed plaintext — 16
//! random bytes, the content's length (4 bytes, big-endian), the content, the app key — padded with
//! PKCS#7 to 32-byte blocks, as Baidu's official decrypt sample reads it. The frame is the one
//! WeChat's message push uses ([`crate::msg::crypt`]); only the cipher's key size differs.

use std::ops::Range;

use crate::msg::crypt::{HEADER, PAD_BLOCK, Pad, check_pad, frame, length_field, pad};
use crate::opendata::cipher;
use crate::opendata::diagnose;

/// Baidu's session_key decodes to 24 bytes (AES-192).
pub const KEY_BYTES: usize = 24;

/// What the decrypted frame says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Valid padding, a length that fits, UTF-8 content: the content and the app key after it.
    Clean {
        content: Range<usize>,
        app_key: Range<usize>,
    },
    /// Text throughout but the padding does not hold: the data ends early.
    Truncated,
    /// Text up to block `block`, noise there: the ciphertext was altered there.
    Corrupted { block: usize },
    /// Noise everywhere after the random block: the key does not belong to this data.
    KeyMismatch,
    /// Text and valid padding, but the length field claims more than the frame holds.
    LengthInvalid { length: u32, available: usize },
    /// The content is not UTF-8 at byte `at` (of the frame).
    NotUtf8 { at: usize },
}

/// Classifies a decrypted frame. The random block and the length bytes are binary by design, so
/// only the bytes after them are judged as text; a wrong iv garbles only the random block, so it
/// cannot be seen (and does no harm).
pub fn classify(plain: &[u8]) -> Outcome {
    let (body_end, padded) = match check_pad(plain) {
        Pad::Valid(n) => (plain.len() - n, true),
        Pad::Invalid { .. } => (plain.len(), false),
    };
    let mut masked = plain.get(..body_end).unwrap_or_default().to_vec();
    for b in masked.iter_mut().take(HEADER) {
        *b = b'a';
    }
    let blocks = diagnose::text_blocks(&masked);
    match blocks.iter().skip(1).position(|&t| !t) {
        // Only the random block (masked) and nothing after it: too short to be a frame.
        None if blocks.len() < 2 => Outcome::KeyMismatch,
        None if !padded => Outcome::Truncated,
        None => {
            let available = body_end.saturating_sub(HEADER);
            match length_field(plain) {
                Some(length) if (length as usize) <= available => {
                    let end = HEADER + length as usize;
                    let content = HEADER..end;
                    match std::str::from_utf8(&plain[content.clone()]) {
                        Ok(_) => Outcome::Clean {
                            content,
                            app_key: end..body_end,
                        },
                        Err(e) => Outcome::NotUtf8 {
                            at: HEADER + e.valid_up_to(),
                        },
                    }
                }
                length => Outcome::LengthInvalid {
                    length: length.unwrap_or(0),
                    available,
                },
            }
        }
        Some(0) => Outcome::KeyMismatch,
        Some(i) => Outcome::Corrupted { block: i + 1 },
    }
}

/// Encrypts `content` as Baidu does: the frame with `app_key`, padded to 32-byte blocks, under
/// AES-192-CBC. `None` when the key is not 24 bytes or the iv not 16.
pub fn seal(
    key: &[u8],
    iv: &[u8],
    random: &[u8; 16],
    content: &[u8],
    app_key: &str,
) -> Option<Vec<u8>> {
    let padded = pad(frame(random, content, app_key), PAD_BLOCK);
    cipher::encrypt_192_unpadded(key, iv, &padded)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 24] = *b"0123456789abcdef01234567";
    const IV: [u8; 16] = *b"fedcba9876543210";

    fn sealed(content: &str) -> Vec<u8> {
        seal(&KEY, &IV, &[0xA5; 16], content.as_bytes(), "appkey1").unwrap()
    }

    #[test]
    fn a_sealed_frame_reads_back() {
        let content = r#"{"mobile":"13800138000","openid":"x"}"#;
        let data = sealed(content);
        assert_eq!(data.len() % PAD_BLOCK, 0);
        let plain = cipher::decrypt_raw(&KEY, &IV, &data).unwrap();
        match classify(&plain) {
            Outcome::Clean {
                content: c,
                app_key,
            } => {
                assert_eq!(&plain[c], content.as_bytes());
                assert_eq!(&plain[app_key], b"appkey1");
            }
            other => panic!("{other:?}"),
        }
        // Another iv changes only the random block: still clean.
        let other_iv = cipher::decrypt_raw(&KEY, &[0u8; 16], &data).unwrap();
        assert!(matches!(classify(&other_iv), Outcome::Clean { .. }));
    }

    #[test]
    fn noise_cuts_and_lies_are_told_apart() {
        let content = r#"{"nickname":"a user with a long enough name","openid":"x","sex":0}"#;
        let data = sealed(content);
        let wrong = cipher::decrypt_raw(&[7u8; 24], &IV, &data).unwrap();
        assert_eq!(classify(&wrong), Outcome::KeyMismatch);
        let cut = cipher::decrypt_raw(&KEY, &IV, &data[..data.len() - 16]).unwrap();
        assert_eq!(classify(&cut), Outcome::Truncated);
        let mut altered = data.clone();
        altered[40] ^= 0x55;
        let plain = cipher::decrypt_raw(&KEY, &IV, &altered).unwrap();
        assert_eq!(classify(&plain), Outcome::Corrupted { block: 2 });
        let mut plain = cipher::decrypt_raw(&KEY, &IV, &data).unwrap();
        plain[16..20].copy_from_slice(&999u32.to_be_bytes());
        assert!(matches!(
            classify(&plain),
            Outcome::LengthInvalid { length: 999, .. }
        ));
    }
}
