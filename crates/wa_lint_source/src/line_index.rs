//! Byte offset → 1-based line and column.

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

/// Start offsets of every line of a text, built once per file.
///
/// Lines end at `\n`; a `\r` before it belongs to the previous line, so CRLF files count
/// columns the same way as LF files.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
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
        Self { starts }
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
        let column = text.get(start as usize..).map_or(0, |rest| {
            rest.char_indices()
                .take_while(|&(i, _)| (i as u32) < offset - start)
                .count()
        });
        LineCol {
            line: u32::try_from(line_idx + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }
}

#[cfg(test)]
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
}
