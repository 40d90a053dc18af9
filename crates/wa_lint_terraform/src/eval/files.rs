//! `path.module` / `path.root` / `path.cwd` and the file functions `file`, `fileexists`,
//! `filebase64` and `templatefile`, reading only inside the scan root.
//!
//! Terraform resolves relative paths against the working directory, which is the root module
//! directory (<https://developer.hashicorp.com/terraform/language/functions/file>,
//! <https://developer.hashicorp.com/terraform/language/expressions/references#filesystem-and-workspace-info>).
//! A path that leaves the scan root — written with `..` or an absolute path, or through a
//! symbolic link whose target is outside (both sides are canonicalized) — or a file larger
//! than [`MAX_FILE_BYTES`], is never read: the value is Unknown and a `tf::file-outside-scan`
//! warning names the call.

use std::collections::BTreeMap;
use std::path::PathBuf;

use hcl_edit::expr::FuncCall;
use wa_lint_graph::{Node, Value};
use wa_lint_source::{Diagnostic, Level, SourceFile, Span};

use super::values::{first_unknown, respan, to_str};
use super::{Eval, Fail, Globals, R};

/// Largest file `file()` / `templatefile()` reads (bytes).
pub(crate) const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Where a module instance lives, for path values and file reads.
#[derive(Debug, Clone)]
pub(crate) struct Fs {
    /// The scan root on disk; `None` when file reading is off (unit tests, API use without a
    /// root): file functions are then Unknown.
    pub scan_root: Option<PathBuf>,
    /// Root module directory, relative to the scan root (`/`-separated, `.` for the root).
    pub root_dir: String,
    /// This module's directory, relative to the scan root.
    pub module_dir: String,
    /// Where the unit notes the paths its file functions resolve inside the scan root
    /// (relative to it), shared by its module instances: `ResourceGraph::files_read`.
    pub reads: std::sync::Arc<std::sync::Mutex<std::collections::BTreeSet<String>>>,
}

