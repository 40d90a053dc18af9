//! The rules pack: loading Rego rules and their `# METADATA`, compiling them once with
//! `regorus`, building the Rego `input` from a [`ResourceGraph`], and evaluating.
//!
//! - [`RulePack::load`] reads the pack embedded at build time (the workspace `rules/`
//!   directory) plus user rule directories, parses each rule's `# METADATA` block, and compiles
//!   every module once into a prepared `regorus` engine.
//! - [`RulePack::evaluator`] gives each worker thread a cheap clone of that engine.
//! - [`Evaluator::evaluate`] builds the Rego `input` of one unit (shape documented in
//!   [`input`]), then evaluates `data.walint.rules.<name>.deny` and `.unknown` of every rule
//!   whose `resource_types` occur in the unit.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod dispatch;
pub mod docs;
mod errors;
mod eval;
mod groups;
pub(crate) mod guards;
mod image;
pub mod input;
mod metadata;
mod pack;
mod result;
mod source_limits;
mod sources;
mod threads;
mod vm;

pub use eval::Evaluator;
pub use guards::MAX_RANGE;
pub use input::build_input;
pub use pack::{new_engine, RulePack, DEFAULT_RULE_TIMEOUT, STACK_BYTES};
pub use source_limits::check_module;
pub use threads::on_rule_stack;

/// The built-in pack's Rego modules as `(path, source)`, paths like `<builtin>/lib/result.rego`,
/// sorted (rules and libraries; no `*_test.rego`). Used to run users' Rego unit tests against
/// the `walint.lib.*` libraries.
pub fn builtin_sources() -> Vec<(String, String)> {
    sources::embedded()
}

/// Every source of the pack [`RulePack::load`] builds from `extra_dirs`, as `(path, source)`:
/// the embedded ones, then each directory's (`*.rego`, no `*_test.rego`, sorted by path).
/// [`RulePack::from_sources`] of the result is that pack; the incremental cache hashes it.
///
/// # Errors
/// [`RulesError::Io`] when a directory or file cannot be read.
pub fn pack_sources(
    extra_dirs: &[std::path::PathBuf],
) -> Result<Vec<(String, String)>, RulesError> {
    let mut all = sources::embedded();
    for dir in extra_dirs {
        all.extend(sources::from_dir(dir)?);
    }
    Ok(all)
}
use wa_lint_graph::AttrPath;

/// Rule severity, from `custom.severity` in the rule's METADATA (ordered low → high).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Advisory; never fails a run by default.
    Info,
    /// Hygiene.
    Low,
    /// Defence in depth, detection gaps.
    Medium,
    /// Missing baseline control.
    High,
    /// Direct exposure.
    Critical,
}

impl Severity {
    /// Lower-case name as written in METADATA and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }
}

/// A rule's metadata.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RuleMeta {
    /// Rule ID, e.g. `WA-SEC08-S3-ENCRYPTION`.
    pub id: String,
    /// Short title.
    pub title: String,
    /// What it checks and why.
    pub description: String,
    /// Default severity.
    pub severity: Severity,
    /// Well-Architected best practices, e.g. `SEC08-BP02`.
    pub best_practices: Vec<String>,
    /// Native resource types of both origins the rule reads.
    pub resource_types: Vec<String>,
    /// What to do about a finding.
    pub recommended_action: String,
    /// Rego package, e.g. `walint.rules.s3_encryption`.
    pub package: String,
    /// `custom.masks_secrets: true`: the rule reports secrets, so renderers that show source
    /// text (the human format's snippets) mask the text of its findings' primary ranges
    /// (see `docs/security.md`). Serialized only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub masks_secrets: bool,
}

/// Outcome of one result row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResultStatus {
    /// From `deny`: the control fails.
    Fail,
    /// From `unknown`: the control depends on a value that cannot be known statically.
    Unknown,
}

/// One row returned by a rule's `deny` or `unknown` set.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleResult {
    /// Index of the rule in [`RulePack::rules`].
    pub rule: usize,
    /// Fail or unknown.
    pub status: ResultStatus,
    /// Address of the resource the result is about.
    pub address: String,
    /// Attribute path inside that resource (may not exist: "property absent").
    pub path: AttrPath,
    /// Message saying what is wrong at that place.
    pub message: String,
    /// Related places (other resources or attributes), e.g. the SCP that lacks a statement.
    pub related: Vec<(String, AttrPath)>,
}

/// Errors loading or compiling the rules pack.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// A rule file could not be read.
    #[error("cannot read rule file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A rule's `# METADATA` block is missing, malformed or has unknown fields.
    #[error("{path}: invalid METADATA: {message}")]
    Metadata {
        /// The rule file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// regorus rejected a policy.
    #[error("{path}: {message}")]
    Compile {
        /// The rule file.
        path: String,
        /// The regorus error.
        message: String,
    },
}

/// A rule that failed or timed out on one unit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleError {
    /// Rule ID.
    pub rule_id: String,
    /// The error text.
    pub message: String,
}

/// Results of all applicable rules on one unit.
#[derive(Debug, Default)]
pub struct Evaluation {
    /// Result rows, sorted.
    pub results: Vec<RuleResult>,
    /// Rules that errored or timed out.
    pub errors: Vec<RuleError>,
}
