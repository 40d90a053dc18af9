//! Terraform modules (`.tf`) → [`wa_lint_graph::ResourceGraph`].
//!
//! One call reads one module directory: `.tf` files are parsed with `hcl-edit` (byte spans for
//! every key and value), variables get their defaults or `.tfvars` values, locals are evaluated
//! in dependency order, `resource`/`data` blocks are expanded by `count`/`for_each` and their
//! bodies evaluated partially — what cannot be known before apply is
//! [`wa_lint_graph::Value::Unknown`] with a reason, never an error.
//!
//! Expressions are evaluated by this crate's own evaluator rather than `hcl::eval`, because
//! rules need *partial* results (a list with one unknown element keeps the others), spans and
//! provenance on every value, and lazy `try()`/`can()`; `hcl::eval` is all-or-nothing.
//!
//! Diagnostic codes: `tf::syntax` (HCL/JSON syntax error at the error byte), `tf::local-cycle`,
//! `tf::invalid-block` (bad labels, `dynamic` without `content`/`for_each`),
//! `tf::invalid-reference` (a name Terraform would reject), `tf::undeclared-resource` (a
//! resource or data source the module does not declare), `tf::invalid-count` /
//! `tf::invalid-for-each` (negative, fractional or null `count`, both meta-arguments, `for_each`
//! over a list or a non-collection), `tf::duplicate-resource`, `tf::invalid-variable-value` (a
//! value that does not convert to the variable's `number`/`bool` type) — all errors, as
//! Terraform rejects them, the scan going on with the value Unknown; warnings:
//! `tf::undeclared-reference` (a variable or local value not declared),
//! `tf::too-many-instances`, `tf::module-not-found` (a local module directory with no
//! Terraform files in the scan), `tf::undeclared-variable` (a `--var` no root declares).
// Terraform itself matches `.tf` / `.tfvars` file names case-sensitively.
#![allow(clippy::case_sensitive_file_extension_comparisons)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod declarations;
mod eval;
mod layout;
mod load;
mod locals;
mod module;
mod plan;
mod policy_doc;
mod refs;
mod resources;
mod tfjson;
mod types;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use wa_lint_graph::ParseOutput;
use wa_lint_source::{Diagnostic, FileId, Format, LazyFile, Level, SourceFile};

use crate::eval::{Eval, Globals, Named};

/// Extra inputs of a module run, as given on the command line.
#[derive(Debug, Clone, Default)]
pub struct ModuleOptions {
    /// `-var-file` files (`.tfvars` HCL or `.tfvars.json`), applied in order after the
    /// automatically loaded files.
    pub var_files: Vec<SourceFile>,
    /// `-var name=value` pairs, applied last. `value` is read as an HCL expression when it
    /// parses as one whose value is known (`true`, `3`, `["a"]`), else as a string.
    pub vars: Vec<(String, String)>,
    /// `TF_VAR_<name>` environment variables as `(name, value)` (prefix removed), applied
    /// after variable defaults and before every `.tfvars` file; values are read like `vars`.
    pub env_vars: Vec<(String, String)>,
    /// Command-line order of [`ModuleOptions::var_files`] and [`ModuleOptions::vars`]
    /// (Terraform applies `-var` and `-var-file` in the order given, later wins). Empty: every
    /// file, then every `-var`. Entries out of range are ignored.
    pub var_order: Vec<VarSource>,
    /// The directory on disk that module directories are relative to. `file()`,
    /// `templatefile()` and `fileexists()` read files only below it (at most
    /// 1 MiB each); `None` leaves their values Unknown.
    pub scan_root: Option<PathBuf>,
}

/// One command-line variable source, by index into [`ModuleOptions::var_files`] or
/// [`ModuleOptions::vars`].
/// (<https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence>)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarSource {
    /// `-var-file`: index into `var_files`.
    File(usize),
    /// `-var`: index into `vars`.
    Var(usize),
}

impl ModuleOptions {
    /// The command-line variable sources in the order they apply: [`ModuleOptions::var_order`]
    /// when given, else every file then every `-var`.
    pub fn var_sources(&self) -> Vec<VarSource> {
        if self.var_order.is_empty() {
            (0..self.var_files.len())
                .map(VarSource::File)
                .chain((0..self.vars.len()).map(VarSource::Var))
                .collect()
        } else {
            self.var_order.clone()
        }
    }
}

