//! References to other resources' attributes: configured arguments are known at plan time,
//! computed attributes stay Unknown "known only after apply"; cycles terminate.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use wa_lint_graph::{Node, ProvenanceKind, ResourceGraph, Value};
use wa_lint_source::{FileId, Format, SourceFile};

mod common;
use common::{parse, strings, unknown_reason as unknown};

fn attr<'a>(g: &'a ResourceGraph, address: &str, key: &str) -> &'a Node {
    g.resources
        .get(address)
        .unwrap_or_else(|| panic!("no {address}"))
        .attrs
        .get(key)
        .unwrap_or_else(|| panic!("no {key} in {address}"))
}

fn text_at<'a>(f: &'a SourceFile, node: &Node) -> &'a str {
    let s = node.span.unwrap().range;
    &f.text[s.start as usize..s.end as usize]
}

#[test]
fn plain_reference_reads_the_configured_argument_with_provenance() {
    let text = r#"variable "env" { default = "prod" }
resource "aws_sqs_queue" "q" {
  name = "orders-${var.env}"
}
resource "null_thing" "t" {
  queue = aws_sqs_queue.q.name
  url   = aws_sqs_queue.q.url
}
"#;
    let (f, g) = parse(text);
    let queue = attr(&g, "null_thing.t", "queue");
    assert_eq!(queue.as_str(), Some("orders-prod"));
    // Located where it is used, with the argument it came from as provenance.
    assert_eq!(text_at(&f, queue), "aws_sqs_queue.q.name");
    let prov = queue.provenance.as_deref().unwrap();
    assert_eq!(prov.kind, ProvenanceKind::ResourceArgument);
    assert_eq!(prov.name, "aws_sqs_queue.q.name");
    let at = prov.span.unwrap().range;
    assert_eq!(
        &text[at.start as usize..at.end as usize],
        "\"orders-${var.env}\""
    );
    assert_eq!(
        prov.to_string(),
        "configured argument `aws_sqs_queue.q.name`"
    );
    // A computed attribute stays Unknown with its reason.
    assert_eq!(
        unknown(attr(&g, "null_thing.t", "url")),
        "`aws_sqs_queue.q.url` is known only after apply"
    );
}

#[test]
fn count_index_for_each_key_and_splat_select_instances() {
    let text = r#"resource "aws_subnet" "s" {
  count      = 2
  cidr_block = "10.0.${count.index}.0/24"
}
resource "aws_iam_user" "u" {
  for_each = toset(["alice", "bob"])
  name     = "user-${each.key}"
}
resource "null_thing" "t" {
  second = aws_subnet.s[1].cidr_block
  all    = aws_subnet.s[*].cidr_block
  ids    = aws_subnet.s[*].id
  bob    = aws_iam_user.u["bob"].name
  none   = aws_subnet.s[5].cidr_block
}
"#;
    let (_, g) = parse(text);
    assert_eq!(
        attr(&g, "null_thing.t", "second").as_str(),
        Some("10.0.1.0/24")
    );
    assert_eq!(
        strings(attr(&g, "null_thing.t", "all")),
        ["10.0.0.0/24", "10.0.1.0/24"]
    );
    // One element per instance; each computed `id` is Unknown on its own.
    let Value::List(ids) = &attr(&g, "null_thing.t", "ids").value else {
        panic!()
    };
    assert_eq!(ids.len(), 2);
    assert_eq!(
        unknown(&ids[0]),
        "`aws_subnet.s[*].id` is known only after apply"
    );
    assert_eq!(attr(&g, "null_thing.t", "bob").as_str(), Some("user-bob"));
    assert_eq!(
        attr(&g, "null_thing.t", "bob")
            .provenance
            .as_deref()
            .unwrap()
            .name,
        "aws_iam_user.u[\"bob\"].name"
    );
    // No such instance: not resolved.
    assert!(attr(&g, "null_thing.t", "none").is_unknown());
}

#[test]
fn nested_block_attributes_and_ids_of_documented_types() {
    let text = r#"resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
resource "aws_iam_role" "r" {
  name_prefix = "app-"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "e" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
resource "null_thing" "t" {
  algo       = aws_s3_bucket_server_side_encryption_configuration.e.rule[0].apply_server_side_encryption_by_default[0].sse_algorithm
  key        = aws_s3_bucket_server_side_encryption_configuration.e.rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id
  sse_bucket = aws_s3_bucket_server_side_encryption_configuration.e.bucket
  role_id    = aws_iam_role.r.id
  arn        = aws_s3_bucket.logs.arn
}
"#;
    let (_, g) = parse(text);
    assert_eq!(attr(&g, "null_thing.t", "algo").as_str(), Some("aws:kms"));
    // Not configured inside the block: the provider may set it.
    assert!(attr(&g, "null_thing.t", "key").is_unknown());
    // Chained: `e.bucket` is `logs.id`, which is the bucket name.
    assert_eq!(
        attr(&g, "null_thing.t", "sse_bucket").as_str(),
        Some("acme-logs")
    );
    assert_eq!(
        attr(
            &g,
            "aws_s3_bucket_server_side_encryption_configuration.e",
            "bucket"
        )
        .provenance
        .as_deref()
        .unwrap()
        .name,
        "aws_s3_bucket.logs.bucket"
    );
    // `id` of a role is its name, but `name` is not configured (name_prefix): Unknown.
    assert_eq!(
        unknown(attr(&g, "null_thing.t", "role_id")),
        "`aws_iam_role.r.id` is known only after apply"
    );
    // ARNs need account and region.
    assert_eq!(
        unknown(attr(&g, "null_thing.t", "arn")),
        "`aws_s3_bucket.logs.arn` is known only after apply"
    );
}

#[test]
fn configured_null_stays_unknown() {
    let text = r#"variable "name" {
  type    = string
  default = null
}
resource "aws_iam_role" "r" {
  name = var.name
}
resource "null_thing" "t" {
  role = aws_iam_role.r.name
}
"#;
    let (_, g) = parse(text);
    assert_eq!(
        unknown(attr(&g, "null_thing.t", "role")),
        "`aws_iam_role.r.name` is known only after apply"
    );
}

