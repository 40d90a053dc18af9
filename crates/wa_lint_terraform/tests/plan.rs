//! Terraform plan JSON: resources, unknowns, references, and the link to the HCL module.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::case_sensitive_file_extension_comparisons
)]

use std::path::Path;

use wa_lint_graph::{AttrPath, EdgeKind, Origin, ParseOutput, Value};
use wa_lint_source::{FileId, Format, SourceFile, Span};
use wa_lint_terraform::{is_plan, parse_project, ModuleOptions, Project};

fn fixture(name: &str, id: u32) -> SourceFile {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../wa_lint/tests/fixtures/plan");
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    let format = if name.ends_with(".json") {
        Format::Json
    } else {
        Format::Hcl
    };
    SourceFile::new(FileId(id), name, text, format)
}

fn line(files: &[&SourceFile], span: Span) -> (String, u32) {
    let f = files.iter().find(|f| f.id == span.file).unwrap();
    (f.path.clone(), f.line_col(span.range.start).line)
}

fn path(segs: &[&str]) -> AttrPath {
    let mut p = AttrPath::root();
    for s in segs {
        p = match s.parse::<usize>() {
            Ok(i) => p.index(i),
            Err(_) => p.key(*s),
        };
    }
    p
}

fn plan_only() -> (SourceFile, Vec<ParseOutput>) {
    let plan = fixture("plan.json", 0);
    assert!(is_plan(&plan.text));
    let project = Project {
        plans: vec![plan.clone().into()],
        ..Project::default()
    };
    let out = parse_project(&project, &ModuleOptions::default());
    (plan, out)
}

#[test]
fn a_plan_alone_is_a_unit_located_in_the_plan_file() {
    let (plan, out) = plan_only();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].diagnostics, vec![]);
    let g = out[0].graph.as_ref().unwrap();
    assert_eq!(g.unit.origin, Origin::TerraformPlan);
    assert_eq!(
        g.resources.keys().collect::<Vec<_>>(),
        vec![
            "aws_ebs_volume.data",
            "aws_kms_key.logs",
            "aws_s3_bucket.logs",
            "aws_s3_bucket_server_side_encryption_configuration.logs",
            "aws_security_group.bastion",
        ]
    );
    let sg = &g.resources["aws_security_group.bastion"];
    assert_eq!(sg.origin, Origin::TerraformPlan);
    // Header: the `address` of the resource change.
    assert_eq!(line(&[&plan], sg.header), ("plan.json".to_owned(), 336));
    let (span, _) = g
        .locate(
            "aws_security_group.bastion",
            &path(&["ingress", "0", "cidr_blocks"]),
        )
        .unwrap();
    assert_eq!(line(&[&plan], span), ("plan.json".to_owned(), 365));
    // Values from `after`.
    let kms = &g.resources["aws_kms_key.logs"].attrs;
    assert_eq!(
        kms.get("enable_key_rotation").unwrap().value,
        Value::Bool(false)
    );
}

#[test]
fn after_unknown_is_unknown_only_where_the_configuration_writes_it() {
    let (_, out) = plan_only();
    let g = out[0].graph.as_ref().unwrap();
    let sse = &g.resources["aws_s3_bucket_server_side_encryption_configuration.logs"].attrs;
    // Configured with a reference to a resource not yet created: known after apply.
    assert_eq!(
        sse.get("bucket").unwrap().value,
        Value::Unknown("`bucket` is known only after apply".into())
    );
    let key = g
        .locate(
            "aws_s3_bucket_server_side_encryption_configuration.logs",
            &path(&[
                "rule",
                "0",
                "apply_server_side_encryption_by_default",
                "0",
                "kms_master_key_id",
            ]),
        )
        .unwrap();
    assert!(!key.0.range.is_empty());
    let Value::List(rules) = &sse.get("rule").unwrap().value else {
        panic!()
    };
    let default = rules[0]
        .get("apply_server_side_encryption_by_default")
        .unwrap();
    let Value::List(d) = &default.value else {
        panic!()
    };
    assert!(d[0].get("kms_master_key_id").unwrap().is_unknown());
    assert_eq!(d[0].get("sse_algorithm").unwrap().as_str(), Some("aws:kms"));
    // Computed by the provider only (not in `configuration`): absent, as in HCL.
    let ebs = &g.resources["aws_ebs_volume.data"].attrs;
    assert!(ebs.get("encrypted").is_none());
    assert!(ebs.get("arn").is_none());
    let bucket = &g.resources["aws_s3_bucket.logs"].attrs;
    assert!(bucket.get("logging").is_none());
    assert!(bucket.get("server_side_encryption_configuration").is_none());
}

