//! Rules read the library's *rules* (views such as `identity_documents`) by their full
//! `data.walint.lib.<package>.<rule>` path, never through an import alias.
//!
//! regorus (0.14) resolves `alias.rule` by evaluating the alias' value, `data.walint.lib.<package>`,
//! which evaluates every rule of that package for the unit, needed or not; a full path evaluates
//! only the rule it names. Measured on 60 one-role templates (callgrind): 1.84 G → 1.58 G
//! instructions. Functions (`lib.result(...)`) are looked up without evaluating the package, so
//! calling them through an alias is fine.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules")
}

fn rego_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "fixtures") {
                rego_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rego")
            && !path.to_string_lossy().ends_with("_test.rego")
        {
            out.push(path);
        }
    }
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The identifier at the start of `s` and what follows it.
fn ident(s: &str) -> (&str, &str) {
    let end = s.find(|c| !is_ident(c)).unwrap_or(s.len());
    s.split_at(end)
}

/// `package` of a module and the names of its rules that are not functions (a head written at
/// the start of a line and not followed by `(`).
fn package_rules(source: &str) -> (String, BTreeSet<String>) {
    let mut package = String::new();
    let mut names = BTreeSet::new();
    for line in source.lines() {
        if let Some(p) = line.strip_prefix("package ") {
            package = p.trim().to_string();
            continue;
        }
        let line = line.strip_prefix("default ").unwrap_or(line);
        let (name, rest) = ident(line);
        if name.is_empty()
            || name == "import"
            || !name.starts_with(|c: char| c.is_ascii_lowercase())
        {
            continue;
        }
        let rest = rest.trim_start();
        if ["[", ":=", "=", "if ", "if{", "contains ", "{"]
            .iter()
            .any(|p| rest.starts_with(p))
            && !rest.starts_with("==")
        {
            names.insert(name.to_string());
        }
    }
    (package, names)
}

/// `(line, "alias.rule")` for each reference in `source` to a library rule through an
/// `import data.walint.lib…` alias.
fn alias_rule_references(
    source: &str,
    lib_rules: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<(usize, String)> {
    let mut aliases: Vec<(String, &BTreeSet<String>)> = Vec::new();
    for line in source.lines() {
        let Some(target) = line.strip_prefix("import data.") else {
            continue;
        };
        let (path, alias) = if let Some((p, a)) = target.split_once(" as ") {
            (p.trim(), a.trim().to_string())
        } else {
            let p = target.trim();
            (p, p.rsplit('.').next().unwrap().to_string())
        };
        if let Some(rules) = lib_rules.get(path) {
            aliases.push((alias, rules));
        }
    }
    let mut found = Vec::new();
    for (number, line) in source.lines().enumerate() {
        if line.starts_with("import ") || line.trim_start().starts_with('#') {
            continue;
        }
        for (alias, rules) in &aliases {
            let needle = format!("{alias}.");
            let mut from = 0;
            while let Some(at) = line[from..].find(&needle) {
                let start = from + at;
                from = start + needle.len();
                let before = line[..start].chars().next_back();
                if before.is_some_and(|c| is_ident(c) || c == '.') {
                    continue;
                }
                let (name, rest) = ident(&line[from..]);
                if rules.contains(name) && !rest.starts_with('(') {
                    found.push((number + 1, format!("{alias}.{name}")));
                }
            }
        }
    }
    found
}

fn library() -> BTreeMap<String, BTreeSet<String>> {
    let mut lib = Vec::new();
    rego_files(&rules_dir().join("lib"), &mut lib);
    lib.iter()
        .map(|f| package_rules(&fs::read_to_string(f).unwrap()))
        .collect()
}

#[test]
fn library_rules_are_read_by_full_path() {
    let lib_rules = library();
    // The scan must see the library's views, or the check below proves nothing.
    assert!(lib_rules["walint.lib.policy"].contains("identity_allow"));
    assert!(lib_rules["walint.lib.iam"].contains("identity_documents"));
    assert!(!lib_rules["walint.lib.iam"].contains("statements")); // a function
    let mut files = Vec::new();
    rego_files(&rules_dir(), &mut files);
    files.sort();
    assert!(files.len() > 100, "{} modules", files.len());
    let mut found = Vec::new();
    for file in &files {
        for (line, reference) in
            alias_rule_references(&fs::read_to_string(file).unwrap(), &lib_rules)
        {
            found.push(format!("{}:{line}: {reference}", file.display()));
        }
    }
    assert!(
        found.is_empty(),
        "library rules read through an import alias (write data.walint.lib.<package>.<rule>):\n{}",
        found.join("\n")
    );
}

#[test]
fn alias_references_to_rules_are_found_and_function_calls_are_not() {
    let lib_rules = library();
    let source = "package walint.rules.demo\n\nimport data.walint.lib.iam\nimport data.walint.lib.policy as p\n\ndeny contains r if {\n\tsome d in iam.identity_documents\n\tsome s in iam.statements(d)\n\tsome a in p.trust_allow\n\tx := data.walint.lib.iam.identity_documents\n\tr := [d, s, a, x]\n}\n";
    assert_eq!(
        alias_rule_references(source, &lib_rules),
        [
            (7, "iam.identity_documents".to_string()),
            (9, "p.trust_allow".to_string())
        ]
    );
}

#[test]
fn rule_heads_are_told_from_functions() {
    let (package, rules) = package_rules(
        "package walint.lib.demo\n\nviews contains v if { v := 1 }\n\nhelper(x) := x\n\ndefault flag := false\n",
    );
    assert_eq!(package, "walint.lib.demo");
    assert_eq!(rules.into_iter().collect::<Vec<_>>(), ["flag", "views"]);
}
