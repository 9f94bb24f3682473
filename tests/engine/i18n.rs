//! Catalogue completeness: both languages have every key, the same placeholders, and every key the
//! code asks for.

use std::collections::BTreeSet;

use wxdecrypt::i18n::{self, Lang};
use wxdecrypt::{Code, Field, Kind, Severity};

fn placeholders(s: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j) => {
                let name = &after[..j];
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    out.insert(name.to_string());
                }
                rest = &after[j + 1..];
            }
            None => break,
        }
    }
    out
}

#[test]
fn catalogues_parse_and_have_the_same_keys() {
    for lang in Lang::ALL {
        i18n::catalogue_parses(lang).unwrap_or_else(|e| panic!("{}: {e}", lang.tag()));
    }
    let en: BTreeSet<_> = i18n::keys(Lang::En).into_iter().collect();
    let zh: BTreeSet<_> = i18n::keys(Lang::ZhCn).into_iter().collect();
    let only_en: Vec<_> = en.difference(&zh).collect();
    let only_zh: Vec<_> = zh.difference(&en).collect();
    assert!(only_en.is_empty(), "missing in zh-CN: {only_en:?}");
    assert!(only_zh.is_empty(), "missing in en: {only_zh:?}");
    for key in &en {
        assert_eq!(
            placeholders(Lang::En.tr(key)),
            placeholders(Lang::ZhCn.tr(key)),
            "placeholders differ for {key}"
        );
        assert!(
            !Lang::ZhCn.tr(key).trim().is_empty(),
            "empty zh-CN text for {key}"
        );
    }
}

#[test]
fn every_code_and_kind_has_its_texts() {
    let keys: BTreeSet<_> = i18n::keys(Lang::En).into_iter().collect();
    for code in Code::ALL {
        for key in [
            code.title_key(),
            code.message_key(),
            code.hint_key(),
            code.cause_key(),
        ] {
            assert!(keys.contains(key), "missing {key}");
        }
    }
    for field in Field::ALL {
        assert!(
            keys.contains(field.label_key()),
            "missing {}",
            field.label_key()
        );
    }
    for sev in [Severity::Info, Severity::Warning, Severity::Error] {
        assert!(
            keys.contains(sev.label_key()),
            "missing {}",
            sev.label_key()
        );
    }
    for kind in wxdecrypt::envelope::EnvelopeKind::ALL {
        assert!(
            keys.contains(kind.label_key()),
            "missing {}",
            kind.label_key()
        );
    }
    for kind in Kind::ALL {
        assert!(
            keys.contains(kind.label_key()),
            "missing kind label {:?}",
            kind
        );
    }
}

/// Every Rust source file under `src/`, with its text.
fn sources() -> Vec<(std::path::PathBuf, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![root];
    let mut out = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().and_then(|e| e.to_str()) == Some("rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                out.push((p, text));
            }
        }
    }
    assert!(out.len() > 50, "sources not found");
    out
}

/// Every literal key passed to `tr(`/`fmt(` in the sources exists.
#[test]
fn every_key_used_in_the_sources_exists() {
    let keys: BTreeSet<_> = i18n::keys(Lang::En).into_iter().collect();
    let mut missing = Vec::new();
    for (p, text) in sources() {
        for pat in ["tr(\"", "fmt(\""] {
            let mut rest = text.as_str();
            while let Some(i) = rest.find(pat) {
                let after = &rest[i + pat.len()..];
                if let Some(j) = after.find('"') {
                    let key = &after[..j];
                    if key.contains('.') && !key.contains(' ') && !keys.contains(key) {
                        missing.push(format!("{}: {key}", p.display()));
                    }
                }
                rest = after;
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys used but not in the catalogues: {missing:#?}"
    );
}

/// Keys are written out in the sources (or named by a `match`), never assembled at run time, so
/// the test above sees every key the code can ask for.
#[test]
fn no_key_is_assembled_at_run_time() {
    let mut found = Vec::new();
    for (p, text) in sources() {
        for (n, line) in text.lines().enumerate() {
            let l = line.replace(' ', "");
            // `lang.tr(&format!(…))`, `env.lang.fmt(&format!(…), …)`, `tr(&format!(…))`.
            let assembled = [".tr(&format!", ".fmt(&format!", "(tr(&format!"]
                .iter()
                .any(|p| l.contains(p))
                || l.starts_with("tr(&format!");
            if assembled {
                found.push(format!("{}:{}: {}", p.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "keys built with format!: {found:#?}");
}
