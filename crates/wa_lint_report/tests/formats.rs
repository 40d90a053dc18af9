//! All three formats on one mixed report (see `common/mod.rs`), colors off.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use serde_json::Value;
use wa_lint_report::{render, Format, RenderOptions};

fn options() -> RenderOptions {
    RenderOptions {
        color: false,
        verbose: true,
        elapsed: None,
        tool_version: "0.0.0-test".into(),
    }
}

fn rendered(format: Format, options: &RenderOptions) -> String {
    let mut out = Vec::new();
    render(&common::report(), format, options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn sarif() -> Value {
    serde_json::from_str(&rendered(Format::Sarif, &options())).unwrap()
}

#[test]
fn fixture_locations_are_where_we_think() {
    let r = common::report();
    let at = |i: usize| {
        let l = &r.findings[i].location;
        (
            l.path.as_str(),
            l.start.line,
            l.start.column,
            l.end.line,
            l.end.column,
        )
    };
    assert_eq!(at(0), ("cfn/web stack.yaml", 15, 19, 15, 35));
    assert_eq!(
        r.findings[0].related[0].location.start,
        wa_lint_source::LineCol {
            line: 5,
            column: 14
        }
    );
    assert_eq!(at(1), ("tf/main.tf", 1, 1, 1, 32));
    assert_eq!(at(2), ("tf/main.tf", 7, 23, 7, 36));
}

#[test]
fn human_snapshot() {
    let out = rendered(Format::Human, &options());
    assert!(!out.contains('\u{1b}'), "no escapes with color off");
    insta::assert_snapshot!("human", out);
}

#[test]
fn human_header_location_summary_and_notes() {
    let out = rendered(Format::Human, &options());
    // The header wraps at 100 columns.
    assert!(out.contains("  x WA-SEC05-SG-ADMIN-PORTS-OPEN [critical] port 22 is open to 0.0.0.0/0 (value from parameter\n"));
    assert!(out.contains("[cfn/web stack.yaml:15:19]"), "{out}");
    // The parameter default, 10 lines above, gets its own snippet after the finding's.
    let primary = out.find("[cfn/web stack.yaml:15:19]");
    let related = out.find("[cfn/web stack.yaml:5:14]");
    assert!(
        primary.is_some() && related.is_some() && primary < related,
        "{out}"
    );
    assert!(out.contains("WA-SEC08-RDS-ENCRYPTION [high] [unknown] `storage_encrypted`"));
    assert!(
        out.contains("  note: tf/variables.tf:1:1: variable `encrypted` declared here\n"),
        "{out}"
    );
    // the 'é' of "données" is one column: `[` is the 47th character of line 4 but its 48th byte.
    assert!(out.contains("cfn::syntax [error] unclosed flow sequence"));
    assert!(out.contains("[cfn/broken.yaml:4:47]"), "{out}");
    assert!(out.contains("help: Restrict SSH/RDP ingress"));
    assert!(out.contains("skipped: docs/openapi.yaml (not CloudFormation or Terraform)\n"));
    assert!(out.ends_with(
        "2 findings (1 critical, 1 medium), 1 unknown, 1 error · 4 files, 2 units, 3 resources (1 skipped)\n"
    ));
    let quiet = rendered(
        Format::Human,
        &RenderOptions {
            verbose: false,
            ..options()
        },
    );
    assert!(!quiet.contains("skipped:"));
}

#[test]
fn human_color_uses_escapes_and_unicode() {
    let out = rendered(
        Format::Human,
        &RenderOptions {
            color: true,
            ..options()
        },
    );
    assert!(out.contains('\u{1b}'));
    assert!(out.contains('╭'));
}

#[test]
fn json_snapshot_and_shape() {
    let text = rendered(Format::Json, &options());
    assert!(text.ends_with("}\n"));
    insta::assert_snapshot!("json", text);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["summary"]["failed"], 2);
    assert_eq!(v["summary"]["unknown"], 1);
    assert_eq!(v["summary"]["errors"], 1);
    let f = &v["findings"][0];
    assert_eq!(f["attr_path"], "SecurityGroupIngress[0].CidrIp");
    assert_eq!(f["location"]["start_line"], 15);
    assert_eq!(f["location"]["start_column"], 19);
    assert_eq!(f["related"][0]["location"]["start_line"], 5);
    let d = &v["diagnostics"][0];
    assert_eq!(
        (d["start_line"].as_u64(), d["start_column"].as_u64()),
        (Some(4), Some(47))
    );
    assert_eq!(
        d["start_byte"].as_u64().unwrap(),
        common::BROKEN.find('[').unwrap() as u64
    );
    assert_eq!(v["rules"].as_array().unwrap().len(), 4);
}

#[test]
fn sarif_snapshot() {
    insta::assert_snapshot!("sarif", rendered(Format::Sarif, &options()));
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let schema: Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let log = sarif();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator does catch a broken log.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_rules_results_and_uris() {
    let log = sarif();
    let run = &log["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules.len(), 4);
    for result in run["results"].as_array().unwrap() {
        let id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index], id, "ruleIndex points at ruleId");
        for loc in std::iter::once(&result["locations"][0])
            .chain(result["relatedLocations"].as_array().into_iter().flatten())
        {
            let uri = loc["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert!(
                !uri.is_empty() && !uri.starts_with('/') && !uri.contains(':'),
                "relative uri: {uri}"
            );
            assert_eq!(
                loc["physicalLocation"]["artifactLocation"]["uriBaseId"],
                "%SRCROOT%"
            );
        }
    }
    let first = &run["results"][0];
    assert_eq!(
        first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "cfn/web%20stack.yaml"
    );
    assert_eq!(first["level"], "error");
    let region = &first["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(15), Some(19))
    );
    assert_eq!(first["relatedLocations"][0]["id"], 1);
    assert_eq!(
        first["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        5
    );
    assert_eq!(run["results"][1]["level"], "warning");
    assert_eq!(run["results"][2]["level"], "note");
    assert_eq!(run["results"][2]["properties"]["status"], "unknown");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let note = &inv["toolExecutionNotifications"][0];
    assert_eq!(note["descriptor"]["id"], "cfn::syntax");
    assert_eq!(
        note["locations"][0]["physicalLocation"]["region"]["startColumn"],
        47
    );
    let sg = &run["tool"]["driver"]["rules"][1];
    assert_eq!(sg["properties"]["security-severity"], "9.5");
    assert_eq!(
        sg["properties"]["tags"],
        serde_json::json!(["security", "SEC05-BP01", "SEC05-BP02"])
    );
    assert_eq!(sg["relationships"][1]["target"]["id"], "SEC05-BP02");
    let taxa: Vec<&str> = run["taxonomies"][0]["taxa"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        taxa,
        [
            "SEC04-BP01",
            "SEC05-BP01",
            "SEC05-BP02",
            "SEC08-BP02",
            "SEC09-BP02"
        ]
    );
    assert_eq!(
        taxa[sg["relationships"][1]["target"]["index"].as_u64().unwrap() as usize],
        "SEC05-BP02"
    );
}

#[test]
fn sarif_fingerprints_ignore_line_numbers() {
    let fp = |report: &wa_lint_linter::LintReport| {
        let mut out = Vec::new();
        render(report, Format::Sarif, &options(), &mut out).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        v["runs"][0]["results"][0]["partialFingerprints"]["waLintFinding/v1"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let report = common::report();
    let mut moved = common::report();
    // The same finding two lines further down (e.g. after a comment was added above it).
    let l = &mut moved.findings[0].location;
    l.range.start += 20;
    l.range.end += 20;
    l.start.line += 2;
    l.end.line += 2;
    assert_eq!(fp(&report), fp(&moved));
    let mut other = common::report();
    other.findings[0].address = "OtherGroup".into();
    assert_ne!(fp(&report), fp(&other));
}

#[test]
fn output_is_deterministic() {
    for format in wa_lint_report::Format::ALL {
        assert_eq!(rendered(format, &options()), rendered(format, &options()));
    }
}

#[test]
fn empty_report_renders_in_every_format() {
    let empty = wa_lint_linter::LintReport::default();
    let mut human = Vec::new();
    render(&empty, Format::Human, &options(), &mut human).unwrap();
    assert_eq!(
        String::from_utf8(human).unwrap(),
        "0 findings · 0 files, 0 units, 0 resources\n"
    );
    let mut sarif = Vec::new();
    render(&empty, Format::Sarif, &options(), &mut sarif).unwrap();
    let schema: Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let log: Value = serde_json::from_slice(&sarif).unwrap();
    assert!(jsonschema::draft4::new(&schema).unwrap().is_valid(&log));
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    let mut json = Vec::new();
    render(&empty, Format::Json, &options(), &mut json).unwrap();
    let v: Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["findings"], serde_json::json!([]));
}

#[test]
fn unread_files_and_bad_ranges_do_not_panic() {
    let mut report = common::report();
    // A finding in a file that is not in the file table, and one whose range is past the end.
    report.findings[1].location.path = "gone/main.tf".into();
    report.findings[2].location.range = wa_lint_source::TextRange::new(10_000, 10_050);
    report.diagnostics.push(wa_lint_source::Diagnostic {
        path: None,
        range: None,
        level: wa_lint_source::Level::Error,
        code: "rule::error".into(),
        message: "rule WA-X timed out".into(),
        help: None,
        related: Vec::new(),
    });
    let mut out = Vec::new();
    render(&report, Format::Human, &options(), &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("  note: gone/main.tf:1:1: in aws_s3_bucket.logs\n"),
        "{out}"
    );
    assert!(
        out.contains("rule::error [error] rule WA-X timed out"),
        "{out}"
    );
    assert!(out.contains(", 2 errors"), "{out}");
    let mut sarif = Vec::new();
    render(&report, Format::Sarif, &options(), &mut sarif).unwrap();
    let log: Value = serde_json::from_slice(&sarif).unwrap();
    let uris: Vec<&str> = log["runs"][0]["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["location"]["uri"].as_str().unwrap())
        .collect();
    assert!(uris.contains(&"gone/main.tf"));
}
