//! Data-driven tests of the built-in rules pack (`rules/`), with no Rust edit per rule or
//! fixture:
//!
//! - every rule directory `rules/<area>/<rule>/` holds `fixtures/{cfn,tf}/*`; each fixture is
//!   parsed alone (a `CloudFormation` template, or a single-file Terraform module) and the whole
//!   pack is evaluated on it. `bad_*` must yield at least one `fail` of that rule, `good_*` no
//!   result of that rule, `unknown_*` at least one `unknown` and no `fail` of that rule;
//! - every rule has, per origin, a `bad_*`, a `good_*`, a fixture for the property being absent
//!   (name contains `absent`) and one for an unresolved value (`unknown_*`, or a documented pass
//!   named `*unresolved*`);
//! - the results of each rule on its fixtures are snapshotted (insta) in
//!   `rules/<area>/<rule>/snapshots/`, with the source line and a caret at the location;
//! - the Rego unit tests (`rules/**/*_test.rego`, `test_*` rules) pass;
//! - acceptance cases 04, 11, 14, 18 and 24 (`tests/cases/`) give exactly the findings of their
//!   `case.md`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use wa_lint_linter::fixtures::{self, Origin, Parsed};
use wa_lint_rules::{RulePack, RuleResult};
use wa_lint_source::{FileId, Format, SourceFile};

// The checks live in `wa_lint_linter::fixtures`, shared with `wa-lint test DIR` for users'
// rules directories; this harness runs them on the built-in pack and snapshots the results.

/// The workspace `rules/` directory.
fn rules_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../rules")
        .canonicalize()
        .expect("rules/ directory")
}

/// Parses `path` (shown as `display`) alone; a parse problem fails the test.
fn parse(origin: Origin, path: &Path, display: &str) -> Result<Parsed, String> {
    fixtures::parse(origin, path, display)
}

/// Evaluates the whole pack on `parsed`; rule errors fail the test.
fn evaluate(pack: &RulePack, parsed: &Parsed, display: &str) -> Vec<RuleResult> {
    fixtures::evaluate(pack, parsed, display).unwrap_or_else(|e| panic!("{e}"))
}

/// 1-based `line:col` of `(address, path)` and the source line it is on.
fn locate(parsed: &Parsed, address: &str, path: &wa_lint_graph::AttrPath) -> (u32, u32, String) {
    fixtures::locate(parsed, address, path).unwrap_or_else(|| {
        panic!(
            "{}: result names unknown resource {address}",
            parsed.file.path
        )
    })
}

/// Rule directory (relative to `rules/`, e.g. `infrastructure/sg_admin_ports_open`) → index of
/// the rule in the pack.
fn rule_dirs(pack: &RulePack) -> BTreeMap<String, usize> {
    fixtures::rule_dirs(pack, "<builtin>/").unwrap_or_else(|e| panic!("{}", e.join("\n")))
}

#[test]
fn rule_fixtures() {
    let pack = RulePack::load(&[]).expect("built-in pack loads");
    let root = rules_root();
    let dirs = rule_dirs(&pack);
    assert!(
        dirs.len() >= 10,
        "expected the built-in rules, found {}",
        dirs.len()
    );

    let mut problems = Vec::new();
    let mut snapshots = Vec::new();
    let mut count = 0;
    for (dir, &rule) in &dirs {
        let rule_dir = root.join(dir);
        let mut snap = String::new();
        for origin in Origin::ALL {
            let files = fixtures::fixtures(&rule_dir, origin);
            let names: Vec<String> = files
                .iter()
                .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                .collect();
            if fixtures::declares(&pack.rules()[rule].resource_types, origin) || !names.is_empty() {
                problems.extend(fixtures::completeness(dir, origin, &names));
            }
            for path in &files {
                let display = format!(
                    "rules/{dir}/fixtures/{}/{}",
                    origin.dir(),
                    path.file_name().unwrap().to_string_lossy()
                );
                let outcome = fixtures::check_fixture(&pack, rule, origin, path, &display);
                problems.extend(outcome.problems);
                snap.push_str(&outcome.snapshot);
                count += 1;
            }
        }
        snapshots.push((dir.clone(), pack.rules()[rule].id.clone(), snap));
    }
    assert!(
        problems.is_empty(),
        "{} fixture problems in {count} fixtures:\n{}",
        problems.len(),
        problems.join("\n")
    );

    for (dir, id, snap) in snapshots {
        insta::with_settings!({
            snapshot_path => root.join(&dir).join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("{id}: results on rules/{dir}/fixtures"),
        }, {
            insta::assert_snapshot!(id.clone(), snap);
        });
    }
}

