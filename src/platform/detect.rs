//! Telling a payload's platform from what the inputs say: the appid's shape, Alipay's answer, a
//! 24-byte session_key that opens Baidu's frame (a watermark spelling `appId` is told by the
//! interpretation, which reads the watermark anyway).

use super::Platform;

/// What gave the platform away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The appid has the platform's shape (`tt…` Douyin, 16 digits Alipay, 10 digits QQ).
    Appid,
    /// The data is my.getPhoneNumber's answer (`response` + `sign`).
    AlipayAnswer,
    /// The session_key is 24 bytes and opens Baidu's frame.
    BaiduKey,
    /// The watermark spells the appid `appId`.
    WatermarkAppId,
    /// The session_key is 32 hex digits (24 bytes as base64), as Baidu's are.
    HexKey,
}

impl Reason {
    /// Catalogue key of the explanation.
    pub fn label_key(self) -> &'static str {
        match self {
            Reason::Appid => "platform.reason.appid",
            Reason::AlipayAnswer => "platform.reason.alipay_answer",
            Reason::BaiduKey => "platform.reason.baidu_key",
            Reason::WatermarkAppId => "platform.reason.watermark_app_id",
            Reason::HexKey => "platform.reason.hex_key",
        }
    }
}

/// The platform an appid's shape names: `tt` + 16 hex digits (Douyin), 16 digits starting `20`
/// (Alipay), 10 digits starting `1` (QQ). WeChat's `wx` + 16 hex digits and anything else: `None`.
pub fn from_appid(appid: &str) -> Option<Platform> {
    let a = appid.trim();
    let digits = a.bytes().all(|b| b.is_ascii_digit());
    if a.len() == 18 && a.starts_with("tt") && a.bytes().skip(2).all(|b| b.is_ascii_hexdigit()) {
        Some(Platform::Douyin)
    } else if digits && a.len() == 16 && a.starts_with("20") {
        Some(Platform::Alipay)
    } else if digits && a.len() == 10 && a.starts_with('1') {
        Some(Platform::Qq)
    } else {
        None
    }
}

/// What the inputs say before anything is decrypted (`answer`: the data is Alipay's answer).
pub fn before_decryption(appid: &str, answer: bool) -> Option<(Platform, Reason)> {
    if answer {
        return Some((Platform::Alipay, Reason::AlipayAnswer));
    }
    from_appid(appid).map(|p| (p, Reason::Appid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appid_shapes() {
        assert_eq!(from_appid("tt07e3715e98c9aac0"), Some(Platform::Douyin));
        assert_eq!(from_appid("2021001234567890"), Some(Platform::Alipay));
        assert_eq!(from_appid("1109876543"), Some(Platform::Qq));
        assert_eq!(from_appid("wx4f4bc4dec97d474b"), None);
        assert_eq!(from_appid(""), None);
        assert_eq!(from_appid("ttnothexnothexnoth"), None);
    }
}
