//! Baselines: the findings of an existing repository, recorded once (`--write-baseline FILE`)
//! so that later runs (`--baseline FILE`) fail only on new findings.
//!
//! A finding is identified by [`Finding::fingerprint`] (rule ID, path, address, attribute path
//! — the same value as SARIF `partialFingerprints.waLintFinding/v1`), so moving lines does not
//! make a baselined finding new. Baselined findings get status [`Status::Suppressed`] with an
//! `external` suppression whose justification is `baseline`.
//!
//! File format (JSON, sorted by fingerprint, deterministic):
//!
//! ```json
//! {
//!   "version": 1,
//!   "tool": "wa-lint",
//!   "findings": [
//!     { "fingerprint": "8f0e…", "rule_id": "WA-SEC08-S3-ENCRYPTION", "path": "main.tf",
//!       "address": "aws_s3_bucket.b", "attr_path": "", "status": "fail" }
//!   ]
//! }
//! ```
//!
//! Only `fingerprint` is used when reading; the other fields are for humans reviewing the
//! file in a pull request.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use wa_lint_source::{Diagnostic, TextRange};

use crate::{Finding, Status, Suppression, SuppressionKind};

/// Version of the baseline file shape.
pub const VERSION: u32 = 1;

/// The justification of a baselined finding.
pub const JUSTIFICATION: &str = "baseline";

/// The fingerprints of a baseline file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    /// Fingerprints ([`Finding::fingerprint`]).
    pub fingerprints: BTreeSet<String>,
}

#[derive(Serialize, Deserialize)]
struct File {
    version: u32,
    #[serde(default)]
    tool: String,
    findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    #[serde(default)]
    rule_id: String,
    #[serde(default)]
    path: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    attr_path: String,
    #[serde(default)]
    status: String,
}

impl Baseline {
    /// Parses a baseline file's text; `display` is the path used in the diagnostic.
    ///
    /// # Errors
    /// An error diagnostic at the line and column serde reports when the text is not a
    /// version-1 baseline.
    pub fn parse(text: &str, display: &str) -> Result<Self, Box<Diagnostic>> {
        let file: File = serde_json::from_str(text).map_err(|e| {
            let offset = offset_of(text, e.line(), e.column());
            Box::new(
                Diagnostic::error(
                    "baseline::invalid",
                    display,
                    Some(TextRange::new(offset, (offset + 1).min(text.len()))),
                    format!("invalid baseline file: {e}"),
                )
                .with_help("write a new one with `wa-lint --write-baseline FILE`"),
            )
        })?;
        if file.version != VERSION {
            return Err(Box::new(Diagnostic::error(
                "baseline::version",
                display,
                None,
                format!(
                    "baseline version {} is not supported (expected {VERSION})",
                    file.version
                ),
            )));
        }
        Ok(Self {
            fingerprints: file.findings.into_iter().map(|e| e.fingerprint).collect(),
        })
    }

    /// Reads a baseline file.
    ///
    /// # Errors
    /// As [`Baseline::parse`], and an error diagnostic when the file cannot be read.
    pub fn read(path: &Path) -> Result<Self, Box<Diagnostic>> {
        let display = path.to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(path).map_err(|e| {
            Box::new(Diagnostic::error(
                "baseline::io",
                &display,
                None,
                format!("cannot read baseline: {e}"),
            ))
        })?;
        Self::parse(&text, &display)
    }

    /// A baseline of every active (`fail` or `unknown`) finding.
    pub fn of(findings: &[Finding]) -> Self {
        Self {
            fingerprints: findings
                .iter()
                .filter(|f| f.status != Status::Suppressed)
                .map(Finding::fingerprint)
                .collect(),
        }
    }

    /// Suppresses every active finding whose fingerprint is in the baseline; returns how many.
    pub fn apply(&self, findings: &mut [Finding]) -> usize {
        let mut n = 0;
        for f in findings
            .iter_mut()
            .filter(|f| f.status != Status::Suppressed)
        {
            if self.fingerprints.contains(&f.fingerprint()) {
                f.suppression = Some(Suppression {
                    kind: SuppressionKind::External,
                    justification: JUSTIFICATION.to_owned(),
                    was: f.status,
                    location: None,
                });
                f.status = Status::Suppressed;
                n += 1;
            }
        }
        n
    }
}

/// The baseline file text for the active findings of `findings` (pretty JSON, sorted by
/// fingerprint, trailing newline).
pub fn render(findings: &[Finding]) -> String {
    let mut entries: Vec<Entry> = findings
        .iter()
        .filter(|f| f.status != Status::Suppressed)
        .map(|f| Entry {
            fingerprint: f.fingerprint(),
            rule_id: f.rule_id.clone(),
            path: f.location.path.clone(),
            address: f.address.clone(),
            attr_path: f.attr_path.to_string(),
            status: match f.status {
                Status::Unknown => "unknown".into(),
                _ => "fail".into(),
            },
        })
        .collect();
    entries.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
    entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    let file = File {
        version: VERSION,
        tool: "wa-lint".into(),
        findings: entries,
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// Byte offset of 1-based `line`, `column` (serde counts columns in bytes).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_point_into_the_file() {
        let err = Baseline::parse("{\n  \"version\": 1,\n  \"findings\": [x]\n}\n", "b.json")
            .unwrap_err();
        assert_eq!(err.code, "baseline::invalid");
        assert_eq!(err.path.as_deref(), Some("b.json"));
        // Line 3, the `x`.
        assert_eq!(err.range.map(|r| r.start), Some(33));
        let err = Baseline::parse(r#"{"version": 2, "findings": []}"#, "b.json").unwrap_err();
        assert_eq!(err.code, "baseline::version");
    }

    #[test]
    fn round_trip() {
        let b = Baseline::parse(
            r#"{"version": 1, "findings": [{"fingerprint": "00ff"}, {"fingerprint": "aa"}]}"#,
            "b.json",
        )
        .unwrap();
        assert_eq!(
            b.fingerprints
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            vec!["00ff", "aa"]
        );
        let text = render(&[]);
        assert_eq!(
            text,
            "{\n  \"version\": 1,\n  \"tool\": \"wa-lint\",\n  \"findings\": []\n}\n"
        );
        assert_eq!(Baseline::parse(&text, "x").unwrap(), Baseline::default());
    }
}
