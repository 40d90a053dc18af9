//! Module calls, variable precedence, `count`/`for_each` addressing and file functions,
//! through the public `parse_project` API on in-memory projects.
#![allow(
    clippy::case_sensitive_file_extension_comparisons,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use wa_lint_graph::{ParseOutput, ProvenanceKind, Resource, Value};
use wa_lint_source::{FileId, Format, SourceFile};
use wa_lint_terraform::{parse_project, ModuleOptions, Project};

/// A project from `(path, text)` pairs; directories from the paths.
fn project(files: &[(&str, &str)]) -> Project {
    let mut modules: std::collections::BTreeMap<String, Vec<SourceFile>> =
        std::collections::BTreeMap::default();
    for (i, (path, text)) in files.iter().enumerate() {
        let dir = path.rsplit_once('/').map_or(".", |(d, _)| d).to_owned();
        let format = if path.ends_with(".json") {
            Format::Json
        } else {
            Format::Hcl
        };
        modules.entry(dir).or_default().push(SourceFile::new(
            FileId(u32::try_from(i).unwrap()),
            *path,
            *text,
            format,
        ));
    }
    Project {
        modules: modules
            .into_iter()
            .map(|(d, f)| (d, f.into_iter().map(Into::into).collect()))
            .collect(),
        ..Project::default()
    }
}

fn run(files: &[(&str, &str)], options: &ModuleOptions) -> Vec<ParseOutput> {
    parse_project(&project(files), options)
}

fn only(files: &[(&str, &str)], options: &ModuleOptions) -> ParseOutput {
    let mut out = run(files, options);
    assert_eq!(out.len(), 1, "one unit expected");
    out.pop().unwrap()
}

fn res<'a>(out: &'a ParseOutput, address: &str) -> &'a Resource {
    let graph = out.graph.as_ref().unwrap();
    graph.resources.get(address).unwrap_or_else(|| {
        panic!(
            "no {address} in {:?}",
            graph.resources.keys().collect::<Vec<_>>()
        )
    })
}

fn attr(out: &ParseOutput, address: &str, key: &str) -> Value {
    res(out, address).attrs.get(key).unwrap().value.clone()
}

fn s(v: &str) -> Value {
    Value::String(v.into())
}

const VAR_X: &str = "variable \"x\" {\n  default = \"default\"\n}\nresource \"null_thing\" \"t\" {\n  v = var.x\n}\n";

#[test]
fn variable_sources_follow_terraform_precedence() {
    let env = || ModuleOptions {
        env_vars: vec![("x".into(), "env".into())],
        ..ModuleOptions::default()
    };
    let base = [("main.tf", VAR_X)];
    assert_eq!(
        attr(&only(&base, &ModuleOptions::default()), "null_thing.t", "v"),
        s("default")
    );
    assert_eq!(attr(&only(&base, &env()), "null_thing.t", "v"), s("env"));
    let with_tfvars = [("main.tf", VAR_X), ("terraform.tfvars", "x = \"tfvars\"\n")];
    assert_eq!(
        attr(&only(&with_tfvars, &env()), "null_thing.t", "v"),
        s("tfvars")
    );
    let with_json = [
        ("main.tf", VAR_X),
        ("terraform.tfvars", "x = \"tfvars\"\n"),
        ("terraform.tfvars.json", "{\"x\": \"json\"}"),
    ];
    assert_eq!(
        attr(&only(&with_json, &env()), "null_thing.t", "v"),
        s("json")
    );
    let with_auto = [
        ("main.tf", VAR_X),
        ("terraform.tfvars.json", "{\"x\": \"json\"}"),
        ("b.auto.tfvars", "x = \"auto-b\"\n"),
        ("a.auto.tfvars.json", "{\"x\": \"auto-a\"}"),
    ];
    // *.auto.tfvars(.json) in lexical order: b wins over a.
    assert_eq!(
        attr(&only(&with_auto, &env()), "null_thing.t", "v"),
        s("auto-b")
    );
    let var_file = SourceFile::new(FileId(90), "prod.tfvars", "x = \"var-file\"\n", Format::Hcl);
    let cli = ModuleOptions {
        var_files: vec![var_file.clone()],
        ..env()
    };
    assert_eq!(
        attr(&only(&with_auto, &cli), "null_thing.t", "v"),
        s("var-file")
    );
    let cli = ModuleOptions {
        var_files: vec![var_file],
        vars: vec![("x".into(), "cli".into())],
        ..env()
    };
    assert_eq!(attr(&only(&with_auto, &cli), "null_thing.t", "v"), s("cli"));
}

