//! `resource` and `data` blocks → [`Resource`]s: `count`/`for_each` expansion, nested and
//! `dynamic` blocks, edges.

use std::collections::BTreeMap;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::Span as _;
use wa_lint_graph::{AttrPath, Edge, EdgeKind, Entry, Mode, Node, Origin, Resource, Value};
use wa_lint_source::{Diagnostic, Level, SourceFile, Span, TextRange};

use crate::eval::values::{map_node, to_int, to_str};
use crate::eval::{instance_address, iteration_pairs, Eval, Globals};
use crate::refs::{Expansion, Resolver};

/// Most instances expanded from one `count`/`for_each` (more are dropped with a warning).
const MAX_INSTANCES: usize = 1000;

/// Meta-arguments that are not attributes of the resource.
const META_ATTRS: &[&str] = &["count", "for_each", "depends_on", "provider"];
/// Meta blocks that are not attributes of the resource.
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

/// A `resource`/`data` block with valid labels.
pub(crate) struct RBlock<'a> {
    pub src: &'a SourceFile,
    pub block: &'a Block,
    pub mode: Mode,
    pub rtype: String,
    /// `aws_s3_bucket.data` / `data.t.n`.
    pub base: String,
    /// False when the block is invalid (kept for its diagnostics, not added to the graph).
    pub valid: bool,
}

/// One instance of a block: its address and `count`/`each` bindings.
pub(crate) struct Instance {
    pub address: String,
    pub frame: BTreeMap<String, Node>,
}

/// Collects the `resource` and `data` blocks of the parsed files.
pub(crate) fn collect<'a>(
    parsed: &'a [(&'a SourceFile, Body)],
    diags: &mut Vec<Diagnostic>,
) -> Vec<RBlock<'a>> {
    let mut out = Vec::new();
    for (src, body) in parsed {
        for block in body.blocks() {
            let mode = match block.ident.as_str() {
                "resource" => Mode::Managed,
                "data" => Mode::Data,
                _ => continue,
            };
            let header = header_range(block);
            let (Some(t), Some(n), 2) = (
                block.labels.first(),
                block.labels.get(1),
                block.labels.len(),
            ) else {
                diags.push(Diagnostic::error(
                    "tf::invalid-block",
                    src.path.clone(),
                    header,
                    format!(
                        "a {} block needs exactly two labels: type and name",
                        block.ident.as_str()
                    ),
                ));
                continue;
            };
            let (rtype, name) = (t.as_str().to_owned(), n.as_str().to_owned());
            let valid = !rtype.is_empty() && !name.is_empty();
            if !valid {
                let range = if name.is_empty() { n.span() } else { t.span() }
                    .map(|r| TextRange::new(r.start, r.end));
                diags.push(Diagnostic::error(
                    "tf::invalid-block",
                    src.path.clone(),
                    range.or(header),
                    format!("{} type and name must not be empty", block.ident.as_str()),
                ));
            }
            let base = match mode {
                Mode::Managed => format!("{rtype}.{name}"),
                Mode::Data => format!("data.{rtype}.{name}"),
            };
            // Terraform: "Duplicate resource configuration"; the first declaration is kept.
            let first = out
                .iter()
                .find(|o: &&RBlock<'_>| o.valid && o.base == base)
                .map(|o| (o.src, header_range(o.block)));
            let valid = match (valid, first) {
                (true, Some((first_src, first_range))) => {
                    let first_at = first_range.map_or_else(
                        || first_src.path.clone(),
                        |r| {
                            let lc = first_src.line_col(r.start);
                            format!("{}:{}:{}", first_src.path, lc.line, lc.column)
                        },
                    );
                    let mut d = Diagnostic::error(
                        "tf::duplicate-resource",
                        src.path.clone(),
                        header,
                        format!(
                            "duplicate {} `{base}`: already declared at {first_at}; names must \
                             be unique per type in each module",
                            if mode == Mode::Managed {
                                "resource"
                            } else {
                                "data source"
                            }
                        ),
                    )
                    .with_help("rename or remove one; only the first declaration is checked");
                    if let (true, Some(r)) = (first_src.id == src.id, first_range) {
                        d = d.with_related(r, "first declared here");
                    }
                    diags.push(d);
                    false
                }
                (v, _) => v,
            };
            out.push(RBlock {
                src,
                block,
                mode,
                rtype,
                base,
                valid,
            });
        }
    }
    out
}

