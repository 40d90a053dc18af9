//! A scan's templates together: nested stacks and `Export`/`Fn::ImportValue` pairs.
//!
//! - **Nested stacks.** An `AWS::CloudFormation::Stack` whose `TemplateURL` (or whose
//!   `Metadata` `aws:asset:path`, as CDK writes it) is a local relative path, and an
//!   `AWS::Serverless::Application` whose `Location` is one, are followed when the path,
//!   resolved against the parent file's directory without leaving the scan root, is a scanned
//!   template. The child is built with the parameters the parent passes (the parent's resolved
//!   `Parameters` values, Unknown when unknown; the child's `Default` otherwise), and its graph
//!   names the parent's stack resource in `ResourceGraph::called_from`. A child used by a
//!   parent is not also a unit of its own. Nesting is followed to [`MAX_NESTING`] levels;
//!   cycles are cut. A template that no unit reaches that way (every template of a cycle of
//!   nested stacks is nested by another; a child deeper than [`MAX_NESTING`]) is a unit of
//!   its own ([`unit_roots`]), so no template goes unchecked.
//! - **Cross-stack references.** Every `Outputs.<Name>.Export.Name` that resolves to a string is
//!   an export; a `Fn::ImportValue` whose name resolves to that string in another template of
//!   the scan is replaced by the exported value (resolved in the exporting template), placed at
//!   the import site with [`ProvenanceKind::Export`] provenance.
//!
//! See <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-stack.html>
//! and <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-importvalue.html>.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use wa_lint_graph::{
    AttrPath, CallSite, Entry, Node, ParseOutput, Provenance, ProvenanceKind, Value,
};
use wa_lint_source::{Diagnostic, LazyFile, Level, SourceFile};

use crate::resolve::Resolver;
use crate::{detect, template, CfnOptions, Project, ProjectUnits};

/// Deepest chain of nested stacks followed.
pub(crate) const MAX_NESTING: usize = 8;

/// Most nested-stack builds in one unit. A child is built once per call (each call passes its
/// own parameters), so 9 files of 6 stack resources each calling the next file made 6^8 ≈ 1.7
/// million builds and aborted the process; past this many, or past
/// [`crate::resolve::MAX_RESOLVED_BYTES`] of child template text in all (a 5 MB child called
/// 600 times took 3 GB), calls are not followed and the unit gets one `cfn::nested-limit`
/// warning.
pub(crate) const MAX_NESTED_BUILDS: usize = 1_000;

/// A nested-stack call found in a parent template.
struct Link {
    /// Logical ID of the stack resource in the parent.
    resource: String,
    /// Index of the child file.
    child: usize,
}

/// An exported value: the resolved node and where the export is defined.
struct Export {
    node: Node,
    span: Option<wa_lint_source::Span>,
}

/// Parses every candidate of a scan; see the module docs.
pub(crate) fn parse(files: &[LazyFile], options: &CfnOptions) -> Project {
    let each = parse_each(files, options, || (), |(), outs| outs);
    Project {
        units: each.units.into_iter().flatten().collect(),
        not_templates: each.not_templates,
    }
}

