//! Suppressions end to end: inline comments in HCL and YAML, CloudFormation `Metadata` (own
//! key and the checkov, `cfn_nag` and guard keys), reasons, expiry, instance keys, unused
//! suppressions, and how suppressed findings show in each format.

mod ci_common;

use std::process::Command;

use ci_common::{diagnostics, findings, run, scratch, ssh_group, ssh_template, write, ADMIN};

fn one(dir: &std::path::Path) -> (i32, serde_json::Value) {
    run(&[], dir)
}

#[test]
fn comment_above_the_resource_suppresses_with_its_reason() {
    let dir = scratch("suppress_above");
    let text = format!(
        "# wa-lint:ignore {ADMIN}, WA-SEC05-SG-ALL-PORTS-OPEN reason=\"bastion, reviewed\"\n{}",
        ssh_group("web")
    );
    write(&dir, &[("main.tf", &text)]);
    let (code, json) = one(&dir);
    assert_eq!(
        findings(&json),
        vec![(
            ADMIN.into(),
            "suppressed".into(),
            "aws_security_group.web".into(),
            8
        )]
    );
    let s = &json["findings"][0]["suppression"];
    assert_eq!(s["kind"], "inSource");
    assert_eq!(s["justification"], "bastion, reviewed");
    assert_eq!(s["was"], "fail");
    assert_eq!(s["location"]["start_line"], 1);
    // The second ID matched nothing: reported as unused, at the comment.
    assert_eq!(
        diagnostics(&json),
        vec![(
            "warning".into(),
            "suppress::unused".into(),
            "main.tf".into(),
            1
        )]
    );
    assert!(json["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("WA-SEC05-SG-ALL-PORTS-OPEN"));
    assert_eq!(json["summary"]["suppressed"], 1);
    assert_eq!(json["summary"]["failed"], 0);
    assert_eq!(code, 0);
}

#[test]
fn trailing_comment_and_attribute_comment() {
    // Without a comment: where is the finding?
    let dir = scratch("suppress_attr");
    write(&dir, &[("main.tf", &ssh_group("web"))]);
    let (_, json) = one(&dir);
    let line = findings(&json)[0].3 as usize;
    assert!(line > 1, "the finding points inside the resource");
    // A comment on the line above the attribute the finding points at.
    let mut lines: Vec<String> = ssh_group("web").lines().map(str::to_owned).collect();
    lines.insert(
        line - 1,
        format!("    # wa-lint:ignore {ADMIN} reason=\"vpn only\""),
    );
    write(&dir, &[("main.tf", &lines.join("\n"))]);
    let (code, json) = one(&dir);
    assert_eq!(findings(&json)[0].1, "suppressed", "{json:#}");
    assert_eq!(code, 0);
    // A trailing comment on the resource's first line, short ID in lower case.
    let text = ssh_group("web").replacen(
        "{\n",
        "{ # wa-lint:ignore sg-admin-ports-open reason=\"x\"\n",
        1,
    );
    write(&dir, &[("main.tf", &text)]);
    let (code, json) = one(&dir);
    assert_eq!(findings(&json)[0].1, "suppressed");
    assert_eq!(code, 0);
    // A comment separated by a blank line applies to nothing.
    let text = format!(
        "# wa-lint:ignore {ADMIN} reason=\"x\"\n\n{}",
        ssh_group("web")
    );
    write(&dir, &[("main.tf", &text)]);
    let (code, json) = one(&dir);
    assert_eq!(findings(&json)[0].1, "fail");
    assert_eq!(diagnostics(&json)[0].1, "suppress::unused");
    assert_eq!(code, 1);
}

#[test]
fn reason_required_expiry_and_unknown_ids() {
    let dir = scratch("suppress_reason");
    let cases = [
        (
            format!("# wa-lint:ignore {ADMIN}\n"),
            "fail",
            "suppress::missing-reason",
            1,
        ),
        (
            format!("# wa-lint:ignore {ADMIN} reason=\"old\" expires=2000-01-01\n"),
            "fail",
            "suppress::expired",
            1,
        ),
        (
            format!("# wa-lint:ignore {ADMIN} reason=\"new\" expires=2999-12-31\n"),
            "suppressed",
            "",
            0,
        ),
        (
            format!("# wa-lint:ignore {ADMIN} reason=\"x\" expires=soon\n"),
            "fail",
            "suppress::bad-date",
            1,
        ),
        (
            format!("# wa-lint:ignore {ADMIN} WA-NOPE reason=\"x\"\n"),
            "suppressed",
            "suppress::unknown-rule",
            0,
        ),
    ];
    for (comment, status, code_expected, exit) in cases {
        write(
            &dir,
            &[("main.tf", &format!("{comment}{}", ssh_group("web")))],
        );
        let (code, json) = one(&dir);
        assert_eq!(findings(&json)[0].1, status, "{comment}");
        let d = diagnostics(&json);
        if code_expected.is_empty() {
            assert_eq!(d, vec![], "{comment}");
        } else {
            assert_eq!(
                d,
                vec![("warning".into(), code_expected.into(), "main.tf".into(), 1)],
                "{comment}"
            );
        }
        assert_eq!(code, exit, "{comment}");
    }
}

#[test]
fn instance_key_limits_a_for_each_suppression() {
    let dir = scratch("suppress_key");
    let text = format!(
        r#"# wa-lint:ignore[a] {ADMIN} reason="a is the bastion"
resource "aws_security_group" "web" {{
  for_each = {{ a = 22, b = 22 }}
  name     = each.key
  ingress {{
    from_port   = each.value
    to_port     = each.value
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}
"#
    );
    write(&dir, &[("main.tf", &text)]);
    let (code, json) = one(&dir);
    let mut got: Vec<(String, String)> = findings(&json).into_iter().map(|f| (f.2, f.1)).collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("aws_security_group.web[\"a\"]".into(), "suppressed".into()),
            ("aws_security_group.web[\"b\"]".into(), "fail".into()),
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn yaml_comment_and_cloudformation_metadata() {
    let dir = scratch("suppress_cfn");
    // A comment on the line above the logical ID.
    let text = ssh_template("").replace(
        "  Sg:\n",
        &format!("  # wa-lint:ignore {ADMIN} reason=\"jump host\"\n  Sg:\n"),
    );
    write(&dir, &[("t.yaml", &text)]);
    let (code, json) = one(&dir);
    assert_eq!(findings(&json)[0].1, "suppressed");
    assert_eq!(
        json["findings"][0]["suppression"]["justification"],
        "jump host"
    );
    assert_eq!(code, 0);

    let metadata = [
        // wa-lint's own key.
        (format!("    Metadata:\n      wa-lint:\n        ignore:\n          - id: {ADMIN}\n            reason: jump host\n"), "suppressed", vec![]),
        // Without a reason: not applied, a warning at the entry.
        (format!("    Metadata:\n      wa-lint:\n        ignore:\n          - id: {ADMIN}\n"), "fail", vec![("warning", "suppress::missing-reason", 8)]),
        // checkov (CKV_AWS_24 = SSH open, mapped through the catalog).
        ("    Metadata:\n      checkov:\n        skip:\n          - id: CKV_AWS_24\n            comment: migrated\n".to_owned(), "suppressed", vec![]),
        // cfn_nag with our ID.
        (format!("    Metadata:\n      cfn_nag:\n        rules_to_suppress:\n          - id: {ADMIN}\n            reason: migrated\n"), "suppressed", vec![]),
        // guard: rule names, no reason field.
        ("    Metadata:\n      guard:\n        SuppressedRules:\n          - INCOMING_SSH_DISABLED\n".to_owned(), "suppressed", vec![]),
        // A peer ID wa-lint does not map is ignored quietly.
        ("    Metadata:\n      checkov:\n        skip:\n          - id: CKV_AWS_999999\n            comment: other tool\n".to_owned(), "fail", vec![]),
    ];
    for (meta, status, diags) in metadata {
        write(&dir, &[("t.yaml", &ssh_template(&meta))]);
        let (_, json) = one(&dir);
        assert_eq!(findings(&json)[0].1, status, "{meta}");
        let got: Vec<(String, String, u64)> = diagnostics(&json)
            .into_iter()
            .map(|d| (d.0, d.1, d.3))
            .collect();
        let want: Vec<(String, String, u64)> = diags
            .iter()
            .map(|(l, c, n)| ((*l).into(), (*c).into(), *n))
            .collect();
        assert_eq!(got, want, "{meta}");
    }
}

#[test]
fn suppressed_findings_in_human_and_sarif() {
    let dir = scratch("suppress_formats");
    write(
        &dir,
        &[(
            "main.tf",
            &format!(
                "# wa-lint:ignore {ADMIN} reason=\"bastion\"\n{}",
                ssh_group("web")
            ),
        )],
    );
    let human = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
            .args(["--color", "never"])
            .args(extra)
            .arg(&dir)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    let quiet = human(&[]);
    assert!(!quiet.contains(ADMIN), "{quiet}");
    assert!(
        quiet
            .lines()
            .last()
            .unwrap()
            .starts_with("0 findings, 1 suppressed"),
        "{quiet}"
    );
    let verbose = human(&["-v"]);
    assert!(
        verbose.contains(&format!("{ADMIN} [high] [suppressed: bastion]")),
        "{verbose}"
    );

    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--format", "sarif"])
        .arg(&dir)
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["suppressions"][0]["kind"], "inSource");
    assert_eq!(result["suppressions"][0]["justification"], "bastion");
    assert_eq!(
        result["suppressions"][0]["location"]["physicalLocation"]["region"]["startLine"],
        1
    );
    assert_eq!(result["level"], "error");
}
