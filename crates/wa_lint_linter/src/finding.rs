//! Located findings.

use wa_lint_graph::AttrPath;
use wa_lint_rules::Severity;
use wa_lint_source::{LineCol, TextRange};

/// Whether a finding fails the control or could not be decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The control fails.
    Fail,
    /// The control depends on a value unknown before deploy.
    Unknown,
}

/// A place in a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Related {
    /// Where.
    pub location: Location,
    /// What it is.
    pub message: String,
}

/// One rule result, located in the source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Finding {
    /// Primary location (the attribute, its nearest existing parent, or the resource header).
    pub location: Location,
    /// Rule ID.
    pub rule_id: String,
    /// Severity of the rule.
    pub severity: Severity,
    /// Fail or unknown.
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
}
