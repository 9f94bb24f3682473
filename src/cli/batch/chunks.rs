//! Cutting the input into chunks of whole lines for the workers, and finding lines in them: every
//! byte is read once and searched for a newline once, however long the lines.

use std::io::Read;

/// Input read per chunk (whole lines); large enough to amortise the hand-offs.
pub(super) const CHUNK_BYTES: usize = 4 << 20;

pub(super) struct Chunk {
    /// 1-based number of the first line in `bytes`.
    pub(super) first_line: usize,
    pub(super) bytes: Vec<u8>,
}

/// Bytes read at a time.
const READ_STEP: u64 = 1 << 20;

/// Cuts the input into chunks of whole lines, about [`CHUNK_BYTES`] each (a longer line makes a
/// longer chunk): cheaper than reading line by line, which matters for the serial part of the
/// pipeline. Every byte is read once and searched for a newline once, however long the lines.
pub(super) struct LineChunks<R> {
    reader: R,
    /// The partial line after the last chunk's last newline (it holds no newline).
    carry: Vec<u8>,
    /// 1-based number of the next chunk's first line.
    line_no: usize,
    eof: bool,
    /// Bytes searched for a newline so far (linear-cost check in tests).
    searched: usize,
}

impl<R: Read> LineChunks<R> {
    pub(super) fn new(reader: R) -> LineChunks<R> {
        LineChunks {
            reader,
            carry: Vec::new(),
            line_no: 1,
            eof: false,
            searched: 0,
        }
    }

    pub(super) fn next_chunk(&mut self) -> std::io::Result<Option<Chunk>> {
        if self.eof {
            return Ok(None);
        }
        let mut buf = std::mem::take(&mut self.carry);
        buf.reserve(CHUNK_BYTES);
        let mut last_newline = None;
        loop {
            let start = buf.len();
            let n = (&mut self.reader).take(READ_STEP).read_to_end(&mut buf)?;
            if n == 0 {
                self.eof = true;
                break;
            }
            let fresh = buf.get(start..).unwrap_or_default();
            self.searched += fresh.len();
            if let Some(p) = fresh.iter().rposition(|&c| c == b'\n') {
                last_newline = Some(start + p);
            }
            if buf.len() >= CHUNK_BYTES && last_newline.is_some() {
                break;
            }
        }
        if !self.eof
            && let Some(p) = last_newline
        {
            self.carry = buf.split_off(p + 1);
        }
        if buf.is_empty() {
            return Ok(None);
        }
        let first_line = self.line_no;
        self.line_no += count_newlines(&buf);
        Ok(Some(Chunk {
            first_line,
            bytes: buf,
        }))
    }
}

/// Splits `bytes` into about `n` ranges of whole lines: (start, end, line offset of start).
pub(super) fn split_lines(bytes: &[u8], n: usize) -> Vec<(usize, usize, usize)> {
    let target = (bytes.len() / n.max(1)).max(1);
    let mut out = Vec::with_capacity(n + 1);
    let mut start = 0;
    let mut line_off = 0;
    while start < bytes.len() {
        let mut end = (start + target).min(bytes.len());
        // Extend to the end of the line.
        match bytes[end..].iter().position(|&b| b == b'\n') {
            Some(p) if end < bytes.len() => end += p + 1,
            _ => end = bytes.len(),
        }
        if end <= start {
            end = bytes.len();
        }
        out.push((start, end, line_off));
        line_off += count_newlines(&bytes[start..end]);
        start = end;
    }
    out
}

/// Newlines in `b`, eight bytes at a time (exact: no carries between bytes).
pub(super) fn count_newlines(b: &[u8]) -> usize {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let words = b.chunks_exact(8);
    let tail = words.remainder().iter().filter(|&&c| c == b'\n').count();
    words.fold(tail, |n, w| {
        let mut word = [0u8; 8];
        word.copy_from_slice(w);
        let x = u64::from_le_bytes(word) ^ 0x0a0a_0a0a_0a0a_0a0a;
        // High bit set exactly in the bytes of x that are zero.
        let zero = !(((x & LOW7) + LOW7) | x | LOW7);
        n + zero.count_ones() as usize
    })
}

/// Index of the first newline in `b` (or its length).
pub(super) fn line_end(b: &[u8]) -> usize {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut i = 0;
    while i + 8 <= b.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&b[i..i + 8]);
        let x = u64::from_le_bytes(word) ^ 0x0a0a_0a0a_0a0a_0a0a;
        let zero = !(((x & LOW7) + LOW7) | x | LOW7);
        if zero != 0 {
            return i + (zero.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 11, item 1: one long line is read and searched once (it was searched again after
    /// every read: 22 s for a 100 MB line).
    #[test]
    fn long_lines_are_searched_once() {
        let mut input = vec![b'a'; 3 * CHUNK_BYTES + 12_345];
        input.push(b'\n');
        input.extend_from_slice(b"short\nlast line without newline");
        let mut chunks = LineChunks::new(&input[..]);
        let mut joined = Vec::new();
        let mut firsts = Vec::new();
        while let Some(c) = chunks.next_chunk().unwrap() {
            firsts.push(c.first_line);
            joined.extend_from_slice(&c.bytes);
        }
        assert_eq!(joined, input);
        assert_eq!(firsts[0], 1);
        assert_eq!(chunks.searched, input.len());
    }

    #[test]
    fn chunks_end_at_line_ends() {
        let line = b"0123456789012345678901234567890123456789\n";
        let input: Vec<u8> = line
            .iter()
            .copied()
            .cycle()
            .take(line.len() * 300_000)
            .collect();
        let mut chunks = LineChunks::new(&input[..]);
        let mut total = 0;
        let mut next_line = 1;
        while let Some(c) = chunks.next_chunk().unwrap() {
            assert_eq!(c.first_line, next_line);
            assert_eq!(c.bytes.last(), Some(&b'\n'));
            next_line += count_newlines(&c.bytes);
            total += c.bytes.len();
        }
        assert_eq!(total, input.len());
        assert_eq!(chunks.searched, input.len());
    }

    #[test]
    fn split_lines_keeps_whole_lines_and_offsets() {
        let text = b"a\nbb\nccc\ndddd\n";
        let parts = split_lines(text, 3);
        let joined: Vec<u8> = parts
            .iter()
            .flat_map(|&(s, e, _)| text[s..e].to_vec())
            .collect();
        assert_eq!(joined, text);
        for &(s, _, off) in &parts {
            assert_eq!(off, text[..s].iter().filter(|&&b| b == b'\n').count());
        }
    }
}
