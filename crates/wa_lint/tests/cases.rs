//! The acceptance cases of `../shared/cases` (copied into `tests/cases/`), run end to end
//! through the `wa-lint` binary with `--format json`. Each test asserts the exit code and the
//! exact findings (rule, status, address, file, line) or diagnostics the case expects.
//!
//! The cases name the rules they are about descriptively; the pack has grown since they were
//! written (an S3 bucket without access logging is a finding of its own). A case whose
//! expectation is "zero findings, exit 0" is therefore run with `--only` the rules it is about,
//! so that its exit code is still asserted exactly.

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
    let run = scan(
        "01-cfn-yaml-anchors-aliases",
        &["--only", "WA-SEC08-S3-ENCRYPTION"],
    );
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
    let run = scan(
        "08-s3-sse-conditional-algorithm",
        &["--only", "WA-SEC08-S3-ENCRYPTION"],
    );
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
    assert_eq!(
        run.json["skipped"],
        serde_json::json!(["workflow.asl.json"])
    );
    assert_eq!(run.code, 1);
}

/// Case 28: several suppression IDs in one comment (trivy-style `wa-lint:ignore:ID` tokens, in
/// any order) suppress every listed rule on the resource below; the resource without a comment
/// keeps its one active finding.
#[test]
fn case_28_suppress_multiple_ids_one_comment() {
    let run = scan("28-suppress-multiple-ids-one-comment", &[]);
    // Count only the three rules named in the comments.
    let named = |rule: &str| {
        [
            "S3-PUBLIC-ACL",
            "S3-ACCESS-LOGGING",
            "S3-PUBLIC-ACCESS-BLOCK",
            "S3-BLOCK-PUBLIC-ACCESS",
        ]
        .iter()
        .any(|n| rule.ends_with(n))
    };
    let all: Vec<_> = findings(&run).into_iter().filter(|f| named(&f.0)).collect();
    let active: Vec<_> = all.iter().filter(|f| f.1 != "suppressed").collect();
    assert_eq!(active.len(), 1, "{all:?}");
    let (rule, status, address, path, line) = active[0];
    assert!(rule.ends_with("S3-PUBLIC-ACL"), "{rule}");
    assert_eq!(
        (status.as_str(), address.as_str(), path.as_str(), *line),
        ("fail", "aws_s3_bucket_acl.private", "main.tf", 19)
    );
    for address in [
        "aws_s3_bucket.site",
        "aws_s3_bucket_acl.site",
        "aws_s3_bucket.private",
    ] {
        let on: Vec<_> = all.iter().filter(|f| f.2 == address).collect();
        assert!(
            !on.is_empty(),
            "no finding of the named rules on {address}: {all:?}"
        );
        assert!(on.iter().all(|f| f.1 == "suppressed"), "{on:?}");
    }
    // The justification of a reason-less token suppression says so.
    let suppressed = run.json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["status"] == "suppressed")
        .unwrap();
    assert_eq!(suppressed["suppression"]["kind"], "inSource");
    assert_eq!(
        suppressed["suppression"]["justification"],
        "no reason given"
    );
    assert_eq!(run.code, 1);
}

#[test]
fn case_12_sqs_key_from_a_parameter_without_default_passes() {
    let run = scan("12-cfn-sqs-kms-ref-parameter", &[]);
    // InboundQueue: a key is configured (known only at deploy): no result of any status.
    let sqs: Vec<_> = findings(&run)
        .into_iter()
        .filter(|f| f.0 == "WA-SEC08-SQS-ENCRYPTION")
        .collect();
    assert_eq!(
        sqs,
        vec![fail(
            "WA-SEC08-SQS-ENCRYPTION",
            "OutboundQueue",
            "template.yaml",
            16
        )]
    );
    assert!(
        findings(&run)
            .iter()
            .all(|f| f.2 != "InboundQueue" || f.1 != "fail"),
        "{:?}",
        findings(&run)
    );
    assert_eq!(diagnostics(&run), vec![]);
    assert_eq!(run.code, 1);
}

/// Case 23 expects zero findings: every volume is encrypted. Rules added since about the
/// instance itself (`IMDSv2`, its security groups) may fail on the resource header; what the
/// case is about is that no volume and no condition produces a finding, quickly.
fn assert_case_23(json: &Value, code: i32) {
    let all = json["findings"].as_array().unwrap();
    for f in all {
        let message = f["message"].as_str().unwrap();
        assert_ne!(f["rule_id"], "WA-SEC08-EBS-VOLUME-ENCRYPTION", "{f}");
        let path = f["attr_path"].as_str().unwrap();
        assert!(!path.starts_with("BlockDeviceMappings"), "{f}");
        assert!(!message.contains("condition"), "{message}");
    }
    let fails = all.iter().any(|f| f["status"] == "fail");
    assert_eq!(code, i32::from(fails));
}

