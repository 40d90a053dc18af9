//! CloudFormation parameter values from the user (`--cfn-params FILE`, `--cfn-param K=V`,
//! pseudo parameters) and undecided conditions, end to end through the binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A fresh scratch directory under the target dir, named for the test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cfn_params_{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    dir
}

/// Runs the binary with `args` on `dir/src`: exit code and the JSON report.
fn run(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .current_dir(dir)
        .args(["--format", "json", "--threads", "2"])
        .args(args)
        .arg("src")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (out.status.code().unwrap(), json)
}

/// `(status, address, line, message)` of the SQS encryption findings.
fn sqs(json: &Value) -> Vec<(String, String, u64, String)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "WA-SEC08-SQS-ENCRYPTION")
        .map(|f| {
            (
                f["status"].as_str().unwrap().to_owned(),
                f["address"].as_str().unwrap().to_owned(),
                f["location"]["start_line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// `(level, code, path, line, column)` of every diagnostic.
fn diagnostics(json: &Value) -> Vec<(String, String, String, u64, u64)> {
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
                d["start_column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

const QUEUE: &str = "AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  ManagedSse:
    Type: String
    Default: 'true'
  KeyId:
    Type: String
    Default: ''
Conditions:
  HasKey: !Not [!Equals [!Ref KeyId, '']]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      SqsManagedSseEnabled: !Ref ManagedSse
      KmsMasterKeyId: !If [HasKey, !Ref KeyId, !Ref 'AWS::NoValue']
";

const DISABLED: &str = "SqsManagedSseEnabled is false and no KmsMasterKeyId is set: the queue is not encrypted at rest";

fn fail(line: u64) -> Vec<(String, String, u64, String)> {
    vec![("fail".into(), "Queue".into(), line, DISABLED.into())]
}

/// The failure at line 15, naming the parameter value it came from.
fn fail_from_value() -> Vec<(String, String, u64, String)> {
    vec![(
        "fail".into(),
        "Queue".into(),
        15,
        format!("{DISABLED} (value from parameter `ManagedSse` value)"),
    )]
}

#[test]
fn defaults_apply_without_parameters() {
    let dir = scratch("defaults");
    std::fs::write(dir.join("src/queue.yaml"), QUEUE).unwrap();
    let (code, json) = run(&dir, &[]);
    assert_eq!(sqs(&json), vec![]);
    assert_eq!(code, 0);
}

#[test]
fn aws_cli_parameter_file_overrides_defaults() {
    let dir = scratch("cli_file");
    std::fs::write(dir.join("src/queue.yaml"), QUEUE).unwrap();
    std::fs::write(
        dir.join("params.json"),
        r#"[
  {"ParameterKey": "ManagedSse", "ParameterValue": "false"},
  {"ParameterKey": "KeyId", "UsePreviousValue": true}
]"#,
    )
    .unwrap();
    let (code, json) = run(&dir, &["--cfn-params", "params.json"]);
    assert_eq!(sqs(&json), fail_from_value());
    assert_eq!(diagnostics(&json), vec![]);
    assert_eq!(code, 1);
    // The parameter file is not scanned as a template.
    assert_eq!(json["summary"]["units"], 1);
}

#[test]
fn plain_yaml_mapping_and_command_line_values() {
    let dir = scratch("plain_yaml");
    std::fs::write(dir.join("src/queue.yaml"), QUEUE).unwrap();
    std::fs::write(dir.join("params.yaml"), "ManagedSse: false\nKeyId: ''\n").unwrap();
    let (code, json) = run(&dir, &["--cfn-params", "params.yaml"]);
    assert_eq!(sqs(&json), fail_from_value());
    assert_eq!(code, 1);
    // A key given on the command line wins over the file and decides `HasKey`.
    let (code, json) = run(
        &dir,
        &[
            "--cfn-params",
            "params.yaml",
            "--cfn-param",
            "KeyId=alias/q",
        ],
    );
    assert_eq!(sqs(&json), vec![]);
    assert_eq!(code, 0);
    // `--cfn-param` alone, later values win.
    let (code, json) = run(
        &dir,
        &[
            "--cfn-param",
            "ManagedSse=false",
            "--cfn-param",
            "ManagedSse=true",
        ],
    );
    assert_eq!(sqs(&json), vec![]);
    assert_eq!(code, 0);
}

#[test]
fn codepipeline_template_configuration() {
    let dir = scratch("codepipeline");
    std::fs::write(dir.join("src/queue.yaml"), QUEUE).unwrap();
    std::fs::write(
        dir.join("config.json"),
        r#"{"Parameters": {"ManagedSse": "false"}, "Tags": {"team": "a"}}"#,
    )
    .unwrap();
    let (code, json) = run(&dir, &["--cfn-params", "config.json"]);
    assert_eq!(sqs(&json), fail_from_value());
    assert_eq!(code, 1);
}

#[test]
fn a_malformed_parameter_file_is_a_located_error() {
    let dir = scratch("malformed");
    std::fs::write(dir.join("src/queue.yaml"), QUEUE).unwrap();
    std::fs::write(
        dir.join("params.json"),
        "[\n  {\"ParameterKey\": \"ManagedSse\", \"ParameterValue\": \"false\"},\n  {\"ParameterValue\": \"x\"}\n]\n",
    )
    .unwrap();
    let (code, json) = run(&dir, &["--cfn-params", "params.json"]);
    assert_eq!(
        diagnostics(&json),
        vec![(
            "error".into(),
            "cfn::parameter-file".into(),
            "params.json".into(),
            3,
            3
        )]
    );
    let message = json["diagnostics"][0]["message"].as_str().unwrap();
    assert_eq!(message, "this entry has no `ParameterKey`");
    assert_eq!(code, 2);
    // Broken JSON (a trailing comma): the syntax error is located at the comma.
    std::fs::write(dir.join("params.json"), "{\"ManagedSse\": \"false\",\n}\n").unwrap();
    let (code, json) = run(&dir, &["--cfn-params", "params.json"]);
    let d = diagnostics(&json);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        (d[0].1.as_str(), d[0].2.as_str(), d[0].3),
        ("cfn::syntax", "params.json", 1)
    );
    assert_eq!(code, 2);
    // A scalar is not a parameter file.
    std::fs::write(dir.join("params.yaml"), "just text\n").unwrap();
    let (code, json) = run(&dir, &["--cfn-params", "params.yaml"]);
    assert_eq!(
        diagnostics(&json),
        vec![(
            "error".into(),
            "cfn::parameter-file".into(),
            "params.yaml".into(),
            1,
            1
        )]
    );
    assert_eq!(code, 2);
}

const REGIONAL: &str = "AWSTemplateFormatVersion: '2010-09-09'
Conditions:
  InUsEast: !Equals [!Ref 'AWS::Region', us-east-1]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      SqsManagedSseEnabled: !If [InUsEast, true, false]
";

#[test]
fn undecided_conditions_name_the_deciding_condition() {
    let dir = scratch("regional");
    std::fs::write(dir.join("src/queue.yaml"), REGIONAL).unwrap();
    let (code, json) = run(&dir, &[]);
    assert_eq!(
        sqs(&json),
        vec![(
            "fail".into(),
            "Queue".into(),
            8,
            format!("{DISABLED} (when `InUsEast` is false)")
        )]
    );
    assert_eq!(code, 1);
    // The region given decides the condition.
    let (code, json) = run(&dir, &["--cfn-param", "AWS::Region=us-east-1"]);
    assert_eq!(sqs(&json), vec![]);
    assert_eq!(code, 0);
    let (code, json) = run(&dir, &["--cfn-param", "AWS::Region=eu-west-1"]);
    assert_eq!(sqs(&json), fail(8));
    assert_eq!(code, 1);
}
