//! Intrinsic functions, pseudo parameters, conditions and scenarios: the values CloudFormation
//! would produce, with provenance.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::fmt::Write as _;
use std::time::Instant;

use common::{at, graph, parse, source, text_of};
use wa_lint_cfn::CfnOptions;
use wa_lint_graph::{Number, ParseOutput, ProvenanceKind, ResourceGraph, Value};

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

fn strings(items: &[&str]) -> Vec<Value> {
    items.iter().map(|i| s(i)).collect()
}

fn list(g: &ResourceGraph, address: &str, p: &str) -> Vec<Value> {
    match &at(g, address, p).value {
        Value::List(items) => items.iter().map(|n| n.value.clone()).collect(),
        other => panic!("{p}: {other:?}"),
    }
}

fn unknown(g: &ResourceGraph, address: &str, p: &str) -> String {
    match &at(g, address, p).value {
        Value::Unknown(r) => r.clone(),
        other => panic!("{p}: {other:?}"),
    }
}

fn with_params(text: &str, params: &[(&str, &str)]) -> ParseOutput {
    let file = source("t.yaml", text);
    let mut options = CfnOptions::default();
    for (k, v) in params {
        options.parameters.insert((*k).into(), (*v).into());
    }
    wa_lint_cfn::parse_template_with(&file, &options).unwrap()
}

const FUNCTIONS: &str = r##"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: prod}
  Vpc: {Type: String, Default: "10.0.0.0/16"}
  Subnets: {Type: "List<AWS::EC2::Subnet::Id>", Default: "subnet-1,subnet-2"}
Mappings:
  Regions:
    eu-west-1: {Ami: ami-eu}
Resources:
  Key:
    Type: AWS::KMS::Key
  R:
    Type: AWS::EC2::Instance
    Properties:
      SubLong: !Sub
        - "arn:${AWS::Partition}:s3:::${Name}-${Env}/${!Keep}"
        - Name: !Join ["-", [a, b]]
      SubPseudo: !Sub "${AWS::Region}/${AWS::URLSuffix}"
      SubAttr: !Sub "${Key.Arn}"
      Join: !Join ["", [!Ref Env, ":", 443, ":", true]]
      JoinEmpty: !Join [",", []]
      Select: !Select ["1", !Ref Subnets]
      SelectOut: !Select [5, !Ref Subnets]
      Split: !Split [",", "a,,b"]
      SelectSplit: !Select [2, !Split ["/", "x/y/z"]]
      FindRegion: !FindInMap [Regions, !Ref "AWS::Region", Ami]
      FindDefault: !FindInMap [Regions, nowhere, Ami, {DefaultValue: ami-default}]
      GetAtt: !GetAtt Key.Arn
      GetAttList: {"Fn::GetAtt": [Key, KeyId]}
      B64: !Base64 {"Fn::Sub": "#!/bin/bash\necho ${Env}"}
      Cidr: !Cidr [!Ref Vpc, 3, 8]
      CidrBad: !Cidr ["10.0.0.0/24", 3, 7]
      Azs: !GetAZs ""
      AzsLiteral: !GetAZs us-east-2
      AzFirst: !Select [0, !GetAZs ""]
      Import: !ImportValue {"Fn::Sub": "${Env}-vpc"}
      Json: !ToJsonString {b: [1, {c: !Ref Env}], a: true}
      JsonUnknown: !ToJsonString {a: !Ref "AWS::AccountId"}
      Length: !Length {Ref: Subnets}
      Ssm: "{{resolve:ssm:/app/ami}}"
      Secret: !Sub "user:{{resolve:secretsmanager:db-${Env}:SecretString:password}}"
      Secure: "{{resolve:ssm-secure:/app/pw:3}}"
      Account: !Ref "AWS::AccountId"
      Stack: !Ref "AWS::StackName"
      Bogus: !Ref "AWS::Bogus"
      NotifArns: !Ref "AWS::NotificationARNs"
"##;

