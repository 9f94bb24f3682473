//! Exporting scan items: JSON Lines (the objects of `wxdecrypt scan --json`) and CSV (one row per
//! payload, written with the `csv` crate, RFC 4180 quoting and CRLF line ends).

use crate::i18n::Lang;
use crate::present;

use super::ScanItem;

/// The CSV header row.
const HEADER: [&str; 9] = [
    "source", "time", "method", "url", "ok", "kind", "verdict", "codes", "key_from",
];

/// The items as JSON Lines, one object per line.
pub fn jsonl(items: &[ScanItem]) -> String {
    let mut out = String::new();
    for item in items {
        out.push_str(&item.to_json().to_string());
        out.push('\n');
    }
    out
}

/// The items as CSV with a header row. The verdict column is [`present::inspected_outcome`] in
/// `lang` (phone numbers masked when `mask`); the key column names the key that opened the
/// payload, `—` when none did.
pub fn csv(items: &[ScanItem], lang: Lang, mask: bool) -> String {
    // The writer is memory: it cannot fail, so there is no error to report.
    csv_bytes(items, lang, mask)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

fn csv_bytes(items: &[ScanItem], lang: Lang, mask: bool) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(HEADER)?;
    for item in items {
        let key_from = present::key_text(item.key_from.as_ref());
        let row = [
            item.source.to_string(),
            item.time.clone().unwrap_or_default(),
            item.method.clone().unwrap_or_default(),
            item.url.clone().unwrap_or_default(),
            item.inspected.ok().to_string(),
            item.inspected
                .kind()
                .map(|k| k.as_str())
                .unwrap_or("")
                .to_string(),
            present::inspected_outcome(&item.inspected, lang, mask),
            item.inspected.codes().join(" "),
            key_from,
        ];
        w.write_record(row.iter().map(|cell| inert_cell(cell).into_owned()))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// A cell a spreadsheet shows as text: one that would start a formula in Excel or WPS (`=`, `+`,
/// `-`, `@`, a tab or a carriage return — a nickname like `=HYPERLINK(…)`) gets a leading `'`.
fn inert_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspected::Inspected;
    use crate::opendata::encrypt::{EncryptRequest, encrypt};
    use crate::opendata::{Input, Options, inspect};
    use crate::pair::{KeyFrom, Source};

    const NOW: i64 = 1_700_000_000;
    const APPID: &str = "wx0123456789abcdef";
    const KEY: &str = "YWFhYWFhYWFhYWFhYWFhYQ==";

    fn item(input: Input, url: &str, key_from: Option<KeyFrom>) -> ScanItem {
        ScanItem {
            source: Source {
                file: "dir, \"quoted\"/cap.har".into(),
                entry: Some(3),
                line: None,
            },
            url: Some(url.into()),
            method: Some("POST".into()),
            time: Some("2024-05-01\n10:00".into()),
            inspected: Inspected::open_data(
                input.clone(),
                inspect(&input, &Options::new(NOW, Lang::En)),
            ),
            key_from,
            keys_tried: 1,
            notes: Vec::new(),
        }
    }

    fn phone_item() -> ScanItem {
        let e = encrypt(&EncryptRequest {
            payload: r#"{"phoneNumber":"13812345678","purePhoneNumber":"13812345678","countryCode":"86"}"#.into(),
            session_key: Some(KEY.into()),
            iv: None,
            appid: Some(APPID.into()),
            timestamp: Some(NOW - 60),
            watermark: true,
            now: NOW,
        })
        .expect("encrypt");
        let input = Input::new(APPID, KEY, &e.iv, &e.encrypted_data);
        item(
            input,
            "https://a.example/p?x=1,2",
            Some(KeyFrom::SameRequest),
        )
    }

    fn broken_item() -> ScanItem {
        let input = Input::new(APPID, KEY, "bad", "bad");
        item(input, "https://a.example/q", None)
    }

    fn read(text: &str) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| {
                r.map(|r| r.iter().map(str::to_string).collect())
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn commas_quotes_and_newlines_round_trip() {
        let items = [phone_item(), broken_item()];
        let text = csv(&items, Lang::En, false);
        assert!(text.starts_with("source,time,method,url,ok,kind,verdict,codes,key_from\r\n"));
        let rows = read(&text);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows.first().map(|r| r.as_slice()),
            Some(&HEADER.map(String::from)[..])
        );
        let row = rows.get(1).cloned().unwrap_or_default();
        assert_eq!(row.len(), 9);
        assert_eq!(row.first(), Some(&items[0].source.to_string()));
        assert_eq!(row.get(1).map(String::as_str), Some("2024-05-01\n10:00"));
        assert_eq!(
            row.get(3).map(String::as_str),
            Some("https://a.example/p?x=1,2")
        );
        assert_eq!(row.get(4).map(String::as_str), Some("true"));
        assert_eq!(row.get(5).map(String::as_str), Some("phone_number"));
        assert_eq!(row.get(6).map(String::as_str), Some("13812345678"));
        let broken = rows.get(2).cloned().unwrap_or_default();
        assert_eq!(broken.get(4).map(String::as_str), Some("false"));
        assert_eq!(broken.get(8).map(String::as_str), Some("—"));
        assert!(
            !broken.get(7).is_none_or(String::is_empty),
            "codes: {broken:?}"
        );
    }

    #[test]
    fn the_verdict_is_masked_and_in_the_language() {
        let items = [phone_item(), broken_item()];
        let masked = csv(&items, Lang::En, true);
        assert!(masked.contains("138****5678"), "{masked}");
        assert!(!masked.contains("13812345678"), "{masked}");
        let zh = read(&csv(&items, Lang::ZhCn, true));
        let en = read(&masked);
        assert_eq!(
            zh.first(),
            en.first(),
            "the header is the same in every language"
        );
        assert_eq!(
            zh.get(2).and_then(|r| r.get(6)).cloned(),
            Some(present::inspected_outcome(
                &items[1].inspected,
                Lang::ZhCn,
                true
            ))
        );
    }

    /// Issue 11, item 17: a nickname (or anything else) that starts like a formula stays text.
    #[test]
    fn formulas_stay_text() {
        let e = encrypt(&EncryptRequest {
            payload: r#"{"nickName":"=HYPERLINK(\"http://x\",\"a\")","openId":"o"}"#.into(),
            session_key: Some(KEY.into()),
            iv: None,
            appid: Some(APPID.into()),
            timestamp: Some(NOW - 60),
            watermark: true,
            now: NOW,
        })
        .expect("encrypt");
        let mut it = item(
            Input::new(APPID, KEY, &e.iv, &e.encrypted_data),
            "-cmd",
            None,
        );
        it.method = Some("@SUM(1)".into());
        it.time = Some("+1".into());
        let rows = read(&csv(&[it], Lang::En, false));
        let row = rows.get(1).expect("a row");
        assert_eq!(row[6], "'=HYPERLINK(\"http://x\",\"a\")");
        assert_eq!(
            (row[1].as_str(), row[2].as_str(), row[3].as_str()),
            ("'+1", "'@SUM(1)", "'-cmd")
        );
        assert_eq!(inert_cell("13800138000"), "13800138000");
    }

    #[test]
    fn json_lines_are_the_scan_objects() {
        let items = [phone_item(), broken_item()];
        let text = jsonl(&items);
        let lines: Vec<serde_json::Value> = text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines.first(), Some(&items[0].to_json()));
        assert_eq!(
            lines.first().map(|l| l["data"]["phoneNumber"].clone()),
            Some(serde_json::json!("13812345678"))
        );
    }
}
