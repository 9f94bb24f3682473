//! Rows of a long text as a monospace view shows them: a row ends after a newline or after `cols`
//! characters. Computed once per text and width (one pass, linear), so a view of a megabyte lays
//! out only the rows on screen.

use std::ops::Range;

/// Where each row starts, in bytes and in chars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rows {
    /// Byte offset of each row's start, then the text's length.
    bytes: Vec<usize>,
    /// Char offset of each row's start, then the text's char count.
    chars: Vec<usize>,
}

impl Rows {
    /// Breaks `text` into rows of at most `cols` chars (at least 1); a newline ends its row.
    pub fn new(text: &str, cols: usize) -> Rows {
        let cols = cols.max(1);
        let mut bytes = vec![0];
        let mut chars = vec![0];
        let mut in_row = 0;
        let mut n = 0;
        for (i, c) in text.char_indices() {
            // A full row breaks before the next char; a newline ends its own row (as egui wraps).
            if c != '\n' && in_row == cols {
                bytes.push(i);
                chars.push(n);
                in_row = 0;
            }
            n += 1;
            if c == '\n' {
                bytes.push(i + 1);
                chars.push(n);
                in_row = 0;
            } else {
                in_row += 1;
            }
        }
        // The last row (empty after a final newline, or for the empty text).
        bytes.push(text.len());
        chars.push(n);
        Rows { bytes, chars }
    }

    /// Number of rows (at least 1: the empty text is one empty row).
    pub fn count(&self) -> usize {
        self.bytes.len().saturating_sub(1).max(1)
    }

    /// Byte range of rows `rows` (clamped).
    pub fn byte_range(&self, rows: Range<usize>) -> Range<usize> {
        self.at(&self.bytes, rows)
    }

    /// Char range of rows `rows` (clamped).
    pub fn char_range(&self, rows: Range<usize>) -> Range<usize> {
        self.at(&self.chars, rows)
    }

    /// The row holding char `c` (the last row for offsets past the end).
    pub fn row_of_char(&self, c: usize) -> usize {
        let i = self.chars.partition_point(|&start| start <= c);
        i.saturating_sub(1).min(self.count().saturating_sub(1))
    }

    fn at(&self, v: &[usize], rows: Range<usize>) -> Range<usize> {
        let last = v.len().saturating_sub(1);
        let start = v.get(rows.start.min(last)).copied().unwrap_or(0);
        let end = v.get(rows.end.min(last)).copied().unwrap_or(0);
        start..end.max(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_of(text: &str, cols: usize) -> Vec<&str> {
        let r = Rows::new(text, cols);
        (0..r.count())
            .map(|i| &text[r.byte_range(i..i + 1)])
            .collect()
    }

    #[test]
    fn width_and_newlines_break_rows() {
        assert_eq!(rows_of("abcdefg", 3), ["abc", "def", "g"]);
        assert_eq!(rows_of("abcdef", 3), ["abc", "def"]);
        assert_eq!(rows_of("abc\n", 3), ["abc\n", ""]);
        assert_eq!(rows_of("ab\ncdef\n", 3), ["ab\n", "cde", "f\n", ""]);
        assert_eq!(rows_of("", 3), [""]);
        assert_eq!(rows_of("é漢字x", 2), ["é漢", "字x"]);
    }

    #[test]
    fn ranges_clamp_and_chars_follow_bytes() {
        let text = "é漢字xyz";
        let r = Rows::new(text, 2);
        assert_eq!(r.count(), 3);
        assert_eq!(r.char_range(1..3), 2..6);
        assert_eq!(r.byte_range(2..99), text.len() - 2..text.len());
        assert_eq!(r.byte_range(7..9), text.len()..text.len());
        assert_eq!(r.row_of_char(0), 0);
        assert_eq!(r.row_of_char(3), 1);
        assert_eq!(r.row_of_char(99), 2);
    }

    #[test]
    fn a_megabyte_in_one_pass() {
        let text = "A".repeat(1 << 20);
        let r = Rows::new(&text, 100);
        assert_eq!(r.count(), (1 << 20) / 100 + 1);
        assert_eq!(
            r.byte_range(r.count() - 1..r.count()).len(),
            (1 << 20) % 100
        );
    }
}
