//! `docs/writing-rules.md` followed to the letter: every `File `PATH`:` code block of the page is
//! written to a scratch directory, then `wa-lint test` passes on it, a broken fixture makes it
//! exit 1 naming the rule and the fixture, and `--rules` uses the rule in a scan.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_wa-lint"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `(path, contents)` of every fenced block preceded by a line `File `PATH`:`.
fn doc_files() -> Vec<(String, String)> {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/writing-rules.md"),
    )
    .unwrap();
    let mut files = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(path) = line
            .strip_prefix("File `")
            .and_then(|r| r.strip_suffix("`:"))
        else {
            continue;
        };
        // Skip to the opening fence, then collect up to the closing one.
        for l in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
        }
        let mut body = String::new();
        for l in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        files.push((path.to_owned(), body));
    }
    files
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = bin().current_dir(dir).args(args).output().unwrap();
    let (out, err) = (
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    );
    assert!(!err.contains("panicked"), "{err}");
    (status.code().unwrap(), out, err)
}

const RULE: &str = "ACME-LAMBDA-RESERVED-CONCURRENCY";
const FIXTURES: &str = "my-rules/compute/lambda_reserved_concurrency/fixtures";

#[test]
fn writing_rules_guide_works_end_to_end() {
    let files = doc_files();
    assert_eq!(files.len(), 8, "rule, 6 fixtures, Rego test: {files:?}");
    let dir = scratch("custom_rules_guide");
    for (path, body) in &files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }

    // 1. Everything passes, strict coverage included.
    let (code, out, err) = run(&dir, &["test", "my-rules", "--strict"]);
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    for fixture in [
        "cfn/bad_absent.yaml",
        "cfn/good_set.yaml",
        "cfn/unknown_param.yaml",
        "tf/bad_absent.tf",
        "tf/good_set.tf",
        "tf/unknown_var.tf",
    ] {
        assert!(
            out.contains(&format!("ok   {RULE} {FIXTURES}/{fixture}")),
            "{fixture} not reported ok:\n{out}"
        );
    }
    assert!(
        out.contains(
            "ok   data.walint.rules.acme_lambda_reserved_concurrency_test.test_absent_fails"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "ok   data.walint.rules.acme_lambda_reserved_concurrency_test.test_set_passes"
        ),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{RULE} tf: bad:yes good:yes absent:yes unresolved:yes"
        )),
        "{out}"
    );
    assert!(
        out.contains("6 fixtures, 2 Rego tests: all passed"),
        "{out}"
    );

    // 2. The rule in a scan: the bad fixture fails at the resource header (absent property).
    let (code, out, _) = run(
        &dir,
        &[
            "--rules",
            "my-rules",
            "--only",
            RULE,
            "-f",
            "github",
            &format!("{FIXTURES}/tf/bad_absent.tf"),
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("::warning file=bad_absent.tf,line=1,"),
        "{out}"
    );
    assert!(out.contains(&format!("title={RULE} [low]")), "{out}");

    // 3. A good fixture that now fails: exit 1, the rule and the fixture named.
    let good = dir.join(FIXTURES).join("tf/good_set.tf");
    let text = std::fs::read_to_string(&good).unwrap();
    std::fs::write(
        &good,
        text.replace("  reserved_concurrent_executions = 10\n", ""),
    )
    .unwrap();
    let (code, out, err) = run(&dir, &["test", "my-rules"]);
    assert_eq!(code, 1, "stdout:\n{out}\nstderr:\n{err}");
    let expected = format!(
        "wa-lint: test failed: {RULE}: {FIXTURES}/tf/good_set.tf: expected no result of {RULE}, got 1 fail / 0 unknown"
    );
    assert!(err.contains(&expected), "stderr:\n{err}");
    assert!(
        out.contains(&format!("FAIL {RULE} {FIXTURES}/tf/good_set.tf")),
        "{out}"
    );
    assert!(out.contains("6 fixtures, 2 Rego tests: 1 failed"), "{out}");

    // 4. A failing Rego unit test is named too.
    let test_file = dir.join("my-rules/compute/lambda_reserved_concurrency/rule_test.rego");
    let text = std::fs::read_to_string(&test_file).unwrap();
    std::fs::write(
        &test_file,
        text.replace("count(rule.deny) == 0 with", "count(rule.deny) == 5 with"),
    )
    .unwrap();
    let (code, _, err) = run(&dir, &["test", "my-rules"]);
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "test_set_passes (my-rules/compute/lambda_reserved_concurrency/rule_test.rego)"
        ),
        "{err}"
    );
}

