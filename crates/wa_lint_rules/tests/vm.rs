//! regorus' bytecode VM (RVM) against its interpreter: every rule fixture and odd value of the
//! built-in pack gives the same evaluation on both, and the minimal programs of the RVM bugs
//! fixed in `vendor/regorus` (see its `WA-LINT.md`) give the interpreter's value.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fs;
use std::path::{Path, PathBuf};

use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::RegoVM;
use regorus::{Engine, Value};
use wa_lint_linter::fixtures::{self, Origin};
use wa_lint_rules::RulePack;

/// Every file under `rules/<area>/<rule>/{fixtures,odd_values}/{cfn,tf}/`, with its origin.
fn inputs() -> Vec<(Origin, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let mut out = Vec::new();
    for area in fs::read_dir(&root).unwrap() {
        let area = area.unwrap().path();
        if !area.is_dir() {
            continue;
        }
        for rule in fs::read_dir(&area).unwrap() {
            let rule = rule.unwrap().path();
            for kind in ["fixtures", "odd_values"] {
                for origin in Origin::ALL {
                    let dir = rule.join(kind).join(origin.dir());
                    let Ok(entries) = fs::read_dir(&dir) else {
                        continue;
                    };
                    for file in entries {
                        out.push((origin, file.unwrap().path()));
                    }
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_fixture_evaluates_the_same_on_the_vm_and_the_interpreter() {
    let pack = RulePack::load(&[]).unwrap();
    assert_eq!(
        pack.vm_groups(),
        pack.groups(),
        "every group of the built-in pack runs on the VM"
    );
    let mut interpreter = pack.clone();
    interpreter.use_interpreter();
    assert_eq!(interpreter.vm_groups(), 0);

    let (mut on_vm, mut on_interpreter) = (pack.evaluator(), interpreter.evaluator());
    let inputs = inputs();
    assert!(inputs.len() > 900, "{} inputs", inputs.len());
    let mut differences = Vec::new();
    let mut results = 0;
    for (origin, path) in &inputs {
        let display = path.display().to_string();
        let Ok(parsed) = fixtures::parse(*origin, path, &display) else {
            continue;
        };
        let a = on_vm.evaluate(&parsed.graph);
        let b = on_interpreter.evaluate(&parsed.graph);
        results += b.results.len();
        if a.results != b.results || a.errors != b.errors {
            differences.push(format!(
                "{display}:\n  vm:          {:?} {:?}\n  interpreter: {:?} {:?}",
                a.results, a.errors, b.results, b.errors
            ));
        }
    }
    assert!(results > 900, "{results} results");
    assert!(
        differences.is_empty(),
        "{} of {} inputs differ:\n{}",
        differences.len(),
        inputs.len(),
        differences.join("\n")
    );
    // The fixtures hold no rule error: no dispatch fell back to the interpreter.
    assert_eq!(on_vm.vm_failures(), 0);
}

#[test]
fn user_rules_stay_on_the_interpreter() {
    let mut sources = wa_lint_rules::pack_sources(&[]).unwrap();
    let builtin = RulePack::from_sources(&sources).unwrap();
    sources.push((
        "rules/mine/rule.rego".to_owned(),
        "# METADATA\n# title: T\n# description: D\n# custom:\n#   id: WA-MINE\n\
         #   severity: high\n#   best_practices: [SEC05-BP01]\n\
         #   resource_types: [AWS::S3::Bucket]\n#   recommended_action: Fix it.\n\
         package walint.rules.mine\n\nimport rego.v1\n\ndeny contains 1 if false\n"
            .to_owned(),
    ));
    let with_mine = RulePack::from_sources(&sources).unwrap();
    assert!(!with_mine.from_image());
    // One more group (the user's, with every module), on the interpreter.
    assert_eq!(with_mine.groups(), builtin.groups() + 1);
    assert_eq!(with_mine.vm_groups(), builtin.vm_groups());
    assert_eq!(builtin.vm_groups(), builtin.groups());
}

/// The value of `data.t.out` of `policy` on `input`: `(interpreter, VM)`.
fn both(policy: &str, input: &str) -> (String, String) {
    let text = format!("package t\nimport rego.v1\n{policy}");
    let mut engine = Engine::new();
    engine.add_policy("t.rego".into(), text).unwrap();
    engine.set_input(Value::from_json_str(input).unwrap());
    let interpreted = match engine.eval_rule("data.t.out".into()) {
        Ok(v) => v.to_json_str().unwrap(),
        Err(_) => "error".to_owned(),
    };
    let policy = engine
        .compile_with_entrypoint(&"data.t.out".into())
        .unwrap();
    let program = Compiler::compile_from_policy(&policy, &["data.t.out"]).unwrap();
    let mut vm = RegoVM::new();
    vm.load_program(program);
    vm.set_strict_builtin_errors(true);
    vm.set_input(Value::from_json_str(input).unwrap());
    let run = match vm.execute() {
        Ok(v) => v.to_json_str().unwrap(),
        Err(_) => "error".to_owned(),
    };
    let squeeze = |s: String| s.split_whitespace().collect::<String>();
    (squeeze(interpreted), squeeze(run))
}

#[test]
fn an_else_after_a_body_without_a_value_is_taken() {
    let f = "f(a) := true if { some x in input.list; x == a } else := false\nout := [f(1), f(5)]\n";
    assert_eq!(
        both(f, r#"{"list": [1, 2]}"#),
        ("[true,false]".into(), "[true,false]".into())
    );
    let n = "n(a) := v if { v := input.obj[a] } else := false\nout := [n(\"x\"), n(\"y\")]\n";
    assert_eq!(
        both(n, r#"{"obj": {"x": 1}}"#),
        ("[1,false]".into(), "[1,false]".into())
    );
    let t = "t := true if { some x in input.list; x == 5 } else := false\nout := t\n";
    assert_eq!(
        both(t, r#"{"list": [1]}"#),
        ("false".into(), "false".into())
    );
}

#[test]
fn an_assignment_of_an_undefined_value_fails_the_body() {
    let a = "out contains key if { some key in [\"x\", \"y\"]; v := input.obj[key]; not is_boolean(v) }\n";
    assert_eq!(
        both(a, r#"{"obj": {"x": "s"}}"#),
        ("[\"x\"]".into(), "[\"x\"]".into())
    );
}

#[test]
fn conflicting_definitions_and_builtin_errors_are_errors() {
    let conflict = "v := 1 if { true }\nv := 2 if { true }\nout := v\n";
    assert_eq!(both(conflict, "{}"), ("error".into(), "error".into()));
    let builtin = "out := x if { x := to_number(input.s) } else := 0\n";
    assert_eq!(
        both(builtin, r#"{"s": "abc"}"#),
        ("error".into(), "error".into())
    );
    assert_eq!(both(builtin, r#"{"s": "12"}"#), ("12".into(), "12".into()));
}

#[test]
fn a_comprehension_that_fails_outside_a_loop_leaves_no_trace() {
    let f = "out := 1 if { s := {x | input.flag; x := 1}; input.other }\n";
    assert_eq!(
        both(f, r#"{"flag": false, "other": false}"#),
        ("\"<undefined>\"".into(), "\"<undefined>\"".into())
    );
    let m = "idx := {\"a\": 1}\nm(p) := {x | x := idx[p]} if { q := lower(p) }\nm(p) := 7 if { q := lower(p); contains(q, \"*\") }\nout := m(\"nope\")\n";
    assert_eq!(both(m, "{}"), ("[]".into(), "[]".into()));
}

#[test]
fn an_undefined_head_fails_one_iteration_only() {
    // `B` has no `c`: its iteration adds nothing, the others keep their values (OPA). The
    // interpreter used to drop the whole rule (or fail), the VM to add undefined elements.
    let input = r#"{"o": {"A": {"c": 5}, "B": {}, "C": {"c": 6}}}"#;
    for (policy, want) in [
        (
            "s contains v.c if { some v in input.o }\nout := s\n",
            "[5,6]",
        ),
        (
            "s contains {\"k\": k, \"c\": v.c} if { some k, v in input.o }\nout := s\n",
            r#"[{"c":5,"k":"A"},{"c":6,"k":"C"}]"#,
        ),
        (
            "s[k] := v.c if { some k, v in input.o }\nout := s\n",
            r#"{"A":5,"C":6}"#,
        ),
        ("out := [v.c | some v in input.o]\n", "[5,6]"),
        ("out := {v.c | some v in input.o}\n", "[5,6]"),
        (
            "out := {k: v.c | some k, v in input.o}\n",
            r#"{"A":5,"C":6}"#,
        ),
        (
            "x := v.c if { some k, v in input.o; k != \"C\" }\nout := x\n",
            "5",
        ),
        // Two outputs: a conflict on both engines (OPA), not the last value.
        ("x := v.c if { some v in input.o }\nout := x\n", "error"),
        (
            "f(_) := v.c if { some v in input.o }\nout := f(1)\n",
            "error",
        ),
        (
            "s[k] := v.c if { some v in input.o; k := \"k\" }\nout := s\n",
            "error",
        ),
    ] {
        let (interpreted, run) = both(policy, input);
        assert_eq!(interpreted, want, "interpreter: {policy}");
        assert_eq!(run, want, "VM: {policy}");
    }
}

#[test]
fn a_function_whose_head_is_undefined_takes_its_else() {
    // `a` has no `value`: that body gives nothing, so the `else` is taken (OPA). The
    // interpreter used to make the function undefined (`rds_require_tls`' `group_value`).
    let input = r#"{"ps": [{"name": "a"}, {"name": "b", "value": 1}]}"#;
    for (policy, want) in [
        (
            "g(n) := [i, p.value] if { some i, p in input.ps; p.name == n } else := [\"none\"]\nout := [g(\"a\"), g(\"b\"), g(\"c\")]\n",
            r#"[["none"],[1,1],["none"]]"#,
        ),
        (
            "g(n) := p.value if { some p in input.ps; p.name == n } else := \"none\"\nout := [g(\"a\"), g(\"b\")]\n",
            r#"["none",1]"#,
        ),
        (
            "x := p.value if { some p in input.ps; p.name == \"a\" } else := \"none\"\nout := x\n",
            r#""none""#,
        ),
    ] {
        assert_eq!(both(policy, input), (want.to_owned(), want.to_owned()), "{policy}");
    }
}

#[test]
fn some_in_a_scalar_iterates_nothing() {
    // OPA and the VM iterate nothing; the interpreter used to fail the whole rule
    // (`env_secrets` on `container_definitions = "42"`).
    let input = r#"{"s": "text", "n": 42}"#;
    for policy in [
        "out := [x | some x in json.unmarshal(\"42\")]\n",
        "s contains x if { some x in input.s }\nout := s\n",
        "s contains x if { some k, x in input.n }\nout := s\n",
    ] {
        assert_eq!(
            both(policy, input),
            ("[]".to_owned(), "[]".to_owned()),
            "{policy}"
        );
    }
}
