//! The tool's own security, end to end through the binary (`docs/security.md`): detected
//! secrets are never printed in full, nothing outside the scan root is read, and text from the
//! scanned files cannot break any output format.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// Every output format.
const FORMATS: [&str; 8] = [
    "human",
    "json",
    "sarif",
    "junit",
    "github",
    "markdown",
    "scorecard",
    "scorecard-markdown",
];

/// A fresh scratch directory under the target dir, named for the test, with `scan/` inside.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("security_{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("scan")).unwrap();
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Runs the binary in `dir` with `args` then `scan`: (stdout, stderr), both lossy UTF-8.
fn run(dir: &Path, args: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .current_dir(dir)
        .args(["--threads", "2", "--color", "never", "--no-config"])
        .args(args)
        .arg("scan")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "exit {:?}: {stderr}",
        out.status
    );
    (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
}

/// Every format, once to stdout and once to a file: `(format, everything printed or written)`.
fn all_outputs(dir: &Path, extra: &[&str]) -> Vec<(&'static str, String)> {
    FORMATS
        .iter()
        .map(|format| {
            let file = dir.join(format!("out.{format}"));
            let spec = format!("{format}={}", file.display());
            let mut args = vec!["-v", "--format", format, "--format", spec.as_str()];
            args.extend_from_slice(extra);
            let (stdout, stderr) = run(dir, &args);
            let written = std::fs::read_to_string(&file).unwrap();
            (*format, format!("{stdout}\n{stderr}\n{written}"))
        })
        .collect()
}

fn json(dir: &Path) -> Value {
    let (stdout, stderr) = run(dir, &["--format", "json"]);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"))
}

/// `(code, path, start_line, start_column)` of the diagnostics with `code`.
fn diagnostics(report: &Value, code: &str) -> Vec<(String, String, u64, u64)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["path"].as_str().unwrap_or_default().to_owned(),
                d["start_line"].as_u64().unwrap_or(0),
                d["start_column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

const KEY_ID_SAMPLE: &str = "AKIAIOSFODNN7EXAMPLE";
const KEY_ID: &str = "AKIA2E0A8F3B244C9986";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const PASSWORD: &str = "Sup3r-S3cret-Passw0rd!";

#[test]
fn detected_secrets_are_never_printed_in_full() {
    let dir = scratch("secrets");
    write(
        &dir.join("scan/app.yaml"),
        &format!(
            r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  DBPassword:
    Type: String
    Default: "{PASSWORD}"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/app
      Runtime: python3.12
      Handler: index.handler
      Code:
        ZipFile: "print(1)"
      Environment:
        Variables:
          AWS_ACCESS_KEY_ID: {KEY_ID_SAMPLE}
          AWS_SECRET_ACCESS_KEY: {SECRET}
          DEPLOY_KEY: {KEY_ID}
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.micro
      MasterUsername: app
      MasterUserPassword: !Ref DBPassword
"#
        ),
    );
    let report = json(&dir);
    let findings: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            [
                "WA-SEC02-MULTI-HARDCODED-AWS-KEY",
                "WA-SEC02-MULTI-ENV-SECRETS",
                "WA-SEC02-CFN-PARAM-NOECHO",
                "WA-SEC02-MULTI-PLAINTEXT-PASSWORD",
            ]
            .contains(&f["rule_id"].as_str().unwrap())
        })
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // The secrets are found (so the outputs below do talk about them) …
    assert!(
        findings.contains(&(
            "WA-SEC02-MULTI-HARDCODED-AWS-KEY".to_owned(),
            "an AWS access key ID (AKIA2E0A****) is written here".to_owned()
        )),
        "{findings:#?}"
    );
    assert!(
        findings
            .iter()
            .any(|(_, m)| m.contains("AWS_SECRET_ACCESS_KEY holds a literal secret")),
        "{findings:#?}"
    );
    assert!(
        findings
            .iter()
            .any(|(id, _)| id == "WA-SEC02-MULTI-PLAINTEXT-PASSWORD"),
        "{findings:#?}"
    );
    // … and appear in full in no format, on stdout, stderr or in the written file.
    for (format, text) in all_outputs(&dir, &[]) {
        for secret in [KEY_ID_SAMPLE, KEY_ID, SECRET, PASSWORD] {
            assert!(!text.contains(secret), "{format} shows {secret}:\n{text}");
        }
        if format == "human" {
            // The snippets are there, masked after 4 characters.
            assert!(text.contains("DEPLOY_KEY: AKIA****************"), "{text}");
            assert!(text.contains("AWS_SECRET_ACCESS_KEY: wJal****"), "{text}");
            assert!(text.contains("Default: \"Sup******"), "{text}");
        }
    }
}

/// A logical ID and a file name full of characters that mean something to a format.
const HOSTILE: &str = "Evil::%0A\r\n::error::x <b>&amp;|`code`]]>\u{1b}[31mRED\u{1b}]8;;https://evil.example/\u{7}link\u{1b}]8;;\u{7}\u{202e}";