/// [`parse`], handing each unit's outputs to `each` (with a value `init` made for the worker)
/// in the worker that built them; see [`crate::parse_project_each`].
pub(crate) fn parse_each<T, R, I, F>(
    files: &[LazyFile],
    options: &CfnOptions,
    init: I,
    each: F,
) -> ProjectUnits<R>
where
    R: Send,
    I: Fn() -> T + Sync + Send,
    F: Fn(&mut T, Vec<ParseOutput>) -> R + Sync + Send,
{
    // First pass: what links templates across files; each document is dropped after it.
    let scanned: Vec<Scanned> = files.par_iter().map(|f| scan(f, options)).collect();
    let by_path: BTreeMap<&str, usize> = files
        .iter()
        .enumerate()
        .filter(|(i, _)| scanned.get(*i).is_some_and(|s| s.template))
        .map(|(i, f)| (f.path.as_str(), i))
        .collect();
    let links: Vec<Vec<Link>> = scanned
        .iter()
        .map(|s| {
            s.targets
                .iter()
                .filter_map(|(resource, target)| {
                    by_path.get(target.as_str()).map(|&child| Link {
                        resource: resource.clone(),
                        child,
                    })
                })
                .collect()
        })
        .collect();
    let roots = unit_roots(files.len(), &links);
    let exports = unique_exports(&scanned);
    let ctx = Ctx {
        files,
        scanned: &scanned,
        links: &links,
        exports: &exports,
    };
    // Second pass: each unit loads what it needs again, so a scan holds the documents of one
    // unit per worker.
    // At most 1/64 of the files per piece of work for each thread: rayon splits a range into
    // a few pieces up front and a piece being worked on is not split again, so with a handful of
    // pieces one thread was left finishing a quarter of the units alone (a 16x copy of the
    // corpus ran on one core for its last 11 s; docs/benchmarks.md, "Bytecode VM and pack image").
    let piece = (files.len() / (rayon::current_num_threads() * 64)).max(1);
    let units: Vec<(usize, Option<R>)> = (0..files.len())
        .into_par_iter()
        .with_max_len(piece)
        .filter(|i| roots.contains(i))
        .map_init(init, |state, i| {
            (i, ctx.unit(i, options).map(|outs| each(state, outs)))
        })
        .collect();
    let mut project = ProjectUnits {
        units: Vec::with_capacity(units.len()),
        not_templates: Vec::new(),
    };
    for (i, out) in units {
        match out {
            Some(r) => project.units.push(r),
            None => {
                if let Some(f) = files.get(i) {
                    project.not_templates.push(f.id);
                }
            }
        }
    }
    project
}

/// The files that are units: every file no template nests, then, in file order, each
/// template not yet reached from a unit within [`MAX_NESTING`] levels (with what it reaches).
/// Without the second step, the templates of a cycle (`a` nests `b`, `b` nests `a`, or `a`
/// nests itself) and the children past the depth limit were checked by no unit.
fn unit_roots(count: usize, links: &[Vec<Link>]) -> BTreeSet<usize> {
    let children: BTreeSet<usize> = links.iter().flatten().map(|l| l.child).collect();
    let mut roots: BTreeSet<usize> = (0..count).filter(|i| !children.contains(i)).collect();
    let mut reached: BTreeSet<usize> = BTreeSet::new();
    // Breadth-first from `start`: the unit builds a child at depth 1 to MAX_NESTING.
    let reach = |start: usize, reached: &mut BTreeSet<usize>| {
        let mut level = vec![start];
        reached.insert(start);
        for _ in 0..MAX_NESTING {
            let next: Vec<usize> = level
                .iter()
                .flat_map(|&i| links.get(i).into_iter().flatten())
                .map(|l| l.child)
                .filter(|&c| reached.insert(c))
                .collect();
            if next.is_empty() {
                break;
            }
            level = next;
        }
    };
    for &root in &roots {
        reach(root, &mut reached);
    }
    for i in 0..count {
        if !reached.contains(&i) {
            roots.insert(i);
            reach(i, &mut reached);
        }
    }
    roots
}

/// What the nested stacks of one unit used so far (see [`MAX_NESTED_BUILDS`]).
#[derive(Default)]
struct NestedBudget {
    /// Bytes of child template text built.
    text: u64,
    /// File and stack resource of the first call not followed.
    cut: Option<(String, wa_lint_source::Span)>,
}

struct Ctx<'a> {
    files: &'a [LazyFile],
    scanned: &'a [Scanned],
    links: &'a [Vec<Link>],
    exports: &'a BTreeMap<String, &'a Export>,
}

