//! What a person reads about a report: the verdict sentence, the watermark age in words, a one-line
//! summary of the data, the short outcome of a table row, times in local time. The CLI and the
//! GUI both print these, so the same report always reads the same way.

pub mod text;

use serde_json::Value;

use crate::case::CaseKind;
use crate::finding::{Code, Finding, Severity};
use crate::i18n::Lang;
use crate::inspected::Inspected;
use crate::opendata::interpret::Kind;
use crate::opendata::{Report, official};
use crate::pair::{KeyFrom, Source};
use crate::privacy;

/// The mark before a verdict: decrypted or not.
pub fn mark(ok: bool) -> &'static str {
    if ok { "✔" } else { "✘" }
}

/// The verdict of one inspection, in the words both faces show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub ok: bool,
    /// The severity of the finding that explains the verdict (None: nothing to say).
    pub severity: Option<Severity>,
    /// One sentence: `Decrypted: User info.`, or `Not decrypted. <the cause>`.
    pub text: String,
    /// What the warning is, when the data decrypted with a warning.
    pub warning: Option<String>,
    /// What to do about it.
    pub hint: Option<String>,
    /// `Official SDK would return -41003 (IllegalBuffer).`
    pub official: String,
}

impl Verdict {
    /// The verdict line the CLI prints first: the mark and the sentence.
    pub fn line(&self) -> String {
        format!("{} {}", mark(self.ok), self.text)
    }
}

/// Whether WeChat's official samples (and the backends modelled on them) read this payload's
/// cipher: not for Baidu's and Alipay's, which other SDKs decrypt.
pub fn official_applies(report: &Report) -> bool {
    report.platform.cipher() == crate::platform::Cipher::Cbc128
}

/// The verdict of `report` in `lang`.
pub fn verdict(report: &Report, lang: Lang) -> Verdict {
    let code = report.official_code;
    let official = match official_applies(report) {
        true => lang.fmt(
            "verdict.official",
            &[("code", &code.to_string()), ("name", official::name(code))],
        ),
        false => String::new(),
    };
    let kind = report.kind.map(|k| k.label_key());
    verdict_of(
        report.ok,
        kind,
        crate::finding::primary(&report.findings),
        official,
        lang,
    )
}

/// The verdict of any inspector's report: whether it decrypted, the catalogue key of what it
/// holds, the finding that explains it, and the official line already worded.
pub fn verdict_of(
    ok: bool,
    kind_key: Option<&str>,
    primary: Option<&Finding>,
    official: String,
    lang: Lang,
) -> Verdict {
    let text = if ok {
        let kind = kind_key.map_or("-", |k| lang.tr(k));
        let key = if primary.is_some() {
            "verdict.ok_warnings"
        } else {
            "verdict.ok"
        };
        lang.fmt(key, &[("kind", kind)])
    } else {
        match primary {
            Some(f) => format!("{} {}", lang.tr("verdict.fail"), f.message),
            None => lang.tr("verdict.fail").to_string(),
        }
    };
    Verdict {
        ok,
        severity: primary.map(|f| f.severity),
        text,
        warning: primary.filter(|_| ok).map(|f| f.message.clone()),
        hint: primary.map(|f| f.hint.clone()).filter(|h| !h.is_empty()),
        official,
    }
}

/// One line of "what your backend logs": which code, and what it returned or threw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendLine {
    /// `PHP sample (WXBizDataCrypt)`, …
    pub who: String,
    /// `returns -41003 (IllegalBuffer)`, `throws javax.crypto.BadPaddingException: Given final…`.
    pub says: String,
    pub ok: bool,
}

/// What each common backend does with the payload as received (the report's `official` table),
/// in the order PHP, Node.js, Python, Java.
pub fn backend_lines(report: &Report, lang: Lang) -> Vec<BackendLine> {
    if !official_applies(report) {
        return Vec::new();
    }
    let o = &report.official;
    [
        ("backend.php", &o.php),
        ("backend.node", &o.node),
        ("backend.python", &o.python),
        ("backend.java", &o.java),
    ]
    .into_iter()
    .map(|(who, s)| BackendLine {
        who: lang.tr(who).to_string(),
        says: match (s.code, &s.exception) {
            (Some(code), _) => lang.fmt(
                "backend.returns",
                &[("code", &code.to_string()), ("name", official::name(code))],
            ),
            (None, Some(class)) => lang.fmt(
                "backend.throws",
                &[
                    ("exception", class),
                    ("message", s.message.as_deref().unwrap_or("")),
                ],
            ),
            (None, None) => lang.tr("backend.fine").to_string(),
        },
        ok: s.ok,
    })
    .collect()
}

