//! Normalize and repair pasted base64 fields, recording every change with its place in the paste.
//!
//! Each repair step works on a list of characters that remember the char range they came from in
//! the field as pasted, so spans always point at what the user sees.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

mod canonical;
mod field;

pub use field::{Decoded, decode_field};

use canonical::{STRICT, decode_canonical};

use crate::finding::{Code, Span};

/// Lenient standard-alphabet decoder: padding is checked by us, trailing bits are tolerated (as
/// Node, Java and PHP do).
pub(crate) const B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Canonical encoder for output (`=` padded, standard alphabet).
pub fn encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// One repair step applied to a field.
#[derive(Debug, Clone, PartialEq)]
pub struct RepairStep {
    pub code: Code,
    pub before: String,
    pub after: String,
    pub spans: Vec<Span>,
}

/// Why a (repaired) field is still not base64.
#[derive(Debug, Clone, PartialEq)]
pub enum Base64Problem {
    /// A character outside the alphabet, at this char span of the paste.
    BadChar { span: Span, ch: char },
    /// A length no padding can fix (one char past a multiple of four).
    BadLength { len: usize },
}

/// The result of normalizing and decoding one field.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Normalized {
    /// The paste was canonical base64 and is used as it is (`text` is then left empty).
    pub unchanged: bool,
    /// The field after all repairs (empty when `unchanged`).
    pub text: String,
    pub repairs: Vec<RepairStep>,
    /// The decoded bytes, or why they could not be decoded.
    pub bytes: Option<Vec<u8>>,
    pub problem: Option<Base64Problem>,
    /// For each char of `text`, its char offset in the paste; empty when `text` is the paste.
    pub origin: Vec<usize>,
}

/// A repair step's output: the new characters and the paste spans it changed.
type Step = (Vec<Ch>, Vec<Span>);

#[derive(Clone, Copy)]
struct Ch {
    c: char,
    /// Char range in the field as pasted.
    start: usize,
    end: usize,
}

fn is_b64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
}

fn text_of(v: &[Ch]) -> String {
    v.iter().map(|c| c.c).collect()
}

/// What decoded length a field should have; used to settle ambiguous repairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LenRule {
    /// Exactly 16 bytes (session_key, iv).
    Block,
    /// A positive multiple of 16 bytes (encryptedData).
    Blocks,
    /// Exactly this many bytes (the 32-byte message-push key).
    Exact(usize),
    /// At least this many bytes (a GCM ciphertext with its tag).
    AtLeast(usize),
}

impl LenRule {
    /// Whether `n` base64 characters (without '=') decode to a length this rule accepts.
    fn fits(self, n: usize) -> bool {
        if n % 4 == 1 {
            return false;
        }
        let bytes = n * 3 / 4;
        let ok = match self {
            LenRule::Block => bytes == 16,
            LenRule::Blocks => bytes > 0 && bytes.is_multiple_of(16),
            LenRule::Exact(n) => bytes == n,
            LenRule::AtLeast(n) => bytes >= n,
        };
        ok && n == (4 * bytes).div_ceil(3)
    }
}

/// Normalizes, repairs and decodes one base64 field.
pub fn normalize(raw: &str, rule: LenRule) -> Normalized {
    // 32 hex digits are valid base64 too (of 24 bytes): for a 16-byte field they can only be hex.
    if rule == LenRule::Block && is_hex_block(raw.as_bytes()) {
        return slow(raw, rule);
    }
    if let Some(bytes) = decode_canonical(raw.as_bytes())
        .or_else(|| (!raw.is_empty()).then(|| STRICT.decode(raw).ok()).flatten())
    {
        return Normalized {
            unchanged: true,
            text: String::new(),
            repairs: Vec::new(),
            bytes: Some(bytes),
            problem: None,
            origin: Vec::new(),
        };
    }
    slow(raw, rule)
}