/// What the first pass keeps of a candidate file (its document is not kept).
#[derive(Default)]
struct Scanned {
    /// The file is a template.
    template: bool,
    /// Nested-stack calls to local paths: `(logical ID of the stack resource, target path
    /// relative to the scan root)`.
    targets: Vec<(String, String)>,
    /// The template's exports (name, value).
    exports: Vec<(String, Export)>,
    /// The template mentions `Fn::ImportValue`.
    imports: bool,
    /// Its `cfn::outside-scan-root` warnings.
    escaping: Vec<Diagnostic>,
}

/// Loads `file` and keeps what links it to other templates (nothing when it cannot be read
/// again: the second pass reports that).
fn scan(file: &LazyFile, options: &CfnOptions) -> Scanned {
    let Ok(file) = file.load() else {
        return Scanned::default();
    };
    let Some(root) = load_template(&file) else {
        return Scanned::default();
    };
    Scanned {
        template: true,
        targets: link_targets(&file, &root),
        exports: exports_of(&root, options),
        imports: mentions(&root, "Fn::ImportValue"),
        escaping: escaping_links(&file, &root),
    }
}

impl Ctx<'_> {
    /// The outputs of top-level file `i`: itself and the nested stacks it pulls in. `None`
    /// when it is not a template.
    fn unit(&self, i: usize, options: &CfnOptions) -> Option<Vec<ParseOutput>> {
        let file = match self.files.get(i)?.load() {
            Ok(file) => file,
            Err(unreadable) => return Some(vec![unreadable_output(*unreadable)]),
        };
        let file = &file;
        let scanned = self.scanned.get(i)?;
        let links = self.links.get(i).is_some_and(|l| !l.is_empty());
        let may_import = scanned.imports && !self.exports.is_empty();
        let root = (scanned.template && (links || may_import))
            .then(|| load_template(file))
            .flatten();
        let imported = root.as_ref().and_then(|r| self.import(r, options));
        drop(root);
        let mut out = match imported {
            // Imports resolved: build from the rewritten document.
            Some(root) => build(file, &root, options),
            None => crate::parse_template_with(file, options)?,
        };
        out.diagnostics.extend(scanned.escaping.iter().cloned());
        let mut outs = Vec::new();
        let mut chain = vec![i];
        let mut budget = NestedBudget::default();
        self.nested(i, &out, options, &mut chain, &mut outs, &mut budget);
        if let Some((path, span)) = budget.cut {
            out.diagnostics.push(Diagnostic::at(
                Level::Warning,
                "cfn::nested-limit",
                path,
                Some(span.range),
                format!(
                    "the template and its nested stacks call nested stacks more than {MAX_NESTED_BUILDS} times, or pull in more than {} MiB of template text; this call and the ones after it are not followed",
                    crate::resolve::MAX_RESOLVED_BYTES >> 20
                ),
            ));
        }
        outs.insert(0, out);
        Some(outs)
    }

    /// Appends the nested stacks called by file `i` (whose output is `out`) to `outs`, within
    /// the unit's [`NestedBudget`].
    fn nested(
        &self,
        i: usize,
        out: &ParseOutput,
        options: &CfnOptions,
        chain: &mut Vec<usize>,
        outs: &mut Vec<ParseOutput>,
        budget: &mut NestedBudget,
    ) {
        let Some(graph) = &out.graph else { return };
        for link in self.links.get(i).into_iter().flatten() {
            if chain.contains(&link.child) || chain.len() > MAX_NESTING {
                continue;
            }
            let (Some(lazy), Some(stack)) = (
                self.files.get(link.child),
                graph.resources.get(&link.resource),
            ) else {
                continue; // the stack resource was not created (condition false)
            };
            let text = budget.text.saturating_add(lazy.len() as u64);
            if outs.len() >= MAX_NESTED_BUILDS || text > crate::resolve::MAX_RESOLVED_BYTES {
                if budget.cut.is_none() {
                    let path = self
                        .files
                        .get(i)
                        .map(|f| f.path.clone())
                        .unwrap_or_default();
                    budget.cut = Some((path, stack.header));
                }
                return;
            }
            budget.text = text;
            let file = match lazy.load() {
                Ok(file) => file,
                Err(unreadable) => {
                    outs.push(unreadable_output(*unreadable));
                    continue;
                }
            };
            let file = &file;
            let Some(root) = load_template(file) else {
                continue;
            };
            let mut root = self.import(&root, options).unwrap_or(root);
            let passed = stack.attrs.get("Parameters");
            pass_parameters(&mut root, passed);
            // The user's parameters are the parent's; the child sees what the parent passes.
            let child_options = CfnOptions {
                parameters: BTreeMap::new(),
                ..options.clone()
            };
            let mut child = build(file, &root, &child_options);
            if let Some(g) = &mut child.graph {
                g.called_from = Some(CallSite {
                    span: stack.header,
                    address: stack.address.clone(),
                    unit: graph.unit.path.clone(),
                });
            }
            chain.push(link.child);
            self.nested(link.child, &child, options, chain, outs, budget);
            chain.pop();
            outs.push(child);
        }
    }

    /// `root` with every `Fn::ImportValue` of a known export replaced, or `None` when there is
    /// none to replace.
    fn import(&self, root: &Node, options: &CfnOptions) -> Option<Node> {
        if self.exports.is_empty() || !mentions(root, "Fn::ImportValue") {
            return None;
        }
        let names = resource_names(root);
        let mut resolver = Resolver::new(root, names, options);
        let mut out = root.clone();
        let mut replaced = 0usize;
        if let Value::Map(top) = &mut out.value {
            for section in ["Resources", "Outputs"] {
                if let Some(e) = top.get_mut(section) {
                    replace_imports(&mut e.node, &mut resolver, self.exports, &mut replaced);
                }
            }
        }
        (replaced > 0).then_some(out)
    }
}

