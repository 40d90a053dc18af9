//! Rule fixtures and Rego unit tests: the checks behind the built-in pack's test harness
//! (`crates/wa_lint_rules/tests/fixtures.rs`) and `wa-lint test DIR` for users' rules.
//!
//! Layout of a rules directory (the built-in `rules/` and a user's): one directory per rule,
//! `<area>/<rule>/rule.rego`, with fixtures under `<rule>/fixtures/cfn/` (CloudFormation
//! templates) and `<rule>/fixtures/tf/` (one-file Terraform modules). A fixture's name says what
//! the rule must report on it:
//!
//! - `bad_*`: at least one `fail` of the rule;
//! - `good_*`: no result of the rule;
//! - `unknown_*`: at least one `unknown` and no `fail` of the rule.
//!
//! Complete coverage per origin is a `bad_*`, a `good_*`, a fixture for the property being
//! absent (name contains `absent`) and one for an unresolved value (`unknown_*`, or a documented
//! pass named `*unresolved*`). Rego unit tests are the `test_*` rules of `*_test.rego` modules;
//! each must evaluate to `true`.
//!
//! Lines and columns in snapshots are 1-based (columns in Unicode scalar values).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use wa_lint_graph::{AttrPath, ResourceGraph};
use wa_lint_rules::{ResultStatus, RulePack, RuleResult};
use wa_lint_source::{FileId, Format, Level, SourceFile};

/// Front end a fixture is read with, from its `fixtures/<origin>/` directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// `fixtures/cfn/`: a CloudFormation template.
    Cfn,
    /// `fixtures/tf/`: a one-file Terraform module.
    Tf,
}

impl Origin {
    /// Both origins, CloudFormation first.
    pub const ALL: [Self; 2] = [Self::Cfn, Self::Tf];

    /// The directory name under `fixtures/` (`cfn`, `tf`).
    pub fn dir(self) -> &'static str {
        match self {
            Self::Cfn => "cfn",
            Self::Tf => "tf",
        }
    }
}

/// What a fixture's name says about the results of its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// `bad_*`: at least one fail.
    Fail,
    /// `good_*`: no result.
    Silent,
    /// `unknown_*`: unknown results only.
    Unknown,
}

/// The expectation of a fixture file name, `None` when it starts with none of `bad_`,
/// `good_`, `unknown_`.
pub fn expectation(name: &str) -> Option<Expect> {
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

/// A parsed fixture: its only file and its graph.
#[derive(Debug)]
pub struct Parsed {
    /// The file, with the display path as its path.
    pub file: SourceFile,
    /// The unit's graph.
    pub graph: ResourceGraph,
}

/// Parses `path` (shown as `display`) alone: as a template, or as a one-file Terraform module.
///
/// # Errors
/// A message starting with `display` when the file cannot be read, is not a template, has
/// error diagnostics or yields no graph.
pub fn parse(origin: Origin, path: &Path, display: &str) -> Result<Parsed, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{display}: {e}"))?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let format = if ext == "tf" {
        Format::Hcl
    } else if ext == "json" {
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

/// Evaluates the whole pack on `parsed`, results sorted.
///
/// # Errors
/// `"{display}: rule <ID> failed: <message>"` (joined by `; `) when rules fail to evaluate.
pub fn evaluate(
    pack: &RulePack,
    parsed: &Parsed,
    display: &str,
) -> Result<Vec<RuleResult>, String> {
    let evaluation = pack.evaluator().evaluate(&parsed.graph);
    if !evaluation.errors.is_empty() {
        let errors: Vec<String> = evaluation
            .errors
            .iter()
            .map(|e| format!("rule {} failed: {}", e.rule_id, e.message))
            .collect();
        return Err(format!("{display}: {}", errors.join("; ")));
    }
    let mut results = evaluation.results;
    results.sort();
    Ok(results)
}

/// 1-based `(line, column)` of `(address, path)` in the fixture and the text of that line;
/// `None` when the graph has no such resource.
pub fn locate(parsed: &Parsed, address: &str, path: &AttrPath) -> Option<(u32, u32, String)> {
    let (span, _) = parsed.graph.locate(address, path)?;
    let lc = parsed.file.line_col(span.range.start);
    let line_text = parsed
        .file
        .text
        .lines()
        .nth((lc.line as usize).saturating_sub(1))
        .unwrap_or("")
        .to_owned();
    Some((lc.line, lc.column, line_text))
}

/// `fail` or `unknown`.
pub fn status_str(status: ResultStatus) -> &'static str {
    match status {
        ResultStatus::Fail => "fail",
        ResultStatus::Unknown => "unknown",
    }
}

