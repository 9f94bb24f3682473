// Decrypts WeChat mini program open data (encryptedData + iv with the session_key), as wxdecrypt
// does: AES-128-CBC, PKCS#7 padding checked, then the watermark's appid. Cargo.toml:
//   [dependencies]
//   aes = "0.9"
//   cbc = { version = "0.2", features = ["alloc"] }
//   base64 = "0.22"
//   serde_json = "1"
use aes::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
use base64::Engine as _;

const APPID: &str = {{APPID}};
const SESSION_KEY: &str = {{SESSION_KEY}};
const IV: &str = {{IV}};
const ENCRYPTED_DATA: &str = {{ENCRYPTED_DATA}};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let key = b64.decode(SESSION_KEY)?;
    let iv = b64.decode(IV)?;
    let data = b64.decode(ENCRYPTED_DATA)?;
    // new_from_slices refuses a key or iv of another length (instead of a panic).
    let decryptor = cbc::Decryptor::<aes::Aes128>::new_from_slices(&key, &iv)
        .map_err(|_| "session_key and iv must be 16 bytes")?;
    // Unpadding checks PKCS#7: an error here is a wrong key or iv.
    let plain = decryptor
        .decrypt_padded_vec::<Pkcs7>(&data)
        .map_err(|_| "bad padding: a wrong session_key or iv")?;
    let info: serde_json::Value = serde_json::from_slice(&plain)?;
    if info["watermark"]["appid"] != APPID {
        return Err("watermark appid differs: the data is not for this mini program".into());
    }
    println!("{info}");
    Ok(())
}
