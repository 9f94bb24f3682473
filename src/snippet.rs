//! Copy as code: a complete, runnable program in Java, Python, Node.js, PHP, Go or Rust that
//! decrypts the current inputs, checks the padding and the watermark's appid and prints the JSON —
//! written the way that avoids each language's known pitfalls (a PKCS7 provider in Java, `'binary'`
//! in Node, `openssl_decrypt`'s flags in PHP, Go's panics on a bad iv, Python's lenient base64).
//! The programs are `assets/snippets/*`, with the inputs put in as string literals of the
//! language (the tests run the Python, Node.js, Java and PHP ones on the official demo).

use base64::Engine as _;

use crate::i18n::Lang;
use crate::opendata::Input;
use crate::opendata::normalize::{LenRule, normalize};
use crate::platform::Platform;

/// A language a snippet is written in (its `--lang` value when the CLI is built).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum SnippetLang {
    Java,
    Python,
    Node,
    Php,
    Go,
    Rust,
}

impl SnippetLang {
    pub const ALL: [SnippetLang; 6] = [
        SnippetLang::Java,
        SnippetLang::Python,
        SnippetLang::Node,
        SnippetLang::Php,
        SnippetLang::Go,
        SnippetLang::Rust,
    ];

    /// The name `--lang` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            SnippetLang::Java => "java",
            SnippetLang::Python => "python",
            SnippetLang::Node => "node",
            SnippetLang::Php => "php",
            SnippetLang::Go => "go",
            SnippetLang::Rust => "rust",
        }
    }

    pub fn parse(s: &str) -> Option<SnippetLang> {
        SnippetLang::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The name the program is saved under to run it.
    pub fn file_name(self) -> &'static str {
        match self {
            SnippetLang::Java => "Decrypt.java",
            SnippetLang::Python => "decrypt.py",
            SnippetLang::Node => "decrypt.js",
            SnippetLang::Php => "decrypt.php",
            SnippetLang::Go => "decrypt.go",
            SnippetLang::Rust => "src/main.rs",
        }
    }

    /// How to run it, once saved.
    pub fn run_command(self) -> &'static str {
        match self {
            SnippetLang::Java => "java Decrypt.java",
            SnippetLang::Python => "pip install pycryptodome && python3 decrypt.py",
            SnippetLang::Node => "node decrypt.js",
            SnippetLang::Php => "php decrypt.php",
            SnippetLang::Go => "go run decrypt.go",
            SnippetLang::Rust => "cargo run",
        }
    }

    fn template(self) -> &'static str {
        match self {
            SnippetLang::Java => include_str!("../assets/snippets/Decrypt.java"),
            SnippetLang::Python => include_str!("../assets/snippets/python.py"),
            SnippetLang::Node => include_str!("../assets/snippets/node.js"),
            SnippetLang::Php => include_str!("../assets/snippets/php.php"),
            SnippetLang::Go => include_str!("../assets/snippets/go.go"),
            SnippetLang::Rust => include_str!("../assets/snippets/rust.rs"),
        }
    }

    /// `s` as a string literal of the language.
    fn literal(self, s: &str) -> String {
        match self {
            // JSON's escapes are the language's (\uXXXX included).
            SnippetLang::Java | SnippetLang::Python | SnippetLang::Node | SnippetLang::Go => {
                serde_json::Value::String(s.to_string()).to_string()
            }
            SnippetLang::Php => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            SnippetLang::Rust => {
                // A raw string with one more '#' than any run after a quote in the text.
                let mut hashes = 0;
                for (i, _) in s.match_indices('"') {
                    let run = s[i + 1..].bytes().take_while(|&b| b == b'#').count();
                    hashes = hashes.max(run + 1);
                }
                let h = "#".repeat(hashes);
                format!("r{h}\"{s}\"{h}")
            }
        }
    }
}

/// A base64 field as the program should hold it: repaired and canonical when it decodes (a '+'
/// that became a space put back), as given otherwise.
fn field(raw: &str, rule: LenRule) -> String {
    let n = normalize(raw, rule);
    match n.bytes {
        Some(b) => base64::engine::general_purpose::STANDARD.encode(b),
        None => raw.trim().to_string(),
    }
}

/// The program for `input` in `lang`.
pub fn snippet(lang: SnippetLang, input: &Input) -> String {
    lang.template()
        .replace("{{APPID}}", &lang.literal(input.appid.trim()))
        .replace(
            "{{SESSION_KEY}}",
            &lang.literal(&field(&input.session_key, LenRule::Block)),
        )
        .replace("{{IV}}", &lang.literal(&field(&input.iv, LenRule::Block)))
        .replace(
            "{{ENCRYPTED_DATA}}",
            &lang.literal(&field(&input.encrypted_data, LenRule::Blocks)),
        )
}

/// Whether the programs read `platform`'s payloads: they follow WeChat's scheme (AES-128-CBC and
/// the watermark's `appid`), which QQ and Douyin share; Xiaohongshu's watermark, Baidu's frame and
/// Alipay's zero iv differ.
pub fn writes_for(platform: Platform) -> bool {
    matches!(platform, Platform::Wechat | Platform::Qq | Platform::Douyin)
}

/// Why no program is written for `platform`'s payloads (`None`: one is).
pub fn refusal(platform: Platform, lang: Lang) -> Option<String> {
    (!writes_for(platform)).then(|| {
        lang.fmt(
            "snippet.platform_unsupported",
            &[("platform", lang.tr(platform.label_key()))],
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_keep_any_text() {
        assert_eq!(SnippetLang::Php.literal(r"a'b\c"), r"'a\'b\\c'");
        let with_quote_hash = "x\"#y";
        assert_eq!(
            SnippetLang::Rust.literal(with_quote_hash),
            format!("r##\"{with_quote_hash}\"##")
        );
        assert_eq!(SnippetLang::Java.literal("a\"b"), r#""a\"b""#);
    }

    #[test]
    fn every_placeholder_is_filled() {
        let input = Input::new("wx1", "a b", "iv", "data");
        for lang in SnippetLang::ALL {
            let s = snippet(lang, &input);
            assert!(!s.contains("{{"), "{}", lang.as_str());
        }
    }
}