/// Everything Terraform of a scan, parsed together so that module calls between directories
/// can be followed and plans linked to their configuration.
#[derive(Debug, Default)]
pub struct Project {
    /// Directories holding `.tf`/`.tf.json`/`.tfvars` files: `(dir relative to the scan root
    /// with `/` separators or `.`, files of that directory in path order)`. Each pass that
    /// needs a directory reads its files' texts ([`LazyFile::load`]).
    pub modules: Vec<(String, Vec<LazyFile>)>,
    /// Plan JSON files (`terraform show -json`), see [`is_plan`].
    pub plans: Vec<LazyFile>,
    /// Module directories downloaded by `terraform init` (under a root's
    /// `.terraform/modules/`, outside the scanned tree), as `(dir relative to the scan root,
    /// .tf files)`; filled by [`load_downloaded_modules`].
    pub downloaded: Vec<(String, Vec<LazyFile>)>,
    /// `(root module dir, module key such as "vpc" or "vpc.subnets")` → downloaded directory
    /// (a key of [`Project::downloaded`]), from `.terraform/modules/modules.json`.
    pub module_keys: BTreeMap<(String, String), String>,
}

/// True when JSON `text` looks like a Terraform plan (`format_version` and `resource_changes`
/// or `planned_values`).
pub fn is_plan(text: &str) -> bool {
    text.contains("\"format_version\"")
        && (text.contains("\"resource_changes\"") || text.contains("\"planned_values\""))
}

/// Parses a whole scan: one output per unit (a root module with the modules it calls, or a
/// plan), in directory order.
///
/// A directory is a root unless a root (directly or through other modules) calls it as a local
/// module (`source = "./…"`/`"../…"`): then it is evaluated only with the arguments of its
/// calls, never on its own with default values.
pub fn parse_project(project: &Project, options: &ModuleOptions) -> Vec<ParseOutput> {
    let mut outputs = parse_roots(project, options, || (), |(), out| out);
    // Plans: their own units, linked to the root module they were made from (see `plan`).
    let (plans, unreadable) = load_all(&project.plans);
    plan::add_plans(&plans, &mut outputs);
    outputs.extend(unreadable.into_iter().map(|d| ParseOutput {
        diagnostics: vec![d],
        ..ParseOutput::default()
    }));
    outputs
}

/// [`parse_project`], handing each unit's output to `each` as soon as it is built, in the
/// worker thread that built it, with a value `init` made once per worker job (rayon
/// `map_init`; e.g. a rule evaluator). Without plans in `project`, the output is dropped when
/// `each` returns, so a scan holds the graphs of one unit per worker instead of every graph.
/// With plans, every module output is built first (a plan replaces the module output it was
/// made from, see [`parse_project`]) and then handed over. Returns what `each` made of each
/// unit, in the order of [`parse_project`]. Directories are parsed in two passes: the first
/// keeps only how they call each other (`module` sources, `variable` names) to find the
/// roots, the second parses the directories each root may read again, for that root alone; so
/// a scan holds the parsed files of one root per worker (a module called by several roots is
/// parsed once for each).
pub fn parse_project_each<T, R, I, F>(
    project: &Project,
    options: &ModuleOptions,
    init: I,
    each: F,
) -> Vec<R>
where
    R: Send,
    I: Fn() -> T + Sync + Send,
    F: Fn(&mut T, ParseOutput) -> R + Sync + Send,
{
    use rayon::prelude::*;
    if project.plans.is_empty() {
        return parse_roots(project, options, init, each);
    }
    parse_project(project, options)
        .into_par_iter()
        .map_init(init, each)
        .collect()
}

