//! Module instances: a root module and every module it calls, evaluated as Terraform would.
//!
//! A `module` block whose `source` is a local path (`./x`, `../x`) is followed into that
//! directory of the scan; any other source is followed when `terraform init` downloaded it
//! (`.terraform/modules/modules.json` of the root, read by [`crate::load_downloaded_modules`]).
//! Each call is instantiated with its own arguments (not the module's defaults), expanded by its
//! `count` / `for_each`, and its outputs flow back to the caller as `module.<name>.<output>`.
//! Resources of a child get addresses `module.a.module.b.aws_x.y` and keep the spans of the
//! module's own files — except in a downloaded module (files outside the scanned tree): there
//! every value is located at the outermost call in the scanned tree and
//! [`ProvenanceKind::DownloadedModule`] points at the downloaded file.
//! (<https://developer.hashicorp.com/terraform/language/modules/syntax>)

use std::collections::{BTreeMap, BTreeSet};

use hcl_edit::structure::{Block, Body};
use hcl_edit::Span as _;
use wa_lint_graph::{
    Edge, Mode, Node, Origin, ParseOutput, Provenance, ProvenanceKind, Resource, ResourceGraph,
    Unit, Value,
};
use wa_lint_source::{Diagnostic, Level, SourceFile, Span, TextRange};

use crate::eval::files::{join_rel, Fs};
use crate::eval::{Eval, Globals, Named};
use crate::refs::Expansion;
use crate::{declarations, load, locals, policy_doc, resources, ModuleOptions};

/// Deepest chain of module calls followed (`tf::module-depth` beyond).
pub(crate) const MAX_MODULE_DEPTH: usize = 32;

/// Most rounds of re-expanding `count`/`for_each` that read other resources (the length of a
/// chain `a` → `b` → `c` followed).
const MAX_EXPANSION_ROUNDS: usize = 8;

/// Most module instances evaluated for one root (guards against exponential fan-out).
const MAX_MODULE_INSTANCES: usize = 2000;

/// Arguments of a `module` block that are not input variables.
const MODULE_META: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// One directory of `.tf` files, parsed for each root that may read it (`crate::layout`).
pub(crate) struct Dir<'a> {
    pub path: &'a str,
    pub files: &'a [SourceFile],
    pub parsed: Vec<(&'a SourceFile, Body)>,
    /// Syntax diagnostics of the directory's files.
    pub diags: Vec<Diagnostic>,
    /// Read from `.terraform/modules` (outside the scanned tree).
    pub downloaded: bool,
    /// Some of its files could not be read again (their `source::io`/`source::changed` error
    /// is on the root's output): a call to it is not "not found".
    pub unreadable: bool,
}

/// The directories one root may read (`crate::layout::Layout::reads`), and where downloaded
/// modules are.
pub(crate) struct World<'a> {
    pub dirs: BTreeMap<&'a str, Dir<'a>>,
    /// `(root module dir, module key "a.b")` → downloaded module dir.
    pub keys: &'a BTreeMap<(String, String), String>,
    pub options: &'a ModuleOptions,
}

/// How a module instance is called.
struct Call<'c> {
    /// Address prefix of the instance (`""`, `module.a.`, `module.a["k"].`).
    prefix: String,
    /// `modules.json` key of the call (`""` for the root, `a`, `a.b`).
    key: String,
    /// Root module directory.
    root_dir: &'c str,
    /// Input variable values; `None` for the root (tfvars, environment, command line).
    inputs: Option<BTreeMap<String, (Node, Vec<String>)>>,
    /// Call site in the scanned tree and module address, when the instance's files are not
    /// in the scanned tree.
    relocate: Option<(Span, String)>,
    /// Directories on the call stack (cycle detection).
    stack: Vec<&'c str>,
}

