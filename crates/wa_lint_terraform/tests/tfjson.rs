//! `.tf.json` modules: the same graph as HCL, located in the JSON file.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use wa_lint_graph::{AttrPath, EdgeKind, Value};
use wa_lint_source::{FileId, Format, SourceFile};
use wa_lint_terraform::parse_module;

fn case05() -> SourceFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../wa_lint/tests/cases/05-tfjson-cdktf-comments-provider-alias/main.tf.json");
    let text = std::fs::read_to_string(path).unwrap();
    SourceFile::new(FileId(0), "main.tf.json", text, Format::Json)
}

#[test]
fn cdktf_output_builds_the_graph_with_json_locations() {
    let file = case05();
    let out = parse_module(".", std::slice::from_ref(&file));
    assert_eq!(out.diagnostics, vec![]);
    let g = out.graph.unwrap();
    assert_eq!(
        g.resources.keys().collect::<Vec<_>>(),
        vec![
            "aws_s3_bucket.assets",
            "aws_s3_bucket_server_side_encryption_configuration.assets",
            "aws_security_group.admin",
        ]
    );
    let sg = &g.resources["aws_security_group.admin"];
    // `//` comment keys and the `provider` meta-argument are not attributes.
    assert!(sg.attrs.get("//").is_none());
    assert!(sg.attrs.get("provider").is_none());
    assert_eq!(sg.attrs.get("name").unwrap().as_str(), Some("admin"));
    let line = |s: wa_lint_source::Span| file.line_col(s.range.start);
    // Header: the resource name key (`"admin": {`), line 22 column 7.
    assert_eq!((line(sg.header).line, line(sg.header).column), (22, 7));
    let cidr = AttrPath::root().key("ingress").index(0).key("cidr_blocks");
    let (span, _) = g.locate("aws_security_group.admin", &cidr).unwrap();
    assert_eq!((line(span).line, line(span).column), (38, 13));
    assert_eq!(
        &file.text[span.range.start as usize..span.range.end as usize],
        "\"cidr_blocks\""
    );
    let Value::List(ingress) = &sg.attrs.get("ingress").unwrap().value else {
        panic!()
    };
    assert_eq!(ingress[0].get("self").unwrap().value, Value::Null);
    // `"${aws_s3_bucket.assets.id}"` is a reference: an edge, and the configured bucket name
    // (`id` of `aws_s3_bucket` is its name) whose provenance points into the JSON file.
    let sse = "aws_s3_bucket_server_side_encryption_configuration.assets";
    let bucket = g.resources[sse].attrs.get("bucket").unwrap();
    assert_eq!(bucket.as_str(), Some("example-assets"));
    let prov = bucket.provenance.as_deref().unwrap();
    assert_eq!(prov.name, "aws_s3_bucket.assets.bucket");
    let at = prov.span.unwrap();
    assert_eq!(line(at).line, 49);
    assert_eq!(
        &file.text[at.range.start as usize..at.range.end as usize],
        "\"example-assets\""
    );
    assert!(g
        .edges
        .iter()
        .any(|e| e.from == sse && e.to == "aws_s3_bucket.assets" && e.kind == EdgeKind::Traversal));
    // Nested blocks written as arrays of objects stay lists of maps.
    let algo = AttrPath::root()
        .key("rule")
        .index(0)
        .key("apply_server_side_encryption_by_default")
        .index(0)
        .key("sse_algorithm");
    let (span, _) = g.locate(sse, &algo).unwrap();
    assert_eq!(line(span).line, 59);
}

#[test]
fn json_and_hcl_files_of_a_directory_are_one_module() {
    let hcl = SourceFile::new(
        FileId(0),
        "m/vars.tf",
        "variable \"open\" {\n  default = \"0.0.0.0/0\"\n}\nlocals {\n  port = 22\n}\n",
        Format::Hcl,
    );
    let json = SourceFile::new(
        FileId(1),
        "m/sg.tf.json",
        r#"{"resource": {"aws_security_group": {"web": {"ingress": [{"from_port": "${local.port}", "to_port": 22, "protocol": "tcp", "cidr_blocks": ["${var.open}"]}]}}},
"variable": {"unused": {"default": "${not.a.template}"}},
"output": {"sg": {"value": "${aws_security_group.web.id}"}}}"#,
        Format::Json,
    );
    let out = parse_module("m", &[hcl, json.clone()]);
    assert_eq!(out.diagnostics, vec![]);
    let g = out.graph.unwrap();
    let web = &g.resources["aws_security_group.web"];
    let Value::List(ingress) = &web.attrs.get("ingress").unwrap().value else {
        panic!()
    };
    assert_eq!(
        ingress[0].get("from_port").unwrap().value,
        Value::Number(wa_lint_graph::Number::Int(22))
    );
    let cidrs = ingress[0].get("cidr_blocks").unwrap();
    let Value::List(cidrs) = &cidrs.value else {
        panic!()
    };
    assert_eq!(cidrs[0].as_str(), Some("0.0.0.0/0"));
    // Located at the use site in the JSON file, with the variable as provenance.
    let span = cidrs[0].span.unwrap();
    assert_eq!(span.file, FileId(1));
    assert_eq!(
        &json.text[span.range.start as usize..span.range.end as usize],
        "\"${var.open}\""
    );
    assert_eq!(cidrs[0].provenance.as_ref().unwrap().name, "open");
}

#[test]
fn broken_json_is_a_located_syntax_error_and_the_other_files_are_read() {
    let hcl = SourceFile::new(
        FileId(0),
        "main.tf",
        "resource \"aws_ebs_volume\" \"v\" {\n  size = 1\n}\n",
        Format::Hcl,
    );
    let file = SourceFile::new(
        FileId(1),
        "bad.tf.json",
        "{\n  \"resource\": {\n    \"aws_s3_bucket\": {\"b\": {\"bucket\": \"x\",}}\n  ,\n",
        Format::Json,
    );
    let out = parse_module(".", &[hcl, file.clone()]);
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    let d = &out.diagnostics[0];
    assert_eq!(d.code, "tf::syntax");
    assert_eq!(d.path.as_deref(), Some("bad.tf.json"));
    let at = file.line_col(d.range.unwrap().start);
    // At the object left open (`"resource": {`).
    assert_eq!(
        (d.message.as_str(), at.line, at.column),
        ("JSON syntax error: Unterminated object", 2, 15)
    );
    let g = out.graph.unwrap();
    assert_eq!(
        g.resources.keys().collect::<Vec<_>>(),
        vec!["aws_ebs_volume.v"]
    );
}

#[test]
fn a_large_tf_json_file_is_fast() {
    let body: Vec<String> = (0..3000)
        .map(|i| {
            format!(
                "\"v{i}\": {{\"availability_zone\": \"eu-west-1a\", \"size\": {i}, \"tags\": {{\"Name\": \"v{i}\"}}}}"
            )
        })
        .collect();
    let text = format!(
        "{{\"resource\": {{\"aws_ebs_volume\": {{{}}}}}}}",
        body.join(",\n")
    );
    let file = SourceFile::new(FileId(0), "big.tf.json", text, Format::Json);
    let start = std::time::Instant::now();
    let out = parse_module(".", &[file]);
    let g = out.graph.unwrap();
    assert_eq!(g.resources.len(), 3000);
    assert_eq!(
        g.resources["aws_ebs_volume.v7"]
            .attrs
            .get("tags")
            .unwrap()
            .get("Name")
            .unwrap()
            .as_str(),
        Some("v7")
    );
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}
