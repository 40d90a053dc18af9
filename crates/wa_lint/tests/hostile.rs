//! Hostile and odd inputs (issue 7, item 2), through the binary: each input is generated at
//! test time next to a good template; the test asserts the diagnostic (code, line), that the
//! good template is still reported, the exit code, and a wall-clock bound where a hang is the
//! risk. `docs/reliability.md` lists every input with its outcome and the name of its test.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The good template written next to every hostile input: one open SSH ingress (line 8,
/// column 55).
const GOOD: &str = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
";

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("hostile")
        .join(name);
    if dir.exists() {
        // Earlier runs may leave unreadable files behind.
        let _ = Command::new("chmod")
            .args(["-R", "u+rwx"])
            .arg(&dir)
            .status();
        let _ = std::fs::remove_dir_all(&dir);
    }
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("good.yaml"), GOOD).unwrap();
    dir
}

/// What a run produced.
struct Run {
    code: i32,
    json: Value,
    elapsed: Duration,
}

impl Run {
    fn diagnostics(&self) -> &[Value] {
        self.json["diagnostics"].as_array().unwrap()
    }

    /// The diagnostics with this code, as `(path, line, message)`.
    fn with_code(&self, code: &str) -> Vec<(String, i64, String)> {
        self.diagnostics()
            .iter()
            .filter(|d| d["code"] == code)
            .map(|d| {
                (
                    d["path"].as_str().unwrap_or_default().to_owned(),
                    d["start_line"].as_i64().unwrap_or(0),
                    d["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    /// `(path, line, column, rule)` of every finding.
    fn findings(&self) -> Vec<(String, i64, i64, String)> {
        self.json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["location"]["path"].as_str().unwrap().to_owned(),
                    f["location"]["start_line"].as_i64().unwrap(),
                    f["location"]["start_column"].as_i64().unwrap(),
                    f["rule_id"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    /// The good template's finding is there.
    fn good_reported(&self) {
        assert!(
            self.findings().contains(&(
                "good.yaml".to_owned(),
                8,
                55,
                "WA-SEC05-SG-ADMIN-PORTS-OPEN".to_owned()
            )),
            "good.yaml not reported: {:?}",
            self.findings()
        );
    }
}

/// Runs `wa-lint -f json ARGS DIR`, killing it after `limit`.
fn run(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--format", "json", "--no-config"])
        .args(args)
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).unwrap();
        out
    });
    let mut stderr = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stderr.read_to_end(&mut out).unwrap();
        out
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("wa-lint ran longer than {limit:?} on {}", dir.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = started.elapsed();
    let out = reader.join().unwrap();
    let err = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    let code = status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {status:?}\n{err}"));
    Run {
        code,
        json: serde_json::from_slice(&out)
            .unwrap_or_else(|e| panic!("no JSON report ({e}); stderr: {err}")),
        elapsed,
    }
}

const BOUND: Duration = Duration::from_secs(120);

const HEAD: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n";

#[test]
fn yaml_alias_bomb() {
    let dir = scratch("alias-bomb");
    let mut text = HEAD.to_owned();
    text.push_str("      a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        writeln!(text, "      a{i}: &a{i} [{refs}]").unwrap();
    }
    std::fs::write(dir.join("bomb.yaml"), text).unwrap();
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 2);
    // a5 (line 11) is the first alias whose expansion passes 100,000 nodes (9^6).
    assert_eq!(
        r.with_code("cfn::alias-limit"),
        [(
            "bomb.yaml".to_owned(),
            11,
            "YAML aliases expand to more than 100000 nodes (a long scalar counts one per 64 bytes); the file is not loaded".to_owned()
        )]
    );
    r.good_reported();
}

/// An alias copies its anchor's whole text: a 200 KB string used 1,000 times would copy
/// 200 MB (a 1 MB string used 3,000 times aborted the process). A scalar counts one node per
/// 64 bytes in the alias budget.
#[test]
fn yaml_alias_of_a_long_string_hits_the_alias_limit() {
    let dir = scratch("alias-long");
    let mut text = HEAD.to_owned();
    writeln!(text, "      BucketName: &big {}", "a".repeat(200_000)).unwrap();
    let aliases = vec!["*big"; 1_000].join(", ");
    writeln!(text, "      Tags: [{aliases}]").unwrap();
    std::fs::write(dir.join("long.yaml"), text).unwrap();
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 2);
    let limit = r.with_code("cfn::alias-limit");
    assert_eq!(limit.len(), 1, "{limit:?}");
    assert_eq!((limit[0].0.as_str(), limit[0].1), ("long.yaml", 7));
    r.good_reported();
}

/// A YAML file with two documents: CloudFormation reads the first; the second used to be
/// dropped without a word.
#[test]
fn yaml_second_document_is_a_warning() {
    let dir = scratch("yaml-two-docs");
    std::fs::write(
        dir.join("two.yaml"),
        format!("{HEAD}      BucketName: b\n---\nResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n"),
    )
    .unwrap();
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 1);
    let warning = r.with_code("cfn::multiple-documents");
    assert_eq!(warning.len(), 1, "{warning:?}");
    assert_eq!((warning[0].0.as_str(), warning[0].1), ("two.yaml", 7));
    r.good_reported();
}

/// Intrinsic functions that multiply a template's size: `Fn::ToJsonString` nested 28 times
/// (each level escapes the one below: about 2^28 bytes), `Fn::Sub` of a 100 KB variable used
/// 10,000 times (1 GB), `Fn::Join` of a 100 KB parameter referenced 10,000 times. Each aborted
/// the process (out of memory) before the 64 MiB resolve budget; now a `cfn::resolve-budget`
/// error in each file, its resources still built with unknown values.
#[test]
fn cloudformation_intrinsics_that_multiply_hit_the_resolve_budget() {
    let dir = scratch("cfn-resolve-budget");
    let topic = |value: &str| {
        format!(
            r#"{{"Transform": "AWS::LanguageExtensions", "Parameters": {{"P": {{"Type": "String", "Default": "{}"}}}}, "Resources": {{"T": {{"Type": "AWS::SNS::Topic", "Properties": {{"DisplayName": {value}}}}}}}}}"#,
            "p".repeat(100_000)
        )
    };
    let tojson = {
        let mut v = r#""0.0.0.0/0""#.to_owned();
        for _ in 0..28 {
            v = format!(r#"{{"Fn::ToJsonString": [{v}, "\"quoted\""]}}"#);
        }
        v
    };
    std::fs::write(dir.join("tojson.json"), topic(&tojson)).unwrap();
    let sub = format!(
        r#"{{"Fn::Sub": ["{}", {{"A": "{}"}}]}}"#,
        "${A}".repeat(10_000),
        "x".repeat(100_000)
    );
    std::fs::write(dir.join("sub.json"), topic(&sub)).unwrap();
    let join = format!(
        r#"{{"Fn::Join": [",", [{}]]}}"#,
        vec![r#"{"Ref": "P"}"#; 10_000].join(", ")
    );
    std::fs::write(dir.join("join.json"), topic(&join)).unwrap();
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 2);
    let budget: Vec<String> = r
        .with_code("cfn::resolve-budget")
        .into_iter()
        .map(|d| d.0)
        .collect();
    assert_eq!(budget, ["join.json", "sub.json", "tojson.json"]);
    r.good_reported();
    assert!(r.elapsed < Duration::from_secs(60), "{:?}", r.elapsed);
}

/// Literal values copied many times: a 1 MB value in a `Fn::ForEach` over 100 keys, a 1 MB
/// `Globals` value merged into 100 SAM functions, a 2 MB child template called by 40 stack
/// resources. With 5 MB values and 1,000 copies each took about 3 GB or aborted (found by a
/// fresh tester); each now stops at the 64 MiB budget with a diagnostic.
#[test]
fn literal_values_copied_many_times_hit_the_budgets() {
    let dir = scratch("copies");
    let big = "v".repeat(1_000_000);
    let keys: Vec<String> = (0..100).map(|i| format!("\"k{i}\"")).collect();
    std::fs::write(
        dir.join("foreach.json"),
        format!(
            r#"{{"Transform": "AWS::LanguageExtensions", "Resources": {{"Fn::ForEach::L": ["X", [{}], {{"B${{X}}": {{"Type": "AWS::S3::Bucket", "Properties": {{"BucketName": "{big}"}}}}}}]}}}}"#,
            keys.join(", ")
        ),
    )
    .unwrap();
    let functions: Vec<String> = (0..100)
        .map(|i| format!(r#""F{i}": {{"Type": "AWS::Serverless::Function", "Properties": {{"Runtime": "python3.12", "Handler": "a.b", "CodeUri": "."}}}}"#))
        .collect();
    std::fs::write(
        dir.join("sam.json"),
        format!(
            r#"{{"Transform": "AWS::Serverless-2016-10-31", "Globals": {{"Function": {{"Description": "{big}"}}}}, "Resources": {{{}}}}}"#,
            functions.join(", ")
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("nest")).unwrap();
    std::fs::write(
        dir.join("nest/child.json"),
        format!(
            r#"{{"Resources": {{"T": {{"Type": "AWS::SNS::Topic", "Properties": {{"DisplayName": "{}"}}}}}}}}"#,
            "c".repeat(2_000_000)
        ),
    )
    .unwrap();
    let stacks: Vec<String> = (0..40)
        .map(|i| format!(r#""S{i}": {{"Type": "AWS::CloudFormation::Stack", "Properties": {{"TemplateURL": "child.json"}}}}"#))
        .collect();
    std::fs::write(
        dir.join("nest/root.json"),
        format!(r#"{{"Resources": {{{}}}}}"#, stacks.join(", ")),
    )
    .unwrap();
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 2);
    let codes: Vec<(String, String)> = r
        .diagnostics()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        codes.contains(&("foreach.json".into(), "cfn::structure".into())),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("sam.json".into(), "cfn::resolve-budget".into())),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("nest/root.json".into(), "cfn::nested-limit".into())),
        "{codes:?}"
    );
    r.good_reported();
    assert!(r.elapsed < Duration::from_secs(60), "{:?}", r.elapsed);
}

/// Nine templates, each with six stack resources calling the next: a child is built once per
/// call, 6^8 ≈ 1.7 million builds, which aborted the process. Past 1,000 builds per unit, calls
/// are not followed and the unit gets a `cfn::nested-limit` warning.
#[test]
fn nested_stack_fan_out_hits_the_build_limit() {
    let dir = scratch("nested-fan-out");
    for i in 0..8 {
        let stacks: Vec<String> = (0..6)
            .map(|k| {
                format!(
                    r#""S{k}": {{"Type": "AWS::CloudFormation::Stack", "Properties": {{"TemplateURL": "s{}.json"}}}}"#,
                    i + 1
                )
            })
            .collect();
        std::fs::write(
            dir.join(format!("s{i}.json")),
            format!(r#"{{"Resources": {{{}}}}}"#, stacks.join(", ")),
        )
        .unwrap();
    }
    std::fs::write(
        dir.join("s8.json"),
        r#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"#,
    )
    .unwrap();
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 1);
    let limit = r.with_code("cfn::nested-limit");
    assert_eq!(limit.len(), 1, "{limit:?}");
    assert!(limit[0].2.contains("more than 1000 times"), "{limit:?}");
    assert!(r.findings().iter().any(|f| f.0 == "s8.json"));
    r.good_reported();
    assert!(r.elapsed < Duration::from_secs(60), "{:?}", r.elapsed);
}

#[test]
fn yaml_deep_nesting_block_and_flow() {
    let dir = scratch("yaml-deep");
    let mut block = HEAD.to_owned();
    for i in 0..10_000 {
        writeln!(block, "{}k{i}:", " ".repeat(6 + i)).unwrap();
    }
    std::fs::write(dir.join("block.yaml"), block).unwrap();
    let flow_seq = format!(
        "{HEAD}      X: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    std::fs::write(dir.join("flow-seq.yaml"), flow_seq).unwrap();
    let flow_map = format!(
        "{HEAD}      X: {}1{}\n",
        "{a: ".repeat(10_000),
        "}".repeat(10_000)
    );
    std::fs::write(dir.join("flow-map.yaml"), flow_map).unwrap();
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 2);
    let syntax = r.with_code("cfn::syntax");
    let deeper = "YAML nested deeper than 200 levels is not supported".to_owned();
    assert_eq!(
        syntax,
        [
            // Block: the key at depth 200 (4 levels above `Properties`' children).
            ("block.yaml".to_owned(), 203, deeper.clone()),
            ("flow-map.yaml".to_owned(), 6, deeper),
            (
                "flow-seq.yaml".to_owned(),
                6,
                "invalid YAML: recursion limit exceeded".to_owned()
            ),
        ]
    );
    r.good_reported();
}

#[test]
fn json_deep_nesting() {
    let dir = scratch("json-deep");
    let open = r#"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"X": "#;
    let text = format!("{open}{}{}}}}}}}", "[".repeat(10_000), "]".repeat(10_000));
    std::fs::write(dir.join("deep.json"), text).unwrap();
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 2);
    let syntax = r.with_code("cfn::syntax");
    assert_eq!(syntax.len(), 1, "{syntax:?}");
    assert_eq!(syntax[0].0, "deep.json");
    assert_eq!(syntax[0].1, 1);
    assert!(syntax[0].2.contains("nesting depth"), "{syntax:?}");
    r.good_reported();
}

#[test]
fn hcl_deep_nesting_blocks_and_expressions() {
    let dir = scratch("hcl-deep");
    let blocks = format!(
        "resource \"aws_s3_bucket\" \"b\" {{\n{}{}}}\n",
        "a {\n".repeat(10_000),
        "}\n".repeat(10_000)
    );
    for (name, text) in [
        ("blocks", blocks),
        (
            "lists",
            format!(
                "resource \"aws_s3_bucket\" \"b\" {{\n  x = {}{}\n}}\n",
                "[".repeat(10_000),
                "]".repeat(10_000)
            ),
        ),
        (
            "parens",
            format!(
                "resource \"aws_s3_bucket\" \"b\" {{\n  x = {}1{}\n}}\n",
                "(".repeat(10_000),
                ")".repeat(10_000)
            ),
        ),
        (
            "objects",
            format!(
                "locals {{\n  x = {}1{}\n}}\n",
                "{a = ".repeat(10_000),
                "}".repeat(10_000)
            ),
        ),
    ] {
        std::fs::create_dir_all(dir.join(name)).unwrap();
        std::fs::write(dir.join(name).join("main.tf"), text).unwrap();
    }
    let json = format!(
        "{{\"resource\": {{\"aws_s3_bucket\": {{\"b\": {{\"x\": {}1{}}}}}}}}}",
        "{\"a\": ".repeat(10_000),
        "}".repeat(10_000)
    );
    std::fs::create_dir_all(dir.join("json")).unwrap();
    std::fs::write(dir.join("json/main.tf.json"), json).unwrap();
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 2);
    let depth = "HCL syntax error: invalid nesting depth; expected at most 64 nested levels";
    let mut syntax = r.with_code("tf::syntax");
    syntax.sort();
    assert_eq!(
        syntax,
        [
            ("blocks/main.tf".to_owned(), 65, depth.to_owned()),
            (
                "json/main.tf.json".to_owned(),
                1,
                "JSON syntax error: Maximum nesting depth exceeded".to_owned()
            ),
            ("lists/main.tf".to_owned(), 2, depth.to_owned()),
            ("objects/main.tf".to_owned(), 2, depth.to_owned()),
            ("parens/main.tf".to_owned(), 2, depth.to_owned()),
        ]
    );
    r.good_reported();
}

#[test]
fn single_10_mb_line() {
    let dir = scratch("long-line");
    let json = format!(
        r#"{{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {{"B": {{"Type": "AWS::S3::Bucket", "Properties": {{"BucketName": "{}"}}}}, "C": {{"Type": "AWS::S3::Bucket"}}}}}}"#,
        "a".repeat(10_000_000)
    );
    std::fs::write(dir.join("long.json"), &json).unwrap();
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 1, "{:?}", r.diagnostics());
    // Resource C's header is after the 10 MB string: its column is counted exactly.
    let c_column = i64::try_from(json[..json.find(r#""C""#).unwrap()].chars().count()).unwrap() + 1;
    let long: Vec<_> = r
        .findings()
        .into_iter()
        .filter(|f| f.0 == "long.json" && f.3 == "WA-SEC09-S3-SECURE-TRANSPORT")
        .collect();
    assert_eq!(long.len(), 2, "{long:?}");
    assert!(long.iter().all(|f| f.1 == 1));
    assert!(
        long.iter().any(|f| f.2 == c_column),
        "{long:?} vs {c_column}"
    );
    r.good_reported();
    assert!(r.elapsed < Duration::from_secs(60), "{:?}", r.elapsed);
}

/// The terminal format on a minified template: a finding past column 65,535 made miette panic
/// ("Formatting argument out of range", exit 101), and a snippet would print the whole line.
/// Locations on lines over 1,000 bytes are `path:line:column` notes; diagnostics too.
#[test]
fn minified_template_in_the_terminal_format() {
    let dir = scratch("minified-human");
    let json = format!(
        r#"{{"Description": "{}", "Resources": {{"C": {{"Type": "AWS::S3::Bucket"}}}}}}"#,
        "a".repeat(70_000)
    );
    std::fs::write(dir.join("long.json"), &json).unwrap();
    // A syntax error at the end of a long line.
    std::fs::write(
        dir.join("broken.json"),
        format!(
            r#"{{"Description": "{}", "Resources": {{"B": {{"Type": "AWS::S3::Bucket"}}}},,}}"#,
            "b".repeat(5_000)
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--no-config", "--format", "human", "--color", "never"])
        .arg(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let c_column = json[..json.find(r#""C""#).unwrap()].chars().count() + 1;
    assert!(
        stdout.contains(&format!(
            "  note: long.json:1:{c_column}: in C (AWS::S3::Bucket)\n"
        )),
        "{stdout}"
    );
    assert!(stdout.contains("  note: broken.json:1:"), "{stdout}");
    assert!(!stdout.contains("aaaaaaaaaa") && !stdout.contains("bbbbbbbbbb"));
    // The good template keeps its snippet.
    assert!(stdout.contains("[good.yaml:8:55]"), "{stdout}");
}

/// `n` S3 buckets in one minified JSON template.
fn buckets(n: usize) -> String {
    let body: Vec<String> = (0..n)
        .map(|i| format!(r#""B{i}": {{"Type": "AWS::S3::Bucket"}}"#))
        .collect();
    format!(
        r#"{{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {{{}}}}}"#,
        body.join(",")
    )
}

#[test]
fn hundred_thousand_resources_hit_the_resource_limit() {
    let dir = scratch("many");
    std::fs::write(dir.join("many.json"), buckets(100_000)).unwrap();
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.with_code("source::too-many-resources"),
        [(
            "many.json".to_owned(),
            1,
            "100000 resources in this unit, more than the limit of 20000; the unit is not checked"
                .to_owned()
        )]
    );
    assert!(r.findings().iter().all(|f| f.0 == "good.yaml"));
    r.good_reported();
}

#[test]
fn resource_limit_is_configurable() {
    let dir = scratch("few");
    std::fs::write(dir.join("three.json"), buckets(3)).unwrap();
    let r = run(&dir, &["--max-resources", "2"], BOUND);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.with_code("source::too-many-resources")[0].2,
        "3 resources in this unit, more than the limit of 2; the unit is not checked"
    );
    r.good_reported();
    let r = run(&dir, &["--max-resources", "3"], BOUND);
    assert_eq!(r.code, 1);
    assert!(r.findings().iter().any(|f| f.0 == "three.json"));
    // The same limit from .wa-lint.toml (`--no-config` is not given here).
    std::fs::write(dir.join(".wa-lint.toml"), "[limits]\nresources = 2\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["-f", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "source::too-many-resources"));
}

#[test]
fn file_over_the_size_limit_is_refused_before_reading() {
    let dir = scratch("too-large");
    // 100 MB + 1 byte, sparse: no data is written, and wa-lint must not read it.
    let big = std::fs::File::create(dir.join("big.yaml")).unwrap();
    big.set_len(100_000_001).unwrap();
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.with_code("source::too-large"),
        [(
            "big.yaml".to_owned(),
            0,
            "file is 100000001 bytes, more than the 67108864-byte limit; not checked".to_owned()
        )]
    );
    r.good_reported();
    assert!(r.elapsed < Duration::from_secs(30), "{:?}", r.elapsed);

    // A small configured limit: the good template itself (235 bytes) is refused.
    std::fs::remove_file(dir.join("big.yaml")).unwrap();
    let size = GOOD.len().to_string();
    let below = (GOOD.len() - 1).to_string();
    let r = run(&dir, &["--max-file-size", &below], BOUND);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.with_code("source::too-large")[0].2,
        format!("file is {size} bytes, more than the {below}-byte limit; not checked",)
    );
    assert!(r.findings().is_empty());
    let r = run(&dir, &["--max-file-size", &size], BOUND);
    assert_eq!(r.code, 1);
    r.good_reported();
}

#[test]
fn binary_files_with_template_extensions() {
    let dir = scratch("binary");
    // Deterministic pseudo-random bytes.
    let mut x: u32 = 0x1234_5678;
    let noise: Vec<u8> = (0..100_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    std::fs::write(dir.join("noise.yaml"), &noise).unwrap();
    std::fs::write(dir.join("noise.json"), &noise).unwrap();
    std::fs::write(dir.join("nul.yaml"), vec![0u8; 100_000]).unwrap();
    std::fs::create_dir_all(dir.join("tf")).unwrap();
    std::fs::write(dir.join("tf/main.tf"), &noise[..1000]).unwrap();
    std::fs::create_dir_all(dir.join("tfnul")).unwrap();
    std::fs::write(dir.join("tfnul/main.tf"), vec![0u8; 1000]).unwrap();
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 2);
    // YAML/JSON that is not a template is skipped (listed), Terraform files are errors.
    let skipped: Vec<&str> = r.json["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["noise.json", "noise.yaml", "nul.yaml"]);
    let invalid = r.with_code("source::invalid-utf8");
    assert_eq!(invalid.len(), 1, "{invalid:?}");
    assert_eq!(invalid[0].0, "tf/main.tf");
    assert_eq!(
        r.with_code("tf::syntax"),
        [(
            "tfnul/main.tf".to_owned(),
            1,
            "HCL syntax error: unexpected token".to_owned()
        )]
    );
    r.good_reported();
}

#[test]
fn utf16_with_bom_is_decoded_and_checked() {
    let dir = scratch("utf16");
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(GOOD.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(GOOD.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    std::fs::write(dir.join("le.yaml"), le).unwrap();
    std::fs::write(dir.join("be.yaml"), be).unwrap();
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 1, "{:?}", r.diagnostics());
    let rule = "WA-SEC05-SG-ADMIN-PORTS-OPEN".to_owned();
    let findings = r.findings();
    for path in ["be.yaml", "le.yaml"] {
        assert!(
            findings.contains(&(path.to_owned(), 8, 55, rule.clone())),
            "{findings:?}"
        );
    }
    let warnings = r.with_code("source::utf16");
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!(warnings[0].0, "be.yaml");
    assert!(warnings[0].2.starts_with("file is UTF-16 BE"));
    assert!(warnings[1].2.starts_with("file is UTF-16 LE"));
    r.good_reported();
}

#[test]
fn crlf_line_endings_keep_lines_and_columns() {
    let dir = scratch("crlf");
    std::fs::write(dir.join("crlf.yaml"), GOOD.replace('\n', "\r\n")).unwrap();
    // A Terraform module with CRLF too: the ingress block's `cidr_blocks` on line 6.
    std::fs::create_dir_all(dir.join("tf")).unwrap();
    let tf = "resource \"aws_security_group\" \"sg\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n";
    std::fs::write(dir.join("tf/main.tf"), tf.replace('\n', "\r\n")).unwrap();
    std::fs::create_dir_all(dir.join("lf")).unwrap();
    std::fs::write(dir.join("lf/main.tf"), tf).unwrap();
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 1, "{:?}", r.diagnostics());
    let findings = r.findings();
    assert!(findings.contains(&(
        "crlf.yaml".to_owned(),
        8,
        55,
        "WA-SEC05-SG-ADMIN-PORTS-OPEN".to_owned()
    )));
    let at = |path: &str| -> Vec<(i64, i64, String)> {
        findings
            .iter()
            .filter(|f| f.0 == path)
            .map(|f| (f.1, f.2, f.3.clone()))
            .collect()
    };
    assert!(!at("tf/main.tf").is_empty());
    assert_eq!(at("tf/main.tf"), at("lf/main.tf"));
    r.good_reported();
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed() {
    use std::os::unix::fs::symlink;
    let base = scratch("symlinks");
    let dir = base.join("root");
    std::fs::create_dir_all(dir.join("loop")).unwrap();
    std::fs::write(dir.join("good.yaml"), GOOD).unwrap();
    std::fs::create_dir_all(base.join("outside")).unwrap();
    std::fs::write(
        base.join("outside/secret.yaml"),
        GOOD.replace("Sg:", "OutsideSg:"),
    )
    .unwrap();
    symlink("..", dir.join("loop/up")).unwrap();
    symlink("../outside", dir.join("out")).unwrap();
    symlink("../outside/secret.yaml", dir.join("link.yaml")).unwrap();
    symlink("self.yaml", dir.join("self.yaml")).unwrap();
    symlink("missing.tf", dir.join("dangling.tf")).unwrap();
    let r = run(&dir, &[], Duration::from_secs(60));
    assert_eq!(r.code, 1, "{:?}", r.diagnostics());
    let notes: Vec<String> = r
        .with_code("source::symlink")
        .into_iter()
        .map(|d| d.0)
        .collect();
    assert_eq!(notes, ["dangling.tf", "link.yaml", "self.yaml"]);
    let findings = r.findings();
    assert_eq!(findings.len(), 1, "{findings:?}");
    r.good_reported();
    assert!(!r.json.to_string().contains("OutsideSg"));
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_an_error_and_others_are_checked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("unreadable");
    let locked = dir.join("locked.yaml");
    std::fs::write(&locked, GOOD).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let r = run(&dir, &[], BOUND);
    let readable_anyway = std::fs::File::open(&locked).is_ok();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    r.good_reported();
    if readable_anyway {
        // Running as root: chmod does not deny reads; the file is simply checked.
        assert_eq!(r.code, 1);
        eprintln!("running with read access to mode-000 files (root); read error not asserted");
        return;
    }
    assert_eq!(r.code, 2);
    let io = r.with_code("source::io");
    assert_eq!(io.len(), 1, "{io:?}");
    assert_eq!(io[0].0, "locked.yaml");
    assert!(io[0].2.starts_with("cannot read file: "), "{io:?}");
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("names");
    for name in [&b"caf\xE9.yaml"[..], b"caf\xE8.yaml"] {
        std::fs::write(dir.join(std::ffi::OsStr::from_bytes(name)), GOOD).unwrap();
    }
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 1);
    let paths: Vec<String> = r.findings().into_iter().map(|f| f.0).collect();
    assert_eq!(paths, ["caf\\xE8.yaml", "caf\\xE9.yaml", "good.yaml"]);
}

#[test]
fn cloudformation_structure_errors() {
    let dir = scratch("cfn-structure");
    let h = "AWSTemplateFormatVersion: '2010-09-09'\n";
    let files = [
        (
            "type.yaml",
            format!("{h}Resources:\n  A:\n    Type: {{Foo: bar}}\n  B:\n    Type: [a, b]\n  C:\n    Type: 42\n  D:\n    Type: !Ref X\n  E:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress:\n        - {{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}}\n"),
        ),
        (
            "empty.yaml",
            format!("{h}Parameters:\nResources:\nOutputs:\nConditions:\n"),
        ),
        (
            "sam-empty.yaml",
            "Transform: AWS::Serverless-2016-10-31\nResources:\nParameters:\n".to_owned(),
        ),
        ("list.yaml", format!("{h}Resources:\n  - A\n  - B\n")),
        (
            "scalar.yaml",
            format!("{h}Resources:\n  A: 42\n  B: AWS::S3::Bucket\n"),
        ),
        (
            "props.yaml",
            format!("{h}Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: [1, 2]\n"),
        ),
    ];
    for (name, text) in &files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 2);
    let s = |p: &str, l: i64, m: &str| (p.to_owned(), l, m.to_owned());
    assert_eq!(
        r.with_code("cfn::structure"),
        [
            s(
                "list.yaml",
                3,
                "`Resources` must be a mapping of logical IDs to resources"
            ),
            s(
                "props.yaml",
                5,
                "`Properties` of resource `A` must be a mapping"
            ),
            s(
                "scalar.yaml",
                3,
                "resource `A` must be a mapping with `Type`"
            ),
            s(
                "scalar.yaml",
                4,
                "resource `B` must be a mapping with `Type`"
            ),
            s("type.yaml", 4, "`Type` of resource `A` must be a string"),
            s("type.yaml", 6, "`Type` of resource `B` must be a string"),
            s("type.yaml", 8, "`Type` of resource `C` must be a string"),
            s("type.yaml", 10, "`Type` of resource `D` must be a string"),
        ]
    );
    let empty = "`Resources` is empty; CloudFormation requires at least one resource";
    assert_eq!(
        r.with_code("cfn::no-resources"),
        [s("empty.yaml", 3, empty), s("sam-empty.yaml", 2, empty)]
    );
    // The valid resource next to the broken ones is still checked.
    assert!(r.findings().contains(&(
        "type.yaml".to_owned(),
        15,
        55,
        "WA-SEC05-SG-ADMIN-PORTS-OPEN".to_owned()
    )));
    r.good_reported();
}

/// Locals that double at each step (`l{i} = concat(local.l{i-1}, local.l{i-1})`, 3,000 of
/// them) took 24 GB in two minutes before the unit's evaluation budget; now the evaluation
/// stops at 64 MiB of values with one `tf::eval-budget` error, the bucket is still checked
/// (its `bucket` name is unknown), and the other files are reported.
#[test]
fn terraform_values_that_double_hit_the_evaluation_budget() {
    let dir = scratch("tf-doubling");
    std::fs::create_dir_all(dir.join("tf")).unwrap();
    let mut hcl = String::from("locals {\n  l0 = [\"a\"]\n");
    hcl.extend((1..3000).map(|i| format!("  l{i} = concat(local.l{}, local.l{})\n", i - 1, i - 1)));
    hcl.push_str("}\n\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = local.l2999[0]\n}\n");
    std::fs::write(dir.join("tf/main.tf"), hcl).unwrap();
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 2);
    let budget = r.with_code("tf::eval-budget");
    assert_eq!(budget.len(), 1, "{budget:?}");
    assert_eq!(budget[0].0, "tf/main.tf");
    // l0 … l20 fit: 2^20 one-letter strings are about 33 MiB of values, and every step is
    // counted, nested expressions included.
    assert!((20..=24).contains(&budget[0].1), "{budget:?}");
    assert!(
        budget[0].2.contains("more than 64 MiB of values"),
        "{budget:?}"
    );
    assert!(r
        .findings()
        .iter()
        .any(|f| f.0 == "tf/main.tf" && f.3 == "WA-SEC09-S3-SECURE-TRANSPORT"));
    r.good_reported();
    assert!(r.elapsed < Duration::from_secs(60), "{:?}", r.elapsed);
}

#[test]
fn terraform_module_chain_and_cycle() {
    let dir = scratch("tf-modules");
    for i in 0..1000 {
        let m = dir.join(format!("chain/m{i}"));
        std::fs::create_dir_all(&m).unwrap();
        std::fs::write(
            m.join("main.tf"),
            format!("module \"next\" {{\n  source = \"../m{}\"\n}}\n", i + 1),
        )
        .unwrap();
    }
    std::fs::create_dir_all(dir.join("chain/m1000")).unwrap();
    std::fs::write(
        dir.join("chain/m1000/main.tf"),
        "resource \"aws_s3_bucket\" \"last\" {}\n",
    )
    .unwrap();
    for (name, other) in [("a", "b"), ("b", "a")] {
        std::fs::create_dir_all(dir.join("cycle").join(name)).unwrap();
        std::fs::write(
            dir.join("cycle").join(name).join("main.tf"),
            format!("module \"{other}\" {{\n  source = \"../{other}\"\n}}\n"),
        )
        .unwrap();
    }
    let r = run(&dir, &[], BOUND);
    assert_eq!(r.code, 2);
    let depth = r.with_code("tf::module-depth");
    assert_eq!(depth.len(), 1, "{depth:?}");
    assert_eq!((depth[0].0.as_str(), depth[0].1), ("chain/m32/main.tf", 2));
    let cycle = r.with_code("tf::module-cycle");
    assert_eq!(cycle.len(), 1, "{cycle:?}");
    assert_eq!(cycle[0].1, 2);
    assert!(
        cycle[0].2.contains("which is already being evaluated"),
        "{cycle:?}"
    );
    r.good_reported();
}

/// A rules directory with one rule whose `deny` body is `body`.
fn evil_rule(dir: &Path, id: &str, package: &str, body: &str) -> PathBuf {
    let rules = dir.join(format!("rules-{package}"));
    std::fs::create_dir_all(rules.join(package)).unwrap();
    std::fs::write(
        rules.join(package).join("rule.rego"),
        format!(
            "# METADATA\n# title: hostile\n# description: hostile rule\n# custom:\n#   id: {id}\n#   severity: low\n#   best_practices: [SEC06-BP01]\n#   resource_types: [AWS::EC2::SecurityGroup]\n#   recommended_action: none\npackage walint.rules.{package}\n\nimport rego.v1\n\ndeny contains r if {{\n{body}\n\tr := {{\"address\": \"Sg\", \"path\": [], \"message\": \"never\"}}\n}}\n"
        ),
    )
    .unwrap();
    rules
}

#[test]
fn rego_rule_that_loops_is_stopped_by_the_rule_timeout() {
    let dir = scratch("rego-loop");
    let rules = evil_rule(
        &dir,
        "EVIL-SPIN",
        "evil_spin",
        "\tsome i in numbers.range(1, 1000000)\n\tsome j in numbers.range(1, 1000000)\n\ti == j + 2000000",
    );
    let target = dir.join("target");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("good.yaml"), GOOD).unwrap();
    let r = run(
        &target,
        &["--rules", rules.to_str().unwrap(), "--rule-timeout", "1"],
        BOUND,
    );
    assert_eq!(r.code, 2);
    assert_eq!(
        r.with_code("rule::error"),
        [(
            "good.yaml".to_owned(),
            0,
            "rule EVIL-SPIN failed on this unit: `data.walint.rules.evil_spin.deny` timed out after 1.0 s".to_owned()
        )]
    );
    r.good_reported();
    assert!(r.elapsed < Duration::from_secs(60), "{:?}", r.elapsed);
}

/// regorus 0.14.1 panics inside `sprintf` on a width written with a digit that is not ASCII
/// (`char::is_numeric` accepts it, `to_digit(10)` does not): the rule gets a rule error, the
/// scan goes on, the other rules still report, and nothing is printed about a panic (`run`
/// checks stderr).
#[test]
fn rego_rule_that_makes_regorus_panic_is_a_rule_error() {
    let dir = scratch("rego-panic");
    let rules = evil_rule(
        &dir,
        "EVIL-PANIC",
        "evil_panic",
        "\ts := sprintf(\"%\u{663}d\", [1])\n\ts != \"\"",
    );
    let target = dir.join("target");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("good.yaml"), GOOD).unwrap();
    std::fs::write(target.join("again.yaml"), GOOD).unwrap();
    let r = run(&target, &["--rules", rules.to_str().unwrap()], BOUND);
    assert_eq!(r.code, 2);
    let message = "rule EVIL-PANIC failed on this unit: `data.walint.rules.evil_panic.deny` failed: the Rego interpreter panicked (could not get digit from char)";
    assert_eq!(
        r.with_code("rule::error"),
        [
            ("again.yaml".to_owned(), 0, message.to_owned()),
            ("good.yaml".to_owned(), 0, message.to_owned())
        ]
    );
    r.good_reported();
    assert!(r
        .findings()
        .iter()
        .any(|f| f.0 == "again.yaml" && f.3 == "WA-SEC05-SG-ADMIN-PORTS-OPEN"));
}

/// regorus' interpreter recurses once per level of rule references: with a thread's default
/// 2 MiB stack, a rule reading a chain of about 700 rules aborted the process (stack overflow).
/// Rules are evaluated on threads with `wa_lint_rules::STACK_BYTES`.
#[test]
fn rego_rule_reading_a_deep_chain_of_rules_is_evaluated() {
    let dir = scratch("rego-chain");
    // `deny` reads r2999; the template's closing lines end a second, unused rule.
    let mut chain = String::from(
        "\tr2999 == 2999\n\tr := {\"address\": \"Sg\", \"path\": [], \"message\": \"deep\"}\n}\n\nr0 := 0\n",
    );
    chain.extend((1..3000).map(|i| format!("r{i} := r{} + 1\n", i - 1)));
    chain.push_str("\nunused contains r if {");
    let rules = evil_rule(&dir, "DEEP-CHAIN", "deep_chain", &chain);
    let target = dir.join("target");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("good.yaml"), GOOD).unwrap();
    let r = run(&target, &["--rules", rules.to_str().unwrap()], BOUND);
    assert_eq!(r.code, 1);
    assert!(r
        .findings()
        .iter()
        .any(|f| f.0 == "good.yaml" && f.3 == "DEEP-CHAIN"));
    r.good_reported();
}

#[test]
fn rego_rule_that_allocates_without_bound_is_refused() {
    let dir = scratch("rego-alloc");
    let rules = evil_rule(
        &dir,
        "EVIL-ALLOC",
        "evil_alloc",
        "\txs := numbers.range(1, 1e12)\n\tcount(xs) == 0",
    );
    let steps = evil_rule(
        &dir,
        "EVIL-STEP",
        "evil_step",
        "\txs := numbers.range_step(1, 10, 0)\n\tcount(xs) == 0",
    );
    let target = dir.join("target");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("good.yaml"), GOOD).unwrap();
    let r = run(
        &target,
        &[
            "--rules",
            rules.to_str().unwrap(),
            "--rules",
            steps.to_str().unwrap(),
        ],
        BOUND,
    );
    assert_eq!(r.code, 2);
    let errors = r.with_code("rule::error");
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0]
        .2
        .starts_with("rule EVIL-ALLOC failed on this unit"));
    assert!(
        errors[0]
            .2
            .ends_with("numbers.range would produce 1000000000000 elements, more than wa-lint's limit of 1000000"),
        "{errors:?}"
    );
    assert!(errors[1]
        .2
        .starts_with("rule EVIL-STEP failed on this unit"));
    assert!(
        errors[1].2.ends_with("step must be a positive integer"),
        "{errors:?}"
    );
    r.good_reported();
}
