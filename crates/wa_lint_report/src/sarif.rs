//! The SARIF 2.1.0 format: one run, every rule of the pack in `tool.driver.rules`, Well-Architected
//! best practices as a taxonomy, parse and rule errors as tool execution notifications.
//!
//! Levels: critical/high → `error`, medium/low → `warning`, info and every `unknown` finding →
//! `note` (unknown ones also carry `properties.status = "unknown"`). Suppressed findings keep
//! their level and carry `suppressions: [{kind, justification, location?}]` and
//! `properties.status = "suppressed"`. `security-severity`:
//! critical 9.5, high 8.0, medium 5.5, low 3.0, info 1.0. Every rule has `precision: high`
//! (a finding reads the resolved property; unresolvable values give `unknown` notes instead of
//! guesses), and built-in rules (`WA-…`) a `helpUri` to `docs/rules/<ID>.md` in the repository.
//!
//! GitHub code scanning limits (<https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#validating-your-sarif-file>):
//! at most [`MAX_RESULTS`] results per run and [`MAX_BYTES`] per file. Over either, results are
//! kept by priority (failed before unknown before suppressed, then higher severity, then report
//! order) and a `toolExecutionNotification` `wa-lint::sarif-truncated` says how many were left
//! out; the same report always keeps the same results.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use wa_lint_linter::{Finding, LintReport, Location, Status, SuppressionKind};
use wa_lint_rules::{RuleMeta, Severity};
use wa_lint_source::{Diagnostic, Level};

use crate::lookup::Lookup;
use crate::uri::relative_uri;
use crate::RenderOptions;

/// `$schema` of the log.
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// Where the tool is documented.
const INFORMATION_URI: &str = "https://github.com/wa-lint/wa-lint";
/// Name of the taxonomy holding Well-Architected best practices.
pub(crate) const TAXONOMY: &str = "AWS Well-Architected Security Pillar";
/// Where the taxonomy is documented.
const TAXONOMY_URI: &str =
    "https://docs.aws.amazon.com/wellarchitected/latest/security-pillar/welcome.html";
/// Base the artifact URIs are relative to.
const SRCROOT: &str = "%SRCROOT%";
/// Key of the fingerprint in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "waLintFinding/v1";
/// GitHub code scanning: most results in one run.
pub const MAX_RESULTS: usize = 25_000;
/// GitHub code scanning: largest SARIF upload (10 MB).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Where rule pages live: `docs/rules/<ID>.md` on the default branch of the repository.
const RULE_DOCS: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules/");

#[derive(Serialize)]
pub(crate) struct Log<'r> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'r>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'r> {
    tool: Tool<'r>,
    invocations: [Invocation<'r>; 1],
    artifacts: Vec<Artifact>,
    results: Vec<SarifResult<'r>>,
    taxonomies: [Taxonomy; 1],
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool<'r> {
    driver: Driver<'r>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'r> {
    name: &'static str,
    version: &'r str,
    information_uri: &'static str,
    rules: Vec<Rule<'r>>,
    supported_taxonomies: [ComponentRef; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'r> {
    id: &'r str,
    name: String,
    short_description: Text<'r>,
    full_description: Text<'r>,
    help: Text<'r>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    relationships: Vec<Relationship<'r>>,
    properties: RuleProperties<'r>,
}

#[derive(Serialize)]
struct Text<'r> {
    text: &'r str,
}

#[derive(Serialize)]
struct OwnedText {
    text: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Relationship<'r> {
    target: TaxonRef<'r>,
    kinds: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TaxonRef<'r> {
    id: &'r str,
    index: usize,
    tool_component: ComponentRef,
}

#[derive(Serialize, Clone, Copy)]
struct ComponentRef {
    name: &'static str,
    index: usize,
}

#[derive(Serialize)]
struct RuleProperties<'r> {
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    precision: &'static str,
    tags: Vec<&'r str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'r> {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification<'r>>,
}

#[derive(Serialize)]
struct Notification<'r> {
    level: &'static str,
    message: OwnedText,
    descriptor: Descriptor<'r>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<SarifLocation>,
}

#[derive(Serialize)]
struct Descriptor<'r> {
    id: &'r str,
}

