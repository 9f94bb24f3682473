//! `wxdecrypt scan`: find every payload, message push, Pay notification and session key in captures
//! (HAR, Burp XML, curl, raw HTTP, logs / JSON Lines), pair them with keys, inspect each, print a
//! table or JSON Lines.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

use crate::capture::{self, Scan, ScanOptions, Tally};
use crate::i18n::Lang;
use crate::keyring::{self, Keyring, KeyringEntry};
use crate::opendata::Options;
use crate::present;

use super::{EXIT_FAIL, EXIT_OK};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Capture files: HAR, Burp Suite XML, curl command, raw HTTP request, log or JSON Lines
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Print JSON Lines, one object per payload
    #[arg(long)]
    json: bool,
    /// Key ring file: session keys tried when no key of the capture opens a payload, and the keys
    /// of pushes and Pay notifications (default: ./wxdecrypt-keyring.json when it exists)
    #[arg(long, value_name = "FILE")]
    keyring: Option<PathBuf>,
    /// Appid for payloads that carry none (checked against the watermark)
    #[arg(long)]
    appid: Option<String>,
    /// Show progress on stderr even when it is not a terminal
    #[arg(long)]
    progress: bool,
    /// Show whole phone numbers in the table (masked by default)
    #[arg(long)]
    show: bool,
    /// The current time as Unix seconds (default: now)
    #[arg(long, value_name = "UNIX")]
    now: Option<i64>,
}

/// Loads `--keyring FILE`, or the workspace default when it exists.
pub(crate) fn load_keyring(path: Option<&Path>, lang: Lang) -> Result<Vec<KeyringEntry>, String> {
    let (path, must_exist) = match path {
        Some(p) => (p.to_path_buf(), true),
        None => (PathBuf::from(keyring::DEFAULT_FILE), false),
    };
    if !must_exist && !path.exists() {
        return Ok(Vec::new());
    }
    Keyring::load(&path).map(|k| k.keys).map_err(|e| {
        lang.fmt(
            "keyring.error.read",
            &[
                ("path", &path.display().to_string()),
                ("error", &e.message(lang)),
            ],
        )
    })
}

pub fn run(a: Args, lang: Lang) -> Result<i32, String> {
    let keys = load_keyring(a.keyring.as_deref(), lang)?;
    let so = ScanOptions {
        appid: a.appid.clone().filter(|s| !s.trim().is_empty()),
        keyring: keys,
        inspect: Some(Options::new(a.now.unwrap_or_else(super::now), lang)),
    };
    let show_progress = a.progress || std::io::stderr().is_terminal();
    let files = a.files.clone();
    let mut last_pct = u64::MAX;
    let mut shown = false;
    let mut progress = |p: capture::Progress| {
        if !show_progress || p.total == 0 {
            return;
        }
        let pct = (p.bytes_read.min(p.total) * 100) / p.total;
        if pct == last_pct {
            return;
        }
        last_pct = pct;
        shown = true;
        let name = files
            .get(p.file_index)
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        let mib = |b: u64| format!("{:.1}", b as f64 / (1024.0 * 1024.0));
        eprint!(
            "\r{}",
            lang.fmt(
                "scan.progress",
                &[
                    ("file", &name),
                    ("percent", &pct.to_string()),
                    ("read", &mib(p.bytes_read)),
                    ("total", &mib(p.total)),
                ],
            )
        );
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let write_err = |e: std::io::Error| {
        lang.fmt(
            "cli.error.write",
            &[("path", "stdout"), ("error", &e.to_string())],
        )
    };
    // JSON Lines go out as each payload is decided (memory stays flat however big the capture);
    // the table needs them all, in the order of the captures.
    let mut tally = Tally::default();
    let mut failed_write = None;
    let result = if a.json {
        capture::scan_stream(&a.files, &so, None, &mut progress, &mut |_, item| {
            tally.add(&item);
            if failed_write.is_none()
                && let Err(e) = writeln!(out, "{}", item.to_json())
            {
                failed_write = Some(e);
            }
        })
    } else {
        capture::scan_files(&a.files, &so, None, &mut progress)
    };
    if shown {
        eprintln!();
    }
    let scan = result.map_err(|e| e.message(lang))?;
    if let Some(e) = failed_write {
        return Err(write_err(e));
    }
    if !a.json {
        tally = scan.tally();
        write!(
            out,
            "{}",
            present::terminal_safe(&table(&scan, lang, a.show))
        )
        .map_err(write_err)?;
    }
    out.flush().map_err(write_err)?;
    drop(out);
    let summary = summary(&scan, &tally, lang);
    let summary = present::terminal_safe(&summary);
    if a.json {
        eprint!("{summary}");
    } else {
        super::emit(&summary);
    }
    Ok(if tally.all_ok() { EXIT_OK } else { EXIT_FAIL })
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let head: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{head}…")
    }
}

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}

