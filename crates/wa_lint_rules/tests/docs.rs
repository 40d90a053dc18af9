//! The generated rule documentation (`docs/rules/`) is up to date with the pack's METADATA
//! and fixtures: one page per rule, `README.md` as the index, nothing else.
//!
//! Regenerate with `WA_LINT_BLESS=1 cargo test -p wa_lint_rules --test docs`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use wa_lint_rules::docs::{self, PageSources};
use wa_lint_rules::RulePack;

const REGENERATE: &str = "WA_LINT_BLESS=1 cargo test -p wa_lint_rules --test docs";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Every generated file: name under `docs/rules/` → content.
fn generate(root: &Path) -> BTreeMap<String, String> {
    let pack = RulePack::load(&[]).unwrap();
    let mut out = BTreeMap::new();
    for (i, rule) in pack.rules().iter().enumerate() {
        let source = pack.source_path(i).unwrap();
        let rel = source
            .strip_prefix("<builtin>/")
            .unwrap_or_else(|| panic!("{} is not built in: {source}", rule.id));
        let dir = format!("rules/{}", rel.rsplit_once('/').map_or("", |(d, _)| d));
        let fixtures = docs::read_fixtures(&root.join(&dir)).unwrap();
        let page = docs::rule_markdown(
            rule,
            &PageSources {
                fixtures: &fixtures,
                rule_dir: Some(&dir),
            },
        );
        out.insert(format!("{}.md", rule.id), page);
    }
    out.insert("README.md".to_owned(), docs::index_markdown(pack.rules()));
    out
}

#[test]
fn generated_rule_docs_are_up_to_date() {
    let root = repo_root();
    let dir = root.join("docs/rules");
    let expected = generate(&root);
    let mut present: BTreeMap<String, String> = BTreeMap::new();
    if dir.is_dir() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "md") {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                present.insert(name, fs::read_to_string(&path).unwrap());
            }
        }
    }
    if std::env::var_os("WA_LINT_BLESS").is_some() {
        fs::create_dir_all(&dir).unwrap();
        for (name, text) in &expected {
            if present.get(name) != Some(text) {
                fs::write(dir.join(name), text).unwrap();
            }
        }
        for name in present.keys().filter(|n| !expected.contains_key(*n)) {
            fs::remove_file(dir.join(name)).unwrap();
        }
        return;
    }
    let mut stale = Vec::new();
    for (name, text) in &expected {
        match present.get(name) {
            None => stale.push(format!("missing: docs/rules/{name}")),
            Some(t) if t != text => stale.push(format!("stale: docs/rules/{name}")),
            Some(_) => {}
        }
    }
    for name in present.keys().filter(|n| !expected.contains_key(*n)) {
        stale.push(format!("no such rule: docs/rules/{name}"));
    }
    assert!(
        stale.is_empty(),
        "generated rule docs are out of date; regenerate with\n    {REGENERATE}\n{}",
        stale.join("\n")
    );
}

/// Every rule page has the sections a reader relies on, and examples for every origin.
#[test]
fn every_page_has_what_why_examples_and_references() {
    let root = repo_root();
    let pack = RulePack::load(&[]).unwrap();
    let pages = generate(&root);
    let mut problems = Vec::new();
    for rule in pack.rules() {
        let page = &pages[&format!("{}.md", rule.id)];
        for heading in [
            "## What it checks",
            "## Bad",
            "## Good",
            "## Recommended action",
        ] {
            if !page.contains(heading) {
                problems.push(format!("{}: no `{heading}`", rule.id));
            }
        }
        for origin in docs::origins(rule) {
            if !page.contains(&format!("\n{} — ", origin.label())) {
                problems.push(format!("{}: no {} fixture shown", rule.id, origin.label()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
