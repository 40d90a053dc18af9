//! Located findings.

use wa_lint_graph::AttrPath;
use wa_lint_rules::Severity;
use wa_lint_source::{LineCol, TextRange};

/// Whether a finding fails the control, could not be decided, or was suppressed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The control fails.
    Fail,
    /// The control depends on a value unknown before deploy.
    Unknown,
    /// The finding (fail or unknown) was suppressed by an inline comment, CloudFormation
    /// `Metadata`, or the baseline; [`Finding::suppression`] says how and why. Suppressed
    /// findings are kept in JSON and SARIF and never change the exit code.
    Suppressed,
}

/// Where a suppression comes from (SARIF `suppression.kind`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum SuppressionKind {
    /// Written in the source: a `# wa-lint:ignore` comment or CloudFormation `Metadata`.
    InSource,
    /// Outside the source: the baseline file.
    External,
}

/// Why a finding is suppressed.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Suppression {
    /// In source or external (baseline).
    pub kind: SuppressionKind,
    /// The reason given with the suppression (`"baseline"` for the baseline).
    pub justification: String,
    /// The status the finding had before it was suppressed (`fail` or `unknown`).
    pub was: Status,
    /// Where the suppression is written (comment or `Metadata` entry), when in source.
    pub location: Option<Location>,
}

/// A place in a file.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Location {
    /// File path relative to the scan root, `/` separators.
    pub path: String,
    /// UTF-8 byte range in the file.
    pub range: TextRange,
    /// 1-based line/column of `range.start` (column in Unicode scalar values).
    pub start: LineCol,
    /// 1-based line/column of `range.end`.
    pub end: LineCol,
}

/// A secondary location with a message, e.g. where a parameter default is defined.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Related {
    /// Where.
    pub location: Location,
    /// What it is.
    pub message: String,
}

/// One rule result, located in the source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    /// Primary location (the attribute, its nearest existing parent, or the resource header).
    pub location: Location,
    /// Rule ID.
    pub rule_id: String,
    /// Severity of the rule.
    pub severity: Severity,
    /// Fail, unknown or suppressed.
    pub status: Status,
    /// What is wrong at the location; ends with the value's provenance when it was resolved
    /// from elsewhere ("… (value from parameter `SSHLocation` default)").
    pub message: String,
    /// Resource address (logical ID or Terraform address).
    pub address: String,
    /// Native resource type.
    pub resource_type: String,
    /// Attribute path the rule pointed at.
    pub attr_path: AttrPath,
    /// Secondary locations.
    pub related: Vec<Related>,
    /// Well-Architected best practices of the rule.
    pub best_practices: Vec<String>,
    /// Set when [`Finding::status`] is [`Status::Suppressed`].
    pub suppression: Option<Suppression>,
    /// AWS CDK construct path of the resource (`aws:cdk:path` in its `Metadata`, e.g.
    /// `AppStack/Network/Sg/Resource`), for templates synthesized by the CDK.
    pub construct_path: Option<String>,
}

impl Finding {
    /// True for a finding with status `fail` (suppressed ones are not).
    pub fn is_failed(&self) -> bool {
        self.status == Status::Fail
    }

    /// The stable identity of the finding: 64-bit FNV-1a (16 hex digits) of rule ID, path,
    /// resource address and attribute path — no line numbers, so it survives edits that move
    /// lines. Used for SARIF `partialFingerprints` and the baseline.
    pub fn fingerprint(&self) -> String {
        let attr_path = self.attr_path.to_string();
        crate::fingerprint::hex(&[
            &self.rule_id,
            &self.location.path,
            &self.address,
            &attr_path,
        ])
    }
}
