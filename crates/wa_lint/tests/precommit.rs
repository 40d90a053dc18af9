//! `.pre-commit-hooks.yaml` end to end: the hook's `entry` is run as pre-commit runs it (entry,
//! `args`, then the staged file names matching `files`) in a temporary git repository, with the
//! built `wa-lint` on PATH.

use std::path::{Path, PathBuf};
use std::process::Command;

use saphyr::{LoadableYamlNode, Yaml};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `(entry, files regex)` of the hook `id`.
fn hook(id: &str) -> (String, String) {
    let text = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let docs = Yaml::load_from_str(&text).unwrap();
    let hooks = docs[0].as_sequence().unwrap();
    let h = hooks
        .iter()
        .find(|h| h["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("hook {id}"));
    assert_eq!(h["pass_filenames"].as_bool(), Some(true));
    assert_eq!(h["require_serial"].as_bool(), Some(true));
    (
        h["entry"].as_str().unwrap().to_owned(),
        h["files"].as_str().unwrap().to_owned(),
    )
}

/// Splits `bash -c '<script>' <name>` (the entry's only shape) into the script and `$0`.
fn split_entry(entry: &str) -> (String, String) {
    let rest = entry
        .strip_prefix("bash -c '")
        .expect("entry is bash -c '…'");
    let (script, name) = rest.rsplit_once("' ").unwrap();
    assert!(!script.contains('\''), "no nested single quotes");
    (script.to_owned(), name.trim().to_owned())
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// PATH with the built binary's directory first.
fn path_with_bin() -> String {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_wa-lint")).parent().unwrap();
    format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// The `files` pattern `\.(ya?ml|json|template|tf|tf\.json|tfvars)$`, as pre-commit applies
/// it (a search on the path).
fn matches_files(path: &str) -> bool {
    [".yaml", ".yml", ".json", ".template", ".tf", ".tfvars"]
        .iter()
        .any(|e| path.ends_with(e))
}

fn run_hook(dir: &Path, id: &str, args: &[&str], files: &[String]) -> (i32, String) {
    let (entry, _) = hook(id);
    let (script, name) = split_entry(&entry);
    let out = Command::new("bash")
        .current_dir(dir)
        .env("PATH", path_with_bin())
        .env("NO_COLOR", "1")
        .arg("-c")
        .arg(&script)
        .arg(&name)
        .args(args)
        .args(files)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("panicked"), "{text}");
    (out.status.code().unwrap(), text)
}

#[test]
fn hook_scans_the_changed_units_of_a_commit() {
    let (_, files_re) = hook("wa-lint");
    assert_eq!(files_re, r"\.(ya?ml|json|template|tf|tf\.json|tfvars)$");
    let (entry_a, _) = hook("wa-lint");
    let (entry_b, _) = hook("wa-lint-system");
    assert_eq!(entry_a, entry_b, "both hooks run the same script");

    let dir = scratch("precommit_repo");
    git(&dir, &["init", "-q"]);
    std::fs::create_dir_all(dir.join("infra")).unwrap();
    std::fs::create_dir_all(dir.join("stacks")).unwrap();
    // The open CIDR comes from variables.tf, which is not changed: the hook must scan the
    // whole module directory to see it.
    std::fs::write(
        dir.join("infra/variables.tf"),
        "variable \"admin_cidr\" {\n  default = \"0.0.0.0/0\"\n}\n",
    )
    .unwrap();
    std::fs::write(dir.join("infra/main.tf"), "resource \"aws_security_group\" \"admin\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [var.admin_cidr]\n  }\n}\n").unwrap();
    std::fs::write(
        dir.join("stacks/queue.yaml"),
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      SqsManagedSseEnabled: true\n",
    )
    .unwrap();
    std::fs::write(dir.join(".gitlab-ci.yml"), "stages: [test]\n").unwrap();
    std::fs::write(dir.join("README.md"), "# infra\n").unwrap();
    git(&dir, &["add", "infra/variables.tf", "README.md"]);
    git(
        &dir,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-q",
            "-m",
            "base",
        ],
    );
    git(&dir, &["add", "-A"]);
    let staged: Vec<String> = git(&dir, &["diff", "--cached", "--name-only"])
        .lines()
        .filter(|p| matches_files(p))
        .map(str::to_owned)
        .collect();
    assert_eq!(
        staged,
        vec![".gitlab-ci.yml", "infra/main.tf", "stacks/queue.yaml"]
    );

    let (code, out) = run_hook(&dir, "wa-lint", &[], &staged);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("WA-SEC05-SG-ADMIN-PORTS-OPEN"), "{out}");
    assert!(out.contains("infra/main.tf"), "{out}");
    assert!(
        !out.contains("error["),
        "the CI file is skipped quietly: {out}"
    );

    // Arguments from `args:` come before the file names.
    let (code, out) = run_hook(&dir, "wa-lint", &["--fail-on", "never"], &staged);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run_hook(&dir, "wa-lint", &["--fail-on=never", "-q"], &staged);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("· 4 files, 2 units, 2 resources (1 skipped)"),
        "{out}"
    );

    // Only the clean template changed: passes.
    let (code, out) = run_hook(&dir, "wa-lint", &[], &["stacks/queue.yaml".to_owned()]);
    assert_eq!(code, 0, "{out}");
    // Nothing matching: nothing to do.
    let (code, out) = run_hook(&dir, "wa-lint", &[], &[]);
    assert_eq!((code, out.as_str()), (0, ""));
}
