//! CPython 3.11's `json.loads` on bytes, as far as its answer goes: the encoding it detects, the
//! `UnicodeDecodeError` of `bytes.decode(…, 'surrogatepass')`, and the first `JSONDecodeError` of
//! its C scanner — message and position exactly — or the value's Python type. Code points are
//! `u32` so that lone surrogates (which Python accepts) survive.

/// A decoded value, as far as the sample looks at it.
#[derive(Debug, Clone, PartialEq)]
pub enum Py {
    Dict(Vec<(Vec<u32>, Py)>),
    List,
    Str(Vec<u32>),
    Int,
    Float,
    Bool,
    None,
}

impl Py {
    /// `type(v).__name__`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Py::Dict(_) => "dict",
            Py::List => "list",
            Py::Str(_) => "str",
            Py::Int => "int",
            Py::Float => "float",
            Py::Bool => "bool",
            Py::None => "NoneType",
        }
    }

    /// `d[key]` of a dict: the last value under `key` (Python keeps the last duplicate).
    pub fn get(&self, key: &str) -> Option<&Py> {
        let Py::Dict(items) = self else {
            return None;
        };
        let key: Vec<u32> = key.chars().map(u32::from).collect();
        items.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// How deep `json.loads` nests before `RecursionError` (the interpreter's limit of 1000 less the
/// sample's own frames).
const MAX_DEPTH: usize = 994;

/// `json.loads(b)`: the value, or (exception class, message).
pub fn loads(b: &[u8]) -> Result<Py, (String, String)> {
    let text = decode(b).map_err(|m| ("UnicodeDecodeError".to_string(), m))?;
    let mut p = Parser { s: &text, depth: 0 };
    let start = p.ws(0);
    let (value, end) = match p.value(start) {
        Ok(v) => v,
        Err(Stop::Expecting(at)) => return Err(p.error("Expecting value", at)),
        Err(Stop::Error(msg, at)) => return Err(p.error(msg, at)),
        Err(Stop::Deep(what)) => {
            return Err((
                "RecursionError".into(),
                format!(
                    "maximum recursion depth exceeded while decoding a JSON {what} from a unicode string"
                ),
            ));
        }
    };
    let end = p.ws(end);
    if end != text.len() {
        return Err(p.error("Extra data", end));
    }
    Ok(value)
}

/// `bytes.decode(json.detect_encoding(b), 'surrogatepass')` as code points.
fn decode(b: &[u8]) -> Result<Vec<u32>, String> {
    const BOM8: &[u8] = b"\xef\xbb\xbf";
    if b.starts_with(b"\x00\x00\xfe\xff") || b.starts_with(b"\xff\xfe\x00\x00") {
        return utf32(b, None);
    }
    if b.starts_with(b"\xfe\xff") || b.starts_with(b"\xff\xfe") {
        return utf16(b, None);
    }
    if let Some(rest) = b.strip_prefix(BOM8) {
        return utf8(rest);
    }
    match b {
        [0, b1, _, _, ..] => match b1 {
            0 => utf32(b, Some(true)),
            _ => utf16(b, Some(true)),
        },
        [_, 0, b2, b3, ..] => match (b2, b3) {
            (0, 0) => utf32(b, Some(false)),
            _ => utf16(b, Some(false)),
        },
        [0, _] => utf16(b, Some(true)),
        [_, 0] => utf16(b, Some(false)),
        _ => utf8(b),
    }
}

fn decode_error(codec: &str, b: &[u8], start: usize, end: usize, why: &str) -> String {
    if end - start == 1 {
        format!(
            "'{codec}' codec can't decode byte 0x{:02x} in position {start}: {why}",
            b[start]
        )
    } else {
        format!(
            "'{codec}' codec can't decode bytes in position {start}-{}: {why}",
            end - 1
        )
    }
}

fn cont(b: Option<&u8>) -> bool {
    b.is_some_and(|&c| (0x80..0xc0).contains(&c))
}

/// CPython's UTF-8 decoder with the `surrogatepass` handler.
fn utf8(b: &[u8]) -> Result<Vec<u32>, String> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            out.push(u32::from(c));
            i += 1;
            continue;
        }
        let (n, second): (usize, fn(u8) -> bool) = match c {
            0xc2..=0xdf => (2, |x| (0x80..0xc0).contains(&x)),
            0xe0 => (3, |x| (0xa0..0xc0).contains(&x)),
            0xed => (3, |x| (0x80..0xa0).contains(&x)),
            0xe1..=0xef => (3, |x| (0x80..0xc0).contains(&x)),
            0xf0 => (4, |x| (0x90..0xc0).contains(&x)),
            0xf4 => (4, |x| (0x80..0x90).contains(&x)),
            0xf1..=0xf3 => (4, |x| (0x80..0xc0).contains(&x)),
            _ => return Err(decode_error("utf-8", b, i, i + 1, "invalid start byte")),
        };
        // How many bytes after the first are right, and whether the data ended first.
        let mut good = 0;
        let mut ended = false;
        for k in 1..n {
            match b.get(i + k) {
                None => {
                    ended = true;
                    break;
                }
                Some(&x) if (k == 1 && second(x)) || (k > 1 && cont(Some(&x))) => good += 1,
                Some(_) => break,
            }
        }
        if good == n - 1 {
            let mut cp = u32::from(c) & (0x7f >> n);
            for k in 1..n {
                cp = (cp << 6) | (u32::from(b[i + k]) & 0x3f);
            }
            out.push(cp);
            i += n;
            continue;
        }
        // surrogatepass: ED A0..BF 80..BF is a surrogate code point.
        if c == 0xed && b.get(i + 1).is_some_and(|x| (0xa0..0xc0).contains(x)) && cont(b.get(i + 2))
        {
            out.push(0xd000 | ((u32::from(b[i + 1]) & 0x3f) << 6) | (u32::from(b[i + 2]) & 0x3f));
            i += 3;
            continue;
        }
        return Err(if ended {
            decode_error("utf-8", b, i, b.len(), "unexpected end of data")
        } else {
            decode_error("utf-8", b, i, i + 1 + good, "invalid continuation byte")
        });
    }
    Ok(out)
}

