//! The open-data inputs a command takes (`decrypt`, `snippet`): flags, or a file / standard input
//! holding the fields in any form the extractor reads, the flags overriding it.

use std::io::IsTerminal as _;
use std::path::PathBuf;

use crate::extract;
use crate::i18n::Lang;
use crate::opendata::Input;
use crate::platform::Platform;

use super::read_source;

#[derive(clap::Args, Debug)]
pub struct InputArgs {
    /// Your mini program's appid (checked against the watermark)
    #[arg(long)]
    pub appid: Option<String>,
    /// session_key from code2Session (base64)
    #[arg(long = "session-key", visible_alias = "key")]
    pub session_key: Option<String>,
    /// iv from e.detail (base64)
    #[arg(long)]
    pub iv: Option<String>,
    /// encryptedData from e.detail (base64)
    #[arg(long = "data", visible_alias = "encrypted-data")]
    pub data: Option<String>,
    /// The platform the payload comes from (default: WeChat unless the inputs tell)
    #[arg(long, value_enum)]
    pub platform: Option<Platform>,
    /// A case file, or any JSON object / query string / log text holding the fields; - for stdin
    #[arg(value_name = "FILE|-")]
    pub source: Option<PathBuf>,
}

/// What was read: the inputs, and the source's text when there was one.
pub struct Gathered {
    pub input: Input,
    /// The platform chosen with --platform, else the one the source names.
    pub platform: Option<Platform>,
    pub text: Option<String>,
    /// The source named no field (and no flag was given).
    pub empty: bool,
    /// The source's name for messages (`stdin` or the path).
    pub name: String,
}

impl InputArgs {
    fn flags_given(&self) -> bool {
        self.appid.is_some()
            || self.session_key.is_some()
            || self.iv.is_some()
            || self.data.is_some()
    }

    /// Reads the source (standard input when there are neither flags nor a file and it is not a
    /// terminal) and puts the flags over what it says.
    pub fn gather(&self, lang: Lang) -> Result<Gathered, String> {
        let flags_given = self.flags_given();
        let source = match (&self.source, flags_given) {
            (Some(p), _) => Some(p.clone()),
            (None, false) if !std::io::stdin().is_terminal() => Some(PathBuf::from("-")),
            (None, false) => return Err(lang.tr("cli.error.no_input").to_string()),
            (None, true) => None,
        };
        let mut g = Gathered {
            input: Input::default(),
            platform: self.platform,
            text: None,
            empty: false,
            name: String::new(),
        };
        if let Some(path) = &source {
            let text = read_source(path, lang)?;
            let found = extract::extract(&text);
            g.empty = found.is_empty() && !flags_given;
            g.name = if path.as_os_str() == "-" {
                "stdin".to_string()
            } else {
                path.display().to_string()
            };
            g.input = found.input;
            g.platform = g.platform.or(found.platform);
            g.text = Some(text);
        }
        for (flag, slot) in [
            (&self.appid, &mut g.input.appid),
            (&self.session_key, &mut g.input.session_key),
            (&self.iv, &mut g.input.iv),
            (&self.data, &mut g.input.encrypted_data),
        ] {
            if let Some(v) = flag {
                *slot = v.clone();
            }
        }
        Ok(g)
    }
}