#[test]
fn types_nullable_and_sensitive_variables() {
    let out = only(
        &[(
            "main.tf",
            r#"
variable "n" {
  type    = number
  default = "5"
}
variable "keep" {
  type     = string
  default  = "d"
  nullable = false
}
variable "secret" {
  default   = "hunter2"
  sensitive = true
}
resource "null_thing" "t" {
  n    = var.n
  keep = var.keep
  s    = var.secret
}
"#,
        )],
        &ModuleOptions {
            vars: vec![("keep".into(), "null".into())],
            ..ModuleOptions::default()
        },
    );
    assert_eq!(
        attr(&out, "null_thing.t", "n"),
        Value::Number(wa_lint_graph::Number::Int(5))
    );
    assert_eq!(attr(&out, "null_thing.t", "keep"), s("d"));
    let secret = res(&out, "null_thing.t").attrs.get("s").unwrap();
    assert_eq!(
        secret.provenance.as_ref().unwrap().kind,
        ProvenanceKind::SensitiveVariable
    );
}

const STORAGE: &str = r#"
variable "encrypted" {
  type    = bool
  default = false
}
resource "aws_ebs_volume" "data" {
  encrypted = var.encrypted
}
output "id" {
  value = "vol-${var.encrypted}"
}
"#;

#[test]
fn local_modules_use_call_arguments_and_are_not_roots() {
    let out = run(
        &[
            (
                "main.tf",
                "module \"storage\" {\n  source    = \"./modules/storage\"\n  encrypted = true\n}\nresource \"null_thing\" \"t\" {\n  id = module.storage.id\n}\n",
            ),
            ("modules/storage/main.tf", STORAGE),
        ],
        &ModuleOptions::default(),
    );
    assert_eq!(out.len(), 1, "the module directory is not its own root");
    let out = &out[0];
    let volume = res(out, "module.storage.aws_ebs_volume.data");
    assert_eq!(volume.module_path, "module.storage");
    let enc = volume.attrs.get("encrypted").unwrap();
    assert_eq!(enc.value, Value::Bool(true));
    // The value is written in the module file; it comes from main.tf line 3.
    let prov = enc.provenance.as_ref().unwrap();
    assert_eq!(prov.kind, ProvenanceKind::VariableValue);
    assert_eq!(prov.span.unwrap().file, FileId(0));
    assert_eq!(enc.span.unwrap().file, FileId(1));
    // Outputs flow back to the caller.
    assert_eq!(attr(out, "null_thing.t", "id"), s("vol-true"));
}

