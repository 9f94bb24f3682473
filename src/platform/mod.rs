//! The mini program platforms that copied WeChat's open-data scheme, and what each changes: the
//! cipher and its framing, the watermark's key, the hints. [`detect`] tells a platform from the
//! inputs where they say it; [`baidu`] and [`alipay`] hold the two schemes that differ in the bytes.

pub mod alipay;
pub mod baidu;
pub mod detect;

use serde::{Deserialize, Serialize};

use crate::finding::Code;

/// A mini program platform. WeChat is the default; the others are read the same way except where
/// [`Platform::cipher`], [`Platform::watermark_key`] and the hints say otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Platform {
    #[default]
    Wechat,
    Qq,
    Douyin,
    Xiaohongshu,
    Baidu,
    Alipay,
}

/// The watermark a platform puts in the decrypted JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatermarkRule {
    /// The appid's key in the watermark object.
    pub key: &'static str,
    /// Whether a payload without one is suspect (`watermark.missing`).
    pub required: bool,
}

/// How a platform encrypts open data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cipher {
    /// AES-128-CBC with the session_key and the iv, PKCS#7 (WeChat, QQ, Douyin, Xiaohongshu).
    Cbc128,
    /// AES-192-CBC with a 24-byte session_key; the plaintext is framed as 16 random bytes, a
    /// 4-byte big-endian length, the content and the app key; PKCS#7 to 32-byte blocks.
    Baidu,
    /// AES-128-CBC with the console's AES key and an all-zero iv, PKCS#7 (no iv is sent).
    Alipay,
}

impl Platform {
    pub const ALL: [Platform; 6] = [
        Platform::Wechat,
        Platform::Qq,
        Platform::Douyin,
        Platform::Xiaohongshu,
        Platform::Baidu,
        Platform::Alipay,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Wechat => "wechat",
            Platform::Qq => "qq",
            Platform::Douyin => "douyin",
            Platform::Xiaohongshu => "xiaohongshu",
            Platform::Baidu => "baidu",
            Platform::Alipay => "alipay",
        }
    }

    pub fn parse(s: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Catalogue key of the platform's display name.
    pub fn label_key(self) -> &'static str {
        match self {
            Platform::Wechat => "platform.wechat",
            Platform::Qq => "platform.qq",
            Platform::Douyin => "platform.douyin",
            Platform::Xiaohongshu => "platform.xiaohongshu",
            Platform::Baidu => "platform.baidu",
            Platform::Alipay => "platform.alipay",
        }
    }

    pub fn cipher(self) -> Cipher {
        match self {
            Platform::Baidu => Cipher::Baidu,
            Platform::Alipay => Cipher::Alipay,
            _ => Cipher::Cbc128,
        }
    }

    /// The key of the watermark object's appid (`None`: the platform puts no watermark in).
    pub fn watermark_key(self) -> Option<&'static str> {
        self.watermark().map(|w| w.key)
    }

    /// What the platform's watermark looks like (`None`: it puts none in; Baidu's frame ends
    /// with the app key instead).
    pub fn watermark(self) -> Option<WatermarkRule> {
        match self {
            // Xiaohongshu spells it appId; the doc is unclear, so appid is read too.
            Platform::Xiaohongshu => Some(WatermarkRule {
                key: "appId",
                required: true,
            }),
            Platform::Baidu | Platform::Alipay => None,
            // Newer Douyin payloads may come without one.
            Platform::Douyin => Some(WatermarkRule {
                key: "appid",
                required: false,
            }),
            Platform::Wechat | Platform::Qq => Some(WatermarkRule {
                key: "appid",
                required: true,
            }),
        }
    }

    /// How many bytes the session key (Alipay: the console's AES key) decodes to: the first is
    /// the documented one. Xiaohongshu's doc says AES-128 and a 24-byte key, so both are read.
    pub fn key_lengths(self) -> &'static [usize] {
        match self {
            Platform::Baidu => &[24],
            Platform::Xiaohongshu => &[16, 24],
            _ => &[16],
        }
    }

    /// The documented key length (the first of [`Platform::key_lengths`]).
    pub fn key_bytes(self) -> usize {
        self.key_lengths().first().copied().unwrap_or(16)
    }

    /// Whether the payload comes with an iv (Alipay's does not: the iv is all zeros).
    pub fn sends_iv(self) -> bool {
        self != Platform::Alipay
    }

    /// The catalogue key of this platform's own hint for `code`, where the WeChat one would
    /// mislead (another login call, another code exchange, another key).
    pub fn hint_key(self, code: Code) -> Option<&'static str> {
        use Code::*;
        use Platform::*;
        Some(match (self, code) {
            (Qq, KeyMismatch) => "platform.qq.hint.key_mismatch",
            (Qq, InputLooksLikeCode) => "platform.qq.hint.looks_like_code",
            (Douyin, KeyMismatch) => "platform.douyin.hint.key_mismatch",
            (Douyin, InputLooksLikeCode) => "platform.douyin.hint.looks_like_code",
            (Xiaohongshu, KeyMismatch) => "platform.xiaohongshu.hint.key_mismatch",
            (Xiaohongshu, InputLooksLikeCode) => "platform.xiaohongshu.hint.looks_like_code",
            (Qq | Douyin | Xiaohongshu, WatermarkMissing) => {
                "platform.other.hint.watermark_missing"
            }
            (Qq | Douyin | Xiaohongshu, WatermarkAppidMismatch) => {
                "platform.other.hint.appid_mismatch"
            }
            (Baidu, KeyMismatch) => "platform.baidu.hint.key_mismatch",
            (Baidu, KeyLength) => "platform.baidu.hint.key_length",
            (Baidu, InputLooksLikeCode) => "platform.baidu.hint.looks_like_code",
            (Alipay, KeyMismatch) => "platform.alipay.hint.key_mismatch",
            (Alipay, KeyLength) => "platform.alipay.hint.key_length",
            (Alipay, InputLooksLikeCode) => "platform.alipay.hint.looks_like_code",
            _ => return None,
        })
    }

    /// Every platform hint key (the catalogue tests check each exists in both languages).
    pub fn all_hint_keys() -> impl Iterator<Item = &'static str> {
        Platform::ALL.into_iter().flat_map(|p| {
            [
                Code::KeyMismatch,
                Code::KeyLength,
                Code::InputLooksLikeCode,
                Code::WatermarkMissing,
                Code::WatermarkAppidMismatch,
            ]
            .into_iter()
            .filter_map(move |c| p.hint_key(c))
        })
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for p in Platform::ALL {
            assert_eq!(Platform::parse(p.as_str()), Some(p));
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.as_str())
            );
        }
        assert_eq!(Platform::parse("WeChat"), None);
    }
}
