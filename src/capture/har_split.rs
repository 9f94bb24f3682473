//! Finds the entries of a HAR file in its bytes as they are read: a structural scan (strings,
//! brackets, the keys `log` and `entries`) over a window that holds one entry at a time, so each
//! entry is parsed from a slice (fast) and memory stays at the size of the largest entry however
//! big the file is.

use std::io::{self, Read};

use memchr::memchr2;

/// The largest HAR entry read; a larger one is skipped (without being held) and counted.
pub const MAX_ENTRY_MIB: usize = 64;
const MAX_ENTRY: usize = MAX_ENTRY_MIB << 20;

/// How much is asked of the reader at a time (progress is reported about as often).
const CHUNK: usize = 256 << 10;

/// One element of `log.entries`.
pub(super) enum Piece<'a> {
    /// The entry's bytes, and how deeply its arrays and objects nest (the entry itself is 1).
    Entry { bytes: &'a [u8], depth: usize },
    /// An entry larger than [`MAX_ENTRY_MIB`], skipped.
    TooLarge,
}

/// Why the scan stopped before the end of `log.entries`.
#[derive(Debug)]
pub(super) enum SplitError {
    Io(io::Error),
    /// The file ends at byte `offset`, inside the HAR structure.
    End {
        offset: u64,
    },
    /// Byte `offset` cannot be there (a HAR is an object whose `log.entries` is an array).
    Broken {
        offset: u64,
    },
}

/// The bytes of the file, read a chunk at a time; the bytes from `mark` on are kept while an
/// entry is being scanned.
struct Window<R> {
    r: R,
    buf: Vec<u8>,
    pos: usize,
    /// File offset of `buf[0]`.
    base: u64,
    mark: Option<usize>,
    /// The entry being scanned outgrew [`MAX_ENTRY`]: its bytes are no longer kept.
    dropped: bool,
}

impl<R: Read> Window<R> {
    fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// Reads more; false at the end of the file.
    fn refill(&mut self) -> Result<bool, SplitError> {
        let keep = match self.mark {
            Some(m) if !self.dropped && self.pos - m > MAX_ENTRY => {
                self.dropped = true;
                self.pos
            }
            Some(m) if !self.dropped => m,
            _ => self.pos,
        };
        if keep > 0 {
            self.buf.drain(..keep);
            self.base += keep as u64;
            self.pos -= keep;
            self.mark = self.mark.map(|m| m.saturating_sub(keep));
        }
        let len = self.buf.len();
        self.buf.resize(len + CHUNK, 0);
        let got = loop {
            match self.r.read(self.buf.get_mut(len..).unwrap_or_default()) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted && e.get_ref().is_none() => {}
                Err(e) => {
                    self.buf.truncate(len);
                    return Err(SplitError::Io(e));
                }
            }
        };
        self.buf.truncate(len + got);
        Ok(got > 0)
    }

    /// The next byte, not consumed; `None` at the end of the file.
    #[inline]
    fn peek(&mut self) -> Result<Option<u8>, SplitError> {
        if self.pos == self.buf.len() && !self.refill()? {
            return Ok(None);
        }
        Ok(self.buf.get(self.pos).copied())
    }

    /// The next byte that is not JSON whitespace, not consumed.
    fn peek_token(&mut self) -> Result<u8, SplitError> {
        loop {
            match self.peek()? {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b) => return Ok(b),
                None => {
                    return Err(SplitError::End {
                        offset: self.offset(),
                    });
                }
            }
        }
    }

    fn broken(&self) -> SplitError {
        SplitError::Broken {
            offset: self.offset(),
        }
    }

    /// Consumes `want` as the next token.
    fn expect(&mut self, want: u8) -> Result<(), SplitError> {
        if self.peek_token()? != want {
            return Err(self.broken());
        }
        self.pos += 1;
        Ok(())
    }

    /// Skips the rest of a string whose opening quote was consumed; returns its first bytes and
    /// its length when that is at most 8 bytes and it has no escape (enough to tell `log` and
    /// `entries` from other keys), else a length of 9.
    fn string(&mut self) -> Result<([u8; 8], usize), SplitError> {
        let mut head = [0u8; 8];
        let mut n = 0usize;
        loop {
            if self.pos == self.buf.len() && !self.refill()? {
                return Err(SplitError::End {
                    offset: self.offset(),
                });
            }
            let rest = self.buf.get(self.pos..).unwrap_or_default();
            let Some(i) = memchr2(b'"', b'\\', rest) else {
                copy_head(&mut head, &mut n, rest);
                self.pos = self.buf.len();
                continue;
            };
            copy_head(&mut head, &mut n, rest.get(..i).unwrap_or_default());
            let quote = rest.get(i) == Some(&b'"');
            self.pos += i + 1;
            if quote {
                return Ok((head, n));
            }
            // A backslash: the escaped byte is skipped, whatever it is.
            if self.peek()?.is_none() {
                return Err(SplitError::End {
                    offset: self.offset(),
                });
            }
            self.pos += 1;
            n = NOT_OURS; // an escaped key is not one of ours
        }
    }

    /// Skips one JSON value; returns how deeply its containers nest. Brackets must match; the
    /// rest (scalars, commas, colons) is left to the parser that reads the value.
    fn value(&mut self) -> Result<usize, SplitError> {
        let mut open: Vec<u8> = Vec::new();
        let mut deepest = 0;
        loop {
            let b = if open.is_empty() {
                self.peek_token()?
            } else {
                match self.peek()? {
                    Some(b) => b,
                    None => {
                        return Err(SplitError::End {
                            offset: self.offset(),
                        });
                    }
                }
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    self.string()?;
                }
                b'{' | b'[' => {
                    self.pos += 1;
                    open.push(if b == b'{' { b'}' } else { b']' });
                    deepest = deepest.max(open.len());
                    continue;
                }
                b'}' | b']' => {
                    if open.pop() != Some(b) {
                        return Err(self.broken());
                    }
                    self.pos += 1;
                }
                b',' | b':' if open.is_empty() => return Err(self.broken()),
                _ if open.is_empty() => {
                    // A scalar: up to the next delimiter.
                    while let Some(c) = self.peek()? {
                        if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => self.pos += 1,
            }
            if open.is_empty() {
                return Ok(deepest);
            }
        }
    }

    /// Walks the members of the object whose `{` comes next up to `key`, skipping the others, and
    /// hands its value to `found`; the members after it are not read.
    fn members(
        &mut self,
        key: &[u8],
        found: &mut dyn FnMut(&mut Self) -> Result<(), SplitError>,
    ) -> Result<(), SplitError> {
        self.expect(b'{')?;
        if self.peek_token()? == b'}' {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.expect(b'"')?;
            let (head, n) = self.string()?;
            self.expect(b':')?;
            if head.get(..n) == Some(key) {
                // What follows the value looked for is not read.
                return found(self);
            }
            self.value()?;
            match self.peek_token()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.broken()),
            }
        }
    }
}

