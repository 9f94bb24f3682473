//! The message-push cipher (WXBizMsgCrypt): AES-256-CBC with the key's first 16 bytes as iv, a
//! frame of 16 random bytes + 4-byte big-endian message length + message + receive id, PKCS#7
//! padding to 32-byte blocks; and `msg_signature`, the sha1 of the sorted strings.

use aes::cipher::block_padding::NoPadding;
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use sha1::{Digest, Sha1};

type Dec = cbc::Decryptor<aes::Aes256>;
type Enc = cbc::Encryptor<aes::Aes256>;

/// An EncodingAESKey has 43 base64 characters (the `=` is left off).
pub const KEY_CHARS: usize = 43;
/// …which decode to a 32-byte AES-256 key.
pub const KEY_BYTES: usize = 32;
/// The official samples pad to 32-byte blocks.
pub const PAD_BLOCK: usize = 32;
/// 16 random bytes and the 4-byte length come before the message.
pub const HEADER: usize = 20;

/// Decrypts whole 16-byte blocks without removing padding (trailing bytes past the last whole
/// block are ignored). `None` when the key is not 32 bytes.
pub fn decrypt_raw(key: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    let iv = key.get(..16)?;
    let dec = Dec::new_from_slices(key, iv).ok()?;
    let whole = data.len() - data.len() % 16;
    dec.decrypt_padded_vec::<NoPadding>(data.get(..whole)?).ok()
}

/// The frame before padding: random, length, message, receive id.
pub fn frame(random: &[u8; 16], message: &[u8], receive_id: &str) -> Vec<u8> {
    let len = u32::try_from(message.len()).unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(HEADER + message.len() + receive_id.len() + PAD_BLOCK);
    out.extend_from_slice(random);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(message);
    out.extend_from_slice(receive_id.as_bytes());
    out
}

/// PKCS#7 padding to `block`-byte blocks (1..=block bytes of the pad length).
pub fn pad(mut bytes: Vec<u8>, block: usize) -> Vec<u8> {
    let n = block - bytes.len() % block;
    let byte = u8::try_from(n).unwrap_or(0);
    bytes.resize(bytes.len() + n, byte);
    bytes
}

/// Encrypts a whole frame as the official samples do. `None` when the key is not 32 bytes.
pub fn seal(key: &[u8], random: &[u8; 16], message: &[u8], receive_id: &str) -> Option<Vec<u8>> {
    let iv = key.get(..16)?;
    let enc = Enc::new_from_slices(key, iv).ok()?;
    let padded = pad(frame(random, message, receive_id), PAD_BLOCK);
    Some(enc.encrypt_padded_vec::<NoPadding>(&padded))
}

fn sha1_hex(parts: &mut [&str]) -> String {
    parts.sort_unstable();
    let mut h = Sha1::new();
    for p in parts.iter() {
        h.update(p.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// `msg_signature`: sha1 of token, timestamp, nonce and the Encrypt text, sorted and joined.
pub fn msg_signature(token: &str, timestamp: &str, nonce: &str, encrypt: &str) -> String {
    sha1_hex(&mut [token, timestamp, nonce, encrypt])
}

/// The plain-mode `signature` of the URL: sha1 of token, timestamp and nonce, sorted and joined.
pub fn url_signature(token: &str, timestamp: &str, nonce: &str) -> String {
    sha1_hex(&mut [token, timestamp, nonce])
}

/// The PKCS#7 state of a decrypted frame, for 32-byte blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pad {
    /// `n` bytes, all equal to `n` (1..=32).
    Valid(usize),
    /// The last byte is `last`: out of 1..=32, or the bytes before it disagree.
    Invalid { last: u8 },
}

/// Checks the padding of `plain`.
pub fn check_pad(plain: &[u8]) -> Pad {
    let Some(&last) = plain.last() else {
        return Pad::Invalid { last: 0 };
    };
    let n = usize::from(last);
    if (1..=PAD_BLOCK).contains(&n)
        && n <= plain.len()
        && plain[plain.len() - n..].iter().all(|&b| b == last)
    {
        Pad::Valid(n)
    } else {
        Pad::Invalid { last }
    }
}

/// How many bytes the official samples strip: the last byte's value when it is 1..=32, else none.
pub fn lenient_pad(plain: &[u8]) -> usize {
    match plain.last() {
        Some(&b) if (1..=PAD_BLOCK as u8).contains(&b) => usize::from(b).min(plain.len()),
        _ => 0,
    }
}

/// The length field (bytes 16..20, big-endian), when the frame is long enough to hold it.
pub fn length_field(plain: &[u8]) -> Option<u32> {
    let b: [u8; 4] = plain.get(16..HEADER)?.try_into().ok()?;
    Some(u32::from_be_bytes(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_then_decrypt_gives_the_frame_back() {
        let key = [7u8; 32];
        let sealed = seal(&key, &[1; 16], b"<xml/>", "wx1").unwrap();
        assert_eq!(sealed.len() % PAD_BLOCK, 0);
        let plain = decrypt_raw(&key, &sealed).unwrap();
        let n = match check_pad(&plain) {
            Pad::Valid(n) => n,
            other => panic!("{other:?}"),
        };
        assert_eq!(length_field(&plain), Some(6));
        assert_eq!(&plain[HEADER..plain.len() - n], b"<xml/>wx1");
    }

    #[test]
    fn signatures_sort_before_hashing() {
        assert_eq!(
            msg_signature("b", "a", "c", "d"),
            msg_signature("d", "c", "b", "a")
        );
        // Python: sha1("".join(sorted(["t", "1", "2"]))), and with "E" as a fourth string.
        assert_eq!(
            url_signature("t", "1", "2"),
            "725669708c14d5b08cc886e941be604363f42cf5"
        );
        assert_eq!(
            msg_signature("t", "1", "2", "E"),
            "3d78b6ac7ca93ed7b107fe4a94f7cceddc17bb55"
        );
    }
}
