//! Acceptance cases from `/work/shared/cases` and the terragoat corpus module.
#![allow(
    clippy::case_sensitive_file_extension_comparisons,
    clippy::items_after_statements,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use wa_lint_graph::{
    AttrPath, EdgeKind, Node, ParseOutput, PathSeg, ProvenanceKind, ResourceGraph, Value,
};
use wa_lint_source::{FileId, Format, LineCol, SourceFile};
use wa_lint_terraform::{parse_module, parse_module_with, ModuleOptions};

/// Reads the Terraform files of `dir` (sorted), with paths relative to `dir`.
fn load_dir(dir: &Path) -> Vec<SourceFile> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.ends_with(".tf")
                || n.ends_with(".tfvars")
                || n.ends_with(".tfvars.json")
                || n.ends_with(".tf.json")
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            let text = std::fs::read_to_string(dir.join(&n)).unwrap();
            let format = if n.ends_with(".json") {
                Format::Json
            } else {
                Format::Hcl
            };
            SourceFile::new(FileId(u32::try_from(i).unwrap()), n, text, format)
        })
        .collect()
}

fn case_dir(prefix: &str) -> Option<std::path::PathBuf> {
    let root = Path::new("/work/shared/cases");
    std::fs::read_dir(root)
        .ok()?
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
}

fn parse_dir(dir: &Path) -> (Vec<SourceFile>, ParseOutput) {
    let files = load_dir(dir);
    let out = parse_module("", &files);
    (files, out)
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

/// The node at `segs` inside resource `address`.
fn node_at<'a>(graph: &'a ResourceGraph, address: &str, segs: &[&str]) -> &'a Node {
    let mut node = &graph
        .resources
        .get(address)
        .unwrap_or_else(|| panic!("no resource {address}"))
        .attrs;
    for seg in segs {
        node = match (&node.value, seg.parse::<usize>()) {
            (Value::List(items), Ok(i)) => &items[i],
            (Value::Map(m), _) => {
                &m.get(*seg)
                    .unwrap_or_else(|| panic!("no key {seg} in {address}"))
                    .node
            }
            (other, _) => panic!("cannot step {seg} into {other:?}"),
        };
    }
    node
}

fn strings(node: &Node) -> Vec<String> {
    match &node.value {
        Value::List(items) => items
            .iter()
            .map(|n| n.as_str().unwrap().to_owned())
            .collect(),
        other => panic!("not a list: {other:?}"),
    }
}

/// 1-based line/column where `path` of `address` is located.
fn located(
    files: &[SourceFile],
    graph: &ResourceGraph,
    address: &str,
    segs: &[&str],
) -> (String, LineCol) {
    let (span, _) = graph.locate(address, &path(segs)).unwrap();
    let file = &files[span.file.0 as usize];
    (file.path.clone(), file.line_col(span.range.start))
}

