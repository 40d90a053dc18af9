//! Errors that stop a file from loading at all.

use wa_lint_source::{Diagnostic, TextRange};

/// Why a JSON/YAML file could not be loaded into a tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum LoadError {
    /// The text is not valid JSON/YAML; `range` is where the parser stopped (byte offsets).
    #[error("{message}")]
    Syntax {
        /// Where the parser stopped.
        range: TextRange,
        /// What the parser expected.
        message: String,
    },
    /// YAML aliases would expand to more than `limit` nodes ("billion laughs").
    #[error("YAML aliases expand to more than {limit} nodes (a long scalar counts one per 64 bytes); the file is not loaded")]
    AliasLimit {
        /// The alias that crossed the limit.
        range: TextRange,
        /// The node budget that was exceeded.
        limit: usize,
    },
}

impl LoadError {
    /// The error as a diagnostic for the file at `path`.
    pub(crate) fn into_diagnostic(self, path: &str) -> Diagnostic {
        match &self {
            Self::Syntax { range, .. } => {
                Diagnostic::error("cfn::syntax", path, Some(*range), self.to_string())
                    .with_help("fix the syntax error; the template was not checked")
            }
            Self::AliasLimit { range, .. } => {
                Diagnostic::error("cfn::alias-limit", path, Some(*range), self.to_string())
                    .with_help("reduce nested anchors/aliases; the template was not checked")
            }
        }
    }
}