/// Rule directory → index in the pack, for the rules whose source path starts with `prefix`
/// and ends with `/rule.rego` (the directory is the source path without both). The built-in
/// pack uses the prefix `<builtin>/`, giving `infrastructure/sg_admin_ports_open`.
///
/// # Errors
/// The IDs and paths of rules under `prefix` not named `rule.rego`.
pub fn rule_dirs(pack: &RulePack, prefix: &str) -> Result<BTreeMap<String, usize>, Vec<String>> {
    let mut dirs = BTreeMap::new();
    let mut misplaced = Vec::new();
    for (i, meta) in pack.rules().iter().enumerate() {
        let Some(source) = pack.source_path(i) else {
            continue;
        };
        let Some(rel) = source.strip_prefix(prefix) else {
            continue;
        };
        let rel = rel.trim_start_matches('/');
        match rel.strip_suffix("rule.rego") {
            Some(dir) => {
                dirs.insert(dir.trim_end_matches('/').to_owned(), i);
            }
            None => misplaced.push(format!(
                "rule {} must live in <area>/<rule>/rule.rego, found {source}",
                meta.id
            )),
        }
    }
    if misplaced.is_empty() {
        Ok(dirs)
    } else {
        Err(misplaced)
    }
}

/// Fixture files of one rule directory and origin, sorted by name.
pub fn fixtures(rule_dir: &Path, origin: Origin) -> Vec<PathBuf> {
    files_in(rule_dir, "fixtures", origin)
}

/// Files of `rule_dir/<kind>/<origin dir>/` (`kind`: `fixtures`, or the built-in pack's
/// `odd_values`), sorted by name; none when the directory cannot be read.
pub fn files_in(rule_dir: &Path, kind: &str, origin: Origin) -> Vec<PathBuf> {
    let dir = rule_dir.join(kind).join(origin.dir());
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// The outcome of one fixture.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixtureOutcome {
    /// What went wrong, each message starting with the fixture's display path; empty: passed.
    pub problems: Vec<String>,
    /// Snapshot text: every result of the rule with location, source line and caret.
    pub snapshot: String,
}

/// Checks one fixture of rule `rule` (index in the pack) against its name's expectation.
pub fn check_fixture(
    pack: &RulePack,
    rule: usize,
    origin: Origin,
    path: &Path,
    display: &str,
) -> FixtureOutcome {
    let mut outcome = FixtureOutcome::default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(expect) = expectation(&name) else {
        outcome.problems.push(format!(
            "{display}: fixture names start with bad_, good_ or unknown_"
        ));
        return outcome;
    };
    let parsed = match parse(origin, path, display) {
        Ok(p) => p,
        Err(e) => {
            outcome.problems.push(e);
            return outcome;
        }
    };
    let id = pack.rules().get(rule).map_or("?", |m| m.id.as_str());
    let mine: Vec<RuleResult> = match evaluate(pack, &parsed, display) {
        Ok(results) => results.into_iter().filter(|r| r.rule == rule).collect(),
        Err(e) => {
            outcome.problems.push(e);
            return outcome;
        }
    };
    let fails = mine
        .iter()
        .filter(|r| r.status == ResultStatus::Fail)
        .count();
    let unknowns = mine.len() - fails;

    let problems = &mut outcome.problems;
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

    let snap = &mut outcome.snapshot;
    let short = format!("{}/{name}", origin.dir());
    if mine.is_empty() {
        let _ = writeln!(snap, "{short}: no result\n");
    }
    for r in &mine {
        let Some((line, col, text)) = locate(&parsed, &r.address, &r.path) else {
            problems.push(format!(
                "{display}: result names unknown resource {}",
                r.address
            ));
            continue;
        };
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
            match locate(&parsed, address, path) {
                Some((line, col, _)) => {
                    let _ = writeln!(
                        snap,
                        "  related: {address} [{path}] at {short}:{line}:{col}"
                    );
                }
                None => problems.push(format!(
                    "{display}: related location names unknown resource {address}"
                )),
            }
        }
        snap.push('\n');
    }
    outcome
}