#[test]
fn case_03_comments_in_expressions_and_locals() {
    let Some(dir) = case_dir("03-") else { return };
    let (files, out) = parse_dir(&dir);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let graph = out.graph.unwrap();
    assert_eq!(
        graph.resources.keys().collect::<Vec<_>>(),
        ["aws_security_group.bastion[0]"]
    );
    let cidrs = node_at(
        &graph,
        "aws_security_group.bastion[0]",
        &["ingress", "0", "cidr_blocks"],
    );
    assert_eq!(strings(cidrs), ["203.0.113.0/24", "0.0.0.0/0"]);
    let prov = cidrs.provenance.as_deref().unwrap();
    assert_eq!(
        (prov.kind, prov.name.as_str()),
        (ProvenanceKind::Local, "ssh_sources")
    );
    let (file, at) = located(
        &files,
        &graph,
        "aws_security_group.bastion[0]",
        &["ingress", "0", "cidr_blocks"],
    );
    assert_eq!(
        (file.as_str(), at),
        (
            "main.tf",
            LineCol {
                line: 26,
                column: 5
            }
        )
    );
    // The node itself points at `local.ssh_sources` on line 26; the provenance at the local.
    let f = &files[0];
    assert_eq!(f.line_col(cidrs.span.unwrap().range.start).line, 26);
    assert_eq!(f.line_col(prov.span.unwrap().range.start).line, 4);
    // The ingress block and the header are located too.
    let (_, block_at) = located(
        &files,
        &graph,
        "aws_security_group.bastion[0]",
        &["ingress", "0"],
    );
    assert_eq!(block_at.line, 21);
    let r = &graph.resources["aws_security_group.bastion[0]"];
    assert_eq!(
        f.line_col(r.header.range.start),
        LineCol {
            line: 16,
            column: 1
        }
    );
    assert_eq!(
        &f.text[r.header.range.start as usize..r.header.range.end as usize],
        r#"resource "aws_security_group" "bastion""#
    );
    assert_eq!(
        node_at(
            &graph,
            "aws_security_group.bastion[0]",
            &["ingress", "0", "from_port"]
        )
        .value,
        Value::Number(wa_lint_graph::Number::Int(22))
    );
}

#[test]
fn case_08_sse_from_variable_default_and_edge() {
    let Some(dir) = case_dir("08-") else { return };
    let (files, out) = parse_dir(&dir);
    let text = &files[0].text;
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let graph = out.graph.unwrap();
    let addr = "aws_s3_bucket_server_side_encryption_configuration.data";
    let alg = node_at(
        &graph,
        addr,
        &[
            "rule",
            "0",
            "apply_server_side_encryption_by_default",
            "0",
            "sse_algorithm",
        ],
    );
    assert_eq!(alg.as_str(), Some("AES256"));
    let key = node_at(
        &graph,
        addr,
        &[
            "rule",
            "0",
            "apply_server_side_encryption_by_default",
            "0",
            "kms_master_key_id",
        ],
    );
    assert_eq!(key.value, Value::Null);
    // `aws_s3_bucket.data.id` is the configured bucket name (the provider documents
    // `id` = bucket name), located at the reference with the argument as provenance.
    let bucket = node_at(&graph, addr, &["bucket"]);
    assert_eq!(bucket.as_str(), Some("example-data"));
    let prov = bucket.provenance.as_deref().unwrap();
    assert_eq!(prov.kind, wa_lint_graph::ProvenanceKind::ResourceArgument);
    assert_eq!(prov.name, "aws_s3_bucket.data.bucket");
    let span = prov.span.unwrap();
    assert_eq!(
        &text[span.range.start as usize..span.range.end as usize],
        "\"example-data\""
    );
    let edges: Vec<_> = graph
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str(), e.at.to_string(), e.kind))
        .collect();
    assert_eq!(
        edges,
        [(
            addr,
            "aws_s3_bucket.data",
            "bucket".to_owned(),
            EdgeKind::Traversal
        )]
    );
}

#[test]
fn case_08_var_override_from_command_line() {
    let Some(dir) = case_dir("08-") else { return };
    let files = load_dir(&dir);
    let options = ModuleOptions {
        vars: vec![("kms_key_arn".into(), "arn:aws:kms:eu-west-1:1:key/x".into())],
        ..ModuleOptions::default()
    };
    let graph = parse_module_with("", &files, &options).graph.unwrap();
    let addr = "aws_s3_bucket_server_side_encryption_configuration.data";
    let alg = node_at(
        &graph,
        addr,
        &[
            "rule",
            "0",
            "apply_server_side_encryption_by_default",
            "0",
            "sse_algorithm",
        ],
    );
    assert_eq!(alg.as_str(), Some("aws:kms"));
    let key = node_at(
        &graph,
        addr,
        &[
            "rule",
            "0",
            "apply_server_side_encryption_by_default",
            "0",
            "kms_master_key_id",
        ],
    );
    assert_eq!(key.as_str(), Some("arn:aws:kms:eu-west-1:1:key/x"));
    assert_eq!(
        key.provenance.as_deref().unwrap().kind,
        ProvenanceKind::VariableValue
    );
}

