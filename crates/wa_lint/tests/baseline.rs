//! Baselines end to end: write one, then fail only on new findings; fingerprints survive
//! moved lines; a broken baseline file is an error located in it.

mod ci_common;

use ci_common::{diagnostics, findings, run, scratch, ssh_group, write, ADMIN};

#[test]
fn adopt_then_fail_only_on_new_findings() {
    let dir = scratch("baseline_adopt");
    let repo = dir.join("repo");
    write(&repo, &[("main.tf", &ssh_group("old"))]);
    let file = dir.join("baseline.json");
    let file_arg = file.to_str().unwrap();

    // Writing the baseline reports the current findings as baselined.
    let (code, json) = run(&["--write-baseline", file_arg], &repo);
    assert_eq!(findings(&json)[0].1, "suppressed");
    assert_eq!(json["findings"][0]["suppression"]["kind"], "external");
    assert_eq!(
        json["findings"][0]["suppression"]["justification"],
        "baseline"
    );
    assert_eq!(code, 0);
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written["version"], 1);
    assert_eq!(written["findings"].as_array().unwrap().len(), 1);
    assert_eq!(written["findings"][0]["rule_id"], ADMIN);
    assert_eq!(written["findings"][0]["address"], "aws_security_group.old");

    // Same repo, lines moved: still baselined (the fingerprint has no line numbers).
    write(
        &repo,
        &[("main.tf", &format!("\n\n\n{}", ssh_group("old")))],
    );
    let (code, json) = run(&["--baseline", file_arg], &repo);
    assert_eq!(
        findings(&json),
        vec![(
            ADMIN.into(),
            "suppressed".into(),
            "aws_security_group.old".into(),
            10
        )]
    );
    assert_eq!(code, 0);
    // The SARIF fingerprint is the baseline's.
    let sarif_out = std::process::Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--format", "sarif", "--baseline", file_arg])
        .arg(&repo)
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&sarif_out.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(
        result["partialFingerprints"]["waLintFinding/v1"],
        written["findings"][0]["fingerprint"]
    );
    assert_eq!(result["suppressions"][0]["kind"], "external");

    // A new finding fails; the old one stays baselined.
    write(&repo, &[("new.tf", &ssh_group("new"))]);
    let (code, json) = run(&["--baseline", file_arg], &repo);
    let got: Vec<(String, String)> = findings(&json).into_iter().map(|f| (f.2, f.1)).collect();
    assert_eq!(
        got,
        vec![
            ("aws_security_group.old".into(), "suppressed".into()),
            ("aws_security_group.new".into(), "fail".into()),
        ]
    );
    assert_eq!(code, 1);

    // The config file names the baseline too (relative to the scan root).
    std::fs::copy(&file, repo.join("wa-lint-baseline.json")).unwrap();
    write(
        &repo,
        &[(".wa-lint.toml", "baseline = \"wa-lint-baseline.json\"\n")],
    );
    let (code, json) = run(&[], &repo);
    assert_eq!(findings(&json)[0].1, "suppressed");
    assert_eq!(code, 1);
}

#[test]
fn broken_baseline_is_an_error_in_the_file() {
    let dir = scratch("baseline_broken");
    write(
        &dir,
        &[
            ("repo/main.tf", &ssh_group("web")),
            (
                "b.json",
                "{\n  \"version\": 1,\n  \"findings\": [oops]\n}\n",
            ),
        ],
    );
    let b = dir.join("b.json");
    let (code, json) = run(&["--baseline", b.to_str().unwrap()], &dir.join("repo"));
    let d = diagnostics(&json);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].0, "error");
    assert_eq!(d[0].1, "baseline::invalid");
    assert!(d[0].2.ends_with("b.json"));
    assert_eq!(findings(&json)[0].1, "fail");
    assert_eq!(code, 2);
}