#[test]
fn hostile_names_cannot_break_any_format() {
    let dir = scratch("escaping");
    // YAML double-quoted keys take escapes: \r \n \e (ESC) \a (BEL) \u202E.
    let yaml_key = "Evil::%0A\\r\\n::error::x <b>&amp;|`code`]]>\\e[31mRED\\e]8;;https://evil.example/\\alink\\e]8;;\\a\\u202E";
    let file_name = "x,y:z\u{1b}[2J.yaml";
    write(
        &dir.join("scan").join(file_name),
        &format!(
            "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  \"{yaml_key}\":\n    Type: AWS::SQS::Queue\n    Properties:\n      SqsManagedSseEnabled: false\n"
        ),
    );
    let report = json(&dir);
    // JSON: serde escapes; the address and path round-trip exactly.
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "WA-SEC08-SQS-ENCRYPTION")
        .unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(finding["address"], HOSTILE);
    assert_eq!(finding["location"]["path"], file_name);

    for (format, text) in all_outputs(&dir, &[]) {
        let text = text.replace("\r\n", "\n");
        // No terminal control reaches any output raw (JSON and SARIF escape them as \u001b).
        for c in ['\u{1b}', '\u{7}', '\u{202e}', '\r'] {
            // JSON and SARIF are data: serde escapes C0 controls, keeps U+202E as is.
            if c == '\u{202e}' && (format == "json" || format == "sarif") {
                continue;
            }
            assert!(!text.contains(c), "{format} has raw {c:?}:\n{text}");
        }
        match format {
            "human" => {
                assert!(
                    text.contains("\\u{1b}[31mRED\\u{1b}]8;;https://evil.example/\\u{7}link"),
                    "{text}"
                );
                assert!(text.contains("x,y:z\\u{1b}[2J.yaml"), "{text}");
            }
            "github" => {
                // One line per annotation, each a well-formed command; the address stays in the
                // message, the file name in an escaped property.
                let sqs: Vec<&str> = text
                    .lines()
                    .filter(|l| l.contains("WA-SEC08-SQS-ENCRYPTION"))
                    .collect();
                assert_eq!(sqs.len(), 2, "{text}"); // stdout and the file
                for line in sqs {
                    assert!(
                        line.starts_with("::warning file=x%2Cy%3Az\u{fffd}[2J.yaml,line=6,"),
                        "{line}"
                    );
                    // Properties escape `:`, so the first `::` after the command ends them.
                    let message = line.splitn(3, "::").nth(2).unwrap();
                    assert!(
                        message.contains("Evil::%250A%0D%0A::error::x <b>"),
                        "{message}"
                    );
                }
            }
            "markdown" => {
                for row in text
                    .lines()
                    .filter(|l| l.contains("WA-SEC08-SQS-ENCRYPTION") && l.starts_with("| "))
                {
                    let unescaped = row
                        .char_indices()
                        .filter(|&(i, c)| c == '|' && !row[..i].ends_with('\\'))
                        .count();
                    assert_eq!(unescaped, 6, "{row}");
                    // `<b>` only inside the code span, where GitHub shows it as text.
                    assert_eq!(row.matches("<b>").count(), 1, "{row}");
                    assert!(row.contains("`Evil::%0A  ::error::x <b>"), "{row}");
                }
                assert!(
                    text.contains("`Evil::%0A  ::error::x <b>&amp;\\|'code']]>\u{fffd}[31mRED"),
                    "{text}"
                );
            }
            "junit" => {
                let xml = text.split("<?xml").nth(1).unwrap();
                well_formed(&format!("<?xml{xml}"));
                assert!(
                    xml.contains("Evil::%0A\n::error::x &lt;b&gt;&amp;amp;|`code`]]&gt;?[31mRED"),
                    "{xml}"
                );
            }
            "json" | "sarif" => {
                assert!(text.contains("\\u001b[31mRED"), "{text}");
            }
            _ => {}
        }
    }
}

/// Checks that `xml` is well-formed enough for a CI parser: balanced tags, quoted
/// attributes without `<`, only known entities, no character XML 1.0 forbids.
fn well_formed(xml: &str) {
    for c in xml.chars() {
        let ok = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
        assert!(ok, "forbidden character {c:?}");
    }
    let mut stack: Vec<String> = Vec::new();
    let mut rest = xml.trim_end();
    let prolog_end = rest.find("?>").unwrap();
    rest = &rest[prolog_end + 2..];
    while let Some(open) = rest.find('<') {
        check_text(&rest[..open]);
        let close = rest[open..].find('>').unwrap() + open;
        let tag = &rest[open + 1..close];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "unbalanced </{name}>");
        } else {
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let name = tag.split_whitespace().next().unwrap().to_owned();
            // Attributes: name="value" pairs; a value never holds `"` or `<`.
            let mut attrs = tag[name.len()..].trim();
            while !attrs.is_empty() {
                let (key, after) = attrs
                    .split_once("=\"")
                    .unwrap_or_else(|| panic!("bad attributes in <{tag}>"));
                assert!(
                    !key.trim().is_empty() && !key.contains(['"', '<']),
                    "<{tag}>"
                );
                let end = after.find('"').unwrap();
                check_text(&after[..end]);
                attrs = after[end + 1..].trim_start();
            }
            if !self_closing {
                stack.push(name);
            }
        }
        rest = &rest[close + 1..];
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
}