#[test]
fn missing_fixtures_warn_and_fail_with_strict() {
    let dir = scratch("custom_rules_missing");
    let (path, body) = doc_files().into_iter().next().unwrap();
    assert!(path.ends_with("rule.rego"));
    let p = dir.join(&path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, body).unwrap();

    let (code, _, err) = run(&dir, &["test", "my-rules"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!("wa-lint: warning: {RULE}: no fixtures under my-rules/compute/lambda_reserved_concurrency/fixtures/{{cfn,tf}}/")),
        "{err}"
    );
    let (code, _, err) = run(&dir, &["test", "my-rules", "--strict"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("{RULE}: my-rules/compute/lambda_reserved_concurrency/fixtures/cfn: missing a bad_* fixture")),
        "{err}"
    );
}

#[test]
fn rules_that_do_not_load_exit_2() {
    let dir = scratch("custom_rules_broken");
    let p = dir.join("my-rules/x/y/rule.rego");
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, "package walint.rules.y\n").unwrap();
    let (code, _, err) = run(&dir, &["test", "my-rules"]);
    assert_eq!(code, 2);
    assert!(err.contains("my-rules/x/y/rule.rego"), "{err}");
    let (code, _, err) = run(&dir, &["test", "does-not-exist"]);
    assert_eq!(code, 2);
    assert!(err.contains("does-not-exist is not a directory"), "{err}");
}

