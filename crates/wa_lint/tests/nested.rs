//! Nested stacks and cross-stack `Export`/`Fn::ImportValue`, end to end through the binary
//! (`tests/fixtures/nested`).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The fixtures are about security-group findings located through nested stacks and
/// exports; other rules of the pack (e.g. SNS encryption) are left out.
fn scan(dir: &str) -> (i32, Value) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--format", "json", "--threads", "2", "--only", "SEC05"])
        .arg(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (out.status.code().unwrap(), json)
}

fn loc(v: &Value) -> (String, u64, u64) {
    (
        v["path"].as_str().unwrap().to_owned(),
        v["start_line"].as_u64().unwrap(),
        v["start_column"].as_u64().unwrap(),
    )
}

fn related(f: &Value) -> Vec<(String, u64, u64, String)> {
    f["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (p, l, c) = loc(&r["location"]);
            (p, l, c, r["message"].as_str().unwrap().to_owned())
        })
        .collect()
}

#[test]
fn nested_stack_is_evaluated_with_the_parameters_its_parent_passes() {
    let (code, json) = scan("nested");
    assert_eq!(code, 1);
    let findings = json["findings"].as_array().unwrap();
    let nested: Vec<_> = findings
        .iter()
        .filter(|f| f["location"]["path"] == "stacks/sg.yaml")
        .collect();
    // Once, with the parent's values (0.0.0.0/0 on 22); never alone with its defaults.
    assert_eq!(nested.len(), 1, "{findings:#?}");
    let f = nested[0];
    assert_eq!(f["address"], "Sg");
    assert_eq!(loc(&f["location"]), ("stacks/sg.yaml".into(), 18, 11));
    assert!(f["message"].as_str().unwrap().contains("port 22"), "{f}");
    assert_eq!(
        related(f),
        vec![
            (
                "parent.yaml".into(),
                12,
                15,
                "parameter `Cidr` default is set here".into()
            ),
            (
                "parent.yaml".into(),
                7,
                3,
                "nested stack created by `Network` in parent.yaml".into()
            ),
        ]
    );
    // The child is not a unit of its own: parent, child (through the parent), app, network.
    assert_eq!(json["summary"]["units"], 4);
}

#[test]
fn import_value_resolves_to_the_export_of_another_template() {
    let (_, json) = scan("nested");
    let findings = json["findings"].as_array().unwrap();
    let app: Vec<_> = findings
        .iter()
        .filter(|f| f["location"]["path"] == "app.yaml")
        .collect();
    assert_eq!(app.len(), 1, "{findings:#?}");
    let f = app[0];
    assert_eq!(f["address"], "AppSg");
    assert_eq!(loc(&f["location"]), ("app.yaml".into(), 11, 11));
    assert_eq!(
        f["message"],
        "tcp port 3389 (RDP) is open to 0.0.0.0/0 (value from export `shared-open-cidr`)"
    );
    assert_eq!(
        related(f),
        vec![(
            "network.yaml".into(),
            7,
            12,
            "export `shared-open-cidr` is set here".into()
        )]
    );
    assert_eq!(findings.len(), 2, "{findings:#?}");
}

#[test]
fn cdk_nested_stack_asset_is_linked_to_its_parent_through_aws_asset_path() {
    let (code, json) = scan("cdk.out");
    assert_eq!(code, 1);
    let findings = json["findings"].as_array().unwrap();
    let got: Vec<_> = findings
        .iter()
        .map(|f| {
            let (p, l, _) = loc(&f["location"]);
            (f["address"].as_str().unwrap().to_owned(), p, l)
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "AdminSg5C8E7F1A".to_owned(),
                "AppStack.template.json".to_owned(),
                9
            ),
            (
                "SshSgA1B2C3D4".to_owned(),
                "AppStackNetwork1B2C3D4E.nested.template.json".to_owned(),
                9
            ),
        ]
    );
    // The nested asset gets the parent's value 0.0.0.0/0 and points back at the stack resource.
    let nested = &findings[1];
    assert_eq!(
        related(nested).last().unwrap(),
        &(
            "AppStack.template.json".to_owned(),
            20,
            3,
            "nested stack created by `NetworkNestedStackNetworkNestedStackResource7A9C1F0B` in AppStack.template.json".to_owned()
        )
    );
    // manifest.json is not a template; the nested asset is not a unit of its own.
    assert_eq!(json["summary"]["units"], 2);
}

/// `(path, line)` of every finding.
fn finding_lines(json: &Value) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let (path, line, _) = loc(&f["location"]);
            (path, line)
        })
        .collect();
    out.sort();
    out
}

/// Every template of a cycle of nested stacks is nested by another, so none was a unit and
/// their resources were not checked at all (0 findings, exit 0). The first in file order is
/// now a unit and builds the others once.
#[test]
fn templates_in_a_cycle_of_nested_stacks_are_checked_once() {
    let (code, json) = scan("nested-cycle");
    assert_eq!(code, 1);
    assert_eq!(
        finding_lines(&json),
        [
            ("a.yaml".to_owned(), 12),
            ("b.yaml".to_owned(), 12),
            ("self.yaml".to_owned(), 12)
        ]
    );
}

/// A chain of 11 nested stacks: the root builds 8 levels; the ninth template, which no unit
/// reached, is a unit of its own and builds the tenth.
#[test]
fn nested_stacks_past_the_depth_limit_are_units_of_their_own() {
    let (code, json) = scan("nested-deep");
    assert_eq!(code, 1);
    let mut expected: Vec<(String, u64)> = (0..10).map(|i| (format!("t{i:02}.yaml"), 12)).collect();
    expected.push(("t10.yaml".to_owned(), 8));
    assert_eq!(finding_lines(&json), expected);
}