#[derive(Serialize)]
struct Artifact {
    location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    length: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
    index: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'r> {
    rule_id: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text<'r>,
    locations: [SarifLocation; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties<'r>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression<'r>>,
}

/// SARIF `suppression`: `inSource` for comments and `Metadata`, `external` for the baseline.
#[derive(Serialize)]
struct SarifSuppression<'r> {
    kind: &'static str,
    justification: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<SarifLocation>,
}

#[derive(Serialize)]
struct ResultProperties<'r> {
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    /// AWS CDK construct path (`aws:cdk:path`) of the resource.
    #[serde(rename = "cdkConstructPath", skip_serializing_if = "Option::is_none")]
    construct_path: Option<&'r str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<OwnedText>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct Taxonomy {
    name: &'static str,
    organization: &'static str,
    #[serde(rename = "informationUri")]
    information_uri: &'static str,
    taxa: Vec<Taxon>,
}

#[derive(Serialize)]
struct Taxon {
    id: String,
}

/// SARIF `level` of a rule's default configuration.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium | Severity::Low => "warning",
        Severity::Info => "note",
    }
}

/// GitHub code scanning `security-severity` (a number as a string, 0.0–10.0).
pub(crate) fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// Artifacts by path: every file read plus every path a finding or diagnostic points at,
/// sorted by path; the index is the position in `run.artifacts`.
struct Artifacts<'r> {
    index: BTreeMap<&'r str, usize>,
    /// Length in bytes of each file read (the file table's, or a held file's text).
    lengths: BTreeMap<&'r str, usize>,
}

impl<'r> Artifacts<'r> {
    fn new(report: &'r LintReport) -> Self {
        let lengths: BTreeMap<&str, usize> = report
            .table
            .iter()
            .map(|e| (e.path.as_str(), e.len))
            .chain(report.files.iter().map(|f| (f.path.as_str(), f.text.len())))
            .collect();
        let mut paths: BTreeSet<&str> = lengths.keys().copied().collect();
        for f in &report.findings {
            paths.insert(&f.location.path);
            paths.extend(f.related.iter().map(|r| r.location.path.as_str()));
        }
        paths.extend(report.diagnostics.iter().filter_map(|d| d.path.as_deref()));
        Self {
            index: paths.into_iter().enumerate().map(|(i, p)| (p, i)).collect(),
            lengths,
        }
    }

    fn location(&self, path: &str) -> ArtifactLocation {
        ArtifactLocation {
            uri: relative_uri(path),
            uri_base_id: SRCROOT,
            index: self.index.get(path).copied().unwrap_or(0),
        }
    }
}

/// Writes the SARIF log of `report`, within GitHub's limits ([`MAX_RESULTS`] results,
/// [`MAX_BYTES`] bytes): when the pretty-printed log is too large, fewer results are kept
/// (proportionally, then 10% less per retry) until it fits.
pub(crate) fn render(
    report: &LintReport,
    options: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut keep = MAX_RESULTS;
    loop {
        let log = document_keeping(report, options, keep);
        // Measured first: a log over the limit is never held as text.
        let len = crate::pretty_len(&log)?;
        let kept = keep.min(report.findings.len());
        if len <= MAX_BYTES || kept == 0 {
            let mut buf = Vec::with_capacity(len);
            serde_json::to_writer_pretty(&mut buf, &log)?;
            buf.push(b'\n');
            out.write_all(&buf)?;
            return out.flush();
        }
        // Shrink in proportion to the excess, and by at least 10%.
        let target = kept.saturating_mul(MAX_BYTES) / len / 100 * 95;
        keep = target.min(kept - kept.div_ceil(10));
    }
}

/// Indexes of the findings kept when at most `keep` fit, in report order: chosen by status
/// (fail, unknown, suppressed), then severity (highest first), then report order.
fn kept_findings(report: &LintReport, keep: usize) -> Vec<usize> {
    let rank = |f: &Finding| {
        if f.status == Status::Fail {
            0
        } else if f.status == Status::Unknown {
            1
        } else {
            2
        }
    };
    let mut order: Vec<usize> = (0..report.findings.len()).collect();
    if order.len() > keep {
        order.sort_by_key(|&i| {
            report
                .findings
                .get(i)
                .map(|f| (rank(f), std::cmp::Reverse(f.severity), i))
        });
        order.truncate(keep);
        order.sort_unstable();
    }
    order
}