/// UTF-16 (`big`: None reads the BOM) with `surrogatepass`.
fn utf16(b: &[u8], big: Option<bool>) -> Result<Vec<u32>, String> {
    let (big, start, codec) = match big {
        Some(true) => (true, 0, "utf-16-be"),
        Some(false) => (false, 0, "utf-16-le"),
        None => (b.starts_with(b"\xfe\xff"), 2, "utf-16"),
    };
    let body = &b[start..];
    let mut out = Vec::with_capacity(body.len() / 2);
    for (k, pair) in body.chunks(2).enumerate() {
        let [x, y] = pair else {
            let at = start + k * 2;
            return Err(decode_error(codec, b, at, b.len(), "truncated data"));
        };
        out.push(u32::from(if big {
            u16::from_be_bytes([*x, *y])
        } else {
            u16::from_le_bytes([*x, *y])
        }));
    }
    // Pairs of surrogates are one code point; lone ones pass.
    let mut joined = Vec::with_capacity(out.len());
    let mut k = 0;
    while k < out.len() {
        let u = out[k];
        if (0xd800..0xdc00).contains(&u)
            && out.get(k + 1).is_some_and(|v| (0xdc00..0xe000).contains(v))
        {
            joined.push(0x10000 + ((u - 0xd800) << 10) + (out[k + 1] - 0xdc00));
            k += 2;
        } else {
            joined.push(u);
            k += 1;
        }
    }
    Ok(joined)
}

/// UTF-32 (`big`: None reads the BOM).
fn utf32(b: &[u8], big: Option<bool>) -> Result<Vec<u32>, String> {
    let (big, start, codec) = match big {
        Some(true) => (true, 0, "utf-32-be"),
        Some(false) => (false, 0, "utf-32-le"),
        None => (b.starts_with(b"\x00\x00\xfe\xff"), 4, "utf-32"),
    };
    let mut out = Vec::with_capacity(b.len() / 4);
    for (k, q) in b[start..].chunks(4).enumerate() {
        let at = start + k * 4;
        let [w, x, y, z] = q else {
            return Err(decode_error(codec, b, at, b.len(), "truncated data"));
        };
        let cp = if big {
            u32::from_be_bytes([*w, *x, *y, *z])
        } else {
            u32::from_le_bytes([*w, *x, *y, *z])
        };
        if cp > 0x10ffff {
            return Err(decode_error(
                codec,
                b,
                at,
                at + 4,
                "code point not in range(0x110000)",
            ));
        }
        out.push(cp);
    }
    Ok(out)
}

enum Stop {
    /// `StopIteration(at)`: no value starts there ("Expecting value").
    Expecting(usize),
    Error(&'static str, usize),
    Deep(&'static str),
}

struct Parser<'a> {
    s: &'a [u32],
    depth: usize,
}

fn ch(c: char) -> u32 {
    u32::from(c)
}

impl Parser<'_> {
    fn at(&self, i: usize) -> Option<u32> {
        self.s.get(i).copied()
    }

    fn ws(&self, mut i: usize) -> usize {
        while self
            .at(i)
            .is_some_and(|c| [' ', '\t', '\n', '\r'].iter().any(|&w| ch(w) == c))
        {
            i += 1;
        }
        i
    }

