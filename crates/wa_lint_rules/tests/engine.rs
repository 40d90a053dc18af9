//! Engine tests: loading, METADATA errors, evaluation over hand-built graphs, the input shape.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use serde_json::json;
use wa_lint_graph::{
    from_json, AttrPath, Edge, EdgeKind, Entry, Mode, Node, Origin, PathSeg, Resource,
    ResourceGraph, Unit, Value,
};
use wa_lint_rules::{build_input, ResultStatus, RulePack, RuleResult, RulesError, Severity};
use wa_lint_source::{FileId, Span};

/// A rule source at `rules/<name>/rule.rego` with METADATA for `id` reading `types`.
fn rule(name: &str, id: &str, types: &[&str], body: &str) -> (String, String) {
    let text = format!(
        "# METADATA\n\
# title: Title of {id}\n\
# description: |\n\
#   What it checks.\n\
#   Why it matters.\n\
# custom:\n\
#   id: {id}\n\
#   severity: high\n\
#   best_practices: [SEC05-BP01]\n\
#   resource_types: [{types}]\n\
#   recommended_action: Fix it.\n\
package walint.rules.{name}\n\
\n\
{body}",
        types = types.join(", ")
    );
    (format!("rules/{name}/rule.rego"), text)
}

/// A template unit `stack.yaml` with resources `(address, type, attrs as JSON)` and
/// `Ref` edges `(from, to, at key)`.
fn graph(
    resources: &[(&str, &str, serde_json::Value)],
    refs: &[(&str, &str, &str)],
) -> ResourceGraph {
    let span = Some(Span::new(FileId(0), 0, 1));
    let mut g = ResourceGraph::new(Unit {
        origin: Origin::Cloudformation,
        path: "stack.yaml".to_owned(),
        files: vec![(FileId(0), "stack.yaml".to_owned())],
    });
    for (address, rtype, attrs) in resources {
        g.resources.insert(
            (*address).to_owned(),
            Resource {
                address: (*address).to_owned(),
                origin: Origin::Cloudformation,
                rtype: (*rtype).to_owned(),
                mode: Mode::Managed,
                attrs: from_json(attrs, span),
                header: Span::new(FileId(0), 0, 1),
                block: Span::new(FileId(0), 0, 1),
                module_path: String::new(),
            },
        );
    }
    for (from, to, at) in refs {
        g.edges.push(Edge {
            from: (*from).to_owned(),
            to: (*to).to_owned(),
            at: AttrPath::root().key(*at),
            kind: EdgeKind::Ref,
        });
    }
    g.finish();
    g
}

/// A security group with ingress 22 from the world, 443 from 10/8 and 3389 from an unknown
/// CIDR, referring to a VPC.
fn sg_graph() -> ResourceGraph {
    let mut g = graph(
        &[
            (
                "Sg",
                "AWS::EC2::SecurityGroup",
                json!({
                    "GroupDescription": "ssh",
                    "SecurityGroupIngress": [
                        {"CidrIp": "0.0.0.0/0", "FromPort": 22, "ToPort": 22},
                        {"CidrIp": "10.0.0.0/8", "FromPort": 443, "ToPort": 443},
                        {"CidrIp": "placeholder", "FromPort": 3389, "ToPort": 3389}
                    ],
                    "VpcId": "Vpc",
                    "Weight": 0.5
                }),
            ),
            ("Vpc", "AWS::EC2::VPC", json!({"CidrBlock": "10.0.0.0/16"})),
        ],
        &[("Sg", "Vpc", "VpcId")],
    );
    let sg = g.resources.get_mut("Sg").unwrap();
    let Value::Map(attrs) = &mut sg.attrs.value else {
        panic!()
    };
    let Value::List(ingress) = &mut attrs.get_mut("SecurityGroupIngress").unwrap().node.value
    else {
        panic!()
    };
    let Value::Map(third) = &mut ingress[2].value else {
        panic!()
    };
    third.insert(
        "CidrIp".to_owned(),
        Entry {
            key_span: None,
            node: Node::unknown("parameter `Cidr` has no default", None),
        },
    );
    g
}