#[test]
fn case_09_count_index_edge_to_instance() {
    let Some(dir) = case_dir("09-") else { return };
    let (_, out) = parse_dir(&dir);
    let graph = out.graph.unwrap();
    assert_eq!(
        graph.resources.keys().collect::<Vec<_>>(),
        [
            "aws_kms_key.bucket[0]",
            "aws_s3_bucket.logs",
            "aws_s3_bucket_server_side_encryption_configuration.logs[0]"
        ]
    );
    let edges: Vec<_> = graph
        .edges
        .iter()
        .map(|e| (e.to.as_str(), e.at.to_string()))
        .collect();
    assert_eq!(
        edges,
        [
            (
                "aws_kms_key.bucket[0]",
                "rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id".to_owned()
            ),
            ("aws_s3_bucket.logs", "bucket".to_owned())
        ]
    );
}

#[test]
fn case_19_tfvars_json_for_each() {
    let Some(dir) = case_dir("19-") else { return };
    let (files, out) = parse_dir(&dir);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let graph = out.graph.unwrap();
    assert_eq!(
        graph.resources.keys().collect::<Vec<_>>(),
        [
            r#"aws_ebs_volume.this["data"]"#,
            r#"aws_ebs_volume.this["scratch"]"#
        ]
    );
    let addr = r#"aws_ebs_volume.this["scratch"]"#;
    let enc = node_at(&graph, addr, &["encrypted"]);
    assert_eq!(enc.value, Value::Bool(false));
    let (file, at) = located(&files, &graph, addr, &["encrypted"]);
    assert_eq!((file.as_str(), at.line), ("main.tf", 14));
    let prov = enc.provenance.as_deref().unwrap();
    assert_eq!(
        (prov.kind, prov.name.as_str()),
        (ProvenanceKind::VariableValue, "volumes")
    );
    let origin = prov.span.unwrap();
    let vars = &files[origin.file.0 as usize];
    assert_eq!(
        (vars.path.as_str(), vars.line_col(origin.range.start).line),
        ("terraform.tfvars.json", 3)
    );
    assert_eq!(
        node_at(&graph, addr, &["tags", "Name"]).as_str(),
        Some("scratch")
    );
    assert_eq!(
        node_at(&graph, r#"aws_ebs_volume.this["data"]"#, &["size"]).value,
        Value::Number(wa_lint_graph::Number::Int(100))
    );
}

#[test]
fn case_20_dynamic_from_locals() {
    let Some(dir) = case_dir("20-") else { return };
    let (files, out) = parse_dir(&dir);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let graph = out.graph.unwrap();
    let addr = "aws_security_group.edge";
    let ssh = node_at(&graph, addr, &["ingress", "1"]);
    assert_eq!(ssh.get("description").unwrap().as_str(), Some("ssh"));
    assert_eq!(
        ssh.get("from_port").unwrap().value,
        Value::Number(wa_lint_graph::Number::Int(22))
    );
    let cidrs = ssh.get("cidr_blocks").unwrap();
    assert_eq!(strings(cidrs), ["0.0.0.0/0"]);
    let (_, at) = located(&files, &graph, addr, &["ingress", "1", "cidr_blocks"]);
    assert_eq!(at.line, 19);
    let prov = cidrs.provenance.as_deref().unwrap();
    assert_eq!(
        (prov.kind, prov.name.as_str()),
        (ProvenanceKind::Local, "public_rules")
    );
    assert_eq!(files[0].line_col(prov.span.unwrap().range.start).line, 4);
    assert_eq!(
        node_at(&graph, addr, &["ingress", "0", "from_port"]).value,
        Value::Number(wa_lint_graph::Number::Int(443))
    );
}

#[test]
fn case_21_unknown_dynamic_and_degenerate_file() {
    let Some(dir) = case_dir("21-") else { return };
    let (files, out) = parse_dir(&dir);
    let graph = out.graph.unwrap();
    let ingress = node_at(&graph, "aws_security_group.svc", &["ingress"]);
    let Value::List(blocks) = &ingress.value else {
        panic!("ingress not a list")
    };
    assert_eq!(blocks.len(), 1);
    assert!(blocks[0].get("from_port").unwrap().is_unknown());
    assert_eq!(
        strings(blocks[0].get("cidr_blocks").unwrap()),
        ["0.0.0.0/0"]
    );
    let diags: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| {
            let f = files
                .iter()
                .find(|f| Some(&f.path) == d.path.as_ref())
                .unwrap();
            (
                f.path.as_str(),
                f.line_col(d.range.unwrap().start).line,
                d.code.as_str(),
            )
        })
        .collect();
    assert_eq!(
        diags,
        [
            ("degenerate.tf", 1, "tf::invalid-block"),
            ("degenerate.tf", 2, "tf::invalid-block"),
            ("degenerate.tf", 3, "tf::invalid-reference")
        ]
    );
    // With the variable set, the dynamic block expands to exactly one SSH rule.
    let options = ModuleOptions {
        vars: vec![("features".into(), "{admin_ssh = true}".into())],
        ..ModuleOptions::default()
    };
    let graph = parse_module_with("", &files, &options).graph.unwrap();
    let port = node_at(
        &graph,
        "aws_security_group.svc",
        &["ingress", "0", "from_port"],
    );
    assert_eq!(port.value, Value::Number(wa_lint_graph::Number::Int(22)));
}

