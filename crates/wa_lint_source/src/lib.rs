//! Source files and locations shared by every wa-lint crate.
//!
//! Units used throughout wa-lint:
//! - [`TextRange`] holds **UTF-8 byte offsets** into [`SourceFile::text`], end exclusive.
//! - [`LineCol`] is **1-based**; its column counts Unicode scalar values (chars) from the start
//!   of the line, which is what SARIF calls `unicodeCodePoints`.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod diagnostic;
mod lazy;
mod line_index;
pub mod panics;
pub mod read;

use std::sync::Arc;

pub use diagnostic::{Diagnostic, Level};
pub use lazy::LazyFile;
pub use line_index::{LineCol, LineIndex};

/// Index of a file in the scan's file table (see the linter's `Files`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct FileId(pub u32);

/// A range of UTF-8 byte offsets, `start..end` (end exclusive), into one file's text.
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
pub struct TextRange {
    /// First byte, 0-based.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl TextRange {
    /// A range from byte offsets; `end` is clamped so that `start <= end`.
    pub fn new(start: usize, end: usize) -> Self {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Self { start, end }
    }

    /// An empty range at `offset`.
    pub fn empty(offset: usize) -> Self {
        Self::new(offset, offset)
    }

    /// Length in bytes.
    pub fn len(self) -> u32 {
        self.end - self.start
    }

    /// True when the range covers no byte.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest range covering both.
    #[must_use]
    pub fn cover(self, other: Self) -> Self {
        Self {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A [`TextRange`] in a known file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Span {
    /// The file the range points into.
    pub file: FileId,
    /// Byte range in that file.
    pub range: TextRange,
}

impl Span {
    /// A span from a file and byte offsets.
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Self {
            file,
            range: TextRange::new(start, end),
        }
    }
}

/// The syntax a file is read as, decided by extension and content during discovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// JSON (CloudFormation template, `.tf.json`, plan JSON, `.tfvars.json`).
    Json,
    /// YAML (CloudFormation template).
    Yaml,
    /// HCL (`.tf`, `.tfvars`).
    Hcl,
}

/// One file read from disk, with its text and line index. A scan reads a file again each time
/// a pass needs its text ([`LazyFile`]), so it holds the texts of the units being built only.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Index in the scan's file table.
    pub id: FileId,
    /// Path relative to the scan root, with `/` separators (as written in reports).
    pub path: String,
    /// The file's text. Invalid UTF-8 has been reported and replaced with U+FFFD; a leading
    /// byte-order mark has been removed (offsets count from after it).
    pub text: Arc<str>,
    /// How the file is parsed.
    pub format: Format,
    /// Line starts of `text`, built the first time a line or column is asked for (most
    /// files read by a scan are never located in: a first read only classifies them).
    lines: std::sync::OnceLock<LineIndex>,
}

impl SourceFile {
    /// Builds a source file (its line index is built when first needed).
    pub fn new(
        id: FileId,
        path: impl Into<String>,
        text: impl Into<Arc<str>>,
        format: Format,
    ) -> Self {
        Self {
            id,
            path: path.into(),
            text: text.into(),
            format,
            lines: std::sync::OnceLock::new(),
        }
    }

    /// The line index of `text` (line starts), built on the first call.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// 1-based line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: u32) -> LineCol {
        self.lines().line_col(&self.text, offset)
    }

    /// A [`Span`] in this file.
    pub fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.id, start, end)
    }
}