/// A security-group rule: deny port-22 world ingress, unknown when the CIDR is unknown.
const SG_RULE: &str = r#"
import rego.v1

deny contains row if {
    some addr in input.by_type["AWS::EC2::SecurityGroup"]
    some i, ing in input.resources[addr].attrs.SecurityGroupIngress
    ing.CidrIp == "0.0.0.0/0"
    row := {"address": addr, "path": ["SecurityGroupIngress", i, "CidrIp"],
            "message": sprintf("port %d is open to 0.0.0.0/0", [ing.FromPort])}
}

unknown contains row if {
    some addr in input.by_type["AWS::EC2::SecurityGroup"]
    some i, ing in input.resources[addr].attrs.SecurityGroupIngress
    reason := ing.CidrIp["$unknown"]
    row := {"address": addr, "path": ["SecurityGroupIngress", i, "CidrIp"],
            "message": sprintf("CIDR is not known: %s", [reason]),
            "related": [{"address": "Vpc", "path": ["CidrBlock"]}]}
}
"#;

fn pack(sources: &[(String, String)]) -> RulePack {
    RulePack::from_sources(sources).unwrap()
}

fn load_error(sources: &[(String, String)]) -> String {
    match RulePack::from_sources(sources) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("expected an error"),
    }
}

fn key(k: &str) -> PathSeg {
    PathSeg::Key(k.to_owned())
}

#[test]
fn metadata_is_read_into_rule_meta() {
    let p = pack(&[rule(
        "sg_ssh",
        "WA-SEC05-SG-SSH",
        &["AWS::EC2::SecurityGroup"],
        SG_RULE,
    )]);
    assert_eq!(p.rules().len(), 1);
    let meta = &p.rules()[0];
    assert_eq!(meta.id, "WA-SEC05-SG-SSH");
    assert_eq!(meta.title, "Title of WA-SEC05-SG-SSH");
    assert_eq!(meta.description, "What it checks.\nWhy it matters.");
    assert_eq!(meta.severity, Severity::High);
    assert_eq!(meta.best_practices, ["SEC05-BP01"]);
    assert_eq!(meta.resource_types, ["AWS::EC2::SecurityGroup"]);
    assert_eq!(meta.recommended_action, "Fix it.");
    assert_eq!(meta.package, "walint.rules.sg_ssh");
    assert_eq!(p.source_path(0), Some("rules/sg_ssh/rule.rego"));
}

#[test]
fn rules_are_sorted_by_id() {
    let p = pack(&[
        rule(
            "b",
            "WA-B",
            &["aws_s3_bucket"],
            "deny contains 1 if false\n",
        ),
        rule(
            "a",
            "WA-A",
            &["aws_s3_bucket"],
            "deny contains 1 if false\n",
        ),
    ]);
    let ids: Vec<&str> = p.rules().iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["WA-A", "WA-B"]);
}

#[test]
fn metadata_errors_name_the_file_and_field() {
    let (path, text) = rule(
        "x",
        "WA-X",
        &["aws_s3_bucket"],
        "deny contains 1 if false\n",
    );
    let missing = text.replace("#   recommended_action: Fix it.\n", "");
    assert_eq!(
        load_error(&[(path.clone(), missing)]),
        "rules/x/rule.rego: invalid METADATA: missing required field `custom.recommended_action`"
    );
    let unknown = text.replace("#   severity: high\n", "#   severity: high\n#   tier: P0\n");
    let e = load_error(&[(path.clone(), unknown)]);
    assert!(
        e.starts_with("rules/x/rule.rego: invalid METADATA: unknown field `custom.tier`"),
        "{e}"
    );
    let no_block = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let e = load_error(&[(path, no_block)]);
    assert!(e.contains("no `# METADATA` comment block"), "{e}");
}