#[test]
fn syntax_error_next_to_good_file() {
    let good = SourceFile::new(
        FileId(0),
        "a/good.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n",
        Format::Hcl,
    );
    let bad = SourceFile::new(
        FileId(1),
        "a/zbad.tf",
        "locals {\n  x = [1, 2\n}\nresource \"aws_kms_key\" \"k\" {}\n",
        Format::Hcl,
    );
    let out = parse_module("a", &[good, bad.clone()]);
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    let d = &out.diagnostics[0];
    assert_eq!(
        (d.code.as_str(), d.path.as_deref()),
        ("tf::syntax", Some("a/zbad.tf"))
    );
    assert_eq!(
        bad.line_col(d.range.unwrap().start),
        LineCol { line: 3, column: 1 }
    );
    let graph = out.graph.unwrap();
    assert_eq!(
        graph.resources.keys().collect::<Vec<_>>(),
        ["aws_s3_bucket.b"]
    );
    assert_eq!(graph.unit.files.len(), 2);
}

#[test]
fn local_cycle_is_reported_and_unknown() {
    let text = "locals {\n  a = local.b\n  b = local.a\n  c = 1\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = local.a\n  n = local.c\n}\n";
    let f = SourceFile::new(FileId(0), "main.tf", text, Format::Hcl);
    let out = parse_module("", std::slice::from_ref(&f));
    let codes: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), f.line_col(d.range.unwrap().start).line))
        .collect();
    assert_eq!(codes, [("tf::local-cycle", 2), ("tf::local-cycle", 3)]);
    let graph = out.graph.unwrap();
    assert!(node_at(&graph, "aws_s3_bucket.b", &["bucket"]).is_unknown());
    assert_eq!(
        node_at(&graph, "aws_s3_bucket.b", &["n"]).value,
        Value::Number(wa_lint_graph::Number::Int(1))
    );
}

