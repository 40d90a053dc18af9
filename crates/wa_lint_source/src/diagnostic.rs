//! Problems found while reading inputs or running rules (not findings).

use crate::TextRange;

/// How serious a [`Diagnostic`] is. Any `Error` makes the run exit with code 2.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The file (or rule) could not be checked completely; exit code 2.
    Error,
    /// Something the user should fix; the file was still checked.
    Warning,
    /// Information, e.g. a skipped file under `-v`.
    Note,
}

/// A problem in an input file or a rule, with its location when known.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Path of the file relative to the scan root (`/` separators), if the problem is in a file.
    pub path: Option<String>,
    /// Byte range in that file (see [`crate::SourceFile::line_col`] for line/column).
    pub range: Option<TextRange>,
    /// How serious it is.
    pub level: Level,
    /// Stable machine-readable code, e.g. `cfn::duplicate-key`, `tf::syntax`, `rule::error`.
    pub code: String,
    /// One-line, user-facing message.
    pub message: String,
    /// Optional extra help (what to do about it).
    pub help: Option<String>,
    /// Secondary locations in the same file, with a label each.
    pub related: Vec<(TextRange, String)>,
}

impl Diagnostic {
    /// An error located in `path` at `range`.
    pub fn error(
        code: impl Into<String>,
        path: impl Into<String>,
        range: Option<TextRange>,
        message: impl Into<String>,
    ) -> Self {
        Self::at(Level::Error, code, path, range, message)
    }

    /// A diagnostic of any level located in `path` at `range`.
    pub fn at(
        level: Level,
        code: impl Into<String>,
        path: impl Into<String>,
        range: Option<TextRange>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            path: Some(path.into()),
            range,
            level,
            code: code.into(),
            message: message.into(),
            help: None,
            related: Vec::new(),
        }
    }

    /// Adds help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a labelled secondary range in the same file.
    #[must_use]
    pub fn with_related(mut self, range: TextRange, label: impl Into<String>) -> Self {
        self.related.push((range, label.into()));
        self
    }
}