#[test]
fn duplicate_ids_and_packages_are_errors() {
    let e = load_error(&[
        rule(
            "a",
            "WA-SAME",
            &["aws_s3_bucket"],
            "deny contains 1 if false\n",
        ),
        rule(
            "b",
            "WA-SAME",
            &["aws_s3_bucket"],
            "deny contains 1 if false\n",
        ),
    ]);
    assert_eq!(e, "rules/b/rule.rego: invalid METADATA: duplicate rule ID `WA-SAME` (also in rules/a/rule.rego)");
    let (_, text) = rule(
        "a",
        "WA-OTHER",
        &["aws_s3_bucket"],
        "deny contains 1 if false\n",
    );
    let e = load_error(&[
        rule(
            "a",
            "WA-ONE",
            &["aws_s3_bucket"],
            "deny contains 1 if false\n",
        ),
        ("rules/copy/rule.rego".to_owned(), text),
    ]);
    assert!(
        e.contains("package `walint.rules.a` is also declared by rules/a/rule.rego"),
        "{e}"
    );
}

#[test]
fn compile_errors_name_the_file() {
    let e = load_error(&[rule(
        "bad",
        "WA-BAD",
        &["aws_s3_bucket"],
        "deny contains x if {\n",
    )]);
    assert!(matches!(
        RulePack::from_sources(&[rule(
            "bad",
            "WA-BAD",
            &["aws_s3_bucket"],
            "deny contains x if {\n"
        )]),
        Err(RulesError::Compile { .. })
    ));
    assert_eq!(
        e,
        "rules/bad/rule.rego: line 15, column 1: expecting expression"
    );
    let e = load_error(&[rule(
        "none",
        "WA-NONE",
        &["aws_s3_bucket"],
        "allow := true\n",
    )]);
    assert_eq!(
        e,
        "rules/none/rule.rego: rule WA-NONE defines neither `deny` nor `unknown`"
    );
}

#[test]
fn undefined_functions_fail_at_evaluation() {
    // regorus resolves function calls lazily, so a typo surfaces as a rule error on the first
    // unit the rule applies to, not at load.
    let body = "deny contains {\"address\": \"Sg\", \"path\": [], \"message\": x} if { x := walint.lib.nope(1) }\n";
    let p = pack(&[rule(
        "undef",
        "WA-UNDEF",
        &["AWS::EC2::SecurityGroup"],
        body,
    )]);
    let evaluation = p.evaluator().evaluate(&sg_graph());
    assert!(evaluation.results.is_empty());
    assert_eq!(evaluation.errors.len(), 1);
    let message = &evaluation.errors[0].message;
    assert!(
        message.starts_with("`data.walint.rules.undef.deny` failed: ")
            && message.contains("walint.lib.nope"),
        "{message}"
    );
}

#[test]
fn deny_and_unknown_rows_become_results() {
    let p = pack(&[rule(
        "sg_ssh",
        "WA-SEC05-SG-SSH",
        &["AWS::EC2::SecurityGroup"],
        SG_RULE,
    )]);
    let evaluation = p.evaluator().evaluate(&sg_graph());
    assert!(evaluation.errors.is_empty(), "{:?}", evaluation.errors);
    assert_eq!(
        evaluation.results,
        [
            RuleResult {
                rule: 0,
                status: ResultStatus::Fail,
                address: "Sg".to_owned(),
                path: AttrPath(vec![
                    key("SecurityGroupIngress"),
                    PathSeg::Index(0),
                    key("CidrIp")
                ]),
                message: "port 22 is open to 0.0.0.0/0".to_owned(),
                related: vec![],
            },
            RuleResult {
                rule: 0,
                status: ResultStatus::Unknown,
                address: "Sg".to_owned(),
                path: AttrPath(vec![
                    key("SecurityGroupIngress"),
                    PathSeg::Index(2),
                    key("CidrIp")
                ]),
                message: "CIDR is not known: parameter `Cidr` has no default".to_owned(),
                related: vec![("Vpc".to_owned(), AttrPath(vec![key("CidrBlock")]))],
            },
        ]
    );
}

