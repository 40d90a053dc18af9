//! The incremental cache (`--cache DIR`, issue 7 item 5): output with the cache is
//! byte-identical to output without; a changed file re-evaluates only its unit; the rules pack,
//! `--cfn-param` and `--var` are part of the key; damaged entries are misses.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_wa-lint"))
}

/// A fresh scratch directory under the target dir, named for the test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cache-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A small repository: two independent templates, a parent with a nested stack, a Terraform
/// root calling a local module, with a `.tfvars`.
fn repo(dir: &Path) {
    write(
        &dir.join("cfn/open-ssh.yaml"),
        "AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Cidr:
    Type: String
    Default: 0.0.0.0/0
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Cidr}
",
    );
    write(
        &dir.join("cfn/bucket.yaml"),
        "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Logs:
    Type: AWS::S3::Bucket
",
    );
    write(
        &dir.join("nested/parent.yaml"),
        "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./child.yaml
      Parameters:
        Port: '3389'
",
    );
    write(
        &dir.join("nested/child.yaml"),
        "AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Port:
    Type: String
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: rdp
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: !Ref Port, ToPort: !Ref Port, CidrIp: 0.0.0.0/0}
",
    );
    write(
        &dir.join("tf/main.tf"),
        "variable \"cidr\" {\n  default = \"10.0.0.0/8\"\n}\n\nmodule \"sg\" {\n  source = \"../modules/sg\"\n  cidr   = var.cidr\n}\n",
    );
    write(&dir.join("tf/terraform.tfvars"), "cidr = \"0.0.0.0/0\"\n");
    write(
        &dir.join("modules/sg/main.tf"),
        "variable \"cidr\" {}\n\nresource \"aws_security_group\" \"this\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [var.cidr]\n  }\n}\n",
    );
}

/// A run's standard output (JSON report), exit code, and the cache line of `-v`
/// (`(reused, evaluated, parsed)`; `None` without the cache).
struct Run {
    code: i32,
    stdout: Vec<u8>,
    counts: Option<(usize, usize, usize)>,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = bin()
        .current_dir(dir)
        .args(["check", "--no-config", "-v", "--format", "json"])
        .args(args)
        .arg("repo")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let counts = stderr
        .lines()
        .find_map(|l| l.strip_prefix("wa-lint: cache "))
        .map(|l| {
            let n: Vec<usize> = l
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            // "…: R units reused, E evaluated, P parsed": the last three numbers.
            let k = n.len();
            (n[k - 3], n[k - 2], n[k - 1])
        });
    Run {
        code: out.status.code().unwrap(),
        stdout: out.stdout,
        counts,
    }
}

fn setup(name: &str) -> PathBuf {
    let dir = scratch(name);
    repo(&dir.join("repo"));
    dir
}

