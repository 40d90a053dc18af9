//! The acceptance cases of `../shared/cases` (copied into `tests/cases/`), run end to end
//! through the `wa-lint` binary with `--format json`. Each test asserts the exit code and the
//! exact findings (rule, status, address, file, line) or diagnostics the case expects.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

struct Run {
    code: i32,
    json: Value,
}

fn scan(case: &str, extra: &[&str]) -> Run {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(case);
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--format", "json", "--threads", "2"])
        .args(extra)
        .arg(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    Run {
        code: out.status.code().unwrap(),
        json,
    }
}

/// `(rule_id, status, address, path, line)` of every finding.
fn findings(run: &Run) -> Vec<(String, String, String, String, u64)> {
    run.json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_owned(),
                f["status"].as_str().unwrap().to_owned(),
                f["address"].as_str().unwrap().to_owned(),
                f["location"]["path"].as_str().unwrap().to_owned(),
                f["location"]["start_line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// `(level, code, path, line)` of every diagnostic.
fn diagnostics(run: &Run) -> Vec<(String, String, String, u64)> {
    run.json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["level"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["path"].as_str().unwrap_or_default().to_owned(),
                d["start_line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn fail(rule: &str, address: &str, path: &str, line: u64) -> (String, String, String, String, u64) {
    (
        rule.to_owned(),
        "fail".to_owned(),
        address.to_owned(),
        path.to_owned(),
        line,
    )
}

#[test]
fn case_01_yaml_anchors_and_aliases_resolve() {
    let run = scan("01-cfn-yaml-anchors-aliases", &[]);
    assert_eq!(findings(&run), vec![]);
    assert!(
        diagnostics(&run).iter().all(|d| d.0 != "error"),
        "{:?}",
        diagnostics(&run)
    );
    assert_eq!(run.code, 0);
}

#[test]
fn case_03_comments_inside_terraform_expressions() {
    let run = scan("03-tf-comment-in-expressions", &[]);
    assert_eq!(
        findings(&run),
        vec![fail(
            "WA-SEC05-SG-ADMIN-PORTS-OPEN",
            "aws_security_group.bastion[0]",
            "main.tf",
            26
        )]
    );
    assert_eq!(diagnostics(&run), vec![]);
    assert_eq!(run.code, 1);
}

#[test]
fn case_04_short_tags_load_and_other_yaml_is_skipped_quietly() {
    let run = scan("04-cfn-short-tags-mixed-repo", &[]);
    assert_eq!(
        findings(&run),
        vec![fail(
            "WA-SEC03-IAM-ADMIN-STAR",
            "DeployRole",
            "template.yaml",
            19
        )]
    );
    assert_eq!(diagnostics(&run), vec![]);
    assert_eq!(run.code, 1);
}

#[test]
fn case_08_split_sse_resource_with_conditional_algorithm_passes() {
    let run = scan("08-s3-sse-conditional-algorithm", &[]);
    assert_eq!(findings(&run), vec![]);
    assert_eq!(diagnostics(&run), vec![]);
    assert_eq!(run.code, 0);
}

#[test]
fn case_11_standalone_ingress_from_a_security_group_passes() {
    let run = scan("11-cfn-standalone-ingress-attached", &[]);
    assert_eq!(findings(&run), vec![]);
    assert_eq!(diagnostics(&run), vec![]);
    assert_eq!(run.code, 0);
}

#[test]
fn case_14_deny_statements_with_wildcards_pass() {
    let run = scan("14-cfn-iam-deny-wildcards", &[]);
    assert_eq!(findings(&run), vec![]);
    assert_eq!(run.code, 0);
}

#[test]
fn case_18_all_protocols_in_the_second_entry_is_found_once() {
    let run = scan("18-cfn-sg-all-protocols-second-entry", &[]);
    assert_eq!(
        findings(&run),
        vec![fail(
            "WA-SEC05-SG-ALL-PORTS-OPEN",
            "WindowsSecurityGroup",
            "template.yaml",
            14
        )]
    );
    assert_eq!(run.code, 1);
}

#[test]
fn case_24_duplicate_keys_are_errors_and_the_other_file_is_still_checked() {
    let run = scan("24-cfn-duplicate-keys-no-crash", &[]);
    let diags = diagnostics(&run);
    let dup: Vec<_> = diags
        .iter()
        .filter(|d| d.1 == "cfn::duplicate-key")
        .map(|d| (d.2.as_str(), d.3))
        .collect();
    assert_eq!(dup, vec![("bad.yaml", 14), ("bad.yaml", 15)]);
    let found = findings(&run);
    assert!(
        found.contains(&fail(
            "WA-SEC05-SG-ADMIN-PORTS-OPEN",
            "RdpSecurityGroup",
            "ok.yaml",
            12
        )),
        "{found:?}"
    );
    // bad.yaml is evaluated last-wins: 0.0.0.0/0 on TCP 22 at line 14, never the first value.
    assert!(
        found.contains(&fail(
            "WA-SEC05-SG-ADMIN-PORTS-OPEN",
            "AdminSecurityGroup",
            "bad.yaml",
            14
        )),
        "{found:?}"
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(run.code, 2);
}

#[test]
fn case_06_sam_template_with_if_is_scanned_and_state_machine_json_skipped() {
    let run = scan("06-sam-template-with-if-detected", &[]);
    assert_eq!(
        findings(&run),
        vec![fail(
            "WA-SEC05-SG-ADMIN-PORTS-OPEN",
            "WorkerSecurityGroup",
            "template.yaml",
            37
        )]
    );
    assert_eq!(diagnostics(&run), vec![]);
    assert_eq!(run.json["summary"]["units"], 1);
    assert_eq!(run.json["skipped"], serde_json::json!(["workflow.asl.json"]));
    assert_eq!(run.code, 1);
}