/// Where the key that opened a payload came from, for tables (`same_request`, `a.har#12`,
/// `keyring:QA 1`), or `—` when no key opened it.
pub fn key_text(key_from: Option<&KeyFrom>) -> String {
    key_from.map_or_else(|| "—".to_string(), KeyFrom::short)
}

/// Where the key that opened a payload came from, in words, for the row of the payload found at
/// `item`: `this request`, `response of entry #3`, `request of line 12 in other.log`,
/// `key ring: QA 1`; `—` when no key opened it.
pub fn key_words(key_from: Option<&KeyFrom>, item: &Source, lang: Lang) -> String {
    let Some(k) = key_from else {
        return "—".to_string();
    };
    match k {
        KeyFrom::SameRequest => lang.tr("keyfrom.same_request").to_string(),
        KeyFrom::Capture {
            source,
            in_response,
        } => {
            let place = match (source.entry, source.line) {
                (Some(n), _) => lang.fmt("keyfrom.entry", &[("n", &n.to_string())]),
                (None, Some(n)) => lang.fmt("keyfrom.line", &[("n", &n.to_string())]),
                (None, None) => source.file.clone(),
            };
            let whole_file = source.entry.is_none() && source.line.is_none();
            let place = if whole_file || source.file == item.file {
                place
            } else {
                lang.fmt(
                    "keyfrom.in_file",
                    &[("place", &place), ("file", &source.file)],
                )
            };
            let key = if *in_response {
                "keyfrom.response"
            } else {
                "keyfrom.request"
            };
            lang.fmt(key, &[("place", &place)])
        }
        KeyFrom::Keyring { index, label } => {
            let name = label.clone().unwrap_or_else(|| format!("#{}", index + 1));
            lang.fmt("keyfrom.keyring", &[("label", &name)])
        }
    }
}

/// A captured time (RFC 3339, as HAR files and most logs write it) as a short local time:
/// `11-20 10:00:05`, with the year when it is not the year of `now`: `2024-05-01 10:00:05`. None
/// when it does not parse (show the text as it is).
pub fn short_time(text: &str, now: i64) -> Option<String> {
    use chrono::{Datelike as _, TimeZone as _};
    let local = chrono::DateTime::parse_from_rfc3339(text.trim())
        .ok()?
        .with_timezone(&chrono::Local);
    let this_year = chrono::Local
        .timestamp_opt(now, 0)
        .single()
        .map(|d| d.year());
    let format = if this_year == Some(local.year()) {
        "%m-%d %H:%M:%S"
    } else {
        "%Y-%m-%d %H:%M:%S"
    };
    Some(local.format(format).to_string())
}

/// A watermark age in words (`90 s ago`, `3 days ago`), or how far in the future it is.
pub fn age_text(lang: Lang, age_seconds: i64) -> String {
    let n = |v: i64| v.to_string();
    match age_seconds {
        s if s < 0 => lang.fmt("age.future", &[("n", &n(s.saturating_neg()))]),
        s if s < 120 => lang.fmt("age.seconds", &[("n", &n(s))]),
        s if s < 2 * 3600 => lang.fmt("age.minutes", &[("n", &n(s / 60))]),
        s if s < 2 * 86400 => lang.fmt("age.hours", &[("n", &n(s / 3600))]),
        s => lang.fmt("age.days", &[("n", &n(s / 86400))]),
    }
}

/// The payload kind's name, or `—`.
pub fn kind_text(kind: Option<Kind>, lang: Lang) -> String {
    kind.map_or_else(|| "—".to_string(), |k| lang.tr(k.label_key()).to_string())
}

/// The name of any inspector's kind, or `—`.
pub fn any_kind_text(kind: Option<CaseKind>, lang: Lang) -> String {
    kind.map_or_else(|| "—".to_string(), |k| lang.tr(k.label_key()).to_string())
}

