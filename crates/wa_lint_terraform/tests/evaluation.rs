//! Terraform evaluation as Terraform does it: policy document merging, `count`/`for_each`
//! fed by other resources, unknown inputs kept symbolic, invalid configurations reported.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use wa_lint_graph::{Node, ParseOutput, ResourceGraph, Value};
use wa_lint_source::{FileId, Format, SourceFile};
use wa_lint_terraform::{parse_module_with, ModuleOptions};

mod common;
use common::{at, parse, strings, unknown_reason};

fn parse_with(text: &str, options: &ModuleOptions) -> (SourceFile, ParseOutput) {
    let f = SourceFile::new(FileId(0), "main.tf", text, Format::Hcl);
    let out = parse_module_with("", std::slice::from_ref(&f), options);
    (f, out)
}

fn statements(g: &ResourceGraph, address: &str) -> Vec<(String, Vec<String>)> {
    let Value::List(items) = &at(g, address, &["policy", "Statement"]).value else {
        panic!("no statements");
    };
    items
        .iter()
        .map(|s| {
            (
                s.get("Sid")
                    .and_then(Node::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                strings(s.get("Action").unwrap())
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            )
        })
        .collect()
}

fn st(sid: &str, actions: &[&str]) -> (String, Vec<String>) {
    (
        sid.to_owned(),
        actions.iter().map(|a| (*a).to_owned()).collect(),
    )
}

const DOCS: &str = r#"data "aws_iam_policy_document" "combined" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json, data.aws_iam_policy_document.admin.json]
  override_policy_documents = [data.aws_iam_policy_document.over.minified_json]
  statement {
    sid       = "Admin"
    actions   = ["s3:ListBucket"]
    resources = ["*"]
  }
  statement {
    actions   = ["sqs:SendMessage"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "admin" {
  statement {
    sid       = "Admin"
    actions   = ["*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "over" {
  statement {
    sid       = "Read"
    actions   = ["s3:*"]
    resources = ["*"]
  }
  statement {
    sid       = "Extra"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "wrapper" {
  source_policy_documents = [data.aws_iam_policy_document.admin.json]
}

resource "aws_iam_policy" "combined" {
  policy = data.aws_iam_policy_document.combined.json
}

resource "aws_iam_policy" "wrapper" {
  policy = data.aws_iam_policy_document.wrapper.json
}

resource "aws_iam_policy" "minified" {
  policy = data.aws_iam_policy_document.admin.minified_json
}

variable "extra" {
  type = string
}

data "aws_iam_policy_document" "unknown_source" {
  source_policy_documents = [var.extra]
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "unknown_source" {
  policy = data.aws_iam_policy_document.unknown_source.json
}

data "aws_iam_policy_document" "json_source" {
  source_policy_documents = [jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "J", Effect = "Allow", Action = "ec2:*", Resource = "*" }]
  })]
}

resource "aws_iam_policy" "json_source" {
  policy = data.aws_iam_policy_document.json_source.json
}
"#;

#[test]
fn policy_documents_merge_source_and_override_documents_like_the_provider() {
    let (_, g) = parse(DOCS);
    // Sources in order, then own statements replacing same-sid ones in place, then
    // overrides replacing in place or appended.
    assert_eq!(
        statements(&g, "aws_iam_policy.combined"),
        vec![
            st("Read", &["s3:*"]),
            st("Admin", &["s3:ListBucket"]),
            st("", &["sqs:SendMessage"]),
            st("Extra", &["kms:Decrypt"]),
        ]
    );
    // A document made only of a source document is that document.
    assert_eq!(
        statements(&g, "aws_iam_policy.wrapper"),
        vec![st("Admin", &["*"])]
    );
    // `.minified_json` is `.json`.
    assert_eq!(
        statements(&g, "aws_iam_policy.minified"),
        vec![st("Admin", &["*"])]
    );
    // A JSON string as source.
    assert_eq!(
        statements(&g, "aws_iam_policy.json_source"),
        vec![st("J", &["ec2:*"])]
    );
    // An unknown source makes the document unknown, never a pass.
    assert_eq!(
        unknown_reason(at(&g, "aws_iam_policy.unknown_source", &["policy"])),
        "a document of `source_policy_documents` is not known: variable `extra` has no value"
    );
}

#[test]
fn dynamic_block_over_an_unknown_collection_keeps_one_unknown_block() {
    let text = r#"variable "ingress" {
  type = list(object({ port = number, cidrs = list(string) }))
}

resource "aws_security_group" "u" {
  name = "u"
  dynamic "ingress" {
    for_each = var.ingress
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ingress.value.cidrs
    }
  }
}
"#;
    let (f, g) = parse(text);
    let Value::List(blocks) = &at(&g, "aws_security_group.u", &["ingress"]).value else {
        panic!("ingress is a list");
    };
    assert_eq!(blocks.len(), 1);
    let port = at(&g, "aws_security_group.u", &["ingress", "0", "from_port"]);
    assert_eq!(
        unknown_reason(port),
        "for_each of dynamic block `ingress` is not known: variable `ingress` has no value"
    );
    assert_eq!(
        f.line_col(port.span.unwrap().range.start).line,
        10,
        "the attribute inside the content block"
    );
    assert_eq!(
        at(&g, "aws_security_group.u", &["ingress", "0", "protocol"]).as_str(),
        Some("tcp")
    );
    assert_eq!(
        unknown_reason(at(
            &g,
            "aws_security_group.u",
            &["ingress", "0", "cidr_blocks"]
        )),
        "for_each of dynamic block `ingress` is not known: variable `ingress` has no value"
    );
}

#[test]
fn a_variable_without_value_has_no_value_from_provenance() {
    let text = r#"variable "c" {
  type = string
}
variable "d" {
  default = "10.0.0.0/8"
}
resource "aws_security_group" "s" {
  ingress {
    cidr_blocks = [var.c, var.d]
  }
}
"#;
    let (_, g) = parse(text);
    let c = at(
        &g,
        "aws_security_group.s",
        &["ingress", "0", "cidr_blocks", "0"],
    );
    assert_eq!(unknown_reason(c), "variable `c` has no value");
    assert_eq!(c.provenance, None);
    // A default that is a value keeps its provenance.
    let d = at(
        &g,
        "aws_security_group.s",
        &["ingress", "0", "cidr_blocks", "1"],
    );
    assert_eq!(d.provenance.as_ref().unwrap().name, "d");
}

#[test]
fn a_missing_local_module_is_a_located_warning_naming_the_resolved_path() {
    let text = "module \"gone\" {\n  source = \"./does-not-exist\"\n}\nresource \"null_thing\" \"t\" {\n  v = module.gone.id\n}\n";
    let (f, out) = parse_with(text, &ModuleOptions::default());
    let d: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.level,
                d.code.as_str(),
                d.message.as_str(),
                f.line_col(d.range.unwrap().start).line,
            )
        })
        .collect();
    assert_eq!(
        d,
        vec![(
            wa_lint_source::Level::Warning,
            "tf::module-not-found",
            "module `module.gone`: local source \"./does-not-exist\" resolves to \
             `does-not-exist`, which holds no Terraform files of the scan",
            2
        )]
    );
    let g = out.graph.unwrap();
    assert_eq!(
        unknown_reason(at(&g, "null_thing.t", &["v"])),
        "module `module.gone` (source \"./does-not-exist\") is not found"
    );
}