/// What a unit accumulates over its module instances.
#[derive(Default)]
struct Acc<'a> {
    resources: BTreeMap<String, Resource>,
    edges: Vec<Edge>,
    diags: Vec<Diagnostic>,
    used: BTreeSet<&'a str>,
    instances: usize,
    /// What the outputs of every instance evaluated so far read (see `declarations`).
    output_reads: declarations::OutputReads,
    /// Root-module variables and outputs.
    declarations: Vec<Resource>,
    declaration_refs: Vec<wa_lint_graph::DeclarationRef>,
    /// The unit's evaluation budget, shared by its instances' [`Globals`].
    budget: std::sync::Arc<crate::eval::Budget>,
    /// Paths the file functions of every instance resolved (`Fs::reads`).
    files_read: std::sync::Arc<std::sync::Mutex<BTreeSet<String>>>,
}

/// Outputs of one module instance: value and the resource instances it refers to.
type Outputs = BTreeMap<String, (Node, Vec<String>)>;

/// True for a local module source (`./x`, `../x`).
pub(crate) fn is_local_source(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

/// The literal `source` of a module block.
pub(crate) fn literal_source(block: &Block) -> Option<String> {
    match &block.body.get_attribute("source")?.value {
        hcl_edit::expr::Expression::String(s) => Some(s.value().clone()),
        _ => None,
    }
}

impl<'a> World<'a> {
    /// Evaluates root module `root` with every module it calls into one unit.
    pub(crate) fn evaluate_root(&self, root: &str) -> ParseOutput {
        let mut acc = Acc::default();
        if let Some(dir) = self.dirs.get(root) {
            let call = Call {
                prefix: String::new(),
                key: String::new(),
                root_dir: root,
                inputs: None,
                relocate: None,
                stack: vec![root],
            };
            self.instantiate(dir, &call, &mut acc);
        }
        let mut files: Vec<(wa_lint_source::FileId, String)> = acc
            .used
            .iter()
            .filter_map(|d| self.dirs.get(d))
            .flat_map(|d| d.files.iter().map(|f| (f.id, f.path.clone())))
            .collect();
        files.sort_by(|a, b| a.1.cmp(&b.1));
        let mut graph = ResourceGraph::new(Unit {
            origin: Origin::Terraform,
            path: root.to_owned(),
            files,
        });
        graph.resources = acc.resources;
        graph.edges = acc.edges;
        graph.declarations = acc
            .declarations
            .into_iter()
            .map(|d| (d.address.clone(), d))
            .collect();
        graph.declaration_refs = acc.declaration_refs;
        graph.files_read = acc
            .files_read
            .lock()
            .map(|reads| reads.iter().cloned().collect())
            .unwrap_or_default();
        graph.finish();
        let mut diagnostics = acc.diags;
        for d in acc.used.iter().filter_map(|d| self.dirs.get(d)) {
            diagnostics.extend(d.diags.iter().cloned());
        }
        diagnostics.sort();
        diagnostics.dedup();
        ParseOutput {
            graph: Some(graph),
            diagnostics,
            scenarios: Vec::new(),
        }
    }

    /// Evaluates one module instance: its resources go to `acc`, its outputs are returned.
    fn instantiate<'w>(&'w self, dir: &'w Dir<'a>, call: &Call<'w>, acc: &mut Acc<'w>) -> Outputs {
        acc.used.insert(dir.path);
        acc.instances += 1;
        let mut diags = Vec::new();
        let mut g = Globals {
            prefix: call.prefix.clone(),
            budget: std::sync::Arc::clone(&acc.budget),
            fs: Some(Fs {
                scan_root: self.options.scan_root.clone(),
                root_dir: call.root_dir.to_owned(),
                module_dir: dir.path.to_owned(),
                reads: std::sync::Arc::clone(&acc.files_read),
            }),
            ..Globals::default()
        };
        g.declared = Some(
            dir.parsed
                .iter()
                .flat_map(|(_, body)| body.blocks())
                .filter_map(|b| match (b.ident.as_str(), b.labels.as_slice()) {
                    ("resource", [t, n]) => Some(format!("{}.{}", t.as_str(), n.as_str())),
                    ("data", [t, n]) => Some(format!("data.{}.{}", t.as_str(), n.as_str())),
                    _ => None,
                })
                .collect(),
        );
        let decls = load::declare_variables(&dir.parsed, &mut g, &mut diags);
        match &call.inputs {
            None => {
                crate::apply_raw_vars(&self.options.env_vars, &mut g);
                load::apply_tfvars(&load::auto_tfvars(dir.files), &mut g, &mut diags);
                // `-var-file` and `-var` interleaved, in command-line order.
                for source in self.options.var_sources() {
                    match source {
                        crate::VarSource::File(i) => {
                            if let Some(f) = self.options.var_files.get(i) {
                                load::apply_tfvars(&[f], &mut g, &mut diags);
                            }
                        }
                        crate::VarSource::Var(i) => {
                            if let Some(v) = self.options.vars.get(i) {
                                crate::apply_raw_vars(std::slice::from_ref(v), &mut g);
                            }
                        }
                    }
                }
            }
            Some(inputs) => {
                for (name, (node, refs)) in inputs {
                    if let Some(var) = g.vars.get_mut(name) {
                        *var = Named {
                            node: node.clone(),
                            kind: ProvenanceKind::VariableValue,
                        };
                        g.var_refs.insert(name.clone(), refs.clone());
                    }
                }
            }
        }
        load::finish_variables(&decls, &mut g, &mut diags);

        let mut module_diags = Vec::new();
        locals::evaluate_locals_and_modules(
            &dir.parsed,
            &mut g,
            &mut diags,
            &mut |g: &mut Globals, name: &str, src: &SourceFile, block: &Block| {
                self.call_module(g, name, src, block, dir, call, acc, &mut module_diags);
            },
        );
        diags.append(&mut module_diags);

        Self::resources(dir, call, &mut g, acc, &mut diags);
        let outputs = outputs(dir, &g, &mut diags);
        let reads = declarations::output_reads(&dir.parsed, &call.prefix, &g, &acc.output_reads);
        if call.inputs.is_none() {
            let (decls, links) = declarations::root(&dir.parsed, &g, &reads);
            acc.declarations.extend(decls);
            acc.declaration_refs.extend(links);
        }
        acc.output_reads.extend(reads);
        acc.diags.append(&mut diags);
        outputs
    }

    /// `resource` / `data` blocks of one instance into `acc`.
    fn resources<'w>(
        dir: &'w Dir<'a>,
        call: &Call<'w>,
        g: &mut Globals,
        acc: &mut Acc<'w>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let blocks = resources::collect(&dir.parsed, diags);
        let prefixed = |mut instances: Vec<resources::Instance>| {
            for inst in &mut instances {
                inst.address = format!("{}{}", call.prefix, inst.address);
            }
            instances
        };
        let mut expanded: Vec<Vec<resources::Instance>> = blocks
            .iter()
            .map(|rb| prefixed(resources::expand(rb, g, None, diags)))
            .collect();
        for (rb, instances) in blocks.iter().zip(&expanded) {
            if rb.valid {
                g.resources
                    .entry(rb.base.clone())
                    .or_default()
                    .extend(instances.iter().map(|i| i.address.clone()));
                g.expansions.insert(
                    rb.base.clone(),
                    resources::expansion(rb.block, &rb.base, instances),
                );
            }
        }
        // `count`/`for_each` that read other resources (`for_each = aws_iam_user.m`,
        // `count = length(aws_x.y)`, `toset(aws_x.y[*].name)`): expanded again once the
        // resources they read are, in rounds (chains), while some expansion becomes known.
        for _ in 0..MAX_EXPANSION_ROUNDS {
            let res = crate::refs::Resolver::new(&blocks, &expanded);
            let mut changed = Vec::new();
            for (i, rb) in blocks.iter().enumerate() {
                if !rb.valid || g.expansions.get(&rb.base) != Some(&Expansion::Symbolic) {
                    continue;
                }
                let mut round_diags = Vec::new();
                let instances = prefixed(resources::expand(rb, g, Some(&res), &mut round_diags));
                let expansion = resources::expansion(rb.block, &rb.base, &instances);
                if expansion != Expansion::Symbolic {
                    changed.push((i, instances, expansion, round_diags));
                }
            }
            drop(res);
            if changed.is_empty() {
                break;
            }
            for (i, instances, expansion, mut round_diags) in changed {
                let Some(rb) = blocks.get(i) else { continue };
                g.resources.insert(
                    rb.base.clone(),
                    instances.iter().map(|i| i.address.clone()).collect(),
                );
                g.expansions.insert(rb.base.clone(), expansion);
                if let Some(slot) = expanded.get_mut(i) {
                    *slot = instances;
                }
                diags.append(&mut round_diags);
            }
        }
        // Policy documents first, so `data.aws_iam_policy_document.x.json` resolves everywhere.
        let is_doc = |rb: &resources::RBlock<'_>| {
            rb.mode == Mode::Data && rb.rtype == "aws_iam_policy_document"
        };
        // A document can merge others (`source_policy_documents = [data.….json]`): documents
        // are built once their documents are, in rounds; in a cycle they stay Unknown.
        let mut pending: Vec<(&resources::RBlock<'_>, &resources::Instance)> = blocks
            .iter()
            .zip(&expanded)
            .filter(|(rb, _)| rb.valid && is_doc(rb))
            .flat_map(|(rb, instances)| instances.iter().map(move |i| (rb, i)))
            .collect();
        let doc_addresses: BTreeSet<String> =
            pending.iter().map(|(_, i)| i.address.clone()).collect();
        while !pending.is_empty() {
            let res = crate::refs::Resolver::new(&blocks, &expanded);
            let mut built = Vec::new();
            let mut waiting = Vec::new();
            for (rb, inst) in pending {
                let mut edges = Vec::new();
                let resource =
                    resources::build(rb, inst, g, Some(&res), &mut edges, &mut Vec::new());
                let blocked = edges.iter().any(|e| {
                    e.to != inst.address
                        && doc_addresses.contains(&e.to)
                        && !g.policy_docs.contains_key(&e.to)
                });
                if blocked {
                    waiting.push((rb, inst, resource));
                } else {
                    built.push((resource.address, policy_doc::iam_document(&resource.attrs)));
                }
            }
            if built.is_empty() {
                // A cycle: what is left is built with the references still unknown.
                for (_, _, resource) in waiting {
                    g.policy_docs.insert(
                        resource.address.clone(),
                        policy_doc::iam_document(&resource.attrs),
                    );
                }
                break;
            }
            g.policy_docs.extend(built);
            pending = waiting.into_iter().map(|(rb, i, _)| (rb, i)).collect();
        }
        // A fresh resolver: what the first one built did not see the policy documents.
        let res = crate::refs::Resolver::new(&blocks, &expanded);
        let module_path = call.prefix.trim_end_matches('.').to_owned();
        for (rb, instances) in blocks.iter().zip(&expanded) {
            for inst in instances {
                let mut resource = resources::build(rb, inst, g, Some(&res), &mut acc.edges, diags);
                resource.module_path.clone_from(&module_path);
                if let Some((at, module)) = &call.relocate {
                    relocate(&mut resource, *at, module);
                }
                if rb.valid {
                    acc.resources.insert(resource.address.clone(), resource);
                }
            }
        }
        // Outputs read configured attributes without a resolver.
        let configured = res.all(g);
        g.configured = configured;
    }

    /// Evaluates the `module "name"` call `block` of `dir` into `g.modules`.
    #[allow(clippy::too_many_arguments)]
    fn call_module<'w>(
        &'w self,
        g: &mut Globals,
        name: &str,
        src: &SourceFile,
        block: &Block,
        dir: &'w Dir<'a>,
        call: &Call<'w>,
        acc: &mut Acc<'w>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let address = format!("{}module.{name}", call.prefix);
        // Arguments that read the module's own outputs see them as unknown.
        g.modules.insert(
            name.to_owned(),
            Named {
                node: Node::unknown(
                    format!("outputs of `{address}` used in its own arguments are not resolved"),
                    None,
                ),
                kind: ProvenanceKind::ModuleOutput,
            },
        );
        let key = if call.key.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", call.key)
        };
        let source_attr = block.body.get_attribute("source");
        let source_range = source_attr
            .and_then(hcl_edit::Span::span)
            .or_else(|| resources::header_range(block).map(|r| r.start as usize..r.end as usize))
            .map(|r| TextRange::new(r.start, r.end));
        let source = literal_source(block);
        let target: Option<&'w Dir<'a>> = match &source {
            Some(s) if is_local_source(s) => join_rel(dir.path, s)
                .and_then(|t| self.dirs.get(t.as_str()))
                .filter(|d| !d.parsed.is_empty() || !d.files.is_empty() || d.unreadable),
            Some(_) => self
                .keys
                .get(&(call.root_dir.to_owned(), key.clone()))
                .and_then(|d| self.dirs.get(d.as_str())),
            None => None,
        };
        let unknown = |g: &mut Globals, reason: String| {
            g.modules.insert(
                name.to_owned(),
                Named {
                    node: Node::unknown(reason, None),
                    kind: ProvenanceKind::ModuleOutput,
                },
            );
        };
        let local = source.as_deref().filter(|s| is_local_source(s));
        if let (None, Some(s), Some(resolved)) =
            (target, local, local.and_then(|s| join_rel(dir.path, s)))
        {
            diags.push(
                Diagnostic::at(
                    Level::Warning,
                    "tf::module-not-found",
                    src.path.clone(),
                    source_range,
                    format!(
                        "module `{address}`: local source \"{s}\" resolves to `{resolved}`, \
                         which holds no Terraform files of the scan"
                    ),
                )
                .with_help(
                    "check the path (relative to the calling module's directory); the \
                     module's resources are not checked and its outputs are treated as unknown",
                ),
            );
            unknown(
                g,
                format!("module `{address}` (source \"{s}\") is not found"),
            );
            return;
        }
        let Some(target) = target else {
            let shown = source.as_deref().unwrap_or("(not a literal string)");
            diags.push(
                Diagnostic::at(
                    Level::Note,
                    "tf::module-not-followed",
                    src.path.clone(),
                    source_range,
                    format!("module `{address}` (source \"{shown}\") is not followed"),
                )
                .with_help(if local.is_some() {
                    "a local module outside the scanned directory is not read; scan a \
                     directory holding both; its outputs are treated as unknown"
                } else {
                    "run `terraform init` so remote modules are under .terraform/modules; its \
                     outputs are treated as unknown"
                }),
            );
            unknown(g, format!("module `{address}` is not followed"));
            return;
        };
        if call.stack.contains(&target.path) {
            diags.push(Diagnostic::error(
                "tf::module-cycle",
                src.path.clone(),
                source_range,
                format!(
                    "module `{address}` calls directory `{}`, which is already being evaluated",
                    target.path
                ),
            ));
            unknown(g, format!("module `{address}` is part of a cycle"));
            return;
        }
        if call.stack.len() > MAX_MODULE_DEPTH || acc.instances >= MAX_MODULE_INSTANCES {
            diags.push(Diagnostic::error(
                "tf::module-depth",
                src.path.clone(),
                source_range,
                format!(
                    "module `{address}` is nested more than {MAX_MODULE_DEPTH} deep or exceeds \
                     {MAX_MODULE_INSTANCES} module instances; not followed"
                ),
            ));
            unknown(g, format!("module `{address}` is nested too deeply"));
            return;
        }

        let base = format!("module.{name}");
        let instances = resources::expand_block(src, block, &base, g, None, diags);
        let mut stack = call.stack.clone();
        stack.push(target.path);
        let relocate = call.relocate.clone().or_else(|| {
            target.downloaded.then(|| {
                let at = block
                    .span()
                    .map_or_else(Span::default, |r| src.span(r.start, r.end));
                (at, address.clone())
            })
        });
        let mut results: Vec<(String, Outputs)> = Vec::new();
        let mut symbolic = None;
        for inst in &instances {
            let mut ev = Eval::new(g, src);
            let inputs = ev.with_frame(inst.frame.clone(), |ev| {
                block
                    .body
                    .attributes()
                    .filter(|a| !MODULE_META.contains(&a.key.as_str()))
                    .map(|a| {
                        let node = ev.value(&a.value);
                        let refs = std::mem::take(&mut ev.refs)
                            .into_iter()
                            .map(|(t, _)| t)
                            .collect();
                        (a.key.as_str().to_owned(), (node, refs))
                    })
                    .collect::<BTreeMap<_, _>>()
            });
            diags.append(&mut ev.diags);
            if inst.address == base && !inst.frame.is_empty() {
                symbolic = inst.frame.values().find_map(|n| {
                    wa_lint_graph::Node::get(n, "index")
                        .or_else(|| n.get("key"))
                        .and_then(|k| match &k.value {
                            Value::Unknown(r) => Some(r.clone()),
                            _ => None,
                        })
                });
            }
            let child = Call {
                prefix: format!("{}{}.", call.prefix, inst.address),
                key: key.clone(),
                root_dir: call.root_dir,
                inputs: Some(inputs),
                relocate: relocate.clone(),
                stack: stack.clone(),
            };
            let outs = self.instantiate(target, &child, acc);
            results.push((inst.address.clone(), outs));
        }

        let refs: Vec<String> = results
            .iter()
            .flat_map(|(_, o)| o.values().flat_map(|(_, r)| r.iter().cloned()))
            .collect();
        g.module_refs.insert(name.to_owned(), refs);
        let span = block.span().map(|r| src.span(r.start, r.end));
        let object = |outs: Outputs| {
            crate::eval::values::map_node(outs.into_iter().map(|(k, (n, _))| (k, n)), span)
        };
        let has_count = block.body.get_attribute("count").is_some();
        let has_for_each = block.body.get_attribute("for_each").is_some();
        let node = if let Some(reason) = symbolic {
            Node::unknown(reason, span)
        } else if has_count {
            Node::new(
                Value::List(results.into_iter().map(|(_, o)| object(o)).collect()),
                span,
            )
        } else if has_for_each {
            let prefix_len = base.len();
            crate::eval::values::map_node(
                results.into_iter().map(|(address, o)| {
                    let key = address
                        .get(prefix_len..)
                        .and_then(|k| k.strip_prefix("[\""))
                        .and_then(|k| k.strip_suffix("\"]"))
                        .unwrap_or_default()
                        .replace("\\\"", "\"")
                        .replace("\\\\", "\\");
                    (key, object(o))
                }),
                span,
            )
        } else {
            results
                .into_iter()
                .next()
                .map_or_else(|| Node::new(Value::Null, span), |(_, o)| object(o))
        };
        g.modules.insert(
            name.to_owned(),
            Named {
                node,
                kind: ProvenanceKind::ModuleOutput,
            },
        );
    }
}