/// A one-line summary of decrypted data: the phone number (masked when `mask`), the nickname, the
/// WeRun days and last step count, the group id; a payment's or refund's amount and order number;
/// a pushed message's type and event or text; empty for anything else.
pub fn data_summary(data: Option<&Value>, lang: Lang, mask: bool) -> String {
    let Some(Value::Object(m)) = data else {
        return String::new();
    };
    let s = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
    if let Some(order) = s("out_trade_no").or_else(|| s("out_refund_no")) {
        let amount = m.get("amount");
        let fen = ["total", "refund"]
            .iter()
            .find_map(|k| amount.and_then(|a| a.get(k)).and_then(Value::as_i64));
        return match fen {
            Some(f) => format!("{} · {order}", yuan(f)),
            None => order,
        };
    }
    if let Some(t) = s("MsgType").or_else(|| s("msgtype")) {
        let more = s("Event").or_else(|| s("Content")).unwrap_or_default();
        let more: String = more.chars().take(40).collect();
        return if more.is_empty() {
            t
        } else {
            format!("{t} · {more}")
        };
    }
    if let Some(p) = s("phoneNumber").or_else(|| s("purePhoneNumber")) {
        return if mask { privacy::mask_phone(&p) } else { p };
    }
    if let Some(n) = s("nickName") {
        return n;
    }
    if let Some(Value::Array(steps)) = m.get("stepInfoList") {
        let last = steps
            .last()
            .and_then(|v| v.get("step"))
            .map(|v| v.to_string())
            .unwrap_or_else(|| "-".into());
        return lang.fmt(
            "summary.werun",
            &[("days", &steps.len().to_string()), ("steps", &last)],
        );
    }
    if let Some(g) = s("openGId").or_else(|| s("opengid")) {
        return g;
    }
    String::new()
}

/// The short outcome of one row (scan table, Captures tab, Listen list, `serve` lines): the data
/// summary when it decrypted, the cause's title and code when not, the request error when there was
/// no payload to inspect.
pub fn outcome_text(
    ok: bool,
    data: Option<&Value>,
    code: Option<&str>,
    error: Option<&str>,
    lang: Lang,
    mask: bool,
) -> String {
    if ok {
        let s = data_summary(data, lang, mask);
        return if s.is_empty() {
            lang.tr("captures.decrypted").to_string()
        } else {
            s
        };
    }
    match (code, code.and_then(Code::parse)) {
        (Some(c), Some(known)) => format!("{} ({c})", lang.tr(known.title_key())),
        (Some(c), None) => match error {
            Some(e) => format!("{c}: {e}"),
            None => c.to_string(),
        },
        (None, _) => error
            .map(str::to_string)
            .unwrap_or_else(|| lang.tr("captures.failed").to_string()),
    }
}

/// [`outcome_text`] of a report.
pub fn report_outcome(report: &Report, lang: Lang, mask: bool) -> String {
    outcome_text(
        report.ok,
        report.data.as_ref(),
        report.primary().map(|f| f.code.as_str()),
        None,
        lang,
        mask,
    )
}

/// [`outcome_text`] of any inspector's result.
pub fn inspected_outcome(i: &Inspected, lang: Lang, mask: bool) -> String {
    outcome_text(
        i.ok(),
        i.data(),
        i.primary().map(|f| f.code.as_str()),
        None,
        lang,
        mask,
    )
}

/// Text safe to print on a terminal: control characters (C0 but line feed and tab, DEL, C1) and
/// the bidirectional overrides are shown escaped (`\u{1b}`), so data can neither drive the terminal
/// nor reorder what is shown. Everything the CLI prints in human form goes through here.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A Unix time in local time: `2026-12-01 11:35:03 +08:00`.
pub fn local_time(ts: i64) -> Option<String> {
    local(ts, "%Y-%m-%d %H:%M:%S %:z")
}

/// A Unix time as a local date: `2026-12-01`.
pub fn local_date(ts: i64) -> Option<String> {
    local(ts, "%Y-%m-%d")
}

/// A Unix time as a local clock time: `11:35:03`.
pub fn local_clock(ts: i64) -> Option<String> {
    local(ts, "%H:%M:%S")
}

fn local(ts: i64, format: &str) -> Option<String> {
    use chrono::TimeZone as _;
    chrono::Local
        .timestamp_opt(ts, 0)
        .single()
        .map(|d| d.format(format).to_string())
}

