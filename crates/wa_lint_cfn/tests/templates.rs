//! Template → graph: detection, diagnostics, locations, intrinsic resolution.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use common::{at, graph, line_col, parse, read, source, text_of, CASES, CORPUS};
use wa_lint_graph::{EdgeKind, Number, ProvenanceKind, Value};
use wa_lint_source::{Level, LineCol};

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

#[test]
fn anchors_and_aliases_resolve_at_the_alias_site() {
    let Some(file) = read(&format!(
        "{CASES}/01-cfn-yaml-anchors-aliases/template.yaml"
    )) else {
        return;
    };
    let out = wa_lint_cfn::parse_template(&file).unwrap();
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let g = graph(&out);
    assert_eq!(
        g.resources.keys().collect::<Vec<_>>(),
        ["ArchiveBucket", "LogsBucket"]
    );
    let sse = "BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm";
    for bucket in ["LogsBucket", "ArchiveBucket"] {
        assert_eq!(at(g, bucket, sse).value, s("AES256"));
        assert_eq!(at(g, bucket, "Tags[0].Value").value, s("platform"));
    }
    // the archive bucket's copy is located at `*default_sse`, line 19
    assert_eq!(line_col(&file, at(g, "ArchiveBucket", sse)).line, 19);
    assert_eq!(line_col(&file, at(g, "LogsBucket", sse)).line, 11);
    assert!(
        matches!(&at(g, "ArchiveBucket", "BucketName").value, Value::Unknown(r) if r.contains("AWS::StackName"))
    );
}