pub(crate) fn header_range(block: &Block) -> Option<TextRange> {
    let start = block.ident.span()?.start;
    let end = block
        .labels
        .last()
        .and_then(hcl_edit::Span::span)
        .or_else(|| block.ident.span())?
        .end;
    Some(TextRange::new(start, end))
}

/// The instances of a block from its `count` / `for_each`; references to other resources of
/// the module instance resolve through `res` when given (see [`crate::refs`]).
pub(crate) fn expand(
    rb: &RBlock<'_>,
    g: &Globals,
    res: Option<&Resolver<'_>>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Instance> {
    expand_block(rb.src, rb.block, &rb.base, g, res, diags)
}

/// Functions whose result is a list or tuple, never a set or map: `for_each` over them is an
/// error in Terraform (<https://developer.hashicorp.com/terraform/language/meta-arguments/for_each>).
const LIST_FUNCTIONS: &[&str] = &[
    "tolist",
    "concat",
    "split",
    "keys",
    "values",
    "flatten",
    "compact",
    "distinct",
    "sort",
    "reverse",
    "slice",
    "range",
    "chunklist",
    "matchkeys",
    "formatlist",
    "regexall",
];

/// When `expr` is syntactically a list or tuple (a `[…]` literal, a `[for …]` expression, a
/// call of a list-returning function): its description for the error message.
fn list_syntax(expr: &Expression) -> Option<&'static str> {
    match expr {
        Expression::Array(_) => Some("a tuple"),
        Expression::ForExpr(f) if f.key_expr.is_none() => Some("a tuple (a `[for …]` expression)"),
        Expression::FuncCall(f)
            if f.name.namespace.is_empty() && LIST_FUNCTIONS.contains(&f.name.name.as_str()) =>
        {
            Some("a list")
        }
        Expression::Parenthesis(p) => list_syntax(p.inner()),
        _ => None,
    }
}

