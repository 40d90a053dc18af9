//! CI controls: which rules run (`--only`/`--skip`, severity overrides), which units are
//! evaluated (`--changed-since`, `--shard`), what happens to `unknown` findings, and the last
//! pass over the findings (suppressions, baseline).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use wa_lint_graph::{Origin, ParseOutput, ResourceGraph};
use wa_lint_rules::{RuleMeta, Severity};
use wa_lint_source::LazyFile;

use crate::baseline::Baseline;
use crate::files::UnitFiles;
use crate::suppress::{self, Site, Sites};
use crate::{LintError, LintReport, Status};

/// What to do with findings whose status is `unknown` (`--unknown`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnknownPolicy {
    /// Treat them as passing: left out of the report.
    Pass,
    /// Report them; the exit code ignores them (default).
    #[default]
    Warn,
    /// Report them and count them as failures for the exit code (at their rule's severity).
    Fail,
}

/// `--shard K/N`: evaluate the units whose stable hash falls in shard `k` of `n` (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, `1..=n`.
    pub k: u32,
    /// Number of shards, at least 1.
    pub n: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// Parses `K/N` with `1 <= K <= N`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("expected K/N with 1 <= K <= N, got `{s}`");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (u32, u32) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Self { k, n })
    }
}

impl Shard {
    /// Whether the unit at `path` (relative to the scan root) belongs to this shard: 64-bit
    /// FNV-1a of the path, mixed with the `MurmurHash3` finalizer (FNV-1a alone spreads similar
    /// short paths badly over a small modulus), modulo `n` — stable across runs, machines and
    /// thread counts.
    pub fn contains(self, path: &str) -> bool {
        let mut h = crate::fingerprint::fnv1a(&[path]);
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^= h >> 33;
        h % u64::from(self.n) == u64::from(self.k - 1)
    }
}

/// Rule selection and CI controls; the caller merges `.wa-lint.toml` and the command line.
#[derive(Debug, Clone, Default)]
pub struct Controls {
    /// Run only these rules: IDs, short IDs (`s3-encryption`), best practices (`SEC08-BP02`)
    /// or pillar questions (`SEC08`). Empty: every rule.
    pub only: Vec<String>,
    /// Leave out these rules (same forms as `only`); wins over `only`.
    pub skip: Vec<String>,
    /// Severity per rule ID (or any form accepted by `only`).
    pub severity: BTreeMap<String, Severity>,
    /// What to do with `unknown` findings.
    pub unknown: UnknownPolicy,
    /// Evaluate only units with a file changed since this git revision.
    pub changed_since: Option<String>,
    /// Evaluate only this shard of the units.
    pub shard: Option<Shard>,
    /// Suppress the findings recorded in this baseline.
    pub baseline: Option<Baseline>,
    /// The date suppression expiry is compared with; today when `None`.
    pub today: Option<(i32, u32, u32)>,
}

/// What [`plan`] decided before the scan.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// IDs of the rules that run.
    pub enabled: BTreeSet<String>,
    /// Files changed since the revision, relative to the scan root (`--changed-since`).
    pub changed: Option<BTreeSet<String>>,
}

/// Whether `token` selects `rule`: its ID, short ID or package, one of its best practices, or
/// the pillar question of one of them (`SEC08`).
pub(crate) fn selects(token: &str, rule: &RuleMeta) -> bool {
    let t = token.trim();
    let upper = t.to_ascii_uppercase();
    rule.best_practices
        .iter()
        .any(|bp| bp.eq_ignore_ascii_case(t) || bp.split('-').next() == Some(upper.as_str()))
        || suppress::resolve(t, std::slice::from_ref(rule)).len() == 1
}