#[test]
fn every_intrinsic_without_user_values() {
    let (file, out) = parse("t.yaml", FUNCTIONS);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert!(out.scenarios.is_empty());
    let g = graph(&out);
    let v = |p: &str| at(g, "R", p).value.clone();
    let u = |p: &str| unknown(g, "R", p);
    assert_eq!(
        u("SubLong"),
        "pseudo parameter `AWS::Partition` is known only at deploy"
    );
    assert_eq!(
        u("SubPseudo"),
        "pseudo parameter `AWS::Region` is known only at deploy"
    );
    assert_eq!(u("SubAttr"), "`Key.Arn` is known only after deploy");
    assert_eq!(v("Join"), s("prod:443:true"));
    assert_eq!(v("JoinEmpty"), s(""));
    assert_eq!(v("Select"), s("subnet-2"));
    assert_eq!(u("SelectOut"), "`Fn::Select` index 5 is out of range");
    assert_eq!(list(g, "R", "Split"), strings(&["a", "", "b"]));
    assert_eq!(v("SelectSplit"), s("z"));
    assert_eq!(
        u("FindRegion"),
        "pseudo parameter `AWS::Region` is known only at deploy"
    );
    assert_eq!(v("FindDefault"), s("ami-default"));
    assert_eq!(u("GetAtt"), "`Key.Arn` is known only after deploy");
    assert_eq!(u("GetAttList"), "`Key.KeyId` is known only after deploy");
    // base64 of "#!/bin/bash\necho prod"
    assert_eq!(v("B64"), s("IyEvYmluL2Jhc2gKZWNobyBwcm9k"));
    assert_eq!(
        list(g, "R", "Cidr"),
        strings(&["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"])
    );
    let cidr = at(g, "R", "Cidr");
    assert_eq!(cidr.provenance.as_ref().unwrap().name, "Vpc");
    assert_eq!(text_of(&file, cidr), "!Cidr [!Ref Vpc, 3, 8]");
    assert_eq!(
        u("CidrBad"),
        "`Fn::Cidr` fails: `10.0.0.0/24` holds fewer than 3 subnets of 7 host bits"
    );
    assert_eq!(
        u("Azs"),
        "the availability zones are known only at deploy (the region is not given)"
    );
    assert_eq!(
        list(g, "R", "AzsLiteral"),
        strings(&["us-east-2a", "us-east-2b", "us-east-2c"])
    );
    assert_eq!(
        u("Import"),
        "imported value `prod-vpc` is known only at deploy"
    );
    assert_eq!(v("Json"), s(r#"{"a":true,"b":[1,{"c":"prod"}]}"#));
    assert_eq!(
        u("JsonUnknown"),
        "`Fn::ToJsonString` of a value known only at deploy"
    );
    assert_eq!(v("Length"), Value::Number(Number::Int(2)));
    assert_eq!(
        u("Ssm"),
        "dynamic reference `{{resolve:ssm:/app/ami}}` is read from SSM Parameter Store at deploy"
    );
    assert_eq!(
        u("Secret"),
        "dynamic reference `{{resolve:secretsmanager:db-prod:SecretString:password}}` is read from Secrets Manager at deploy"
    );
    assert!(u("Secure").contains("SecureString"), "{}", u("Secure"));
    assert_eq!(
        u("Account"),
        "pseudo parameter `AWS::AccountId` is known only at deploy"
    );
    assert_eq!(u("Bogus"), "`AWS::Bogus` is not a pseudo parameter");
    // Edges: GetAtt, Sub attribute.
    let edges: Vec<(&str, &str)> = g
        .edges
        .iter()
        .map(|e| (e.to.as_str(), e.from.as_str()))
        .collect();
    assert_eq!(edges, [("Key", "R"); 3]);
}

#[test]
fn pseudo_parameters_given_by_the_user() {
    let out = with_params(
        FUNCTIONS,
        &[
            ("AWS::Region", "cn-north-1"),
            ("AWS::AccountId", "123456789012"),
            ("AWS::StackName", "web"),
            ("AWS::NotificationARNs", "arn:a,arn:b"),
            ("Env", "dev"),
        ],
    );
    let g = graph(&out);
    let v = |p: &str| at(g, "R", p).value.clone();
    assert_eq!(v("SubLong"), s("arn:aws-cn:s3:::a-b-dev/${Keep}"));
    assert_eq!(v("SubPseudo"), s("cn-north-1/amazonaws.com.cn"));
    assert_eq!(
        list(g, "R", "Azs"),
        strings(&["cn-north-1a", "cn-north-1b", "cn-north-1c"])
    );
    assert_eq!(v("AzFirst"), s("cn-north-1a"));
    assert_eq!(v("Account"), s("123456789012"));
    assert_eq!(v("Stack"), s("web"));
    assert_eq!(list(g, "R", "NotifArns"), strings(&["arn:a", "arn:b"]));
    let account = at(g, "R", "Account").provenance.as_deref().unwrap();
    assert_eq!(
        (account.kind, account.name.as_str()),
        (ProvenanceKind::ParameterValue, "AWS::AccountId")
    );
    // The mapping is looked up with the region given.
    assert_eq!(
        unknown(g, "R", "FindRegion"),
        "mapping `Regions` has no value for `cn-north-1` / `Ami`"
    );
    let out = with_params(FUNCTIONS, &[("AWS::Region", "eu-west-1")]);
    let find = at(graph(&out), "R", "FindRegion");
    assert_eq!(find.value, s("ami-eu"));
    assert_eq!(
        find.provenance.as_ref().unwrap().kind,
        ProvenanceKind::Mapping
    );
}

#[test]
fn parameter_provenance_default_versus_value() {
    let text = "AWSTemplateFormatVersion: x\nParameters:\n  Env: {Type: String, Default: prod}\nResources:\n  R:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Ref Env\n";
    let out = with_params(text, &[]);
    let p = at(graph(&out), "R", "TopicName")
        .provenance
        .clone()
        .unwrap();
    assert_eq!(p.kind, ProvenanceKind::ParameterDefault);
    assert_eq!(p.to_string(), "parameter `Env` default");
    let out = with_params(text, &[("Env", "dev")]);
    let n = at(graph(&out), "R", "TopicName");
    assert_eq!(n.value, s("dev"));
    assert_eq!(
        n.provenance.as_ref().unwrap().to_string(),
        "parameter `Env` value"
    );
}

const CONDITIONS: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
  Encrypt: {Type: String, Default: "true"}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  InUsEast: !Equals [!Ref "AWS::Region", us-east-1]
  ProdInUs: !And [!Condition IsProd, !Condition InUsEast]
  ShouldEncrypt: !Equals [!Ref Encrypt, "true"]
  Unused: !Equals [!Ref Env, dev]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      SqsManagedSseEnabled: !If [IsProd, true, false]
      Tags:
        - !If [ProdInUs, {Key: a, Value: b}, !Ref "AWS::NoValue"]
        - {Key: c, Value: d}
      KmsMasterKeyId: !If [ShouldEncrypt, alias/aws/sqs, !Ref "AWS::NoValue"]
  ProdOnly:
    Type: AWS::SNS::Topic
    Condition: IsProd
  Whole:
    Type: AWS::S3::Bucket
    Properties: !If
      - IsProd
      - {BucketName: prod}
      - !Ref "AWS::NoValue"
"#;

#[test]
fn undecided_conditions_become_scenarios() {
    let (_, out) = parse("t.yaml", CONDITIONS);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    // The main graph keeps the merged view.
    let g = graph(&out);
    assert_eq!(
        unknown(g, "Queue", "SqsManagedSseEnabled"),
        "depends on condition `IsProd`"
    );
    // Decided: Encrypt defaults to "true".
    assert_eq!(at(g, "Queue", "KmsMasterKeyId").value, s("alias/aws/sqs"));
    // IsProd and InUsEast are the free atoms (ProdInUs derives from them; Unused and
    // ShouldEncrypt change nothing): all four combinations.
    let assumptions: Vec<Vec<(String, bool)>> = out
        .scenarios
        .iter()
        .map(|s| s.assumptions.clone())
        .collect();
    let row = |a: bool, b: bool| vec![("InUsEast".to_owned(), a), ("IsProd".to_owned(), b)];
    assert_eq!(
        assumptions,
        [
            row(false, false),
            row(false, true),
            row(true, false),
            row(true, true)
        ]
    );
    for scenario in &out.scenarios {
        let g = &scenario.graph;
        let prod = scenario.assumptions[1].1;
        let us = scenario.assumptions[0].1;
        assert_eq!(
            at(g, "Queue", "SqsManagedSseEnabled").value,
            Value::Bool(prod)
        );
        assert_eq!(g.resources.contains_key("ProdOnly"), prod);
        let tags = list(g, "Queue", "Tags");
        assert_eq!(tags.len(), if prod && us { 2 } else { 1 });
        if prod {
            assert_eq!(at(g, "Whole", "BucketName").value, s("prod"));
        } else {
            assert!(matches!(&at(g, "Whole", "").value, Value::Map(m) if m.is_empty()));
        }
    }
}

#[test]
fn conditions_decided_by_user_values_need_no_scenario() {
    let out = with_params(CONDITIONS, &[("Env", "prod"), ("AWS::Region", "eu-west-1")]);
    assert!(out.scenarios.is_empty());
    let g = graph(&out);
    assert_eq!(
        at(g, "Queue", "SqsManagedSseEnabled").value,
        Value::Bool(true)
    );
    assert_eq!(list(g, "Queue", "Tags").len(), 1);
    assert!(g.resources.contains_key("ProdOnly"));
    // Only the region is given: IsProd stays free, InUsEast is false, so ProdInUs is false.
    let out = with_params(CONDITIONS, &[("AWS::Region", "eu-west-1")]);
    let names: Vec<Vec<&str>> = out
        .scenarios
        .iter()
        .map(|s| s.assumptions.iter().map(|(n, _)| n.as_str()).collect())
        .collect();
    assert_eq!(names, [vec!["IsProd"], vec!["IsProd"]]);
}

/// A template with `n` independent conditions (parameters without default) guarding
/// `n` list items, or none at all.
fn many(n: usize, conditions: bool) -> String {
    let mut t = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n");
    for i in 0..n {
        writeln!(t, "  Size{i}:\n    Type: Number").unwrap();
    }
    if conditions {
        t.push_str("Conditions:\n");
        for i in 0..n {
            writeln!(t, "  Has{i:02}: !Not [!Equals [!Ref Size{i}, 0]]").unwrap();
        }
    }
    t.push_str("Resources:\n  Worker:\n    Type: AWS::EC2::Instance\n    Properties:\n      BlockDeviceMappings:\n");
    for i in 0..n {
        let item = format!(
            "{{DeviceName: /dev/sd{i}, Ebs: {{Encrypted: true, VolumeSize: !Ref Size{i}}}}}"
        );
        if conditions {
            writeln!(
                t,
                "        - !If [Has{i:02}, {item}, !Ref \"AWS::NoValue\"]"
            )
            .unwrap();
        } else {
            writeln!(t, "        - {item}").unwrap();
        }
    }
    t
}

#[test]
fn thirty_free_conditions_get_a_covering_set() {
    let (_, out) = parse("t.yaml", &many(30, true));
    // all false, all true, each one alone: 32 scenarios, not 2^30.
    assert_eq!(out.scenarios.len(), 32);
    let count = |i: usize| list(&out.scenarios[i].graph, "Worker", "BlockDeviceMappings").len();
    assert_eq!((count(0), count(1), count(2), count(31)), (0, 30, 1, 1));
    // Each condition is seen both ways.
    for name in out.scenarios[0].assumptions.iter().map(|(n, _)| n) {
        let values: Vec<bool> = out
            .scenarios
            .iter()
            .map(|s| s.assumptions.iter().find(|(n, _)| n == name).unwrap().1)
            .collect();
        assert!(values.contains(&true) && values.contains(&false), "{name}");
    }
    let third = &out.scenarios[4].assumptions;
    assert!(third
        .iter()
        .filter(|(_, v)| *v)
        .map(|(n, _)| n.as_str())
        .eq(["Has02"]));
}

/// Five free conditions get all 32 combinations: a resource created only when `C0 ∧ C1 ∧ ¬C2`
/// (with C3 and C4 deciding other resources) was in none of the 7 sampled scenarios (all
/// false, all true, each alone), so its finding was missed without a word (found by a fresh
/// tester).
#[test]
fn five_free_conditions_get_every_combination() {
    let mut t = String::from("AWSTemplateFormatVersion: x\nParameters:\n");
    for i in 0..5 {
        writeln!(t, "  P{i}: {{Type: String}}").unwrap();
    }
    t.push_str("Conditions:\n");
    for i in 0..5 {
        writeln!(t, "  C{i}: !Equals [!Ref P{i}, x]").unwrap();
    }
    t.push_str("  X: !And [!Condition C0, !Condition C1, !Not [!Condition C2]]\nResources:\n");
    t.push_str("  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Condition: X\n");
    for i in 3..5 {
        writeln!(t, "  T{i}:\n    Type: AWS::SNS::Topic\n    Condition: C{i}").unwrap();
    }
    let (_, out) = parse("t.yaml", &t);
    assert_eq!(out.scenarios.len(), 32);
    let with_sg = out
        .scenarios
        .iter()
        .filter(|s| s.graph.resources.contains_key("Sg"))
        .count();
    assert_eq!(with_sg, 4);
}

#[test]
fn scenario_count_shrinks_with_template_size() {
    // 10,000 resources under 20 free conditions: the budget allows 10 scenarios (the two
    // extremes and the first 8 conditions alone), not 22.
    let mut t = String::from("AWSTemplateFormatVersion: x\nParameters:\n");
    for i in 0..20 {
        writeln!(t, "  P{i}: {{Type: String}}").unwrap();
    }
    t.push_str("Conditions:\n");
    for i in 0..20 {
        writeln!(t, "  C{i}: !Equals [!Ref P{i}, x]").unwrap();
    }
    t.push_str("Resources:\n");
    for i in 0..10_000 {
        writeln!(
            t,
            "  Q{i}:\n    Type: AWS::SQS::Queue\n    Condition: C{}",
            i % 20
        )
        .unwrap();
    }
    let start = Instant::now();
    let (_, out) = parse("t.yaml", &t);
    assert_eq!(out.scenarios.len(), 10);
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

#[test]
fn conditions_cost_a_small_factor() {
    // Best of three, to be robust against a busy machine.
    let time = |text: &str| {
        (0..3)
            .map(|_| {
                let start = Instant::now();
                let (_, out) = parse("t.yaml", text);
                assert!(out.graph.is_some());
                start.elapsed()
            })
            .min()
            .unwrap()
    };
    let with = time(&many(30, true));
    let without = time(&many(30, false));
    // 32 scenarios of a cheap resolve; parsing dominates a real file, and the rules run per
    // scenario in the linter, so this only guards against exponential blow-up.
    assert!(
        with < without * 100 + std::time::Duration::from_millis(50),
        "{with:?} vs {without:?}"
    );
}