/// The instances of a `resource`, `data` or `module` block from its `count` / `for_each`:
/// addresses `base`, `base[0]`, `base["k"]` (unprefixed). An undecidable `count`/`for_each`
/// keeps one instance at `base` whose `count.index` / `each.*` are Unknown; so does an invalid
/// one (a located `tf::invalid-count` / `tf::invalid-for-each` error, as Terraform rejects it:
/// a negative, fractional or null `count`, both meta-arguments, `for_each` over a list or a
/// value that is neither a map nor a set of strings).
pub(crate) fn expand_block(
    src: &SourceFile,
    block: &Block,
    base: &str,
    g: &Globals,
    res: Option<&Resolver<'_>>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Instance> {
    let mut ev = Eval::new(g, src).with_resolver(res);
    let body = &block.body;
    let mut instances = Vec::new();
    let single = |frame| {
        vec![Instance {
            address: base.to_owned(),
            frame,
        }]
    };
    let invalid = |diags: &mut Vec<Diagnostic>,
                   code: &str,
                   range: Option<std::ops::Range<usize>>,
                   message: String| {
        diags.push(
            Diagnostic::error(
                code,
                src.path.clone(),
                range
                    .map(|r| TextRange::new(r.start, r.end))
                    .or_else(|| header_range(block)),
                message,
            )
            .with_help(
                "Terraform rejects this configuration; the block is checked as one instance \
                 whose `count.index` / `each` are unknown",
            ),
        );
    };
    let count_attr = body.get_attribute("count");
    let for_each_attr = body.get_attribute("for_each");
    if let (Some(_), Some(fe)) = (count_attr, for_each_attr) {
        let message =
            format!("`{base}` sets both `count` and `for_each`; they are mutually exclusive");
        invalid(diags, "tf::invalid-count", fe.key.span(), message.clone());
        let span = ev.sp(fe.span());
        let u = || Node::unknown(message.clone(), span);
        let mut frame = one("each", [("key", u()), ("value", u())], span);
        frame.extend(one("count", [("index", u())], span));
        return single(frame);
    }
    if let Some(count) = count_attr {
        let node = ev.value(&count.value);
        diags.append(&mut ev.diags);
        let symbolic = |reason: String| {
            single(one(
                "count",
                [("index", Node::unknown(reason, node.span))],
                node.span,
            ))
        };
        let n = match &node.value {
            Value::Unknown(reason) => return symbolic(reason.clone()),
            Value::Null => Err("`count` is null; an integer is required".to_owned()),
            v => match to_int(v) {
                Ok(n) if n < 0 => Err(format!("`count` is {n}; it must not be negative")),
                Ok(n) => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
                Err(e) => Err(format!("`count` must be a whole number: {e}")),
            },
        };
        let n = match n {
            Ok(n) => n,
            Err(message) => {
                invalid(
                    diags,
                    "tf::invalid-count",
                    count.value.span(),
                    message.clone(),
                );
                return symbolic(message);
            }
        };
        for i in 0..n.min(MAX_INSTANCES) {
            let index = Node::new(
                Value::Number(wa_lint_graph::Number::Int(
                    i64::try_from(i).unwrap_or(i64::MAX),
                )),
                node.span,
            );
            instances.push(Instance {
                address: format!("{base}[{i}]"),
                frame: one("count", [("index", index)], node.span),
            });
        }
        warn_truncated(src, block, base, n, diags);
        return instances;
    }
    let Some(for_each) = for_each_attr else {
        return single(BTreeMap::new());
    };
    let node = ev.value(&for_each.value);
    diags.append(&mut ev.diags);
    let span = node.span;
    let unknown = |reason: &str| {
        let u = || Node::unknown(reason, span);
        single(one("each", [("key", u()), ("value", u())], span))
    };
    let mut reject = |message: String| {
        invalid(
            diags,
            "tf::invalid-for-each",
            for_each.value.span(),
            message.clone(),
        );
        unknown(&message)
    };
    if let Some(kind) = list_syntax(&for_each.value) {
        return reject(format!(
            "`for_each` of `{base}` is {kind}; it must be a map or a set of strings \
             (wrap it in `toset(…)`)"
        ));
    }
    let pairs: Vec<(String, Node)> = match node.value {
        Value::Unknown(reason) => return unknown(&reason),
        Value::Map(map) => map.into_iter().map(|(k, e)| (k, e.node)).collect(),
        Value::List(items) => {
            let keys: Result<Vec<_>, _> = items.iter().map(|n| to_str(&n.value)).collect();
            match keys {
                Ok(keys) => keys.into_iter().zip(items).collect(),
                Err(_) => return unknown("`for_each` elements are not all known strings"),
            }
        }
        Value::Null => return reject(format!("`for_each` of `{base}` is null")),
        other => {
            return reject(format!(
                "`for_each` of `{base}` is a {}; it must be a map or a set of strings",
                crate::eval::values::type_name(&other)
            ))
        }
    };
    let total = pairs.len();
    for (key, value) in pairs.into_iter().take(MAX_INSTANCES) {
        let address =
            instance_address(base, &Value::String(key.clone())).unwrap_or_else(|| base.to_owned());
        let key_node = Node::new(Value::String(key), span);
        instances.push(Instance {
            address,
            frame: one("each", [("key", key_node), ("value", value)], span),
        });
    }
    warn_truncated(src, block, base, total, diags);
    instances
}

fn one<const N: usize>(
    name: &str,
    fields: [(&str, Node); N],
    span: Option<Span>,
) -> BTreeMap<String, Node> {
    let node = map_node(fields.into_iter().map(|(k, v)| (k.to_owned(), v)), span);
    BTreeMap::from([(name.to_owned(), node)])
}

fn warn_truncated(
    src: &SourceFile,
    block: &Block,
    base: &str,
    n: usize,
    diags: &mut Vec<Diagnostic>,
) {
    if n > MAX_INSTANCES {
        diags.push(Diagnostic::at(
            Level::Warning,
            "tf::too-many-instances",
            src.path.clone(),
            header_range(block),
            format!(
                "`{base}` expands to {n} instances; only the first {MAX_INSTANCES} are checked"
            ),
        ));
    }
}

/// Builds the resource for one instance; edges go to `edges`. References to other resources
/// resolve through `res` when given (see [`crate::refs`]).
pub(crate) fn build(
    rb: &RBlock<'_>,
    inst: &Instance,
    g: &Globals,
    res: Option<&Resolver<'_>>,
    edges: &mut Vec<Edge>,
    diags: &mut Vec<Diagnostic>,
) -> Resource {
    if let Some(res) = res {
        res.enter(&inst.address);
    }
    let resource = build_inner(rb, inst, g, res, edges, diags);
    if let Some(res) = res {
        res.leave(&inst.address);
    }
    resource
}

