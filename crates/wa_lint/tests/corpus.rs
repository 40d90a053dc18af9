//! The "must hold" checks of the foundation issue on the real corpus in `../shared/corpus`
//! (next to the checkout, as on CI): exact findings at exact lines, error handling over the
//! whole corpus, and byte-identical output with 1 and 2 threads.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn corpus(rel: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(rel);
    assert!(
        path.exists(),
        "the shared corpus is expected next to the checkout: {}",
        path.display()
    );
    path
}

fn run(args: &[&str], path: &PathBuf) -> (i32, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code().unwrap(), out.stdout, stderr)
}

fn json(path: &PathBuf) -> (i32, Value) {
    let (code, stdout, stderr) = run(&["--format", "json"], path);
    (
        code,
        serde_json::from_slice(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}")),
    )
}

fn has(json: &Value, rule: &str, address: &str, path: &str, line: u64) -> bool {
    json["findings"].as_array().unwrap().iter().any(|f| {
        f["rule_id"] == rule
            && f["status"] == "fail"
            && f["address"] == address
            && f["location"]["path"] == path
            && f["location"]["start_line"] == line
    })
}

#[test]
fn terragoat_reports_the_planted_problems_at_their_lines() {
    let (code, json) = json(&corpus("terragoat"));
    assert_eq!(code, 1);
    let db = "terraform/aws/db-app.tf";
    assert!(has(
        &json,
        "WA-SEC08-RDS-ENCRYPTION",
        "aws_db_instance.default",
        db,
        19
    ));
    assert!(has(
        &json,
        "WA-SEC05-RDS-PUBLIC",
        "aws_db_instance.default",
        db,
        22
    ));
    let ec2 = "terraform/aws/ec2.tf";
    // the port-22 ingress block of `web-node` (cidr_blocks of the second ingress block)
    let ssh = json["findings"].as_array().unwrap().iter().find(|f| {
        f["rule_id"] == "WA-SEC05-SG-ADMIN-PORTS-OPEN"
            && f["address"] == "aws_security_group.web-node"
    });
    let ssh = ssh.expect("SSH open to the world on web-node");
    assert_eq!(ssh["location"]["path"], ec2);
    assert_eq!(ssh["attr_path"], "ingress[1].cidr_blocks");
    assert!(has(
        &json,
        "WA-SEC08-EBS-VOLUME-ENCRYPTION",
        "aws_ebs_volume.web_host_storage",
        ec2,
        34
    ));
    assert!(has(
        &json,
        "WA-SEC08-KMS-ROTATION",
        "aws_kms_key.logs_key",
        "terraform/aws/kms.tf",
        1
    ));
}

#[test]
fn ssh_location_default_is_named_in_both_template_formats() {
    for (file, line) in [
        ("Ubuntu22.04_cfn-hup.yaml", 157),
        ("Ubuntu22.04_cfn-hup.json", 171),
    ] {
        let (code, json) = json(&corpus(&format!(
            "aws-cfn-templates/Solutions/OperatingSystems/{file}"
        )));
        assert_eq!(code, 1, "{file}");
        let f = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| {
                f["rule_id"] == "WA-SEC05-SG-ADMIN-PORTS-OPEN"
                    && f["address"] == "InstanceSecurityGroup"
            })
            .unwrap_or_else(|| panic!("{file}: no SSH finding"));
        assert_eq!(f["location"]["path"], file);
        assert_eq!(f["location"]["start_line"], line, "{file}");
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("parameter `SSHLocation` default"),
            "{f}"
        );
    }
}

#[test]
fn whole_corpus_finishes_with_errors_reported_and_same_bytes_on_1_and_2_threads() {
    let root = corpus("");
    let (code1, out1, _) = run(&["--format", "json", "--threads", "1"], &root);
    let (code2, out2, _) = run(&["--format", "json", "--threads", "2"], &root);
    assert_eq!(
        code1, 2,
        "broken templates in cfn-lint-fixtures must make the exit code 2"
    );
    assert_eq!(code2, 2);
    assert!(out1 == out2, "output differs between 1 and 2 threads");
    let json: Value = serde_json::from_slice(&out1).unwrap();
    let diags = json["diagnostics"].as_array().unwrap();
    // every error names a file and a line
    for d in diags.iter().filter(|d| d["level"] == "error") {
        assert!(d["path"].as_str().is_some_and(|p| !p.is_empty()), "{d}");
    }
    // non-template YAML/JSON never produces diagnostics
    assert!(!diags.iter().any(|d| d["path"]
        .as_str()
        .is_some_and(|p| p.ends_with("package.json"))));
    assert!(json["findings"].as_array().unwrap().len() > 100);
}
