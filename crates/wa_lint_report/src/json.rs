//! The JSON format, version 1 (documented in `docs/json-format.md`).
//!
//! Built from structs so the key order is fixed; any change to these shapes must bump
//! [`VERSION`] or be purely additive, and update the doc.

use serde::Serialize;
use wa_lint_linter::{Finding, LintReport, Location, Related, Status, SuppressionKind};
use wa_lint_rules::{RuleMeta, Severity};
use wa_lint_source::{Diagnostic, Level, TextRange};

use crate::lookup::Lookup;
use crate::summary::Summary;
use crate::RenderOptions;

/// Version of the JSON document shape.
pub(crate) const VERSION: u32 = 1;

#[derive(Serialize)]
pub(crate) struct Document<'r> {
    version: u32,
    tool: Tool<'r>,
    summary: Summary,
    findings: Vec<JsonFinding<'r>>,
    diagnostics: Vec<JsonDiagnostic<'r>>,
    skipped: &'r [String],
    rules: Vec<JsonRule<'r>>,
}

#[derive(Serialize)]
struct Tool<'r> {
    name: &'static str,
    version: &'r str,
}

#[derive(Serialize)]
struct JsonFinding<'r> {
    rule_id: &'r str,
    severity: Severity,
    status: Status,
    message: &'r str,
    address: &'r str,
    resource_type: &'r str,
    attr_path: String,
    location: JsonLocation<'r>,
    related: Vec<JsonRelated<'r>>,
    best_practices: &'r [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<JsonSuppression<'r>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    construct_path: Option<&'r str>,
}

/// Why a finding with status `suppressed` is suppressed.
#[derive(Serialize)]
struct JsonSuppression<'r> {
    /// `inSource` (comment or `Metadata`) or `external` (baseline).
    kind: SuppressionKind,
    justification: &'r str,
    /// The status before suppression: `fail` or `unknown`.
    was: Status,
    /// Where the suppression is written, when in source.
    location: Option<JsonLocation<'r>>,
}

#[derive(Serialize)]
struct JsonLocation<'r> {
    path: &'r str,
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    start_byte: u32,
    end_byte: u32,
}

#[derive(Serialize)]
struct JsonRelated<'r> {
    message: &'r str,
    location: JsonLocation<'r>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'r> {
    level: Level,
    code: &'r str,
    message: &'r str,
    path: Option<&'r str>,
    start_line: Option<u32>,
    start_column: Option<u32>,
    end_line: Option<u32>,
    end_column: Option<u32>,
    start_byte: Option<u32>,
    end_byte: Option<u32>,
    help: Option<&'r str>,
    related: Vec<JsonDiagnosticRelated<'r>>,
}

#[derive(Serialize)]
struct JsonDiagnosticRelated<'r> {
    message: &'r str,
    start_line: Option<u32>,
    start_column: Option<u32>,
    end_line: Option<u32>,
    end_column: Option<u32>,
    start_byte: u32,
    end_byte: u32,
}

#[derive(Serialize)]
struct JsonRule<'r> {
    id: &'r str,
    title: &'r str,
    severity: Severity,
    best_practices: &'r [String],
}

/// The JSON document of `report`.
pub(crate) fn document<'r>(report: &'r LintReport, options: &'r RenderOptions) -> Document<'r> {
    let lookup = Lookup::new(report, &[]);
    Document {
        version: VERSION,
        tool: Tool {
            name: "wa-lint",
            version: &options.tool_version,
        },
        summary: Summary::of(report),
        findings: report.findings.iter().map(finding).collect(),
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| diagnostic(d, &lookup))
            .collect(),
        skipped: &report.skipped,
        rules: report.rules.iter().map(rule).collect(),
    }
}

fn finding(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        rule_id: &f.rule_id,
        severity: f.severity,
        status: f.status,
        message: &f.message,
        address: &f.address,
        resource_type: &f.resource_type,
        attr_path: f.attr_path.to_string(),
        location: location(&f.location),
        related: f.related.iter().map(related).collect(),
        best_practices: &f.best_practices,
        suppression: f.suppression.as_ref().map(|s| JsonSuppression {
            kind: s.kind,
            justification: &s.justification,
            was: s.was,
            location: s.location.as_ref().map(location),
        }),
        construct_path: f.construct_path.as_deref(),
    }
}

fn location(l: &Location) -> JsonLocation<'_> {
    JsonLocation {
        path: &l.path,
        start_line: l.start.line,
        start_column: l.start.column,
        end_line: l.end.line,
        end_column: l.end.column,
        start_byte: l.range.start,
        end_byte: l.range.end,
    }
}

fn related(r: &Related) -> JsonRelated<'_> {
    JsonRelated {
        message: &r.message,
        location: location(&r.location),
    }
}

fn diagnostic<'r>(d: &'r Diagnostic, lookup: &Lookup<'r>) -> JsonDiagnostic<'r> {
    let path = d.path.as_deref();
    let cols = |range: TextRange| path.and_then(|p| lookup.line_cols(p, range));
    let lc = d.range.and_then(cols);
    JsonDiagnostic {
        level: d.level,
        code: &d.code,
        message: &d.message,
        path,
        start_line: lc.map(|(s, _)| s.line),
        start_column: lc.map(|(s, _)| s.column),
        end_line: lc.map(|(_, e)| e.line),
        end_column: lc.map(|(_, e)| e.column),
        start_byte: d.range.map(|r| r.start),
        end_byte: d.range.map(|r| r.end),
        help: d.help.as_deref(),
        related: d
            .related
            .iter()
            .map(|(range, message)| {
                let lc = cols(*range);
                JsonDiagnosticRelated {
                    message,
                    start_line: lc.map(|(s, _)| s.line),
                    start_column: lc.map(|(s, _)| s.column),
                    end_line: lc.map(|(_, e)| e.line),
                    end_column: lc.map(|(_, e)| e.column),
                    start_byte: range.start,
                    end_byte: range.end,
                }
            })
            .collect(),
    }
}

fn rule(r: &RuleMeta) -> JsonRule<'_> {
    JsonRule {
        id: &r.id,
        title: &r.title,
        severity: r.severity,
        best_practices: &r.best_practices,
    }
}