#[test]
fn policies_functions_and_partial_values() {
    let text = r#"
variable "env" { default = "Prod" }
locals {
  names = [for n in ["a", "b"] : "${lower(var.env)}-${n}"]
}
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["s3:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}
resource "aws_s3_bucket" "b" {
  for_each = toset(local.names)
  bucket   = each.key
  tags     = { Owner = aws_iam_user.u.name, Env = var.env }
}
resource "aws_iam_user" "u" { name = "u" }
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b["prod-a"].id
  policy = data.aws_iam_policy_document.p.json
}
resource "aws_iam_policy" "j" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = aws_s3_bucket.b["prod-b"].arn }]
  })
}
resource "aws_iam_policy" "h" {
  policy = <<EOF
{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}
EOF
  description = try(local.names[5], "fallback ${length(local.names)}")
  depends_on  = [aws_iam_user.u]
  name        = format("%s-%d", "x", 3)
  path        = cidrsubnet("10.0.0.0/16", 8, 2)
  tags        = merge({ a = "1" }, { b = upper("x") })
}
"#;
    let f = SourceFile::new(FileId(0), "main.tf", text, Format::Hcl);
    let out = parse_module("", std::slice::from_ref(&f));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let g = out.graph.unwrap();
    assert!(g.resources.contains_key(r#"aws_s3_bucket.b["prod-a"]"#));
    assert!(g.resources.contains_key(r#"aws_s3_bucket.b["prod-b"]"#));
    let tags = node_at(&g, r#"aws_s3_bucket.b["prod-a"]"#, &["tags"]);
    // The configured name of the user is known at plan time.
    assert_eq!(tags.get("Owner").unwrap().as_str(), Some("u"));
    assert_eq!(tags.get("Env").unwrap().as_str(), Some("Prod"));
    // data source json → IAM document shape
    let st = node_at(&g, "aws_s3_bucket_policy.p", &["policy", "Statement", "0"]);
    assert_eq!(st.get("Effect").unwrap().as_str(), Some("Allow"));
    assert_eq!(strings(st.get("Action").unwrap()), ["s3:*"]);
    assert_eq!(
        strings(st.get("Principal").unwrap().get("AWS").unwrap()),
        ["*"]
    );
    // jsonencode keeps the object, with the unknown Resource inside
    let st = node_at(&g, "aws_iam_policy.j", &["policy", "Statement", "0"]);
    assert_eq!(st.get("Action").unwrap().as_str(), Some("*"));
    assert!(st.get("Resource").unwrap().is_unknown());
    // heredoc JSON → map
    let st = node_at(&g, "aws_iam_policy.h", &["policy", "Statement", "0"]);
    assert_eq!(st.get("Effect").unwrap().as_str(), Some("Deny"));
    assert_eq!(
        node_at(&g, "aws_iam_policy.h", &["description"]).as_str(),
        Some("fallback 2")
    );
    assert_eq!(
        node_at(&g, "aws_iam_policy.h", &["name"]).as_str(),
        Some("x-3")
    );
    assert_eq!(
        node_at(&g, "aws_iam_policy.h", &["path"]).as_str(),
        Some("10.0.2.0/24")
    );
    assert_eq!(
        node_at(&g, "aws_iam_policy.h", &["tags", "b"]).as_str(),
        Some("X")
    );
    assert!(g.resources["aws_iam_policy.h"]
        .attrs
        .get("depends_on")
        .is_none());
    let edges: Vec<_> = g
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str(), e.kind))
        .collect();
    assert!(edges.contains(&("aws_iam_policy.h", "aws_iam_user.u", EdgeKind::DependsOn)));
    assert!(edges.contains(&(
        "aws_s3_bucket_policy.p",
        r#"aws_s3_bucket.b["prod-a"]"#,
        EdgeKind::Traversal
    )));
    assert!(!edges.contains(&(
        "aws_s3_bucket_policy.p",
        r#"aws_s3_bucket.b["prod-b"]"#,
        EdgeKind::Traversal
    )));
    assert!(edges.contains(&(
        "aws_s3_bucket_policy.p",
        "data.aws_iam_policy_document.p",
        EdgeKind::Traversal
    )));
    assert!(edges.contains(&(
        r#"aws_s3_bucket.b["prod-a"]"#,
        "aws_iam_user.u",
        EdgeKind::Traversal
    )));
}

#[test]
fn terragoat_aws() {
    let dir = Path::new("/work/shared/corpus/terragoat/terraform/aws");
    if !dir.exists() {
        return;
    }
    let (files, out) = parse_dir(dir);
    let graph = out.graph.unwrap();
    let db = "aws_db_instance.default";
    assert_eq!(
        node_at(&graph, db, &["storage_encrypted"]).value,
        Value::Bool(false)
    );
    let (file, at) = located(&files, &graph, db, &["storage_encrypted"]);
    assert_eq!((file.as_str(), at.line), ("db-app.tf", 19));
    let (file, at) = located(&files, &graph, db, &["publicly_accessible"]);
    assert_eq!((file.as_str(), at.line), ("db-app.tf", 22));
    let ingress = node_at(&graph, "aws_security_group.web-node", &["ingress"]);
    let Value::List(rules) = &ingress.value else {
        panic!()
    };
    assert_eq!(rules.len(), 2);
    assert!(rules.iter().any(|r| r.get("from_port").map(|p| &p.value)
        == Some(&Value::Number(wa_lint_graph::Number::Int(22)))));
    assert!(graph.resources["aws_ebs_volume.web_host_storage"]
        .attrs
        .get("encrypted")
        .is_none());
    assert!(graph.resources["aws_kms_key.logs_key"]
        .attrs
        .get("enable_key_rotation")
        .is_none());
    assert!(
        out.diagnostics
            .iter()
            .all(|d| d.level != wa_lint_source::Level::Error),
        "{:?}",
        out.diagnostics
    );
}

/// A dynamic block over more than 1,000 elements is cut like `count`, with the same warning
/// (the cut was silent: an open rule at element 1,001 gave no finding and no diagnostic; found
/// by a fresh tester).
#[test]
fn dynamic_block_over_the_instance_limit_is_a_warning() {
    let text = r#"
resource "aws_security_group" "s" {
  dynamic "ingress" {
    for_each = [for i in range(1001) : i == 1000 ? "0.0.0.0/0" : "10.0.0.0/8"]
    content {
      cidr_blocks = [ingress.value]
    }
  }
}
"#;
    let f = SourceFile::new(FileId(0), "main.tf", text, Format::Hcl);
    let out = parse_module("", std::slice::from_ref(&f));
    let diags: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.level, d.message.as_str()))
        .collect();
    assert_eq!(
        diags,
        [(
            "tf::too-many-instances",
            wa_lint_source::Level::Warning,
            "dynamic block `ingress` expands to 1001 blocks; only the first 1000 are checked"
        )]
    );
}

#[test]
fn bounded_expansion_and_unknown_for_each() {
    let text = r#"
variable "names" {}
resource "aws_sqs_queue" "many" { count = 100000 }
resource "aws_sqs_queue" "each" {
  for_each = var.names
  name     = each.key
}
resource "aws_sqs_queue" "none" { count = 0 }
"#;
    let f = SourceFile::new(FileId(0), "main.tf", text, Format::Hcl);
    let out = parse_module("", std::slice::from_ref(&f));
    let codes: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.level))
        .collect();
    assert_eq!(
        codes,
        [("tf::too-many-instances", wa_lint_source::Level::Warning)]
    );
    let g = out.graph.unwrap();
    assert_eq!(
        g.resources
            .keys()
            .filter(|k| k.starts_with("aws_sqs_queue.many["))
            .count(),
        1000
    );
    assert!(!g
        .resources
        .keys()
        .any(|k| k.starts_with("aws_sqs_queue.none")));
    let name = node_at(&g, "aws_sqs_queue.each", &["name"]);
    assert_eq!(
        name.value,
        Value::Unknown("variable `names` has no value".into())
    );
}