#[test]
fn a_rule_that_errors_does_not_stop_the_others() {
    // Two definitions of a complete rule with different values: a runtime conflict.
    let conflict = "v := 1 if { true }\nv := 2 if { true }\ndeny contains {\"address\": \"Sg\", \"path\": [], \"message\": \"m\"} if { v == 1 }\n";
    let p = pack(&[
        rule(
            "conflict",
            "WA-A-CONFLICT",
            &["AWS::EC2::SecurityGroup"],
            conflict,
        ),
        rule(
            "sg_ssh",
            "WA-SEC05-SG-SSH",
            &["AWS::EC2::SecurityGroup"],
            SG_RULE,
        ),
    ]);
    let evaluation = p.evaluator().evaluate(&sg_graph());
    assert_eq!(evaluation.errors.len(), 1, "{:?}", evaluation.errors);
    assert_eq!(evaluation.errors[0].rule_id, "WA-A-CONFLICT");
    assert_eq!(
        evaluation.errors[0].message,
        "`data.walint.rules.conflict.deny` failed: rules/conflict/rule.rego:15:1: \
         rule conflicts with rule at rules/conflict/rule.rego:14:1"
    );
    // The other rule (index 1, sorted after the conflicting one) still produced its rows.
    assert_eq!(evaluation.results.len(), 2);
    assert!(evaluation.results.iter().all(|r| r.rule == 1));
}

#[test]
fn malformed_rows_are_errors_and_good_rows_stay() {
    let body = r#"
deny contains {"address": "Sg", "path": ["GroupDescription"], "message": "good row"}
deny contains {"address": "Sg", "path": "GroupDescription", "message": "path is a string"}
deny contains {"address": "Sg", "path": [-1], "message": "negative index"}
deny contains {"address": "Nope", "path": [], "message": "no such resource"}
deny contains {"address": "Sg", "path": []}
"#;
    let p = pack(&[rule("rows", "WA-ROWS", &["AWS::EC2::SecurityGroup"], body)]);
    let evaluation = p.evaluator().evaluate(&sg_graph());
    assert_eq!(evaluation.results.len(), 1);
    assert_eq!(evaluation.results[0].message, "good row");
    assert_eq!(
        evaluation.results[0].path,
        AttrPath(vec![key("GroupDescription")])
    );
    assert_eq!(evaluation.errors.len(), 1);
    let message = &evaluation.errors[0].message;
    assert!(
        message.starts_with("malformed `deny` result: "),
        "{message}"
    );
    assert!(
        message.ends_with("(and 3 more malformed rows)"),
        "{message}"
    );
}

#[test]
fn rules_for_other_types_are_not_evaluated() {
    // This rule would fail at runtime; it reads only queues, and the graph has none.
    let conflict = "v := 1 if { true }\nv := 2 if { true }\ndeny contains {\"address\": \"Q\", \"path\": [], \"message\": \"m\"} if { v == 1 }\n";
    let p = pack(&[
        rule(
            "queue",
            "WA-QUEUE",
            &["AWS::SQS::Queue", "aws_sqs_queue"],
            conflict,
        ),
        rule(
            "sg_ssh",
            "WA-SEC05-SG-SSH",
            &["AWS::EC2::SecurityGroup"],
            SG_RULE,
        ),
    ]);
    let mut evaluator = p.evaluator();
    let evaluation = evaluator.evaluate(&sg_graph());
    assert!(evaluation.errors.is_empty(), "{:?}", evaluation.errors);
    assert_eq!(evaluation.results.len(), 2);
    // The same rule does run (and fails) once the unit has a queue.
    let evaluation = evaluator.evaluate(&graph(&[("Q", "AWS::SQS::Queue", json!({}))], &[]));
    assert_eq!(evaluation.errors.len(), 1);
    assert_eq!(evaluation.errors[0].rule_id, "WA-QUEUE");
}

#[test]
fn runaway_rules_time_out() {
    let slow = r#"
deny contains {"address": "Sg", "path": [], "message": sprintf("%d", [n])} if {
    n := count([1 | some i in numbers.range(1, 5000); some j in numbers.range(1, 5000); i != j])
}
"#;
    let mut p = pack(&[
        rule("slow", "WA-SLOW", &["AWS::EC2::SecurityGroup"], slow),
        rule(
            "sg_ssh",
            "WA-SEC05-SG-SSH",
            &["AWS::EC2::SecurityGroup"],
            SG_RULE,
        ),
    ]);
    p.set_rule_timeout(Duration::from_millis(100));
    let started = std::time::Instant::now();
    let evaluation = p.evaluator().evaluate(&sg_graph());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(evaluation.errors.len(), 1, "{:?}", evaluation.errors);
    assert_eq!(evaluation.errors[0].rule_id, "WA-SLOW");
    assert!(
        evaluation.errors[0]
            .message
            .starts_with("`data.walint.rules.slow.deny` timed out after 0."),
        "{}",
        evaluation.errors[0].message
    );
    assert_eq!(evaluation.results.len(), 2);
}

