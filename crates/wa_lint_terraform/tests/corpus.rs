//! Smoke test: every directory with `.tf` files under `/work/shared/corpus` parses without
//! panicking, in a bounded time. Prints counts (`cargo test -- --nocapture`).
#![allow(
    clippy::case_sensitive_file_extension_comparisons,
    clippy::items_after_statements,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use wa_lint_source::{FileId, Format, Level, SourceFile};
use wa_lint_terraform::parse_module;

fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<PathBuf>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            if !name.starts_with('.') {
                walk(&p, out);
            }
        } else if name.ends_with(".tf")
            || name.ends_with(".tfvars")
            || name.ends_with(".tfvars.json")
        {
            out.entry(dir.to_path_buf()).or_default().push(p);
        }
    }
}

#[test]
fn corpus_smoke() {
    let root = Path::new("/work/shared/corpus");
    if !root.exists() {
        return;
    }
    let mut dirs = BTreeMap::new();
    walk(root, &mut dirs);
    let start = Instant::now();
    let (mut modules, mut resources, mut errors, mut warnings, mut unknown_attrs) = (0, 0, 0, 0, 0);
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    for (dir, paths) in &dirs {
        if !paths
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "tf"))
        {
            continue;
        }
        let rel = dir
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let files: Vec<_> = paths
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let bytes = std::fs::read(p).ok()?;
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let name = p.file_name().unwrap().to_string_lossy();
                let format = if name.ends_with(".json") {
                    Format::Json
                } else {
                    Format::Hcl
                };
                Some(SourceFile::new(
                    FileId(u32::try_from(i).unwrap()),
                    format!("{rel}/{name}"),
                    text,
                    format,
                ))
            })
            .collect();
        let out = parse_module(&rel, &files);
        modules += 1;
        let graph = out.graph.unwrap();
        resources += graph.resources.len();
        unknown_attrs += graph
            .resources
            .values()
            .filter_map(|r| match &r.attrs.value {
                wa_lint_graph::Value::Map(m) => {
                    Some(m.values().filter(|e| e.node.is_unknown()).count())
                }
                _ => None,
            })
            .sum::<usize>();
        for d in &out.diagnostics {
            match d.level {
                Level::Error => errors += 1,
                _ => warnings += 1,
            }
            *by_code.entry(d.code.clone()).or_default() += 1;
            if std::env::var_os("WA_LINT_SHOW_DIAGS").is_some() {
                eprintln!(
                    "{:?} {} {:?} {} {}",
                    d.level,
                    d.path.as_deref().unwrap_or(""),
                    d.range,
                    d.code,
                    d.message
                );
            }
        }
    }
    let elapsed = start.elapsed();
    eprintln!(
        "corpus: {modules} modules, {resources} resources, {unknown_attrs} unknown top-level attrs, {errors} errors, {warnings} other diagnostics {by_code:?} in {elapsed:?}"
    );
    assert!(modules > 0);
    assert!(elapsed.as_secs() < 30, "corpus took {elapsed:?}");
}

/// Reasons of unknown attribute values across the corpus, most frequent first (for review with
/// `--nocapture`); fails only if evaluation failures dominate.
#[test]
fn corpus_unknown_reasons() {
    let root = Path::new("/work/shared/corpus");
    if !root.exists() {
        return;
    }
    let mut dirs = BTreeMap::new();
    walk(root, &mut dirs);
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    fn visit(node: &wa_lint_graph::Node, reasons: &mut BTreeMap<String, usize>) {
        match &node.value {
            wa_lint_graph::Value::Unknown(r) => {
                if r.starts_with("cannot") && std::env::var_os("WA_LINT_SHOW_FAILS").is_some() {
                    eprintln!("FAIL {r} {:?}", node.span);
                }
                let key = r.split('`').next().unwrap_or(r).to_owned()
                    + r.split('`')
                        .nth(1)
                        .map_or("", |n| n.split(['.', '[', '(']).next().unwrap_or(""));
                *reasons.entry(key).or_default() += 1;
            }
            wa_lint_graph::Value::List(items) => items.iter().for_each(|n| visit(n, reasons)),
            wa_lint_graph::Value::Map(m) => m.values().for_each(|e| visit(&e.node, reasons)),
            _ => {}
        }
    }
    for (dir, paths) in &dirs {
        let files: Vec<_> = paths
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let text = String::from_utf8_lossy(&std::fs::read(p).ok()?).into_owned();
                Some(SourceFile::new(
                    FileId(u32::try_from(i).unwrap()),
                    p.to_string_lossy().into_owned(),
                    text,
                    Format::Hcl,
                ))
            })
            .collect();
        let out = parse_module(&dir.to_string_lossy(), &files);
        for r in out.graph.unwrap().resources.values() {
            if std::env::var_os("WA_LINT_SHOW_FAILS").is_some() {
                let f = &files[r.header.file.0 as usize];
                if format!("{:?}", r.attrs).contains("cannot evaluate") {
                    eprintln!("FAILRES {} {} {:?}", f.path, r.address, r.attrs);
                }
            }
            visit(&r.attrs, &mut reasons);
        }
    }
    let mut sorted: Vec<_> = reasons.into_iter().collect();
    sorted.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    for (reason, n) in sorted.iter().take(40) {
        eprintln!("{n:6} {reason}");
    }
    let failures: usize = sorted
        .iter()
        .filter(|(r, _)| r.starts_with("cannot evaluate"))
        .map(|(_, n)| n)
        .sum();
    let total: usize = sorted.iter().map(|(_, n)| n).sum();
    assert!(
        failures * 5 < total.max(1),
        "{failures} of {total} unknowns are evaluation failures"
    );
}
