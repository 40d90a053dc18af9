//! The scorecard formats on a real run: the fixture set `tests/data/scorecard/` (a
//! CloudFormation template and a Terraform module) linted with a fixed selection of rules
//! (`--only`), so that rules added to the pack later do not change the counts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

use wa_lint_linter::{Controls, LintReport, Options};
use wa_lint_report::{render, scorecard, Format, RenderOptions};
use wa_lint_rules::RulePack;

const RULES: &[&str] = &[
    "WA-SEC03-SCP-DENY-LEAVE-ORG",
    "WA-SEC05-SG-ADMIN-PORTS-OPEN",
    "WA-SEC08-EBS-VOLUME-ENCRYPTION",
    "WA-SEC08-KMS-ROTATION",
    "WA-SEC08-SQS-ENCRYPTION",
];

fn report() -> LintReport {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/scorecard");
    let pack = RulePack::load(&[]).unwrap();
    let options = Options {
        threads: 1,
        controls: Controls {
            only: RULES.iter().map(|r| (*r).to_owned()).collect(),
            ..Controls::default()
        },
        ..Options::default()
    };
    wa_lint_linter::lint(&[dir], &pack, &options).unwrap()
}

fn rendered(report: &LintReport, format: Format) -> String {
    let mut out = Vec::new();
    render(report, format, &RenderOptions::default(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn coverage_counts_managed_resources_per_type() {
    let report = report();
    let count = |t: &str| report.coverage.get(t).map(|c| (c.units, c.resources));
    assert_eq!(count("AWS::SQS::Queue"), Some((1, 2)));
    assert_eq!(count("AWS::EC2::Volume"), Some((1, 2)));
    assert_eq!(count("aws_sqs_queue"), Some((1, 1)));
    assert_eq!(count("aws_security_group"), Some((1, 1)));
    // Data sources are read, not checked.
    assert_eq!(count("aws_iam_policy_document"), None);
}

#[test]
fn rows_count_rules_resources_and_outcomes_per_best_practice() {
    let card = scorecard(&report());
    let row = |bp: &str| {
        let r = card.rows.iter().find(|r| r.best_practice == bp).unwrap();
        (
            r.rules,
            r.evaluated,
            r.resources,
            r.failing,
            r.unknown,
            r.suppressed,
            r.status(),
        )
    };
    // SQS (2 CFN + 1 TF queues: one fails, one unknown), EBS (2 volumes: one fails, one
    // suppressed); KMS rotation (1 key, passes) is SEC08-BP01.
    assert_eq!(row("SEC08-BP02"), (2, 2, 5, 2, 1, 1, "fail"));
    assert_eq!(row("SEC08-BP01").6, "pass");
    // The SCP rule has no resource in the scan.
    assert_eq!(row("SEC03-BP05"), (1, 0, 0, 0, 0, 0, "not evaluated"));
    assert_eq!(row("SEC05-BP02").3, 1);
    assert_eq!(
        card.rows
            .iter()
            .find(|r| r.best_practice == "SEC08-BP02")
            .unwrap()
            .title,
        Some("Enforce encryption at rest")
    );
    assert_eq!(card.total.rules, RULES.len());
}

#[test]
fn scorecard_text() {
    insta::assert_snapshot!(rendered(&report(), Format::Scorecard));
}

#[test]
fn scorecard_markdown() {
    insta::assert_snapshot!(rendered(&report(), Format::ScorecardMarkdown));
}