/// Every fixture directory (`fixtures/`, and `odd_values/` of `tests/odd_values.rs`) belongs
/// to a rule of the pack (a typo in a rule path would otherwise silently drop its inputs).
#[test]
fn every_fixture_dir_has_a_rule() {
    let pack = RulePack::load(&[]).expect("built-in pack loads");
    let dirs = rule_dirs(&pack);
    let root = rules_root();
    let mut orphans = Vec::new();
    for area in fs::read_dir(&root).unwrap() {
        let area = area.unwrap().path();
        if !area.is_dir() {
            continue;
        }
        for rule in fs::read_dir(&area).unwrap() {
            let rule = rule.unwrap().path();
            for kind in ["fixtures", "odd_values"] {
                if rule.join(kind).is_dir() {
                    let rel = rule
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    if !dirs.contains_key(&rel) {
                        orphans.push(format!("{rel}/{kind}"));
                    }
                }
            }
        }
    }
    assert!(
        orphans.is_empty(),
        "fixture directories without a rule: {orphans:?}"
    );
}

/// Runs the Rego unit tests: every `test_*` rule of every `*_test.rego` module must be true.
#[test]
fn rego_unit_tests() {
    let modules = fixtures::rego_files(&rules_root()).unwrap();
    let tests = fixtures::run_rego_tests(&modules, wa_lint_rules::DEFAULT_RULE_TIMEOUT).unwrap();
    assert!(
        tests.len() >= 15,
        "expected the pack's Rego tests, found {}",
        tests.len()
    );
    let failed: Vec<String> = tests
        .iter()
        .filter_map(|t| t.outcome.as_ref().err().map(|e| format!("{}: {e}", t.rule)))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} Rego tests failed:\n{}",
        failed.len(),
        tests.len(),
        failed.join("\n")
    );
}

// ---------------------------------------------------------------- acceptance cases

/// `(rule id, status, address, line)` of every result of the whole pack on one template
/// under `tests/cases/`.
fn case_results(rel: &str) -> Vec<(String, &'static str, String, u32)> {
    let pack = RulePack::load(&[]).expect("built-in pack loads");
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(rel);
    let parsed = parse(Origin::Cfn, &path, rel).unwrap();
    evaluate(&pack, &parsed, rel)
        .into_iter()
        .map(|r| {
            let (line, _, _) = locate(&parsed, &r.address, &r.path);
            (
                pack.rules()[r.rule].id.clone(),
                fixtures::status_str(r.status),
                r.address,
                line,
            )
        })
        .collect()
}

fn row(
    id: &str,
    status: &'static str,
    address: &str,
    line: u32,
) -> (String, &'static str, String, u32) {
    (id.to_owned(), status, address.to_owned(), line)
}

#[test]
fn case_04_short_tags_iam_star_line_19() {
    assert_eq!(
        case_results("04-cfn-short-tags-mixed-repo/template.yaml"),
        vec![row("WA-SEC03-IAM-ADMIN-STAR", "fail", "DeployRole", 19)]
    );
    // The CI file next to it is not a template: skipped quietly.
    let ci = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases/04-cfn-short-tags-mixed-repo/ci/build.yml");
    let file = SourceFile::new(
        FileId(0),
        "ci/build.yml",
        fs::read_to_string(ci).unwrap(),
        Format::Yaml,
    );
    assert!(wa_lint_cfn::parse_template(&file).is_none());
}

#[test]
fn case_11_standalone_ingress_no_findings() {
    assert_eq!(
        case_results("11-cfn-standalone-ingress-attached/template.yaml"),
        vec![]
    );
}

#[test]
fn case_14_iam_deny_wildcards_no_findings() {
    assert_eq!(
        case_results("14-cfn-iam-deny-wildcards/template.yaml"),
        vec![]
    );
}

#[test]
fn case_18_all_protocols_second_entry_line_14() {
    assert_eq!(
        case_results("18-cfn-sg-all-protocols-second-entry/template.yaml"),
        vec![row(
            "WA-SEC05-SG-ALL-PORTS-OPEN",
            "fail",
            "WindowsSecurityGroup",
            14
        )]
    );
}

#[test]
fn case_24_ok_rdp_line_12() {
    assert_eq!(
        case_results("24-cfn-duplicate-keys-no-crash/ok.yaml"),
        vec![row(
            "WA-SEC05-SG-ADMIN-PORTS-OPEN",
            "fail",
            "RdpSecurityGroup",
            12
        )]
    );
}