#[test]
fn references_in_the_configuration_become_edges() {
    let (_, out) = plan_only();
    let g = out[0].graph.as_ref().unwrap();
    let edges: Vec<_> = g
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str(), e.at.to_string(), e.kind))
        .collect();
    let sse = "aws_s3_bucket_server_side_encryption_configuration.logs";
    assert_eq!(
        edges,
        vec![
            (
                sse,
                "aws_kms_key.logs",
                "rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id".to_owned(),
                EdgeKind::Traversal
            ),
            (
                sse,
                "aws_s3_bucket.logs",
                "bucket".to_owned(),
                EdgeKind::Traversal
            ),
        ]
    );
}

#[test]
fn a_plan_next_to_its_module_points_at_the_hcl_lines() {
    let plan = fixture("plan.json", 0);
    let hcl = fixture("main.tf", 1);
    let project = Project {
        modules: vec![(".".to_owned(), vec![hcl.clone().into()])],
        plans: vec![plan.clone().into()],
        ..Project::default()
    };
    let out = parse_project(&project, &ModuleOptions::default());
    assert_eq!(out.len(), 2);
    // The module's own graph is dropped: its findings come from the plan.
    assert!(out[0].graph.is_none());
    let g = out[1].graph.as_ref().unwrap();
    assert_eq!(g.unit.origin, Origin::TerraformPlan);
    assert_eq!(
        g.unit.files,
        vec![
            (FileId(0), "plan.json".to_owned()),
            (FileId(1), "main.tf".to_owned())
        ]
    );
    let files = [&plan, &hcl];
    let at = |address: &str, segs: &[&str]| line(&files, g.locate(address, &path(segs)).unwrap().0);
    let main = |n| ("main.tf".to_owned(), n);
    // Written in HCL: its own line.
    assert_eq!(
        at(
            "aws_security_group.bastion",
            &["ingress", "0", "cidr_blocks"]
        ),
        main(54)
    );
    assert_eq!(at("aws_security_group.bastion", &["name"]), main(45));
    // Only in the plan (defaults): the nearest HCL parent, else the resource header.
    assert_eq!(at("aws_kms_key.logs", &["enable_key_rotation"]), main(34));
    assert_eq!(
        at("aws_security_group.bastion", &["ingress", "0", "self"]),
        main(49)
    );
    assert_eq!(at("aws_ebs_volume.data", &["encrypted"]), main(39));
}

#[test]
fn a_plan_without_its_module_in_the_scan_is_not_linked_to_another_module() {
    let plan = fixture("plan.json", 0);
    let other = SourceFile::new(
        FileId(1),
        "other/main.tf",
        "resource \"aws_sqs_queue\" \"q\" {}\n",
        Format::Hcl,
    );
    let project = Project {
        modules: vec![("other".to_owned(), vec![other.into()])],
        plans: vec![plan.into()],
        ..Project::default()
    };
    let out = parse_project(&project, &ModuleOptions::default());
    assert!(out[0].graph.is_some());
    let g = out[1].graph.as_ref().unwrap();
    assert_eq!(g.unit.files, vec![(FileId(0), "plan.json".to_owned())]);
}

#[test]
fn odd_plans_give_diagnostics_never_panics() {
    let cases = [
        "",
        "[]",
        "{\"format_version\": \"1.2\", \"resource_changes\": 3}",
        "{\"format_version\": \"1.2\", \"resource_changes\": [1, {}, {\"address\": 3}, {\"change\": {}}]}",
        "{\"format_version\": \"1.2\", \"resource_changes\": [{\"address\": \"a.b\", \"type\": \"a\", \"change\": {\"after\": [1], \"after_unknown\": {\"x\": [true, {\"y\": true}]}, \"after_sensitive\": 7}}]}",
        "{\"format_version\": \"1.2\", \"planned_values\": {\"root_module\": {\"resources\": [{\"address\": \"a.b\", \"type\": \"a\", \"values\": {\"k\": 1}}], \"child_modules\": [5]}}, \"configuration\": {\"root_module\": {\"resources\": [{\"address\": \"a.b\", \"expressions\": {\"k\": {\"references\": [\"a.b\", 5, \"module.x\", \"data.t\"]}}}], \"module_calls\": {\"m\": {\"module\": 1}}}}}",
        "{\"format_version\": \"1.2\", \"resource_changes\": [{\"address\": \"a.b\",",
    ];
    for (i, text) in cases.iter().enumerate() {
        let file = SourceFile::new(FileId(0), "plan.json", *text, Format::Json);
        let out = parse_project(
            &Project {
                plans: vec![file.into()],
                ..Project::default()
            },
            &ModuleOptions::default(),
        );
        assert_eq!(out.len(), 1, "case {i}");
        for d in &out[0].diagnostics {
            assert_eq!(d.path.as_deref(), Some("plan.json"));
            assert!(d.range.is_some(), "case {i}: {d:?}");
        }
    }
    let out = parse_project(
        &Project {
            plans: vec![SourceFile::new(FileId(0), "p.json", cases[3], Format::Json).into()],
            ..Project::default()
        },
        &ModuleOptions::default(),
    );
    let codes: Vec<_> = out[0]
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        codes,
        vec![
            "a resource change should be an object",
            "a resource change without `change`",
            "a resource change without `change`",
            "a resource change without `after`",
        ]
    );
}