/// The output of a file that could not be read again: its diagnostic, no graph.
fn unreadable_output(problem: Diagnostic) -> ParseOutput {
    ParseOutput {
        diagnostics: vec![LazyFile::unread(problem, Level::Error, "it is not checked")],
        ..ParseOutput::default()
    }
}

/// Loads `file` when it is a template.
fn load_template(file: &SourceFile) -> Option<Node> {
    let root = crate::load(file)?.1.ok()?.root?;
    detect::is_template(&root).then_some(root)
}

/// Builds the output of `file` from an already loaded (and rewritten) `root`.
fn build(file: &SourceFile, root: &Node, options: &CfnOptions) -> ParseOutput {
    let mut diagnostics = Vec::new();
    let graph = template::build(file, root, options, &Cell::new(0), &mut diagnostics);
    diagnostics.sort_by_key(|d| (d.range, d.level, d.code.clone()));
    ParseOutput {
        graph: Some(graph),
        diagnostics,
        scenarios: Vec::new(),
    }
}

fn resource_names(root: &Node) -> BTreeSet<&str> {
    match root.get("Resources").map(|n| &n.value) {
        Some(Value::Map(m)) => m.keys().map(String::as_str).collect(),
        _ => BTreeSet::new(),
    }
}

/// True when a map key `key` occurs anywhere in `node`.
fn mentions(node: &Node, key: &str) -> bool {
    match &node.value {
        Value::Map(m) => m.iter().any(|(k, e)| k == key || mentions(&e.node, key)),
        Value::List(items) => items.iter().any(|n| mentions(n, key)),
        _ => false,
    }
}

