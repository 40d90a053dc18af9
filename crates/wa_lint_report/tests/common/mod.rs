//! A hand-built mixed report: a CFN YAML finding with a related location (the
//! parameter default the value came from), a Terraform finding, an unknown finding whose
//! related location is in another file, a parse error with a non-ASCII character before it,
//! a rule without findings, and a skipped file.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

use wa_lint_graph::{AttrPath, PathSeg};
use wa_lint_linter::{Finding, LintReport, Location, Related, Stats, Status};
use wa_lint_rules::{RuleMeta, Severity};
use wa_lint_source::{Diagnostic, FileId, Format, SourceFile, TextRange};

pub const CFN: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  SSHLocation:
    Type: String
    Default: 0.0.0.0/0
Resources:
  SSHGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: SSH access
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: !Ref SSHLocation
"#;

pub const BROKEN: &str = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: \"données\", Tags: [oops\n";

pub const TF_MAIN: &str = r#"resource "aws_s3_bucket" "logs" {
  bucket = "app-logs"
}

resource "aws_db_instance" "db" {
  engine            = "postgres"
  storage_encrypted = var.encrypted
}
"#;

pub const TF_VARS: &str = r#"variable "encrypted" {
  type = bool
}
"#;

/// The byte range of the `nth` (0-based) occurrence of `needle` in `file`.
pub fn range_of(file: &SourceFile, needle: &str, nth: usize) -> TextRange {
    let start = file
        .text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` #{nth} not in {}", file.path))
        .0;
    TextRange::new(start, start + needle.len())
}

/// A location in `file` at the `nth` occurrence of `needle`.
pub fn loc(file: &SourceFile, needle: &str, nth: usize) -> Location {
    let range = range_of(file, needle, nth);
    Location {
        path: file.path.clone(),
        range,
        start: file.line_col(range.start),
        end: file.line_col(range.end),
    }
}

fn path(segs: &[&str]) -> AttrPath {
    AttrPath(
        segs.iter()
            .map(|s| {
                s.parse::<usize>()
                    .map_or_else(|_| PathSeg::Key((*s).to_owned()), PathSeg::Index)
            })
            .collect(),
    )
}

fn rule(id: &str, title: &str, severity: Severity, bps: &[&str], action: &str) -> RuleMeta {
    RuleMeta {
        id: id.to_owned(),
        title: title.to_owned(),
        description: format!("{title}. Checked on every resource of the listed types."),
        severity,
        best_practices: bps.iter().map(|s| (*s).to_owned()).collect(),
        resource_types: Vec::new(),
        recommended_action: action.to_owned(),
        package: format!("walint.rules.{}", id.to_ascii_lowercase().replace('-', "_")),
        masks_secrets: false,
    }
}

pub fn report() -> LintReport {
    let cfn = SourceFile::new(FileId(0), "cfn/web stack.yaml", CFN, Format::Yaml);
    let broken = SourceFile::new(FileId(1), "cfn/broken.yaml", BROKEN, Format::Yaml);
    let tf = SourceFile::new(FileId(2), "tf/main.tf", TF_MAIN, Format::Hcl);
    let vars = SourceFile::new(FileId(3), "tf/variables.tf", TF_VARS, Format::Hcl);

    let rules = vec![
        rule(
            "WA-SEC04-S3-ACCESS-LOGGING",
            "S3 bucket has no server access logging",
            Severity::Medium,
            &["SEC04-BP01"],
            "Enable server access logging to a dedicated log bucket.",
        ),
        rule(
            "WA-SEC05-SG-ADMIN-PORTS-OPEN",
            "Security group opens an admin port to the internet",
            Severity::Critical,
            &["SEC05-BP01", "SEC05-BP02"],
            "Restrict SSH/RDP ingress to known CIDR ranges or use SSM Session Manager.",
        ),
        rule(
            "WA-SEC08-RDS-ENCRYPTION",
            "RDS storage is not encrypted",
            Severity::High,
            &["SEC08-BP02"],
            "Set storage encryption on the instance (it cannot be enabled later without a restore).",
        ),
        rule(
            "WA-SEC09-ELB-TLS",
            "Load balancer listener without TLS",
            Severity::High,
            &["SEC09-BP02"],
            "Use HTTPS/TLS listeners.",
        ),
    ];

    let findings = vec![
        Finding {
            location: loc(&cfn, "!Ref SSHLocation", 0),
            rule_id: "WA-SEC05-SG-ADMIN-PORTS-OPEN".into(),
            severity: Severity::Critical,
            status: Status::Fail,
            message: "port 22 is open to 0.0.0.0/0 (value from parameter `SSHLocation` default)"
                .into(),
            address: "SSHGroup".into(),
            resource_type: "AWS::EC2::SecurityGroup".into(),
            attr_path: path(&["SecurityGroupIngress", "0", "CidrIp"]),
            related: vec![Related {
                location: loc(&cfn, "0.0.0.0/0", 0),
                message: "parameter `SSHLocation` default".into(),
            }],
            best_practices: vec!["SEC05-BP01".into(), "SEC05-BP02".into()],
            suppression: None,
            construct_path: None,
        },
        Finding {
            location: loc(&tf, r#"resource "aws_s3_bucket" "logs""#, 0),
            rule_id: "WA-SEC04-S3-ACCESS-LOGGING".into(),
            severity: Severity::Medium,
            status: Status::Fail,
            message: "bucket has no `aws_s3_bucket_logging`".into(),
            address: "aws_s3_bucket.logs".into(),
            resource_type: "aws_s3_bucket".into(),
            attr_path: path(&["logging"]),
            related: Vec::new(),
            best_practices: vec!["SEC04-BP01".into()],
            suppression: None,
            construct_path: None,
        },
        Finding {
            location: loc(&tf, "var.encrypted", 0),
            rule_id: "WA-SEC08-RDS-ENCRYPTION".into(),
            severity: Severity::High,
            status: Status::Unknown,
            message: "`storage_encrypted` depends on variable `encrypted`, which has no default"
                .into(),
            address: "aws_db_instance.db".into(),
            resource_type: "aws_db_instance".into(),
            attr_path: path(&["storage_encrypted"]),
            related: vec![Related {
                location: loc(&vars, r#"variable "encrypted""#, 0),
                message: "variable `encrypted` declared here".into(),
            }],
            best_practices: vec!["SEC08-BP02".into()],
            suppression: None,
            construct_path: None,
        },
    ];

    let diagnostics = vec![Diagnostic::error(
        "cfn::syntax",
        "cfn/broken.yaml",
        Some(range_of(&broken, "[", 0)),
        "unclosed flow sequence",
    )
    .with_help("close the sequence with `]`")
    .with_related(range_of(&broken, "{", 0), "inside this flow mapping")];

    let bytes = [&cfn, &broken, &tf, &vars]
        .iter()
        .map(|f| f.text.len())
        .sum();
    LintReport {
        table: [&cfn, &broken, &tf, &vars]
            .into_iter()
            .map(wa_lint_linter::FileEntry::of)
            .collect(),
        files: vec![cfn, broken, tf, vars],
        sources: Vec::new(),
        rules,
        findings,
        diagnostics,
        skipped: vec!["docs/openapi.yaml".into()],
        stats: Stats {
            files: 4,
            bytes,
            units: 2,
            resources: 3,
            skipped: 1,
        },
        coverage: std::collections::BTreeMap::new(),
    }
}
