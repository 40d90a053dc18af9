//! Broken and extreme inputs: every problem is a located diagnostic or handled, never a panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::case_sensitive_file_extension_comparisons
)]

mod common;

use std::fmt::Write as _;
use std::time::Instant;

use common::{at, graph, line_col, parse, source};
use wa_lint_graph::Value;
use wa_lint_source::{Level, LineCol, SourceFile};

/// `(level, code, line, column)` of every diagnostic of `text` parsed as `path`.
fn diags(path: &str, text: &str) -> Vec<(Level, String, u32, u32)> {
    let file = source(path, text);
    let out = wa_lint_cfn::parse_template(&file).expect("a template or its diagnostics");
    located(&file, &out.diagnostics)
}

fn located(file: &SourceFile, ds: &[wa_lint_source::Diagnostic]) -> Vec<(Level, String, u32, u32)> {
    ds.iter()
        .map(|d| {
            let lc = file.line_col(d.range.expect("located").start);
            (d.level, d.code.clone(), lc.line, lc.column)
        })
        .collect()
}

#[test]
fn duplicate_keys_yaml_and_json() {
    let yaml = "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::SNS::Topic\n  A:\n    Type: AWS::SQS::Queue\n";
    assert_eq!(
        diags("t.yaml", yaml),
        [(Level::Error, "cfn::duplicate-key".into(), 5, 3)]
    );
    let json = "{\"AWSTemplateFormatVersion\": \"x\",\n \"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\"},\n  \"A\": {\"Type\": \"AWS::SQS::Queue\"}}}";
    assert_eq!(
        diags("t.json", json),
        [(Level::Error, "cfn::duplicate-key".into(), 3, 3)]
    );
}

#[test]
fn unknown_tag_warns_at_the_tag() {
    let yaml = "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Bogus x\n";
    assert_eq!(
        diags("t.yaml", yaml),
        [(Level::Warning, "cfn::unknown-tag".into(), 6, 18)]
    );
}

#[test]
fn bad_indentation_is_one_syntax_error_at_the_line() {
    let yaml = "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::SNS::Topic\n     Properties:\n    TopicName: x\n";
    let d = diags("t.yaml", yaml);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        (d[0].0, d[0].1.as_str(), d[0].2),
        (Level::Error, "cfn::syntax", 5)
    );
    // A tab used for indentation.
    let yaml = "AWSTemplateFormatVersion: x\nResources:\n\tA:\n    Type: AWS::SNS::Topic\n";
    let d = diags("t.yaml", yaml);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].1.as_str(), d[0].2), ("cfn::syntax", 3));
}

#[test]
fn bom_and_crlf_keep_lines_and_columns() {
    let text = "\u{feff}AWSTemplateFormatVersion: x\r\nResources:\r\n  A:\r\n    Type: AWS::SNS::Topic\r\n    Properties:\r\n      TopicName: n\r\n";
    let (file, out) = parse("t.yaml", text);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let name = at(graph(&out), "A", "TopicName");
    assert_eq!(name.value, Value::String("n".into()));
    assert_eq!(
        line_col(&file, name),
        LineCol {
            line: 6,
            column: 18
        }
    );
    let json = "\u{feff}{\r\n\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\",\r\n \"Properties\": {\"TopicName\": 5}}}}";
    let (file, out) = parse("t.json", json);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let name = at(graph(&out), "A", "TopicName");
    assert_eq!(
        line_col(&file, name),
        LineCol {
            line: 3,
            column: 30
        }
    );
}

#[test]
fn a_template_written_as_a_list_is_reported() {
    let yaml = "- AWSTemplateFormatVersion: x\n  Resources:\n    A:\n      Type: AWS::SNS::Topic\n";
    let file = source("t.yaml", yaml);
    let out = wa_lint_cfn::parse_template(&file).unwrap();
    assert!(out.graph.is_none());
    assert_eq!(
        located(&file, &out.diagnostics),
        [(Level::Error, "cfn::structure".into(), 1, 1)]
    );
    assert!(out.diagnostics[0].message.contains("is a list"));
    // A list of something else is not a template: skipped quietly.
    assert!(wa_lint_cfn::parse_template(&source("t.yaml", "- a\n- b\n")).is_none());
}

#[test]
fn empty_and_blank_files_are_not_templates() {
    for text in ["", "\n\n", "# only a comment\n", "\u{feff}", "{}", "---\n"] {
        let ext = if text == "{}" { "t.json" } else { "t.yaml" };
        assert!(
            wa_lint_cfn::parse_template(&source(ext, text)).is_none(),
            "{text:?}"
        );
    }
    // An empty JSON file is a syntax error only when it looks like a template; it does not.
    assert!(wa_lint_cfn::parse_template(&source("t.json", "")).is_none());
}

#[test]
fn a_fifty_megabyte_template_parses() {
    // ~50 MB of YAML: 120,000 resources with long descriptions.
    let mut text = String::with_capacity(52 << 20);
    text.push_str("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n");
    let filler = "x".repeat(330);
    let mut i = 0;
    while text.len() < 50 << 20 {
        writeln!(
            text,
            "  Q{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: q{i}-{filler}"
        )
        .unwrap();
        i += 1;
    }
    let start = Instant::now();
    let file = source("big.yaml", &text);
    let out = wa_lint_cfn::parse_template(&file).unwrap();
    let elapsed = start.elapsed();
    assert!(out.diagnostics.is_empty(), "{:?}", &out.diagnostics[..1]);
    let g = graph(&out);
    assert_eq!(g.resources.len(), i);
    let last = format!("Q{}", i - 1);
    let node = at(g, &last, "QueueName");
    let lines = text.lines().count();
    assert_eq!(line_col(&file, node).line as usize, lines);
    // Debug build on a shared 2-core machine: generous, but catches quadratic behaviour.
    assert!(elapsed.as_secs() < 120, "{elapsed:?}");
}

#[test]
fn ten_thousand_resources_with_references() {
    let mut text = String::from("AWSTemplateFormatVersion: x\nResources:\n");
    for i in 0..10_000 {
        let prev = if i == 0 { 0 } else { i - 1 };
        writeln!(
            text,
            "  R{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedrivePolicy: {{deadLetterTargetArn: !GetAtt R{prev}.Arn}}"
        )
        .unwrap();
    }
    let start = Instant::now();
    let (_, out) = parse("t.yaml", &text);
    assert!(out.diagnostics.is_empty());
    let g = graph(&out);
    assert_eq!(g.resources.len(), 10_000);
    assert_eq!(g.edges.len(), 10_000);
    assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
}

#[test]
fn every_cfn_lint_fixture_loads_without_panic() {
    let root = std::path::Path::new(common::CORPUS).join("cfn-lint-fixtures");
    if !root.is_dir() {
        return;
    }
    let mut stack = vec![root];
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.to_string_lossy().to_string();
            if !(name.ends_with(".yaml") || name.ends_with(".json") || name.ends_with(".yml")) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            let file = source(&name, &text);
            if let Some(out) = wa_lint_cfn::parse_template(&file) {
                seen += 1;
                // Every diagnostic is located inside the file.
                for d in &out.diagnostics {
                    let r = d.range.expect("located");
                    assert!(r.end as usize <= text.len(), "{name}: {d:?}");
                }
            }
        }
    }
    assert!(seen > 0);
}
