//! Terraform plan JSON end to end: the plan alone reports in the plan file; the plan next to
//! its module reports the same findings at the same HCL lines as the module alone.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// `(rule_id, status, address, path, line, column)` of a finding.
type Row = (String, String, String, String, u64, u64);

/// The rules the fixture was written for (the pack has more, e.g. S3 secure transport).
const RULES: &str = "WA-SEC08-EBS-VOLUME-ENCRYPTION,WA-SEC08-KMS-ROTATION,WA-SEC04-S3-ACCESS-LOGGING,WA-SEC05-SG-ADMIN-PORTS-OPEN";

/// Every finding of [`RULES`], the JSON report and the exit code.
fn scan(args: &[&str]) -> (Vec<Row>, Value, i32) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plan");
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--format", "json", "--only", RULES])
        .args(
            args.iter()
                .map(|a| a.replace("{dir}", &dir.to_string_lossy())),
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |v: &Value| v.as_str().unwrap().to_owned();
            (
                s(&f["rule_id"]),
                s(&f["status"]),
                s(&f["address"]),
                s(&f["location"]["path"]),
                f["location"]["start_line"].as_u64().unwrap(),
                f["location"]["start_column"].as_u64().unwrap(),
            )
        })
        .collect();
    (findings, json, out.status.code().unwrap())
}

fn fail(rule: &str, address: &str, path: &str, line: u64, column: u64) -> Row {
    (
        rule.to_owned(),
        "fail".to_owned(),
        address.to_owned(),
        path.to_owned(),
        line,
        column,
    )
}

#[test]
fn the_plan_alone_reports_in_the_plan_file() {
    let (findings, json, code) = scan(&["{dir}/plan.json"]);
    assert_eq!(
        findings,
        vec![
            // Not configured (the plan's computed `encrypted` is left out): the resource header.
            fail(
                "WA-SEC08-EBS-VOLUME-ENCRYPTION",
                "aws_ebs_volume.data",
                "plan.json",
                169,
                18
            ),
            // `"enable_key_rotation": false` in `change.after`.
            fail(
                "WA-SEC08-KMS-ROTATION",
                "aws_kms_key.logs",
                "plan.json",
                220,
                11
            ),
            fail(
                "WA-SEC04-S3-ACCESS-LOGGING",
                "aws_s3_bucket.logs",
                "plan.json",
                240,
                18
            ),
            fail(
                "WA-SEC05-SG-ADMIN-PORTS-OPEN",
                "aws_security_group.bastion",
                "plan.json",
                365,
                15
            ),
        ]
    );
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    assert_eq!(json["summary"]["units"], 1);
    assert_eq!(code, 1);
}

#[test]
fn the_plan_with_its_module_reports_at_the_hcl_lines_of_the_module_alone() {
    let (hcl, _, hcl_code) = scan(&["--exclude", "plan.json", "{dir}"]);
    assert_eq!(
        hcl,
        vec![
            fail(
                "WA-SEC04-S3-ACCESS-LOGGING",
                "aws_s3_bucket.logs",
                "main.tf",
                19,
                1
            ),
            fail(
                "WA-SEC08-KMS-ROTATION",
                "aws_kms_key.logs",
                "main.tf",
                34,
                1
            ),
            fail(
                "WA-SEC08-EBS-VOLUME-ENCRYPTION",
                "aws_ebs_volume.data",
                "main.tf",
                39,
                1
            ),
            fail(
                "WA-SEC05-SG-ADMIN-PORTS-OPEN",
                "aws_security_group.bastion",
                "main.tf",
                54,
                5
            ),
        ]
    );
    let (both, json, code) = scan(&["{dir}"]);
    // Same findings, once each (the module's own unit is not evaluated when a plan is linked).
    assert_eq!(both, hcl);
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    assert_eq!(json["summary"]["units"], 1);
    assert_eq!((code, hcl_code), (1, 1));
    // The values are the plan's: rotation is explicitly false there.
    let kms = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "WA-SEC08-KMS-ROTATION")
        .unwrap();
    assert!(
        kms["message"]
            .as_str()
            .unwrap()
            .starts_with("enable_key_rotation is false: automatic key rotation is off"),
        "{kms}"
    );
}
