//! Smoke test over the shared corpus: every YAML/JSON file parses without panicking, quickly.
//! Prints every diagnostic of `cfn-lint-fixtures` for review (`--nocapture`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{source, CORPUS};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json" | "template"))
        {
            out.push(path);
        }
    }
}

#[test]
fn corpus_parses_without_panics() {
    let root = Path::new(CORPUS);
    if !root.is_dir() {
        eprintln!("corpus not found at {CORPUS}; skipped");
        return;
    }
    let mut files = Vec::new();
    walk(root, &mut files);
    files.sort();
    let (mut templates, mut skipped, mut resources, mut failed, mut broken_fixtures) =
        (0, 0, 0, 0, 0);
    let mut slowest = (Duration::ZERO, PathBuf::new());
    let start = Instant::now();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // `.template` files are JSON or YAML: decide by the first character, like discovery does
        let name = if rel.ends_with(".template") && text.trim_start().starts_with('{') {
            format!("{rel}.json")
        } else {
            rel.clone()
        };
        let file = source(&name, &text);
        let t = Instant::now();
        let out = wa_lint_cfn::parse_template(&file);
        let took = t.elapsed();
        if took > slowest.0 {
            slowest = (took, path.clone());
        }
        let Some(out) = out else {
            if std::env::var_os("CFN_CORPUS_VERBOSE").is_some()
                && rel.starts_with("cfn-lint-fixtures")
            {
                println!("skipped: {rel}");
            }
            skipped += 1;
            continue;
        };
        templates += 1;
        match &out.graph {
            Some(g) => resources += g.resources.len(),
            None => failed += 1,
        }
        let fatal = out.graph.is_none();
        if fatal && !rel.starts_with("cfn-lint-fixtures") {
            for d in &out.diagnostics {
                let lc = d.range.map(|r| file.line_col(r.start)).unwrap_or_default();
                println!("{rel}:{}:{}: {} {}", lc.line, lc.column, d.code, d.message);
            }
        }
        if rel.starts_with("cfn-lint-fixtures") {
            if fatal {
                broken_fixtures += 1;
                assert_eq!(
                    out.diagnostics.len(),
                    1,
                    "{rel}: a broken file gives exactly one diagnostic"
                );
            }
            for d in &out.diagnostics {
                let lc = d.range.map(|r| file.line_col(r.start)).unwrap_or_default();
                println!("{rel}:{}:{}: {} {}", lc.line, lc.column, d.code, d.message);
            }
        }
    }
    let elapsed = start.elapsed();
    println!(
        "{} files: {templates} templates ({resources} resources, {failed} not loadable, {broken_fixtures} broken fixtures), {skipped} skipped, {elapsed:?} (slowest {:?} {})",
        files.len(),
        slowest.0,
        slowest.1.display()
    );
    assert!(templates >= 500, "only {templates} templates detected");
    assert!(resources >= 5_000, "only {resources} resources");
    assert!(elapsed < Duration::from_secs(60), "corpus took {elapsed:?}");
}
