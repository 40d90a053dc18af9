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
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use wa_lint_graph::ResourceGraph;
use wa_lint_rules::{ResultStatus, RulePack, RuleResult};
use wa_lint_source::{FileId, Format, Level, SourceFile};

/// The workspace `rules/` directory.
fn rules_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../rules")
        .canonicalize()
        .expect("rules/ directory")
}

/// Front end a fixture is read with, from its `fixtures/<origin>/` directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Origin {
    Cfn,
    Tf,
}

impl Origin {
    const ALL: [Self; 2] = [Self::Cfn, Self::Tf];

    fn dir(self) -> &'static str {
        match self {
            Self::Cfn => "cfn",
            Self::Tf => "tf",
        }
    }
}

/// A parsed unit: its only file and its graph.
struct Parsed {
    file: SourceFile,
    graph: ResourceGraph,
}

/// Parses `path` (shown as `display`) alone: as a template, or as a one-file Terraform module.
fn parse(origin: Origin, path: &Path, display: &str) -> Result<Parsed, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{display}: {e}"))?;
    let name = path.file_name().unwrap().to_string_lossy();
    let format = if name.ends_with(".tf") {
        Format::Hcl
    } else if name.ends_with(".json") {
        Format::Json
    } else {
        Format::Yaml
    };
    let file = SourceFile::new(FileId(0), display, text, format);
    let out = match origin {
        Origin::Cfn => wa_lint_cfn::parse_template(&file)
            .ok_or_else(|| format!("{display}: not detected as a CloudFormation template"))?,
        Origin::Tf => {
            let dir = display.rsplit_once('/').map_or("", |(d, _)| d);
            wa_lint_terraform::parse_module(dir, std::slice::from_ref(&file))
        }
    };
    let errors: Vec<String> = out
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    if !errors.is_empty() {
        return Err(format!("{display}: parse errors: {errors:?}"));
    }
    let graph = out.graph.ok_or_else(|| format!("{display}: no graph"))?;
    Ok(Parsed { file, graph })
}

/// Evaluates the whole pack on `parsed`; rule errors fail the test.
fn evaluate(pack: &RulePack, parsed: &Parsed, display: &str) -> Vec<RuleResult> {
    let evaluation = pack.evaluator().evaluate(&parsed.graph);
    assert!(
        evaluation.errors.is_empty(),
        "{display}: rule errors: {:?}",
        evaluation.errors
    );
    let mut results = evaluation.results;
    results.sort();
    results
}

/// 1-based `line:col` of `(address, path)` and the source line it is on.
fn locate(parsed: &Parsed, address: &str, path: &wa_lint_graph::AttrPath) -> (u32, u32, String) {
    let (span, _) = parsed.graph.locate(address, path).unwrap_or_else(|| {
        panic!(
            "{}: result names unknown resource {address}",
            parsed.file.path
        )
    });
    assert_eq!(span.file, parsed.file.id, "single-file unit");
    let lc = parsed.file.line_col(span.range.start);
    let line_text = parsed
        .file
        .text
        .lines()
        .nth(lc.line as usize - 1)
        .unwrap_or("")
        .to_owned();
    (lc.line, lc.column, line_text)
}

fn status_str(status: ResultStatus) -> &'static str {
    match status {
        ResultStatus::Fail => "fail",
        ResultStatus::Unknown => "unknown",
    }
}

/// Rule directory (relative to `rules/`, e.g. `infrastructure/sg_admin_ports_open`) → index of
/// the rule in the pack.
fn rule_dirs(pack: &RulePack) -> BTreeMap<String, usize> {
    (0..pack.rules().len())
        .map(|i| {
            let source = pack.source_path(i).expect("source path");
            let rel = source.strip_prefix("<builtin>/").unwrap_or(source);
            let dir = rel.strip_suffix("/rule.rego").unwrap_or_else(|| {
                panic!(
                    "rule {} must live in <area>/<rule>/rule.rego, found {source}",
                    pack.rules()[i].id
                )
            });
            (dir.to_owned(), i)
        })
        .collect()
}

/// Fixture files of one rule directory and origin, sorted by name.
fn fixtures(rule_dir: &Path, origin: Origin) -> Vec<PathBuf> {
    let dir = rule_dir.join("fixtures").join(origin.dir());
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// What a fixture's name says about the expected results of its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Fail,
    Silent,
    Unknown,
}

fn expectation(name: &str) -> Option<Expect> {
    if name.starts_with("bad_") {
        Some(Expect::Fail)
    } else if name.starts_with("good_") {
        Some(Expect::Silent)
    } else if name.starts_with("unknown_") {
        Some(Expect::Unknown)
    } else {
        None
    }
}

