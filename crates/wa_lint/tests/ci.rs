//! CI controls end to end: `--unknown`, `--only`/`--skip`, `--changed-since` on temporary git
//! repositories, `--shard`.

mod ci_common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use ci_common::{findings, run, scratch, ssh_group, write, ADMIN};

const UNKNOWN_DB: &str = r#"variable "encrypted" {}
resource "aws_db_instance" "db" {
  engine            = "mysql"
  instance_class    = "db.t3.micro"
  storage_encrypted = var.encrypted
}
"#;

const EBS: &str = r#"resource "aws_ebs_volume" "v" {
  availability_zone = "eu-west-1a"
  size              = 10
  encrypted         = false
}
"#;

#[test]
fn unknown_policy() {
    let dir = scratch("ci_unknown");
    write(&dir, &[("main.tf", UNKNOWN_DB)]);
    let run = |args: &[&str], dir: &Path| {
        let mut all = vec!["--only", "WA-SEC08-RDS-ENCRYPTION"];
        all.extend_from_slice(args);
        run(&all, dir)
    };
    let (code, json) = run(&[], &dir);
    let unknown: Vec<_> = findings(&json)
        .into_iter()
        .filter(|f| f.1 == "unknown")
        .collect();
    assert!(!unknown.is_empty(), "{json:#}");
    assert!(findings(&json).iter().all(|f| f.1 == "unknown"));
    assert_eq!(code, 0, "warn (default): reported, exit code unaffected");
    let (code, json2) = run(&["--unknown", "warn"], &dir);
    assert_eq!((code, findings(&json2)), (0, findings(&json)));
    let (code, json) = run(&["--unknown=fail"], &dir);
    assert_eq!(findings(&json).len(), unknown.len());
    assert_eq!(code, 1);
    let (code, json) = run(&["--unknown=pass"], &dir);
    assert_eq!(findings(&json), vec![]);
    assert_eq!(code, 0);
    // From the config file; the flag wins.
    write(&dir, &[(".wa-lint.toml", "unknown = \"fail\"\n")]);
    assert_eq!(run(&[], &dir).0, 1);
    assert_eq!(run(&["--unknown", "warn"], &dir).0, 0);
}

#[test]
fn only_and_skip() {
    let dir = scratch("ci_only");
    write(&dir, &[("sg.tf", &ssh_group("web")), ("ebs.tf", EBS)]);
    let rules = |args: &[&str]| -> BTreeSet<String> {
        let (code, json) = run(args, &dir);
        assert_ne!(code, 2, "{args:?}: {json:#}");
        findings(&json).into_iter().map(|f| f.0).collect()
    };
    let all = rules(&[]);
    assert!(
        all.contains(ADMIN) && all.contains("WA-SEC08-EBS-VOLUME-ENCRYPTION"),
        "{all:?}"
    );
    assert_eq!(
        rules(&["--only", ADMIN]),
        BTreeSet::from([ADMIN.to_owned()])
    );
    assert_eq!(
        rules(&["--only", "ebs-volume-encryption"]),
        BTreeSet::from(["WA-SEC08-EBS-VOLUME-ENCRYPTION".to_owned()])
    );
    assert!(!rules(&["--skip", ADMIN]).contains(ADMIN));
    // A pillar question and a best practice.
    assert!(rules(&["--only", "SEC05"])
        .iter()
        .all(|r| r.starts_with("WA-SEC05")));
    assert!(!rules(&["--skip", "SEC05-BP02"]).contains(ADMIN));
    // skip wins over only; comma-separated lists.
    assert_eq!(
        rules(&[
            "--only",
            &format!("{ADMIN},ebs-volume-encryption"),
            "--skip",
            ADMIN
        ])
        .len(),
        1
    );
    // The JSON rules list holds only the rules that ran.
    let (_, json) = run(&["--only", ADMIN], &dir);
    assert_eq!(json["rules"].as_array().unwrap().len(), 1);
    // A typo is a usage error.
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--only", "WA-NOPE"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`WA-NOPE` is not a rule ID"));
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn changed_since_scans_whole_units_with_changes() {
    let dir = scratch("ci_changed");
    write(
        &dir,
        &[
            ("a/main.tf", &ssh_group("a")),
            ("b/main.tf", &ssh_group("b")),
            ("b/other.tf", "# nothing\n"),
            ("c/main.tf", &ssh_group("c")),
        ],
    );
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "base"]);
    git(&dir, &["branch", "base"]);
    // A committed change in b (another file of the module), an untracked unit d.
    write(&dir, &[("b/other.tf", "# changed\n")]);
    git(&dir, &["commit", "-q", "-am", "change b"]);
    write(&dir, &[("d/main.tf", &ssh_group("d"))]);
    let addresses = |json: &serde_json::Value| -> Vec<String> {
        findings(json).into_iter().map(|f| f.2).collect()
    };
    let (code, json) = run(&["--changed-since", "base"], &dir);
    assert_eq!(
        addresses(&json),
        vec!["aws_security_group.b", "aws_security_group.d"]
    );
    assert_eq!(json["summary"]["units"], 2);
    assert_eq!(code, 1);
    // An uncommitted edit in c counts too; nothing changed since HEAD in a.
    write(&dir, &[("c/main.tf", &format!("{}\n", ssh_group("c")))]);
    let (_, json) = run(&["--changed-since", "HEAD"], &dir);
    assert_eq!(
        addresses(&json),
        vec!["aws_security_group.c", "aws_security_group.d"]
    );
    // A bad revision is an error.
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--changed-since", "no-such-rev"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--changed-since"));
}

#[test]
fn shards_split_units_deterministically() {
    let dir = scratch("ci_shard");
    for i in 0..12 {
        write(
            &dir,
            &[(&format!("m{i:02}/main.tf"), &ssh_group(&format!("g{i}")))],
        );
    }
    let addresses = |args: &[&str]| -> Vec<String> {
        findings(&run(args, &dir).1)
            .into_iter()
            .map(|f| f.2)
            .collect()
    };
    let all: BTreeSet<String> = addresses(&[]).into_iter().collect();
    assert_eq!(all.len(), 12);
    let mut union = BTreeSet::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let part = addresses(&["--shard", &shard]);
        assert!(!part.is_empty() && part.len() < 12, "{shard}: {part:?}");
        assert_eq!(
            part,
            addresses(&["--shard", &shard, "--threads", "1"]),
            "deterministic"
        );
        for a in part {
            assert!(union.insert(a), "disjoint");
        }
    }
    assert_eq!(union, all);
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--shard", "4/3"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