/// The length [`Window::string`] gives a string that is none of the keys looked for.
const NOT_OURS: usize = 9;

fn copy_head(head: &mut [u8; 8], n: &mut usize, bytes: &[u8]) {
    for &b in bytes {
        match head.get_mut(*n) {
            Some(slot) => *slot = b,
            None => {
                *n = NOT_OURS;
                return;
            }
        }
        *n += 1;
    }
}

/// Calls `each` with every element of `log.entries`, in order, reading `r` as it goes. Stops after
/// the entries array (the rest of the file is not read).
pub(super) fn split_entries(
    r: impl Read,
    each: &mut dyn FnMut(Piece<'_>),
) -> Result<(), SplitError> {
    let mut w = Window {
        r,
        buf: Vec::new(),
        pos: 0,
        base: 0,
        mark: None,
        dropped: false,
    };
    // A UTF-8 byte order mark is allowed before the document.
    for bom in [0xEF, 0xBB, 0xBF] {
        if w.peek()? != Some(bom) {
            break;
        }
        w.pos += 1;
    }
    w.members(b"log", &mut |w| {
        w.members(b"entries", &mut |w| entries(w, each))
    })
}

/// The elements of the array that comes next.
fn entries<R: Read>(w: &mut Window<R>, each: &mut dyn FnMut(Piece<'_>)) -> Result<(), SplitError> {
    w.expect(b'[')?;
    if w.peek_token()? == b']' {
        w.pos += 1;
        return Ok(());
    }
    loop {
        w.peek_token()?;
        w.mark = Some(w.pos);
        w.dropped = false;
        let depth = w.value()?;
        let start = w.mark.take().unwrap_or(w.pos);
        if std::mem::take(&mut w.dropped) {
            each(Piece::TooLarge);
        } else {
            let bytes = w.buf.get(start..w.pos).unwrap_or_default();
            each(Piece::Entry { bytes, depth });
        }
        match w.peek_token()? {
            b',' => w.pos += 1,
            b']' => {
                w.pos += 1;
                return Ok(());
            }
            _ => return Err(w.broken()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands over at most `step` bytes a call (to split at every place).
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            let (head, rest) = self.data.split_at(n);
            buf.get_mut(..n).unwrap_or_default().copy_from_slice(head);
            self.data = rest;
            Ok(n)
        }
    }

    /// The entries as text (`<large>` for one skipped), and how the scan ended.
    fn split(text: &str, step: usize) -> (Vec<String>, Result<(), String>) {
        let mut seen = Vec::new();
        let r = split_entries(
            Trickle {
                data: text.as_bytes(),
                step,
            },
            &mut |p| {
                seen.push(match p {
                    Piece::Entry { bytes, depth } => {
                        format!("{}@{depth}", String::from_utf8_lossy(bytes))
                    }
                    Piece::TooLarge => "<large>".into(),
                })
            },
        );
        (seen, r.map_err(|e| format!("{e:?}")))
    }

    #[test]
    fn entries_are_found_whatever_the_reads_and_around_them() {
        let text = concat!(
            "\u{feff}{\"x\": {\"entries\": [9]}, \"log\" : {\"pages\": [{\"a\": \"]}\"}],",
            " \"entries\" : [ {\"a\": \"q\\\"]\\\\\"}, [1, [2]] ,7 , \"s\",{} ] , \"more\": [}}"
        );
        for step in [1, 2, 3, 7, 64, 1 << 20] {
            let (seen, r) = split(text, step);
            assert_eq!(
                seen,
                [
                    r#"{"a": "q\"]\\"}@1"#,
                    "[1, [2]]@2",
                    "7@0",
                    "\"s\"@0",
                    "{}@1"
                ],
                "step {step}"
            );
            // The scan stops after the entries: what follows is not read.
            assert_eq!(r, Ok(()), "step {step}");
        }
    }

    #[test]
    fn a_file_without_entries_has_none() {
        for text in [r#"{}"#, r#"{"log": {}}"#, r#"{"log": {"entries": []}}"#] {
            assert_eq!(split(text, 5), (vec![], Ok(())), "{text}");
        }
    }

    #[test]
    fn keys_that_only_look_like_ours_are_skipped() {
        let text = r#"{"logs": {"entries": [1]}, "l\u006fg": {"entries": [2]}, "log": {"entriesX": [3], "entries": [4]}}"#;
        assert_eq!(split(text, 3).0, ["4@0"]);
    }

    #[test]
    fn a_cut_or_broken_file_says_where() {
        let (seen, r) = split(r#"{"log": {"entries": [{"a": 1}, {"b": "#, 4);
        assert_eq!(seen, [r#"{"a": 1}@1"#]);
        assert_eq!(r, Err("End { offset: 37 }".into()));
        let (seen, r) = split(r#"{"log": {"entries": [{"a": 1}, {"b": 2]]}}"#, 4);
        assert_eq!(seen, [r#"{"a": 1}@1"#]);
        assert_eq!(r, Err("Broken { offset: 38 }".into()));
        for text in [
            "[]",
            r#"{"log": 5}"#,
            r#"{"log": {"entries": {}}}"#,
            "{\"log\" 1}",
        ] {
            assert!(
                matches!(split(text, 8).1, Err(e) if e.starts_with("Broken")),
                "{text}"
            );
        }
        assert_eq!(split("", 8).1, Err("End { offset: 0 }".into()));
    }

    #[test]
    fn the_depth_of_each_entry_is_counted() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let text = format!(r#"{{"log": {{"entries": [{{"x": {deep}}}, 1]}}}}"#);
        let mut depths = Vec::new();
        split_entries(text.as_bytes(), &mut |p| {
            if let Piece::Entry { depth, .. } = p {
                depths.push(depth);
            }
        })
        .expect("read");
        assert_eq!(depths, [100_001, 0]);
    }

    /// An entry larger than the limit is skipped without being held, and the next ones are read.
    #[test]
    fn an_entry_over_the_limit_is_skipped_and_the_next_read() {
        let big = "a".repeat(MAX_ENTRY + CHUNK);
        let text = format!(r#"{{"log": {{"entries": [{{"t": "{big}"}}, {{"b": 1}}]}}}}"#);
        let (seen, r) = split(&text, 1 << 20);
        assert_eq!(seen, ["<large>", r#"{"b": 1}@1"#]);
        assert_eq!(r, Ok(()));
    }
}