#[test]
fn module_count_for_each_and_nesting_give_terraform_addresses() {
    let out = only(
        &[
            (
                "main.tf",
                r#"
module "a" {
  source   = "./a"
  for_each = toset(["x", "y"])
  name     = each.key
}
module "c" {
  source = "./a"
  count  = 2
  name   = "c${count.index}"
}
module "none" {
  source = "./a"
  count  = 0
  name   = "z"
}
resource "null_thing" "t" {
  names = [for k, m in module.a : m.name]
  first = module.c[1].name
}
"#,
            ),
            (
                "a/main.tf",
                "variable \"name\" {}\nmodule \"b\" {\n  source = \"../b\"\n  name   = var.name\n}\noutput \"name\" {\n  value = module.b.name\n}\n",
            ),
            (
                "b/main.tf",
                "variable \"name\" {}\nresource \"aws_s3_bucket\" \"this\" {\n  bucket = var.name\n}\noutput \"name\" {\n  value = aws_s3_bucket.this.bucket\n}\n",
            ),
        ],
        &ModuleOptions::default(),
    );
    let graph = out.graph.as_ref().unwrap();
    assert_eq!(
        graph.resources.keys().cloned().collect::<Vec<_>>(),
        vec![
            "module.a[\"x\"].module.b.aws_s3_bucket.this",
            "module.a[\"y\"].module.b.aws_s3_bucket.this",
            "module.c[0].module.b.aws_s3_bucket.this",
            "module.c[1].module.b.aws_s3_bucket.this",
            "null_thing.t",
        ]
    );
    assert_eq!(
        attr(
            &out,
            "module.a[\"y\"].module.b.aws_s3_bucket.this",
            "bucket"
        ),
        s("y")
    );
    // An output reading a configured argument of a resource is known (`bucket = var.name`
    // inside `module.c[1].module.b`), and the edge is kept.
    assert_eq!(attr(&out, "null_thing.t", "first"), s("c1"));
    assert!(graph
        .edges
        .iter()
        .any(|e| e.from == "null_thing.t" && e.to == "module.c[1].module.b.aws_s3_bucket.this"));
}

#[test]
fn unfollowed_modules_cycles_and_unknown_count() {
    let out = only(
        &[
            (
                "main.tf",
                r#"
variable "n" {}
module "remote" {
  source = "terraform-aws-modules/vpc/aws"
}
module "loop" {
  source = "./loop"
}
module "maybe" {
  source = "./leaf"
  count  = var.n
}
resource "null_thing" "t" {
  vpc = module.remote.vpc_id
}
"#,
            ),
            (
                "loop/main.tf",
                "module \"back\" {\n  source = \"../loop\"\n}\n",
            ),
            ("leaf/main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n"),
        ],
        &ModuleOptions::default(),
    );
    let codes: Vec<(&str, String)> = out
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.message.clone()))
        .collect();
    assert!(codes.contains(&(
        "tf::module-not-followed",
        "module `module.remote` (source \"terraform-aws-modules/vpc/aws\") is not followed"
            .to_owned()
    )));
    assert!(
        codes.iter().any(|(c, _)| *c == "tf::module-cycle"),
        "{codes:?}"
    );
    assert!(
        matches!(attr(&out, "null_thing.t", "vpc"), Value::Unknown(r) if r.contains("not followed"))
    );
    // count unknown: one symbolic instance, never dropped.
    assert!(out
        .graph
        .as_ref()
        .unwrap()
        .resources
        .contains_key("module.maybe.aws_s3_bucket.b"));
}

#[test]
fn file_functions_read_inside_the_scan_root_only() {
    let dir = std::env::temp_dir().join(format!("wa-lint-tf-files-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("app")).unwrap();
    std::fs::write(dir.join("app/policy.json"), "{\"a\": 1}").unwrap();
    std::fs::write(dir.join("app/user.tpl"), "hello ${name}").unwrap();
    let options = ModuleOptions {
        scan_root: Some(dir.clone()),
        ..ModuleOptions::default()
    };
    let out = only(
        &[(
            "app/main.tf",
            r#"
resource "null_thing" "t" {
  raw    = file("${path.module}/policy.json")
  decoded = jsondecode(file("policy.json")).a
  tpl    = templatefile("user.tpl", { name = "bob" })
  exists = fileexists("nope.txt")
  escape = file("../../etc/passwd")
}
"#,
        )],
        &options,
    );
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(attr(&out, "null_thing.t", "raw"), s("{\"a\": 1}"));
    assert_eq!(
        attr(&out, "null_thing.t", "decoded"),
        Value::Number(wa_lint_graph::Number::Int(1))
    );
    assert_eq!(attr(&out, "null_thing.t", "tpl"), s("hello bob"));
    assert_eq!(attr(&out, "null_thing.t", "exists"), Value::Bool(false));
    assert!(matches!(
        attr(&out, "null_thing.t", "escape"),
        Value::Unknown(_)
    ));
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.code == "tf::file-outside-scan"));
}
