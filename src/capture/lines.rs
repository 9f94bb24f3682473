//! Logs, JSON Lines and single JSON documents: each line, array element or the document itself
//! is a record whose text is searched for payload fields and keys.

use std::io::{BufRead, Read};

use serde_json::Value;

use super::MalformedReason;
use super::record::{Collector, Record};

/// The longest line read; longer lines are skipped and counted as malformed.
const MAX_LINE: usize = 16 << 20;

/// Reads a log or JSON Lines file line by line (a line is never held beyond [`MAX_LINE`]).
pub(super) fn read_lines(r: &mut impl BufRead, c: &mut Collector) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut n = 0usize;
    loop {
        buf.clear();
        let read = r
            .by_ref()
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut buf)?;
        if read == 0 {
            break;
        }
        n += 1;
        if buf.len() >= MAX_LINE && buf.last() != Some(&b'\n') {
            // Skip the rest of an over-long line.
            let mut sink = Vec::new();
            r.read_until(b'\n', &mut sink)?;
            c.malformed(
                c.line(n),
                MalformedReason::LineTooLong {
                    max_mib: MAX_LINE >> 20,
                },
            );
            continue;
        }
        let line = String::from_utf8_lossy(&buf);
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t.starts_with('{') && serde_json::from_str::<Value>(t).is_err() && t.ends_with('}') {
            c.malformed(c.line(n), MalformedReason::InvalidJsonLine);
            continue;
        }
        let source = c.line(n);
        c.add(Record {
            source: Some(source),
            text: Some(t.to_string()),
            ..Record::default()
        });
    }
    Ok(())
}

/// Reads one JSON document: an array is one record per element, anything else one record; text
/// that is not one JSON document after all is read as lines.
pub(super) fn read_json_doc(text: &str, c: &mut Collector) {
    match serde_json::from_str::<Value>(text.trim().trim_start_matches('\u{feff}')) {
        Ok(Value::Array(items)) => {
            for (i, it) in items.into_iter().enumerate() {
                let source = c.entry(i);
                c.add(Record {
                    source: Some(source),
                    text: Some(it.to_string()),
                    ..Record::default()
                });
            }
        }
        Ok(v) => {
            let source = c.entry(0);
            c.add(Record {
                source: Some(source),
                text: Some(v.to_string()),
                ..Record::default()
            });
        }
        Err(_) => {
            let mut r = std::io::Cursor::new(text.as_bytes());
            let _ = read_lines(&mut r, c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_records_and_broken_json_lines_are_counted() {
        let mut c = Collector::new("t.log", 0);
        let text = "2024-01-01 iv=I encryptedData=E\n\n{\"iv\": broken}\n{\"iv\":\"J\",\"encryptedData\":\"F\"}\n";
        read_lines(&mut text.as_bytes(), &mut c).expect("read");
        assert_eq!(c.found.records, 3);
        assert_eq!(c.found.payloads.len(), 2);
        let bad: Vec<_> = c.found.malformed.iter().map(|m| m.source.line).collect();
        assert_eq!(bad, [Some(3)]);
        let lines: Vec<_> = c.found.payloads.iter().map(|p| p.source.line).collect();
        assert_eq!(lines, [Some(1), Some(4)]);
    }

    #[test]
    fn a_json_array_is_one_record_per_element() {
        let mut c = Collector::new("t.json", 0);
        read_json_doc(
            "[{\"iv\":\"I\",\"encryptedData\":\"E\"}, {\"session_key\":\"K\"}]",
            &mut c,
        );
        assert_eq!(c.found.records, 2);
        assert_eq!(c.found.payloads.len(), 1);
        assert_eq!(c.found.keys.len(), 1);
        assert_eq!(c.found.keys.first().and_then(|k| k.source.entry), Some(1));
    }
}
