//! What is kept of an evaluated unit (a template with the nested stacks it pulls in, a
//! Terraform root module with the modules it calls, a plan): a [`Record`]. A unit is parsed,
//! evaluated, located and reduced to its record inside one worker, and its graphs are dropped
//! there, so a run holds the graphs of at most one unit per worker thread; the records (located
//! findings, diagnostics, counts, resource lines for suppressions) are what the report needs.
//! The incremental cache stores the same records (`crate::cache`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use wa_lint_graph::{ParseOutput, ResourceGraph};
use wa_lint_rules::{Evaluator, RulePack};
use wa_lint_source::Diagnostic;

use crate::files::FileMap;

use crate::locate::findings_of;
use crate::scenarios::merge_scenarios;
use crate::select::Facts;
use crate::suppress::Site;
use crate::{Finding, TypeCoverage};

/// What one unit produced: its report data, without any graph.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Record {
    /// Located findings, scenarios merged.
    pub findings: Vec<Finding>,
    /// Parse diagnostics and rule problems.
    pub diagnostics: Vec<Diagnostic>,
    /// Outputs with a graph (the unit and its nested stacks).
    pub units: usize,
    /// Resources of those graphs.
    pub resources: usize,
    /// Managed resources per type.
    pub coverage: BTreeMap<String, TypeCoverage>,
    /// Files of the unit (suppressions: scanned files).
    pub scanned: Vec<String>,
    /// Files of CloudFormation units.
    pub templates: Vec<String>,
    /// `(path, address, header line, first line, last line)` of the resources a finding of
    /// the unit is located in (suppression comments are matched against these lines; other
    /// resources' lines are not kept).
    pub sites: Vec<(String, String, u32, u32, u32)>,
}

/// Counts the units whose parse outputs are held at the same time, and the most there ever
/// were: with units reduced in their worker, never more than the worker threads.
#[derive(Debug, Default)]
pub(crate) struct Gauge {
    held: AtomicUsize,
    peak: AtomicUsize,
}

impl Gauge {
    /// Takes the outputs of one unit as they come out of a front end.
    pub(crate) fn hold(&self, outputs: Vec<ParseOutput>) -> Unit<'_> {
        let now = self.held.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        Unit {
            outputs,
            _held: Held(self),
        }
    }

    /// The most units held at once so far.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

/// A unit's parse outputs, counted by a [`Gauge`] until they are dropped.
pub(crate) struct Unit<'g> {
    /// The unit's outputs: the template (or root module, or plan) first, then its nested
    /// stacks.
    pub outputs: Vec<ParseOutput>,
    _held: Held<'g>,
}