    /// `JSONDecodeError(msg, doc, pos)` as str() shows it.
    fn error(&self, msg: &str, pos: usize) -> (String, String) {
        let before = &self.s[..pos.min(self.s.len())];
        let line = before.iter().filter(|&&c| c == ch('\n')).count() + 1;
        let col = match before.iter().rposition(|&c| c == ch('\n')) {
            Some(nl) => pos - nl,
            None => pos + 1,
        };
        (
            "JSONDecodeError".into(),
            format!("{msg}: line {line} column {col} (char {pos})"),
        )
    }

    fn word(&self, i: usize, w: &str) -> bool {
        w.chars()
            .enumerate()
            .all(|(k, c)| self.at(i + k) == Some(ch(c)))
    }

    fn value(&mut self, i: usize) -> Result<(Py, usize), Stop> {
        let Some(c) = self.at(i) else {
            return Err(Stop::Expecting(i));
        };
        match char::from_u32(c) {
            Some('"') => self.string(i + 1).map(|(s, e)| (Py::Str(s), e)),
            Some('{') => self.nested("object", |p| p.object(i + 1)),
            Some('[') => self.nested("array", |p| p.array(i + 1)),
            Some('n') if self.word(i, "null") => Ok((Py::None, i + 4)),
            Some('t') if self.word(i, "true") => Ok((Py::Bool, i + 4)),
            Some('f') if self.word(i, "false") => Ok((Py::Bool, i + 5)),
            Some('N') if self.word(i, "NaN") => Ok((Py::Float, i + 3)),
            Some('I') if self.word(i, "Infinity") => Ok((Py::Float, i + 8)),
            Some('-') if self.word(i, "-Infinity") => Ok((Py::Float, i + 9)),
            _ => self.number(i),
        }
    }