/// Checks one fixture; returns problems and appends its snapshot section to `snap`.
fn check_fixture(
    pack: &RulePack,
    rule: usize,
    origin: Origin,
    path: &Path,
    display: &str,
    snap: &mut String,
) -> Vec<String> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let Some(expect) = expectation(&name) else {
        return vec![format!(
            "{display}: fixture names start with bad_, good_ or unknown_"
        )];
    };
    let parsed = match parse(origin, path, display) {
        Ok(p) => p,
        Err(e) => return vec![e],
    };
    let id = &pack.rules()[rule].id;
    let mine: Vec<RuleResult> = evaluate(pack, &parsed, display)
        .into_iter()
        .filter(|r| r.rule == rule)
        .collect();
    let fails = mine
        .iter()
        .filter(|r| r.status == ResultStatus::Fail)
        .count();
    let unknowns = mine.len() - fails;

    let mut problems = Vec::new();
    match expect {
        Expect::Fail if fails == 0 => {
            problems.push(format!("{display}: expected a fail of {id}, got none"));
        }
        Expect::Silent if !mine.is_empty() => {
            problems.push(format!(
                "{display}: expected no result of {id}, got {fails} fail / {unknowns} unknown"
            ));
        }
        Expect::Unknown if unknowns == 0 || fails > 0 => {
            problems.push(format!("{display}: expected only unknown results of {id}, got {fails} fail / {unknowns} unknown"));
        }
        _ => {}
    }

    let short = format!("{}/{name}", origin.dir());
    if mine.is_empty() {
        let _ = writeln!(snap, "{short}: no result\n");
    }
    for r in &mine {
        let (line, col, text) = locate(&parsed, &r.address, &r.path);
        let _ = writeln!(
            snap,
            "{short}:{line}:{col} {} {id} {} [{}]\n  {}\n  | {text}\n  | {}^",
            status_str(r.status),
            r.address,
            r.path,
            r.message,
            " ".repeat(col.saturating_sub(1) as usize),
        );
        for (address, path) in &r.related {
            let (line, col, _) = locate(&parsed, address, path);
            let _ = writeln!(
                snap,
                "  related: {address} [{path}] at {short}:{line}:{col}"
            );
        }
        snap.push('\n');
    }
    problems
}

/// Whether a rule's `resource_types` name a type of `origin` (`AWS::…` for CloudFormation,
/// `aws_…` for Terraform): fixtures are required for the declared origins only.
fn declares(resource_types: &[String], origin: Origin) -> bool {
    resource_types.iter().any(|t| match origin {
        Origin::Cfn => t.starts_with("AWS::"),
        Origin::Tf => t.starts_with("aws_"),
    })
}

/// Per origin: bad, good, absent and unresolved fixtures must all exist.
fn completeness(rule_dir: &str, origin: Origin, names: &[String]) -> Vec<String> {
    let has = |pred: &dyn Fn(&str) -> bool| names.iter().any(|n| pred(n));
    let mut missing = Vec::new();
    if !has(&|n| n.starts_with("bad_")) {
        missing.push("a bad_* fixture");
    }
    if !has(&|n| n.starts_with("good_")) {
        missing.push("a good_* fixture");
    }
    if !has(&|n| n.contains("absent")) {
        missing.push("a fixture for the property being absent (*absent*)");
    }
    if !has(&|n| n.starts_with("unknown_") || n.contains("unresolved")) {
        missing.push("a fixture for an unresolved value (unknown_* or *unresolved*)");
    }
    missing
        .into_iter()
        .map(|m| format!("{rule_dir}/fixtures/{}: missing {m}", origin.dir()))
        .collect()
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
            let files = fixtures(&rule_dir, origin);
            let names: Vec<String> = files
                .iter()
                .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                .collect();
            if declares(&pack.rules()[rule].resource_types, origin) || !names.is_empty() {
                problems.extend(completeness(dir, origin, &names));
            }
            for path in &files {
                let display = format!(
                    "rules/{dir}/fixtures/{}/{}",
                    origin.dir(),
                    path.file_name().unwrap().to_string_lossy()
                );
                problems.extend(check_fixture(
                    &pack, rule, origin, path, &display, &mut snap,
                ));
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

/// Every fixture directory belongs to a rule of the pack (a typo in a rule path would
/// otherwise silently drop its fixtures).
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
            if rule.join("fixtures").is_dir() {
                let rel = rule
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if !dirs.contains_key(&rel) {
                    orphans.push(rel);
                }
            }
        }
    }
    assert!(orphans.is_empty(), "fixtures without a rule: {orphans:?}");
}

/// Runs the Rego unit tests: every `test_*` rule of every `*_test.rego` module must be true.
#[test]
fn rego_unit_tests() {
    let root = rules_root();
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path
                    .file_name()
                    .is_some_and(|n| n != "fixtures" && n != "snapshots")
                {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rego") {
                files.push(path);
            }
        }
    }
    files.sort();

    let mut engine = regorus::Engine::new();
    let mut tests = Vec::new();
    for path in &files {
        let text = fs::read_to_string(path).unwrap();
        let display = path.strip_prefix(&root).unwrap().display().to_string();
        if display.ends_with("_test.rego") {
            let package = text
                .lines()
                .find_map(|l| l.strip_prefix("package "))
                .unwrap_or_else(|| panic!("{display}: no package"))
                .trim()
                .to_owned();
            for line in text.lines() {
                if let Some(rest) = line.strip_prefix("test_") {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    let rule = format!("data.{package}.test_{name}");
                    if !tests.contains(&rule) {
                        tests.push(rule);
                    }
                }
            }
        }
        engine.add_policy(display, text).unwrap();
    }
    assert!(
        tests.len() >= 15,
        "expected the pack's Rego tests, found {}",
        tests.len()
    );
    let failed: Vec<String> = tests
        .iter()
        .filter_map(|rule| match engine.eval_rule(rule.clone()) {
            Ok(v) if v == regorus::Value::from(true) => None,
            Ok(v) => Some(format!("{rule}: {v}")),
            Err(e) => Some(format!("{rule}: {e}")),
        })
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
                status_str(r.status),
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
