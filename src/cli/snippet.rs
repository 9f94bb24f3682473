//! `wxdecrypt snippet`: a complete program in Java, Python, Node.js, PHP, Go or Rust that decrypts
//! the given inputs (the engine's [`snippet`](crate::snippet)).

use crate::i18n::Lang;
use crate::opendata::{Options, inspect};
use crate::snippet::{SnippetLang, refusal, snippet};

use super::inputs::InputArgs;
use super::{EXIT_OK, emit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The language of the program (`--lang java` works too: --lang names a programming language
    /// here, the messages' language otherwise)
    #[arg(long = "language", value_enum, value_name = "LANGUAGE")]
    language: Option<SnippetLang>,
    #[command(flatten)]
    input: InputArgs,
    /// Set from `--lang java|python|node|php|go|rust`.
    #[arg(skip)]
    from_lang: Option<SnippetLang>,
}

impl Args {
    /// `--lang` named a programming language: it is the snippet's.
    pub fn set_language(&mut self, which: SnippetLang) {
        self.from_lang = Some(which);
    }
}

pub fn run(a: Args, lang: Lang) -> Result<i32, String> {
    // Checked first: no program without a language.
    let Some(which) = a.language.or(a.from_lang) else {
        return Err(lang.tr("snippet.no_language").to_string());
    };
    let g = a.input.gather(lang)?;
    if g.empty {
        return Err(lang.fmt("cli.error.no_fields", &[("source", &g.name)]));
    }
    // The programs read WeChat's scheme: refused for a platform chosen or detected that differs.
    let platform = inspect(&g.input, &Options::new(0, lang).with_platform(g.platform)).platform;
    if let Some(why) = refusal(platform, lang) {
        return Err(why);
    }
    emit(&snippet(which, &g.input));
    eprintln!(
        "{}",
        lang.fmt(
            "snippet.saved_as",
            &[("file", which.file_name()), ("run", which.run_command())]
        )
    );
    Ok(EXIT_OK)
}