#[test]
fn case_23_many_conditions_finish_quickly_without_findings() {
    let start = std::time::Instant::now();
    let run = scan("23-cfn-many-conditions-time-bound", &[]);
    let elapsed = start.elapsed();
    assert!(elapsed.as_secs_f64() < 10.0, "took {elapsed:?}");
    assert_case_23(&run.json, run.code);
    assert_eq!(diagnostics(&run), vec![]);
    // The rules the case is about (encryption at rest): zero findings, exit code 0.
    let run = scan(
        "23-cfn-many-conditions-time-bound",
        &["--only", "SEC08-BP02"],
    );
    assert_eq!(findings(&run), vec![]);
    assert_eq!(run.code, 0);
    // The same template with every size left to deploy time (no defaults): 24 free conditions,
    // explored with a bounded covering set (26 scenarios, not 2^24), still no volume finding.
    let dir = std::env::temp_dir().join(format!("wa-lint-case23-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/cases/23-cfn-many-conditions-time-bound/template.yaml"),
    )
    .unwrap()
    .replace("    Default: 0\n", "");
    assert!(!text.contains("Default"));
    std::fs::write(dir.join("template.yaml"), text).unwrap();
    let start = std::time::Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--format", "json", "--threads", "2"])
        .arg(&dir)
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(elapsed.as_secs_f64() < 10.0, "took {elapsed:?}");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    assert_case_23(&json, out.status.code().unwrap());
}

#[test]
fn case_05_tf_json_with_comment_keys_and_provider_aliases() {
    let run = scan("05-tfjson-cdktf-comments-provider-alias", &[]);
    let found = findings(&run);
    // The case predates the access-logging rules: compare the rules it is about.
    let about: Vec<_> = found
        .iter()
        .filter(|f| f.0.starts_with("WA-SEC05-SG-") || f.0.starts_with("WA-SEC08-S3-"))
        .cloned()
        .collect();
    assert_eq!(
        about,
        vec![fail(
            "WA-SEC05-SG-ADMIN-PORTS-OPEN",
            "aws_security_group.admin",
            "main.tf.json",
            38
        )]
    );
    // `//` keys, `null` arguments and the provider list with an alias: no diagnostics.
    assert_eq!(diagnostics(&run), vec![]);
    assert_eq!(run.code, 1);
}

/// Findings of the rules whose ids start with one of `prefixes` (a case is about those rules;
/// other rules may also apply to its resources).
fn findings_about(run: &Run, prefixes: &[&str]) -> Vec<(String, String, String, String, u64)> {
    findings(run)
        .into_iter()
        .filter(|f| prefixes.iter().any(|p| f.0.starts_with(p)))
        .collect()
}

#[test]
fn case_09_count_from_a_conditional_resolves_the_key_instance() {
    let run = scan("09-s3-sse-count-conditional", &[]);
    assert_eq!(
        findings_about(&run, &["WA-SEC08-S3-ENCRYPTION", "WA-SEC08-KMS"]),
        vec![]
    );
    assert_eq!(diagnostics(&run), vec![]);
}

#[test]
fn case_16_module_is_evaluated_with_its_call_arguments_not_defaults() {
    for variant in [None, Some("secret = random_password.db.result")] {
        let dir = tempfile_copy("16-tf-sibling-module-defaults", variant);
        let run = scan_path(&dir, &[]);
        assert_eq!(findings(&run), vec![], "variant {variant:?}");
        assert_eq!(diagnostics(&run), vec![], "variant {variant:?}");
        assert_eq!(run.code, 0, "variant {variant:?}");
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// Copies directory `from` (recursively, hidden entries included) to `to`.
fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A copy of case `case` in a temporary directory; with `uncomment`, the commented line
/// `# <uncomment>` of main.tf is uncommented (case variants).
fn tempfile_copy(case: &str, uncomment: Option<&str>) -> std::path::PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(case);
    let dst = std::env::temp_dir().join(format!(
        "wa-lint-{case}-{}-{}",
        std::process::id(),
        uncomment.is_some()
    ));
    copy(&src, &dst);
    if let Some(line) = uncomment {
        let main = dst.join("main.tf");
        let text = std::fs::read_to_string(&main).unwrap();
        let commented = format!("# {line}");
        assert!(text.contains(&commented));
        std::fs::write(&main, text.replace(&commented, line)).unwrap();
    }
    dst
}

fn scan_path(dir: &Path, extra: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--format", "json", "--threads", "2"])
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    Run {
        code: out.status.code().unwrap(),
        json: serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}")),
    }
}

#[test]
fn case_19_terraform_tfvars_json_is_loaded() {
    let run = scan("19-tfvars-json-disables-encryption", &[]);
    assert_eq!(
        findings(&run),
        vec![fail(
            "WA-SEC08-EBS-VOLUME-ENCRYPTION",
            "aws_ebs_volume.this[\"scratch\"]",
            "main.tf",
            14
        )]
    );
    let related = &run.json["findings"][0]["related"][0]["location"];
    assert_eq!(related["path"], "terraform.tfvars.json");
    assert_eq!(related["start_line"], 3);
    assert_eq!(diagnostics(&run), vec![]);
    assert_eq!(run.code, 1);
}

