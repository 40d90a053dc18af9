//! `.wa-lint.toml` end to end: every setting, flags winning over it, and errors that point
//! into the file (exit code 2).

mod ci_common;

use ci_common::{diagnostics, findings, run, scratch, ssh_group, write, ADMIN};

#[test]
fn settings_apply_and_flags_win() {
    let dir = scratch("config_settings");
    write(
        &dir,
        &[
            ("main.tf", &ssh_group("web")),
            ("legacy/main.tf", &ssh_group("legacy")),
        ],
    );
    // Baseline: two findings, high.
    let (code, json) = run(&[], &dir);
    assert_eq!(findings(&json).len(), 2);
    assert_eq!(code, 1);

    write(
        &dir,
        &[(
            ".wa-lint.toml",
            "fail-on = \"critical\"\nexclude = [\"legacy/**\"]\n",
        )],
    );
    let (code, json) = run(&[], &dir);
    assert_eq!(
        findings(&json),
        vec![(
            ADMIN.into(),
            "fail".into(),
            "aws_security_group.web".into(),
            7
        )]
    );
    assert_eq!(code, 0, "high is below fail-on = critical");
    let (code, _) = run(&["--fail-on", "high"], &dir);
    assert_eq!(code, 1, "the flag wins");
    let (code, _) = run(&["--no-config"], &dir);
    assert_eq!(code, 1);

    write(
        &dir,
        &[(
            ".wa-lint.toml",
            &format!("exclude = [\"legacy\"]\n[rules.severity]\n\"{ADMIN}\" = \"critical\"\n"),
        )],
    );
    let (_, json) = run(&[], &dir);
    assert_eq!(json["findings"][0]["severity"], "critical");
    let rule = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == ADMIN)
        .unwrap();
    assert_eq!(rule["severity"], "critical");

    write(
        &dir,
        &[(".wa-lint.toml", "[rules]\nskip = [\"SEC05-BP02\"]\n")],
    );
    let (code, json) = run(&[], &dir);
    assert_eq!(findings(&json), vec![]);
    assert_eq!(code, 0);
}

#[test]
fn errors_point_into_the_config_file() {
    let dir = scratch("config_errors");
    write(&dir, &[("main.tf", &ssh_group("web"))]);
    let cases = [
        ("fail-on = \"loud\"\n", "config::invalid", 1, 11),
        ("exclude = []\nfial-on = \"low\"\n", "config::invalid", 2, 1),
        (
            "[rules]\nskip = [\"WA-NOPE\"]\n",
            "config::unknown-rule",
            2,
            9,
        ),
        ("[rules\n", "config::invalid", 1, 7),
    ];
    for (text, code_expected, line, column) in cases {
        write(&dir, &[(".wa-lint.toml", text)]);
        let (code, json) = run(&[], &dir);
        let d = &json["diagnostics"][0];
        assert_eq!(
            diagnostics(&json).len(),
            1,
            "{text}: {:?}",
            diagnostics(&json)
        );
        assert_eq!(d["code"], code_expected, "{text}");
        assert_eq!(d["path"], ".wa-lint.toml", "{text}");
        assert_eq!(
            (d["start_line"].as_u64(), d["start_column"].as_u64()),
            (Some(line), Some(column)),
            "{text}"
        );
        // The scan still ran.
        assert_eq!(findings(&json).len(), 1, "{text}");
        assert_eq!(code, 2, "{text}");
    }
    // The human format shows the snippet of the config file.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--color", "never"])
        .arg(&dir)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(".wa-lint.toml:1:7"), "{text}");
}