/// The outputs of every root module of `project` (plans left out), each handed to `each`.
fn parse_roots<T, R, I, F>(project: &Project, options: &ModuleOptions, init: I, each: F) -> Vec<R>
where
    R: Send,
    I: Fn() -> T + Sync + Send,
    F: Fn(&mut T, ParseOutput) -> R + Sync + Send,
{
    use rayon::prelude::*;
    let all: Vec<(&str, &[LazyFile], bool)> = project
        .modules
        .iter()
        .map(|(d, f)| (d.as_str(), f.as_slice(), false))
        .chain(
            project
                .downloaded
                .iter()
                .map(|(d, f)| (d.as_str(), f.as_slice(), true)),
        )
        .collect();
    // First pass: how the directories call each other; the parsed files are dropped.
    let facts: Vec<layout::DirFacts<'_>> = all
        .par_iter()
        .map(|&(dir, lazy, downloaded)| {
            let (files, unreadable) = load_all(lazy);
            let json = translate(&files);
            let parsed = parse_dir(dir, &files, downloaded, &json);
            let mut facts = layout::DirFacts::of(dir, lazy, downloaded, &parsed);
            // A directory whose files vanished is still a root: its unit reports them.
            facts.loaded |= !unreadable.is_empty();
            facts
        })
        .collect();
    let layout = layout::Layout {
        dirs: facts.into_iter().map(|d| (d.path, d)).collect(),
        keys: &project.module_keys,
    };
    let roots: Vec<&str> = layout
        .roots()
        .into_iter()
        .filter(|r| {
            layout
                .dirs
                .get(r)
                .is_some_and(|d| d.files.iter().any(|f| is_config(&f.path)))
        })
        .collect();
    // `-var name=value` that no root module declares: Terraform's "Value for undeclared
    // variable" (a warning here: with several roots in a scan, a value may be meant for
    // another one). Reported with the first root.
    let undeclared: Vec<Diagnostic> = options
        .vars
        .iter()
        .map(|(name, _)| name)
        .filter(|name| !roots.iter().any(|r| layout.declares_variable(r, name)))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|name| Diagnostic {
            path: None,
            range: None,
            level: Level::Warning,
            code: "tf::undeclared-variable".to_owned(),
            message: format!(
                "value for undeclared variable `{name}`: it is given with --var but no root \
                 module of the scan declares a variable of that name"
            ),
            help: Some(
                "add a `variable` block, or check the name; the value is not used".to_owned(),
            ),
            related: Vec::new(),
        })
        .collect();
    // Small pieces of work, so no thread is left finishing many roots alone (as in
    // `wa_lint_cfn::parse_project_each`).
    let piece = (roots.len() / (rayon::current_num_threads() * 64)).max(1);
    roots
        .par_iter()
        .enumerate()
        .with_max_len(piece)
        .map_init(init, |state, (i, root)| {
            // Second pass: the directories this root may read, parsed again for it alone.
            let reads = layout.reads(root);
            let mine: Vec<(&str, &[LazyFile], bool)> = all
                .iter()
                .filter(|(dir, _, _)| reads.contains(dir))
                .copied()
                .collect();
            let loaded: Vec<(Vec<SourceFile>, Vec<Diagnostic>)> =
                mine.iter().map(|(_, lazy, _)| load_all(lazy)).collect();
            let translated: Vec<_> = loaded.iter().map(|(files, _)| translate(files)).collect();
            let world = module::World {
                dirs: mine
                    .iter()
                    .zip(&loaded)
                    .zip(&translated)
                    .map(|((&(dir, _, downloaded), (files, unreadable)), json)| {
                        let mut parsed = parse_dir(dir, files, downloaded, json);
                        parsed.unreadable = !unreadable.is_empty();
                        (dir, parsed)
                    })
                    .collect(),
                keys: &project.module_keys,
                options,
            };
            let mut out = world.evaluate_root(root);
            drop(world);
            // Files that could not be read again (vanished or changed since discovery).
            out.diagnostics
                .extend(loaded.into_iter().flat_map(|(_, unreadable)| unreadable));
            for (json, _) in &translated {
                tfjson::remap_output(json, &mut out);
            }
            if i == 0 {
                out.diagnostics.extend(undeclared.iter().cloned());
            }
            each(state, out)
        })
        .collect()
}

/// The texts of `files` ([`LazyFile::load`]), and the diagnostics of those that could not be
/// read again.
fn load_all(files: &[LazyFile]) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let mut loaded = Vec::with_capacity(files.len());
    let mut unreadable = Vec::new();
    for f in files {
        match f.load() {
            Ok(file) => loaded.push(file),
            Err(d) => unreadable.push(LazyFile::unread(*d, Level::Error, "it is not checked")),
        }
    }
    (loaded, unreadable)
}

/// The `.tf.json` files among `files` as HCL text (their spans are mapped back at the end),
/// and the problems of translating them.
fn translate(files: &[SourceFile]) -> (Vec<tfjson::Translated>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    (tfjson::translate_all(files, &mut diags), diags)
}