/// `--skip` / `--only` leave rules out of the evaluation itself: a skipped rule that fails on
/// every unit reports no `rule::error` (the run used to exit 2 although the rule was skipped).
#[test]
fn skipped_rules_are_not_evaluated() {
    let dir = scratch("skip_not_evaluated");
    std::fs::create_dir_all(dir.join("rules/broken")).unwrap();
    std::fs::write(
        dir.join("rules/broken/rule.rego"),
        "# METADATA\n# title: Always fails to evaluate\n# description: |\n#   What: nothing.\n\
         #   Why: a test.\n# custom:\n#   id: ACME-BROKEN\n#   severity: low\n\
         #   best_practices: [SEC06-BP01]\n#   resource_types: [AWS::S3::Bucket]\n\
         #   recommended_action: None.\npackage walint.rules.acme_broken\n\nimport rego.v1\n\n\
         deny contains r if {\n\tx := 1 / 0\n\tr := {\"address\": \"B\", \"path\": [], \"message\": sprintf(\"%v\", [x])}\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("t.yaml"),
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n",
    )
    .unwrap();
    let (code, out, err) = run(&dir, &["--rules", "rules", "-f", "json", "t.yaml"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        out.contains("ACME-BROKEN") && out.contains("rule::error"),
        "{out}"
    );

    let (code, out, err) = run(
        &dir,
        &[
            "--rules",
            "rules",
            "--skip",
            "ACME-BROKEN",
            "-f",
            "json",
            "t.yaml",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(!out.contains("rule::error"), "{out}");
    assert!(out.contains("WA-SEC04-S3-ACCESS-LOGGING"), "{out}");

    let (code, out, err) = run(
        &dir,
        &[
            "--rules",
            "rules",
            "--only",
            "WA-SEC04-S3-ACCESS-LOGGING",
            "-f",
            "json",
            "t.yaml",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(!out.contains("rule::error"), "{out}");
}

/// Library functions a custom rule may call keep their signatures when the built-in rules move
/// to faster variants (tester: `policy.allow_statements(docs)`, which the writing-rules guide
/// shows, and `iam.matched_actions(pattern, set)` silently matched nothing after a change).
#[test]
fn library_functions_keep_their_signatures_for_custom_rules() {
    let dir = scratch("library_signatures");
    std::fs::create_dir_all(dir.join("rules/risky")).unwrap();
    std::fs::write(
        dir.join("rules/risky/rule.rego"),
        "# METADATA\n# title: Risky action allowed\n# description: |\n#   What: a test.\n\
         #   Why: a test.\n# custom:\n#   id: ACME-RISKY-ACTION\n#   severity: low\n\
         #   best_practices: [SEC03-BP02]\n#   resource_types: [AWS::IAM::ManagedPolicy]\n\
         #   recommended_action: None.\npackage walint.rules.acme_risky\n\nimport rego.v1\n\n\
         import data.walint.lib\nimport data.walint.lib.iam\nimport data.walint.lib.policy\n\n\
         allow := policy.allow_statements(data.walint.lib.policy.identity_documents)\n\n\
         deny contains r if {\n\tsome s in allow\n\tsome a in iam.elements(s.stmt, \"Action\", s.path)\n\
         \tsome x in iam.matched_actions(a.value, {\"iam:PassRole\", \"s3:DeleteBucket\"})\n\
         \tr := lib.result(s.address, a.path, sprintf(\"allows %s\", [x]))\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("t.yaml"),
        "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n\
         \x20       Statement:\n          - Effect: Allow\n            Action: [IAM:passrole, 's3:Delete*']\n\
         \x20           Resource: arn:aws:s3:::b\n",
    )
    .unwrap();
    let (code, out, err) = run(
        &dir,
        &[
            "--rules",
            "rules",
            "--only",
            "ACME-RISKY-ACTION",
            "-f",
            "json",
            "t.yaml",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(!out.contains("rule::error"), "{out}");
    assert!(out.contains("allows iam:PassRole"), "{out}");
    assert!(out.contains("allows s3:DeleteBucket"), "{out}");
}

/// `wa-lint test` evaluates fixtures on a thread with the rules' stack: a rule reading a chain
/// of 3,000 rules overflowed the main thread's stack (exit 134, found by a fresh tester), while
/// a scan with `--rules` already evaluated it.
#[test]
fn test_command_evaluates_a_deep_rule_chain() {
    let dir = scratch("test-deep-chain");
    let rule_dir = dir.join("my/deep");
    std::fs::create_dir_all(rule_dir.join("fixtures/cfn")).unwrap();
    let mut rule = String::from(
        "# METADATA\n# title: deep\n# description: deep\n# custom:\n#   id: DEEP-T\n#   severity: low\n#   best_practices: [SEC06-BP01]\n#   resource_types: [AWS::EC2::SecurityGroup]\n#   recommended_action: none\npackage walint.rules.deept\n\nimport rego.v1\n\ndeny contains r if {\n\tr2999 == 2999\n\tr := {\"address\": \"Sg\", \"path\": [], \"message\": \"deep\"}\n}\n\nr0 := 0\n",
    );
    rule.extend((1..3000).map(|i| format!("r{i} := r{} + 1\n", i - 1)));
    std::fs::write(rule_dir.join("rule.rego"), rule).unwrap();
    std::fs::write(
        rule_dir.join("fixtures/cfn/bad_sg.yaml"),
        "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: ssh\n",
    )
    .unwrap();
    let (code, out, err) = run(&dir, &["test", "my"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("ok   DEEP-T"), "{out}");
    assert!(
        out.contains("1 fixtures, 0 Rego tests: all passed"),
        "{out}"
    );
}

/// A fixture on which the rule fails is reported as `rule <ID> failed: <message>` (it was Rust
/// Debug text, `[RuleError { … }]`; found by a fresh tester); here regorus panics inside the
/// rule, which is a rule error, not a crash.
#[test]
fn test_command_reports_a_failing_rule_in_words() {
    let dir = scratch("test-rule-error");
    let rule_dir = dir.join("my/odd");
    std::fs::create_dir_all(rule_dir.join("fixtures/cfn")).unwrap();
    std::fs::write(
        rule_dir.join("rule.rego"),
        "# METADATA\n# title: odd\n# description: odd\n# custom:\n#   id: ODD-T\n#   severity: low\n#   best_practices: [SEC06-BP01]\n#   resource_types: [AWS::EC2::SecurityGroup]\n#   recommended_action: none\npackage walint.rules.oddt\n\nimport rego.v1\n\ndeny contains r if {\n\ts := sprintf(\"%\u{663}d\", [1])\n\tr := {\"address\": \"Sg\", \"path\": [], \"message\": s}\n}\n",
    )
    .unwrap();
    std::fs::write(
        rule_dir.join("fixtures/cfn/bad_sg.yaml"),
        "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: ssh\n",
    )
    .unwrap();
    // Not `run`: the message itself says "panicked"; a real panic prints "thread '…' panicked".
    let output = bin()
        .current_dir(&dir)
        .args(["test", "my"])
        .output()
        .unwrap();
    let (out, err) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(!err.contains("thread '"), "{err}");
    assert_eq!(output.status.code(), Some(1), "{out}{err}");
    assert!(
        out.contains("bad_sg.yaml: rule ODD-T failed: `data.walint.rules.oddt.deny` failed: the Rego interpreter panicked (could not get digit from char)"),
        "{out}"
    );
}