/// Decrements its gauge when dropped (with the outputs it travels with).
struct Held<'g>(&'g Gauge);

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.0.held.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The graph standing for an output (its graph, or its first scenario's).
pub(crate) fn graph_of(unit: &ParseOutput) -> Option<&ResourceGraph> {
    unit.graph
        .as_ref()
        .or_else(|| unit.scenarios.first().map(|s| &s.graph))
}

/// Evaluates `unit` (every condition scenario, or its one graph, of each output), locates
/// the results in the unit's files (read again from `files`) and reduces the unit to its
/// [`Record`]; the unit's graphs and texts are dropped on return.
pub(crate) fn reduce(
    unit: Unit<'_>,
    ev: &mut Evaluator,
    pack: &RulePack,
    files: &FileMap,
) -> Record {
    let outputs = &unit.outputs;
    let by_id = files.unit();
    let mut record = Record::default();
    for output in outputs {
        record
            .diagnostics
            .extend(output.diagnostics.iter().cloned());
        let jobs: Vec<&ResourceGraph> = if output.scenarios.is_empty() {
            output.graph.iter().collect()
        } else {
            output.scenarios.iter().map(|s| &s.graph).collect()
        };
        if !jobs.is_empty() {
            let mut scenario_findings = Vec::with_capacity(jobs.len());
            for graph in jobs {
                let (findings, diagnostics) = findings_of(graph, ev.evaluate(graph), pack, &by_id);
                scenario_findings.push(findings);
                record.diagnostics.extend(diagnostics);
            }
            let assumptions: Vec<&[(String, bool)]> = output
                .scenarios
                .iter()
                .map(|s| s.assumptions.as_slice())
                .collect();
            record
                .findings
                .extend(merge_scenarios(scenario_findings, &assumptions));
        }
        if output.graph.is_some() || !output.scenarios.is_empty() {
            record.units += 1;
        }
        record.resources += graph_of(output).map_or(0, |g| g.resources.len());
    }
    record.coverage = crate::lint::coverage(outputs);
    let facts = crate::select::facts(outputs, &by_id);
    record.scanned = facts.scanned.into_iter().collect();
    record.templates = facts.templates.into_iter().collect();
    // Suppressions look a finding's resource up by (location path, address).
    let found: BTreeSet<(&str, &str)> = record
        .findings
        .iter()
        .map(|f| (f.location.path.as_str(), f.address.as_str()))
        .collect();
    record.sites = facts
        .sites
        .into_iter()
        .filter(|((path, address), _)| found.contains(&(path.as_str(), address.as_str())))
        .map(|((path, address), s)| (path, address, s.header, s.first, s.last))
        .collect();
    // A file that could not be read again: its findings could not be located.
    record.diagnostics.extend(by_id.into_problems());
    // The unit's graphs go here, before the next unit of this worker is parsed.
    drop(unit);
    record
}

/// The suppression facts of `records` together (a later record's resource line wins, as
/// with the units in order).
pub(crate) fn facts(records: &[Record]) -> Facts {
    let mut facts = Facts::default();
    for r in records {
        facts.scanned.extend(r.scanned.iter().cloned());
        facts.templates.extend(r.templates.iter().cloned());
        for (path, address, header, first, last) in &r.sites {
            facts.sites.insert(
                (path.clone(), address.clone()),
                Site {
                    header: *header,
                    first: *first,
                    last: *last,
                },
            );
        }
    }
    facts
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::Options;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("wa-lint-record-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// 24 templates with SSH open to the world (one with two condition scenarios, one with a
    /// nested stack) and 6 Terraform root modules doing the same.
    fn project(dir: &std::path::Path) {
        for i in 0..24 {
            let cond = if i == 0 {
                "Parameters:\n  Env: {Type: String}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n"
            } else {
                ""
            };
            let nested = if i == 1 {
                "  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./child/child.yaml\n"
            } else {
                ""
            };
            std::fs::write(
                dir.join(format!("t{i:02}.yaml")),
                format!(
                    "AWSTemplateFormatVersion: '2010-09-09'\n{cond}Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: ssh\n      SecurityGroupIngress:\n        - {{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}}\n{nested}"
                ),
            )
            .unwrap();
        }
        std::fs::create_dir_all(dir.join("child")).unwrap();
        std::fs::write(
            dir.join("child/child.yaml"),
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Inner:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: ssh\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\n",
        )
        .unwrap();
        for i in 0..6 {
            let module = dir.join(format!("tf{i}"));
            std::fs::create_dir_all(&module).unwrap();
            std::fs::write(
                module.join("main.tf"),
                "resource \"aws_security_group\" \"ssh\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n",
            )
            .unwrap();
        }
    }

    /// Units are reduced to their records in the worker that parsed them: a run never holds
    /// the graphs of more units than it has threads, with or without the cache, and finds the
    /// same findings either way.
    #[test]
    fn a_run_holds_one_unit_per_thread() {
        let dir = scratch("held");
        project(&dir);
        let pack = RulePack::load(&[]).unwrap();
        let cache_dir = scratch("held-cache");
        let mut counts = Vec::new();
        // The third run fills the cache (every unit parsed); the last two read it.
        for (threads, cache) in [(1, false), (2, false), (1, true), (2, true), (1, true)] {
            let options = Options {
                threads,
                cache: cache.then(|| crate::CacheOptions {
                    dir: cache_dir.clone(),
                    rules_digest: "test".into(),
                }),
                ..Options::default()
            };
            let gauge = Gauge::default();
            let (report, _) =
                crate::lint::lint_gauged(std::slice::from_ref(&dir), &pack, &options, &gauge)
                    .unwrap();
            let parsed = counts.len() <= 2;
            assert!(
                gauge.peak() <= threads && (gauge.peak() >= 1 || !parsed),
                "{threads} threads, cache {cache}: {} units held at once",
                gauge.peak()
            );
            assert_eq!(
                report.stats.units, 31,
                "24 templates, 1 nested stack, 6 modules"
            );
            let ssh: Vec<&str> = report
                .findings
                .iter()
                .filter(|f| f.rule_id == "WA-SEC05-SG-ADMIN-PORTS-OPEN")
                .map(|f| f.location.path.as_str())
                .collect();
            // Each template, the nested stack (once per parent) and each module.
            assert_eq!(ssh.len(), 31, "{ssh:?}");
            assert!(ssh.contains(&"child/child.yaml"));
            assert!(ssh.contains(&"tf5/main.tf"));
            counts.push(report.findings.len());
        }
        assert!(counts.windows(2).all(|w| w[0] == w[1]), "{counts:?}");
    }

    /// The gauge counts a unit until its outputs are dropped, not until it was reduced.
    #[test]
    fn the_gauge_counts_held_outputs() {
        let gauge = Gauge::default();
        let a = gauge.hold(Vec::new());
        let b = gauge.hold(Vec::new());
        assert_eq!(gauge.peak(), 2);
        drop(a);
        let kept = vec![b, gauge.hold(Vec::new())];
        assert_eq!(gauge.peak(), 2);
        let c = gauge.hold(Vec::new());
        assert_eq!(gauge.peak(), 3);
        drop((kept, c));
        let _d = gauge.hold(Vec::new());
        assert_eq!(gauge.peak(), 3);
    }
}
