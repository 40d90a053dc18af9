//! Transforms: `Fn::ForEach` (`AWS::LanguageExtensions`) and the SAM expansion.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{at, graph, line_col, parse, read, text_of, CORPUS};
use wa_lint_graph::{Edge, EdgeKind, Value};
use wa_lint_source::Level;

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

const FOREACH_S3: &str = r"AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::LanguageExtensions
Parameters:
  Names:
    Type: CommaDelimitedList
    Default: Logs,Data
Resources:
  Fn::ForEach::Buckets:
    - Identifier
    - !Ref Names
    - S3Bucket${Identifier}:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub 'app-${Identifier}-bucket'
          Tags:
            - Key: Name
              Value: !Ref Identifier
  Fn::ForEach::Outer:
    - Env
    - [Dev, Prod]
    - Fn::ForEach::Inner:
        - Tier
        - [Web, Db]
        - ${Env}&{Tier}Sg:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: !Sub '${Env} ${Tier}'
  Plain:
    Type: AWS::SNS::Topic
";

#[test]
fn foreach_expands_keys_refs_and_sub_from_a_parameter_collection() {
    let (file, out) = parse("foreach.yaml", FOREACH_S3);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let g = graph(&out);
    assert_eq!(
        g.resources.keys().collect::<Vec<_>>(),
        [
            "DevDbSg",
            "DevWebSg",
            "Plain",
            "ProdDbSg",
            "ProdWebSg",
            "S3BucketData",
            "S3BucketLogs"
        ]
    );
    assert_eq!(
        at(g, "S3BucketLogs", "BucketName").value,
        s("app-Logs-bucket")
    );
    assert_eq!(at(g, "S3BucketData", "Tags[0].Value").value, s("Data"));
    assert_eq!(at(g, "ProdWebSg", "GroupDescription").value, s("Prod Web"));
    // Expanded resources are located in the loop template.
    let bucket = &g.resources["S3BucketData"];
    assert_eq!(file.line_col(bucket.header.range.start).line, 11);
    assert_eq!(
        line_col(&file, at(g, "S3BucketData", "Tags[0].Value")).line,
        17
    );
    assert_eq!(
        text_of(&file, at(g, "S3BucketData", "Tags[0].Value")),
        "!Ref Identifier"
    );
}

#[test]
fn foreach_with_an_unknown_collection_is_left_out_with_a_note() {
    let text = "Transform: AWS::LanguageExtensions
Parameters:
  Names:
    Type: CommaDelimitedList
Resources:
  Fn::ForEach::Buckets:
    - Id
    - !Ref Names
    - B${Id}:
        Type: AWS::S3::Bucket
  Other:
    Type: AWS::S3::Bucket
";
    let (file, out) = parse("t.yaml", text);
    let g = graph(&out);
    assert_eq!(g.resources.keys().collect::<Vec<_>>(), ["Other"]);
    let d: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.level,
                d.code.as_str(),
                file.line_col(d.range.unwrap().start).line,
            )
        })
        .collect();
    assert_eq!(d, [(Level::Note, "cfn::foreach-unknown", 8)]);
    assert!(out.diagnostics[0].message.contains("has no default"));
}

/// A loop producing a logical ID that is also written in `Resources`: CloudFormation rejects
/// the template; wa-lint keeps the last (the written one) and says so, instead of dropping
/// the loop's resource without a word (found by a fresh tester).
#[test]
fn foreach_producing_an_existing_logical_id_is_a_duplicate_key() {
    let text = "Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Groups:
    - Name
    - [a]
    - Sg:
        Type: AWS::EC2::SecurityGroup
  Sg:
    Type: AWS::S3::Bucket
";
    let (file, out) = parse("t.yaml", text);
    let g = graph(&out);
    assert_eq!(g.resources["Sg"].rtype, "AWS::S3::Bucket");
    let d: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.as_str(),
                d.level,
                d.range.map(|r| file.line_col(r.start).line),
            )
        })
        .collect();
    assert_eq!(d, [("cfn::duplicate-key", Level::Error, Some(8))]);
}

#[test]
fn foreach_user_parameter_value_wins_over_default() {
    let file = common::source("foreach.yaml", FOREACH_S3);
    let mut options = wa_lint_cfn::CfnOptions::default();
    options.parameters.insert("Names".into(), "One".into());
    let out = wa_lint_cfn::parse_template_with(&file, &options).unwrap();
    let g = graph(&out);
    assert!(g.resources.contains_key("S3BucketOne"));
    assert!(!g.resources.contains_key("S3BucketLogs"));
}