/// Whether a rule's `resource_types` name a type of `origin` (`AWS::…` for CloudFormation,
/// `aws_…` for Terraform): fixtures are required for the declared origins only.
pub fn declares(resource_types: &[String], origin: Origin) -> bool {
    resource_types.iter().any(|t| match origin {
        Origin::Cfn => t.starts_with("AWS::"),
        Origin::Tf => {
            t.starts_with("aws_")
                || t == wa_lint_graph::TF_VARIABLE
                || t == wa_lint_graph::TF_OUTPUT
        }
    })
}

/// The kinds of fixture a complete rule has per origin, as `(description, present)` in the
/// order bad, good, absent, unresolved.
pub fn coverage(names: &[String]) -> [(&'static str, bool); 4] {
    let has = |pred: &dyn Fn(&str) -> bool| names.iter().any(|n| pred(n));
    [
        ("a bad_* fixture", has(&|n| n.starts_with("bad_"))),
        ("a good_* fixture", has(&|n| n.starts_with("good_"))),
        (
            "a fixture for the property being absent (*absent*)",
            has(&|n| n.contains("absent")),
        ),
        (
            "a fixture for an unresolved value (unknown_* or *unresolved*)",
            has(&|n| n.starts_with("unknown_") || n.contains("unresolved")),
        ),
    ]
}

/// Per origin: bad, good, absent and unresolved fixtures must all exist. Messages read
/// `{rule_dir}/fixtures/{origin}: missing …`.
pub fn completeness(rule_dir: &str, origin: Origin, names: &[String]) -> Vec<String> {
    coverage(names)
        .into_iter()
        .filter(|(_, present)| !present)
        .map(|(m, _)| format!("{rule_dir}/fixtures/{}: missing {m}", origin.dir()))
        .collect()
}

/// `data.<package>.test_<name>` of every `test_*` rule in a `*_test.rego` module, in order of
/// appearance; `None` when the module has no `package` line.
pub fn rego_test_rules(text: &str) -> Option<Vec<String>> {
    let package = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("package "))?
        .trim()
        .to_owned();
    let mut tests = Vec::new();
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
    Some(tests)
}

/// One Rego unit test and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegoTest {
    /// `data.<package>.test_<name>`.
    pub rule: String,
    /// The module it is defined in (display path).
    pub module: String,
    /// `Err` with the value or error when the rule is not `true`.
    pub outcome: Result<(), String>,
}

/// Compiles `modules` (`(display path, source)`, rules, libraries and `*_test.rego` alike) in
/// one engine and evaluates every `test_*` rule of the `*_test.rego` modules, with the
/// protections of the rules pack: each module passes [`wa_lint_rules::check_module`] first, the
/// bounded builtins are installed, each test has the time budget `timeout` (`wa-lint test`
/// gives the rules' default, [`wa_lint_rules::DEFAULT_RULE_TIMEOUT`]; a test over it fails with
/// "timed out after N s"), a panic inside regorus fails that test (the engine is compiled
/// again for the next one), and the tests run on a thread with the rules' stack
/// ([`wa_lint_rules::STACK_BYTES`]).
///
/// # Errors
/// A message naming the module when one does not compile or a test module has no package.
pub fn run_rego_tests(
    modules: &[(String, String)],
    timeout: std::time::Duration,
) -> Result<Vec<RegoTest>, String> {
    wa_lint_rules::on_rule_stack(|| rego_tests_here(modules, timeout))
        .map_err(|e| format!("cannot start the test thread: {e}"))?
}

