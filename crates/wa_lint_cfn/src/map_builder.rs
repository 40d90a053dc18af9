//! Map construction shared by the JSON and YAML loaders: last-wins with duplicate-key
//! diagnostics.

use std::collections::BTreeMap;

use wa_lint_graph::{Entry, Node};
use wa_lint_source::{Diagnostic, SourceFile, TextRange};

/// Inserts `key → node` into `map`. A key already present is an error diagnostic
/// `cfn::duplicate-key` at the new key (related: the first one) and the new value wins.
pub(crate) fn insert_entry(
    file: &SourceFile,
    map: &mut BTreeMap<String, Entry>,
    key: String,
    key_range: TextRange,
    node: Node,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let key_span = Some(wa_lint_source::Span {
        file: file.id,
        range: key_range,
    });
    if let Some(first) = map.get(&key) {
        let first_range = first.key_span.map(|s| s.range);
        let at = first_range
            .map(|r| format!(" (first defined at line {})", file.line_col(r.start).line))
            .unwrap_or_default();
        let mut diag = Diagnostic::error(
            "cfn::duplicate-key",
            file.path.as_str(),
            Some(key_range),
            format!("duplicate key `{key}`{at}"),
        )
        .with_help("remove one of the keys; CloudFormation rejects duplicates and wa-lint uses the last value");
        if let Some(r) = first_range {
            diag = diag.with_related(r, "first defined here");
        }
        diagnostics.push(diag);
    }
    map.insert(key, Entry { key_span, node });
}
