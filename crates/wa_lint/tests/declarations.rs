//! CloudFormation Parameters/Outputs and Terraform variables/outputs through the binary:
//! WA-SEC02-CFN-PARAM-NOECHO and WA-SEC02-IAM-SECRET-KEY-OUTPUT, with exact locations.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const RULES: &str = "WA-SEC02-CFN-PARAM-NOECHO,WA-SEC02-IAM-SECRET-KEY-OUTPUT";

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `(rule, address, path, line, column)` of every finding, sorted as reported.
fn findings(path: &Path) -> Vec<(String, String, String, u64, u64)> {
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--format", "json", "--only", RULES])
        .arg(path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["errors"], 0, "{json}");
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_owned(),
                f["address"].as_str().unwrap().to_owned(),
                f["attr_path"].as_str().unwrap().to_owned(),
                f["location"]["start_line"].as_u64().unwrap(),
                f["location"]["start_column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn row(
    rule: &str,
    address: &str,
    path: &str,
    line: u64,
    col: u64,
) -> (String, String, String, u64, u64) {
    (rule.into(), address.into(), path.into(), line, col)
}

const BAD_CFN: &str = "AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  DBPassword:
    Type: String
    Default: hunter2hunter2
  DBUser:
    Type: String
Resources:
  Db:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      MasterUsername: !Ref DBUser
      MasterUserPassword: !Ref DBPassword
  User:
    Type: AWS::IAM::User
  Key:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: !Ref User
Outputs:
  KeyId:
    Value: !Ref Key
  KeySecret:
    Value: !Sub '${Key.SecretAccessKey}'
";

const GOOD_CFN: &str = "AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  DBPassword:
    Type: String
    NoEcho: true
Resources:
  Db:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      MasterUsername: admin
      MasterUserPassword: !Ref DBPassword
  User:
    Type: AWS::IAM::User
  Key:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: !Ref User
Outputs:
  KeyId:
    Value: !Ref Key
";

#[test]
fn cloudformation_parameters_and_outputs() {
    let dir = scratch("declarations_cfn");
    std::fs::write(dir.join("bad.yaml"), BAD_CFN).unwrap();
    assert_eq!(
        findings(&dir.join("bad.yaml")),
        vec![
            // NoEcho is absent: located at the parameter's name.
            row(
                "WA-SEC02-CFN-PARAM-NOECHO",
                "Parameters.DBPassword",
                "NoEcho",
                3,
                3
            ),
            row(
                "WA-SEC02-CFN-PARAM-NOECHO",
                "Parameters.DBPassword",
                "Default",
                5,
                5
            ),
            row(
                "WA-SEC02-IAM-SECRET-KEY-OUTPUT",
                "Outputs.KeySecret",
                "Value",
                25,
                5
            ),
        ]
    );
    std::fs::write(dir.join("good.yaml"), GOOD_CFN).unwrap();
    assert_eq!(findings(&dir.join("good.yaml")), vec![]);
}

#[test]
fn terraform_variables_and_outputs_through_a_child_module() {
    let dir = scratch("declarations_tf");
    let keys = dir.join("modules/keys");
    std::fs::create_dir_all(&keys).unwrap();
    std::fs::write(
        keys.join("main.tf"),
        "resource \"aws_iam_user\" \"ci\" {\n  name = \"ci\"\n}\n\nresource \"aws_iam_access_key\" \"ci\" {\n  user = aws_iam_user.ci.name\n}\n\noutput \"secret\" {\n  value     = aws_iam_access_key.ci.secret\n  sensitive = true\n}\n\noutput \"id\" {\n  value = aws_iam_access_key.ci.id\n}\n",
    )
    .unwrap();
    let root = dir.join("live");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("main.tf"),
        "variable \"master_password\" {\n  type = string\n}\n\nmodule \"keys\" {\n  source = \"../modules/keys\"\n}\n\nresource \"aws_rds_cluster\" \"db\" {\n  engine          = \"aurora-postgresql\"\n  master_username = \"admin\"\n  master_password = var.master_password\n}\n\noutput \"key_id\" {\n  value = module.keys.id\n}\n\noutput \"key_secret\" {\n  value     = module.keys.secret\n  sensitive = true\n}\n",
    )
    .unwrap();
    // `modules/keys` is called by `live`, so it is not a root: its own `output "secret"` is not
    // reported, the root output that reads it through `module.keys.secret` is.
    assert_eq!(
        findings(&dir),
        vec![
            row(
                "WA-SEC02-CFN-PARAM-NOECHO",
                "var.master_password",
                "sensitive",
                1,
                1
            ),
            row(
                "WA-SEC02-IAM-SECRET-KEY-OUTPUT",
                "output.key_secret",
                "value",
                20,
                3
            ),
        ]
    );
    std::fs::write(
        root.join("main.tf"),
        "variable \"master_password\" {\n  type      = string\n  sensitive = true\n}\n\nresource \"aws_rds_cluster\" \"db\" {\n  engine          = \"aurora-postgresql\"\n  master_username = \"admin\"\n  master_password = var.master_password\n}\n",
    )
    .unwrap();
    assert_eq!(findings(&root), vec![]);
}