fn build_inner(
    rb: &RBlock<'_>,
    inst: &Instance,
    g: &Globals,
    res: Option<&Resolver<'_>>,
    edges: &mut Vec<Edge>,
    diags: &mut Vec<Diagnostic>,
) -> Resource {
    let mut ev = Eval::new(g, rb.src).with_resolver(res);
    let block_span = ev.sp(rb.block.span());
    let attrs = ev.with_frame(inst.frame.clone(), |ev| {
        let attrs = body_attrs(ev, &rb.block.body, &AttrPath::root(), true, block_span);
        let traversals = std::mem::take(&mut ev.refs);
        if let Some(dep) = rb.block.body.get_attribute("depends_on") {
            ev.at = AttrPath::root();
            if let Expression::Array(items) = &dep.value {
                for item in items {
                    let _ = ev.value(item);
                }
            }
        }
        let depends = std::mem::take(&mut ev.refs);
        let edge = |(to, at): (String, AttrPath), kind| Edge {
            from: inst.address.clone(),
            to,
            at,
            kind,
        };
        edges.extend(traversals.into_iter().map(|r| edge(r, EdgeKind::Traversal)));
        edges.extend(depends.into_iter().map(|r| edge(r, EdgeKind::DependsOn)));
        attrs
    });
    diags.append(&mut ev.diags);
    let header = header_range(rb.block).map_or(block_span.unwrap_or_default(), |r| Span {
        file: rb.src.id,
        range: r,
    });
    Resource {
        address: inst.address.clone(),
        origin: Origin::Terraform,
        rtype: rb.rtype.clone(),
        mode: rb.mode,
        attrs,
        header,
        block: block_span.unwrap_or(header),
        module_path: String::new(),
    }
}

/// A resource body as configured (meta-arguments left out, JSON strings not decoded): what a
/// reference to the resource reads.
pub(crate) fn body_attrs_raw(ev: &mut Eval<'_>, body: &Body, span: Option<Span>) -> Node {
    ev.raw_json = true;
    body_attrs(ev, body, &AttrPath::root(), true, span)
}

/// How `block` is expanded, given its instances.
pub(crate) fn expansion(block: &Block, base: &str, instances: &[Instance]) -> Expansion {
    let counted = block.body.get_attribute("count").is_some();
    let each = block.body.get_attribute("for_each").is_some();
    match instances {
        [one] if (counted || each) && one.address.ends_with(base) => Expansion::Symbolic,
        _ if counted => Expansion::Count,
        _ if each => Expansion::ForEach,
        _ => Expansion::Single,
    }
}

/// A block body → map node: attributes evaluated, nested blocks as lists of maps.
fn body_attrs(
    ev: &mut Eval<'_>,
    body: &Body,
    path: &AttrPath,
    top: bool,
    span: Option<Span>,
) -> Node {
    let mut map: BTreeMap<String, Entry> = BTreeMap::new();
    for structure in body {
        match structure {
            Structure::Attribute(attr) => {
                let key = attr.key.as_str();
                if top && META_ATTRS.contains(&key) {
                    continue;
                }
                ev.at = path.key(key);
                let mut node = ev.value(&attr.value);
                if !ev.raw_json {
                    decode_policy(&mut node);
                }
                map.insert(
                    key.to_owned(),
                    Entry {
                        key_span: ev.sp(attr.key.span()),
                        node,
                    },
                );
            }
            Structure::Block(block) => {
                let ident = block.ident.as_str();
                if top && META_BLOCKS.contains(&ident) {
                    continue;
                }
                if ident == "dynamic" {
                    dynamic(ev, block, &mut map, path);
                    continue;
                }
                let block_span = ev.sp(block.span());
                let items = block_list(&mut map, ident, ev.sp(block.ident.span()), block_span);
                let child_path = path.key(ident).index(items);
                let child = body_attrs(ev, &block.body, &child_path, false, block_span);
                push_block(&mut map, ident, child);
            }
        }
    }
    Node::new(Value::Map(map), span)
}

