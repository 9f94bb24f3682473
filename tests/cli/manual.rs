//! The manual in two languages (issue 13): `README.md` and `README.zh-CN.md` document the same
//! subcommands — every one the binary has — and the same finding codes — every one the engine has.

use std::collections::BTreeSet;

use wxdecrypt::Code;

use super::scan::bin;

fn manual(name: &str) -> String {
    std::fs::read_to_string(format!("{}/{name}", env!("CARGO_MANIFEST_DIR"))).expect("readme")
}

/// The `### name` headings of the section whose `## ` heading is `section`.
fn subcommands(text: &str, section: &str) -> BTreeSet<String> {
    let start = text
        .find(&format!("\n## {section}\n"))
        .unwrap_or_else(|| panic!("no section {section}"));
    let rest = &text[start + 4..];
    let body = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
    body.lines()
        .filter_map(|l| l.strip_prefix("### "))
        .map(str::to_string)
        .collect()
}

/// The codes that start a table row: "| `code` |".
fn codes(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once("` |"))
        .map(|(code, _)| code.to_string())
        .filter(|c| c.contains('.') && !c.contains(' '))
        .collect()
}

#[test]
fn both_manuals_list_every_subcommand_and_every_finding_code() {
    let (en, zh) = (manual("README.md"), manual("README.zh-CN.md"));
    assert!(en.starts_with("English | [简体中文](README.zh-CN.md)"));
    assert!(zh.starts_with("[English](README.md) | 简体中文"));

    let help = bin()
        .arg("--help")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let help = String::from_utf8(help).unwrap();
    let commands = &help[help.find("Commands:").unwrap()..help.find("Options:").unwrap()];
    let binary: BTreeSet<String> = commands
        .lines()
        .skip(1)
        // A command's line starts with two spaces; a wrapped description with more.
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect();
    assert_eq!(binary.len(), 15, "{binary:?}");
    assert_eq!(subcommands(&en, "The command line"), binary);
    assert_eq!(subcommands(&zh, "命令行"), binary);

    let engine: BTreeSet<String> = Code::ALL.iter().map(|c| c.as_str().to_string()).collect();
    assert_eq!(codes(&en), engine);
    assert_eq!(codes(&zh), engine);
}
