//! IAM policy documents written as heredocs / quoted templates with unknown interpolations.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use wa_lint_graph::{AttrPath, EdgeKind, PathSeg, Value};
use wa_lint_source::LineCol;

mod common;
use common::{at, parse, strings, unknown_reason};

#[test]
fn heredoc_policy_keeps_known_parts() {
    let text = r#"resource "aws_sqs_queue" "q" { name = "q" }
resource "aws_iam_policy" "p" {
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": "${aws_sqs_queue.q.arn}" }]
}
POLICY
}
"#;
    let (f, g) = parse(text);
    let st = at(&g, "aws_iam_policy.p", &["policy", "Statement", "0"]);
    assert_eq!(st.get("Effect").unwrap().as_str(), Some("Allow"));
    assert_eq!(strings(st.get("Action").unwrap()), ["sqs:SendMessage"]);
    assert_eq!(
        unknown_reason(st.get("Resource").unwrap()),
        "`aws_sqs_queue.q.arn` is known only after apply"
    );
    assert_eq!(
        at(&g, "aws_iam_policy.p", &["policy", "Version"]).as_str(),
        Some("2012-10-17")
    );
    // Every node of the document is located at the heredoc (line 3, after `policy = `).
    let (span, _) = g
        .locate(
            "aws_iam_policy.p",
            &AttrPath(vec![
                PathSeg::Key("policy".into()),
                PathSeg::Key("Statement".into()),
                PathSeg::Index(0),
                PathSeg::Key("Resource".into()),
            ]),
        )
        .unwrap();
    assert_eq!(
        f.line_col(span.range.start),
        LineCol {
            line: 3,
            column: 12
        }
    );
    let edge = g
        .edges
        .iter()
        .find(|e| e.from == "aws_iam_policy.p" && e.to == "aws_sqs_queue.q")
        .unwrap();
    assert_eq!(edge.at, AttrPath(vec![PathSeg::Key("policy".into())]));
    assert_eq!(edge.kind, EdgeKind::Traversal);
}

#[test]
fn action_star_known_next_to_interpolated_resources() {
    let text = r#"variable "bucket" {}
resource "aws_iam_role_policy" "r" {
  role   = "r"
  policy = <<-EOF
    {
      "Statement": [
        { "Effect": "Allow", "Action": "*", "Resource": ["arn:aws:s3:::${var.bucket}/*", "*"] },
        { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
          "Condition": { "StringEquals": { "${var.bucket}": "x" } } }
      ]
    }
  EOF
}
resource "aws_iam_policy" "quoted" {
  policy = "{\"Statement\": {\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"${var.bucket}\"}}"
}
"#;
    let (_, g) = parse(text);
    let st = at(&g, "aws_iam_role_policy.r", &["policy", "Statement", "0"]);
    assert_eq!(st.get("Action").unwrap().as_str(), Some("*"));
    let res = st.get("Resource").unwrap();
    assert!(matches!(&res.value, Value::List(items) if items.len() == 2));
    assert_eq!(
        unknown_reason(at(
            &g,
            "aws_iam_role_policy.r",
            &["policy", "Statement", "0", "Resource", "0"]
        )),
        "variable `bucket` has no value"
    );
    assert_eq!(
        at(
            &g,
            "aws_iam_role_policy.r",
            &["policy", "Statement", "0", "Resource", "1"]
        )
        .as_str(),
        Some("*")
    );
    // A condition with an unknown key: that condition operator's map is unknown.
    let cond = at(
        &g,
        "aws_iam_role_policy.r",
        &["policy", "Statement", "1", "Condition", "StringEquals"],
    );
    assert_eq!(unknown_reason(cond), "variable `bucket` has no value");
    let st = at(&g, "aws_iam_policy.quoted", &["policy", "Statement"]);
    assert_eq!(st.get("Effect").unwrap().as_str(), Some("Deny"));
    assert_eq!(st.get("Action").unwrap().as_str(), Some("*"));
    assert!(st.get("Resource").unwrap().is_unknown());
}

#[test]
fn templates_that_are_not_policy_documents_stay_unknown() {
    let text = r#"resource "aws_sqs_queue" "q" { name = "q" }
resource "aws_iam_policy" "not_json" {
  policy = <<EOF
Statement: allow ${aws_sqs_queue.q.arn}
EOF
}
resource "aws_iam_policy" "unquoted" {
  policy = <<EOF
{"Statement": [{"Effect": "Allow", "Action": ${aws_sqs_queue.q.url}, "Resource": "*"}]}
EOF
}
resource "aws_iam_policy" "no_statement" {
  policy = <<EOF
{"Version": "2012-10-17", "Id": "${aws_sqs_queue.q.arn}"}
EOF
}
resource "aws_sqs_queue" "named" { name = "n-${aws_sqs_queue.q.url}" }
"#;
    // (`url` is computed by the provider; `name` would be the configured "q".)
    let (_, g) = parse(text);
    for address in [
        "aws_iam_policy.not_json",
        "aws_iam_policy.unquoted",
        "aws_iam_policy.no_statement",
    ] {
        let policy = at(&g, address, &["policy"]);
        assert!(
            unknown_reason(policy).starts_with("`aws_sqs_queue.q."),
            "{address}: {policy:?}"
        );
    }
    assert_eq!(
        unknown_reason(at(&g, "aws_sqs_queue.named", &["name"])),
        "`aws_sqs_queue.q.url` is known only after apply"
    );
}