#[test]
fn second_run_is_identical_and_reuses_every_unit() {
    let dir = setup("identical");
    let plain = run(&dir, &[]);
    assert_eq!(plain.counts, None);
    assert_eq!(plain.code, 1);
    let json: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert!(json["findings"].as_array().unwrap().len() >= 3, "{json}");

    let cold = run(&dir, &["--cache", ".cache"]);
    // Units: cfn/bucket, cfn/open-ssh, nested/parent (with its child), tf.
    assert_eq!(cold.counts, Some((0, 4, 4)));
    assert_eq!(cold.stdout, plain.stdout);
    assert_eq!(cold.code, plain.code);

    let warm = run(&dir, &["--cache", ".cache"]);
    assert_eq!(warm.counts, Some((4, 0, 0)));
    assert_eq!(warm.stdout, plain.stdout);
    assert_eq!(warm.code, plain.code);

    // The cache directory ignores itself in git and is tagged.
    assert_eq!(
        std::fs::read_to_string(dir.join(".cache/.gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("*")
    );
    assert!(dir.join(".cache/CACHEDIR.TAG").exists());
}

#[test]
fn a_cache_inside_the_scanned_tree_is_not_scanned() {
    let dir = setup("inside");
    let plain = run(&dir, &[]);
    let cold = run(&dir, &["--cache", "repo/cache"]);
    let warm = run(&dir, &["--cache", "repo/cache"]);
    assert_eq!(cold.stdout, plain.stdout);
    assert_eq!(warm.stdout, plain.stdout);
    assert_eq!(warm.counts, Some((4, 0, 0)));
}

#[test]
fn a_changed_file_reevaluates_only_its_unit() {
    let dir = setup("touch");
    run(&dir, &["--cache", ".cache"]);
    // A template: only it is parsed and evaluated.
    let path = dir.join("repo/cfn/open-ssh.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("FromPort: 22, ToPort: 22", "FromPort: 3389, ToPort: 3389");
    std::fs::write(&path, text).unwrap();
    let warm = run(&dir, &["--cache", ".cache"]);
    assert_eq!(warm.counts, Some((3, 1, 1)));
    assert_eq!(warm.stdout, run(&dir, &[]).stdout);
    let json: serde_json::Value = serde_json::from_slice(&warm.stdout).unwrap();
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["location"]["path"] == "cfn/open-ssh.yaml"
                && f["message"].as_str().unwrap().contains("3389")),
        "{json}"
    );

    // A nested stack's child: its parent's unit.
    let path = dir.join("repo/nested/child.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("0.0.0.0/0", "10.0.0.0/8");
    std::fs::write(&path, text).unwrap();
    let warm = run(&dir, &["--cache", ".cache"]);
    assert_eq!(warm.counts, Some((3, 1, 1)));
    assert_eq!(warm.stdout, run(&dir, &[]).stdout);

    // A `.tfvars` of the root: the Terraform unit.
    std::fs::write(
        dir.join("repo/tf/terraform.tfvars"),
        "cidr = \"10.1.0.0/16\"\n",
    )
    .unwrap();
    let warm = run(&dir, &["--cache", ".cache"]);
    assert_eq!(warm.counts, Some((3, 1, 1)));
    assert_eq!(warm.stdout, run(&dir, &[]).stdout);

    // A new template: the CloudFormation project is parsed whole; the independent templates'
    // results are reused by key, the parent's is not (a nested stack's key covers every
    // template of the scan: the new file could have been its child).
    write(
        &dir.join("repo/cfn/new.yaml"),
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n",
    );
    let warm = run(&dir, &["--cache", ".cache"]);
    assert_eq!(warm.counts, Some((3, 2, 4)));
    assert_eq!(warm.stdout, run(&dir, &[]).stdout);
}

/// An edit to a Terraform file that calls modules, which leaves its module calls alone, cannot
/// move module roots: only its unit is parsed again. An edit to a call's source, or one that
/// makes the file unparsable (its calls then no longer count: the called module becomes a root),
/// parses the Terraform project whole.
#[test]
fn a_module_file_edit_that_keeps_its_calls_reparses_only_its_unit() {
    let dir = setup("module-edit");
    write(
        &dir.join("repo/tf2/main.tf"),
        "resource \"aws_sns_topic\" \"t\" {}\n",
    );
    let cold = run(&dir, &["--cache", ".cache"]);
    assert_eq!(cold.counts, Some((0, 5, 5)));
    let path = dir.join("repo/tf/main.tf");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("10.0.0.0/8", "10.9.0.0/16")).unwrap();
    let warm = run(&dir, &["--cache", ".cache"]);
    assert_eq!(warm.counts, Some((4, 1, 1)));
    assert_eq!(warm.stdout, run(&dir, &[]).stdout);
    // A source line changed: both Terraform roots are parsed, the unchanged one is reused.
    std::fs::write(
        &path,
        std::fs::read_to_string(&path)
            .unwrap()
            .replace("../modules/sg", "../modules//sg"),
    )
    .unwrap();
    let warm = run(&dir, &["--cache", ".cache"]);
    assert_eq!(warm.counts, Some((4, 1, 2)));
    assert_eq!(warm.stdout, run(&dir, &[]).stdout);
    // A syntax error elsewhere in the file: `modules/sg` is now a root of its own.
    let broken = std::fs::read_to_string(&path).unwrap() + "\nresource \"aws_s3_bucket\" {\n";
    std::fs::write(&path, broken).unwrap();
    let warm = run(&dir, &["--cache", ".cache"]);
    assert_eq!(warm.counts.map(|c| c.2), Some(3), "{:?}", warm.counts);
    assert_eq!(warm.stdout, run(&dir, &[]).stdout);
}

#[test]
fn rules_params_and_vars_are_part_of_the_key() {
    let dir = setup("keys");
    let rules = dir.join("rules");
    write(
        &rules.join("helpers.rego"),
        "package walint.user.helpers\n\nlimit := 1\n",
    );
    let rules_arg = rules.to_str().unwrap();
    run(&dir, &["--cache", ".cache", "--rules", rules_arg]);
    let warm = run(&dir, &["--cache", ".cache", "--rules", rules_arg]);
    assert_eq!(warm.counts, Some((4, 0, 0)));
    // A changed rules directory invalidates everything.
    write(
        &rules.join("helpers.rego"),
        "package walint.user.helpers\n\nlimit := 2\n",
    );
    let changed = run(&dir, &["--cache", ".cache", "--rules", rules_arg]);
    assert_eq!(changed.counts, Some((0, 4, 4)));

    // Parameters and variables too; the results follow them.
    let with_param = run(
        &dir,
        &["--cache", ".cache", "--cfn-param", "Cidr=10.0.0.0/8"],
    );
    assert_eq!(with_param.counts, Some((0, 4, 4)));
    assert_eq!(
        with_param.stdout,
        run(&dir, &["--cfn-param", "Cidr=10.0.0.0/8"]).stdout
    );
    assert_ne!(with_param.stdout, run(&dir, &[]).stdout);
    let with_var = run(&dir, &["--cache", ".cache", "--var", "cidr=10.2.0.0/16"]);
    assert_eq!(with_var.counts, Some((0, 4, 4)));
    assert_eq!(
        with_var.stdout,
        run(&dir, &["--var", "cidr=10.2.0.0/16"]).stdout
    );
    // Back to no options: the first configuration's entries are still there.
    let back = run(&dir, &["--cache", ".cache"]);
    assert_eq!(back.stdout, run(&dir, &[]).stdout);
}

#[test]
fn damaged_entries_are_misses_and_no_cache_wins_over_the_config() {
    let dir = setup("corrupt");
    let plain = run(&dir, &[]);
    run(&dir, &["--cache", ".cache"]);
    for entry in std::fs::read_dir(dir.join(".cache/units")).unwrap() {
        std::fs::write(entry.unwrap().path(), b"{\"findings\": [tru").unwrap();
    }
    let damaged = run(&dir, &["--cache", ".cache"]);
    assert_eq!(damaged.counts, Some((0, 4, 4)));
    assert_eq!(damaged.stdout, plain.stdout);
    assert_eq!(damaged.code, plain.code);
    // Damaged manifests too.
    for entry in std::fs::read_dir(dir.join(".cache/runs")).unwrap() {
        std::fs::write(entry.unwrap().path(), b"\x00\xff").unwrap();
    }
    let damaged = run(&dir, &["--cache", ".cache"]);
    assert_eq!(damaged.counts, Some((4, 0, 4)));
    assert_eq!(damaged.stdout, plain.stdout);

    // `cache = "…"` in the configuration; `--no-cache` turns it off.
    write(
        &dir.join("repo/.wa-lint.toml"),
        "cache = \"../cfg-cache\"\n",
    );
    let out = bin()
        .current_dir(&dir)
        .args(["check", "-v", "--format", "json", "repo"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("wa-lint: cache "));
    assert!(dir.join("cfg-cache/units").is_dir());
    let out = bin()
        .current_dir(&dir)
        .args(["check", "-v", "--no-cache", "--format", "json", "repo"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("wa-lint: cache "));
}

/// A real module tree (file functions, nested local modules, examples as roots): cached and
/// uncached output agree, cold and warm, and after a change.
#[test]
fn corpus_folder_agrees_with_and_without_cache() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/tfam-eks");
    if !corpus.is_dir() {
        eprintln!("skipped: {} not found", corpus.display());
        return;
    }
    let dir = scratch("corpus");
    copy_tree(&corpus, &dir.join("repo"));
    let plain = run(&dir, &[]);
    let cold = run(&dir, &["--cache", ".cache"]);
    let warm = run(&dir, &["--cache", ".cache"]);
    assert_eq!(cold.stdout, plain.stdout);
    assert_eq!(warm.stdout, plain.stdout);
    let (reused, evaluated, _) = warm.counts.unwrap();
    assert!(reused > 0 && reused + evaluated == cold.counts.unwrap().1);
    // A variables file of an example root.
    let vars = dir.join("repo/examples/eks-managed-node-group/variables.tf");
    if vars.exists() {
        let mut text = std::fs::read_to_string(&vars).unwrap();
        text.push_str("\n# edited\n");
        std::fs::write(&vars, text).unwrap();
        let edited = run(&dir, &["--cache", ".cache"]);
        assert_eq!(edited.stdout, run(&dir, &[]).stdout);
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_file_read_by_a_file_function_is_part_of_its_units_key() {
    let dir = setup("file-function");
    write(
        &dir.join("repo/iam/main.tf"),
        "resource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = file(\"${path.module}/policy.json\")\n}\n",
    );
    let policy = dir.join("repo/iam/policy.json");
    write(
        &policy,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#,
    );
    let cold = run(&dir, &["--cache", ".cache"]);
    assert_eq!(cold.counts, Some((0, 5, 5)));
    assert_eq!(cold.stdout, run(&dir, &[]).stdout);
    let warm = run(&dir, &["--cache", ".cache"]);
    assert_eq!(warm.counts, Some((5, 0, 0)));
    // Only the JSON file the module reads changes: its unit is evaluated again.
    write(
        &policy,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
    );
    let changed = run(&dir, &["--cache", ".cache"]);
    assert_eq!(changed.counts, Some((4, 1, 1)));
    assert_eq!(changed.stdout, run(&dir, &[]).stdout);
    let json: serde_json::Value = serde_json::from_slice(&changed.stdout).unwrap();
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["address"] == "aws_iam_policy.p"),
        "{json}"
    );
}

#[test]
fn files_read_through_variables_and_missing_files_are_tracked() {
    let dir = setup("file-function-variable");
    // The paths are not literals: only evaluation knows which files are read.
    write(
        &dir.join("repo/iam/main.tf"),
        "variable \"doc\" {\n  default = \"policy.json\"\n}\nlocals {\n  path  = \"${path.module}/${var.doc}\"\n  extra = fileexists(\"${path.module}/extra.json\") ? file(\"${path.module}/extra.json\") : \"{}\"\n}\nresource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = file(local.path)\n}\nresource \"aws_iam_policy\" \"extra\" {\n  name   = \"extra\"\n  policy = local.extra\n}\n",
    );
    let policy = dir.join("repo/iam/policy.json");
    let narrow = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
    let broad = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
    write(&policy, narrow);
    let cold = run(&dir, &["--cache", ".cache"]);
    assert_eq!(cold.counts, Some((0, 5, 5)));
    let warm = run(&dir, &["--cache", ".cache"]);
    assert_eq!(warm.counts, Some((5, 0, 0)));
    assert_eq!(warm.stdout, run(&dir, &[]).stdout);
    let addresses = |stdout: &[u8]| {
        let json: serde_json::Value = serde_json::from_slice(stdout).unwrap();
        let mut a: Vec<String> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f["address"].as_str())
            .filter(|a| a.starts_with("aws_iam_policy."))
            .map(str::to_owned)
            .collect();
        a.sort();
        a.dedup();
        a
    };
    assert!(addresses(&warm.stdout).is_empty());
    // The file named by the variable changes: its unit is evaluated again.
    write(&policy, broad);
    let changed = run(&dir, &["--cache", ".cache"]);
    assert_eq!(changed.counts, Some((4, 1, 1)));
    assert_eq!(changed.stdout, run(&dir, &[]).stdout);
    assert_eq!(addresses(&changed.stdout), ["aws_iam_policy.p"]);
    // A file `fileexists` did not find appears: evaluated again too.
    write(&dir.join("repo/iam/extra.json"), broad);
    let appeared = run(&dir, &["--cache", ".cache"]);
    assert_eq!(appeared.counts, Some((4, 1, 1)));
    assert_eq!(appeared.stdout, run(&dir, &[]).stdout);
    assert_eq!(
        addresses(&appeared.stdout),
        ["aws_iam_policy.extra", "aws_iam_policy.p"]
    );
}

#[test]
fn suppressions_are_reused_by_content_and_read_again_when_edited() {
    let dir = setup("suppressions");
    let cold = run(&dir, &["--cache", ".cache"]);
    let json: serde_json::Value = serde_json::from_slice(&cold.stdout).unwrap();
    let rule = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["location"]["path"] == "cfn/bucket.yaml")
        .map(|f| f["rule_id"].as_str().unwrap().to_owned())
        .expect("a finding on the bucket");
    let bucket = |reason: &str| {
        format!(
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Metadata:\n      wa-lint:\n        ignore:\n          - id: {rule}\n            reason: {reason}\n"
        )
    };
    write(&dir.join("repo/cfn/bucket.yaml"), &bucket("first reason"));
    let edited = run(&dir, &["--cache", ".cache"]);
    assert_eq!(edited.stdout, run(&dir, &[]).stdout);
    assert!(String::from_utf8_lossy(&edited.stdout).contains("first reason"));
    let memo = std::fs::read_dir(dir.join(".cache/runs"))
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().ends_with(".suppress.cache"))
        .expect("the suppressions memo is written");
    assert!(std::fs::read_to_string(memo.path())
        .unwrap()
        .contains("first reason"));
    // Nothing changed: the directives come from the memo, the report is the same.
    let warm = run(&dir, &["--cache", ".cache"]);
    assert_eq!(warm.counts, Some((4, 0, 0)));
    assert_eq!(warm.stdout, edited.stdout);
    // The memo is what the warm run used: an entry edited in place shows in the report.
    let stored = std::fs::read_to_string(memo.path()).unwrap();
    std::fs::write(memo.path(), stored.replace("first reason", "memo reason")).unwrap();
    let from_memo = run(&dir, &["--cache", ".cache"]);
    assert!(String::from_utf8_lossy(&from_memo.stdout).contains("memo reason"));
    // Only the reason changes: the file is read again.
    write(&dir.join("repo/cfn/bucket.yaml"), &bucket("second reason"));
    let again = run(&dir, &["--cache", ".cache"]);
    assert_eq!(again.stdout, run(&dir, &[]).stdout);
    let text = String::from_utf8_lossy(&again.stdout);
    assert!(text.contains("second reason") && !text.contains("first reason"));
}

#[test]
fn a_root_module_at_the_scan_root_keys_on_the_directory_name() {
    // `path.cwd` of a root module at the scan root is the scan root's name: two checkouts
    // sharing one cache must not share that unit's results.
    let dir = scratch("path-cwd");
    let policy = "resource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = basename(path.cwd) == \"a\" ? \"*\" : \"s3:GetObject\", Resource = \"*\" }]\n  })\n}\n";
    write(&dir.join("a/main.tf"), policy);
    write(&dir.join("b/main.tf"), policy);
    let scan = |root: &str, cache: bool| {
        let mut cmd = bin();
        cmd.current_dir(&dir)
            .args(["check", "--no-config", "-v", "--format", "json"]);
        if cache {
            cmd.args(["--cache", ".cache"]);
        }
        let out = cmd.arg(root).output().unwrap();
        (out.status.code(), out.stdout)
    };
    let a = scan("a", true);
    assert_eq!(a.0, Some(1), "the `*` policy fails in a");
    let b = scan("b", true);
    assert_eq!(b, scan("b", false));
    assert_eq!(b.0, Some(0));
}
