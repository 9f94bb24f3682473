//! Decrypting a framed payload (Baidu: AES-192-CBC, the content between a random block and the
//! app key) and naming what went wrong, as [`super::inspect`] does for WeChat's plain text.

use crate::finding::{Code, Field};
use crate::msg::crypt::{Pad, check_pad};
use crate::opendata::Decryption;
use crate::opendata::cipher::{self, Padding};
use crate::opendata::diagnose;
use crate::opendata::inspect::{Ctx, Decrypted};
use crate::platform::baidu::{self, Outcome};

/// Decrypts `data` and checks the frame; the content is the text to interpret. The app key in
/// the frame is compared with `app_key` (what the user gave in the appid field).
pub(super) fn decrypt(
    cx: &mut Ctx,
    key: &[u8],
    iv: &[u8],
    data: &[u8],
    app_key: &str,
    data_raw: &str,
) -> Decrypted {
    let mut out = Decrypted::default();
    let Some(plain) = cipher::decrypt_raw(key, iv, data) else {
        return out;
    };
    cx.detail.padding = Some(match check_pad(&plain) {
        Pad::Valid(len) => Padding::Valid { len },
        Pad::Invalid { last } => Padding::Invalid {
            claimed: last,
            start: plain.len().saturating_sub(1),
        },
    });
    cx.detail.text_blocks = diagnose::text_blocks(&plain);
    match baidu::classify(&plain) {
        Outcome::Clean {
            content,
            app_key: found,
        } => {
            cx.detail.decryption = Decryption::AsGiven;
            out.text = plain
                .get(content)
                .and_then(|c| String::from_utf8(c.to_vec()).ok());
            let found = String::from_utf8_lossy(plain.get(found).unwrap_or_default());
            let expected = app_key.trim();
            if expected.is_empty() {
                cx.push(
                    Code::AppKeyUnchecked,
                    Field::Appid,
                    None,
                    &[("found", &found)],
                );
            } else if expected != found {
                cx.push(
                    Code::AppKeyMismatch,
                    Field::Appid,
                    None,
                    &[("expected", expected), ("found", &found)],
                );
            }
        }
        Outcome::Truncated => cx.push_truncated(data.len(), data_raw),
        Outcome::Corrupted { block } => cx.push_corrupted(block, data_raw),
        Outcome::KeyMismatch => cx.push_key_mismatch(),
        Outcome::LengthInvalid { length, available } => cx.push(
            Code::FrameLengthInvalid,
            Field::Plaintext,
            None,
            &[
                ("length", &length.to_string()),
                ("available", &available.to_string()),
            ],
        ),
        Outcome::NotUtf8 { at } => cx.push_not_utf8(&plain, at),
    }
    cx.detail.decrypted = plain;
    out
}