#[test]
fn duplicate_keys_are_errors_and_last_wins() {
    let Some(file) = read(&format!("{CASES}/24-cfn-duplicate-keys-no-crash/bad.yaml")) else {
        return;
    };
    let out = wa_lint_cfn::parse_template(&file).unwrap();
    let lines: Vec<(u32, u32, &str)> = out
        .diagnostics
        .iter()
        .map(|d| {
            (
                file.line_col(d.range.unwrap().start).line,
                file.line_col(d.related[0].0.start).line,
                d.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (14, 12, "duplicate key `CidrIp` (first defined at line 12)"),
            (
                15,
                6,
                "duplicate key `GroupDescription` (first defined at line 6)"
            ),
        ]
    );
    assert!(out
        .diagnostics
        .iter()
        .all(|d| d.level == Level::Error && d.code == "cfn::duplicate-key"));
    assert_eq!(out.diagnostics[0].path.as_deref(), Some(file.path.as_str()));
    let g = graph(&out);
    let cidr = at(g, "AdminSecurityGroup", "SecurityGroupIngress[0].CidrIp");
    assert_eq!(cidr.value, s("0.0.0.0/0"));
    assert_eq!(
        line_col(&file, cidr),
        LineCol {
            line: 14,
            column: 19
        }
    );
    assert_eq!(
        at(g, "AdminSecurityGroup", "GroupDescription").value,
        s("admin hosts")
    );
    // ok.yaml stays clean
    let ok = read(&format!("{CASES}/24-cfn-duplicate-keys-no-crash/ok.yaml")).unwrap();
    assert!(wa_lint_cfn::parse_template(&ok)
        .unwrap()
        .diagnostics
        .is_empty());
}

#[test]
fn json_duplicate_keys() {
    let text = "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\n    \"B\": {\"Type\": \"AWS::S3::Bucket\", \"Type\": \"AWS::SQS::Queue\"}\n  }\n}\n";
    let (file, out) = parse("t.json", text);
    assert_eq!(out.diagnostics.len(), 1);
    let d = &out.diagnostics[0];
    assert_eq!(d.code, "cfn::duplicate-key");
    assert_eq!(
        file.line_col(d.range.unwrap().start),
        LineCol {
            line: 4,
            column: 38
        }
    );
    assert_eq!(
        file.line_col(d.related[0].0.start),
        LineCol {
            line: 4,
            column: 11
        }
    );
    assert_eq!(graph(&out).resources["B"].rtype, "AWS::SQS::Queue");
}

#[test]
fn ref_to_parameter_default_has_provenance() {
    let dir = format!("{CORPUS}/aws-cfn-templates/Solutions/OperatingSystems");
    for (name, line, default_line) in [
        ("Ubuntu22.04_cfn-hup.yaml", 157, 70),
        ("Ubuntu22.04_cfn-hup.json", 171, 70),
    ] {
        let Some(file) = read(&format!("{dir}/{name}")) else {
            return;
        };
        let out = wa_lint_cfn::parse_template(&file).unwrap();
        assert!(out.diagnostics.is_empty(), "{name}: {:?}", out.diagnostics);
        let g = graph(&out);
        let cidr = at(g, "InstanceSecurityGroup", "SecurityGroupIngress[0].CidrIp");
        assert_eq!(cidr.value, s("0.0.0.0/0"), "{name}");
        assert_eq!(line_col(&file, cidr).line, line, "{name}");
        let prov = cidr.provenance.as_deref().unwrap();
        assert_eq!(prov.kind, ProvenanceKind::ParameterDefault);
        assert_eq!(prov.name, "SSHLocation");
        assert_eq!(
            file.line_col(prov.span.unwrap().range.start).line,
            default_line,
            "{name}"
        );
        // `locate` finds the same place (the key on that line)
        let (span, p) = g
            .locate(
                "InstanceSecurityGroup",
                &common::path("SecurityGroupIngress[0].CidrIp"),
            )
            .unwrap();
        assert_eq!(file.line_col(span.range.start).line, line);
        assert_eq!(p.unwrap().name, "SSHLocation");
    }
}

#[test]
fn ref_and_getatt_edges() {
    let Some(file) = read(&format!(
        "{CASES}/11-cfn-standalone-ingress-attached/template.yaml"
    )) else {
        return;
    };
    let out = wa_lint_cfn::parse_template(&file).unwrap();
    let g = graph(&out);
    let edges: Vec<(&str, &str, String, EdgeKind)> = g
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str(), e.at.to_string(), e.kind))
        .collect();
    assert_eq!(
        edges,
        [
            (
                "AppIngressFromLb",
                "AppSecurityGroup",
                "GroupId".to_owned(),
                EdgeKind::GetAtt
            ),
            (
                "AppIngressFromLb",
                "LbSecurityGroup",
                "SourceSecurityGroupId".to_owned(),
                EdgeKind::GetAtt
            ),
            (
                "LbSecurityGroup",
                "AppSecurityGroup",
                "SecurityGroupEgress[0].DestinationSecurityGroupId".to_owned(),
                EdgeKind::Ref
            ),
            (
                "LoadBalancer",
                "LbSecurityGroup",
                "SecurityGroups[0]".to_owned(),
                EdgeKind::Ref
            ),
        ]
    );
    let group = at(g, "AppIngressFromLb", "GroupId");
    assert!(
        matches!(&group.value, Value::Unknown(r) if r == "`AppSecurityGroup.GroupId` is known only after deploy")
    );
    assert_eq!(text_of(&file, group), "!GetAtt AppSecurityGroup.GroupId");
    let r = &g.resources["AppIngressFromLb"];
    assert_eq!(r.rtype, "AWS::EC2::SecurityGroupIngress");
    assert_eq!(
        file.line_col(r.header.range.start),
        LineCol {
            line: 32,
            column: 3
        }
    );
    assert_eq!(
        &file.text[r.header.range.start as usize..r.header.range.end as usize],
        "AppIngressFromLb"
    );
    assert_eq!(file.line_col(r.block.range.end).line, 40);
}

#[test]
fn no_value_removes_keys_and_list_items() {
    let text = r#"AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  Never: !Equals [a, b]
Resources:
  Q:
    Type: AWS::SQS::Queue
    DependsOn: [B]
    Properties:
      KmsMasterKeyId: !Ref AWS::NoValue
      Kept: 1
      Tags:
        - !Ref AWS::NoValue
        - Key: k
          Value: v
        - !If [Never, {Key: x, Value: y}, !Ref AWS::NoValue]
      Maybe: !If [Never, yes, !Ref "AWS::NoValue"]
  B:
    Type: AWS::S3::Bucket
"#;
    let (_, out) = parse("t.yaml", text);
    let g = graph(&out);
    let Value::Map(props) = &g.resources["Q"].attrs.value else {
        panic!()
    };
    assert_eq!(props.keys().collect::<Vec<_>>(), ["Kept", "Tags"]);
    let Value::List(tags) = &at(g, "Q", "Tags").value else {
        panic!()
    };
    assert_eq!(tags.len(), 1);
    assert_eq!(at(g, "Q", "Tags[0].Key").value, s("k"));
    assert_eq!(g.edges.len(), 1);
    assert_eq!(
        (g.edges[0].to.as_str(), g.edges[0].kind),
        ("B", EdgeKind::DependsOn)
    );
}