/// Makes sure `map[ident]` is a list (for nested blocks) and returns its length.
fn block_list(
    map: &mut BTreeMap<String, Entry>,
    ident: &str,
    key_span: Option<Span>,
    span: Option<Span>,
) -> usize {
    let entry = map.entry(ident.to_owned()).or_insert_with(|| Entry {
        key_span,
        node: Node::new(Value::List(Vec::new()), span),
    });
    if let Value::List(items) = &entry.node.value {
        items.len()
    } else {
        *entry = Entry {
            key_span,
            node: Node::new(Value::List(Vec::new()), span),
        };
        0
    }
}

fn push_block(map: &mut BTreeMap<String, Entry>, ident: &str, child: Node) {
    if let Some(Entry {
        node:
            Node {
                value: Value::List(items),
                span,
                ..
            },
        ..
    }) = map.get_mut(ident)
    {
        if let (Some(s), Some(c)) = (span.as_mut(), child.span) {
            s.range = s.range.cover(c.range);
        }
        items.push(child);
    }
}

/// `dynamic "x" { for_each iterator content }`: one block per element; an unknown `for_each`
/// gives one symbolic block evaluated with an unknown iterator (reason "`for_each` of dynamic
/// block `x` is not known: …"), so rules see Unknown attributes, never a missing block.
fn dynamic(ev: &mut Eval<'_>, block: &Block, map: &mut BTreeMap<String, Entry>, path: &AttrPath) {
    let src = ev.src();
    let block_span = ev.sp(block.span());
    let report = |ev: &mut Eval<'_>, range: Option<std::ops::Range<usize>>, msg: String| {
        ev.diags.push(Diagnostic::error(
            "tf::invalid-block",
            src.path.clone(),
            range
                .or_else(|| block.span())
                .map(|r| TextRange::new(r.start, r.end)),
            msg,
        ));
    };
    let Some(label) = block.labels.first() else {
        report(
            ev,
            block.ident.span(),
            "a dynamic block needs a label naming the block type".into(),
        );
        return;
    };
    let name = label.as_str();
    ev.at = path.key(name);
    let for_each = block
        .body
        .get_attribute("for_each")
        .map(|a| ev.value(&a.value));
    let iterator = match block.body.get_attribute("iterator").map(|a| &a.value) {
        Some(Expression::Variable(v)) => v.as_str().to_owned(),
        _ => name.to_owned(),
    };
    let Some(content) = block.body.get_blocks("content").next() else {
        report(
            ev,
            block.ident.span(),
            format!("dynamic block \"{name}\" has no content block"),
        );
        return;
    };
    let Some(for_each) = for_each else {
        report(
            ev,
            block.ident.span(),
            format!("dynamic block \"{name}\" has no for_each argument"),
        );
        return;
    };
    let span = for_each.span;
    let unknown = |reason: String| {
        let reason = format!("for_each of dynamic block `{name}` is not known: {reason}");
        vec![(
            Node::unknown(reason.clone(), span),
            Node::unknown(reason, span),
        )]
    };
    let pairs = match iteration_pairs(for_each, span) {
        Ok(Ok(pairs)) => pairs,
        Ok(Err(reason)) => unknown(reason),
        Err(fail) => unknown(format!("cannot evaluate: {fail}")),
    };
    if pairs.len() > MAX_INSTANCES {
        ev.diags.push(Diagnostic::at(
            Level::Warning,
            "tf::too-many-instances",
            src.path.clone(),
            block.ident.span().map(|r| TextRange::new(r.start, r.end)),
            format!(
                "dynamic block `{name}` expands to {} blocks; only the first {MAX_INSTANCES} are checked",
                pairs.len()
            ),
        ));
    }
    for (key, value) in pairs.into_iter().take(MAX_INSTANCES) {
        let frame = BTreeMap::from([(
            iterator.clone(),
            map_node([("key".to_owned(), key), ("value".to_owned(), value)], span),
        )]);
        let index = block_list(map, name, ev.sp(label.span()), block_span);
        let child_path = path.key(name).index(index);
        let child = ev.with_frame(frame, |ev| {
            body_attrs(ev, &content.body, &child_path, false, block_span)
        });
        push_block(map, name, child);
    }
}

/// A string holding a JSON policy document becomes the document (a map), keeping provenance.
fn decode_policy(node: &mut Node) {
    if let Value::String(text) = &node.value {
        if let Some(mut doc) = wa_lint_graph::policy_from_json_str(text, node.span) {
            doc.provenance = node.provenance.take();
            *node = doc;
        }
    }
}