fn addresses(g: &ResourceGraph, prefix: &str) -> Vec<String> {
    g.resources
        .keys()
        .filter(|a| a.starts_with(prefix))
        .cloned()
        .collect()
}

#[test]
fn count_and_for_each_read_other_resources_instances_and_configured_arguments() {
    let text = r#"resource "aws_iam_user" "u" {
  count = 2
  name  = "user-${count.index}"
}

resource "aws_iam_user" "m" {
  for_each = toset(["alice", "bob"])
  name     = "${each.key}-x"
}

resource "aws_iam_access_key" "fe" {
  for_each = aws_iam_user.m
  user     = each.value.name
  pgp_key  = each.value.arn
}

resource "aws_iam_access_key" "cnt" {
  count = length(aws_iam_user.u)
  user  = aws_iam_user.u[count.index].name
}

resource "aws_security_group" "inst" {
  count = 2
  name  = "inst-${count.index}"
}

resource "aws_vpc_security_group_ingress_rule" "splat" {
  for_each          = toset(aws_security_group.inst[*].name)
  security_group_id = each.key
}

resource "aws_vpc_security_group_ingress_rule" "chain" {
  for_each          = aws_vpc_security_group_ingress_rule.splat
  security_group_id = each.value.security_group_id
}

resource "aws_instance" "computed" {
  for_each = toset(aws_security_group.inst[*].id)
  ami      = "ami-1"
}
"#;
    let (_, g) = parse(text);
    assert_eq!(
        addresses(&g, "aws_iam_access_key.fe"),
        vec![
            "aws_iam_access_key.fe[\"alice\"]",
            "aws_iam_access_key.fe[\"bob\"]"
        ]
    );
    let user = at(&g, "aws_iam_access_key.fe[\"bob\"]", &["user"]);
    assert_eq!(user.as_str(), Some("bob-x"));
    assert_eq!(
        user.provenance.as_ref().unwrap().name,
        "aws_iam_user.m[\"bob\"].name"
    );
    // Computed attributes of the referenced instance stay unknown.
    assert_eq!(
        unknown_reason(at(&g, "aws_iam_access_key.fe[\"alice\"]", &["pgp_key"])),
        "`aws_iam_user.m[\"alice\"].arn` is known only after apply"
    );
    assert_eq!(
        addresses(&g, "aws_iam_access_key.cnt"),
        vec!["aws_iam_access_key.cnt[0]", "aws_iam_access_key.cnt[1]"]
    );
    assert_eq!(
        at(&g, "aws_iam_access_key.cnt[1]", &["user"]).as_str(),
        Some("user-1")
    );
    assert_eq!(
        addresses(&g, "aws_vpc_security_group_ingress_rule.splat"),
        vec![
            "aws_vpc_security_group_ingress_rule.splat[\"inst-0\"]",
            "aws_vpc_security_group_ingress_rule.splat[\"inst-1\"]"
        ]
    );
    // A chain: expanded once what it reads is.
    assert_eq!(
        addresses(&g, "aws_vpc_security_group_ingress_rule.chain"),
        vec![
            "aws_vpc_security_group_ingress_rule.chain[\"inst-0\"]",
            "aws_vpc_security_group_ingress_rule.chain[\"inst-1\"]"
        ]
    );
    assert_eq!(
        at(
            &g,
            "aws_vpc_security_group_ingress_rule.chain[\"inst-1\"]",
            &["security_group_id"]
        )
        .as_str(),
        Some("inst-1")
    );
    // Keys only known after apply: one symbolic instance, marked unknown.
    assert_eq!(
        addresses(&g, "aws_instance.computed"),
        vec!["aws_instance.computed"]
    );
}

