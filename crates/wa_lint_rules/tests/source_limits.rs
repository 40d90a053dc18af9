//! Rego modules that regorus would take too long to compile — brackets nested too deeply for its
//! backtracking parser, number literals with a huge exponent — are refused before it parses them
//! (both found by `fuzz/` target `rego_metadata`: the fuzzed inputs below took over 120 s and 15 s).

use std::time::{Duration, Instant};

use wa_lint_rules::{RulePack, RulesError};

fn load(text: &str) -> (Result<RulePack, RulesError>, Duration) {
    let start = Instant::now();
    let pack = RulePack::from_sources(&[("rules/x/rule.rego".to_owned(), text.to_owned())]);
    (pack, start.elapsed())
}

fn compile_message(result: Result<RulePack, RulesError>) -> String {
    match result {
        Err(RulesError::Compile { path, message }) => format!("{path}: {message}"),
        Err(other) => panic!("expected a compile error, got {other:?}"),
        Ok(_) => panic!("expected a compile error, the module loaded"),
    }
}

#[test]
fn fuzz_timeout_rule_with_nested_brackets_is_refused_quickly() {
    let text = include_str!("data/fuzz_timeout_nested_brackets.rego");
    let (result, took) = load(text);
    let message = compile_message(result);
    assert!(
        message.contains("nested deeper than 12 levels"),
        "{message}"
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn forty_levels_of_brackets_are_refused_at_their_line() {
    let text = format!("package x\n\np := {}1{}\n", "[".repeat(40), "]".repeat(40));
    let (result, took) = load(&text);
    let message = compile_message(result);
    assert!(message.contains("rules/x/rule.rego: line 3:"), "{message}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn twelve_levels_still_compile() {
    let text = format!(
        "package x\n\np := {}1{}\n",
        "[{\"k\": ".repeat(6),
        "}]".repeat(6)
    );
    let (result, _) = load(&text);
    assert!(result.is_ok(), "{:?}", result.err());
}

#[test]
fn fuzz_timeout_rule_with_a_huge_exponent_is_refused_quickly() {
    // `0e6666666` and `66…`: regorus multiplies by 10^6666666 exactly (15 s for this input).
    let text = include_str!("data/fuzz_timeout_huge_exponent.rego");
    let (result, took) = load(text);
    let message = compile_message(result);
    assert!(
        message.contains("rules/x/rule.rego: line 3: number literal with an exponent above 1000"),
        "{message}"
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn ordinary_exponents_still_compile() {
    let text = "package walint.lib.x\n\nbig := 1e308\n\nsmall := 2.5e-9999\n\nzero := 0E1000\n";
    let (result, took) = load(text);
    assert!(result.is_ok(), "{result:?}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
}
