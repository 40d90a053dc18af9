//! `wa-lint test DIR…`: run the fixtures and Rego unit tests of custom rules directories, with
//! the same layout, naming and checks as the built-in pack's harness
//! ([`wa_lint_linter::fixtures`]).
//!
//! Output (stdout): one line per fixture (`ok`/`FAIL RULE-ID fixtures/cfn/bad_x.yaml: why`), one
//! per Rego test, a coverage table (per rule and origin: bad, good, absent, unresolved), and a
//! closing line. Exit code: 0 when everything passes, 1 when a fixture or Rego test fails (or,
//! with `--strict`, a rule lacks a kind of fixture), 2 when the rules do not load.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use anyhow::Context;
use wa_lint_linter::fixtures::{self, Origin};
use wa_lint_rules::RulePack;

use crate::cli::TestArgs;

/// Counts over all directories.
#[derive(Default)]
struct Tally {
    fixtures: usize,
    rego: usize,
    failures: Vec<String>,
    warnings: Vec<String>,
}

/// Runs the tests of every directory; returns the exit code.
pub fn run(args: &TestArgs) -> anyhow::Result<u8> {
    // Fixtures are evaluated here: rules need the rules' stack (`wa_lint_rules::STACK_BYTES`).
    wa_lint_rules::on_rule_stack(|| run_here(args))?
}

/// [`run`] on the calling thread.
fn run_here(args: &TestArgs) -> anyhow::Result<u8> {
    let mut tally = Tally::default();
    let mut out = String::new();
    for dir in &args.dirs {
        match test_dir(dir, args.strict, &mut tally, &mut out) {
            Ok(()) => {}
            Err(e) => {
                print(&out)?;
                eprintln!("wa-lint: error: {e:#}");
                return Ok(2);
            }
        }
    }
    let _ = writeln!(
        out,
        "\n{} fixtures, {} Rego tests: {}",
        tally.fixtures,
        tally.rego,
        if tally.failures.is_empty() {
            "all passed".to_owned()
        } else {
            format!("{} failed", tally.failures.len())
        }
    );
    print(&out)?;
    for w in &tally.warnings {
        eprintln!("wa-lint: warning: {w}");
    }
    if tally.failures.is_empty() {
        Ok(0)
    } else {
        for f in &tally.failures {
            eprintln!("wa-lint: test failed: {f}");
        }
        Ok(1)
    }
}

fn print(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// Tests one rules directory.
fn test_dir(dir: &Path, strict: bool, tally: &mut Tally, out: &mut String) -> anyhow::Result<()> {
    anyhow::ensure!(dir.is_dir(), "{} is not a directory", dir.display());
    let pack = RulePack::load(&[dir.to_path_buf()])
        .with_context(|| format!("cannot load the rules under {}", dir.display()))?;
    let prefix = dir.to_string_lossy().replace('\\', "/");
    let prefix = prefix.trim_end_matches('/');
    let dirs = match fixtures::rule_dirs(&pack, &format!("{prefix}/")) {
        Ok(d) => d,
        Err(misplaced) => {
            tally.failures.extend(misplaced);
            return Ok(());
        }
    };
    let rego = fixtures::rego_files(dir).map_err(anyhow::Error::msg)?;
    let has_tests = rego.iter().any(|(p, _)| p.ends_with("_test.rego"));
    anyhow::ensure!(
        !dirs.is_empty() || has_tests,
        "no rules (<area>/<rule>/rule.rego with METADATA) and no *_test.rego under {}",
        dir.display()
    );
    let _ = writeln!(out, "{prefix}: {} rules", dirs.len());

    let mut coverage_rows = Vec::new();
    for (rule_dir, &index) in &dirs {
        let meta = pack.rules().get(index).context("rule index out of range")?;
        let id = meta.id.as_str();
        let path = dir.join(rule_dir);
        let shown = if rule_dir.is_empty() {
            prefix.to_owned()
        } else {
            format!("{prefix}/{rule_dir}")
        };
        let mut any = false;
        for origin in Origin::ALL {
            let files = fixtures::fixtures(&path, origin);
            let names: Vec<String> = files
                .iter()
                .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect();
            let declared = fixtures::declares(&meta.resource_types, origin);
            if declared || !names.is_empty() {
                let cov = fixtures::coverage(&names);
                let marks: Vec<String> = ["bad", "good", "absent", "unresolved"]
                    .iter()
                    .zip(cov.iter())
                    .map(|(label, (_, present))| {
                        format!("{label}:{}", if *present { "yes" } else { "NO" })
                    })
                    .collect();
                coverage_rows.push(format!("  {id} {}: {}", origin.dir(), marks.join(" ")));
                for problem in fixtures::completeness(&shown, origin, &names) {
                    let msg = format!("{id}: {problem}");
                    if strict {
                        tally.failures.push(msg);
                    } else {
                        tally.warnings.push(msg);
                    }
                }
            }
            for file in &files {
                any = true;
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let display = format!("{shown}/fixtures/{}/{name}", origin.dir());
                let outcome = fixtures::check_fixture(&pack, index, origin, file, &display);
                tally.fixtures += 1;
                if outcome.problems.is_empty() {
                    let _ = writeln!(out, "ok   {id} {display}");
                } else {
                    for p in outcome.problems {
                        let _ = writeln!(out, "FAIL {id} {p}");
                        tally.failures.push(format!("{id}: {p}"));
                    }
                }
            }
        }
        if !any {
            let msg = format!("{id}: no fixtures under {shown}/fixtures/{{cfn,tf}}/");
            if strict {
                tally.failures.push(msg);
            } else {
                tally.warnings.push(msg);
            }
        }
    }

    // Rego unit tests: the user's modules with the built-in pack (for `walint.lib.*`).
    if has_tests {
        let mut modules: Vec<(String, String)> = wa_lint_rules::builtin_sources()
            .into_iter()
            .filter(|(p, _)| !p.ends_with("_test.rego"))
            .collect();
        modules.extend(rego.into_iter().map(|(p, t)| (format!("{prefix}/{p}"), t)));
        let tests = fixtures::run_rego_tests(&modules, wa_lint_rules::DEFAULT_RULE_TIMEOUT)
            .map_err(anyhow::Error::msg)?;
        for t in tests.iter().filter(|t| t.module.starts_with(prefix)) {
            tally.rego += 1;
            match &t.outcome {
                Ok(()) => {
                    let _ = writeln!(out, "ok   {} ({})", t.rule, t.module);
                }
                Err(why) => {
                    let _ = writeln!(out, "FAIL {} ({}): {why}", t.rule, t.module);
                    tally
                        .failures
                        .push(format!("{} ({}): {why}", t.rule, t.module));
                }
            }
        }
    }

    if !coverage_rows.is_empty() {
        let _ = writeln!(out, "\ncoverage ({prefix}):");
        for row in coverage_rows {
            let _ = writeln!(out, "{row}");
        }
    }
    Ok(())
}