/// The nested-stack calls of template `root` (file `file`) to local relative paths inside
/// the scan root: `(logical ID, target path)`; the caller keeps those reaching a scanned
/// template.
fn link_targets(file: &SourceFile, root: &Node) -> Vec<(String, String)> {
    let Some(Value::Map(resources)) = root.get("Resources").map(|n| &n.value) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (id, entry) in resources {
        let body = &entry.node;
        let props = body.get("Properties");
        let url = match body.get("Type").and_then(Node::as_str) {
            Some("AWS::CloudFormation::Stack") => body
                .get("Metadata")
                .and_then(|m| m.get("aws:asset:path"))
                .and_then(Node::as_str)
                .or_else(|| {
                    props
                        .and_then(|p| p.get("TemplateURL"))
                        .and_then(Node::as_str)
                }),
            Some("AWS::Serverless::Application") => {
                props.and_then(|p| p.get("Location")).and_then(Node::as_str)
            }
            _ => None,
        };
        if let Some(target) = url.and_then(|u| local_path(&file.path, u)) {
            out.push((id.clone(), target));
        }
    }
    out
}

/// A `cfn::outside-scan-root` warning, located at the path, for every nested-stack
/// `TemplateURL`/`Location` (or CDK `aws:asset:path`) of template `root` that is a local
/// relative path leaving the scan root (`../../etc/passwd`): such a file is never read.
fn escaping_links(file: &SourceFile, root: &Node) -> Vec<Diagnostic> {
    let Some(Value::Map(resources)) = root.get("Resources").map(|n| &n.value) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in resources.values() {
        let body = &entry.node;
        let props = body.get("Properties");
        let url = match body.get("Type").and_then(Node::as_str) {
            Some("AWS::CloudFormation::Stack") => body
                .get("Metadata")
                .and_then(|m| m.get("aws:asset:path"))
                .filter(|n| n.as_str().is_some())
                .or_else(|| props.and_then(|p| p.get("TemplateURL"))),
            Some("AWS::Serverless::Application") => props.and_then(|p| p.get("Location")),
            _ => None,
        };
        let Some((node, text)) = url.and_then(|n| n.as_str().map(|t| (n, t))) else {
            continue;
        };
        let relative_escape = !text.contains("://")
            && !text.is_empty()
            && (text.starts_with('/')
                || (text.split(['/', '\\']).any(|seg| seg == "..")
                    && local_path(&file.path, text).is_none()));
        if relative_escape {
            out.push(
                Diagnostic::at(
                    Level::Warning,
                    "cfn::outside-scan-root",
                    file.path.clone(),
                    node.span.map(|s| s.range),
                    format!("nested template `{text}` is outside the scanned directory; not read"),
                )
                .with_help("only templates inside the scanned directory are followed; scan a common parent directory"),
            );
        }
    }
    out
}

