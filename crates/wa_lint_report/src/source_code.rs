//! A [`miette::SourceCode`] over a [`SourceFile`] that uses the file's [`LineIndex`].
//!
//! miette's `&str` implementation scans the text from the first byte on every label; this one
//! finds lines by binary search in the line index, so the cost of a snippet is proportional to
//! the context lines it returns.
//!
//! [`LineIndex`]: wa_lint_source::LineIndex

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use wa_lint_source::SourceFile;

/// Source text of one file for miette snippets, named by the file's report path (so miette's
/// snippet header reads `path:line:column`, 1-based, column in Unicode scalar values).
#[derive(Debug, Clone, Copy)]
pub struct IndexedSource<'f> {
    file: &'f SourceFile,
    /// The text shown: the file's own, or [`crate::display_text`] of it (same length, same
    /// line breaks).
    text: &'f str,
}

impl<'f> IndexedSource<'f> {
    /// Wraps a file.
    pub fn new(file: &'f SourceFile) -> Self {
        Self {
            file,
            text: &file.text,
        }
    }

    /// Wraps a file whose snippets show `text` instead of the file's text — control characters
    /// replaced, secrets masked ([`crate::display_text`]). `text` must have the file's length
    /// and line breaks; any other text is ignored and the file's own is shown.
    pub fn with_text(file: &'f SourceFile, text: &'f str) -> Self {
        let same_shape = text.len() == file.text.len()
            && text
                .bytes()
                .zip(file.text.bytes())
                .all(|(a, b)| (a == b'\n') == (b == b'\n'));
        Self {
            file,
            text: if same_shape { text } else { &file.text },
        }
    }

    /// 0-based line index of byte `offset` (offsets past the end clamp to the last line).
    fn line_of(self, offset: usize) -> usize {
        let line = self
            .file
            .line_col(u32::try_from(offset).unwrap_or(u32::MAX))
            .line;
        (line as usize).saturating_sub(1)
    }

    /// Byte offset where 0-based line `line` starts; the text length past the last line.
    fn line_start(self, line: usize) -> usize {
        u32::try_from(line + 1)
            .ok()
            .and_then(|l| self.file.lines().line_start(l))
            .map_or(self.file.text.len(), |s| s as usize)
    }
}