#[test]
fn input_has_the_documented_shape() {
    let g = sg_graph();
    let input: serde_json::Value =
        serde_json::from_str(&build_input(&g).to_json_str().unwrap()).unwrap();
    assert_eq!(
        input,
        json!({
            "unit": {"origin": "cloudformation", "path": "stack.yaml", "files": ["stack.yaml"]},
            "resources": {
                "Sg": {
                    "address": "Sg", "type": "AWS::EC2::SecurityGroup", "kind": "aws.ec2.security_group",
                    "origin": "cloudformation", "mode": "managed",
                    "attrs": {
                        "GroupDescription": "ssh",
                        "SecurityGroupIngress": [
                            {"CidrIp": "0.0.0.0/0", "FromPort": 22, "ToPort": 22},
                            {"CidrIp": "10.0.0.0/8", "FromPort": 443, "ToPort": 443},
                            {"CidrIp": {"$unknown": "parameter `Cidr` has no default"}, "FromPort": 3389, "ToPort": 3389}
                        ],
                        "VpcId": "Vpc",
                        "Weight": 0.5
                    },
                    "refs": [{"to": "Vpc", "at": ["VpcId"], "kind": "ref"}],
                    "referrers": []
                },
                "Vpc": {
                    "address": "Vpc", "type": "AWS::EC2::VPC", "kind": "aws.ec2.vpc",
                    "origin": "cloudformation", "mode": "managed",
                    "attrs": {"CidrBlock": "10.0.0.0/16"},
                    "refs": [],
                    "referrers": [{"from": "Sg", "at": ["VpcId"], "kind": "ref"}]
                }
            },
            "by_type": {"AWS::EC2::SecurityGroup": ["Sg"], "AWS::EC2::VPC": ["Vpc"]},
            "by_kind": {"aws.ec2.security_group": ["Sg"], "aws.ec2.vpc": ["Vpc"]},
            "parameters": {},
            "outputs": {}
        })
    );
    // Integers stay integers, floats stay floats.
    assert!(input["resources"]["Sg"]["attrs"]["SecurityGroupIngress"][0]["FromPort"].is_i64());
    assert!(input["resources"]["Sg"]["attrs"]["Weight"].is_f64());
}

#[test]
fn types_without_kind_have_null_kind() {
    let g = graph(
        &[(
            "aws_wafv2_web_acl.main",
            "aws_wafv2_web_acl",
            json!({"name": "x"}),
        )],
        &[],
    );
    let input: serde_json::Value =
        serde_json::from_str(&build_input(&g).to_json_str().unwrap()).unwrap();
    assert_eq!(
        input["resources"]["aws_wafv2_web_acl.main"]["kind"],
        serde_json::Value::Null
    );
    assert_eq!(input["by_kind"], json!({}));
}

#[test]
fn evaluation_is_deterministic() {
    let p = pack(&[
        rule(
            "sg_ssh",
            "WA-SEC05-SG-SSH",
            &["AWS::EC2::SecurityGroup"],
            SG_RULE,
        ),
        rule(
            "all",
            "WA-ALL",
            &["AWS::EC2::SecurityGroup", "AWS::EC2::VPC"],
            r#"
deny contains {"address": a, "path": [], "message": sprintf("resource %s", [a])} if { some a, _ in input.resources }
"#,
        ),
    ]);
    let g = sg_graph();
    let first = p.evaluator().evaluate(&g);
    let mut evaluator = p.evaluator();
    for _ in 0..3 {
        let again = evaluator.evaluate(&g);
        assert_eq!(again.results, first.results);
        assert_eq!(again.errors, first.errors);
    }
    assert_eq!(first.results.len(), 4);
    assert_eq!(
        build_input(&g).to_json_str().unwrap(),
        build_input(&sg_graph()).to_json_str().unwrap()
    );
}