#[test]
fn non_templates_are_skipped_quietly() {
    let k8s = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: []\n---\nkind: Service\n";
    assert!(wa_lint_cfn::parse_template(&source("k8s.yaml", k8s)).is_none());
    assert!(wa_lint_cfn::parse_template(&source(
        "package.json",
        "{\"name\": \"x\", \"version\": \"1.0.0\"}"
    ))
    .is_none());
    assert!(wa_lint_cfn::parse_template(&source("empty.yaml", "")).is_none());
    assert!(wa_lint_cfn::parse_template(&source("broken.yaml", "a: [\n")).is_none());
    assert!(wa_lint_cfn::parse_template(&source(
        "sls.yml",
        "service: x\nresources:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n"
    ))
    .is_none());
    if let Some(ci) = read(&format!(
        "{CASES}/04-cfn-short-tags-mixed-repo/ci/build.yml"
    )) {
        assert!(wa_lint_cfn::parse_template(&ci).is_none());
    }
    // detection without AWSTemplateFormatVersion
    let (_, out) = parse("t.yaml", "Resources:\n  F:\n    Type: Custom::Thing\n");
    assert_eq!(graph(&out).resources["F"].rtype, "Custom::Thing");
}

#[test]
fn bom_crlf_and_non_ascii_offsets() {
    let text = "\u{feff}AWSTemplateFormatVersion: \"2010-09-09\"\r\nDescription: \"héllo wörld ✓\"\r\nResources:\r\n  Bücket:\r\n    Type: AWS::S3::Bucket\r\n    Properties:\r\n      Näme: \"ünïcode\"\r\n      Port: 22\r\n";
    let (file, out) = parse("t.yaml", text);
    let g = graph(&out);
    let port = at(g, "Bücket", "Port");
    assert_eq!(port.value, Value::Number(Number::Int(22)));
    assert_eq!(text_of(&file, port), "22");
    assert_eq!(
        line_col(&file, port),
        LineCol {
            line: 8,
            column: 13
        }
    );
    let name = at(g, "Bücket", "Näme");
    assert_eq!(text_of(&file, name), "\"ünïcode\"");
    let r = &g.resources["Bücket"];
    assert_eq!(
        &file.text[r.header.range.start as usize..r.header.range.end as usize],
        "Bücket"
    );
    // JSON with BOM and CRLF
    let json = "\u{feff}{\r\n  \"Description\": \"ü\",\r\n  \"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {\"Port\": 22}}}\r\n}";
    let (file, out) = parse("t.json", json);
    let port = at(graph(&out), "B", "Port");
    assert_eq!(text_of(&file, port), "22");
    assert_eq!(line_col(&file, port).line, 3);
}

#[test]
fn alias_bomb_is_an_error_not_an_outage() {
    let mut text = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nlol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        writeln!(
            text,
            "lol{i}: &l{i} [*l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}]"
        )
        .unwrap();
    }
    text.push_str("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      X: *l9\n");
    let start = Instant::now();
    let file = source("bomb.yaml", &text);
    let out = wa_lint_cfn::parse_template(&file).unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    assert!(out.graph.is_none());
    assert_eq!(out.diagnostics.len(), 1);
    let d = &out.diagnostics[0];
    assert_eq!(
        (d.code.as_str(), d.level),
        ("cfn::alias-limit", Level::Error)
    );
    assert!(d.message.contains("aliases expand to more than"));
}

