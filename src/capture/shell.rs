//! A forgiving shell tokenizer for pasted curl commands: '…', "…", `$'…'` (ANSI-C quoting with
//! \n, \t, \xHH and \uHHHH escapes), backslash escapes and line continuations; an unquoted
//! newline, `;`, `&&` or `|` ends a command.
//!
//! Why our own and not the `shlex` or `shell-words` crates: both (shlex 2.0.1, shell-words 1.1.1,
//! checked) read `$'a\x41'` as the literal `$a\x41`, keep `;`, `&&` and `|` inside words instead
//! of ending the command there, and give up on the whole text at an unterminated quote, whereas
//! "Copy as cURL (bash)" in Chromium devtools writes `$'…'` with \x and \u escapes when a value
//! holds control or non-ASCII characters, pasted logs hold several commands, and a clipped paste
//! must still yield what it can.

/// A word, or the end of a command.
#[derive(Debug, PartialEq)]
pub(super) enum Tok {
    Word(String),
    Sep,
}

/// Splits shell text into words and command separators.
pub(super) fn shell_words(text: &str) -> Vec<Tok> {
    let mut lx = Lexer {
        chars: text.chars().collect(),
        i: 0,
        cur: String::new(),
        in_word: false,
        out: Vec::new(),
    };
    while let Some(ch) = lx.at(lx.i) {
        match ch {
            ' ' | '\t' | '\r' => {
                lx.end_word();
                lx.i += 1;
            }
            '\n' | ';' | '|' | '&' => {
                lx.end_word();
                if lx.out.last() != Some(&Tok::Sep) {
                    lx.out.push(Tok::Sep);
                }
                lx.i += 1;
            }
            '\\' => lx.backslash(),
            '\'' => lx.single_quoted(),
            '"' => lx.double_quoted(),
            '$' if lx.at(lx.i + 1) == Some('\'') => lx.ansi_c_quoted(),
            _ => {
                lx.cur.push(ch);
                lx.in_word = true;
                lx.i += 1;
            }
        }
    }
    lx.end_word();
    lx.out
}

struct Lexer {
    chars: Vec<char>,
    i: usize,
    cur: String,
    in_word: bool,
    out: Vec<Tok>,
}

impl Lexer {
    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn end_word(&mut self) {
        if self.in_word {
            self.out.push(Tok::Word(std::mem::take(&mut self.cur)));
            self.in_word = false;
        }
    }

    /// `\c` outside quotes: the character itself; `\` + newline: a line continuation.
    fn backslash(&mut self) {
        match self.at(self.i + 1) {
            Some('\n') => {}
            Some('\r') if self.at(self.i + 2) == Some('\n') => self.i += 1,
            Some(c) => {
                self.cur.push(c);
                self.in_word = true;
            }
            None => {}
        }
        self.i += 2;
    }

    /// '…': everything literal up to the closing quote (or the end of the text).
    fn single_quoted(&mut self) {
        self.in_word = true;
        self.i += 1;
        while let Some(c) = self.at(self.i) {
            self.i += 1;
            if c == '\'' {
                break;
            }
            self.cur.push(c);
        }
    }

    /// "…": backslash escapes only \" \\ \$ \` and a line continuation.
    fn double_quoted(&mut self) {
        self.in_word = true;
        self.i += 1;
        while let Some(c) = self.at(self.i) {
            self.i += 1;
            match c {
                '"' => break,
                '\\' if matches!(self.at(self.i), Some('"' | '\\' | '$' | '`')) => {
                    if let Some(n) = self.at(self.i) {
                        self.cur.push(n);
                    }
                    self.i += 1;
                }
                '\\' if self.at(self.i) == Some('\n') => self.i += 1,
                _ => self.cur.push(c),
            }
        }
    }

    /// $'…': ANSI-C quoting with \n \r \t \xHH \uHHHH (any other escaped character is itself).
    fn ansi_c_quoted(&mut self) {
        self.in_word = true;
        self.i += 2;
        while let Some(c) = self.at(self.i) {
            self.i += 1;
            match c {
                '\'' => break,
                '\\' => {
                    let e = self.at(self.i);
                    self.i += 1;
                    match e {
                        Some('n') => self.cur.push('\n'),
                        Some('r') => self.cur.push('\r'),
                        Some('t') => self.cur.push('\t'),
                        Some('x') => self.hex_escape(2),
                        Some('u') => self.hex_escape(4),
                        Some(o) => self.cur.push(o),
                        None => {}
                    }
                }
                _ => self.cur.push(c),
            }
        }
    }

    /// The character of the `digits` hex digits at the cursor (\x: a byte taken as Latin-1, as
    /// before; \u: a code point); nothing is consumed when they are not hex.
    fn hex_escape(&mut self, digits: usize) {
        let hex: String = self
            .chars
            .get(self.i..(self.i + digits).min(self.chars.len()))
            .map(|s| s.iter().collect())
            .unwrap_or_default();
        let ch = if digits == 2 {
            u8::from_str_radix(&hex, 16).ok().map(char::from)
        } else {
            u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
        };
        if let Some(ch) = ch {
            self.cur.push(ch);
            self.i += digits;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        shell_words(text)
            .into_iter()
            .map(|t| match t {
                Tok::Word(w) => w,
                Tok::Sep => "<sep>".to_string(),
            })
            .collect()
    }

    #[test]
    fn shell_words_quotes() {
        assert_eq!(
            words("curl 'a b' \"c\\\"d\" $'e\\nf' g\\\n h; x"),
            ["curl", "a b", "c\"d", "e\nf", "g", "h", "<sep>", "x"]
        );
    }

    #[test]
    fn ansi_c_hex_and_unicode_escapes() {
        assert_eq!(words(r"$'a\x41b\u00e9c\t'"), ["aAbéc\t"]);
        // Not hex: the escape letter stays out, the text goes on.
        assert_eq!(words(r"$'\xZZ'"), ["ZZ"]);
        assert_eq!(words(r"$'\u12'"), ["12"]);
    }

    #[test]
    fn separators_and_unterminated_quotes() {
        assert_eq!(
            words("a && b | c\r\nd"),
            ["a", "<sep>", "b", "<sep>", "c", "<sep>", "d"]
        );
        assert_eq!(words("curl 'cut"), ["curl", "cut"]);
        assert_eq!(words("x\\\r\ny"), ["xy"]);
    }
}
