//! Reading a tree the way the linter finds files, shared by the examples (`#[path]`-included).

use std::collections::BTreeMap;
use std::path::Path;

use ignore::WalkBuilder;

/// A file read from disk: path relative to the root (`/` separators) and its text.
pub(crate) struct Read {
    pub(crate) rel: String,
    pub(crate) text: String,
}

/// Walks `root` like the linter and reads the candidate files: template candidates in path
/// order, and Terraform files grouped by directory (only directories with a `.tf` file).
pub(crate) fn read_tree(root: &Path) -> (Vec<Read>, BTreeMap<String, Vec<Read>>) {
    let mut templates = Vec::new();
    let mut dirs: BTreeMap<String, Vec<Read>> = BTreeMap::new();
    let walker = WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .add_custom_ignore_filename(".walintignore")
        .follow_links(false)
        .build();
    for entry in walker.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
        let is_tf = has_ext(&name, "tf") || has_ext(&name, "tfvars");
        let is_cfn = !name.ends_with(".tf.json")
            && !name.ends_with(".tfvars.json")
            && [".yaml", ".yml", ".json", ".template", ".cfn"]
                .iter()
                .any(|e| name.ends_with(e));
        if !is_tf && !is_cfn {
            continue;
        }
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let Ok(text) = std::str::from_utf8(body) else {
            continue;
        };
        let rel = relative(root, entry.path());
        let read = Read {
            rel,
            text: text.to_owned(),
        };
        if is_tf {
            let dir = read.rel.rsplit_once('/').map_or(".", |(d, _)| d).to_owned();
            dirs.entry(dir).or_default().push(read);
        } else {
            templates.push(read);
        }
    }
    templates.sort_by(|a, b| a.rel.cmp(&b.rel));
    dirs.retain(|_, files| files.iter().any(|f| has_ext(&f.rel, "tf")));
    for files in dirs.values_mut() {
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
    }
    (templates, dirs)
}

/// True when the file name `name` has extension `ext` (no dot; ASCII case ignored).
fn has_ext(name: &str, ext: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Path of `path` under `root`, `/` separated.
fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