/// `(level, code, message, 1-based line)` of every diagnostic.
fn diags(f: &SourceFile, out: &ParseOutput) -> Vec<(wa_lint_source::Level, String, String, u32)> {
    out.diagnostics
        .iter()
        .map(|d| {
            (
                d.level,
                d.code.clone(),
                d.message.clone(),
                d.range.map_or(0, |r| f.line_col(r.start).line),
            )
        })
        .collect()
}

fn error(code: &str, message: &str, line: u32) -> (wa_lint_source::Level, String, String, u32) {
    (
        wa_lint_source::Level::Error,
        code.to_owned(),
        message.to_owned(),
        line,
    )
}

#[test]
fn invalid_count_and_for_each_are_located_errors_and_keep_one_symbolic_instance() {
    let text = r#"resource "aws_ebs_volume" "neg" {
  count = -1
}
resource "aws_ebs_volume" "frac" {
  count = 1.5
}
resource "aws_ebs_volume" "both" {
  count    = 2
  for_each = toset(["a"])
}
resource "aws_ebs_volume" "list" {
  for_each = ["a", "b"]
}
resource "aws_ebs_volume" "str" {
  for_each = "a"
}
resource "aws_ebs_volume" "ok" {
  count = "2"
}
"#;
    let (f, out) = parse_with(text, &ModuleOptions::default());
    assert_eq!(
        diags(&f, &out),
        vec![
            error(
                "tf::invalid-count",
                "`count` is -1; it must not be negative",
                2
            ),
            error(
                "tf::invalid-count",
                "`count` must be a whole number: 1.5 is not a whole number",
                5
            ),
            error(
                "tf::invalid-count",
                "`aws_ebs_volume.both` sets both `count` and `for_each`; they are mutually \
                 exclusive",
                9
            ),
            error(
                "tf::invalid-for-each",
                "`for_each` of `aws_ebs_volume.list` is a tuple; it must be a map or a set of \
                 strings (wrap it in `toset(…)`)",
                12
            ),
            error(
                "tf::invalid-for-each",
                "`for_each` of `aws_ebs_volume.str` is a string; it must be a map or a set of \
                 strings",
                15
            ),
        ]
    );
    let g = out.graph.unwrap();
    assert_eq!(
        g.resources.keys().collect::<Vec<_>>(),
        vec![
            "aws_ebs_volume.both",
            "aws_ebs_volume.frac",
            "aws_ebs_volume.list",
            "aws_ebs_volume.neg",
            "aws_ebs_volume.ok[0]",
            "aws_ebs_volume.ok[1]",
            "aws_ebs_volume.str",
        ]
    );
}