/// The human table: source, time, URL, kind, verdict, key used.
pub fn table(scan: &Scan, lang: Lang, show: bool) -> String {
    let mut rows: Vec<[String; 6]> = vec![[
        lang.tr("scan.col.source").to_string(),
        lang.tr("scan.col.time").to_string(),
        lang.tr("scan.col.url").to_string(),
        lang.tr("scan.col.kind").to_string(),
        lang.tr("scan.col.verdict").to_string(),
        lang.tr("scan.col.key").to_string(),
    ]];
    for it in &scan.items {
        let kind = present::any_kind_text(it.inspected.kind(), lang);
        let verdict = format!(
            "{} {}",
            present::mark(it.inspected.ok()),
            present::inspected_outcome(&it.inspected, lang, !show)
        );
        let key = it
            .key_from
            .as_ref()
            .map(|k| k.short())
            .unwrap_or_else(|| "-".into());
        let url = match (&it.method, &it.url) {
            (Some(m), Some(u)) => format!("{m} {u}"),
            (None, Some(u)) => u.clone(),
            _ => "-".into(),
        };
        rows.push([
            it.source.to_string(),
            clip(it.time.as_deref().unwrap_or("-"), 24),
            clip(&url, 60),
            kind,
            clip(&verdict, 40),
            clip(&key, 40),
        ]);
    }
    if scan.items.is_empty() {
        return String::new();
    }
    let mut widths = [0usize; 6];
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut o = String::new();
    for r in &rows {
        let cells: Vec<String> = r
            .iter()
            .zip(widths.iter())
            .map(|(c, w)| pad(c, *w))
            .collect();
        o.push_str(cells.join("  ").trim_end());
        o.push('\n');
    }
    o
}

/// The summary: counts, malformed entries, files read only in part.
pub fn summary(scan: &Scan, tally: &Tally, lang: Lang) -> String {
    let mut o = String::new();
    if tally.payloads == 0 {
        o.push_str(lang.tr("scan.none"));
        o.push('\n');
    }
    o.push_str(&lang.fmt(
        "scan.summary",
        &[
            ("total", &tally.payloads.to_string()),
            ("records", &scan.records.to_string()),
            ("ok", &tally.decrypted.to_string()),
            ("failed", &(tally.payloads - tally.decrypted).to_string()),
            ("keys", &scan.keys.len().to_string()),
        ],
    ));
    o.push('\n');
    if tally.unencoded_plus > 0 {
        o.push_str(&lang.fmt(
            "scan.note.unencoded_plus",
            &[("count", &tally.unencoded_plus.to_string())],
        ));
        o.push('\n');
    }
    if !scan.server_answers.is_empty() {
        o.push_str(&lang.fmt(
            "scan.server_answers",
            &[("count", &scan.server_answers.len().to_string())],
        ));
        o.push('\n');
        for s in scan.server_answers.iter().take(20) {
            let e = &s.error;
            let line = format!(
                "  {}: errcode {} {} — {} ({})",
                s.source,
                e.errcode,
                clip(&e.errmsg, 60),
                lang.tr(e.code.title_key()),
                e.code.as_str()
            );
            o.push_str(&line);
            o.push('\n');
        }
    }
    if !scan.malformed.is_empty() {
        o.push_str(&lang.fmt(
            "scan.malformed",
            &[("count", &scan.malformed.len().to_string())],
        ));
        o.push('\n');
        for m in scan.malformed.iter().take(20) {
            let line = format!("  {}: {}", m.source, clip(&m.reason.message(lang), 120));
            o.push_str(&line);
            o.push('\n');
        }
    }
    for (file, why) in &scan.truncations {
        o.push_str(&lang.fmt(
            "scan.truncated",
            &[("file", file), ("error", &why.message(lang))],
        ));
        o.push('\n');
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::{Malformed, MalformedReason, Truncation};
    use crate::pair::Source;

    #[test]
    fn the_summary_names_malformed_entries_and_truncations_in_the_language() {
        let scan = Scan {
            malformed: vec![Malformed {
                source: Source {
                    file: "a.log".into(),
                    entry: None,
                    line: Some(2),
                },
                reason: MalformedReason::InvalidJsonLine,
            }],
            truncations: vec![(
                "b.xml".into(),
                Truncation::Xml {
                    position: 9,
                    error: "E".into(),
                },
            )],
            ..Scan::default()
        };
        let en = summary(&scan, &scan.tally(), Lang::En);
        assert!(en.contains("invalid JSON line"), "{en}");
        assert!(en.contains("XML error at byte 9: E"), "{en}");
        let zh = summary(&scan, &scan.tally(), Lang::ZhCn);
        assert!(
            zh.contains(Lang::ZhCn.tr("capture.malformed.invalid_json_line")),
            "{zh}"
        );
        assert!(!zh.contains("invalid JSON line"), "{zh}");
        assert!(zh.contains("b.xml"), "{zh}");
    }
}
