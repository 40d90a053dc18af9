//! Orchestration: discover files under the given paths, parse them into units, evaluate the
//! rules pack on every unit in parallel, and turn rule results into located, sorted
//! [`Finding`]s.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod baseline;
mod cache;
pub mod config;
mod discover;
mod files;
mod finding;
mod fingerprint;
pub mod fixtures;
pub mod limits;
mod lint;
mod load;
mod locate;
mod record;
mod scenarios;
mod select;
mod suppress;
mod table;

pub use cache::{rules_digest, CacheOptions, CacheStats, MAX_RUNS, MAX_UNITS};
pub use finding::{Finding, Location, Related, Status, Suppression, SuppressionKind};
pub use limits::Limits;
pub use lint::{lint, lint_cached, Options};
pub use select::{changed_files, Controls, Shard, UnknownPolicy};
pub use table::FileEntry;
/// Order of `--var-file` / `--var` sources ([`Options::var_order`]).
pub use wa_lint_terraform::VarSource;

/// The IDs of the rules of `rules` that `token` names: the full ID (any case), the ID without its
/// `WA-SECnn-` prefix (`sg-admin-ports-open`) or the Rego package name, as `--only`, `--skip`
/// and suppressions accept them. Empty when none.
pub fn rule_ids_named(token: &str, rules: &[RuleMeta]) -> Vec<String> {
    suppress::resolve(token, rules)
}

/// The directory reported paths are relative to, and where `.wa-lint.toml` is read: a single
/// directory argument, a single file's parent, or the current directory for several paths.
pub fn scan_root(paths: &[std::path::PathBuf]) -> std::path::PathBuf {
    discover::scan_root(paths)
}
use std::collections::BTreeMap;

use wa_lint_rules::RuleMeta;
use wa_lint_source::{Diagnostic, LazyFile, Level, SourceFile};

/// Usage problems that stop a run before any file is checked (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    /// A path given on the command line does not exist.
    #[error("path not found: {0}")]
    PathNotFound(String),
    /// An `--exclude` glob is invalid.
    #[error("invalid exclude glob `{glob}`: {message}")]
    Exclude {
        /// The glob.
        glob: String,
        /// Why it is invalid.
        message: String,
    },
    /// The worker thread pool could not start.
    #[error("cannot start worker threads: {0}")]
    Threads(String),
    /// An `--only`/`--skip`/severity entry names no rule or best practice.
    #[error("{0}")]
    Select(String),
    /// `git` failed for `--changed-since`.
    #[error("--changed-since: {0}")]
    Git(String),
}
/// Counts for the summary line and the benchmark.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Stats {
    /// Files read (templates, `.tf` files, var files).
    pub files: usize,
    /// Bytes read.
    pub bytes: usize,
    /// Units evaluated (templates + modules).
    pub units: usize,
    /// Resources across all units.
    pub resources: usize,
    /// Files seen and skipped because they are neither CloudFormation nor Terraform.
    pub skipped: usize,
}

/// Everything a run produced; the input of every report format.
#[derive(Debug, Default)]
pub struct LintReport {
    /// The files diagnostics point at, with their text and line index, in
    /// [`wa_lint_source::FileId`] order (a diagnostic holds a byte range: its line and column
    /// come from here). The texts of the other files are not kept (`table` lists them).
    pub files: Vec<SourceFile>,
    /// Every file the report points at (a finding's location or related location, a
    /// diagnostic's path), in [`wa_lint_source::FileId`] order, without its text: formats that
    /// show source lines read the texts they lack ([`LintReport::read_sources`]), so a report
    /// in JSON or SARIF never holds the texts of the files its findings are in.
    pub sources: Vec<LazyFile>,
    /// Every file read (scanned, parameter and variable files, downloaded modules), in
    /// [`wa_lint_source::FileId`] order: path, format and length, without the text.
    pub table: Vec<FileEntry>,
    /// Rules of the pack, sorted by ID.
    pub rules: Vec<RuleMeta>,
    /// Findings sorted by (path, line, column, rule ID, address, message).
    pub findings: Vec<Finding>,
    /// Parse and rule problems, sorted by (path, offset, code).
    pub diagnostics: Vec<Diagnostic>,
    /// Files skipped as not infrastructure as code (paths), listed with `-v`.
    pub skipped: Vec<String>,
    /// Counts.
    pub stats: Stats,
    /// Managed resources evaluated per native resource type (`AWS::S3::Bucket`,
    /// `aws_s3_bucket`), over the units of the run; a rule was evaluated when one of its
    /// `resource_types` is here. The scorecard's "rules evaluated" and "resources checked".
    pub coverage: BTreeMap<String, TypeCoverage>,
}

/// How much of one native resource type a run evaluated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TypeCoverage {
    /// Units (templates, modules) with at least one resource of the type.
    pub units: usize,
    /// Managed resources of the type across those units (Terraform `data` blocks excluded).
    pub resources: usize,
}

impl LintReport {
    /// True when any diagnostic is an error (exit code 2).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }

    /// The file with this path, if it was read and a diagnostic points at it (see
    /// [`LintReport::files`]).
    pub fn file(&self, path: &str) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// The texts of [`LintReport::sources`] that [`LintReport::files`] does not hold, read
    /// again, in id order. A file that can no longer be read as it was scanned is left out
    /// (its findings are then shown without source lines).
    pub fn read_sources(&self) -> Vec<SourceFile> {
        self.sources
            .iter()
            .filter(|s| !self.files.iter().any(|f| f.id == s.id))
            .filter_map(|s| s.load().ok())
            .collect()
    }
}
