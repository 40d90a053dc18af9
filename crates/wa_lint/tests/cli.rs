//! Command-line behaviour: exit codes, error handling, output files, thread independence.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_wa-lint"))
}

/// A fresh scratch directory under the target dir, named for the test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn json_of(args: &[&str], path: &Path) -> (i32, Value) {
    let out = bin()
        .args(["--format", "json"])
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().unwrap(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

const OPEN_SSH: &str = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
";

#[test]
fn a_missing_path_is_a_usage_error() {
    let out = bin().arg("does/not/exist").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("path not found: does/not/exist"));
}

#[test]
fn a_thread_count_above_1024_is_a_usage_error() {
    // Unbounded, `-j 100000` spent minutes starting threads before scanning anything.
    let dir = scratch("threads");
    let out = bin().args(["-j", "100000"]).arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("100000 is not in 0..=1024"), "{stderr}");
    let (code, _) = json_of(&["-j", "1024"], &dir);
    assert_eq!(code, 0);
}

#[test]
fn an_empty_directory_is_clean() {
    let dir = scratch("empty");
    let (code, json) = json_of(&[], &dir);
    assert_eq!(code, 0);
    assert_eq!(json["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn invalid_utf8_is_an_error_at_its_line_and_other_files_are_checked() {
    let dir = scratch("utf8");
    let mut bad = b"AWSTemplateFormatVersion: '2010-09-09'\nDescription: caf".to_vec();
    bad.extend_from_slice(&[0xE9, b'\n']);
    bad.extend_from_slice(b"Resources: {}\n");
    std::fs::write(dir.join("latin1.yaml"), bad).unwrap();
    std::fs::write(dir.join("ok.yaml"), OPEN_SSH).unwrap();
    // Non-template YAML with bad bytes is skipped quietly.
    std::fs::write(dir.join("notes.yaml"), [b'a', b':', b' ', 0xFF, b'\n']).unwrap();
    let (code, json) = json_of(&[], &dir);
    assert_eq!(code, 2);
    let diags = json["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "source::invalid-utf8");
    assert_eq!(diags[0]["path"], "latin1.yaml");
    assert_eq!(diags[0]["start_line"], 2);
    assert_eq!(diags[0]["start_column"], 17);
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["location"]["path"], "ok.yaml");
}

#[test]
fn fail_on_sets_the_threshold_and_output_goes_to_a_file() {
    let dir = scratch("fail_on");
    std::fs::write(dir.join("t.yaml"), OPEN_SSH).unwrap();
    let high = bin()
        .args(["--fail-on", "critical"])
        .arg(&dir)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(
        high.code(),
        Some(0),
        "a high finding does not fail --fail-on critical"
    );
    let out = dir.join("report.sarif");
    let status = bin()
        .args(["--format", "sarif", "--output"])
        .arg(&out)
        .arg(dir.join("t.yaml"))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "WA-SEC05-SG-ADMIN-PORTS-OPEN");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "t.yaml"
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        8
    );
}

#[test]
fn a_closed_pipe_is_a_clean_exit() {
    let dir = scratch("pipe");
    for i in 0..200 {
        std::fs::write(dir.join(format!("t{i}.yaml")), OPEN_SSH).unwrap();
    }
    let mut child = bin()
        .args(["--color", "never"])
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn the_same_bytes_with_one_and_many_threads() {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let run = |threads: &str| {
        bin()
            .args(["--format", "sarif", "--threads", threads])
            .arg(&cases)
            .output()
            .unwrap()
            .stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert!(one == run("4"));
}

#[test]
fn a_terraform_directory_whose_only_file_is_broken_is_an_error() {
    let dir = scratch("tf_all_broken");
    std::fs::create_dir_all(dir.join("h")).unwrap();
    // an unclosed block: the module's only file does not parse
    std::fs::write(
        dir.join("h/main.tf"),
        "resource \"aws_security_group\" \"a\" {\n  ingress {\n    from_port = 22\n  }\n",
    )
    .unwrap();
    let (code, json) = json_of(&[], &dir);
    assert_eq!(code, 2);
    let diags = json["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "tf::syntax");
    assert_eq!(diags[0]["path"], "h/main.tf");
}

#[test]
fn explain_accepts_the_short_id() {
    let out = bin()
        .args(["explain", "sg-admin-ports-open"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("WA-SEC05-SG-ADMIN-PORTS-OPEN"));
    let out = bin().args(["explain", "no-such-rule"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
