//! Helpers shared by the end-to-end tests of suppressions, configuration, baselines and CI
//! controls.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A fresh scratch directory under the target dir, named for the test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `files` (relative path, text) under `dir`.
pub fn write(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Exit code, JSON report and stderr of `wa-lint --format json ARGS PATH`.
pub fn run(args: &[&str], path: &Path) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--format", "json"])
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (out.status.code().unwrap(), json)
}

/// `(rule_id, status, address, line)` of every finding.
pub fn findings(json: &Value) -> Vec<(String, String, String, u64)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_owned(),
                f["status"].as_str().unwrap().to_owned(),
                f["address"].as_str().unwrap().to_owned(),
                f["location"]["start_line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// `(level, code, path, line)` of every diagnostic.
pub fn diagnostics(json: &Value) -> Vec<(String, String, String, u64)> {
    json["diagnostics"]
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

pub const ADMIN: &str = "WA-SEC05-SG-ADMIN-PORTS-OPEN";

/// A Terraform security group open to the world on SSH; the finding is on line 7
/// (`cidr_blocks`) or nearby, resource header on line `1 + offset`.
pub fn ssh_group(name: &str) -> String {
    format!(
        r#"resource "aws_security_group" "{name}" {{
  name = "{name}"
  ingress {{
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}
"#
    )
}

/// A CloudFormation template with a security group open to the world on SSH, with `metadata`
/// (YAML lines indented for the resource) inserted under the resource.
pub fn ssh_template(metadata: &str) -> String {
    format!(
        "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
{metadata}    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
"
    )
}
