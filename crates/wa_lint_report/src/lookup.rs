//! Indexes over a [`LintReport`] built once per render: files by path, rules by ID.

use std::collections::BTreeMap;

use wa_lint_linter::LintReport;
use wa_lint_rules::RuleMeta;
use wa_lint_source::{LineCol, SourceFile, TextRange};

/// Files by path and rules by ID, borrowed from one report.
pub(crate) struct Lookup<'r> {
    files: BTreeMap<&'r str, &'r SourceFile>,
    rules: BTreeMap<&'r str, (usize, &'r RuleMeta)>,
}

impl<'r> Lookup<'r> {
    /// The files of `report` (those diagnostics point at) and `extra` (texts read for the
    /// findings, [`LintReport::read_sources`], by the formats that show source lines).
    pub(crate) fn new(report: &'r LintReport, extra: &'r [SourceFile]) -> Self {
        Self {
            files: report
                .files
                .iter()
                .chain(extra)
                .map(|f| (f.path.as_str(), f))
                .collect(),
            rules: report
                .rules
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id.as_str(), (i, r)))
                .collect(),
        }
    }

    /// The file read at `path`, if any.
    pub(crate) fn file(&self, path: &str) -> Option<&'r SourceFile> {
        self.files.get(path).copied()
    }

    /// The rule with `id` and its index in `LintReport::rules`, if the pack has it.
    pub(crate) fn rule(&self, id: &str) -> Option<(usize, &'r RuleMeta)> {
        self.rules.get(id).copied()
    }

    /// 1-based start and end of `range` in the file at `path`, when that file was read.
    pub(crate) fn line_cols(&self, path: &str, range: TextRange) -> Option<(LineCol, LineCol)> {
        let file = self.file(path)?;
        Some((file.line_col(range.start), file.line_col(range.end)))
    }
}
