//! Pay APIv2 refund notifications: `req_info` is AES-256-ECB with PKCS#7, keyed with the
//! lower-case hex md5 of the API key (32 ASCII bytes), over an XML `<root>`.

use aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use md5::{Digest, Md5};

/// The AES key made from an APIv2 key: its md5 in lower-case hex.
pub fn key_of(api_key: &str) -> [u8; 32] {
    let digest = Md5::digest(api_key.as_bytes());
    let mut out = [0u8; 32];
    for (i, b) in digest.iter().enumerate() {
        let hex = format!("{b:02x}");
        out[2 * i..2 * i + 2].copy_from_slice(hex.as_bytes());
    }
    out
}

/// Decrypts whole blocks (padding left on). None when `data` is not whole blocks.
pub fn decrypt_raw(key: &[u8; 32], data: &[u8]) -> Option<Vec<u8>> {
    if data.is_empty() || !data.len().is_multiple_of(16) {
        return None;
    }
    let c = aes::Aes256::new_from_slice(key).ok()?;
    let mut out = data.to_vec();
    for chunk in out.chunks_exact_mut(16) {
        let block = <&mut aes::Block>::try_from(chunk).ok()?;
        c.decrypt_block(block);
    }
    Some(out)
}

/// Encrypts with PKCS#7 padding (16-byte blocks), as the Pay server does.
pub fn seal(key: &[u8; 32], plain: &[u8]) -> Vec<u8> {
    let mut out = crate::msg::crypt::pad(plain.to_vec(), 16);
    if let Ok(c) = aes::Aes256::new_from_slice(key) {
        for chunk in out.chunks_exact_mut(16) {
            if let Ok(block) = <&mut aes::Block>::try_from(chunk) {
                c.encrypt_block(block);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_the_hex_md5() {
        // md5("") = d41d8cd98f00b204e9800998ecf8427e
        assert_eq!(&key_of(""), b"d41d8cd98f00b204e9800998ecf8427e");
        let key = key_of("k");
        let sealed = seal(&key, b"<root/>");
        let plain = decrypt_raw(&key, &sealed).unwrap();
        assert_eq!(&plain[..7], b"<root/>");
        assert_eq!(plain[15], 9);
    }
}