impl SourceCode for IndexedSource<'_> {
    /// Same contract as miette's `[u8]` implementation: with `context_lines_before == 0` the
    /// data starts at the span (and `column` is the span's column), otherwise at the start of
    /// the first context line; with `context_lines_after == 0` it ends at the span's end,
    /// otherwise after the newline of the last context line. `line` and `column` are 0-based;
    /// the column counts Unicode scalar values.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text: &'a str = self.text;
        let start = span.offset();
        let end = start
            .checked_add(span.len())
            .ok_or(MietteError::OutOfBounds)?;
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let start_line = self.line_of(start);
        // The last byte of the span decides its last line (a span ending with `\n` stays on it).
        let end_line = self.line_of(end.saturating_sub(1).max(start));
        let first_line = start_line.saturating_sub(context_lines_before);
        let last_line = end_line
            .saturating_add(context_lines_after)
            .min(self.file.lines().line_count().saturating_sub(1));

        let (data_start, column) = if context_lines_before == 0 {
            let column = self
                .file
                .line_col(u32::try_from(start).unwrap_or(u32::MAX))
                .column;
            (start, (column as usize).saturating_sub(1))
        } else {
            (self.line_start(first_line), 0)
        };
        let data_end = if context_lines_after == 0 {
            end
        } else {
            self.line_start(last_line + 1)
        };
        let data = text
            .as_bytes()
            .get(data_start..data_end)
            .ok_or(MietteError::OutOfBounds)?;
        let line = if context_lines_before == 0 {
            start_line
        } else {
            first_line
        };
        let line_count = if context_lines_after == 0 {
            end_line
        } else {
            last_line
        }
        .saturating_sub(line)
            + 1;
        Ok(Box::new(MietteSpanContents::new_named(
            crate::terminal_line(&self.file.path).into_owned(),
            data,
            SourceSpan::new(data_start.into(), data_end - data_start),
            line,
            column,
            line_count,
        )))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use wa_lint_source::{FileId, Format};

    fn file(text: &str) -> SourceFile {
        SourceFile::new(FileId(0), "t.yaml", text, Format::Yaml)
    }

    /// (data, line, column, span offset, span len) of a read.
    fn read(
        src: &dyn SourceCode,
        start: usize,
        len: usize,
        before: usize,
        after: usize,
    ) -> (String, usize, usize, usize, usize) {
        let c = src
            .read_span(&SourceSpan::new(start.into(), len), before, after)
            .unwrap();
        (
            String::from_utf8(c.data().to_vec()).unwrap(),
            c.line(),
            c.column(),
            c.span().offset(),
            c.span().len(),
        )
    }

    #[test]
    fn agrees_with_miette_on_ascii() {
        let text = "a: 1\nbb: 2\nccc: 3\ndddd: 4\neeeee: 5\n";
        let f = file(text);
        let ours = IndexedSource::new(&f);
        let mut mismatches = Vec::new();
        // Spans inside a line, across lines, at line ends, empty, at the very end.
        for (start, len) in [
            (0, 1),
            (8, 1),
            (12, 3),
            (5, 9),
            (16, 0),
            (20, 5),
            (text.len(), 0),
            (30, 4),
            (11, 6),
        ] {
            // The combinations miette's graphical handler asks for (miette's own `(0, n)` read
            // resets the column to 0 past the span; ours keeps the span's column).
            for (before, after) in [(0, 0), (1, 1), (2, 2), (1, 0)] {
                let (a, b) = (
                    read(&ours, start, len, before, after),
                    read(&text, start, len, before, after),
                );
                if a != b {
                    mismatches.push(format!("{start}+{len} {before}/{after}: {a:?} != {b:?}"));
                }
            }
        }
        assert!(mismatches.is_empty(), "{mismatches:#?}");
    }

    #[test]
    fn a_span_ending_with_a_newline_stays_on_its_line() {
        // miette's own reader would take one more line of context after `ccc: 3\n`.
        let text = "a: 1\nbb: 2\nccc: 3\ndddd: 4\neeeee: 5\n";
        let f = file(text);
        assert_eq!(
            read(&IndexedSource::new(&f), 11, 7, 1, 1),
            ("bb: 2\nccc: 3\ndddd: 4\n".to_owned(), 1, 0, 5, 21)
        );
    }

    #[test]
    fn snippet_is_the_context_lines_only() {
        let text = "l1\nl2\nl3 target\nl4\nl5\n";
        let f = file(text);
        let at = text.find("target").unwrap();
        let (data, line, column, offset, _) = read(&IndexedSource::new(&f), at, 6, 1, 1);
        assert_eq!(data, "l2\nl3 target\nl4\n");
        assert_eq!((line, column, offset), (1, 0, 3));
        let src = IndexedSource::new(&f);
        let c = src.read_span(&SourceSpan::new(at.into(), 6), 0, 0).unwrap();
        assert_eq!(c.name(), Some("t.yaml"));
        assert_eq!((c.line(), c.column(), c.line_count()), (2, 3, 1));
    }

    #[test]
    fn columns_count_chars_and_out_of_bounds_is_an_error() {
        let text = "név: é x\n";
        let f = file(text);
        let at = text.find('x').unwrap();
        let src = IndexedSource::new(&f);
        let c = src.read_span(&SourceSpan::new(at.into(), 1), 0, 0).unwrap();
        assert_eq!((c.line(), c.column()), (0, 7));
        assert!(IndexedSource::new(&f)
            .read_span(&SourceSpan::new(5.into(), 100), 1, 1)
            .is_err());
    }

    /// `cargo test -p wa_lint_report --lib -- --ignored --nocapture read_span_cost`
    #[test]
    #[ignore = "timing, run by hand"]
    fn read_span_cost() {
        use std::fmt::Write as _;
        let mut text = String::new();
        for i in 0..100_000 {
            let _ = writeln!(text, "      Key{i}: value-{i}");
        }
        let f = file(&text);
        let spans: Vec<usize> = (0..2_000).map(|i| text.len() / 2 + i * 500).collect();
        let ours = IndexedSource::new(&f);
        let t = std::time::Instant::now();
        for &s in &spans {
            ours.read_span(&SourceSpan::new(s.into(), 5), 1, 1).unwrap();
        }
        let ours_time = t.elapsed();
        let t = std::time::Instant::now();
        for &s in &spans {
            text.as_str()
                .read_span(&SourceSpan::new(s.into(), 5), 1, 1)
                .unwrap();
        }
        println!(
            "2000 reads in a {} byte file: indexed {ours_time:?}, miette &str {:?}",
            text.len(),
            t.elapsed()
        );
    }
}