#[test]
fn case_20_dynamic_block_fed_by_locals() {
    let run = scan("20-tf-dynamic-ingress-from-locals", &[]);
    assert_eq!(
        findings(&run),
        vec![fail(
            "WA-SEC05-SG-ADMIN-PORTS-OPEN",
            "aws_security_group.edge",
            "main.tf",
            19
        )]
    );
    let related = &run.json["findings"][0]["related"][0]["location"];
    assert_eq!(related["path"], "main.tf");
    assert_eq!(related["start_line"], 4);
    assert_eq!(run.code, 1);
}

#[test]
fn case_21_unknown_dynamic_for_each_does_not_panic() {
    let run = scan("21-tf-dynamic-unknown-foreach-no-panic", &[]);
    // At most one finding, marked unknown, at the rule inside the dynamic block: one
    // uncertainty (the ports of an entry open to the world) is reported once.
    let found = findings(&run);
    assert_eq!(
        found,
        vec![(
            "WA-SEC05-SG-ADMIN-PORTS-OPEN".to_owned(),
            "unknown".to_owned(),
            "aws_security_group.svc".to_owned(),
            "main.tf".to_owned(),
            15
        )]
    );
    let expected_diagnostics = vec![
        (
            "error".to_owned(),
            "tf::invalid-block".to_owned(),
            "degenerate.tf".to_owned(),
            1,
        ),
        (
            "error".to_owned(),
            "tf::invalid-block".to_owned(),
            "degenerate.tf".to_owned(),
            2,
        ),
        (
            "error".to_owned(),
            "tf::invalid-reference".to_owned(),
            "degenerate.tf".to_owned(),
            3,
        ),
    ];
    assert_eq!(diagnostics(&run), expected_diagnostics);
    assert_eq!(run.code, 2);

    let run = scan(
        "21-tf-dynamic-unknown-foreach-no-panic",
        &["--var", "features={admin_ssh=true}"],
    );
    assert_eq!(
        findings(&run),
        vec![fail(
            "WA-SEC05-SG-ADMIN-PORTS-OPEN",
            "aws_security_group.svc",
            "main.tf",
            15
        )]
    );
    assert_eq!(diagnostics(&run), expected_diagnostics);
    assert_eq!(run.code, 2);
}

#[test]
fn case_26_downloaded_module_is_located_at_the_call_in_sarif() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/26-sarif-remote-module-uri");
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--format", "sarif", "--threads", "2"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert!(run["tool"]["driver"]["name"]
        .as_str()
        .is_some_and(|n| !n.is_empty()));
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{results:#?}");
    let result = &results[0];
    assert_eq!(result["ruleId"], "WA-SEC05-SG-ADMIN-PORTS-OPEN");
    let rule_ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(rule_ids.contains(&"WA-SEC05-SG-ADMIN-PORTS-OPEN"));
    let primary = &result["locations"][0]["physicalLocation"];
    assert_eq!(primary["artifactLocation"]["uri"], "main.tf");
    assert_eq!(primary["region"]["startLine"], 1);
    assert_eq!(primary["region"]["endLine"], 4);
    let related = result["relatedLocations"].as_array().unwrap();
    assert!(related.iter().any(|r| {
        let p = &r["physicalLocation"];
        p["artifactLocation"]["uri"] == ".terraform/modules/shared_sg/security-group/main.tf"
            && p["region"]["startLine"] == 14
    }));
    // Every artifact location: relative, no scheme, no git::, a base id, a real line.
    let text = serde_json::to_string(&sarif).unwrap();
    let mut uris = Vec::new();
    collect_locations(&sarif, &mut uris);
    assert!(!uris.is_empty());
    for (uri, base, line) in uris {
        assert!(
            !uri.is_empty() && !uri.contains("://") && !uri.starts_with('/'),
            "{uri}"
        );
        assert!(!uri.contains("git::"), "{uri}");
        assert!(base.is_some(), "{uri} has no uriBaseId");
        assert!(line.is_none_or(|l| l >= 1), "{uri}");
    }
    assert!(
        !text.contains("\"uri\":\"git::"),
        "the remote source is not a uri"
    );
}

/// `(uri, uriBaseId, region.startLine)` of every physical location in a SARIF value.
fn collect_locations(v: &Value, out: &mut Vec<(String, Option<String>, Option<u64>)>) {
    match v {
        Value::Object(map) => {
            if let Some(p) = map.get("physicalLocation") {
                out.push((
                    p["artifactLocation"]["uri"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    p["artifactLocation"]["uriBaseId"]
                        .as_str()
                        .map(str::to_owned),
                    p["region"]["startLine"].as_u64(),
                ));
            }
            map.values().for_each(|x| collect_locations(x, out));
        }
        Value::Array(items) => items.iter().for_each(|x| collect_locations(x, out)),
        _ => {}
    }
}