/// An amount in fen (分) as yuan with two decimals: `8800` → `¥88.00`, `-5` → `-¥0.05`.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}¥{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_in_words() {
        assert_eq!(age_text(Lang::En, 90), "90 s ago");
        assert_eq!(age_text(Lang::En, 3 * 60), "3 min ago");
        assert_eq!(age_text(Lang::En, 3 * 3600), "3 h ago");
        assert_eq!(age_text(Lang::En, 3 * 86400), "3 days ago");
        assert_eq!(age_text(Lang::En, -30), "in the future (30 s ahead)");
        assert_eq!(age_text(Lang::ZhCn, 3 * 86400), "3 天前");
        assert_eq!(
            age_text(Lang::En, i64::MIN),
            format!("in the future ({} s ahead)", i64::MAX)
        );
    }

    #[test]
    fn where_a_key_came_from_in_words() {
        let here = Source {
            file: "a.har".into(),
            entry: Some(9),
            line: None,
        };
        let at = |file: &str, entry, line| Source {
            file: file.into(),
            entry,
            line,
        };
        let capture = |source, in_response| KeyFrom::Capture {
            source,
            in_response,
        };
        let words = |k: KeyFrom, lang| key_words(Some(&k), &here, lang);
        assert_eq!(words(KeyFrom::SameRequest, Lang::En), "this request");
        assert_eq!(
            words(capture(at("a.har", Some(3), None), true), Lang::En),
            "response of entry #3"
        );
        assert_eq!(
            words(capture(at("b.log", None, Some(12)), false), Lang::En),
            "request of line 12 in b.log"
        );
        assert_eq!(
            words(capture(at("a.har", Some(3), None), true), Lang::ZhCn),
            "第 #3 条的响应"
        );
        let ring = |label: Option<&str>| KeyFrom::Keyring {
            index: 0,
            label: label.map(str::to_string),
        };
        assert_eq!(words(ring(Some("QA 1")), Lang::En), "key ring: QA 1");
        assert_eq!(words(ring(None), Lang::ZhCn), "密钥环：#1");
        assert_eq!(key_words(None, &here, Lang::En), "—");
    }

    #[test]
    fn captured_times_read_short_and_local() {
        // 2026-11-20T02:00:05Z; `now` in 2026 and in 2027.
        let now = 1_795_000_000;
        let t = "2026-11-20T10:00:05.000+08:00";
        let want = chrono::DateTime::parse_from_rfc3339(t)
            .unwrap()
            .with_timezone(&chrono::Local);
        assert_eq!(
            short_time(t, now).as_deref(),
            Some(want.format("%m-%d %H:%M:%S").to_string().as_str())
        );
        assert_eq!(
            short_time(t, now + 400 * 86_400).as_deref(),
            Some(want.format("%Y-%m-%d %H:%M:%S").to_string().as_str())
        );
        assert_eq!(short_time("yesterday", now), None);
    }

    #[test]
    fn terminal_text_is_inert() {
        assert_eq!(terminal_safe("a\nb\tc"), "a\nb\tc");
        assert_eq!(terminal_safe("GET /\x1b[31mred"), "GET /\\u{1b}[31mred");
        assert_eq!(
            terminal_safe("x\r\u{9b}y\u{202e}z"),
            "x\\u{d}\\u{9b}y\\u{202e}z"
        );
    }

    #[test]
    fn summaries() {
        let phone = serde_json::json!({"phoneNumber": "13800138000"});
        assert_eq!(data_summary(Some(&phone), Lang::En, true), "138****8000");
        assert_eq!(data_summary(Some(&phone), Lang::En, false), "13800138000");
        let werun = serde_json::json!({"stepInfoList": [{"step": 5}, {"step": 7}]});
        assert_eq!(
            data_summary(Some(&werun), Lang::En, true),
            "2 days, last 7 steps"
        );
        assert_eq!(
            data_summary(Some(&werun), Lang::ZhCn, true),
            "2 天，最近一天 7 步"
        );
        assert_eq!(
            outcome_text(false, None, Some("key.mismatch"), None, Lang::En, true),
            format!("{} (key.mismatch)", Lang::En.tr("code.key.mismatch.title"))
        );
        assert_eq!(
            outcome_text(
                false,
                None,
                Some("request.bad_json"),
                Some("x"),
                Lang::En,
                true
            ),
            "request.bad_json: x"
        );
    }

    #[test]
    fn yuan_has_two_decimals() {
        assert_eq!(yuan(8800), "¥88.00");
        assert_eq!(yuan(5), "¥0.05");
        assert_eq!(yuan(-105), "-¥1.05");
    }
}