/// Whether `b` is exactly 32 hex digits: the hex form of a 16-byte key or iv.
fn is_hex_block(b: &[u8]) -> bool {
    b.len() == 32 && b.iter().all(u8::is_ascii_hexdigit)
}

/// A 16-byte field written as 32 hex digits (`bin2hex`, `Buffer.toString('hex')`) in its base64
/// form; each new character stands for the whole hex text.
fn hex_to_base64(v: &[Ch], rule: LenRule) -> Step {
    let digits: Vec<u8> = v.iter().filter_map(|c| u8::try_from(c.c).ok()).collect();
    let (Some(first), Some(last)) = (v.first(), v.last()) else {
        return (v.to_vec(), Vec::new());
    };
    if rule != LenRule::Block || digits.len() != v.len() || !is_hex_block(&digits) {
        return (v.to_vec(), Vec::new());
    }
    let bytes: Vec<u8> = digits
        .chunks_exact(2)
        .filter_map(|p| {
            let hi = char::from(p[0]).to_digit(16)?;
            let lo = char::from(p[1]).to_digit(16)?;
            u8::try_from(hi * 16 + lo).ok()
        })
        .collect();
    let out = encode(&bytes)
        .chars()
        .map(|c| Ch {
            c,
            start: first.start,
            end: last.end,
        })
        .collect();
    (out, vec![[first.start, last.end]])
}

fn slow(raw: &str, rule: LenRule) -> Normalized {
    let mut v: Vec<Ch> = raw
        .chars()
        .enumerate()
        .map(|(i, c)| Ch {
            c,
            start: i,
            end: i + 1,
        })
        .collect();
    let mut repairs = Vec::new();
    let mut step = |code: Code, v: &mut Vec<Ch>, f: &dyn Fn(&[Ch]) -> Step| {
        let (next, spans) = f(v);
        if !spans.is_empty() {
            repairs.push(RepairStep {
                code,
                before: text_of(v),
                after: text_of(&next),
                spans,
            });
            *v = next;
        }
    };
    step(Code::RepairWhitespace, &mut v, &trim_outer);
    step(Code::RepairQuotes, &mut v, &strip_quotes);
    step(Code::RepairHex, &mut v, &|v| hex_to_base64(v, rule));
    step(Code::RepairJsonEscape, &mut v, &json_unescape);
    step(Code::RepairPercentEncoding, &mut v, &percent_decode);
    step(Code::RepairPlusAsSpace, &mut v, &|v| {
        spaces_to_plus(v, rule)
    });
    step(Code::RepairWhitespace, &mut v, &drop_whitespace);
    step(Code::RepairUrlSafe, &mut v, &url_safe);
    step(Code::RepairPadding, &mut v, &fix_padding);
    merge_same_code(&mut repairs);

    let text = text_of(&v);
    let origin = v.iter().map(|c| c.start).collect();
    // The first character outside the alphabet, or '=' anywhere but the end.
    let pad_from = v.len() - v.iter().rev().take_while(|c| c.c == '=').count();
    let bad = v
        .iter()
        .enumerate()
        .find(|(i, c)| !(c.c.is_ascii() && is_b64(c.c as u8)) && (c.c != '=' || *i < pad_from));
    if let Some((_, c)) = bad {
        return Normalized {
            unchanged: false,
            text,
            repairs,
            bytes: None,
            problem: Some(Base64Problem::BadChar {
                span: [c.start, c.end],
                ch: c.c,
            }),
            origin,
        };
    }
    if pad_from % 4 == 1 || (v.len() - pad_from) > 2 {
        return Normalized {
            unchanged: false,
            text,
            repairs,
            bytes: None,
            problem: Some(Base64Problem::BadLength { len: pad_from }),
            origin,
        };
    }
    match B64.decode(&text) {
        Ok(bytes) => Normalized {
            unchanged: false,
            text,
            repairs,
            bytes: Some(bytes),
            problem: None,
            origin,
        },
        Err(_) => Normalized {
            unchanged: false,
            text,
            repairs,
            bytes: None,
            problem: Some(Base64Problem::BadLength { len: pad_from }),
            origin,
        },
    }
}

