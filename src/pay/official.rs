//! What the usual Pay SDKs and runtimes log for a notification: Pay has no numeric codes, each
//! stack throws its own error (JDK `AEADBadTagException`, Go's `cipher: message authentication
//! failed`, …) — the words a developer searches for.

use crate::envelope::BackendSays;

/// How the decryption ended, as the runtimes see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Verified and decrypted.
    Ok,
    /// Not attempted: a field is missing or unsupported.
    NotRun,
    /// The key is not 32 bytes (its length).
    KeyLength(usize),
    /// The nonce is not 12 bytes (its length).
    NonceLength(usize),
    /// The tag did not verify.
    AuthFailed,
    /// APIv2: the PKCS#7 padding is wrong after AES-256-ECB.
    BadPadding,
}

fn line(backend: &'static str, ok: bool, says: String) -> BackendSays {
    BackendSays {
        backend,
        ok,
        code: None,
        says,
    }
}

/// The report's `official` lines for an outcome.
pub fn says(outcome: Outcome) -> Vec<BackendSays> {
    const AUTH: [(&str, &str); 4] = [
        ("java", "javax.crypto.AEADBadTagException: Tag mismatch"),
        ("go", "cipher: message authentication failed"),
        (
            "node",
            "Error: Unsupported state or unable to authenticate data",
        ),
        ("python", "cryptography.exceptions.InvalidTag"),
    ];
    match outcome {
        Outcome::NotRun => Vec::new(),
        Outcome::Ok => ["java", "go", "node", "python"]
            .into_iter()
            .map(|b| line(b, true, "OK".into()))
            .collect(),
        Outcome::AuthFailed => AUTH
            .into_iter()
            .map(|(b, s)| line(b, false, s.into()))
            .collect(),
        Outcome::KeyLength(n) => vec![
            line(
                "java",
                false,
                format!("java.security.InvalidKeyException: Invalid AES key length: {n} bytes"),
            ),
            line("go", false, format!("crypto/aes: invalid key size {n}")),
            line("node", false, "RangeError: Invalid key length".into()),
            line(
                "python",
                false,
                "ValueError: AESGCM key must be 128, 192, or 256 bits.".into(),
            ),
        ],
        Outcome::NonceLength(_) => vec![
            line("java", false, AUTH[0].1.into()),
            line(
                "go",
                false,
                "panic: crypto/cipher: incorrect nonce length given to GCM".into(),
            ),
            line("node", false, AUTH[2].1.into()),
            line("python", false, AUTH[3].1.into()),
        ],
        Outcome::BadPadding => vec![line(
            "java",
            false,
            "javax.crypto.BadPaddingException: Given final block not properly padded".into(),
        )],
    }
}
