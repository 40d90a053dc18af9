//! `action.yml` end to end without network: the `run:` scripts of the composite action are run
//! with bash in a temporary git repository, with the step's `env:` set as GitHub sets it from
//! the inputs' defaults, `GITHUB_OUTPUT`/`GITHUB_PATH`/`GITHUB_STEP_SUMMARY` as files, and the
//! built `wa-lint` on PATH (so the install step finds it and downloads nothing).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use saphyr::{LoadableYamlNode, Yaml};

fn action() -> Yaml<'static> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../action.yml"))
            .unwrap();
    Yaml::load_from_str(&text).unwrap().remove(0)
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Replaces `${{ inputs.NAME }}` by the input's default and `${{ steps.run.outputs.exit-code }}`
/// by `exit_code`; other expressions are not used in `env:`.
fn expand(value: &str, defaults: &BTreeMap<String, String>, exit_code: &str) -> String {
    let v = value.trim();
    if let Some(name) = v
        .strip_prefix("${{ inputs.")
        .and_then(|r| r.strip_suffix(" }}"))
    {
        return defaults.get(name).cloned().unwrap_or_default();
    }
    match v {
        "${{ steps.run.outputs.exit-code }}" => exit_code.to_owned(),
        "${{ github.action_path }}" => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .display()
            .to_string(),
        other => {
            assert!(!other.contains("${{"), "unexpanded expression {other}");
            other.to_owned()
        }
    }
}

struct Env {
    dir: PathBuf,
    output: PathBuf,
    path_file: PathBuf,
    summary: PathBuf,
    temp: PathBuf,
}

/// Runs step `name` of the action; returns exit code and stdout.
fn run_step(action: &Yaml, name: &str, env: &Env, exit_code: &str) -> (i32, String) {
    let defaults: BTreeMap<String, String> = action["inputs"]
        .as_mapping()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().unwrap().to_owned(),
                v["default"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let step = action["runs"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("step {name}"));
    assert_eq!(step["shell"].as_str(), Some("bash"));
    let script = step["run"].as_str().unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_wa-lint")).parent().unwrap();
    let mut cmd = Command::new("bash");
    cmd.current_dir(&env.dir)
        .arg("-e")
        .arg("-c")
        .arg(script)
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin_dir.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("GITHUB_OUTPUT", &env.output)
        .env("GITHUB_PATH", &env.path_file)
        .env("GITHUB_STEP_SUMMARY", &env.summary)
        .env("RUNNER_TEMP", &env.temp)
        .env_remove("GITHUB_SERVER_URL");
    if let Some(vars) = step["env"].as_mapping() {
        for (k, v) in vars {
            cmd.env(
                k.as_str().unwrap(),
                expand(v.as_str().unwrap_or_default(), &defaults, exit_code),
            );
        }
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn action_steps_scan_report_and_fail() {
    let action = action();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let upload = action["runs"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| s.as_mapping_get("uses").is_some())
        .unwrap();
    assert_eq!(
        upload["uses"].as_str(),
        Some("github/codeql-action/upload-sarif@v3")
    );
    assert_eq!(
        upload["with"]["sarif_file"].as_str(),
        Some("${{ inputs.sarif-file }}")
    );

    let dir = scratch("action_repo");
    assert!(Command::new("git")
        .current_dir(&dir)
        .args(["init", "-q"])
        .status()
        .unwrap()
        .success());
    std::fs::write(
        dir.join("db.yaml"),
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n      StorageEncrypted: true\n      PubliclyAccessible: true\n",
    )
    .unwrap();
    let temp = dir.join(".runner-temp");
    std::fs::create_dir_all(&temp).unwrap();
    let env = Env {
        output: temp.join("output"),
        path_file: temp.join("path"),
        summary: temp.join("summary.md"),
        temp: temp.clone(),
        dir: dir.clone(),
    };

    // Install: wa-lint is on PATH, nothing is downloaded or built.
    let (code, out) = run_step(&action, "Install wa-lint", &env, "");
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("using "), "{out}");
    assert!(out.contains("wa-lint 0."), "{out}");

    // Run: annotations on stdout, SARIF file, job summary, exit code as output; the step
    // itself succeeds so the upload runs.
    let (code, out) = run_step(&action, "Run wa-lint", &env, "");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("::error file=db.yaml,line=8,endLine=8,col=7,"),
        "{out}"
    );
    assert!(
        out.contains("title=WA-SEC05-RDS-PUBLIC [critical]"),
        "{out}"
    );
    assert!(out.contains("wa-lint exited with 1"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&env.output).unwrap(),
        "exit-code=1\n"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("wa-lint.sarif")).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "WA-SEC05-RDS-PUBLIC"
        && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "db.yaml"));
    let summary = std::fs::read_to_string(&env.summary).unwrap();
    assert!(
        summary.starts_with("## wa-lint: ⚠️ failed findings\n"),
        "{summary}"
    );
    assert!(
        summary.contains("| `WA-SEC05-RDS-PUBLIC` | `Db` | `db.yaml:8` |"),
        "{summary}"
    );

    // Fail: the job fails with wa-lint's code; a clean run passes.
    let (code, out) = run_step(&action, "Fail on findings", &env, "1");
    assert_eq!(code, 1);
    assert!(
        out.contains("::error title=wa-lint::wa-lint exited with 1"),
        "{out}"
    );
    let (code, _) = run_step(&action, "Fail on findings", &env, "0");
    assert_eq!(code, 0);
}