#[test]
fn foreach_corpus_templates_expand() {
    let dir = format!("{CORPUS}/aws-cfn-templates/CloudFormation");
    for name in ["fn-foreach-ddb.yaml", "fn-foreach-ddb.json"] {
        let Some(file) = read(&format!("{dir}/{name}")) else {
            return;
        };
        let out = wa_lint_cfn::parse_template(&file).unwrap();
        assert!(out.diagnostics.is_empty(), "{name}: {:?}", out.diagnostics);
        let g = graph(&out);
        assert_eq!(
            g.resources.keys().collect::<Vec<_>>(),
            [
                "DynamoDBLeaderboard",
                "DynamoDBName",
                "DynamoDBPoints",
                "DynamoDBScore"
            ],
            "{name}"
        );
        assert_eq!(at(g, "DynamoDBScore", "TableName").value, s("Score"));
    }
    // cfn-lint fixture: the collection is `Fn::FindInMap` keyed by a parameter without a
    // default, so both loops (resources, outputs) are left out with a note at the collection.
    let Some(file) = read(&format!(
        "{CORPUS}/cfn-lint-fixtures/test/fixtures/templates/good/functions/foreach.yaml"
    )) else {
        return;
    };
    let out = wa_lint_cfn::parse_template(&file).unwrap();
    assert!(graph(&out).resources.is_empty());
    let notes: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), file.line_col(d.range.unwrap().start).line))
        .collect();
    assert_eq!(
        notes,
        [("cfn::foreach-unknown", 13), ("cfn::foreach-unknown", 35)]
    );
    let mut options = wa_lint_cfn::CfnOptions::default();
    options
        .parameters
        .insert("Environment".into(), "Production".into());
    let out = wa_lint_cfn::parse_template_with(&file, &options).unwrap();
    assert_eq!(
        graph(&out).resources.keys().collect::<Vec<_>>(),
        ["S3BucketA", "S3BucketB", "S3BucketC"]
    );
}

const SAM: &str = r"AWSTemplateFormatVersion: '2010-09-09'
Transform:
  - AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Environment:
      Variables:
        STAGE: prod
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      VpcConfig:
        SubnetIds: [subnet-1]
        SecurityGroupIds: [sg-1]
      Environment:
        Variables:
          TABLE: !Ref Table
      Policies:
        - AmazonS3ReadOnlyAccess
        - SQSPollerPolicy:
            QueueName: q
        - Version: '2012-10-17'
          Statement:
            - Effect: Allow
              Action: '*'
              Resource: '*'
  WithRole:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/given
  Table:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey:
        Name: pk
        Type: Number
      SSESpecification:
        SSEEnabled: true
";

#[test]
fn sam_function_gets_a_role_with_its_policies_located_in_the_sam_source() {
    let (file, out) = parse("sam.yaml", SAM);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let g = graph(&out);
    assert_eq!(
        g.resources.keys().collect::<Vec<_>>(),
        ["Table", "WithRole", "Worker", "WorkerRole"]
    );
    let role = &g.resources["WorkerRole"];
    assert_eq!(role.rtype, "AWS::IAM::Role");
    assert_eq!(file.line_col(role.header.range.start).line, 11);
    assert_eq!(
        at(g, "WorkerRole", "Policies[0].PolicyName").value,
        s("WorkerRolePolicy0")
    );
    let action = at(
        g,
        "WorkerRole",
        "Policies[0].PolicyDocument.Statement[0].Action",
    );
    assert_eq!(action.value, s("*"));
    assert_eq!(line_col(&file, action).line, 28);
    let managed: Vec<_> = match &at(g, "WorkerRole", "ManagedPolicyArns").value {
        Value::List(items) => items.iter().map(|n| n.as_str().unwrap()).collect(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        managed,
        [
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
            "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
        ]
    );
    assert_eq!(
        at(
            g,
            "WorkerRole",
            "AssumeRolePolicyDocument.Statement[0].Principal.Service"
        )
        .value,
        s("lambda.amazonaws.com")
    );
    assert!(!g.resources.contains_key("WithRoleRole"));
    assert!(g.edges.contains(&Edge {
        from: "WorkerRole".into(),
        to: "Worker".into(),
        at: wa_lint_graph::AttrPath::root(),
        kind: EdgeKind::GeneratedFrom,
    }));
    assert!(g
        .edges
        .iter()
        .any(|e| e.from == "Worker" && e.to == "WorkerRole" && e.kind == EdgeKind::GetAtt));
}

#[test]
fn sam_globals_merge_under_the_resource_and_simple_table_becomes_a_dynamodb_table() {
    let (file, out) = parse("sam.yaml", SAM);
    let g = graph(&out);
    assert_eq!(at(g, "Worker", "Runtime").value, s("python3.12"));
    assert_eq!(
        at(g, "Worker", "Environment.Variables.STAGE").value,
        s("prod")
    );
    assert_eq!(line_col(&file, at(g, "Worker", "Runtime")).line, 6);
    assert!(at(g, "Worker", "Environment.Variables.TABLE").is_unknown());
    assert_eq!(at(g, "WithRole", "Runtime").value, s("python3.12"));
    let table = &g.resources["Table"];
    assert_eq!(table.rtype, "AWS::DynamoDB::Table");
    assert_eq!(
        at(g, "Table", "SSESpecification.SSEEnabled").value,
        Value::Bool(true)
    );
    assert_eq!(at(g, "Table", "KeySchema[0].AttributeName").value, s("pk"));
    assert_eq!(
        at(g, "Table", "AttributeDefinitions[0].AttributeType").value,
        s("N")
    );
    assert_eq!(at(g, "Table", "BillingMode").value, s("PAY_PER_REQUEST"));
}

#[test]
fn cdk_construct_paths_come_from_resource_metadata() {
    let text = r#"{"Resources": {
  "Sg1234": {"Type": "AWS::EC2::SecurityGroup",
    "Properties": {"GroupDescription": "x"},
    "Metadata": {"aws:cdk:path": "AppStack/Admin/Resource"}},
  "Plain": {"Type": "AWS::SNS::Topic"}}}"#;
    let (_, out) = parse("AppStack.template.json", text);
    let g = graph(&out);
    assert_eq!(
        g.construct_paths.iter().collect::<Vec<_>>(),
        [(&"Sg1234".to_owned(), &"AppStack/Admin/Resource".to_owned())]
    );
}
