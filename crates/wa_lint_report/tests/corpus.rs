//! End to end on the shared corpus: lint it with the built-in pack, render every format, and
//! check the SARIF log against the schema. Slow in debug builds, so run by hand:
//! `cargo test -p wa_lint_report --test corpus -- --ignored --nocapture` (set
//! `WA_LINT_REPORT_DUMP=<dir>` to keep the outputs).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;
use std::time::Instant;

use serde_json::Value;
use wa_lint_report::{render, Format, RenderOptions};

/// Issue 6 must-hold: the SARIF of the whole shared corpus (next to the checkout, as on CI)
/// validates against the official schema.
#[test]
fn corpus_renders_valid_output() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    assert!(
        corpus.is_dir(),
        "the shared corpus is expected at {}",
        corpus.display()
    );
    let pack = wa_lint_rules::RulePack::load(&[]).unwrap();
    let t = Instant::now();
    let report = wa_lint_linter::lint(
        &[corpus],
        &pack,
        &wa_lint_linter::Options {
            threads: 0,
            ..wa_lint_linter::Options::default()
        },
    )
    .unwrap();
    eprintln!(
        "lint: {:?}, {} files, {} findings, {} diagnostics, {} rules",
        t.elapsed(),
        report.files.len(),
        report.findings.len(),
        report.diagnostics.len(),
        report.rules.len()
    );
    let options = RenderOptions {
        tool_version: "0.0.0-test".into(),
        verbose: true,
        ..RenderOptions::default()
    };
    let mut outputs = Vec::new();
    for format in Format::ALL {
        let t = Instant::now();
        let mut out = Vec::new();
        render(&report, format, &options, &mut out).unwrap();
        eprintln!("{format}: {:?}, {} bytes", t.elapsed(), out.len());
        if let Some(dir) = std::env::var_os("WA_LINT_REPORT_DUMP") {
            std::fs::write(PathBuf::from(dir).join(format!("corpus.{format}")), &out).unwrap();
        }
        outputs.push(out);
    }
    let json: Value = serde_json::from_slice(&outputs[1]).unwrap();
    assert_eq!(
        json["findings"].as_array().unwrap().len(),
        report.findings.len()
    );

    let log: Value = serde_json::from_slice(&outputs[2]).unwrap();
    let schema: Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .take(20)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &log["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for result in run["results"].as_array().unwrap() {
        let id = result["ruleId"].as_str().unwrap();
        assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize], id);
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            !uri.is_empty() && !uri.starts_with('/') && !uri.contains(':'),
            "{uri}"
        );
    }
}
