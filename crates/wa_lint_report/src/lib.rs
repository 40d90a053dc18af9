//! Output formats of a [`LintReport`]: human (`miette` graphical diagnostics and a summary
//! line), JSON (versioned, see `docs/json-format.md`), SARIF 2.1.0, `JUnit` XML, GitHub Actions
//! workflow commands and a Markdown pull-request comment.
//!
//! Every format is deterministic: it follows the report's order (findings sorted by path, line,
//! column, rule) and serializes structs, never hash maps. Lines and columns are **1-based**;
//! columns count Unicode scalar values (SARIF `unicodeCodePoints`); byte offsets are 0-based
//! UTF-8 offsets.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod github;
mod human;
mod json;
mod junit;
mod lookup;
mod markdown;
mod sanitize;
mod sarif;
mod scorecard;
mod source_code;
mod summary;
mod uri;

use std::fmt;
use std::io::Write;
use std::str::FromStr;
use std::time::Duration;

pub use markdown::MarkdownOptions;
pub use sanitize::{display_text, terminal_line, terminal_text};
pub use scorecard::{scorecard, Row as ScorecardRow, Scorecard};
pub use source_code::IndexedSource;
pub use summary::{summary_line, Summary};
use wa_lint_linter::LintReport;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Format {
    /// Terminal diagnostics with source snippets and a summary line (the default).
    #[default]
    Human,
    /// Versioned JSON document (`docs/json-format.md`).
    Json,
    /// SARIF 2.1.0 log with one run.
    Sarif,
    /// `JUnit` XML, one test suite per rule (GitLab, Jenkins, Azure DevOps).
    Junit,
    /// GitHub Actions workflow commands (`::error file=…,line=…::message` annotations).
    Github,
    /// A Markdown pull-request comment: summary, scorecard, table of findings.
    Markdown,
    /// The Security Pillar scorecard as a plain-text table: per best practice, rules evaluated,
    /// resources checked, failing, unknown, suppressed.
    Scorecard,
    /// The same scorecard as a Markdown table (job summaries, wikis, PR comments).
    ScorecardMarkdown,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 8] = [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
        Format::Markdown,
        Format::Scorecard,
        Format::ScorecardMarkdown,
    ];

    /// The name used on the command line (`human`, `json`, `sarif`, `junit`, `github`,
    /// `markdown`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Human => "human",
            Self::Json => "json",
            Self::Sarif => "sarif",
            Self::Scorecard => "scorecard",
            Self::ScorecardMarkdown => "scorecard-markdown",
            Self::Junit => "junit",
            Self::Github => "github",
            Self::Markdown => "markdown",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown output format `{name}` (expected one of: human, json, sarif, junit, github, markdown, scorecard, scorecard-markdown)"
)]
pub struct UnknownFormat {
    /// The name that was given.
    pub name: String,
}

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Parses a format name, ignoring ASCII case.
    ///
    /// # Errors
    /// [`UnknownFormat`] for a name not in [`Format::ALL`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownFormat { name: s.to_owned() })
    }
}

/// How to render.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Human format: ANSI colors and unicode box drawing (otherwise plain ASCII, no escapes).
    pub color: bool,
    /// Human format: also list skipped files.
    pub verbose: bool,
    /// Human format: wall time shown at the end of the summary line, if given.
    pub elapsed: Option<Duration>,
    /// Tool version written in JSON and SARIF (`tool.version`, `tool.driver.version`).
    pub tool_version: String,
}

impl Default for RenderOptions {
    /// No color, not verbose, no elapsed time, this crate's version.
    fn default() -> Self {
        Self {
            color: false,
            verbose: false,
            elapsed: None,
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

/// Writes `report` to `out` in `format`.
///
/// JSON and SARIF are pretty-printed and end with a newline. Nothing is written to `out`
/// before the whole document has been built, except for the human format, which streams one
/// report per finding.
///
/// # Errors
/// I/O errors of `out` (a closed pipe surfaces as [`std::io::ErrorKind::BrokenPipe`]).
pub fn render(
    report: &LintReport,
    format: Format,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => human::render(report, options, out),
        Format::Json => write_json(&json::document(report, options), out),
        Format::Sarif => sarif::render(report, options, out),
        Format::Junit => junit::render(report, options, out),
        Format::Github => github::render(report, options, out),
        Format::Markdown => markdown::render(report, options, &MarkdownOptions::default(), out),
        Format::Scorecard => scorecard::render_text(report, out),
        Format::ScorecardMarkdown => scorecard::render_markdown(report, out),
    }
}

/// Writes `report` as a Markdown pull-request comment with `md` options (links to the lines).
///
/// # Errors
/// I/O errors of `out`.
pub fn render_markdown(
    report: &LintReport,
    options: &RenderOptions,
    md: &MarkdownOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    markdown::render(report, options, md, out)
}

/// Pretty-prints `value` with a trailing newline.
fn write_json(value: &impl serde::Serialize, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(&pretty_json(value)?)?;
    out.flush()
}

/// Counts the bytes written to it and keeps none.
struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Length in bytes of `value` pretty-printed as JSON, trailing newline included; nothing is
/// kept.
pub(crate) fn pretty_len(value: &impl serde::Serialize) -> std::io::Result<usize> {
    let mut counter = Counter(1);
    serde_json::to_writer_pretty(&mut counter, value)?;
    Ok(counter.0)
}

/// `value` pretty-printed as JSON with a trailing newline, in a buffer allocated once at its
/// final length ([`pretty_len`]): a buffer grown by doubling holds up to three times the
/// document while its last copy is made (the peak memory of a large report).
pub(crate) fn pretty_json(value: &impl serde::Serialize) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(pretty_len(value)?);
    serde_json::to_writer_pretty(&mut buf, value)?;
    buf.push(b'\n');
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_json_is_serde_json_pretty_in_a_buffer_of_its_length() {
        let value = serde_json::json!({"a": [1, 2, {"b": "é\n"}], "c": null});
        let buf = pretty_json(&value).unwrap_or_default();
        let mut expected = serde_json::to_vec_pretty(&value).unwrap_or_default();
        expected.push(b'\n');
        assert_eq!(buf, expected);
        assert_eq!(pretty_len(&value).ok(), Some(expected.len()));
        assert_eq!(buf.capacity(), expected.len());
    }

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        assert_eq!("SARIF".parse::<Format>(), Ok(Format::Sarif));
        assert_eq!(
            "xml".parse::<Format>().map_err(|e| e.to_string()),
            Err("unknown output format `xml` (expected one of: human, json, sarif, junit, github, markdown, scorecard, scorecard-markdown)".to_owned())
        );
    }
}