    fn nested(
        &mut self,
        what: &'static str,
        f: impl FnOnce(&mut Self) -> Result<(Py, usize), Stop>,
    ) -> Result<(Py, usize), Stop> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Stop::Deep(what));
        }
        let out = f(self);
        self.depth -= 1;
        out
    }

    fn digit(&self, i: usize) -> bool {
        self.at(i).is_some_and(|c| (ch('0')..=ch('9')).contains(&c))
    }

    fn number(&self, start: usize) -> Result<(Py, usize), Stop> {
        let mut i = start;
        if self.at(i) == Some(ch('-')) {
            i += 1;
            if i >= self.s.len() {
                return Err(Stop::Expecting(start));
            }
        }
        match self.at(i).and_then(char::from_u32) {
            Some('1'..='9') => {
                i += 1;
                while self.digit(i) {
                    i += 1;
                }
            }
            Some('0') => i += 1,
            _ => return Err(Stop::Expecting(start)),
        }
        let mut float = false;
        if i + 1 < self.s.len() && self.at(i) == Some(ch('.')) && self.digit(i + 1) {
            float = true;
            i += 2;
            while self.digit(i) {
                i += 1;
            }
        }
        if i + 1 < self.s.len() && matches!(self.at(i).and_then(char::from_u32), Some('e' | 'E')) {
            let e_start = i;
            i += 1;
            if i + 1 < self.s.len()
                && matches!(self.at(i).and_then(char::from_u32), Some('-' | '+'))
            {
                i += 1;
            }
            while self.digit(i) {
                i += 1;
            }
            if self.digit(i - 1) {
                float = true;
            } else {
                i = e_start;
            }
        }
        Ok((if float { Py::Float } else { Py::Int }, i))
    }

    /// The C `scanstring` (strict): `begin` is just after the opening quote.
    fn string(&self, begin: usize) -> Result<(Vec<u32>, usize), Stop> {
        let quote = begin - 1;
        let mut out = Vec::new();
        let mut i = begin;
        loop {
            let Some(c) = self.at(i) else {
                return Err(Stop::Error("Unterminated string starting at", quote));
            };
            if c == ch('"') {
                return Ok((out, i + 1));
            }
            if c < 0x20 {
                return Err(Stop::Error("Invalid control character at", i));
            }
            if c != ch('\\') {
                out.push(c);
                i += 1;
                continue;
            }
            let Some(e) = self.at(i + 1) else {
                return Err(Stop::Error("Unterminated string starting at", quote));
            };
            if e != ch('u') {
                let v = match char::from_u32(e) {
                    Some('"') => '"',
                    Some('\\') => '\\',
                    Some('/') => '/',
                    Some('b') => '\u{8}',
                    Some('f') => '\u{c}',
                    Some('n') => '\n',
                    Some('r') => '\r',
                    Some('t') => '\t',
                    _ => return Err(Stop::Error("Invalid \\escape", i)),
                };
                out.push(ch(v));
                i += 2;
                continue;
            }
            // \uXXXX: `next` is the first hex digit, `end` one past the fourth.
            let next = i + 2;
            let end = next + 4;
            if end >= self.s.len() {
                return Err(Stop::Error("Invalid \\uXXXX escape", next - 1));
            }
            let mut u = self
                .hex4(next)
                .ok_or(Stop::Error("Invalid \\uXXXX escape", end - 5))?;
            i = end;
            if (0xd800..0xdc00).contains(&u)
                && end + 6 < self.s.len()
                && self.at(end) == Some(ch('\\'))
                && self.at(end + 1) == Some(ch('u'))
            {
                let low = self
                    .hex4(end + 2)
                    .ok_or(Stop::Error("Invalid \\uXXXX escape", end + 1))?;
                if (0xdc00..0xe000).contains(&low) {
                    u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
                    i = end + 6;
                }
            }
            out.push(u);
        }
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        (0..4).try_fold(0u32, |acc, k| {
            let d = char::from_u32(self.at(at + k)?)?.to_digit(16)?;
            Some(acc * 16 + d)
        })
    }

    fn object(&mut self, start: usize) -> Result<(Py, usize), Stop> {
        let mut items = Vec::new();
        let mut i = self.ws(start);
        if self.at(i) == Some(ch('}')) {
            return Ok((Py::Dict(items), i + 1));
        }
        loop {
            if self.at(i) != Some(ch('"')) {
                return Err(Stop::Error(
                    "Expecting property name enclosed in double quotes",
                    i,
                ));
            }
            let (key, next) = self.string(i + 1)?;
            i = self.ws(next);
            if self.at(i) != Some(ch(':')) {
                return Err(Stop::Error("Expecting ':' delimiter", i));
            }
            i = self.ws(i + 1);
            let (value, next) = self.value(i)?;
            items.push((key, value));
            i = self.ws(next);
            if self.at(i) == Some(ch('}')) {
                return Ok((Py::Dict(items), i + 1));
            }
            if self.at(i) != Some(ch(',')) {
                return Err(Stop::Error("Expecting ',' delimiter", i));
            }
            i = self.ws(i + 1);
        }
    }

    fn array(&mut self, start: usize) -> Result<(Py, usize), Stop> {
        let mut i = self.ws(start);
        if self.at(i) == Some(ch(']')) {
            return Ok((Py::List, i + 1));
        }
        loop {
            let (_, next) = self.value(i)?;
            i = self.ws(next);
            if self.at(i) == Some(ch(']')) {
                return Ok((Py::List, i + 1));
            }
            if self.at(i) != Some(ch(',')) {
                return Err(Stop::Error("Expecting ',' delimiter", i));
            }
            i = self.ws(i + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each expectation is what CPython 3.11 printed for the same bytes.
    #[test]
    fn messages_as_cpython_prints_them() {
        let cases: [(&[u8], &str); 16] = [
            (
                br#"{"a":1,}"#,
                "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)",
            ),
            (b"[1,]", "Expecting value: line 1 column 4 (char 3)"),
            (
                br#"{"a" 1}"#,
                "Expecting ':' delimiter: line 1 column 6 (char 5)",
            ),
            (
                br#"{"a":1 "b"}"#,
                "Expecting ',' delimiter: line 1 column 8 (char 7)",
            ),
            (
                b"\"ab\x01c\"",
                "Invalid control character at: line 1 column 4 (char 3)",
            ),
            (
                b"\"ab",
                "Unterminated string starting at: line 1 column 1 (char 0)",
            ),
            (b"01", "Extra data: line 1 column 2 (char 1)"),
            (b"{}x", "Extra data: line 1 column 3 (char 2)"),
            (br#""\q""#, "Invalid \\escape: line 1 column 2 (char 1)"),
            (
                br#""\u12""#,
                "Invalid \\uXXXX escape: line 1 column 3 (char 2)",
            ),
            (b"-", "Expecting value: line 1 column 1 (char 0)"),
            (b"1.e5", "Extra data: line 1 column 2 (char 1)"),
            (b"", "Expecting value: line 1 column 1 (char 0)"),
            (
                b"\xe4\x41",
                "'utf-8' codec can't decode byte 0xe4 in position 0: invalid continuation byte",
            ),
            (
                b"\xe4\xb8",
                "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data",
            ),
            (
                b"{\xed\xa0\x80}",
                "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
            ),
        ];
        for (bytes, want) in cases {
            let got = loads(bytes).map(|_| ()).unwrap_err().1;
            assert_eq!(got, want, "{bytes:?}");
        }
        assert_eq!(
            loads(b"\xe4\xb8\x41").unwrap_err().1,
            "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte"
        );
        assert_eq!(
            loads(b"\x80").unwrap_err().1,
            "'utf-8' codec can't decode byte 0x80 in position 0: invalid start byte"
        );
        let v = loads(br#"{"watermark": {"appid": "wx1"}, "n": [1, 2.5, NaN]}"#).unwrap();
        assert_eq!(
            v.get("watermark").and_then(|w| w.get("appid")),
            Some(&Py::Str("wx1".chars().map(u32::from).collect()))
        );
    }
}