#[test]
fn evaluators_are_send() {
    fn is_send<T: Send>() {}
    is_send::<wa_lint_rules::Evaluator>();
    is_send::<RulePack>();
}

#[test]
fn built_in_pack_loads() {
    let p = RulePack::load(&[]).unwrap();
    // Whatever is in rules/ right now: IDs are unique and sorted.
    let ids: Vec<&str> = p.rules().iter().map(|r| r.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted);
    assert!((0..p.rules().len()).all(|i| p.source_path(i).unwrap().starts_with("<builtin>/")));
}

#[test]
fn extra_dirs_add_rules_and_skip_tests_and_fixtures() {
    let dir = std::env::temp_dir().join(format!("wa_lint_rules_extra_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("my_rule/fixtures")).unwrap();
    let (_, text) = rule(
        "my_rule",
        "USER-ONE",
        &["aws_s3_bucket"],
        "deny contains 1 if false\n",
    );
    std::fs::write(dir.join("my_rule/rule.rego"), text).unwrap();
    std::fs::write(dir.join("my_rule/rule_test.rego"), "this is not rego").unwrap();
    std::fs::write(dir.join("my_rule/fixtures/broken.rego"), "neither is this").unwrap();
    let p = RulePack::load(std::slice::from_ref(&dir)).unwrap();
    let index = p.rules().iter().position(|r| r.id == "USER-ONE").unwrap();
    assert!(p.source_path(index).unwrap().ends_with("my_rule/rule.rego"));

    let e = RulePack::load(&[dir.join("missing")]).unwrap_err();
    assert!(matches!(e, RulesError::Io { .. }), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A user helper in a built-in library package (`package walint.lib`) is compiled next to the
/// built-in one: built-in rules still find the built-in functions (they failed with "could not
/// find function" when the user module replaced the built-in one in the area engines).
#[test]
fn a_user_module_in_a_library_package_keeps_the_built_in_library() {
    let dir = std::env::temp_dir().join(format!("wa_lint_rules_libpkg_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("extra.rego"),
        "package walint.lib\n\nimport rego.v1\n\nacme_helper(x) := x\n",
    )
    .unwrap();
    let p = RulePack::load(std::slice::from_ref(&dir)).unwrap();
    let g = graph(&[("B", "AWS::S3::Bucket", json!({}))], &[]);
    let evaluation = p.evaluator().evaluate(&g);
    assert!(evaluation.errors.is_empty(), "{:?}", evaluation.errors);
    let logging = p
        .rules()
        .iter()
        .position(|r| r.id == "WA-SEC04-S3-ACCESS-LOGGING")
        .unwrap();
    assert!(
        evaluation.results.iter().any(|r| r.rule == logging),
        "{:?}",
        evaluation.results
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A user rule whose package fills a line up to regorus' 1,024 columns loads and reports: the
/// generated dispatch module writes one statement per line, and a group whose dispatch module
/// still does not compile is evaluated rule by rule.
#[test]
fn rules_with_very_long_packages_and_ids_load_and_report() {
    const ROW: &str =
        "deny contains {\"address\": \"B\", \"path\": [], \"message\": \"m\"} if true\n";
    let long_package = format!("l{}", "p".repeat(1_000));
    let long_id = format!("USER-{}", "I".repeat(1_000));
    let p = pack(&[
        rule(
            &long_package,
            "USER-LONG-PACKAGE",
            &["AWS::S3::Bucket"],
            ROW,
        ),
        rule("short", &long_id, &["AWS::S3::Bucket"], ROW),
    ]);
    let g = graph(&[("B", "AWS::S3::Bucket", json!({}))], &[]);
    let evaluation = p.evaluator().evaluate(&g);
    assert!(evaluation.errors.is_empty(), "{:?}", evaluation.errors);
    let mut rules: Vec<usize> = evaluation.results.iter().map(|r| r.rule).collect();
    rules.dedup();
    assert_eq!(rules, [0, 1]);
}

/// Cost note: `cargo test -p wa_lint_rules --test engine -- --ignored --nocapture cost`.
/// 1,000 resources over 10 types, 20 rules (two per type) reading attributes and referrers.
#[test]
#[ignore = "timing, run by hand"]
fn cost_of_a_unit_with_a_thousand_resources() {
    const TYPES: [&str; 10] = [
        "AWS::S3::Bucket",
        "AWS::EC2::SecurityGroup",
        "AWS::RDS::DBInstance",
        "AWS::SQS::Queue",
        "AWS::SNS::Topic",
        "AWS::KMS::Key",
        "AWS::IAM::Role",
        "AWS::Lambda::Function",
        "AWS::DynamoDB::Table",
        "AWS::EC2::Volume",
    ];
    let mut resources = Vec::new();
    for i in 0..1000 {
        let attrs = json!({
            "Name": format!("r{i}"),
            "Encrypted": i % 3 == 0,
            "Port": 20 + i % 5,
            "Tags": [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "sec"}],
            "Ingress": [{"CidrIp": "0.0.0.0/0", "FromPort": 22}, {"CidrIp": "10.0.0.0/8", "FromPort": 443}],
            "Config": {"Level": {"Deep": {"Value": i}}},
        });
        resources.push((format!("R{i:04}"), TYPES[i % TYPES.len()], attrs));
    }
    let refs: Vec<(String, String)> = (1..1000)
        .step_by(2)
        .map(|i| (format!("R{i:04}"), format!("R{:04}", i - 1)))
        .collect();
    let res: Vec<(&str, &str, serde_json::Value)> = resources
        .iter()
        .map(|(a, t, v)| (a.as_str(), *t, v.clone()))
        .collect();
    let refs: Vec<(&str, &str, &str)> = refs
        .iter()
        .map(|(f, t)| (f.as_str(), t.as_str(), "Name"))
        .collect();
    let g = graph(&res, &refs);

    let mut sources = Vec::new();
    for (n, t) in TYPES.iter().enumerate() {
        let attr_rule = format!(
            r#"deny contains {{"address": a, "path": ["Encrypted"], "message": "not encrypted"}} if {{
    some a in input.by_type["{t}"]
    not input.resources[a].attrs.Encrypted
}}
unknown contains {{"address": a, "path": ["Ingress", i, "CidrIp"], "message": "world"}} if {{
    some a in input.by_type["{t}"]
    some i, ing in input.resources[a].attrs.Ingress
    ing.CidrIp == "0.0.0.0/0"
    ing.FromPort == 22
}}
"#
        );
        let graph_rule = format!(
            r#"deny contains {{"address": a, "path": [], "message": "referenced"}} if {{
    some a in input.by_type["{t}"]
    some r in input.resources[a].referrers
    input.resources[r.from].attrs.Config.Level.Deep.Value > 500
}}
"#
        );
        sources.push(rule(
            &format!("attr{n}"),
            &format!("WA-ATTR-{n}"),
            &[t],
            &attr_rule,
        ));
        sources.push(rule(
            &format!("graph{n}"),
            &format!("WA-GRAPH-{n}"),
            &[t],
            &graph_rule,
        ));
    }
    let p = pack(&sources);
    let mut evaluator = p.evaluator();

    let runs = 5u32;
    let started = std::time::Instant::now();
    for _ in 0..runs {
        std::hint::black_box(build_input(&g));
    }
    let input_time = started.elapsed() / runs;
    let started = std::time::Instant::now();
    let mut evaluation = evaluator.evaluate(&g);
    for _ in 1..runs {
        evaluation = evaluator.evaluate(&g);
    }
    let eval_time = started.elapsed() / runs;
    assert!(evaluation.errors.is_empty(), "{:?}", evaluation.errors);
    let fails = evaluation
        .results
        .iter()
        .filter(|r| r.status == ResultStatus::Fail)
        .count();
    let unknowns = evaluation.results.len() - fails;
    eprintln!(
        "1000 resources, 20 rules: input {input_time:?}, evaluate (incl. input) {eval_time:?}, \
         {fails} fail + {unknowns} unknown rows, {:.2} µs per rule x resource-of-its-type",
        eval_time.as_secs_f64() * 1e6 / (20.0 * 100.0)
    );
    assert_eq!(unknowns, 1000);

    // The built-in pack on the same unit (its rules read several of these types).
    let builtin = RulePack::load(&[]).unwrap();
    let mut evaluator = builtin.evaluator();
    let started = std::time::Instant::now();
    let mut evaluation = evaluator.evaluate(&g);
    for _ in 1..runs {
        evaluation = evaluator.evaluate(&g);
    }
    eprintln!(
        "1000 resources, built-in pack ({} rules): evaluate {:?}, {} rows, {} errors {:?}",
        builtin.rules().len(),
        started.elapsed() / runs,
        evaluation.results.len(),
        evaluation.errors.len(),
        evaluation.errors.first()
    );
}

/// A template cannot make a value look unknown by writing the marker key itself (tester: a
/// `"$unknown"` key turned WA-SEC08-OPENSEARCH-ENCRYPTION's fail into an unknown).
#[test]
fn a_written_unknown_marker_is_not_an_unknown_value() {
    let g = graph(
        &[(
            "Es",
            "AWS::OpenSearchService::Domain",
            json!({"EncryptionAtRestOptions": {"$unknown": "hi", "$$unknown": "x", "Enabled": false}}),
        )],
        &[],
    );
    let input: serde_json::Value =
        serde_json::from_str(&build_input(&g).to_json_str().unwrap()).unwrap();
    assert_eq!(
        input["resources"]["Es"]["attrs"]["EncryptionAtRestOptions"],
        json!({"$$unknown": "hi", "$$$unknown": "x", "Enabled": false})
    );
    let pack = RulePack::load(&[]).unwrap();
    let index = pack
        .rules()
        .iter()
        .position(|r| r.id == "WA-SEC08-OPENSEARCH-ENCRYPTION")
        .unwrap();
    let evaluation = pack.evaluator().evaluate(&g);
    let statuses: Vec<(ResultStatus, String)> = evaluation
        .results
        .iter()
        .filter(|r| r.rule == index)
        .map(|r| (r.status, r.message.clone()))
        .collect();
    assert_eq!(statuses.len(), 1, "{statuses:?}");
    assert_eq!(statuses[0].0, ResultStatus::Fail, "{statuses:?}");
    assert!(statuses[0].1.contains("Enabled is false"), "{statuses:?}");
}

#[test]
fn a_pack_compiled_on_threads_is_the_pack_compiled_on_one() {
    let sources = wa_lint_rules::builtin_sources();
    let one = RulePack::from_sources_on(&sources, 1).unwrap();
    let g = sg_graph();
    let expected = one.evaluator().evaluate(&g);
    assert!(
        !expected.results.is_empty(),
        "the security group fails built-in rules"
    );
    for threads in [0, 2, 3, 64] {
        let many = RulePack::from_sources_on(&sources, threads).unwrap();
        assert_eq!(
            serde_json::to_string(many.rules()).unwrap(),
            serde_json::to_string(one.rules()).unwrap(),
            "{threads} threads"
        );
        for i in 0..one.rules().len() {
            assert_eq!(many.source_path(i), one.source_path(i));
        }
        let got = many.evaluator().evaluate(&g);
        assert_eq!(got.results, expected.results, "{threads} threads");
        assert_eq!(got.errors, expected.errors, "{threads} threads");
    }
}

#[test]
fn compile_errors_on_threads_are_the_ones_one_thread_meets() {
    // Two built-in areas (two engine groups), each with a broken rule: every thread count
    // reports the first area's error, as one thread does.
    let broken = |area: &str, name: &str| {
        let (path, text) = rule(
            name,
            &format!("WA-{name}"),
            &["aws_s3_bucket"],
            "deny contains x if {\n",
        );
        (
            path.replacen("rules/", &format!("<builtin>/{area}/"), 1),
            text,
        )
    };
    let sources = [broken("a_area", "first"), broken("b_area", "second")];
    let expected = match RulePack::from_sources_on(&sources, 1) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("expected an error"),
    };
    assert!(
        expected.starts_with("<builtin>/a_area/first/rule.rego:"),
        "{expected}"
    );
    for threads in [0, 2, 8] {
        match RulePack::from_sources_on(&sources, threads) {
            Err(e) => assert_eq!(e.to_string(), expected, "{threads} threads"),
            Ok(_) => panic!("expected an error"),
        }
    }
}