#[test]
fn duplicate_resources_undeclared_references_and_bad_variable_values_are_reported() {
    let text = r#"variable "port" {
  type = number
}
resource "aws_ebs_volume" "x" {
  availability_zone = "a"
  size              = 1
}
resource "aws_ebs_volume" "x" {
  availability_zone = "a"
  size              = 3
  encrypted         = true
}
resource "aws_security_group" "s" {
  ingress {
    from_port   = var.port
    cidr_blocks = [aws_vpc.nonexistent.cidr_block, data.aws_vpc.gone.cidr_block]
  }
}
resource "aws_security_group" "explicit" {
  name = resource.aws_ebs_volume.x.availability_zone
}
"#;
    let options = ModuleOptions {
        vars: vec![
            ("port".to_owned(), "abc".to_owned()),
            ("undeclared".to_owned(), "1".to_owned()),
        ],
        ..ModuleOptions::default()
    };
    let (f, out) = parse_with(text, &options);
    let mut got = diags(&f, &out);
    got.sort_by(|a, b| (a.3, &a.1).cmp(&(b.3, &b.1)));
    assert_eq!(
        got,
        vec![
            (
                wa_lint_source::Level::Warning,
                "tf::undeclared-variable".to_owned(),
                "value for undeclared variable `undeclared`: it is given with --var but no \
                 root module of the scan declares a variable of that name"
                    .to_owned(),
                0
            ),
            error(
                "tf::invalid-variable-value",
                "the value of variable `port` (\"abc\") cannot be converted to number",
                2
            ),
            error(
                "tf::duplicate-resource",
                "duplicate resource `aws_ebs_volume.x`: already declared at main.tf:4:1; names \
                 must be unique per type in each module",
                8
            ),
            error(
                "tf::undeclared-resource",
                "reference to undeclared resource `aws_vpc.nonexistent`",
                16
            ),
            error(
                "tf::undeclared-resource",
                "reference to undeclared data source `aws_vpc.gone`",
                16
            ),
        ]
    );
    let dup = out
        .diagnostics
        .iter()
        .find(|d| d.code == "tf::duplicate-resource")
        .unwrap();
    assert_eq!(dup.related.len(), 1);
    assert_eq!(f.line_col(dup.related[0].0.start).line, 4);
    let g = out.graph.unwrap();
    // The first declaration is kept.
    assert_eq!(
        at(&g, "aws_ebs_volume.x", &["size"]).value,
        Value::Number(wa_lint_graph::Number::Int(1))
    );
    assert_eq!(
        unknown_reason(at(
            &g,
            "aws_security_group.s",
            &["ingress", "0", "from_port"]
        )),
        "the value of variable `port` (\"abc\") cannot be converted to number"
    );
    assert_eq!(
        unknown_reason(at(
            &g,
            "aws_security_group.s",
            &["ingress", "0", "cidr_blocks", "0"]
        )),
        "reference to undeclared resource `aws_vpc.nonexistent`"
    );
    // `resource.<type>.<name>` is the explicit form of a resource reference.
    assert_eq!(
        at(&g, "aws_security_group.explicit", &["name"]).as_str(),
        Some("a")
    );
}
