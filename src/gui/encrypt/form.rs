//! The Encrypt view's state without drawing: payload templates, the watermark and key fields,
//! single and batch encryption, and masking for read-only displays.

use chrono::TimeZone as _;
use serde_json::{Value, json};

use crate::i18n::Lang;
use crate::opendata::Input;
use crate::opendata::cipher;
use crate::opendata::encrypt::{self, EncryptRequest, Encrypted};
use crate::opendata::normalize;
use crate::opendata::tamper::{self, BatchFormat};
use crate::platform::Platform;

/// Payload templates, shaped like what WeChat returns for each API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    Phone,
    UserInfo,
    Werun,
    ShareInfo,
    Custom,
}

impl Template {
    pub const ALL: [Template; 5] = [
        Template::Phone,
        Template::UserInfo,
        Template::Werun,
        Template::ShareInfo,
        Template::Custom,
    ];

    pub fn label_key(self) -> &'static str {
        match self {
            Template::Phone => "encrypt.template.phone",
            Template::UserInfo => "encrypt.template.user_info",
            Template::Werun => "encrypt.template.werun",
            Template::ShareInfo => "encrypt.template.share_info",
            Template::Custom => "encrypt.template.custom",
        }
    }
}

/// The default phone number of the phone template.
pub const DEFAULT_PHONE: &str = "13800138000";

/// The template a template batch starts with: a phone number, each value in both phone fields.
pub const DEFAULT_TEMPLATE: &str =
    r#"{"phoneNumber":"%%","purePhoneNumber":"%%","countryCode":"86"}"#;
/// The appid of the official demo, the default watermark appid.
pub const DEFAULT_APPID: &str = "wx4f4bc4dec97d474b";

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// The payload text of a template (without watermark; the watermark is added when encrypting).
pub fn template_payload(t: Template, phone: &str, now: i64) -> String {
    match t {
        Template::Phone => pretty(&encrypt::phone_payload(phone)),
        Template::UserInfo => pretty(&json!({
            "openId": "oGZUI0egBJY1zhBYw2KhdUfwVJJE",
            "nickName": "Band",
            "gender": 1,
            "language": "zh_CN",
            "city": "Guangzhou",
            "province": "Guangdong",
            "country": "CN",
            "avatarUrl": "http://wx.qlogo.cn/mmopen/vi_32/aSKcBBPpibyKNicHNTMM0qJVh8Kjgiak2AHWr8MHM4WgMEm7GFhsf8OYrySdbvAMvTsw3mo8ibKicsnfN5pRjl1p8HQ/0",
            "unionId": "ocMvos6NjeKLIBqg5Mr9QjxrP1FA"
        })),
        Template::Werun => pretty(&werun(now)),
        Template::ShareInfo => pretty(&json!({ "openGId": "tG-bRkbpkDhhLs6NcJDdgXGnv2IB" })),
        Template::Custom => "{\n  \n}".to_string(),
    }
}

/// Seven days of steps, one entry per local midnight, oldest first (as wx.getWeRunData gives).
fn werun(now: i64) -> Value {
    const STEPS: [u32; 7] = [8012, 10234, 6543, 12876, 4321, 9876, 7345];
    let today = chrono::DateTime::from_timestamp(now, 0)
        .map(|utc| utc.with_timezone(&chrono::Local).date_naive())
        .unwrap_or_default();
    let list: Vec<Value> = STEPS
        .iter()
        .enumerate()
        .map(|(i, steps)| {
            let back = (STEPS.len() - 1 - i) as u64;
            let day = today
                .checked_sub_days(chrono::Days::new(back))
                .unwrap_or(today);
            let ts = day
                .and_hms_opt(0, 0, 0)
                .and_then(|dt| chrono::Local.from_local_datetime(&dt).earliest())
                .map(|dt| dt.timestamp())
                .unwrap_or(now - back as i64 * 86_400);
            json!({ "timestamp": ts, "step": steps })
        })
        .collect();
    json!({ "stepInfoList": list })
}

/// Everything the Encrypt view edits and shows.
#[derive(Debug, Clone, PartialEq)]
pub struct EncryptForm {
    pub template: Template,
    /// The phone number of the phone template.
    pub phone: String,
    /// JSON or text to encrypt.
    pub payload: String,
    pub appid: String,
    /// Use the current time as the watermark timestamp.
    pub timestamp_now: bool,
    /// Unix seconds, used when `timestamp_now` is off.
    pub timestamp: String,
    pub no_watermark: bool,
    pub session_key: String,
    pub iv: String,
    pub result: Option<Encrypted>,
    /// The last error, for the user.
    pub error: Option<String>,
    /// Phone numbers, one per line, for batch mode.
    pub batch_numbers: String,
    /// The JSON Lines of the last batch.
    pub batch_output: String,
    pub batch_count: usize,
    /// Batch from a template (`%%` replaced by each line) instead of phone numbers.
    pub batch_template: bool,
    /// The platform whose scheme encrypts (Baidu's frame, Alipay's zero iv, Xiaohongshu's appId).
    pub platform: Platform,
    /// The template of a template batch.
    pub template_text: String,
    pub batch_format: BatchFormat,
    /// The iv every line of a `lines` / `urlencoded` batch shares (made when none was given).
    pub batch_iv: Option<String>,
}