/// [`run_rego_tests`] on the calling thread.
fn rego_tests_here(
    modules: &[(String, String)],
    timeout: std::time::Duration,
) -> Result<Vec<RegoTest>, String> {
    let compile = || -> Result<regorus::Engine, String> {
        let mut engine = wa_lint_rules::new_engine(timeout).map_err(|e| e.to_string())?;
        for (display, text) in modules {
            wa_lint_rules::check_module(display, text).map_err(|e| e.to_string())?;
            engine
                .add_policy(display.clone(), text.clone())
                .map_err(|e| format!("{display}: {e}"))?;
        }
        Ok(engine)
    };
    let mut engine = compile()?;
    let mut tests: Vec<(String, String)> = Vec::new();
    for (display, text) in modules.iter().filter(|(d, _)| d.ends_with("_test.rego")) {
        let rules = rego_test_rules(text).ok_or_else(|| format!("{display}: no package"))?;
        for rule in rules {
            if !tests.iter().any(|(r, _)| r == &rule) {
                tests.push((rule, display.clone()));
            }
        }
    }
    let mut out = Vec::with_capacity(tests.len());
    for (rule, module) in tests {
        let outcome = match wa_lint_source::panics::catch(|| engine.eval_rule(rule.clone())) {
            Ok(Ok(v)) if v == regorus::Value::from(true) => Ok(()),
            Ok(Ok(v)) => Err(format!("evaluated to {v}")),
            Ok(Err(e)) => Err(match e.downcast_ref::<regorus::LimitError>() {
                Some(regorus::LimitError::TimeLimitExceeded { elapsed, limit }) => format!(
                    "timed out after {:.1} s (the time budget of a test is {} s)",
                    elapsed.as_secs_f64(),
                    limit.as_secs_f64()
                ),
                _ => e.to_string(),
            }),
            Err(panic) => {
                engine = compile()?;
                Err(format!("the Rego interpreter panicked ({panic})"))
            }
        };
        out.push(RegoTest {
            rule,
            module,
            outcome,
        });
    }
    Ok(out)
}