/// Decides the enabled rules and reads the changed files.
///
/// # Errors
/// [`LintError::Select`] when an `--only`/`--skip`/severity entry selects no rule,
/// [`LintError::Git`] when `git` fails.
pub(crate) fn plan(
    root: &Path,
    rules: &[RuleMeta],
    controls: &Controls,
) -> Result<Plan, LintError> {
    let tokens = controls
        .only
        .iter()
        .chain(&controls.skip)
        .chain(controls.severity.keys());
    for token in tokens {
        if !rules.iter().any(|r| selects(token, r)) {
            return Err(LintError::Select(format!(
                "`{token}` is not a rule ID or best practice of the pack (see `wa-lint rules`)"
            )));
        }
    }
    let enabled = rules
        .iter()
        .filter(|r| controls.only.is_empty() || controls.only.iter().any(|t| selects(t, r)))
        .filter(|r| !controls.skip.iter().any(|t| selects(t, r)))
        .map(|r| r.id.clone())
        .collect();
    let changed = match &controls.changed_since {
        Some(rev) => Some(changed_files(root, rev)?),
        None => None,
    };
    Ok(Plan { enabled, changed })
}

/// Files changed since `rev` (`git diff --name-only REV...HEAD`), changed in the working tree
/// or index (`git diff --name-only HEAD`), and untracked (`git ls-files --others
/// --exclude-standard`), relative to `root`, where git runs.
///
/// # Errors
/// [`LintError::Git`] when git cannot run or fails (not a repository, unknown revision).
pub fn changed_files(root: &Path, rev: &str) -> Result<BTreeSet<String>, LintError> {
    let dir = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    // A revision starting with `-` would be read as an option (`--output=FILE` writes a file).
    if rev.starts_with('-') {
        return Err(LintError::Git(format!(
            "`{rev}` is not a revision (it starts with `-`)"
        )));
    }
    let run = |args: &[&str]| -> Result<String, LintError> {
        // The scanned repository's own configuration must not run programs: no fsmonitor
        // hook, no external diff driver or textconv filter (docs/security.md).
        let out = Command::new("git")
            .args(["-c", "core.fsmonitor=false", "-c", "diff.external="])
            .args(args)
            .current_dir(dir)
            .output()
            .map_err(|e| LintError::Git(format!("cannot run git: {e}")))?;
        if !out.status.success() {
            return Err(LintError::Git(format!(
                "`git {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let range = format!("{rev}...HEAD");
    let mut files = BTreeSet::new();
    for args in [
        &[
            "diff",
            "--no-ext-diff",
            "--no-textconv",
            "--name-only",
            "--relative",
            &range,
            "--",
        ][..],
        &[
            "diff",
            "--no-ext-diff",
            "--no-textconv",
            "--name-only",
            "--relative",
            "HEAD",
            "--",
        ][..],
        &["ls-files", "--others", "--exclude-standard"][..],
    ] {
        files.extend(
            run(args)?
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned),
        );
    }
    Ok(files)
}

/// The graph that stands for a unit (its graph, or its first scenario's).
fn graph_of(unit: &ParseOutput) -> Option<&ResourceGraph> {
    unit.graph
        .as_ref()
        .or_else(|| unit.scenarios.first().map(|s| &s.graph))
}

/// Keeps the units `--changed-since` and `--shard` select. A unit is changed when one of its
/// files changed, or (Terraform) a file directly in its directory did (a `.tfvars`).
pub(crate) fn units(units: Vec<ParseOutput>, plan: &Plan, controls: &Controls) -> Vec<ParseOutput> {
    if plan.changed.is_none() && controls.shard.is_none() {
        return units;
    }
    units
        .into_iter()
        .filter(|unit| {
            let Some(graph) = graph_of(unit) else {
                // A unit that did not load: keep its diagnostics where its file is selected.
                return unit
                    .diagnostics
                    .iter()
                    .filter_map(|d| d.path.as_deref())
                    .any(|p| {
                        plan.changed.as_ref().is_none_or(|c| c.contains(p))
                            && controls.shard.is_none_or(|s| s.contains(p))
                    });
            };
            let u = &graph.unit;
            let changed = plan.changed.as_ref().is_none_or(|changed| {
                u.files.iter().any(|(_, p)| changed.contains(p))
                    || (u.origin == Origin::Terraform
                        && changed.iter().any(|c| {
                            c.rsplit_once('/').map_or(".", |(d, _)| d) == u.path
                                || (u.path == "." && !c.contains('/'))
                        }))
            });
            changed && controls.shard.is_none_or(|s| s.contains(&u.path))
        })
        .collect()
}

/// What the suppressions pass needs to know about the evaluated units (see [`facts`]).
#[derive(Debug, Default)]
pub(crate) struct Facts {
    /// Paths of the files of every unit.
    pub scanned: BTreeSet<String>,
    /// Paths of the files of CloudFormation units.
    pub templates: BTreeSet<String>,
    /// Where each resource is written, by `(path, address)`.
    pub sites: Sites,
}

/// The [`Facts`] of `units` (the graph of each, or its first scenario's), with lines from
/// `files`.
pub(crate) fn facts(units: &[ParseOutput], files: &UnitFiles<'_>) -> Facts {
    let mut sites = Sites::new();
    let mut scanned = BTreeSet::new();
    let mut templates = BTreeSet::new();
    for graph in units.iter().filter_map(graph_of) {
        for (_, path) in &graph.unit.files {
            scanned.insert(path.clone());
            if graph.unit.origin == Origin::Cloudformation {
                templates.insert(path.clone());
            }
        }
        for r in graph.resources.values() {
            let Some(file) = files.get(r.header.file) else {
                continue;
            };
            sites.insert(
                (file.path.clone(), r.address.clone()),
                Site {
                    header: file.line_col(r.header.range.start).line,
                    first: file.line_col(r.block.range.start).line,
                    last: file.line_col(r.block.range.end).line,
                },
            );
        }
    }
    Facts {
        scanned,
        templates,
        sites,
    }
}

/// The last pass over the findings: rule selection, severity overrides, the unknown policy,
/// suppressions (warnings go to the report's diagnostics), the baseline. `facts` are those of
/// the evaluated units, gathered from their records (`crate::record::facts`).
pub(crate) fn finish_with(
    report: &mut LintReport,
    files: &[LazyFile],
    facts: &Facts,
    plan: &Plan,
    controls: &Controls,
    shortcuts: &suppress::Shortcuts<'_>,
) {
    let all_rules = report.rules.clone();
    report
        .findings
        .retain(|f| plan.enabled.contains(&f.rule_id));
    if controls.unknown == UnknownPolicy::Pass {
        report.findings.retain(|f| f.status != Status::Unknown);
    }
    let severity_of = |rule: &RuleMeta| {
        controls
            .severity
            .iter()
            .find(|(t, _)| selects(t, rule))
            .map(|(_, s)| *s)
    };
    report.rules.retain(|r| plan.enabled.contains(&r.id));
    for rule in &mut report.rules {
        if let Some(s) = severity_of(rule) {
            rule.severity = s;
        }
    }
    let severities: BTreeMap<&str, Severity> = report
        .rules
        .iter()
        .map(|r| (r.id.as_str(), r.severity))
        .collect();
    for f in &mut report.findings {
        if let Some(s) = severities.get(f.rule_id.as_str()) {
            f.severity = *s;
        }
    }

    let diagnostics = suppress::apply(
        &mut report.findings,
        &suppress::Inputs {
            files,
            scanned: &facts.scanned,
            templates: &facts.templates,
            sites: &facts.sites,
            rules: &all_rules,
            enabled: &plan.enabled,
            today: controls.today.unwrap_or_else(suppress::today),
        },
        shortcuts,
    );
    report.diagnostics.extend(diagnostics);
    if let Some(baseline) = &controls.baseline {
        baseline.apply(&mut report.findings);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_paths() {
        assert_eq!("2/3".parse(), Ok(Shard { k: 2, n: 3 }));
        assert!("0/3".parse::<Shard>().is_err());
        assert!("4/3".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
        let paths: Vec<String> = (0..50).map(|i| format!("stacks/s{i}.yaml")).collect();
        let shards: Vec<Shard> = (1..=3).map(|k| Shard { k, n: 3 }).collect();
        for p in &paths {
            assert_eq!(shards.iter().filter(|s| s.contains(p)).count(), 1, "{p}");
        }
        // Every shard gets some of 50 paths.
        for s in &shards {
            assert!(paths.iter().filter(|p| s.contains(p)).count() > 5);
        }
    }
}