impl Default for EncryptForm {
    fn default() -> Self {
        EncryptForm::new()
    }
}

impl EncryptForm {
    pub fn new() -> EncryptForm {
        EncryptForm {
            template: Template::Phone,
            phone: DEFAULT_PHONE.to_string(),
            payload: template_payload(Template::Phone, DEFAULT_PHONE, 0),
            appid: DEFAULT_APPID.to_string(),
            timestamp_now: true,
            timestamp: String::new(),
            no_watermark: false,
            session_key: String::new(),
            batch_template: false,
            platform: Platform::Wechat,
            template_text: DEFAULT_TEMPLATE.to_string(),
            batch_format: BatchFormat::Jsonl,
            batch_iv: None,
            iv: String::new(),
            result: None,
            error: None,
            batch_numbers: String::new(),
            batch_output: String::new(),
            batch_count: 0,
        }
    }

    /// Switches template and replaces the payload with it.
    pub fn set_template(&mut self, t: Template, now: i64) {
        self.template = t;
        self.payload = template_payload(t, &self.phone, now);
    }

    /// Sets the phone number; with the phone template the payload follows, consistently.
    pub fn set_phone(&mut self, phone: &str) {
        self.phone = phone.to_string();
        self.phone_changed();
    }

    /// Call after editing `phone` in place.
    pub fn phone_changed(&mut self) {
        if self.template == Template::Phone {
            self.payload = template_payload(Template::Phone, &self.phone, 0);
        }
    }

    /// The watermark timestamp.
    pub fn timestamp_value(&self, now: i64, lang: Lang) -> Result<i64, String> {
        if self.timestamp_now {
            return Ok(now);
        }
        self.timestamp
            .trim()
            .parse::<i64>()
            .map_err(|_| lang.tr("encrypt.error.timestamp").to_string())
    }

    fn request(
        &self,
        payload: String,
        iv: Option<String>,
        now: i64,
        lang: Lang,
    ) -> Result<EncryptRequest, String> {
        let appid = self.appid.trim();
        Ok(EncryptRequest {
            payload,
            session_key: Some(self.session_key.clone()),
            iv,
            appid: (!appid.is_empty()).then(|| appid.to_string()),
            timestamp: Some(self.timestamp_value(now, lang)?),
            watermark: !self.no_watermark,
            now,
        })
    }

    /// Encrypts the payload. Generated key and iv are written back into their fields.
    pub fn encrypt(&mut self, now: i64, lang: Lang) -> Result<(), String> {
        let result = self
            .request(self.payload.clone(), Some(self.iv.clone()), now, lang)
            .and_then(|req| encrypt::encrypt_for(&req, self.platform).map_err(|e| e.message(lang)));
        match result {
            Ok(enc) => {
                if enc.key_generated {
                    self.session_key = enc.session_key.clone();
                }
                if enc.iv_generated {
                    self.iv = enc.iv.clone();
                }
                self.result = Some(enc);
                self.error = None;
                Ok(())
            }
            Err(e) => {
                self.result = None;
                self.error = Some(e.clone());
                Err(e)
            }
        }
    }

    /// The four fields for the Inspect tab, once something was encrypted.
    pub fn inspect_input(&self) -> Option<Input> {
        self.result
            .as_ref()
            .map(|r| Input::new(self.appid.trim(), &r.session_key, &r.iv, &r.encrypted_data))
    }

    /// A fresh random session_key in the field, as long as the platform's (Baidu: 24 bytes).
    pub fn generate_key(&mut self, lang: Lang) -> Result<(), String> {
        let key = encrypt::random_key(self.platform)
            .map_err(|e| lang.fmt("encrypt.error.random", &[("msg", &e)]))?;
        self.session_key = normalize::encode(&key);
        Ok(())
    }

    /// A fresh random iv in the field.
    pub fn generate_iv(&mut self, lang: Lang) -> Result<(), String> {
        self.iv = random_b64(lang)?;
        Ok(())
    }