/// The outer-whitespace trim runs twice (before quotes and with inner whitespace); report once.
fn merge_same_code(repairs: &mut Vec<RepairStep>) {
    let mut i = 0;
    while i < repairs.len() {
        if let Some(j) = (0..i).find(|&j| repairs[j].code == repairs[i].code) {
            let later = repairs.remove(i);
            let first = &mut repairs[j];
            first.spans.extend(later.spans);
            first.spans.sort_unstable();
            // Keep the earliest "before"; the "after" of the later step supersedes intermediate text
            // only when nothing ran in between, otherwise keep the first step's own after.
            if j + 1 == i {
                first.after = later.after;
            }
        } else {
            i += 1;
        }
    }
}

fn is_ws(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

fn trim_outer(v: &[Ch]) -> (Vec<Ch>, Vec<Span>) {
    let lead = v.iter().take_while(|c| is_ws(c.c)).count();
    if lead == v.len() {
        // Only whitespace: leave it; the field counts as empty.
        return (v.to_vec(), Vec::new());
    }
    let mut trail = v.iter().rev().take_while(|c| is_ws(c.c)).count();
    // Spaces touching the value may be lost '+' signs: leave them for `spaces_to_plus`.
    let mut lead = lead;
    while lead > 0 && v[lead - 1].c == ' ' {
        lead -= 1;
    }
    while trail > 0 && v[v.len() - trail].c == ' ' {
        trail -= 1;
    }
    let mut spans = Vec::new();
    if lead > 0 {
        spans.push([v[0].start, v[lead - 1].end]);
    }
    if trail > 0 {
        spans.push([v[v.len() - trail].start, v[v.len() - 1].end]);
    }
    (v[lead..v.len() - trail].to_vec(), spans)
}

fn strip_quotes(v: &[Ch]) -> (Vec<Ch>, Vec<Span>) {
    let mut lo = 0;
    let mut hi = v.len();
    let mut spans = Vec::new();
    // Trailing comma (and whitespace before it), as copied from a JSON or JS source line.
    if hi > lo && matches!(v[hi - 1].c, ',' | ';') {
        spans.push([v[hi - 1].start, v[hi - 1].end]);
        hi -= 1;
        while hi > lo && is_ws(v[hi - 1].c) {
            hi -= 1;
        }
    }
    let quote = |c: char| matches!(c, '"' | '\'' | '`' | '“' | '”' | '‘' | '’');
    if hi > lo && quote(v[lo].c) {
        spans.push([v[lo].start, v[lo].end]);
        lo += 1;
    }
    if hi > lo && quote(v[hi - 1].c) {
        spans.push([v[hi - 1].start, v[hi - 1].end]);
        hi -= 1;
    }
    if spans.is_empty() {
        return (v.to_vec(), spans);
    }
    // Whitespace just inside the quotes goes too.
    while lo < hi && is_ws(v[lo].c) {
        lo += 1;
    }
    while hi > lo && is_ws(v[hi - 1].c) {
        hi -= 1;
    }
    spans.sort_unstable();
    (v[lo..hi].to_vec(), spans)
}

fn json_unescape(v: &[Ch]) -> (Vec<Ch>, Vec<Span>) {
    let mut out = Vec::with_capacity(v.len());
    let mut spans = Vec::new();
    let mut i = 0;
    while i < v.len() {
        if v[i].c == '\\' && i + 1 < v.len() {
            let next = v[i + 1].c;
            let simple = match next {
                '/' => Some(Some('/')),
                '\\' => None,
                'n' | 'r' | 't' => Some(None),
                _ => None,
            };
            if let Some(rep) = simple {
                let span = [v[i].start, v[i + 1].end];
                spans.push(span);
                if let Some(c) = rep {
                    out.push(Ch {
                        c,
                        start: span[0],
                        end: span[1],
                    });
                }
                i += 2;
                continue;
            }
            if next == 'u' && i + 5 < v.len() {
                let hex: String = v[i + 2..i + 6].iter().map(|c| c.c).collect();
                let rep = match hex.to_ascii_uppercase().as_str() {
                    "002B" => Some('+'),
                    "002F" => Some('/'),
                    "003D" => Some('='),
                    _ => None,
                };
                if let Some(c) = rep {
                    let span = [v[i].start, v[i + 5].end];
                    spans.push(span);
                    out.push(Ch {
                        c,
                        start: span[0],
                        end: span[1],
                    });
                    i += 6;
                    continue;
                }
            }
        }
        out.push(v[i]);
        i += 1;
    }
    (out, spans)
}

fn hex_val(c: char) -> Option<u8> {
    c.to_digit(16).map(|d| d as u8)
}

fn percent_decode(v: &[Ch]) -> Step {
    let mut out = Vec::with_capacity(v.len());
    let mut spans = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let rep = match (v[i].c, v.get(i + 1), v.get(i + 2)) {
            ('%', Some(h), Some(l)) => match (hex_val(h.c), hex_val(l.c)) {
                (Some(h), Some(l)) => match h * 16 + l {
                    0x2B => Some('+'),
                    0x2F => Some('/'),
                    0x3D => Some('='),
                    0x20 => Some(' '),
                    0x0A => Some('\n'),
                    0x0D => Some('\r'),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        if let Some(c) = rep {
            let span = [v[i].start, v[i + 2].end];
            spans.push(span);
            out.push(Ch {
                c,
                start: span[0],
                end: span[1],
            });
            i += 3;
        } else {
            out.push(v[i]);
            i += 1;
        }
    }
    (out, spans)
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r')
}

/// Spaces inside a line stood for '+' (form decoding turned them into spaces). Spaces at the edge of
/// an inner line are ambiguous: they count as '+' only when the length needs them.
fn spaces_to_plus(v: &[Ch], rule: LenRule) -> (Vec<Ch>, Vec<Span>) {
    if !v.iter().any(|c| c.c == ' ') {
        return (v.to_vec(), Vec::new());
    }
    // Classify each space: interior (non-space, non-break on both sides within its line) or edge.
    let n = v.len();
    let mut interior = vec![false; n];
    let mut edge = vec![false; n];
    let mut i = 0;
    while i < n {
        if v[i].c != ' ' {
            i += 1;
            continue;
        }
        let run_start = i;
        while i < n && v[i].c == ' ' {
            i += 1;
        }
        let left_ok = run_start > 0 && !is_ws(v[run_start - 1].c);
        let right_ok = i < n && !is_ws(v[i].c);
        for k in run_start..i {
            if left_ok && right_ok {
                interior[k] = true;
            } else {
                edge[k] = true;
            }
        }
    }
    let content = v.iter().filter(|c| !is_ws(c.c) && c.c != '=').count();
    let interior_n = interior.iter().filter(|&&b| b).count();
    let edge_n = edge.iter().filter(|&&b| b).count();
    let edge_as_plus =
        edge_n > 0 && !rule.fits(content + interior_n) && rule.fits(content + interior_n + edge_n);
    let mut out = Vec::with_capacity(n);
    let mut spans = Vec::new();
    for (k, ch) in v.iter().enumerate() {
        if interior[k] || (edge[k] && edge_as_plus) {
            spans.push([ch.start, ch.end]);
            out.push(Ch { c: '+', ..*ch });
        } else {
            out.push(*ch);
        }
    }
    (out, spans)
}

fn drop_whitespace(v: &[Ch]) -> (Vec<Ch>, Vec<Span>) {
    let mut out = Vec::with_capacity(v.len());
    let mut spans: Vec<Span> = Vec::new();
    for ch in v {
        if is_ws(ch.c) || is_line_break(ch.c) {
            match spans.last_mut() {
                Some(last) if last[1] == ch.start => last[1] = ch.end,
                _ => spans.push([ch.start, ch.end]),
            }
        } else {
            out.push(*ch);
        }
    }
    (out, spans)
}

fn url_safe(v: &[Ch]) -> (Vec<Ch>, Vec<Span>) {
    let mut spans = Vec::new();
    let out = v
        .iter()
        .map(|ch| match ch.c {
            '-' => {
                spans.push([ch.start, ch.end]);
                Ch { c: '+', ..*ch }
            }
            '_' => {
                spans.push([ch.start, ch.end]);
                Ch { c: '/', ..*ch }
            }
            _ => *ch,
        })
        .collect();
    (out, spans)
}

fn fix_padding(v: &[Ch]) -> (Vec<Ch>, Vec<Span>) {
    let pad = v.iter().rev().take_while(|c| c.c == '=').count();
    let core = v.len() - pad;
    if core == 0 {
        return (v.to_vec(), Vec::new());
    }
    let need = match core % 4 {
        0 => 0,
        2 => 2,
        3 => 1,
        _ => return (v.to_vec(), Vec::new()), // unfixable; reported as a bad length
    };
    if pad == need {
        return (v.to_vec(), Vec::new());
    }
    let end = v.last().map(|c| c.end).unwrap_or(0);
    let mut out = v[..core].to_vec();
    for _ in 0..need {
        out.push(Ch {
            c: '=',
            start: end,
            end,
        });
    }
    let span = if pad > 0 {
        [v[core].start, end]
    } else {
        [end, end]
    };
    (out, vec![span])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(n: &Normalized) -> Vec<&'static str> {
        n.repairs.iter().map(|r| r.code.as_str()).collect()
    }

    #[test]
    fn clean_input_takes_fast_path() {
        let n = normalize("r7BXXKkLb8qrSNn05n0qiA==", LenRule::Blocks);
        assert!(n.repairs.is_empty() && n.unchanged);
        assert_eq!(n.bytes.as_ref().map(Vec::len), Some(16));
    }

    #[test]
    fn space_inside_line_is_plus() {
        let n = normalize("ab c", LenRule::Blocks);
        assert_eq!(n.text, "ab+c");
        assert_eq!(codes(&n), ["repair.plus_as_space"]);
        assert_eq!(n.repairs[0].spans, vec![[2, 3]]);
    }

    #[test]
    fn wrapped_lines_are_whitespace_only() {
        let n = normalize("abcd\nefgh\r\nijkl", LenRule::Blocks);
        assert_eq!(n.text, "abcdefghijkl");
        assert_eq!(codes(&n), ["repair.whitespace"]);
    }

    #[test]
    fn percent_json_quotes_urlsafe_padding() {
        assert_eq!(normalize("ab%2Bc%3D", LenRule::Blocks).text, "ab+c");
        assert_eq!(normalize("abc%3D", LenRule::Blocks).text, "abc=");
        assert_eq!(normalize("ab\\/cd", LenRule::Blocks).text, "ab/cd");
        assert_eq!(normalize("ab\\u002Bcd", LenRule::Blocks).text, "ab+cd");
        assert_eq!(normalize("\"abcd\",", LenRule::Blocks).text, "abcd");
        assert_eq!(normalize("ab-_", LenRule::Blocks).text, "ab+/");
        let n = normalize("abcdef", LenRule::Blocks);
        assert_eq!(n.text, "abcdef==");
        assert_eq!(codes(&n), ["repair.padding"]);
        assert_eq!(n.repairs[0].spans, vec![[6, 6]]);
    }

    #[test]
    fn bad_char_points_at_paste() {
        let n = normalize("  ab*d", LenRule::Blocks);
        assert_eq!(
            n.problem,
            Some(Base64Problem::BadChar {
                span: [4, 5],
                ch: '*'
            })
        );
    }
}
