//! Counts of a report, shared by the human summary line and the JSON `summary` object.

use std::fmt::Write as _;
use std::time::Duration;

use wa_lint_linter::{LintReport, Status};
use wa_lint_rules::Severity;
use wa_lint_source::Level;

/// Failing findings per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct BySeverity {
    /// Critical.
    pub critical: usize,
    /// High.
    pub high: usize,
    /// Medium.
    pub medium: usize,
    /// Low.
    pub low: usize,
    /// Info.
    pub info: usize,
}

impl BySeverity {
    fn add(&mut self, severity: Severity) {
        let slot = match severity {
            Severity::Critical => &mut self.critical,
            Severity::High => &mut self.high,
            Severity::Medium => &mut self.medium,
            Severity::Low => &mut self.low,
            Severity::Info => &mut self.info,
        };
        *slot += 1;
    }

    /// `(count, name)` from critical to info.
    fn entries(self) -> [(usize, &'static str); 5] {
        [
            (self.critical, "critical"),
            (self.high, "high"),
            (self.medium, "medium"),
            (self.low, "low"),
            (self.info, "info"),
        ]
    }
}

/// What a run found, in numbers (the JSON `summary` object; field order is the JSON order).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// All findings (`failed + unknown + suppressed`).
    pub findings: usize,
    /// Findings with status `fail`.
    pub failed: usize,
    /// Findings with status `unknown` (depend on a value not known before deploy).
    pub unknown: usize,
    /// Findings with status `suppressed` (inline comment, `Metadata` or baseline).
    pub suppressed: usize,
    /// Findings with status `fail`, by severity.
    pub failed_by_severity: BySeverity,
    /// Diagnostics of level error (any makes the exit code 2).
    pub errors: usize,
    /// Diagnostics of level warning.
    pub warnings: usize,
    /// Files read.
    pub files: usize,
    /// Units evaluated (templates, Terraform root modules, plans).
    pub units: usize,
    /// Resources across all units.
    pub resources: usize,
    /// Files skipped as not infrastructure code.
    pub skipped: usize,
}

impl Summary {
    /// Counts `report`.
    pub fn of(report: &LintReport) -> Self {
        let mut s = Self {
            findings: report.findings.len(),
            files: report.stats.files,
            units: report.stats.units,
            resources: report.stats.resources,
            skipped: report.stats.skipped.max(report.skipped.len()),
            ..Self::default()
        };
        for f in &report.findings {
            match f.status {
                Status::Fail => {
                    s.failed += 1;
                    s.failed_by_severity.add(f.severity);
                }
                Status::Unknown => s.unknown += 1,
                Status::Suppressed => s.suppressed += 1,
            }
        }
        for d in &report.diagnostics {
            match d.level {
                Level::Error => s.errors += 1,
                Level::Warning => s.warnings += 1,
                Level::Note => {}
            }
        }
        s
    }
}

/// The last line of the human format, without newline, e.g.
/// `7 findings (2 critical, 3 high, 2 medium), 3 unknown, 1 error · 12 files, 5 units, 84 resources · 0.21s`.
///
/// "findings" counts status `fail`; unknown, errors and warnings are shown only when non-zero;
/// the elapsed time only when given (seconds, two decimals).
pub fn summary_line(summary: &Summary, elapsed: Option<Duration>) -> String {
    let mut line = plural(summary.failed, "finding");
    let by: Vec<String> = summary
        .failed_by_severity
        .entries()
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, name)| format!("{n} {name}"))
        .collect();
    if !by.is_empty() {
        let _ = write!(line, " ({})", by.join(", "));
    }
    if summary.unknown > 0 {
        let _ = write!(line, ", {} unknown", summary.unknown);
    }
    if summary.suppressed > 0 {
        let _ = write!(line, ", {} suppressed", summary.suppressed);
    }
    if summary.errors > 0 {
        let _ = write!(line, ", {}", plural(summary.errors, "error"));
    }
    if summary.warnings > 0 {
        let _ = write!(line, ", {}", plural(summary.warnings, "warning"));
    }
    let _ = write!(
        line,
        " · {}, {}, {}",
        plural(summary.files, "file"),
        plural(summary.units, "unit"),
        plural(summary.resources, "resource")
    );
    if summary.skipped > 0 {
        let _ = write!(line, " ({} skipped)", summary.skipped);
    }
    if let Some(elapsed) = elapsed {
        let _ = write!(line, " · {:.2}s", elapsed.as_secs_f64());
    }
    line
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_shows_only_non_zero_parts() {
        let s = Summary {
            findings: 10,
            failed: 7,
            unknown: 3,
            suppressed: 0,
            failed_by_severity: BySeverity {
                critical: 2,
                high: 3,
                medium: 2,
                low: 0,
                info: 0,
            },
            errors: 1,
            warnings: 0,
            files: 12,
            units: 5,
            resources: 84,
            skipped: 0,
        };
        assert_eq!(
            summary_line(&s, Some(Duration::from_millis(212))),
            "7 findings (2 critical, 3 high, 2 medium), 3 unknown, 1 error · 12 files, 5 units, 84 resources · 0.21s"
        );
        let one = Summary {
            files: 1,
            units: 1,
            resources: 1,
            skipped: 2,
            ..Summary::default()
        };
        assert_eq!(
            summary_line(&one, None),
            "0 findings · 1 file, 1 unit, 1 resource (2 skipped)"
        );
    }
}
