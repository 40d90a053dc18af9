//! Turning rule results into located findings.

use wa_lint_graph::ResourceGraph;
use wa_lint_rules::{Evaluation, ResultStatus, RulePack};
use wa_lint_source::{Diagnostic, Span};

use crate::files::UnitFiles;

use crate::{Finding, Location, Related, Status};

/// A [`Location`] for `span`, when its file was read.
pub(crate) fn location(span: Span, files: &UnitFiles<'_>) -> Option<Location> {
    let file = files.get(span.file)?;
    Some(Location {
        path: file.path.clone(),
        range: span.range,
        start: file.line_col(span.range.start),
        end: file.line_col(span.range.end),
    })
}

/// Locates every result of `evaluation` in `graph`. A result naming a resource that does not
/// exist, and every rule error, becomes a diagnostic.
pub(crate) fn findings_of(
    graph: &ResourceGraph,
    evaluation: Evaluation,
    pack: &RulePack,
    files: &UnitFiles<'_>,
) -> (Vec<Finding>, Vec<Diagnostic>) {
    let mut findings = Vec::with_capacity(evaluation.results.len());
    let mut diagnostics = Vec::new();
    for result in evaluation.results {
        let Some(rule) = pack.rules().get(result.rule) else {
            continue;
        };
        let located = graph.locate(&result.address, &result.path);
        // In a file that could not be read again: its error says the findings are not reported.
        if located.as_ref().is_some_and(|(span, _)| {
            location(*span, files).is_none() && files.unreadable(span.file)
        }) {
            continue;
        }
        let located =
            located.and_then(|(span, provenance)| Some((location(span, files)?, provenance)));
        let (Some((location, provenance)), Some(resource)) =
            (located, graph.resource_or_declaration(&result.address))
        else {
            diagnostics.push(Diagnostic::error(
                "rule::bad-result",
                &graph.unit.path,
                None,
                format!(
                    "rule {} returned a result for `{}`, which is not a resource of this unit",
                    rule.id, result.address
                ),
            ));
            continue;
        };
        let mut message = result.message;
        let mut related = Vec::new();
        if let Some(provenance) = provenance {
            message = format!("{message} (value from {provenance})");
            if let Some(at) = provenance.span.and_then(|s| self::location(s, files)) {
                related.push(Related {
                    location: at,
                    message: format!("{provenance} is set here"),
                });
            }
        }
        for (address, path) in &result.related {
            if let Some(at) = graph
                .locate(address, path)
                .and_then(|(span, _)| self::location(span, files))
            {
                related.push(Related {
                    location: at,
                    message: format!("related: `{address}`"),
                });
            }
        }
        // A nested stack: the parent's stack resource that creates it (and passes parameters).
        if let Some(call) = &graph.called_from {
            if let Some(at) = self::location(call.span, files) {
                related.push(Related {
                    location: at,
                    message: format!(
                        "nested stack created by `{}` in {}",
                        call.address, call.unit
                    ),
                });
            }
        }
        let construct_path = graph.construct_paths.get(&result.address).cloned();
        findings.push(Finding {
            location,
            rule_id: rule.id.clone(),
            severity: rule.severity,
            status: match result.status {
                ResultStatus::Fail => Status::Fail,
                ResultStatus::Unknown => Status::Unknown,
            },
            message,
            address: result.address,
            resource_type: resource.rtype.clone(),
            attr_path: result.path,
            related,
            best_practices: rule.best_practices.clone(),
            suppression: None,
            construct_path,
        });
    }
    for error in evaluation.errors {
        diagnostics.push(Diagnostic::error(
            "rule::error",
            &graph.unit.path,
            None,
            format!(
                "rule {} failed on this unit: {}",
                error.rule_id, error.message
            ),
        ));
    }
    (findings, diagnostics)
}