#[test]
fn a_large_plan_parses_quickly() {
    let mut changes = Vec::new();
    for i in 0..5000 {
        changes.push(format!(
            "{{\"address\": \"aws_ebs_volume.v[{i}]\", \"mode\": \"managed\", \"type\": \"aws_ebs_volume\", \"name\": \"v\", \"index\": {i}, \"change\": {{\"actions\": [\"create\"], \"after\": {{\"size\": 10, \"encrypted\": false}}, \"after_unknown\": {{\"id\": true}}}}}}"
        ));
    }
    let text = format!(
        "{{\"format_version\": \"1.2\", \"resource_changes\": [{}], \"configuration\": {{\"root_module\": {{\"resources\": [{{\"address\": \"aws_ebs_volume.v\", \"expressions\": {{\"size\": {{\"constant_value\": 10}}}}}}]}}}}}}",
        changes.join(",")
    );
    let start = std::time::Instant::now();
    let out = parse_project(
        &Project {
            plans: vec![SourceFile::new(FileId(0), "big.json", text, Format::Json).into()],
            ..Project::default()
        },
        &ModuleOptions::default(),
    );
    let g = out[0].graph.as_ref().unwrap();
    assert_eq!(g.resources.len(), 5000);
    assert!(g.resources["aws_ebs_volume.v[4999]"]
        .attrs
        .get("id")
        .is_none());
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

/// `tests/fixtures/plan_modules_only`: a root that only calls a module, and its plan.
fn modules_only(plan_path: &str) -> (Vec<SourceFile>, Vec<ParseOutput>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plan_modules_only");
    let read = |p: &str| std::fs::read_to_string(dir.join(p)).unwrap();
    let root = SourceFile::new(FileId(1), "main.tf", read("main.tf"), Format::Hcl);
    let sg = SourceFile::new(
        FileId(2),
        "modules/sg/main.tf",
        read("modules/sg/main.tf"),
        Format::Hcl,
    );
    let plan = SourceFile::new(FileId(0), plan_path, read("plan.json"), Format::Json);
    let project = Project {
        modules: vec![
            (".".to_owned(), vec![root.clone().into()]),
            ("modules/sg".to_owned(), vec![sg.clone().into()]),
        ],
        plans: vec![plan.clone().into()],
        ..Project::default()
    };
    (
        vec![plan, root, sg],
        parse_project(&project, &ModuleOptions::default()),
    )
}

#[test]
fn a_plan_of_a_root_that_only_calls_modules_links_to_the_module_lines() {
    for plan_path in ["plan.json", "plans/web.json"] {
        let (files, out) = modules_only(plan_path);
        // The HCL root unit is dropped: one unit with resources, the plan's.
        let units: Vec<_> = out.iter().filter_map(|o| o.graph.as_ref()).collect();
        assert_eq!(units.len(), 1, "{plan_path}");
        let g = units[0];
        assert_eq!(g.unit.origin, Origin::TerraformPlan);
        assert_eq!(
            g.resources.keys().collect::<Vec<_>>(),
            vec!["module.web.aws_security_group.this"]
        );
        let files: Vec<&SourceFile> = files.iter().collect();
        let at = |segs: &[&str]| {
            line(
                &files,
                g.locate("module.web.aws_security_group.this", &path(segs))
                    .unwrap()
                    .0,
            )
        };
        let sg = |n| ("modules/sg/main.tf".to_owned(), n);
        assert_eq!(at(&["ingress", "0", "cidr_blocks"]), sg(16), "{plan_path}");
        assert_eq!(at(&["ingress", "0", "from_port"]), sg(13));
        // The plan's values: the call's arguments, not the module's defaults.
        let r = &g.resources["module.web.aws_security_group.this"];
        let Value::List(ingress) = &r.attrs.get("ingress").unwrap().value else {
            panic!("ingress is a list");
        };
        let Value::List(cidrs) = &ingress[0].get("cidr_blocks").unwrap().value else {
            panic!("cidr_blocks is a list");
        };
        assert_eq!(cidrs[0].as_str(), Some("0.0.0.0/0"));
    }
}