#[test]
fn syntax_errors_have_one_precise_diagnostic() {
    let yaml = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  B:\n    Type: AWS::S3::Bucket\n   bad: [\n";
    let file = source("t.yaml", yaml);
    let out = wa_lint_cfn::parse_template(&file).unwrap();
    assert!(out.graph.is_none());
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].code, "cfn::syntax");
    assert!(out.diagnostics[0].message.starts_with("invalid YAML: "));
    assert_eq!(
        file.line_col(out.diagnostics[0].range.unwrap().start).line,
        5
    );

    let json = "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\n    \"B\": {\"Type\": \"AWS::S3::Bucket\",}\n  }\n}\n";
    let file = source("t.json", json);
    let out = wa_lint_cfn::parse_template(&file).unwrap();
    assert_eq!(out.diagnostics.len(), 1);
    let d = &out.diagnostics[0];
    assert_eq!(d.message, "invalid JSON: Trailing commas are not allowed");
    assert_eq!(
        file.line_col(d.range.unwrap().start),
        LineCol {
            line: 4,
            column: 36
        }
    ); // the comma
}

#[test]
fn structure_problems_keep_other_resources() {
    let text = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  NoType:\n    Properties: {}\n  BadProps:\n    Type: AWS::S3::Bucket\n    Properties: [1]\n  Scalar: 3\n  Good:\n    Type: AWS::S3::Bucket\n";
    let (file, out) = parse("t.yaml", text);
    let found: Vec<(u32, &str)> = out
        .diagnostics
        .iter()
        .map(|d| {
            (
                file.line_col(d.range.unwrap().start).line,
                d.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (3, "resource `NoType` has no `Type`"),
            (7, "`Properties` of resource `BadProps` must be a mapping"),
            (8, "resource `Scalar` must be a mapping with `Type`"),
        ]
    );
    assert!(out.diagnostics.iter().all(|d| d.code == "cfn::structure"));
    assert_eq!(
        graph(&out).resources.keys().collect::<Vec<_>>(),
        ["BadProps", "Good"]
    );
    let (_, out) = parse("t.yaml", "AWSTemplateFormatVersion: x\nResources: [1]\n");
    assert_eq!(
        out.diagnostics[0].message,
        "`Resources` must be a mapping of logical IDs to resources"
    );
    // An empty `Resources:` (SAM/CDK skeletons) is a warning, not an error.
    let (_, out) = parse(
        "t.yaml",
        "AWSTemplateFormatVersion: x\nResources:\nOutputs: {}\n",
    );
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].code, "cfn::no-resources");
    assert_eq!(out.diagnostics[0].level, wa_lint_source::Level::Warning);
    assert_eq!(
        out.diagnostics[0].range.map(|r| (r.start, r.end)),
        Some((28, 37))
    );
}

#[test]
fn functions_are_evaluated_when_inputs_are_known() {
    let text = r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: prod}
  Nets: {Type: CommaDelimitedList, Default: "a, b,c"}
  Key: {Type: String}
  Ami: {Type: "AWS::SSM::Parameter::Value<String>", Default: /aws/ami}
Mappings:
  Ports:
    prod: {Ssh: 22}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [!Ref Key, x]]
  Either: !Or [!Condition IsProd, !Equals [!Ref Key, x]]
Resources:
  Dropped:
    Type: AWS::S3::Bucket
    Condition: NotProd
  R:
    Type: AWS::EC2::Instance
    Properties:
      Sub: !Sub "${Env}-${!Literal}"
      SubMissing: !Sub "${Env}-${X}"
      SubVars: !Sub ["${A}/${Env}", {A: !Ref Env}]
      SubUnknown: !Sub "${AWS::Region}-x"
      SubRes: !Sub "${Dropped.Arn}"
      Join: !Join [",", [a, !Ref Env, 3]]
      JoinList: !Join ["|", !Ref Nets]
      Select: !Select [1, !Ref Nets]
      Split: !Split ["/", "x/y"]
      Find: !FindInMap [Ports, !Ref Env, Ssh]
      FindMissing: !FindInMap [Ports, dev, Ssh]
      B64: !Base64 "foo"
      If: !If [IsProd, yes, no]
      IfUnknown: !If [Both, a, b]
      IfSame: !If [Both, same, same]
      Either: !If [Either, on, off]
      NoDefault: !Ref Key
      Ssm: !Ref Ami
      Import: !ImportValue shared-vpc
      Azs: !GetAZs ""
      Cidr: !Cidr ["10.0.0.0/16", 4, 8]
      Json: !ToJsonString {a: [1, !Ref Env]}
      Len: !Length [1, 2, 3]
      Policy: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'
