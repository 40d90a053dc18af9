//! Root-module `variable` and `output` blocks → [`ResourceGraph::declarations`], and the
//! references between them and resources (found in the syntax, so they need no evaluation).
//!
//! - A variable's attributes are evaluated without context (`default`, `sensitive`, …);
//!   its links are the resource attributes of the root module whose expression mentions
//!   `var.<name>`.
//! - An output's `value` is evaluated like any expression of the module; its links are the
//!   resources its expression reads, with the attribute read (`aws_iam_access_key.k.secret` →
//!   `secret`), and — through `module.<call>.<output>` — what the child module's output reads.
//!
//! (<https://developer.hashicorp.com/terraform/language/values/variables>,
//! <https://developer.hashicorp.com/terraform/language/values/outputs>)

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, Traversal, TraversalOperator};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::visit::{visit_traversal, Visit};
use hcl_edit::Span as _;
use wa_lint_graph::{
    AttrPath, DeclarationRef, EdgeKind, Entry, Mode, Node, Origin, Resource, Value, TF_OUTPUT,
    TF_VARIABLE,
};
use wa_lint_source::{SourceFile, Span};

use crate::eval::{Eval, Globals};
use crate::resources::header_range;

/// What one output of a module instance reads: `(resource address, attribute)`.
pub(crate) type Reads = Vec<(String, Option<String>)>;

/// Reads of every module instance's outputs, by `<instance prefix>output.<name>`
/// (`output.secret`, `module.keys.output.secret`, `module.keys["a"].output.secret`).
pub(crate) type OutputReads = BTreeMap<String, Reads>;

/// A reference found in an expression.
enum Mention {
    /// `var.<name>`.
    Var(String),
    /// A resource or data source (`aws_x.y`, `data.aws_x.y`) and the attribute read after it.
    Resource(String, Option<String>),
    /// `module.<call>.<output>`.
    Module(String, String),
}

#[derive(Default)]
struct Mentions(Vec<Mention>);

/// Names a traversal can start with that are not resources.
const NOT_RESOURCES: &[&str] = &[
    "var",
    "local",
    "module",
    "data",
    "path",
    "count",
    "each",
    "self",
    "terraform",
];

fn attr(op: Option<&TraversalOperator>) -> Option<String> {
    match op {
        Some(TraversalOperator::GetAttr(id)) => Some(id.as_str().to_owned()),
        _ => None,
    }
}

/// The first attribute name read in `ops`, skipping indexes and splats.
fn first_attr(ops: &[&TraversalOperator]) -> Option<String> {
    ops.iter().find_map(|op| attr(Some(op)))
}

impl Visit for Mentions {
    fn visit_traversal(&mut self, node: &Traversal) {
        if let Expression::Variable(root) = &node.expr {
            let ops: Vec<&TraversalOperator> = node
                .operators
                .iter()
                .map(hcl_edit::Decorated::value)
                .collect();
            let name = root.as_str();
            let at = |i: usize| attr(ops.get(i).copied());
            let rest = |i: usize| first_attr(ops.get(i..).unwrap_or_default());
            match name {
                "var" => self.0.extend(at(0).map(Mention::Var)),
                "module" => {
                    if let (Some(call), Some(out)) = (at(0), rest(1)) {
                        self.0.push(Mention::Module(call, out));
                    }
                }
                "data" => {
                    if let (Some(t), Some(n)) = (at(0), at(1)) {
                        self.0
                            .push(Mention::Resource(format!("data.{t}.{n}"), rest(2)));
                    }
                }
                _ if NOT_RESOURCES.contains(&name) => {}
                _ => {
                    if let Some(n) = at(0) {
                        self.0
                            .push(Mention::Resource(format!("{name}.{n}"), rest(1)));
                    }
                }
            }
        }
        visit_traversal(self, node);
    }
}

fn mentions(expr: &Expression) -> Vec<Mention> {
    let mut m = Mentions::default();
    m.visit_expr(expr);
    m.0
}

/// What the output blocks of one module instance read. `prefix` is the instance's address
/// prefix (`""`, `module.keys.`); `g.resources` maps `type.name` to instance addresses;
/// `known` holds the reads of the instance's child modules (already instantiated).
pub(crate) fn output_reads(
    parsed: &[(&SourceFile, Body)],
    prefix: &str,
    g: &Globals,
    known: &OutputReads,
) -> OutputReads {
    let mut out = OutputReads::new();
    for (_, body) in parsed {
        for block in body.blocks().filter(|b| b.has_ident("output")) {
            let (Some(label), Some(value)) =
                (block.labels.first(), block.body.get_attribute("value"))
            else {
                continue;
            };
            let reads = reads_of(&value.value, prefix, g, known);
            out.insert(format!("{prefix}output.{}", label.as_str()), reads);
        }
    }
    out
}