/// Character data: no `<`, and `&` only in the five predefined entities.
fn check_text(text: &str) {
    assert!(!text.contains('<'), "{text}");
    for (i, _) in text.match_indices('&') {
        let tail = &text[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| tail.starts_with(e)),
            "bad entity in {text}"
        );
    }
}

/// A file outside the scan root with a marker that must appear in no output.
const MARKER: &str = "outside-marker-5f3a9c";

fn outside_file(dir: &Path) -> PathBuf {
    let path = dir.join("outside/secret.txt");
    write(&path, MARKER);
    write(
        &dir.join("outside/main.tf"),
        &format!("resource \"aws_s3_bucket\" \"{MARKER}\" {{\n  bucket = \"{MARKER}\"\n}}\n"),
    );
    path
}

fn assert_marker_nowhere(dir: &Path) {
    for (format, text) in all_outputs(dir, &[]) {
        assert!(
            !text.contains(MARKER),
            "{format} shows the outside file:\n{text}"
        );
    }
}

#[test]
fn terraform_file_functions_stay_in_the_scan_root() {
    let dir = scratch("tf_file");
    outside_file(&dir);
    std::os::unix::fs::symlink("../outside/secret.txt", dir.join("scan/link.txt")).unwrap();
    write(
        &dir.join("scan/main.tf"),
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = file(\"../outside/secret.txt\")\n  tags   = { t = templatefile(\"link.txt\", {}) }\n}\n",
    );
    let report = json(&dir);
    assert_eq!(
        diagnostics(&report, "tf::file-outside-scan"),
        [
            (
                "tf::file-outside-scan".to_owned(),
                "main.tf".to_owned(),
                2,
                12
            ),
            (
                "tf::file-outside-scan".to_owned(),
                "main.tf".to_owned(),
                3,
                18
            ),
        ]
    );
    assert_marker_nowhere(&dir);
}

#[test]
fn downloaded_modules_stay_in_the_scan_root() {
    let dir = scratch("tf_modules_json");
    outside_file(&dir);
    write(
        &dir.join("scan/main.tf"),
        "module \"evil\" {\n  source = \"registry.example/evil/aws\"\n}\n",
    );
    // `Dir` inside .terraform/modules, but a symbolic link to a directory outside the root;
    // and a `Dir` written with `..`.
    write(
        &dir.join("scan/.terraform/modules/modules.json"),
        r#"{"Modules": [{"Key": "evil", "Source": "registry.example/evil/aws", "Dir": ".terraform/modules/evil"},
                      {"Key": "dots", "Source": "x", "Dir": "../outside"}]}"#,
    );
    std::os::unix::fs::symlink("../../../outside", dir.join("scan/.terraform/modules/evil"))
        .unwrap();
    let report = json(&dir);
    assert_eq!(
        diagnostics(&report, "tf::module-not-followed"),
        [(
            "tf::module-not-followed".to_owned(),
            "main.tf".to_owned(),
            2,
            3
        )]
    );
    assert_marker_nowhere(&dir);
}

#[test]
fn local_modules_and_nested_stacks_stay_in_the_scan_root() {
    let dir = scratch("sources");
    outside_file(&dir);
    write(
        &dir.join("scan/tf/main.tf"),
        "module \"up\" {\n  source = \"../../outside\"\n}\n",
    );
    write(
        &dir.join("scan/cfn/parent.yaml"),
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ../../../etc/passwd\n  App:\n    Type: AWS::Serverless::Application\n    Properties:\n      Location: ../../outside/secret.txt\n",
    );
    let report = json(&dir);
    assert_eq!(
        diagnostics(&report, "tf::module-not-followed"),
        [(
            "tf::module-not-followed".to_owned(),
            "tf/main.tf".to_owned(),
            2,
            3
        )]
    );
    assert_eq!(
        diagnostics(&report, "cfn::outside-scan-root"),
        [
            (
                "cfn::outside-scan-root".to_owned(),
                "cfn/parent.yaml".to_owned(),
                6,
                20
            ),
            (
                "cfn::outside-scan-root".to_owned(),
                "cfn/parent.yaml".to_owned(),
                10,
                17
            ),
        ]
    );
    assert_marker_nowhere(&dir);
}

#[test]
fn changed_since_refuses_an_option_as_revision() {
    let dir = scratch("git_option");
    write(
        &dir.join("scan/main.tf"),
        "resource \"aws_s3_bucket\" \"b\" {}\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .current_dir(&dir)
        .args(["--no-config", "--changed-since=--output=pwned", "scan"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is not a revision (it starts with `-`)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!dir.join("scan/pwned...HEAD").exists() && !dir.join("pwned...HEAD").exists());
}
