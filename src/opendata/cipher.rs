//! AES-CBC and PKCS#7, as WeChat uses them for encrypted open data (AES-128; AES-192 for Baidu's
//! 24-byte session keys, chosen by the key's length).

use aes::cipher::block_padding::{NoPadding, Pkcs7};
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};

type Dec = cbc::Decryptor<aes::Aes128>;
type Enc = cbc::Encryptor<aes::Aes128>;
type Dec192 = cbc::Decryptor<aes::Aes192>;
type Enc192 = cbc::Encryptor<aes::Aes192>;

pub const BLOCK: usize = 16;

/// Decrypts whole blocks without removing padding. Trailing bytes past the last whole block are
/// ignored. AES-128 for a 16-byte key, AES-192 for a 24-byte one; `None` for any other key
/// length, or an iv that is not 16 bytes.
pub fn decrypt_raw(key: &[u8], iv: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    let whole = data.get(..data.len() - data.len() % BLOCK)?;
    if key.len() == 24 {
        let dec = Dec192::new_from_slices(key, iv).ok()?;
        return dec.decrypt_padded_vec::<NoPadding>(whole).ok();
    }
    let dec = Dec::new_from_slices(key, iv).ok()?;
    dec.decrypt_padded_vec::<NoPadding>(whole).ok()
}

/// Whether `key` gives the last ciphertext block `last` valid PKCS#7 padding, `prev` being the
/// block before it (or the iv): one block decrypted instead of the whole payload, the cheap check
/// before trying a key in full. A wrong key passes with p ≈ 1/256.
pub fn padding_plausible(key: &[u8], prev: &[u8], last: &[u8]) -> bool {
    let (Ok(dec), true) = (Dec::new_from_slices(key, prev), last.len() == BLOCK) else {
        return false;
    };
    let mut block = [0u8; BLOCK];
    block.copy_from_slice(last);
    match dec.decrypt_padded::<NoPadding>(&mut block) {
        Ok(plain) => matches!(check_pkcs7(plain), Padding::Valid { .. }),
        Err(_) => false,
    }
}

/// Encrypts with PKCS#7 padding: AES-128 for a 16-byte key, AES-192 for a 24-byte one. `None`
/// for any other key length, or an iv that is not 16 bytes.
pub fn encrypt_pkcs7(key: &[u8], iv: &[u8], plaintext: &[u8]) -> Option<Vec<u8>> {
    if key.len() == 24 {
        let enc = Enc192::new_from_slices(key, iv).ok()?;
        return Some(enc.encrypt_padded_vec::<Pkcs7>(plaintext));
    }
    let enc = Enc::new_from_slices(key, iv).ok()?;
    Some(enc.encrypt_padded_vec::<Pkcs7>(plaintext))
}

/// Encrypts bytes already padded to whole blocks with AES-192-CBC (Baidu's frame). `None` when
/// the key is not 24 bytes, the iv not 16, or the bytes not whole blocks.
pub fn encrypt_192_unpadded(key: &[u8], iv: &[u8], padded: &[u8]) -> Option<Vec<u8>> {
    if !padded.len().is_multiple_of(BLOCK) {
        return None;
    }
    let enc = Enc192::new_from_slices(key, iv).ok()?;
    Some(enc.encrypt_padded_vec::<NoPadding>(padded))
}

/// The state of PKCS#7 padding at the end of a decrypted buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Padding {
    /// `len` padding bytes, all equal to `len`.
    Valid { len: usize },
    /// The last byte claims `claimed` padding bytes; `bad_at` is the first byte (from the end's start
    /// of the claimed range) that disagrees, or the last byte when the claim itself is impossible.
    Invalid { claimed: u8, start: usize },
}

/// Checks PKCS#7 padding byte by byte.
pub fn check_pkcs7(plain: &[u8]) -> Padding {
    let Some(&last) = plain.last() else {
        return Padding::Invalid {
            claimed: 0,
            start: 0,
        };
    };
    let n = last as usize;
    if n == 0 || n > BLOCK || n > plain.len() {
        return Padding::Invalid {
            claimed: last,
            start: plain.len() - 1,
        };
    }
    let start = plain.len() - n;
    if plain[start..].iter().all(|&b| b == last) {
        Padding::Valid { len: n }
    } else {
        Padding::Invalid {
            claimed: last,
            start,
        }
    }
}

/// Fills `buf` with random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], String> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| e.to_string())?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cheap_check_agrees_with_a_full_decryption() {
        let (key, iv) = (*b"1234567890abcdef", *b"fedcba0987654321");
        let data = encrypt_pkcs7(&key, &iv, b"{\"a\":\"some text past one block\"}").unwrap();
        let n = data.len();
        assert!(padding_plausible(
            &key,
            &data[n - 32..n - 16],
            &data[n - 16..]
        ));
        let wrong: Vec<bool> = (0..64u8)
            .map(|s| padding_plausible(&[s; 16], &data[n - 32..n - 16], &data[n - 16..]))
            .collect();
        for (s, passed) in wrong.iter().enumerate() {
            let full = decrypt_raw(&[s as u8; 16], &iv, &data).unwrap();
            assert_eq!(*passed, matches!(check_pkcs7(&full), Padding::Valid { .. }));
        }
    }

    #[test]
    fn round_trip_and_padding() {
        let key = [7u8; 16];
        let iv = [9u8; 16];
        let ct = encrypt_pkcs7(&key, &iv, b"hello").unwrap();
        assert_eq!(ct.len(), 16);
        let pt = decrypt_raw(&key, &iv, &ct).unwrap();
        assert_eq!(&pt[..5], b"hello");
        assert_eq!(check_pkcs7(&pt), Padding::Valid { len: 11 });
        assert!(matches!(
            check_pkcs7(b"abc\x02"),
            Padding::Invalid {
                claimed: 2,
                start: 2
            }
        ));
        assert!(matches!(
            check_pkcs7(b"abc\x00"),
            Padding::Invalid {
                claimed: 0,
                start: 3
            }
        ));
    }
}