impl Fs {
    /// `path.<which>` as Terraform gives it: `module` relative to the root module directory,
    /// `root` as `.`; `cwd` (absolute in Terraform) as the root module directory relative to
    /// the scan root, or the scan root's own name for the scan root, so that
    /// `basename(path.cwd)` gives what it gives in Terraform while output stays
    /// machine-independent.
    pub(crate) fn path_value(&self, which: &str) -> Option<String> {
        match which {
            "module" => Some(relative(&self.root_dir, &self.module_dir)),
            "root" => Some(".".into()),
            "cwd" if self.root_dir != "." => Some(self.root_dir.clone()),
            "cwd" => Some(
                self.scan_root
                    .as_ref()
                    .and_then(|r| r.canonicalize().ok())
                    .and_then(|r| r.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .unwrap_or_else(|| ".".into()),
            ),
            _ => None,
        }
    }

    /// A path as written in the configuration → path relative to the scan root, or `None`
    /// when it is absolute or leaves the scan root.
    pub(crate) fn resolve(&self, path: &str) -> Option<String> {
        if path.starts_with('/') || path.contains(':') || path.starts_with('\\') {
            return None;
        }
        join_rel(&self.root_dir, path)
    }
}

/// `base` joined with the relative `rel` (both `/`-separated, relative to the scan root), with
/// `.` and `..` folded; `None` when the result would leave the scan root. `.` is the root.
pub(crate) fn join_rel(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    for part in rel.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    // An absolute base (a directory outside the scan root, given as an absolute path) stays
    // absolute.
    let lead = if base.starts_with('/') { "/" } else { "" };
    Some(if parts.is_empty() && lead.is_empty() {
        ".".into()
    } else {
        format!("{lead}{}", parts.join("/"))
    })
}

/// The relative path from directory `from` to directory `to` (both relative to the scan root).
pub(crate) fn relative(from: &str, to: &str) -> String {
    let split = |p: &str| -> Vec<String> {
        p.split('/')
            .filter(|s| !s.is_empty() && *s != ".")
            .map(str::to_owned)
            .collect()
    };
    let (from, to) = (split(from), split(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out: Vec<String> = vec!["..".to_owned(); from.len() - common];
    out.extend(to.iter().skip(common).cloned());
    if out.is_empty() {
        ".".into()
    } else {
        out.join("/")
    }
}

/// Outcome of reading a file for a file function.
enum Read {
    Text(String),
    Missing,
    Refused(String),
}

impl Eval<'_> {
    /// `file`, `fileexists`, `filebase64`, `templatefile`.
    pub(crate) fn file_call(&mut self, name: &str, f: &FuncCall, span: Option<Span>) -> R {
        let mut args = Vec::new();
        for a in &f.args {
            args.push(self.eval(a)?);
        }
        let Some(path_node) = args.first() else {
            return Err(Fail(format!("{name}() needs a path")));
        };
        if let Some(reason) = first_unknown(path_node) {
            return Ok(Node::unknown(reason.to_owned(), span));
        }
        let path = to_str(&path_node.value)?;
        if name == "filebase64" {
            return Ok(Node::unknown(
                "function `filebase64` is not evaluated by wa-lint",
                span,
            ));
        }
        let text = match self.read(&path, span) {
            Read::Text(text) => text,
            Read::Missing if name == "fileexists" => {
                return Ok(Node::new(Value::Bool(false), span));
            }
            Read::Missing => return Err(Fail(format!("no file \"{path}\""))),
            Read::Refused(reason) => return Ok(Node::unknown(reason, span)),
        };
        match name {
            "fileexists" => Ok(Node::new(Value::Bool(true), span)),
            "file" => Ok(Node::new(Value::String(text), span)),
            _ => {
                let vars = match args.get(1).map(|n| &n.value) {
                    Some(Value::Map(m)) => {
                        m.iter().map(|(k, e)| (k.clone(), e.node.clone())).collect()
                    }
                    None => BTreeMap::new(),
                    Some(Value::Unknown(reason)) => return Ok(Node::unknown(reason.clone(), span)),
                    Some(_) => return Err(Fail("templatefile() variables must be a map".into())),
                };
                render_template(&path, &text, vars, span)
            }
        }
    }

    fn read(&mut self, path: &str, span: Option<Span>) -> Read {
        let Some(fs) = &self.g.fs else {
            return Read::Refused("files are not read without a scan root".into());
        };
        let Some(root) = &fs.scan_root else {
            return Read::Refused("files are not read without a scan root".into());
        };
        let escapes = |rel: &str| match (root.canonicalize(), root.join(rel).canonicalize()) {
            (Ok(r), Ok(p)) => !p.starts_with(r),
            _ => false, // missing: nothing is read
        };
        let resolved = fs.resolve(path);
        if let (Some(rel), Ok(mut reads)) = (&resolved, fs.reads.lock()) {
            reads.insert(rel.clone());
        }
        let Some(rel) = resolved.filter(|rel| !escapes(rel)) else {
            let message = format!("`{path}` is outside the scanned directory; not read");
            self.diags.push(
                Diagnostic::at(
                    Level::Warning,
                    "tf::file-outside-scan",
                    self.src().path.clone(),
                    span.map(|s| s.range),
                    message.clone(),
                )
                .with_help("values read from this file are treated as unknown"),
            );
            return Read::Refused(message);
        };
        let abs = root.join(&rel);
        match std::fs::metadata(&abs) {
            Ok(m) if m.is_file() && m.len() > MAX_FILE_BYTES => Read::Refused(format!(
                "`{rel}` is larger than {MAX_FILE_BYTES} bytes; not read"
            )),
            Ok(m) if m.is_file() => match std::fs::read_to_string(&abs) {
                Ok(text) => Read::Text(text),
                Err(e) => Read::Refused(format!("`{rel}` cannot be read: {e}")),
            },
            _ => Read::Missing,
        }
    }
}

/// Renders template `text` (the contents of `path`) with `vars` only, as `templatefile` does;
/// every node of the result is located at `span` (the call).
fn render_template(path: &str, text: &str, vars: BTreeMap<String, Node>, span: Option<Span>) -> R {
    let template = hcl_edit::parser::parse_template(text)
        .map_err(|e| Fail(format!("template `{path}` is invalid: {}", e.message())))?;
    let scratch = SourceFile::new(
        wa_lint_source::FileId::default(),
        path,
        text,
        wa_lint_source::Format::Hcl,
    );
    let empty = Globals::default();
    let mut ev = Eval::new(&empty, &scratch);
    let mut node = ev.with_frame(vars, |ev| ev.template(&template, None))?;
    respan(&mut node, span);
    Ok(node)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn joins_fold_dots_and_refuse_escapes() {
        assert_eq!(
            join_rel("examples/complete", "../../").as_deref(),
            Some(".")
        );
        assert_eq!(join_rel("a/b", "../c/./d").as_deref(), Some("a/c/d"));
        assert_eq!(join_rel(".", "x.json").as_deref(), Some("x.json"));
        assert_eq!(join_rel("a", "../../etc/passwd"), None);
        assert_eq!(
            join_rel("/w/c/examples/x", "../../modules/m").as_deref(),
            Some("/w/c/modules/m")
        );
    }

    #[test]
    fn relative_paths_between_directories() {
        assert_eq!(relative("examples/complete", "."), "../..");
        assert_eq!(relative(".", "modules/storage"), "modules/storage");
        assert_eq!(relative("a/b", "a/c"), "../c");
        assert_eq!(relative("a", "a"), ".");
    }
}