/// `url` resolved against the directory of `parent` (both relative to the scan root, `/`
/// separators), when it is a local relative path that stays inside the scan.
pub(crate) fn local_path(parent: &str, url: &str) -> Option<String> {
    if url.contains("://") || url.starts_with('/') || url.is_empty() || url.contains('\\') {
        return None;
    }
    let mut parts: Vec<&str> = parent.split('/').collect();
    parts.pop(); // the parent's file name
    for seg in url.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Sets each child parameter's `Default` to the value the parent passes (`passed`, the parent's
/// resolved `Parameters` map).
fn pass_parameters(root: &mut Node, passed: Option<&Node>) {
    let Some(Value::Map(passed)) = passed.map(|n| &n.value) else {
        return;
    };
    let Some(Value::Map(params)) = (match &mut root.value {
        Value::Map(top) => top.get_mut("Parameters").map(|e| &mut e.node.value),
        _ => None,
    }) else {
        return;
    };
    for (name, value) in passed {
        if let Some(Value::Map(param)) = params.get_mut(name).map(|e| &mut e.node.value) {
            let mut node = value.node.clone();
            // A list passed to a `CommaDelimitedList` arrives as text in CloudFormation.
            if let Value::List(items) = &node.value {
                if let Some(parts) = items
                    .iter()
                    .map(|n| n.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                {
                    node.value = Value::String(parts.join(","));
                }
            }
            param.insert(
                "Default".to_owned(),
                Entry {
                    key_span: value.key_span,
                    node,
                },
            );
        }
    }
}

/// The exports of template `root`: every `Outputs.<Name>.Export.Name` that resolves to a
/// string, with its resolved value.
fn exports_of(root: &Node, options: &CfnOptions) -> Vec<(String, Export)> {
    let mut out = Vec::new();
    let Some(Value::Map(outputs)) = root.get("Outputs").map(|n| &n.value) else {
        return out;
    };
    let mut resolver = Resolver::new(root, resource_names(root), options);
    for (name, entry) in outputs {
        let (Some(export), Some(value)) = (
            entry.node.get("Export").and_then(|e| e.get("Name")),
            entry.node.get("Value"),
        ) else {
            continue;
        };
        let path = AttrPath::root().key(name.as_str());
        let Some(Value::String(export_name)) = resolver.resolve(export, &path, 0).map(|n| n.value)
        else {
            continue;
        };
        if let Some(node) = resolver.resolve(value, &path, 0) {
            out.push((
                export_name,
                Export {
                    node,
                    span: value.span,
                },
            ));
        }
    }
    out
}

/// Every export of the scan, by name. A name exported twice is dropped (CloudFormation
/// rejects the second stack).
fn unique_exports(scanned: &[Scanned]) -> BTreeMap<String, &Export> {
    let mut out: BTreeMap<String, Vec<&Export>> = BTreeMap::new();
    for (name, export) in scanned.iter().flat_map(|s| &s.exports) {
        out.entry(name.clone()).or_default().push(export);
    }
    out.into_iter()
        .filter_map(|(name, mut v)| (v.len() == 1).then(|| v.pop().map(|e| (name, e)))?)
        .collect()
}

/// Replaces `{"Fn::ImportValue": name}` nodes under `node` whose name resolves to an export.
fn replace_imports(
    node: &mut Node,
    resolver: &mut Resolver<'_>,
    exports: &BTreeMap<String, &Export>,
    replaced: &mut usize,
) {
    let import = match &node.value {
        Value::Map(m) if m.len() == 1 => m.get("Fn::ImportValue").map(|e| e.node.clone()),
        _ => None,
    };
    if let Some(arg) = import {
        let name = resolver
            .resolve_quiet(&arg, 0)
            .and_then(|n| n.as_str().map(str::to_owned));
        if let Some((name, export)) = name.and_then(|n| exports.get_key_value(&n)) {
            let mut value = export.node.clone();
            value.relocate(node.span);
            *node = value.with_provenance(Provenance {
                kind: ProvenanceKind::Export,
                name: name.clone(),
                span: export.span,
            });
            *replaced += 1;
        }
        return;
    }
    match &mut node.value {
        Value::Map(m) => m
            .values_mut()
            .for_each(|e| replace_imports(&mut e.node, resolver, exports, replaced)),
        Value::List(items) => items
            .iter_mut()
            .for_each(|n| replace_imports(n, resolver, exports, replaced)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn local_paths_resolve_against_the_parent_directory_and_stay_in_the_scan() {
        assert_eq!(
            local_path("infra/main.yaml", "./stacks/sg.yaml").as_deref(),
            Some("infra/stacks/sg.yaml")
        );
        assert_eq!(
            local_path("infra/main.yaml", "../shared/net.yaml").as_deref(),
            Some("shared/net.yaml")
        );
        assert_eq!(local_path("main.yaml", "../outside.yaml"), None);
        assert_eq!(
            local_path("main.yaml", "https://s3.amazonaws.com/b/t.yaml"),
            None
        );
        assert_eq!(local_path("main.yaml", "/etc/passwd"), None);
        assert_eq!(
            local_path("a/main.yaml", "b.yaml").as_deref(),
            Some("a/b.yaml")
        );
    }
}