    /// A template batch: one payload per line of `batch_numbers`, `%%` of `template_text`
    /// replaced by it, with the key given and the iv given (fixed) or random, written in
    /// `batch_format` (as `wxdecrypt encrypt --template`). Returns the count.
    fn run_template(&mut self, values: &[String], now: i64, lang: Lang) -> Result<usize, String> {
        if self.session_key.trim().is_empty() {
            return Err(lang.tr("cli.encrypt.template_needs_key").to_string());
        }
        if !self.template_text.contains(tamper::PLACEHOLDER) {
            return Err(lang.tr("cli.encrypt.no_placeholder").to_string());
        }
        let ts = self.timestamp_value(now, lang)?;
        let out = tamper::batch(&tamper::Batch {
            template: &self.template_text,
            values: values.iter().map(String::as_str).collect(),
            session_key: &self.session_key,
            iv: Some(self.iv.as_str()).filter(|i| !i.trim().is_empty()),
            appid: Some(self.appid.as_str()).filter(|a| !self.no_watermark && !a.trim().is_empty()),
            format: self.batch_format,
            now: ts,
            platform: self.platform,
        })
        .map_err(|e| e.message(lang))?;
        self.batch_iv = out.shared_iv.filter(|_| self.iv.trim().is_empty());
        self.batch_count = out.lines.len();
        self.batch_output = out.lines.join("\n") + "\n";
        Ok(self.batch_count)
    }

    /// Encrypts one phone payload per line of `batch_numbers` (same key, fresh iv each) into
    /// JSON Lines `{"phone","iv","encryptedData","sessionKey"}` — or, with `batch_template`, one
    /// payload of the template per line. Returns the count.
    pub fn run_batch(&mut self, now: i64, lang: Lang) -> Result<usize, String> {
        let numbers: Vec<String> = self
            .batch_numbers
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        if numbers.is_empty() {
            return Err(lang.tr("encrypt.batch.empty").to_string());
        }
        if self.batch_template {
            return self.run_template(&numbers, now, lang);
        }
        self.batch_iv = None;
        if self.session_key.trim().is_empty() {
            self.generate_key(lang)?;
        }
        let mut out = String::new();
        for n in &numbers {
            let payload = encrypt::phone_payload(n).to_string();
            let req = self.request(payload, None, now, lang)?;
            let enc = encrypt::encrypt_for(&req, self.platform).map_err(|e| e.message(lang))?;
            let line = json!({
                "phone": n,
                "iv": enc.iv,
                "encryptedData": enc.encrypted_data,
                "sessionKey": enc.session_key,
            });
            out.push_str(&line.to_string());
            out.push('\n');
        }
        self.batch_output = out;
        self.batch_count = numbers.len();
        Ok(numbers.len())
    }
}

fn random_b64(lang: Lang) -> Result<String, String> {
    cipher::random_bytes::<16>()
        .map(|b| normalize::encode(&b))
        .map_err(|e| lang.fmt("encrypt.error.random", &[("msg", &e)]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opendata::{Options, inspect};

    const KEY: &str = "tiihtNczf5v6AKRyjwEUhQ==";

    #[test]
    fn phone_round_trip_through_inspect() {
        let mut f = EncryptForm::new();
        f.set_phone("13912345678");
        f.session_key = KEY.into();
        f.encrypt(1_700_000_000, Lang::En).unwrap();
        let input = f.inspect_input().unwrap();
        assert_eq!(input.session_key, KEY);
        let r = inspect(&input, &Options::new(1_700_000_100, Lang::En));
        assert!(r.ok, "{:?}", r.findings);
        let data = r.data.unwrap();
        assert_eq!(data["phoneNumber"], "13912345678");
        assert_eq!(data["purePhoneNumber"], "13912345678");
        assert_eq!(data["countryCode"], "86");
        assert_eq!(data["watermark"]["appid"], DEFAULT_APPID);
    }

    #[test]
    fn bad_json_reports_line_and_column() {
        let mut f = EncryptForm::new();
        f.template = Template::Custom;
        f.payload = "{\n  \"a\": }".into();
        let e = f.encrypt(0, Lang::En).unwrap_err();
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn batch_uses_one_key_and_fresh_ivs() {
        let mut f = EncryptForm::new();
        f.batch_numbers = "13800000001\n\n+852 61234567\n".into();
        assert_eq!(f.run_batch(1_700_000_000, Lang::En).unwrap(), 2);
        let lines: Vec<Value> = f
            .batch_output
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["sessionKey"], lines[1]["sessionKey"]);
        assert_ne!(lines[0]["iv"], lines[1]["iv"]);
        let input = Input::new(
            DEFAULT_APPID,
            lines[1]["sessionKey"].as_str().unwrap(),
            lines[1]["iv"].as_str().unwrap(),
            lines[1]["encryptedData"].as_str().unwrap(),
        );
        let r = inspect(&input, &Options::new(1_700_000_000, Lang::En));
        assert_eq!(r.data.unwrap()["purePhoneNumber"], "61234567");
    }

    #[test]
    fn werun_has_seven_days() {
        let v: Value =
            serde_json::from_str(&template_payload(Template::Werun, "", 1_700_000_000)).unwrap();
        assert_eq!(v["stepInfoList"].as_array().map(Vec::len), Some(7));
    }
}
