//! CDK output: findings carry the `aws:cdk:path` construct path of their resource.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn scan(format: &str) -> Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cdk.out");
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--format", format, "--only", "WA-SEC05-SG-ADMIN-PORTS-OPEN"])
        .arg(&dir)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn json_and_sarif_name_the_construct() {
    let json = scan("json");
    let paths: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["address"].as_str().unwrap(),
                f["construct_path"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        paths,
        [
            ("AdminSg5C8E7F1A", "AppStack/Admin/Resource"),
            ("SshSgA1B2C3D4", "AppStack/Network/Ssh/Resource")
        ]
    );
    let sarif = scan("sarif");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(
        results[0]["properties"]["cdkConstructPath"],
        "AppStack/Admin/Resource"
    );
}
