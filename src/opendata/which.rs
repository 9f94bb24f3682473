//! Which platform an inspection reads the payload as: the one chosen, else what the inputs say
//! (the appid's shape, Alipay's answer, a 24-byte key that opens Baidu's frame, a watermark that
//! spells `appId`), and the finding that says so — or, for a chosen platform the payload
//! contradicts, the warning.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::finding::{Code, Field};
use crate::opendata::cipher::{self, BLOCK};
use crate::opendata::inspect::{Ctx, looks_like_login_code};
use crate::platform::detect::{self, Reason};
use crate::platform::{Cipher, Platform, baidu};

pub(super) struct Which {
    pub(super) platform: Platform,
    chosen: bool,
    /// Why an unchosen platform other than WeChat was taken.
    reason: Option<Reason>,
    /// What the payload looks like instead of the chosen platform, and why.
    contradicted: Option<(Platform, Reason)>,
    /// What the payload may be when it does not decrypt as read (a stale Baidu key left to
    /// detection looks like a hex-encoded WeChat key), and why.
    suspect: Option<(Platform, Reason)>,
}

impl Which {
    /// `answer`: the data is my.getPhoneNumber's whole answer (Alipay's `response` + `sign`).
    pub(super) fn new(chosen: Option<Platform>, appid: &str, answer: bool) -> Which {
        match chosen {
            Some(platform) => Which {
                platform,
                chosen: true,
                reason: None,
                contradicted: (platform != Platform::Alipay && answer)
                    .then_some((Platform::Alipay, Reason::AlipayAnswer)),
                suspect: None,
            },
            None => {
                let found = detect::before_decryption(appid, answer);
                Which {
                    platform: found.map(|(p, _)| p).unwrap_or_default(),
                    chosen: false,
                    reason: found.map(|(_, r)| r),
                    contradicted: None,
                    suspect: None,
                }
            }
        }
    }

    /// Whether the fields as pasted open Baidu's frame (a 32-character session_key is 24 bytes;
    /// Baidu's look like hex, which WeChat's reading would take for a hex-encoded key). Makes an
    /// undecided payload Baidu's; contradicts another chosen platform.
    pub(super) fn by_trial(&mut self, key_raw: &str, iv_raw: &str, data_raw: &str) {
        if self.platform == Platform::Baidu || self.reason.is_some() {
            return;
        }
        let b64 = |s: &str| STANDARD.decode(s.trim()).ok();
        // The key first: anything but 24 bytes (32 characters) ends the trial at once.
        if key_raw.trim().len() != 32 {
            return;
        }
        let Some(key) = b64(key_raw).filter(|k| k.len() == baidu::KEY_BYTES) else {
            return;
        };
        let (Some(iv), Some(data)) = (b64(iv_raw), b64(data_raw)) else {
            return;
        };
        let opens = iv.len() == BLOCK
            && data.len() >= 2 * BLOCK
            && cipher::decrypt_raw(&key, &iv, &data)
                .is_some_and(|p| matches!(baidu::classify(&p), baidu::Outcome::Clean { .. }));
        if !opens {
            // Baidu's keys are 32 hex digits: if this one does not open WeChat's reading either,
            // it may be a stale Baidu key.
            if !self.chosen && key_raw.trim().bytes().all(|b| b.is_ascii_hexdigit()) {
                self.suspect = Some((Platform::Baidu, Reason::HexKey));
            }
            return;
        }
        if self.chosen {
            self.contradicted = Some((Platform::Baidu, Reason::BaiduKey));
        } else {
            self.platform = Platform::Baidu;
            self.reason = Some(Reason::BaiduKey);
        }
    }

    /// A 24-byte session_key that is not a wx.login code's shape: only Baidu's are that long.
    pub(super) fn by_key_length(&mut self, key: Option<&[u8]>, key_raw: &str) {
        if !self.chosen
            && self.reason.is_none()
            && key.is_some_and(|k| k.len() == baidu::KEY_BYTES)
            && !looks_like_login_code(key_raw)
        {
            self.platform = Platform::Baidu;
            self.reason = Some(Reason::BaiduKey);
        }
    }

    /// The watermark's spelling (as the interpretation found it): `appId` makes an undecided
    /// payload Xiaohongshu's; a spelling other than the chosen platform's is a contradiction.
    /// Returns whether the platform changed (the text is to be read again).
    pub(super) fn by_watermark(&mut self, spelling: Option<&str>) -> bool {
        let Some(spelling) = spelling.filter(|_| self.platform.cipher() == Cipher::Cbc128) else {
            return false;
        };
        // Xiaohongshu's doc does not settle the spelling: both are read.
        if self.platform.watermark_key() == Some(spelling) || self.platform == Platform::Xiaohongshu
        {
            return false;
        }
        let looks = match spelling {
            "appId" => Platform::Xiaohongshu,
            _ => Platform::Wechat,
        };
        if !self.chosen && self.reason.is_none() {
            self.platform = looks;
            self.reason = Some(Reason::WatermarkAppId);
            true
        } else {
            self.contradicted = Some((looks, Reason::WatermarkAppId));
            false
        }
    }

    /// Adds the platform finding, gives findings the platform's own hints, and moves findings
    /// about the data by `data_shift` chars (the response's place in a pasted Alipay answer).
    pub(super) fn finish(&self, cx: &mut Ctx, data_shift: usize) {
        let lang = cx.lang;
        if let (false, Some(reason)) = (self.chosen, self.reason) {
            let name = lang.tr(self.platform.label_key());
            cx.push(
                Code::PlatformDetected,
                Field::Platform,
                None,
                &[("platform", name), ("reason", lang.tr(reason.label_key()))],
            );
        }
        let failed = cx.has(Code::KeyMismatch);
        let suspect = self
            .suspect
            .filter(|_| failed && self.platform == Platform::Wechat);
        if let Some((looks, reason)) = self.contradicted.or(suspect) {
            cx.push(
                Code::PlatformMismatch,
                Field::Platform,
                None,
                &[
                    ("platform", lang.tr(self.platform.label_key())),
                    ("looks", lang.tr(looks.label_key())),
                    ("reason", lang.tr(reason.label_key())),
                ],
            );
        }
        for f in cx.findings_mut() {
            if let Some(key) = self.platform.hint_key(f.code) {
                f.hint = lang.fmt(key, &[("field", f.field.label(lang))]);
            }
            if f.field == Field::EncryptedData
                && let Some([s, e]) = f.span.as_mut()
            {
                *s += data_shift;
                *e += data_shift;
            }
        }
    }
}