/// `output` blocks of an instance: value and the resource instances it refers to.
fn outputs(dir: &Dir<'_>, g: &Globals, diags: &mut Vec<Diagnostic>) -> Outputs {
    let mut out = Outputs::new();
    for (src, body) in &dir.parsed {
        for block in body.blocks().filter(|b| b.has_ident("output")) {
            let (Some(label), Some(value)) =
                (block.labels.first(), block.body.get_attribute("value"))
            else {
                continue;
            };
            let mut ev = Eval::new(g, src);
            let node = ev.value(&value.value);
            let refs = ev.refs.drain(..).map(|(t, _)| t).collect();
            diags.append(&mut ev.diags);
            out.insert(label.as_str().to_owned(), (node, refs));
        }
    }
    out
}

/// Locates every value of `resource` at `at` (a call site in the scanned tree); the original
/// location becomes a [`ProvenanceKind::DownloadedModule`] provenance unless the value already
/// has one.
fn relocate(resource: &mut Resource, at: Span, module: &str) {
    fn walk(node: &mut Node, at: Span, module: &str) {
        if node.provenance.is_none() {
            if let Some(original) = node.span {
                node.provenance = Some(Box::new(Provenance {
                    kind: ProvenanceKind::DownloadedModule,
                    name: module.to_owned(),
                    span: Some(original),
                }));
            }
        }
        node.span = Some(at);
        match &mut node.value {
            Value::List(items) => items.iter_mut().for_each(|n| walk(n, at, module)),
            Value::Map(map) => map.values_mut().for_each(|e| {
                e.key_span = Some(at);
                walk(&mut e.node, at, module);
            }),
            _ => {}
        }
    }
    resource.header = at;
    resource.block = at;
    walk(&mut resource.attrs, at, module);
    // The top map itself is not a value a rule points at.
    resource.attrs.provenance = None;
}