/// Every `.rego` file under `root` (recursively, skipping `fixtures/`, `snapshots/` and hidden
/// directories), sorted, as `(path relative to root with '/', source)`.
///
/// # Errors
/// The I/O error and path of a directory or file that cannot be read.
pub fn rego_files(root: &Path) -> Result<Vec<(String, String)>, String> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if path.is_dir() {
                if name != "fixtures" && name != "snapshots" && !name.starts_with('.') {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rego") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            Ok((rel, text))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_give_expectations() {
        assert_eq!(expectation("bad_open.yaml"), Some(Expect::Fail));
        assert_eq!(expectation("good_x.tf"), Some(Expect::Silent));
        assert_eq!(expectation("unknown_param.json"), Some(Expect::Unknown));
        assert_eq!(expectation("open.yaml"), None);
    }

    #[test]
    fn completeness_names_what_is_missing() {
        let names = vec!["bad_open.yaml".to_owned(), "good_absent.yaml".to_owned()];
        assert_eq!(
            completeness("x/y", Origin::Tf, &names),
            vec!["x/y/fixtures/tf: missing a fixture for an unresolved value (unknown_* or *unresolved*)".to_owned()]
        );
    }

    #[test]
    fn test_rules_are_found() {
        let text = "package a.b_test\n\ntest_one if { true }\ntest_two { 1 == 1 }\ntest_one if { false }\n";
        assert_eq!(
            rego_test_rules(text),
            Some(vec![
                "data.a.b_test.test_one".to_owned(),
                "data.a.b_test.test_two".to_owned()
            ])
        );
    }

    /// `(rule, passed)` of each test.
    fn passed(tests: &[RegoTest]) -> Vec<(&str, bool)> {
        tests
            .iter()
            .map(|t| (t.rule.as_str(), t.outcome.is_ok()))
            .collect()
    }

    #[test]
    fn rego_tests_get_the_pack_protections() {
        let module = |name: &str, body: &str| {
            (
                format!("my/{name}_test.rego"),
                format!("package my.{name}_test\n\nimport rego.v1\n\n{body}\n"),
            )
        };
        // A huge exponent is refused before regorus parses it (it would take over a minute).
        let start = std::time::Instant::now();
        let budget = wa_lint_rules::DEFAULT_RULE_TIMEOUT;
        let refused = run_rego_tests(&[module("big", "test_big if { 0e99999999 == 0 }")], budget);
        assert_eq!(
            refused.err().as_deref(),
            Some("my/big_test.rego: line 5: number literal with an exponent above 1000 (regorus would compute it exactly, taking seconds to hours); write the value another way")
        );
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
        // wa-lint's bounded numbers.range: an error for this test, the others still run.
        let tests = run_rego_tests(&[module(
            "range",
            "test_huge if { count(numbers.range(1, 1e12)) > 0 }\n\ntest_small if { count(numbers.range(1, 3)) == 3 }",
        )], budget)
        .unwrap_or_default();
        let outcomes = passed(&tests);
        assert_eq!(
            outcomes,
            [
                ("data.my.range_test.test_huge", false),
                ("data.my.range_test.test_small", true)
            ]
        );
        let huge = tests.first().and_then(|t| t.outcome.clone().err());
        assert!(
            huge.as_deref()
                .is_some_and(|m| m.contains("more than wa-lint's limit")),
            "{huge:?}"
        );
    }

    /// A test that makes regorus panic fails with the panic's message; the next test runs on an
    /// engine compiled again. A chain of 3,000 rules needs more than a default thread's stack.
    #[test]
    fn a_rego_test_that_panics_fails_and_deep_chains_fit_the_stack() {
        let mut text = String::from(
            "package my.odd_test\n\nimport rego.v1\n\ntest_panic if { sprintf(\"%\u{663}d\", [1]) != \"\" }\n\nr0 := 0\n",
        );
        text.extend((1..3000).map(|i| format!("r{i} := r{} + 1\n", i - 1)));
        text.push_str("\ntest_chain if { r2999 == 2999 }\n");
        let tests = run_rego_tests(
            &[("my/odd_test.rego".to_owned(), text)],
            wa_lint_rules::DEFAULT_RULE_TIMEOUT,
        )
        .unwrap_or_default();
        let outcomes: Vec<(&str, Result<(), String>)> = tests
            .iter()
            .map(|t| (t.rule.as_str(), t.outcome.clone()))
            .collect();
        assert_eq!(
            outcomes,
            [
                (
                    "data.my.odd_test.test_panic",
                    Err("the Rego interpreter panicked (could not get digit from char)".to_owned())
                ),
                ("data.my.odd_test.test_chain", Ok(()))
            ]
        );
    }

    /// A test over its time budget fails with a message in seconds (regorus' own message gives
    /// nanoseconds); the tests after it still run.
    #[test]
    fn a_runaway_rego_test_times_out_in_seconds() {
        let text = "package my.spin_test\n\nimport rego.v1\n\n\
            test_spin if { count([x | some a in numbers.range(1, 999999); some b in numbers.range(1, 999999); x := a * b]) > 0 }\n\n\
            test_fine if { 1 == 1 }\n";
        let tests = run_rego_tests(
            &[("my/spin_test.rego".to_owned(), text.to_owned())],
            std::time::Duration::from_millis(200),
        )
        .unwrap_or_default();
        let outcomes = passed(&tests);
        assert_eq!(
            outcomes,
            [
                ("data.my.spin_test.test_spin", false),
                ("data.my.spin_test.test_fine", true)
            ]
        );
        let message = tests
            .first()
            .and_then(|t| t.outcome.clone().err())
            .unwrap_or_default();
        assert!(
            message.starts_with("timed out after 0.")
                && message.ends_with("(the time budget of a test is 0.2 s)"),
            "{message}"
        );
    }
}