/// The SARIF log of `report` with at most `keep` results (see [`kept_findings`]).
fn document_keeping<'r>(
    report: &'r LintReport,
    options: &'r RenderOptions,
    keep: usize,
) -> Log<'r> {
    let lookup = Lookup::new(report, &[]);
    let artifacts = Artifacts::new(report);
    let kept = kept_findings(report, keep);
    let taxa: BTreeSet<&str> = report
        .rules
        .iter()
        .flat_map(|r| r.best_practices.iter())
        .map(String::as_str)
        .collect();
    let taxon_index: BTreeMap<&str, usize> =
        taxa.iter().enumerate().map(|(i, t)| (*t, i)).collect();

    let run = Run {
        tool: Tool {
            driver: Driver {
                name: "wa-lint",
                version: &options.tool_version,
                information_uri: INFORMATION_URI,
                rules: report.rules.iter().map(|r| rule(r, &taxon_index)).collect(),
                supported_taxonomies: [ComponentRef {
                    name: TAXONOMY,
                    index: 0,
                }],
            },
        },
        invocations: [Invocation {
            execution_successful: !report.has_errors(),
            tool_execution_notifications: report
                .diagnostics
                .iter()
                .map(|d| notification(d, &lookup, &artifacts))
                .chain(truncated(report.findings.len(), kept.len()))
                .collect(),
        }],
        artifacts: artifacts
            .index
            .keys()
            .map(|path| Artifact {
                location: artifacts.location(path),
                length: artifacts.lengths.get(path).copied(),
            })
            .collect(),
        results: kept
            .iter()
            .filter_map(|&i| report.findings.get(i))
            .map(|f| result(f, &lookup, &artifacts))
            .collect(),
        taxonomies: [Taxonomy {
            name: TAXONOMY,
            organization: "Amazon Web Services",
            information_uri: TAXONOMY_URI,
            taxa: taxa
                .iter()
                .map(|t| Taxon {
                    id: (*t).to_owned(),
                })
                .collect(),
        }],
        column_kind: "unicodeCodePoints",
    };
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [run],
    }
}

fn rule<'r>(r: &'r RuleMeta, taxon_index: &BTreeMap<&str, usize>) -> Rule<'r> {
    let mut tags = vec!["security"];
    tags.extend(r.best_practices.iter().map(String::as_str));
    Rule {
        id: &r.id,
        name: rule_name(&r.id),
        short_description: Text { text: &r.title },
        full_description: Text {
            text: if r.description.is_empty() {
                &r.title
            } else {
                &r.description
            },
        },
        help: Text {
            text: if r.recommended_action.is_empty() {
                &r.title
            } else {
                &r.recommended_action
            },
        },
        help_uri: r
            .id
            .starts_with("WA-")
            .then(|| format!("{RULE_DOCS}{}.md", r.id)),
        default_configuration: Configuration {
            level: level(r.severity),
        },
        relationships: r
            .best_practices
            .iter()
            .map(|bp| Relationship {
                target: TaxonRef {
                    id: bp,
                    index: taxon_index.get(bp.as_str()).copied().unwrap_or(0),
                    tool_component: ComponentRef {
                        name: TAXONOMY,
                        index: 0,
                    },
                },
                kinds: ["relevant"],
            })
            .collect(),
        properties: RuleProperties {
            security_severity: security_severity(r.severity),
            precision: "high",
            tags,
        },
    }
}