#[test]
fn reference_cycles_terminate_with_a_reason() {
    let text = r#"resource "aws_sqs_queue" "a" {
  name = "a-${aws_sqs_queue.b.name}"
}
resource "aws_sqs_queue" "b" {
  name = "b-${aws_sqs_queue.a.name}"
}
resource "aws_sqs_queue" "self" {
  name = aws_sqs_queue.self.name
}
"#;
    let (_, g) = parse(text);
    assert_eq!(
        unknown(attr(&g, "aws_sqs_queue.a", "name")),
        "resources refer to each other in a cycle (aws_sqs_queue.a → aws_sqs_queue.b → aws_sqs_queue.a)"
    );
    assert_eq!(
        unknown(attr(&g, "aws_sqs_queue.b", "name")),
        "resources refer to each other in a cycle (aws_sqs_queue.b → aws_sqs_queue.a → aws_sqs_queue.b)"
    );
    assert_eq!(
        unknown(attr(&g, "aws_sqs_queue.self", "name")),
        "resources refer to each other in a cycle (aws_sqs_queue.self → aws_sqs_queue.self)"
    );
}

#[test]
fn long_reference_chains_stop_without_overflowing() {
    use std::fmt::Write as _;
    let mut text = String::from("resource \"aws_sqs_queue\" \"q0\" { name = \"q\" }\n");
    for i in 1..200 {
        let _ = writeln!(
            text,
            "resource \"aws_sqs_queue\" \"q{i}\" {{ name = aws_sqs_queue.q{}.name }}",
            i - 1
        );
    }
    let (_, g) = parse(&text);
    // Near the start the chain resolves; far from it the depth limit gives Unknown.
    assert_eq!(attr(&g, "aws_sqs_queue.q3", "name").as_str(), Some("q"));
    assert_eq!(g.resources.len(), 200);
}

#[test]
fn json_policies_read_through_a_reference_stay_strings() {
    let text = r#"resource "aws_iam_policy" "p" {
  policy = <<EOF
{"Version": "2012-10-17", "Statement": []}
EOF
}
resource "null_thing" "t" {
  doc = jsondecode(aws_iam_policy.p.policy).Version
}
"#;
    let (_, g) = parse(text);
    assert_eq!(attr(&g, "null_thing.t", "doc").as_str(), Some("2012-10-17"));
    // The resource itself still sees the decoded document.
    assert!(matches!(
        attr(&g, "aws_iam_policy.p", "policy").value,
        Value::Map(_)
    ));
}

/// `-var-file a -var x=1 -var-file b`: applied in command-line order, later wins.
#[test]
fn var_and_var_file_interleave_in_command_line_order() {
    use wa_lint_terraform::{parse_module_with, ModuleOptions, VarSource};
    let main = SourceFile::new(
        FileId(0),
        "main.tf",
        "variable \"x\" {}\nvariable \"y\" {}\nresource \"null_thing\" \"t\" {\n  x = var.x\n  y = var.y\n}\n",
        Format::Hcl,
    );
    let a = SourceFile::new(FileId(1), "a.tfvars", "x = \"a\"\ny = \"a\"\n", Format::Hcl);
    let b = SourceFile::new(FileId(2), "b.tfvars", "x = \"b\"\n", Format::Hcl);
    let run = |order: Vec<VarSource>| {
        let options = ModuleOptions {
            var_files: vec![a.clone(), b.clone()],
            vars: vec![("x".into(), "1".into()), ("y".into(), "cli".into())],
            var_order: order,
            ..ModuleOptions::default()
        };
        let out = parse_module_with(".", std::slice::from_ref(&main), &options);
        let g = out.graph.unwrap();
        let get = |k: &str| attr(&g, "null_thing.t", k).value.clone();
        (get("x"), get("y"))
    };
    let s = |v: &str| Value::String(v.into());
    // -var-file a -var x=1 -var-file b -var y=cli: b wins for x, the -var for y.
    assert_eq!(
        run(vec![
            VarSource::File(0),
            VarSource::Var(0),
            VarSource::File(1),
            VarSource::Var(1)
        ]),
        (s("b"), s("cli"))
    );
    // -var x=1 -var y=cli -var-file a -var-file b: the files come later and win.
    assert_eq!(
        run(vec![
            VarSource::Var(0),
            VarSource::Var(1),
            VarSource::File(0),
            VarSource::File(1)
        ]),
        (s("b"), s("a"))
    );
    // No order given: files, then -var (the -var values win).
    assert_eq!(
        run(Vec::new()),
        (Value::Number(wa_lint_graph::Number::Int(1)), s("cli"))
    );
}