/// Parses the `.tf` files of directory `dir` and its translated `.tf.json` files (`json`,
/// from [`translate`]).
fn parse_dir<'a>(
    dir: &'a str,
    files: &'a [SourceFile],
    downloaded: bool,
    json: &'a (Vec<tfjson::Translated>, Vec<Diagnostic>),
) -> module::Dir<'a> {
    let (json, json_diags) = json;
    let mut diags = json_diags.clone();
    let parsed = files
        .iter()
        .filter(|f| f.path.ends_with(".tf"))
        .chain(json.iter().map(|t| &t.file))
        .filter_map(|f| load::parse_hcl(f, &mut diags).map(|body| (f, body)))
        .collect();
    module::Dir {
        path: dir,
        files,
        parsed,
        diags,
        downloaded,
        unreadable: false,
    }
}

/// Most downloaded module directories read per root, and most `.tf` files per directory.
const MAX_DOWNLOADED_DIRS: usize = 500;
/// See [`MAX_DOWNLOADED_DIRS`].
const MAX_DOWNLOADED_FILES: usize = 200;
/// Largest downloaded `.tf` file read (bytes).
const MAX_DOWNLOADED_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Reads the modules `terraform init` downloaded for the module directories of `project`:
/// for each directory `d` with `<scan_root>/<d>/.terraform/modules/modules.json`
/// (`{"Modules": [{"Key", "Source", "Dir"}]}`, `Dir` relative to `d`), the `.tf` files of every
/// listed directory that stays inside `<scan_root>/<d>/.terraform/`. They are added to
/// [`Project::downloaded`] with ids from `next_id` on (incremented), and the keys to
/// [`Project::module_keys`]. Returns the files read (for the caller's file table) and
/// problems (an invalid `modules.json`) as diagnostics.
///
/// Discovery skips hidden directories, so these files are read here, with limits
/// ([`MAX_DOWNLOADED_DIRS`], [`MAX_DOWNLOADED_FILES`], 8 MiB per file). Nothing outside the
/// scan root is read: the manifest and every `Dir` are canonicalized (symbolic links resolved)
/// and must stay below the canonical scan root; `.tf` files that are symbolic links are
/// skipped.
pub fn load_downloaded_modules(
    scan_root: &Path,
    project: &mut Project,
    next_id: &mut u32,
) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let mut files_read = Vec::new();
    let mut diags = Vec::new();
    let roots: Vec<String> = project.modules.iter().map(|(d, _)| d.clone()).collect();
    let mut seen = std::collections::BTreeSet::new();
    for root in roots {
        let dot = eval::files::join_rel(&root, ".terraform").unwrap_or_default();
        let manifest_rel = format!("{dot}/modules/modules.json");
        if !inside_root(scan_root, &manifest_rel) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(scan_root.join(&manifest_rel)) else {
            continue;
        };
        let entries = match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(json) => json
                .get("Modules")
                .and_then(serde_json::Value::as_array)
                .cloned()
                .unwrap_or_default(),
            Err(e) => {
                diags.push(Diagnostic::at(
                    Level::Warning,
                    "tf::modules-json",
                    manifest_rel.clone(),
                    None,
                    format!("cannot read {manifest_rel}: {e}; downloaded modules are not followed"),
                ));
                continue;
            }
        };
        for entry in entries.iter().take(MAX_DOWNLOADED_DIRS) {
            let field = |k: &str| entry.get(k).and_then(serde_json::Value::as_str);
            let (Some(key), Some(dir)) = (field("Key"), field("Dir")) else {
                continue;
            };
            let Some(rel) = eval::files::join_rel(&root, dir) else {
                continue;
            };
            // Only directories inside this root's .terraform/ are read from disk; local
            // module directories are already in the scan.
            if key.is_empty()
                || !rel.starts_with(&format!("{dot}/"))
                || !inside_root(scan_root, &rel)
            {
                continue;
            }
            project
                .module_keys
                .insert((root.clone(), key.to_owned()), rel.clone());
            if !seen.insert(rel.clone()) {
                continue;
            }
            let files = read_tf_dir(scan_root, &rel, next_id);
            files_read.extend(files.iter().cloned());
            project
                .downloaded
                .push((rel, files.into_iter().map(LazyFile::held).collect()));
        }
    }
    (files_read, diags)
}