"#;
    let (file, out) = parse("t.yaml", text);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let g = graph(&out);
    assert!(!g.resources.contains_key("Dropped"));
    let v = |p: &str| at(g, "R", p).value.clone();
    let unknown = |p: &str| match v(p) {
        Value::Unknown(r) => r,
        other => panic!("{p}: {other:?}"),
    };
    assert_eq!(v("Sub"), s("prod-${Literal}"));
    assert_eq!(
        unknown("SubMissing"),
        "`X` is not a parameter or resource of this template"
    );
    assert_eq!(
        text_of(&file, at(g, "R", "SubMissing")),
        r#"!Sub "${Env}-${X}""#
    );
    assert_eq!(v("SubVars"), s("prod/prod"));
    assert_eq!(
        unknown("SubUnknown"),
        "pseudo parameter `AWS::Region` is known only at deploy"
    );
    assert_eq!(
        unknown("SubRes"),
        "`Dropped.Arn` is known only after deploy"
    );
    assert_eq!(v("Join"), s("a,prod,3"));
    assert_eq!(v("JoinList"), s("a|b|c"));
    assert_eq!(v("Select"), s("b"));
    assert_eq!(
        at(g, "R", "Select").provenance.as_ref().unwrap().name,
        "Nets"
    );
    assert_eq!(v("Split[1]"), s("y"));
    assert_eq!(v("Find"), Value::Number(Number::Int(22)));
    let prov = at(g, "R", "Find").provenance.as_deref().unwrap();
    assert_eq!(
        (prov.kind, prov.name.as_str()),
        (ProvenanceKind::Mapping, "Ports")
    );
    assert_eq!(
        unknown("FindMissing"),
        "mapping `Ports` has no value for `dev` / `Ssh`"
    );
    assert_eq!(v("B64"), s("Zm9v"));
    assert_eq!(v("If"), s("yes"));
    assert_eq!(unknown("IfUnknown"), "depends on condition `Both`");
    assert_eq!(v("IfSame"), s("same"));
    assert_eq!(v("Either"), s("on"));
    assert_eq!(unknown("NoDefault"), "parameter `Key` has no default");
    assert_eq!(
        unknown("Ssm"),
        "parameter `Ami` is read from SSM Parameter Store at deploy"
    );
    assert_eq!(
        unknown("Import"),
        "imported value `shared-vpc` is known only at deploy"
    );
    assert!(unknown("Azs").contains("availability zones"));
    assert_eq!(v("Cidr[3]"), s("10.0.3.0/24"));
    assert_eq!(v("Json"), s(r#"{"a":[1,"prod"]}"#));
    assert_eq!(v("Len"), Value::Number(Number::Int(3)));
    assert_eq!(v("Policy.Statement[0].Action"), s("*"));
    // edges to dropped resources are not kept
    assert!(g.edges.is_empty());
}

#[test]
fn parameter_overrides_win_over_defaults() {
    let text = "AWSTemplateFormatVersion: x\nParameters:\n  Cidr: {Type: String, Default: 0.0.0.0/0}\nResources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      CidrIp: !Ref Cidr\n";
    let file = source("t.yaml", text);
    let mut options = wa_lint_cfn::CfnOptions::default();
    options
        .parameters
        .insert("Cidr".into(), "10.0.0.0/8".into());
    let out = wa_lint_cfn::parse_template_with(&file, &options).unwrap();
    let cidr = at(graph(&out), "G", "CidrIp");
    assert_eq!(cidr.value, s("10.0.0.0/8"));
    assert_eq!(
        cidr.provenance.as_ref().unwrap().kind,
        ProvenanceKind::ParameterValue
    );
}

#[test]
fn unknown_tags_warn() {
    let (file, out) = parse("t.yaml", "AWSTemplateFormatVersion: x\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      X: !Bogus 1\n");
    assert_eq!(out.diagnostics.len(), 1);
    let d = &out.diagnostics[0];
    assert_eq!(
        (d.code.as_str(), d.level, d.message.as_str()),
        ("cfn::unknown-tag", Level::Warning, "unknown tag `!Bogus`")
    );
    assert_eq!(
        file.line_col(d.range.unwrap().start),
        LineCol {
            line: 6,
            column: 10
        }
    );
    assert_eq!(
        at(graph(&out), "B", "X").value,
        Value::Number(Number::Int(1))
    );
}

#[test]
fn short_tags_case_04_loads_without_warnings() {
    let Some(file) = read(&format!(
        "{CASES}/04-cfn-short-tags-mixed-repo/template.yaml"
    )) else {
        return;
    };
    let out = wa_lint_cfn::parse_template(&file).unwrap();
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let action = at(
        graph(&out),
        "DeployRole",
        "Policies[0].PolicyDocument.Statement[0].Action",
    );
    assert_eq!(action.value, s("*"));
    assert_eq!(line_col(&file, action).line, 19);
}

#[test]
fn ten_thousand_resources_parse_quickly() {
    let mut text = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  P: {Type: String, Default: x}\nResources:\n");
    for i in 0..10_000 {
        write!(text,
            "  Q{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub \"${{P}}-{i}\"\n      RedrivePolicy: {{deadLetterTargetArn: !GetAtt Q0.Arn}}\n"
        )
        .unwrap();
    }
    let start = Instant::now();
    let (_, out) = parse("big.yaml", &text);
    let elapsed = start.elapsed();
    let g = graph(&out);
    assert_eq!(g.resources.len(), 10_000);
    assert_eq!(at(g, "Q9999", "QueueName").value, s("x-9999"));
    assert_eq!(g.edges.len(), 10_000);
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
}

#[test]
fn sub_edges_registry_types_and_sniff() {
    let text = "Resources:\n  T:\n    Type: Initech::TPS::Report\n  P:\n    Type: AWS::IAM::Policy\n    Properties:\n      Arn: !Sub \"${T.Arn}/*\"\n      Name: !Sub \"${T}-policy\"\n";
    assert!(wa_lint_cfn::sniff(text));
    assert!(!wa_lint_cfn::sniff("stages:\n  - lint\n"));
    let (_, out) = parse("t.yaml", text);
    let g = graph(&out);
    let edges: Vec<(String, EdgeKind)> = g
        .edges
        .iter()
        .map(|e| (format!("{}->{}@{}", e.from, e.to, e.at), e.kind))
        .collect();
    assert_eq!(
        edges,
        [
            ("P->T@Arn".to_owned(), EdgeKind::Sub),
            ("P->T@Name".to_owned(), EdgeKind::Sub)
        ]
    );
    assert_eq!(g.resources["T"].rtype, "Initech::TPS::Report");
    // no `Properties`: an empty map located at the resource block
    let t = &g.resources["T"];
    assert_eq!(t.attrs.value, Value::Map(std::collections::BTreeMap::new()));
    assert_eq!(t.attrs.span, Some(t.block));
}

#[test]
fn deep_nesting_neither_overflows_nor_hangs() {
    // just under the limit (each `Fn::Join` adds 3 levels): resolves on a 2 MiB test thread
    let levels = 63;
    let inner = format!(
        "{}\"x\"{}",
        "{\"Fn::Join\": [\"\", [".repeat(levels),
        "]]}".repeat(levels)
    );
    let json = format!("{{\"AWSTemplateFormatVersion\": \"x\", \"Resources\": {{\"B\": {{\"Type\": \"AWS::S3::Bucket\", \"Properties\": {{\"N\": {inner}}}}}}}}}");
    let (_, out) = parse("deep.json", &json);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(at(graph(&out), "B", "N").value, s("x"));
    // far over the limit: one syntax error
    let json = format!(
        "{{\"AWSTemplateFormatVersion\": \"x\", \"Resources\": {}{}}}",
        "[".repeat(400),
        "]".repeat(400)
    );
    let file = source("deep.json", &json);
    let out = wa_lint_cfn::parse_template(&file).unwrap();
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].code, "cfn::syntax");
    let yaml = format!(
        "AWSTemplateFormatVersion: x\nResources: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let out = wa_lint_cfn::parse_template(&source("deep.yaml", &yaml)).unwrap();
    assert_eq!(out.diagnostics[0].code, "cfn::syntax");
}