/// A readable identifier from a rule ID: `WA-SEC05-SG-ADMIN-PORTS-OPEN` → `SgAdminPortsOpen`
/// (the pack prefix and pillar question dropped, in Pascal case).
fn rule_name(id: &str) -> String {
    let mut parts: Vec<&str> = id.split(['-', '_']).filter(|p| !p.is_empty()).collect();
    if parts.len() > 2
        && parts.first() == Some(&"WA")
        && parts.get(1).is_some_and(|p| p.starts_with("SEC"))
    {
        parts.drain(..2);
    }
    parts
        .iter()
        .map(|p| {
            let lower = p.to_ascii_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn region(location: &Location) -> Region {
    Region {
        start_line: location.start.line.max(1),
        start_column: location.start.column.max(1),
        end_line: location.end.line.max(1),
        end_column: location.end.column.max(1),
    }
}

fn result<'r>(f: &'r Finding, lookup: &Lookup<'r>, artifacts: &Artifacts<'r>) -> SarifResult<'r> {
    let attr_path = f.attr_path.to_string();
    let fingerprint = f.fingerprint();
    let logical = if attr_path.is_empty() {
        f.address.clone()
    } else {
        format!("{}.{attr_path}", f.address)
    };
    SarifResult {
        rule_id: &f.rule_id,
        rule_index: lookup.rule(&f.rule_id).map(|(i, _)| i),
        level: match (f.status, f.suppression.as_ref().map(|s| s.was)) {
            (Status::Fail, _) | (Status::Suppressed, Some(Status::Fail)) => level(f.severity),
            _ => "note",
        },
        message: Text { text: &f.message },
        locations: [SarifLocation {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: artifacts.location(&f.location.path),
                region: Some(region(&f.location)),
            },
            logical_locations: vec![LogicalLocation {
                name: f.address.clone(),
                fully_qualified_name: logical,
                kind: "resource",
            }],
            message: None,
        }],
        related_locations: f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| SarifLocation {
                id: Some(i + 1),
                physical_location: PhysicalLocation {
                    artifact_location: artifacts.location(&r.location.path),
                    region: Some(region(&r.location)),
                },
                logical_locations: Vec::new(),
                message: Some(OwnedText {
                    text: r.message.clone(),
                }),
            })
            .collect(),
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
        properties: {
            let status = match f.status {
                Status::Fail => None,
                Status::Unknown => Some("unknown"),
                Status::Suppressed => Some("suppressed"),
            };
            let construct_path = f.construct_path.as_deref();
            (status.is_some() || construct_path.is_some()).then_some(ResultProperties {
                status,
                construct_path,
            })
        },
        suppressions: f
            .suppression
            .iter()
            .map(|s| SarifSuppression {
                kind: match s.kind {
                    SuppressionKind::InSource => "inSource",
                    SuppressionKind::External => "external",
                },
                justification: &s.justification,
                location: s.location.as_ref().map(|l| SarifLocation {
                    id: None,
                    physical_location: PhysicalLocation {
                        artifact_location: artifacts.location(&l.path),
                        region: Some(region(l)),
                    },
                    logical_locations: Vec::new(),
                    message: None,
                }),
            })
            .collect(),
    }
}

/// The notification saying results were left out, when `kept < total`.
fn truncated<'r>(total: usize, kept: usize) -> Option<Notification<'r>> {
    (kept < total).then(|| Notification {
        level: "warning",
        message: OwnedText {
            text: format!(
                "{kept} of {total} results kept to stay within GitHub code scanning limits \
                 ({MAX_RESULTS} results, {MAX_BYTES} bytes per upload): failed before unknown \
                 before suppressed, higher severity first; see the JSON report for all"
            ),
        },
        descriptor: Descriptor {
            id: "wa-lint::sarif-truncated",
        },
        locations: Vec::new(),
    })
}

fn notification<'r>(
    d: &'r Diagnostic,
    lookup: &Lookup<'r>,
    artifacts: &Artifacts<'r>,
) -> Notification<'r> {
    let text = match &d.help {
        Some(help) => format!("{} (help: {help})", d.message),
        None => d.message.clone(),
    };
    let locations = d
        .path
        .as_deref()
        .map(|path| {
            let region =
                d.range
                    .and_then(|range| lookup.line_cols(path, range))
                    .map(|(start, end)| Region {
                        start_line: start.line,
                        start_column: start.column,
                        end_line: end.line,
                        end_column: end.column,
                    });
            SarifLocation {
                id: None,
                physical_location: PhysicalLocation {
                    artifact_location: artifacts.location(path),
                    region,
                },
                logical_locations: Vec::new(),
                message: None,
            }
        })
        .into_iter()
        .collect();
    Notification {
        level: match d.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        },
        message: OwnedText { text },
        descriptor: Descriptor { id: &d.code },
        locations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(
            rule_name("WA-SEC05-SG-ADMIN-PORTS-OPEN"),
            "SgAdminPortsOpen"
        );
        assert_eq!(rule_name("WA-SEC08-S3-ENCRYPTION-CMK"), "S3EncryptionCmk");
        assert_eq!(rule_name("CUSTOM-RULE"), "CustomRule");
    }
}