/// The resources (instance addresses) and attributes `expr` reads.
fn reads_of(expr: &Expression, prefix: &str, g: &Globals, known: &OutputReads) -> Reads {
    let mut reads = Reads::new();
    for m in mentions(expr) {
        match m {
            Mention::Resource(base, attr) => {
                for address in g.resources.get(&base).into_iter().flatten() {
                    reads.push((address.clone(), attr.clone()));
                }
            }
            Mention::Module(call, output) => {
                // `module.keys.output.secret`, `module.keys[0].output.secret`, …
                let head = format!("{prefix}module.{call}");
                let tail = format!(".output.{output}");
                for (key, child) in known.range(head.clone()..) {
                    if !key.starts_with(&head) {
                        break;
                    }
                    let middle = key.strip_prefix(&head).and_then(|k| k.strip_suffix(&tail));
                    if middle.is_some_and(|m| m.is_empty() || m.starts_with('[')) {
                        reads.extend(child.iter().cloned());
                    }
                }
            }
            Mention::Var(_) => {}
        }
    }
    reads.sort();
    reads.dedup();
    reads
}

/// The declarations of a root module and their links (see the module docs). `reads` are the
/// output reads of the root instance ([`output_reads`] with prefix `""`).
pub(crate) fn root(
    parsed: &[(&SourceFile, Body)],
    g: &Globals,
    reads: &OutputReads,
) -> (Vec<Resource>, Vec<DeclarationRef>) {
    let empty = Globals::default();
    let mut decls = Vec::new();
    let mut links = Vec::new();
    for (src, body) in parsed {
        for block in body.blocks() {
            let (rtype, address) = match (block.ident.as_str(), block.labels.first()) {
                ("variable", Some(l)) => (TF_VARIABLE, format!("var.{}", l.as_str())),
                ("output", Some(l)) => (TF_OUTPUT, format!("output.{}", l.as_str())),
                ("resource", _) => {
                    variable_uses(block, g, &mut links);
                    continue;
                }
                _ => continue,
            };
            let context = if rtype == TF_OUTPUT { g } else { &empty };
            let mut ev = Eval::new(context, src);
            let block_span = ev.sp(block.span());
            let attrs = attributes(&mut ev, &block.body, block_span);
            let header = header_range(block)
                .map(|r| Span {
                    file: src.id,
                    range: r,
                })
                .or(block_span)
                .unwrap_or_default();
            if rtype == TF_OUTPUT {
                for (resource, attr) in reads.get(&address).into_iter().flatten() {
                    links.push(DeclarationRef {
                        declaration: address.clone(),
                        resource: resource.clone(),
                        at: AttrPath::root().key("value"),
                        attr: attr.clone(),
                        kind: EdgeKind::Traversal,
                    });
                }
            }
            decls.push(Resource {
                address,
                origin: Origin::Terraform,
                rtype: rtype.to_owned(),
                mode: Mode::Managed,
                attrs,
                header,
                block: block_span.unwrap_or(header),
                module_path: String::new(),
            });
        }
    }
    (decls, links)
}

/// The attributes of a `variable` / `output` block as a map node (nested blocks such as
/// `validation` are left out).
fn attributes(ev: &mut Eval<'_>, body: &Body, span: Option<Span>) -> Node {
    let mut map = BTreeMap::new();
    for attr in body.attributes() {
        let key = attr.key.as_str();
        ev.at = AttrPath::root().key(key);
        let node = ev.value(&attr.value);
        map.insert(
            key.to_owned(),
            Entry {
                key_span: ev.sp(attr.key.span()),
                node,
            },
        );
    }
    Node::new(Value::Map(map), span)
}

/// Links from every `var.<name>` written in the `resource` block `block` to the attribute
/// path where it is written, for each instance of the resource.
fn variable_uses(block: &Block, g: &Globals, links: &mut Vec<DeclarationRef>) {
    let (Some(t), Some(n)) = (block.labels.first(), block.labels.get(1)) else {
        return;
    };
    let base = format!("{}.{}", t.as_str(), n.as_str());
    let Some(instances) = g.resources.get(&base) else {
        return;
    };
    let mut uses = Vec::new();
    walk(&block.body, &AttrPath::root(), &mut uses);
    for address in instances {
        for (var, at) in &uses {
            links.push(DeclarationRef {
                declaration: format!("var.{var}"),
                resource: address.clone(),
                at: at.clone(),
                attr: None,
                kind: EdgeKind::Traversal,
            });
        }
    }
}

/// `(variable, path)` for each `var.<name>` in `body`; nested blocks are list elements
/// (`ebs_block_device[0].kms_key_id`), as in the resource's attributes.
fn walk(body: &Body, path: &AttrPath, out: &mut Vec<(String, AttrPath)>) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for structure in body {
        match structure {
            Structure::Attribute(attr) => {
                for m in mentions(&attr.value) {
                    if let Mention::Var(v) = m {
                        out.push((v, path.key(attr.key.as_str())));
                    }
                }
            }
            Structure::Block(block) => {
                let ident = block.ident.as_str();
                if ident == "dynamic" {
                    let label = block.labels.first().map_or("dynamic", |l| l.as_str());
                    walk(&block.body, &path.key(label), out);
                    continue;
                }
                let i = counts.entry(ident).or_default();
                walk(&block.body, &path.key(ident).index(*i), out);
                *i += 1;
            }
        }
    }
}
