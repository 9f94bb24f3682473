//! A strict scanner for the common shape of JSON text: a flat object of unescaped strings, small
//! integers, literals and (one level of) nested objects. Anything else (escapes, floats, arrays,
//! deep nesting) makes it give up with `None`, and the caller takes the serde path, so whatever it
//! accepts, serde accepts and reads the same way.

/// A scanned value.
#[derive(Clone, Copy)]
pub(crate) enum Val<'a> {
    /// A string's content (no escapes, no control characters, valid UTF-8).
    Str(&'a str),
    /// An integer of at most 18 digits.
    Int(i64),
    Null,
    Bool,
    /// `{` was read: the caller reads the nested object's members.
    Open,
}

pub(crate) struct Scan<'a> {
    text: &'a str,
    b: &'a [u8],
    pub(crate) i: usize,
}

/// The bytes of `w` that end a plain JSON string (`"`, `\\`, a control byte), flagged by their high
/// bit (little-endian: byte k is bit 8k + 7). The lowest flagged byte is exact (borrows only run
/// upwards), which is all a first match needs; bytes above it may be flagged wrongly.
#[inline]
pub(crate) fn special_mask(w: &[u8; 8]) -> u64 {
    let x = u64::from_le_bytes(*w);
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    has_zero(x ^ (ONES * u64::from(b'"')))
        | has_zero(x ^ (ONES * u64::from(b'\\')))
        | (x.wrapping_sub(ONES * 0x20) & !x & HIGH)
}

/// Index of the first `"`, `\\` or control byte (< 0x20) in `b` from `i`, else `b.len()`:
/// what ends a plain JSON string, eight bytes at a time.
#[inline]
pub(crate) fn special(b: &[u8], mut i: usize) -> usize {
    while let Some(w) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let hit = special_mask(w);
        if hit != 0 {
            return i + (hit.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    b[i..]
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .map_or(b.len(), |p| i + p)
}

impl<'a> Scan<'a> {
    pub(crate) fn new(text: &'a str) -> Scan<'a> {
        Scan {
            text,
            b: text.as_bytes(),
            i: 0,
        }
    }

    pub(crate) fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// Skips whitespace, then consumes `c` if it is next.
    pub(crate) fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// Whether only whitespace is left.
    pub(crate) fn at_end(&mut self) -> bool {
        self.ws();
        self.i == self.b.len()
    }

    /// A string after its opening quote.
    fn string_body(&mut self) -> Option<&'a str> {
        let start = self.i;
        let end = special(self.b, start);
        if self.b.get(end) != Some(&b'"') {
            return None;
        }
        self.i = end + 1;
        self.text.get(start..end)
    }

    /// An object key and its colon.
    pub(crate) fn key(&mut self) -> Option<&'a str> {
        if !self.eat(b'"') {
            return None;
        }
        let k = self.string_body()?;
        self.eat(b':').then_some(k)
    }

    pub(crate) fn value(&mut self) -> Option<Val<'a>> {
        self.ws();
        let c = *self.b.get(self.i)?;
        self.i += 1;
        let lit = |s: &mut Self, rest: &[u8], v: Val<'a>| {
            let end = s.i + rest.len();
            (s.b.get(s.i..end) == Some(rest)).then(|| {
                s.i = end;
                v
            })
        };
        match c {
            b'"' => self.string_body().map(Val::Str),
            b'{' => Some(Val::Open),
            b'n' => lit(self, b"ull", Val::Null),
            b't' => lit(self, b"rue", Val::Bool),
            b'f' => lit(self, b"alse", Val::Bool),
            b'-' | b'0'..=b'9' => {
                let start = self.i - 1;
                let neg = c == b'-';
                let mut n: i64 = 0;
                let mut digits = 0;
                if !neg {
                    n = i64::from(c - b'0');
                    digits = 1;
                }
                while let Some(&d @ b'0'..=b'9') = self.b.get(self.i) {
                    n = n * 10 + i64::from(d - b'0');
                    digits += 1;
                    self.i += 1;
                    if digits > 18 {
                        return None;
                    }
                }
                let text = &self.b[start..self.i];
                let lead = if neg { &text[1..] } else { text };
                // Leading zeros are invalid JSON; fractions and exponents are left to serde.
                if digits == 0
                    || (lead[0] == b'0' && digits > 1)
                    || matches!(self.b.get(self.i), Some(b'.' | b'e' | b'E'))
                {
                    return None;
                }
                Some(Val::Int(if neg { -n } else { n }))
            }
            _ => None,
        }
    }

    /// After a member: `,` (more follow, `true`) or `}` (the object ends, `false`).
    pub(crate) fn next(&mut self) -> Option<bool> {
        if self.eat(b',') {
            Some(true)
        } else if self.eat(b'}') {
            Some(false)
        } else {
            None
        }
    }
}
