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
//! `tf::invalid-reference` (a name Terraform would reject), `tf::too-many-instances` (warning).
// Terraform itself matches `.tf` / `.tfvars` file names case-sensitively.
#![allow(clippy::case_sensitive_file_extension_comparisons)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod eval;
mod load;
mod locals;
mod policy_doc;
mod resources;

use wa_lint_graph::{Mode, Origin, ParseOutput, ResourceGraph, Unit};
use wa_lint_source::SourceFile;

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
}

/// Everything Terraform of a scan, parsed together so that module calls between directories
/// can be followed and plans linked to their configuration.
#[derive(Debug, Default)]
pub struct Project {
    /// Directories holding `.tf`/`.tf.json`/`.tfvars` files: `(dir relative to the scan root
    /// with `/` separators or `.`, files of that directory in path order)`.
    pub modules: Vec<(String, Vec<SourceFile>)>,
    /// Plan JSON files (`terraform show -json`), see [`is_plan`].
    pub plans: Vec<SourceFile>,
}

/// True when JSON `text` looks like a Terraform plan (`format_version` and `resource_changes`
/// or `planned_values`).
pub fn is_plan(text: &str) -> bool {
    text.contains("\"format_version\"")
        && (text.contains("\"resource_changes\"") || text.contains("\"planned_values\""))
}

/// Parses a whole scan: one output per unit (a root module with the modules it calls, or a
/// plan), in directory order.
pub fn parse_project(project: &Project, options: &ModuleOptions) -> Vec<ParseOutput> {
    use rayon::prelude::*;
    project
        .modules
        .par_iter()
        .filter(|(_, files)| files.iter().any(|f| is_config(&f.path)))
        .map(|(dir, files)| parse_module_with(dir, files, options))
        .collect()
}

/// `.tf` and `.tf.json` files are configuration; `.tfvars(.json)` are values.
fn is_config(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".tf") || lower.ends_with(".tf.json")
}

/// Parses the files of one module directory (`dir` relative to the scan root, `/` separated;
/// `files` are that directory's `.tf`, `.tf.json`, `.tfvars` and `.tfvars.json` files in path
/// order). `.tf.json` files are not read yet and are ignored quietly.
///
/// The graph is always returned (possibly empty); diagnostics carry file paths and byte ranges.
pub fn parse_module(dir: &str, files: &[SourceFile]) -> ParseOutput {
    parse_module_with(dir, files, &ModuleOptions::default())
}

/// [`parse_module`] with variable files and values from the command line.
pub fn parse_module_with(dir: &str, files: &[SourceFile], options: &ModuleOptions) -> ParseOutput {
    let mut diagnostics = Vec::new();
    let parsed: Vec<(&SourceFile, hcl_edit::structure::Body)> = files
        .iter()
        .filter(|f| f.path.ends_with(".tf"))
        .filter_map(|f| load::parse_hcl(f, &mut diagnostics).map(|body| (f, body)))
        .collect();

    let mut globals = Globals::default();
    load::declare_variables(&parsed, &mut globals, &mut diagnostics);
    let mut var_files = load::auto_tfvars(files);
    var_files.extend(options.var_files.iter());
    load::apply_tfvars(&var_files, &mut globals, &mut diagnostics);
    apply_cli_vars(&options.vars, &mut globals);
    locals::evaluate_locals(&parsed, &mut globals, &mut diagnostics);

    let blocks = resources::collect(&parsed, &mut diagnostics);
    let expanded: Vec<_> = blocks
        .iter()
        .map(|rb| resources::expand(rb, &globals, &mut diagnostics))
        .collect();
    for (rb, instances) in blocks.iter().zip(&expanded) {
        if rb.valid {
            globals
                .resources
                .entry(rb.base.clone())
                .or_default()
                .extend(instances.iter().map(|i| i.address.clone()));
        }
    }

    let mut graph = ResourceGraph::new(Unit {
        origin: Origin::Terraform,
        path: dir.to_owned(),
        files: files.iter().map(|f| (f.id, f.path.clone())).collect(),
    });
    // Policy documents first, so `data.aws_iam_policy_document.x.json` resolves everywhere.
    let is_doc =
        |rb: &resources::RBlock<'_>| rb.mode == Mode::Data && rb.rtype == "aws_iam_policy_document";
    let mut docs = Vec::new();
    for (rb, instances) in blocks
        .iter()
        .zip(&expanded)
        .filter(|(rb, _)| rb.valid && is_doc(rb))
    {
        for inst in instances {
            let resource = resources::build(rb, inst, &globals, &mut Vec::new(), &mut Vec::new());
            docs.push((resource.address, policy_doc::iam_document(&resource.attrs)));
        }
    }
    globals.policy_docs.extend(docs);
    for (rb, instances) in blocks.iter().zip(&expanded) {
        for inst in instances {
            let resource = resources::build(rb, inst, &globals, &mut graph.edges, &mut diagnostics);
            if rb.valid {
                graph.resources.insert(resource.address.clone(), resource);
            }
        }
    }
    graph.finish();
    diagnostics.sort();
    diagnostics.dedup();
    ParseOutput {
        graph: Some(graph),
        diagnostics,
        scenarios: Vec::new(),
    }
}

/// `-var` values: known HCL expressions, else the raw string.
fn apply_cli_vars(vars: &[(String, String)], globals: &mut Globals) {
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
