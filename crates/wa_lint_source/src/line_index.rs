//! Byte offset → 1-based line and column.

use std::sync::Arc;

/// A 1-based line and column. The column counts Unicode scalar values from the line start.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct LineCol {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in Unicode scalar values.
    pub column: u32,
}

/// Bytes between two character-count checkpoints of a [`LineIndex`].
const CHECKPOINT: usize = 4096;

/// Start offsets of every line of a text, built once per file.
///
/// Lines end at `\n`; a `\r` before it belongs to the previous line, so CRLF files count
/// columns the same way as LF files.
///
/// A column is the number of characters between the line start and the offset. To keep that
/// cheap on very long lines (a minified 10 MB JSON template is one line), the index also keeps
/// the number of characters before every 4 KiB of the text, so one lookup reads at most
/// 2 × 4 KiB whatever the line length.
///
/// The tables are shared: cloning an index (with its [`crate::SourceFile`], as the front ends
/// do) copies no line starts.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Arc<[u32]>,
    /// `chars[k]`: characters (UTF-8 lead bytes) in `text[..k * CHECKPOINT]`.
    chars: Arc<[u32]>,
}

/// True for a byte that starts a UTF-8 character (not a continuation byte).
fn is_lead(b: u8) -> bool {
    b & 0xC0 != 0x80
}

/// Characters starting in `bytes`.
fn leads(bytes: &[u8]) -> u32 {
    u32::try_from(bytes.iter().filter(|&&b| is_lead(b)).count()).unwrap_or(u32::MAX)
}

impl LineIndex {
    /// Scans `text` once for line starts.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        let mut chars = vec![0];
        let mut total = 0u32;
        for chunk in text.as_bytes().chunks(CHECKPOINT) {
            total = total.saturating_add(leads(chunk));
            chars.push(total);
        }
        Self {
            starts: starts.into(),
            chars: chars.into(),
        }
    }

    /// Characters starting in `text[..offset]` (`offset` ≤ `text.len()`).
    fn chars_before(&self, text: &str, offset: usize) -> u32 {
        let k = offset / CHECKPOINT;
        let base = self.chars.get(k).copied().unwrap_or(0);
        base.saturating_add(text.as_bytes().get(k * CHECKPOINT..offset).map_or(0, leads))
    }

    /// Number of lines (a text without newline has one).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where 1-based `line` starts, if it exists.
    pub fn line_start(&self, line: u32) -> Option<u32> {
        self.starts
            .get(usize::try_from(line).ok()?.checked_sub(1)?)
            .copied()
    }

    /// 1-based line and column of byte `offset` in `text` (the text this index was built
    /// from). Offsets past the end clamp to the end; an offset inside a multi-byte character
    /// counts as that character.
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let offset = offset.min(u32::try_from(text.len()).unwrap_or(u32::MAX));
        let line_idx = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line_idx).copied().unwrap_or(0);
        let (start, offset) = (start as usize, offset as usize);
        // Characters whose first byte lies in `start..offset`.
        let column = if offset.saturating_sub(start) <= 2 * CHECKPOINT {
            text.as_bytes().get(start..offset).map_or(0, leads)
        } else {
            self.chars_before(text, offset)
                .saturating_sub(self.chars_before(text, start))
        };
        LineCol {
            line: u32::try_from(line_idx + 1).unwrap_or(u32::MAX),
            column: column.saturating_add(1),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based() {
        let text = "ab\ncd\r\né\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 4), LineCol { line: 2, column: 2 });
        // after the 2-byte 'é' we are at column 2
        assert_eq!(idx.line_col(text, 9), LineCol { line: 3, column: 2 });
        assert_eq!(idx.line_col(text, 999), LineCol { line: 4, column: 1 });
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.line_start(2), Some(3));
        assert_eq!(idx.line_start(0), None);
    }

    #[test]
    fn long_lines_count_columns_through_checkpoints() {
        // One line of 3 × CHECKPOINT characters mixing 1-, 2- and 3-byte characters, so
        // checkpoints fall inside characters.
        let mut text = String::from("x\n");
        for i in 0..3 * CHECKPOINT {
            text.push(match i % 3 {
                0 => 'a',
                1 => 'é',
                _ => '€',
            });
        }
        let idx = LineIndex::new(&text);
        for (i, (offset, _)) in text.char_indices().enumerate().skip(2).step_by(997) {
            let expected = LineCol {
                line: 2,
                column: u32::try_from(i - 2 + 1).unwrap(),
            };
            assert_eq!(
                idx.line_col(&text, offset as u32),
                expected,
                "offset {offset}"
            );
        }
        // Inside a multi-byte character: counts as that character.
        let euro = text
            .char_indices()
            .filter(|(_, c)| *c == '€')
            .nth(2000)
            .unwrap()
            .0;
        let at = |o: usize| idx.line_col(&text, o as u32).column;
        assert_eq!(at(euro + 1), at(euro) + 1);
        assert_eq!(at(euro + 2), at(euro) + 1);
        let end = idx.line_col(&text, text.len() as u32);
        assert_eq!(end.column, u32::try_from(3 * CHECKPOINT + 1).unwrap());
    }
}
