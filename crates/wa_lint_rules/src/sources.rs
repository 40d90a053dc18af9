//! Finding rule sources: the pack embedded at build time and `.rego` files under extra dirs.

use std::fs;
use std::path::Path;

use crate::RulesError;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

/// Prefix of embedded sources' paths, so they never collide with files under extra dirs.
pub(crate) const BUILTIN_PREFIX: &str = "<builtin>/";

/// Directory depth limit when walking extra dirs (guards against symlink loops).
const MAX_DEPTH: usize = 32;

/// The embedded pack as `(path, source)`, paths like `<builtin>/lib/result.rego`, sorted.
pub(crate) fn embedded() -> Vec<(String, String)> {
    embedded::EMBEDDED
        .iter()
        .map(|(path, text)| (format!("{BUILTIN_PREFIX}{path}"), (*text).to_owned()))
        .collect()
}

/// Every rule source under `dir` (or `dir` itself when it is a `.rego` file), sorted by path:
/// `*.rego` files except `*_test.rego`, skipping `fixtures/` and hidden directories.
///
/// # Errors
/// [`RulesError::Io`] when `dir` or a file under it cannot be read.
pub(crate) fn from_dir(dir: &Path) -> Result<Vec<(String, String)>, RulesError> {
    let mut paths = Vec::new();
    let meta = fs::metadata(dir).map_err(|source| io_error(dir, source))?;
    if meta.is_file() {
        paths.push(dir.to_path_buf());
    } else {
        walk(dir, 0, &mut paths)?;
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).map_err(|source| io_error(&path, source))?;
            Ok((display(&path), text))
        })
        .collect()
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<std::path::PathBuf>) -> Result<(), RulesError> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    for entry in fs::read_dir(dir).map_err(|source| io_error(dir, source))? {
        let entry = entry.map_err(|source| io_error(dir, source))?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if name != "fixtures" && !name.starts_with('.') {
                walk(&path, depth + 1, out)?;
            }
        } else if is_rule_source(&name) {
            out.push(path);
        }
    }
    Ok(())
}

/// `*.rego` but not `*_test.rego` (case-sensitive, as OPA does).
#[allow(clippy::case_sensitive_file_extension_comparisons)]
pub(crate) fn is_rule_source(name: &str) -> bool {
    name.ends_with(".rego") && !name.ends_with("_test.rego")
}

/// A path with `/` separators, as written in messages.
fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn io_error(path: &Path, source: std::io::Error) -> RulesError {
    RulesError::Io {
        path: display(path),
        source,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// The table `build.rs` embedded equals what walking `rules/` now finds, with the same
    /// exclusions (no `*_test.rego`, nothing under `fixtures/`), and the same contents.
    #[test]
    fn embedded_pack_matches_the_rules_dir() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
        let root_display = display(&root);
        let on_disk: Vec<(String, String)> = if root.is_dir() {
            from_dir(&root)
                .unwrap()
                .into_iter()
                .map(|(path, text)| {
                    (
                        format!("{BUILTIN_PREFIX}{}", &path[root_display.len() + 1..]),
                        text,
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        let embedded = embedded();
        let names = |v: &[(String, String)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(names(&embedded), names(&on_disk));
        assert_eq!(embedded, on_disk);
        assert!(embedded
            .iter()
            .all(|(p, _)| !p.ends_with("_test.rego") && !p.contains("/fixtures/")));
    }

    #[test]
    fn rule_source_names() {
        assert!(is_rule_source("rule.rego"));
        assert!(!is_rule_source("rule_test.rego"));
        assert!(!is_rule_source("rule.rego.bak"));
        assert!(!is_rule_source("README.md"));
    }
}
