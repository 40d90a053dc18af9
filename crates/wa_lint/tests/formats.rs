//! Output formats through the binary: several formats in one run (`--format FORMAT=FILE`,
//! `--output` paired by order), junit/github/markdown content, `--quiet`, no escapes when
//! piped, usage errors.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wa-lint"));
    c.env_remove("GITHUB_SERVER_URL");
    c
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An SSH port open to the world (line 11 column 11: `CidrIp`), in a file whose name needs escaping in
/// workflow command properties.
const OPEN_SSH: &str = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
";

fn project(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("src/web,stack:1.yaml"), OPEN_SSH).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = bin().current_dir(dir).args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        err,
    )
}

#[test]
fn several_formats_in_one_run() {
    let dir = project("formats_many");
    let (code, stdout, stderr) = run(
        &dir,
        &[
            "src",
            "-f",
            "sarif=out/r.sarif",
            "--format",
            "junit",
            "-o",
            "r.xml",
            "-f",
            "github=gh.txt",
            "-f",
            "markdown=pr.md",
            "-f",
            "human",
            "--color",
            "never",
        ],
    );
    assert_eq!(code, 2, "out/ does not exist: {stderr}");
    assert!(stderr.contains("cannot create out/r.sarif"), "{stderr}");

    std::fs::create_dir_all(dir.join("out")).unwrap();
    let (code, stdout2, stderr) = run(
        &dir,
        &[
            "src",
            "-f",
            "sarif=out/r.sarif",
            "--format",
            "junit",
            "-o",
            "r.xml",
            "-f",
            "github=gh.txt",
            "-f",
            "markdown=pr.md",
            "-f",
            "human",
            "--color",
            "never",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    let _ = stdout;
    // Human goes to stdout: `-o r.xml` pairs with junit, the first format without `=FILE`.
    assert!(
        stdout2.contains("WA-SEC05-SG-ADMIN-PORTS-OPEN"),
        "{stdout2}"
    );
    assert!(!stdout2.contains('\u{1b}'), "no escapes when piped");

    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out/r.sarif")).unwrap()).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "WA-SEC05-SG-ADMIN-PORTS-OPEN");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "web%2Cstack%3A1.yaml"
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        11
    );

    let junit = std::fs::read_to_string(dir.join("r.xml")).unwrap();
    assert!(
        junit.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"wa-lint\""
        ),
        "{junit}"
    );
    assert!(junit.contains("<testsuite name=\"WA-SEC05-SG-ADMIN-PORTS-OPEN\" tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\" time=\"0\">"), "{junit}");
    assert!(junit.contains("<testcase classname=\"WA-SEC05-SG-ADMIN-PORTS-OPEN\" name=\"Sg at web,stack:1.yaml:11:11\" file=\"web,stack:1.yaml\" line=\"11\" time=\"0\">"), "{junit}");
    assert!(
        junit
            .contains("<failure type=\"high\" message=\"tcp port 22 (SSH) is open to 0.0.0.0/0\">"),
        "{junit}"
    );
    assert!(
        junit.contains(
            "<testcase classname=\"WA-SEC08-KMS-ROTATION\" name=\"no findings\" time=\"0\"/>"
        ),
        "every rule is a suite: {junit}"
    );

    let gh = std::fs::read_to_string(dir.join("gh.txt")).unwrap();
    let first = gh.lines().next().unwrap();
    assert_eq!(
        first,
        "::error file=web%2Cstack%3A1.yaml,line=11,endLine=11,col=11,endColumn=17,title=WA-SEC05-SG-ADMIN-PORTS-OPEN [high] Security group opens an admin port to the internet::tcp port 22 (SSH) is open to 0.0.0.0/0%0AAWS::EC2::SecurityGroup Sg"
    );
    assert!(
        gh.lines()
            .last()
            .unwrap()
            .starts_with("wa-lint: 1 finding (1 high)"),
        "{gh}"
    );

    let md = std::fs::read_to_string(dir.join("pr.md")).unwrap();
    assert!(
        md.starts_with(
            "## wa-lint: ⚠️ failed findings\n\n1 finding (1 high) · 1 file, 1 unit, 1 resource\n"
        ),
        "{md}"
    );
    assert!(md.contains("| 🟧 high | `WA-SEC05-SG-ADMIN-PORTS-OPEN` | `Sg` | `web,stack:1.yaml:11` | tcp port 22 (SSH) is open to 0.0.0.0/0 |"), "{md}");
    assert!(
        md.contains("<details><summary>How to fix</summary>"),
        "{md}"
    );
}

#[test]
fn markdown_links_in_github_actions() {
    let dir = project("formats_md_links");
    let out = bin()
        .current_dir(&dir)
        .args(["src", "-f", "markdown"])
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme/infra")
        .env("GITHUB_SHA", "abc123")
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.contains("[`web,stack:1.yaml:11`](https://github.com/acme/infra/blob/abc123/web,stack:1.yaml#L11)"),
        "{md}"
    );
}

#[test]
fn format_and_output_keep_working_alone() {
    let dir = project("formats_single");
    let (code, stdout, _) = run(&dir, &["src", "--format", "json", "--output", "r.json"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r.json")).unwrap()).unwrap();
    assert_eq!(
        json["findings"][0]["rule_id"],
        "WA-SEC05-SG-ADMIN-PORTS-OPEN"
    );
}

#[test]
fn quiet_prints_only_the_summary() {
    let dir = project("formats_quiet");
    let (code, stdout, stderr) = run(&dir, &["src", "-q"]);
    assert_eq!(code, 1);
    assert_eq!(stderr, "");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    assert!(
        lines[0].starts_with("1 finding (1 high) · 1 file, 1 unit, 1 resource · "),
        "{stdout}"
    );
}

/// `--quiet` prints error diagnostics with their line and column, like the full form (it gave
/// the path alone; found by a fresh tester).
#[test]
fn quiet_errors_carry_line_and_column() {
    let dir = project("formats_quiet_errors");
    std::fs::write(
        dir.join("src/bad.yaml"),
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: [x\n",
    )
    .unwrap();
    let (code, stdout, _) = run(&dir, &["src", "-q"]);
    assert_eq!(code, 2);
    let first = stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("error[cfn::syntax] bad.yaml:5:1: "),
        "{stdout}"
    );
}

#[test]
fn ambiguous_outputs_are_usage_errors() {
    let dir = project("formats_usage");
    let (code, _, err) = run(&dir, &["src", "-f", "json", "-f", "sarif"]);
    assert_eq!(code, 2);
    assert!(err.contains("formats json, sarif would all go to standard output; give a file for all but one (e.g. --format sarif=FILE)"), "{err}");
    let (code, _, err) = run(&dir, &["src", "-f", "json", "-o", "a", "-o", "b"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--output b has no --format to pair with"),
        "{err}"
    );
    let (code, _, err) = run(&dir, &["src", "-f", "xml"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown output format `xml` (expected one of: human, json, sarif, junit, github, markdown, scorecard, scorecard-markdown)"), "{err}");
}