/// True when `<scan_root>/<rel>` exists and, with symbolic links resolved, is below the
/// canonical scan root.
fn inside_root(scan_root: &Path, rel: &str) -> bool {
    match (scan_root.canonicalize(), scan_root.join(rel).canonicalize()) {
        (Ok(root), Ok(path)) => path.starts_with(root),
        _ => false,
    }
}

/// The `.tf` files of `<scan_root>/<rel>` in name order, with fresh ids from `next_id`.
fn read_tf_dir(scan_root: &Path, rel: &str, next_id: &mut u32) -> Vec<SourceFile> {
    let Ok(entries) = std::fs::read_dir(scan_root.join(rel)) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            e.metadata()
                .is_ok_and(|m| m.is_file() && m.len() <= MAX_DOWNLOADED_FILE_BYTES)
        })
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".tf"))
        .collect();
    names.sort();
    names
        .into_iter()
        .take(MAX_DOWNLOADED_FILES)
        .filter_map(|n| {
            let text = std::fs::read_to_string(scan_root.join(rel).join(&n)).ok()?;
            let id = FileId(*next_id);
            *next_id += 1;
            Some(SourceFile::new(id, format!("{rel}/{n}"), text, Format::Hcl))
        })
        .collect()
}

/// The `module` blocks of the `.tf` text `text`, as `(label, literal source)` in file order
/// (`None` for a source that is not a literal string); `None` when the text does not parse
/// (then none of its blocks count). This is what the front end's first pass reads to decide how
/// module directories call each other; the incremental cache compares it before and after an
/// edit.
pub fn module_calls(text: &str) -> Option<Vec<(String, Option<String>)>> {
    let body = hcl_edit::parser::parse_body(text).ok()?;
    Some(
        body.blocks()
            .filter(|b| b.has_ident("module"))
            .map(|b| {
                let label = b
                    .labels
                    .first()
                    .map(|l| l.as_str().to_owned())
                    .unwrap_or_default();
                (label, module::literal_source(b))
            })
            .collect(),
    )
}

/// `.tf` and `.tf.json` files are configuration; `.tfvars(.json)` are values.
fn is_config(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".tf") || lower.ends_with(".tf.json")
}

/// Parses the files of one module directory (`dir` relative to the scan root, `/` separated;
/// `files` are that directory's `.tf`, `.tf.json`, `.tfvars` and `.tfvars.json` files in path
/// order). `.tf.json` files are translated to HCL first (see `tfjson`).
///
/// The graph is always returned (possibly empty); diagnostics carry file paths and byte ranges.
pub fn parse_module(dir: &str, files: &[SourceFile]) -> ParseOutput {
    parse_module_with(dir, files, &ModuleOptions::default())
}

/// [`parse_module`] with variable files and values from the command line. Local modules are
/// not followed (they are not among `files`).
pub fn parse_module_with(dir: &str, files: &[SourceFile], options: &ModuleOptions) -> ParseOutput {
    let project = Project {
        modules: vec![(
            dir.to_owned(),
            files.iter().cloned().map(LazyFile::held).collect(),
        )],
        ..Project::default()
    };
    parse_project(&project, options).pop().unwrap_or_default()
}

/// `-var` / `TF_VAR_` values: known HCL expressions, else the raw string.
pub(crate) fn apply_raw_vars(vars: &[(String, String)], globals: &mut Globals) {
    let empty = Globals::default();
    let scratch = SourceFile::new(
        wa_lint_source::FileId::default(),
        "<command line>",
        "",
        wa_lint_source::Format::Hcl,
    );
    for (name, raw) in vars {
        let parsed = hcl_edit::parser::parse_expr(raw)
            .ok()
            .map(|e| Eval::new(&empty, &scratch).value(&e));
        let node = match parsed {
            Some(node) if eval::values::first_unknown(&node).is_none() => {
                let mut node = node;
                eval::values::respan(&mut node, None);
                node
            }
            _ => wa_lint_graph::Node::new(wa_lint_graph::Value::String(raw.clone()), None),
        };
        if let Some(var) = globals.vars.get_mut(name) {
            *var = Named {
                node,
                kind: wa_lint_graph::ProvenanceKind::VariableValue,
            };
        }
    }
}
