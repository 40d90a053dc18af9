//! SARIF within GitHub code scanning's upload limits (25,000 results per run, 10 MB), and the
//! `helpUri` / `precision` rule properties.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use serde_json::Value;
use wa_lint_linter::Status;
use wa_lint_report::{render, Format, RenderOptions};

fn sarif_of(report: &wa_lint_linter::LintReport) -> (usize, Value) {
    let mut out = Vec::new();
    render(report, Format::Sarif, &RenderOptions::default(), &mut out).unwrap();
    (out.len(), serde_json::from_slice(&out).unwrap())
}

#[test]
fn rules_link_their_page_and_state_precision() {
    let (_, log) = sarif_of(&common::report());
    let rule = &log["runs"][0]["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "WA-SEC04-S3-ACCESS-LOGGING");
    assert_eq!(
        rule["helpUri"],
        "https://github.com/wa-lint/wa-lint/blob/main/docs/rules/WA-SEC04-S3-ACCESS-LOGGING.md"
    );
    assert_eq!(rule["properties"]["precision"], "high");
}

#[test]
fn small_reports_are_not_truncated() {
    let report = common::report();
    let (_, log) = sarif_of(&report);
    assert_eq!(
        log["runs"][0]["results"].as_array().unwrap().len(),
        report.findings.len()
    );
    let notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(notes
        .iter()
        .all(|n| n["descriptor"]["id"] != "wa-lint::sarif-truncated"));
}

#[test]
fn huge_reports_are_truncated_by_priority_with_a_notification() {
    let mut report = common::report();
    let base = report.findings.clone();
    assert!(base.iter().any(|f| f.status == Status::Fail));
    // 30,000 findings: copies of the fixture's, with distinct addresses.
    let mut findings = Vec::new();
    let mut i = 0;
    while findings.len() < 30_000 {
        for f in &base {
            let mut f = f.clone();
            f.address = format!("{}{i:05}", f.address);
            findings.push(f);
        }
        i += 1;
    }
    findings.sort();
    let total = findings.len();
    let unknowns = findings.iter().filter(|f| f.status != Status::Fail).count();
    report.findings = findings;

    let (bytes, log) = sarif_of(&report);
    assert!(bytes <= 10 * 1024 * 1024, "{bytes} bytes");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.len() <= 25_000 && results.len() > 1_000,
        "{}",
        results.len()
    );
    // Failed findings are kept before unknown ones.
    if results.len() <= total - unknowns {
        assert!(results.iter().all(|r| r["properties"]["status"].is_null()));
    }
    let notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    let note = notes
        .iter()
        .find(|n| n["descriptor"]["id"] == "wa-lint::sarif-truncated")
        .expect("truncation notification");
    assert_eq!(note["level"], "warning");
    let text = note["message"]["text"].as_str().unwrap();
    assert!(
        text.starts_with(&format!("{} of {total} results kept", results.len())),
        "{text}"
    );

    // Deterministic: the same report keeps the same results.
    let (_, again) = sarif_of(&report);
    assert_eq!(log, again);
}
