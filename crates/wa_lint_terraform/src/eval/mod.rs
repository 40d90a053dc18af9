//! Partial evaluation of HCL expressions into [`Node`]s.
//!
//! What is known becomes a value; what is not (resource attributes, variables without value,
//! unsupported functions) becomes [`Value::Unknown`] with a reason. Failures that Terraform would
//! report (a missing attribute, a type error) are [`Fail`]s inside the evaluator, so `try()` and
//! `can()` can see them; at the top they become Unknown too.

pub(crate) mod files;
mod funcs;
mod holes;
mod ops;
mod template;
pub(crate) mod values;

use std::collections::BTreeMap;
use std::ops::Range;

use hcl_edit::expr::{Expression, ForExpr, FuncCall, ObjectKey, Traversal, TraversalOperator};
use hcl_edit::{Decorated, Span as _};
use wa_lint_graph::{AttrPath, Entry, Node, Number, Provenance, ProvenanceKind, Value};
use wa_lint_source::{Diagnostic, Level, SourceFile, Span};

use values::{first_unknown, respan, to_int, to_str, type_name};

use crate::refs::{argument_for, known_configured, Configured, Expansion, Resolver};

/// Deepest expression nesting evaluated before giving up (guards the stack).
const MAX_DEPTH: u32 = 128;

/// Most evaluation output one unit (a root module with every module instance it calls) may
/// produce, in [`Node::approx_bytes`] (32 bytes per value plus the bytes of strings and map
/// keys), summed over every expression evaluated, nested ones included: 64 MiB. Values built
/// from references can double at each step (`l2 = concat(local.l1, local.l1)`), so without a
/// bound a few lines of HCL exhausted the machine's memory (24 GB in 2 minutes); real modules
/// stay far below (the largest unit of the shared corpus, `tfam-eks/tests/eks-managed-node-group`,
/// produces 0.85 MiB).
pub(crate) const EVAL_BUDGET: u64 = 64 << 20;

/// The evaluation output of one unit so far (see [`EVAL_BUDGET`]); shared by its module
/// instances.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    spent: std::sync::atomic::AtomicU64,
    /// `tf::eval-budget` was reported for the unit.
    reported: std::sync::atomic::AtomicBool,
}

impl Budget {
    /// Adds `amount`; false when the unit is over [`EVAL_BUDGET`].
    fn charge(&self, amount: u64) -> bool {
        let before = self
            .spent
            .fetch_add(amount, std::sync::atomic::Ordering::Relaxed);
        before.saturating_add(amount) <= EVAL_BUDGET
    }

    /// True the first time it is called (the unit's one `tf::eval-budget` diagnostic).
    fn first_report(&self) -> bool {
        !self
            .reported
            .swap(true, std::sync::atomic::Ordering::Relaxed)
    }
}

/// A failure Terraform would report while evaluating an expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct Fail(pub String);

/// Result of evaluating one expression.
pub(crate) type R = Result<Node, Fail>;

/// A variable or local: its value with definition spans, and what kind of definition it is.
#[derive(Debug, Clone)]
pub(crate) struct Named {
    pub node: Node,
    pub kind: ProvenanceKind,
}

/// Module-wide names an expression can refer to.
#[derive(Debug, Default)]
pub(crate) struct Globals {
    /// `var.<name>`.
    pub vars: BTreeMap<String, Named>,
    /// `local.<name>`.
    pub locals: BTreeMap<String, Named>,
    /// `aws_s3_bucket.data` / `data.t.n` → the addresses of its instances.
    pub resources: BTreeMap<String, Vec<String>>,
    /// Instance address of a `data "aws_iam_policy_document"` → its IAM JSON-shaped document.
    pub policy_docs: BTreeMap<String, Node>,
    /// Address prefix of the module instance (`""` for the root, `module.a.` inside
    /// `module.a`); instance addresses in [`Globals::resources`] carry it.
    pub prefix: String,
    /// `module.<name>` → the outputs of the call (a map; a list for `count`, a map of maps for
    /// `for_each`), or Unknown when the module is not followed.
    pub modules: BTreeMap<String, Named>,
    /// `module.<name>` → resource instances its outputs refer to (edges for the caller).
    pub module_refs: BTreeMap<String, Vec<String>>,
    /// `var.<name>` → resource instances the caller's argument referred to.
    pub var_refs: BTreeMap<String, Vec<String>>,
    /// Files and paths: `path.*` and `file()`/`templatefile()`.
    pub fs: Option<files::Fs>,
    /// What the unit's evaluation has produced so far ([`EVAL_BUDGET`]); every module
    /// instance of a unit shares it.
    pub budget: std::sync::Arc<Budget>,
    /// `aws_s3_bucket.data` / `data.t.n` (unprefixed, like [`Globals::resources`]) → how the
    /// block is expanded into instances.
    pub expansions: BTreeMap<String, Expansion>,
    /// Instance address → configured attributes, once every resource of the module instance
    /// is built (outputs read them); see [`crate::refs`].
    pub configured: BTreeMap<String, std::sync::Arc<Configured>>,
    /// Every `resource`/`data` block of the module (`aws_x.y` / `data.t.n`, unprefixed):
    /// a reference to another is Terraform's "Reference to undeclared resource". `None`
    /// where references are not checked.
    pub declared: Option<std::collections::BTreeSet<String>>,
}

/// Evaluates expressions of one file against [`Globals`] and local bindings.
pub(crate) struct Eval<'a> {
    pub g: &'a Globals,
    src: &'a SourceFile,
    frames: Vec<BTreeMap<String, Node>>,
    /// Resource instances referenced so far, with the attribute path where written.
    pub refs: Vec<(String, AttrPath)>,
    /// The attribute path being evaluated (for [`Eval::refs`]).
    pub at: AttrPath,
    /// Problems found (invalid references, …).
    pub diags: Vec<Diagnostic>,
    depth: u32,
    /// Builds referenced resources on demand (while a module instance's resources are built).
    res: Option<&'a Resolver<'a>>,
    /// Keep JSON policy strings as strings in resource bodies (configured values read through
    /// references are what Terraform passes on, not decoded documents).
    pub(crate) raw_json: bool,
}

impl<'a> Eval<'a> {
    pub(crate) fn new(g: &'a Globals, src: &'a SourceFile) -> Self {
        Self {
            g,
            src,
            frames: Vec::new(),
            refs: Vec::new(),
            at: AttrPath::root(),
            diags: Vec::new(),
            depth: 0,
            res: None,
            raw_json: false,
        }
    }

    /// An evaluator that resolves references to resources through `res` as well.
    pub(crate) fn with_resolver(mut self, res: Option<&'a Resolver<'a>>) -> Self {
        self.res = res;
        self
    }

    /// An evaluator for a resource built by `res` while an expression at `depth` refers to it
    /// (the depth carries on, so chains of references stay within [`MAX_DEPTH`]).
    pub(crate) fn nested(
        g: &'a Globals,
        src: &'a SourceFile,
        res: &'a Resolver<'a>,
        depth: u32,
    ) -> Self {
        let mut ev = Self::new(g, src).with_resolver(Some(res));
        ev.depth = depth;
        ev
    }

    /// The [`Span`] of a parser byte range in this file.
    pub(crate) fn sp(&self, range: Option<Range<usize>>) -> Option<Span> {
        range.map(|r| self.src.span(r.start, r.end))
    }

    /// The source file being evaluated.
    pub(crate) fn src(&self) -> &'a SourceFile {
        self.src
    }

    /// Runs `f` with extra local bindings (`each`, `count`, iterators, `for` variables).
    pub(crate) fn with_frame<T>(
        &mut self,
        frame: BTreeMap<String, Node>,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        self.frames.push(frame);
        let out = f(self);
        self.frames.pop();
        out
    }

    /// Evaluates `expr`; failures become Unknown with the failure as reason.
    pub(crate) fn value(&mut self, expr: &Expression) -> Node {
        let span = self.sp(expr.span());
        self.eval(expr)
            .unwrap_or_else(|f| Node::unknown(format!("cannot evaluate: {f}"), span))
    }

    /// Evaluates `expr`.
    pub(crate) fn eval(&mut self, expr: &Expression) -> R {
        if self.depth >= MAX_DEPTH {
            return Err(Fail("expression is nested too deeply".into()));
        }
        self.depth += 1;
        let out = self.eval_inner(expr);
        self.depth -= 1;
        let node = out?;
        if self.g.budget.charge(node.approx_bytes()) {
            return Ok(node);
        }
        let message = format!(
            "evaluating this unit produced more than {} MiB of values, wa-lint's limit; this value and the ones after it are unknown",
            EVAL_BUDGET >> 20
        );
        if self.g.budget.first_report() {
            self.diags.push(
                Diagnostic::error(
                    "tf::eval-budget",
                    self.src.path.clone(),
                    self.sp(expr.span()).map(|s| s.range),
                    message.clone(),
                )
                .with_help(
                    "values that grow at each step (a local built from itself twice, nested `for` expressions) are not evaluated; the unit's other findings may be missing",
                ),
            );
        }
        Err(Fail(message))
    }

    fn eval_inner(&mut self, expr: &Expression) -> R {
        let span = self.sp(expr.span());
        let lit = |v| Ok(Node::new(v, span));
        match expr {
            Expression::Null(_) => lit(Value::Null),
            Expression::Bool(b) => lit(Value::Bool(*b.value())),
            Expression::Number(n) => {
                let n = n.value();
                lit(Value::Number(n.as_i64().map_or_else(
                    || Number::Float(n.as_f64().unwrap_or(f64::NAN)),
                    Number::Int,
                )))
            }
            Expression::String(s) => lit(Value::String(s.value().clone())),
            Expression::Array(items) => {
                let items = items
                    .iter()
                    .map(|e| self.eval(e))
                    .collect::<Result<Vec<_>, _>>()?;
                lit(Value::List(items))
            }
            Expression::Object(obj) => {
                let mut map = BTreeMap::new();
                for (key, value) in obj {
                    let (name, key_span) = match key {
                        ObjectKey::Ident(id) => (id.as_str().to_owned(), self.sp(id.span())),
                        ObjectKey::Expression(e) => {
                            let k = self.eval(e)?;
                            if let Value::Unknown(reason) = k.value {
                                return Ok(Node::unknown(reason, span));
                            }
                            (to_str(&k.value)?, k.span)
                        }
                    };
                    let node = self.eval(value.expr())?;
                    map.insert(name, Entry { key_span, node });
                }
                lit(Value::Map(map))
            }
            Expression::StringTemplate(t) => self.template(t, span),
            Expression::HeredocTemplate(h) => self.template(&h.template, span),
            Expression::Parenthesis(p) => self.eval(p.inner()),
            Expression::Variable(v) => self.traverse(v, &[], span),
            Expression::Traversal(t) => self.traversal(t, span),
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr)?;
                match &cond.value {
                    Value::Unknown(reason) => {
                        // Both branches equal and known: the result does not depend on it.
                        let t = self.eval(&c.true_expr).ok();
                        let f = self.eval(&c.false_expr).ok();
                        match (t, f) {
                            (Some(t), Some(f))
                                if first_unknown(&t).is_none()
                                    && values::values_equal(&t.value, &f.value) =>
                            {
                                Ok(t)
                            }
                            _ => Ok(Node::unknown(reason.clone(), span)),
                        }
                    }
                    v if values::to_bool(v)? => self.eval(&c.true_expr),
                    _ => self.eval(&c.false_expr),
                }
            }
            Expression::FuncCall(f) => self.call(f, span),
            Expression::UnaryOp(u) => {
                let operand = self.eval(&u.expr)?;
                ops::unary(*u.operator.value(), operand, span)
            }
            Expression::BinaryOp(b) => {
                let lhs = self.eval(&b.lhs_expr)?;
                let rhs = self.eval(&b.rhs_expr)?;
                ops::binary(*b.operator.value(), &lhs, &rhs, span)
            }
            Expression::ForExpr(f) => self.for_expr(f, span),
        }
    }

    /// Source text of `span` for messages (shortened).
    fn text(&self, span: Option<Span>) -> String {
        let text = span
            .and_then(|s| {
                self.src
                    .text
                    .get(s.range.start as usize..s.range.end as usize)
            })
            .unwrap_or("?");
        let mut out: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if out.len() > 80 {
            let cut = (0..=77)
                .rev()
                .find(|&i| out.is_char_boundary(i))
                .unwrap_or(0);
            out.truncate(cut);
            out.push('…');
        }
        out
    }

    fn traversal(&mut self, t: &Traversal, span: Option<Span>) -> R {
        match &t.expr {
            Expression::Variable(root) => self.traverse(root, &t.operators, span),
            other => {
                let base = self.eval(other)?;
                self.apply_ops(base, &t.operators, span)
            }
        }
    }

    /// A traversal starting at a name: a binding, `var.`, `local.`, a resource, …
    fn traverse(
        &mut self,
        root: &Decorated<hcl_edit::Ident>,
        ops: &[Decorated<TraversalOperator>],
        span: Option<Span>,
    ) -> R {
        let name = root.as_str();
        if let Some(bound) = self.frames.iter().rev().find_map(|f| f.get(name)) {
            let bound = bound.clone();
            return self.apply_ops(bound, ops, span);
        }
        let attr = |i: usize| match ops.get(i).map(Decorated::value) {
            Some(TraversalOperator::GetAttr(id)) => Some(id.as_str().to_owned()),
            _ => None,
        };
        let text = self.text(span);
        match name {
            "var" | "local" => {
                let Some(key) = attr(0) else {
                    return Err(self
                        .invalid_reference(span, format!("`{name}` must be followed by a name")));
                };
                let table = if name == "var" {
                    &self.g.vars
                } else {
                    &self.g.locals
                };
                let Some(named) = table.get(&key) else {
                    let what = if name == "var" {
                        "variable"
                    } else {
                        "local value"
                    };
                    let message = format!("reference to undeclared {what} `{key}`");
                    self.diags.push(
                        Diagnostic::at(
                            Level::Warning,
                            "tf::undeclared-reference",
                            self.src.path.clone(),
                            span.map(|s| s.range),
                            message.clone(),
                        )
                        .with_help(format!(
                            "declare the {what}; its value is treated as unknown"
                        )),
                    );
                    return Err(Fail(message));
                };
                let head = self.sp(root
                    .span()
                    .zip(ops.first().and_then(hcl_edit::Span::span))
                    .map(|(a, b)| a.start..b.end));
                let node = place(named, &key, head);
                if name == "var" {
                    for target in self.g.var_refs.get(&key).into_iter().flatten() {
                        self.refs.push((target.clone(), self.at.clone()));
                    }
                }
                self.apply_ops(node, ops.get(1..).unwrap_or_default(), span)
            }
            "count" | "each" => Ok(Node::unknown(format!("`{text}` is not known here"), span)),
            "path" => match (attr(0), &self.g.fs) {
                (Some(which), Some(fs)) if fs.path_value(&which).is_some() => {
                    let value = fs.path_value(&which).unwrap_or_default();
                    self.apply_ops(
                        Node::new(Value::String(value), span),
                        ops.get(1..).unwrap_or_default(),
                        span,
                    )
                }
                _ => Ok(Node::unknown(
                    format!("`{text}` is not resolved by wa-lint"),
                    span,
                )),
            },
            "terraform" => Ok(Node::unknown(
                format!("`{text}` is not resolved by wa-lint"),
                span,
            )),
            "module" => {
                let Some(call) = attr(0) else {
                    return Err(self.invalid_reference(
                        span,
                        "`module` must be followed by a module name".into(),
                    ));
                };
                let Some(named) = self.g.modules.get(&call) else {
                    return Ok(Node::unknown(
                        format!("`{text}`: no module call `{call}` in this module"),
                        span,
                    ));
                };
                for target in self.g.module_refs.get(&call).into_iter().flatten() {
                    self.refs.push((target.clone(), self.at.clone()));
                }
                let rest = ops.get(1..).unwrap_or_default();
                let out_name = match rest.iter().map(Decorated::value).find_map(|op| match op {
                    TraversalOperator::GetAttr(a) => Some(a.as_str()),
                    _ => None,
                }) {
                    Some(o) => format!("module.{call}.{o}"),
                    None => format!("module.{call}"),
                };
                let head = self.sp(root
                    .span()
                    .zip(ops.first().and_then(hcl_edit::Span::span))
                    .map(|(a, b)| a.start..b.end));
                let node = place(named, &out_name, head);
                self.apply_ops(node, rest, span)
            }
            "self" => Ok(Node::unknown(
                format!("`{text}` is known only after apply"),
                span,
            )),
            // `resource.aws_x.y`: the explicit form of `aws_x.y`.
            "resource" => match (attr(0), attr(1)) {
                (Some(t), Some(n)) => Ok(self.resource_ref(
                    &format!("{t}.{n}"),
                    ops.get(2..).unwrap_or_default(),
                    span,
                )),
                _ => Err(self.invalid_reference(
                    span,
                    "`resource` must be followed by a type and a name".into(),
                )),
            },
            "data" => match (attr(0), attr(1)) {
                (Some(t), Some(n)) => Ok(self.resource_ref(
                    &format!("data.{t}.{n}"),
                    ops.get(2..).unwrap_or_default(),
                    span,
                )),
                _ => Err(self.invalid_reference(
                    span,
                    "`data` must be followed by a type and a name".into(),
                )),
            },
            _ => match attr(0) {
                Some(n) => Ok(self.resource_ref(
                    &format!("{name}.{n}"),
                    ops.get(1..).unwrap_or_default(),
                    span,
                )),
                None => {
                    Err(self.invalid_reference(span, format!("`{name}` is not a known name here")))
                }
            },
        }
    }

    fn invalid_reference(&mut self, span: Option<Span>, message: String) -> Fail {
        self.diags.push(
            Diagnostic::error(
                "tf::invalid-reference",
                self.src.path.clone(),
                span.map(|s| s.range),
                message.clone(),
            )
            .with_help(
                "Terraform rejects this reference; fix it so the configuration can be planned",
            ),
        );
        Fail(message)
    }

    /// A reference to a resource or data source: records edges, returns the configured value
    /// of the attribute read when it is known (see [`crate::refs`]), the policy document of an
    /// `aws_iam_policy_document`, else Unknown "known only after apply".
    fn resource_ref(
        &mut self,
        key: &str,
        rest: &[Decorated<TraversalOperator>],
        span: Option<Span>,
    ) -> Node {
        let text = self.text(span);
        if self.g.declared.as_ref().is_some_and(|d| !d.contains(key)) {
            let (what, shown) = match key.strip_prefix("data.") {
                Some(k) => ("data source", k),
                None => ("resource", key),
            };
            let message = format!("reference to undeclared {what} `{shown}`");
            self.diags.push(
                Diagnostic::at(
                    Level::Error,
                    "tf::undeclared-resource",
                    self.src.path.clone(),
                    span.map(|s| s.range),
                    message.clone(),
                )
                .with_help(format!(
                    "declare the {what} in this module (or fix the name); its value is treated \
                     as unknown"
                )),
            );
            return Node::unknown(message, span);
        }
        let all = self.g.resources.get(key).cloned().unwrap_or_default();
        let mut targets = all.clone();
        let full_key = format!("{}{key}", self.g.prefix);
        let mut rest = rest;
        let mut selected: Option<Option<String>> = None;
        let index = match rest.first().map(Decorated::value) {
            Some(TraversalOperator::Index(e)) => self.eval(e).ok(),
            Some(TraversalOperator::LegacyIndex(i)) => Some(Node::new(
                Value::Number(Number::Int(i64::try_from(*i.value()).unwrap_or(i64::MAX))),
                None,
            )),
            _ => None,
        };
        if matches!(
            rest.first().map(Decorated::value),
            Some(TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_))
        ) {
            rest = rest.get(1..).unwrap_or_default();
            let address = index.and_then(|i| instance_address(&full_key, &i.value));
            if let Some(address) = &address {
                if targets.contains(address) {
                    targets = vec![address.clone()];
                }
            }
            selected = Some(address.filter(|a| all.contains(a)));
        }
        for target in &targets {
            self.refs.push((target.clone(), self.at.clone()));
        }
        let wants_json = matches!(rest.first().map(Decorated::value), Some(TraversalOperator::GetAttr(a)) if a.as_str() == "json" || a.as_str() == "minified_json");
        if let ([target], true) = (targets.as_slice(), wants_json) {
            if let Some(doc) = self.g.policy_docs.get(target) {
                let mut doc = doc.clone();
                respan(&mut doc, span);
                return doc;
            }
        }
        let after_apply = || Node::unknown(format!("`{text}` is known only after apply"), span);
        let expansion = self.g.expansions.get(key).copied();
        match (expansion, selected, rest.first().map(Decorated::value)) {
            // `aws_x.y[0].attr` / `aws_x.y["k"].attr` of an existing instance.
            (Some(Expansion::Count | Expansion::ForEach), Some(Some(address)), _) => self
                .instance_attr(&address, rest, span)
                .unwrap_or_else(after_apply),
            // `aws_x.y.attr` of a single instance.
            (Some(Expansion::Single), None, Some(TraversalOperator::GetAttr(_))) => self
                .instance_attr(&full_key, rest, span)
                .unwrap_or_else(after_apply),
            // `aws_x.y[*].attr`: one element per instance (`[aws_x.y]` for a single one).
            (
                Some(Expansion::Count | Expansion::Single),
                None,
                Some(TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_)),
            ) => {
                let each = rest.get(1..).unwrap_or_default();
                let items = all
                    .iter()
                    .map(|address| {
                        self.instance_attr(address, each, span)
                            .unwrap_or_else(after_apply)
                    })
                    .collect();
                Node::new(Value::List(items), span)
            }
            // `aws_x.y` as a whole: an object (single), a list (count) or a map by instance key
            // (for_each) of the instances' configured arguments.
            (
                Some(expansion @ (Expansion::Single | Expansion::Count | Expansion::ForEach)),
                None,
                None,
            ) => {
                let objects: Vec<(String, Node)> = all
                    .iter()
                    .map(|address| {
                        let key = address
                            .strip_prefix(full_key.as_str())
                            .map(unquote_key)
                            .unwrap_or_default();
                        (key, self.instance_object(address, span))
                    })
                    .collect();
                match expansion {
                    Expansion::Single => objects
                        .into_iter()
                        .next()
                        .map_or_else(after_apply, |(_, o)| o),
                    Expansion::Count => Node::new(
                        Value::List(objects.into_iter().map(|(_, o)| o).collect()),
                        span,
                    ),
                    _ => values::map_node(objects, span),
                }
            }
            _ => after_apply(),
        }
    }

    /// Instance `address` as an object: its configured arguments (each with a
    /// `ResourceArgument` provenance), `null` ones and `id`/`arn` (unless `id` equals an
    /// argument, see [`argument_for`]) Unknown "known only after apply". Unknown when the
    /// instance cannot be built.
    fn instance_object(&mut self, address: &str, span: Option<Span>) -> Node {
        let configured = match self.g.configured.get(address) {
            Some(c) => std::sync::Arc::clone(c),
            None => match self
                .res
                .map(|res| res.configured(address, self.g, self.depth + 1))
            {
                Some(Ok(Some(c))) => c,
                Some(Err(reason)) => return Node::unknown(reason, span),
                _ => return Node::unknown(format!("`{address}` is known only after apply"), span),
            },
        };
        let after_apply = |name: &str| {
            Node::unknown(
                format!("`{address}.{name}` is known only after apply"),
                span,
            )
        };
        let Value::Map(attrs) = &configured.attrs.value else {
            return Node::unknown(format!("`{address}` is known only after apply"), span);
        };
        let mut map = BTreeMap::new();
        for (name, entry) in attrs {
            let node = match known_configured(entry.node.clone()) {
                Some(node) => place(
                    &Named {
                        node,
                        kind: ProvenanceKind::ResourceArgument,
                    },
                    &format!("{address}.{name}"),
                    span,
                ),
                None => after_apply(name),
            };
            map.insert(
                name.clone(),
                Entry {
                    key_span: span,
                    node,
                },
            );
        }
        for computed in ["id", "arn"] {
            if map.contains_key(computed) {
                continue;
            }
            let node = argument_for(&configured.rtype, computed)
                .into_iter()
                .flatten()
                .skip(1)
                .find_map(|arg| map.get(arg).map(|e| e.node.clone()))
                .unwrap_or_else(|| after_apply(computed));
            map.insert(
                computed.to_owned(),
                Entry {
                    key_span: span,
                    node,
                },
            );
        }
        Node::new(Value::Map(map), span)
    }

    /// The configured value that `ops` (starting with `.attr`) read from resource instance
    /// `address`; `None` when the provider computes it (not configured, configured `null`, a
    /// nested attribute not configured) or the instance is not known.
    fn instance_attr(
        &mut self,
        address: &str,
        ops: &[Decorated<TraversalOperator>],
        span: Option<Span>,
    ) -> Option<Node> {
        let Some(TraversalOperator::GetAttr(attr)) = ops.first().map(Decorated::value) else {
            return None;
        };
        let configured = match self.g.configured.get(address) {
            Some(c) => std::sync::Arc::clone(c),
            None => match self
                .res
                .map(|res| res.configured(address, self.g, self.depth + 1))
            {
                Some(Ok(Some(c))) => c,
                Some(Err(reason)) => return Some(Node::unknown(reason, span)),
                _ => return None,
            },
        };
        let (name, node) = argument_for(&configured.rtype, attr.as_str())
            .into_iter()
            .flatten()
            .find_map(|arg| {
                let node = configured.attrs.get(arg).cloned()?;
                known_configured(node).map(|n| (arg, n))
            })?;
        let named = Named {
            node,
            kind: ProvenanceKind::ResourceArgument,
        };
        let head = place(&named, &format!("{address}.{name}"), span);
        match self.apply_ops(head, ops.get(1..).unwrap_or_default(), span) {
            Ok(node) => known_configured(node),
            Err(_) => None,
        }
    }

    fn apply_ops(
        &mut self,
        node: Node,
        ops: &[Decorated<TraversalOperator>],
        span: Option<Span>,
    ) -> R {
        let mut cur = node;
        for (i, op) in ops.iter().enumerate() {
            if cur.is_unknown() {
                break;
            }
            cur = match op.value() {
                TraversalOperator::GetAttr(id) => get_attr(cur, id.as_str())?,
                TraversalOperator::Index(e) => {
                    let key = self.eval(e)?;
                    if let Value::Unknown(reason) = key.value {
                        return Ok(Node::unknown(reason, span));
                    }
                    index(cur, &key.value)?
                }
                TraversalOperator::LegacyIndex(n) => index(
                    cur,
                    &Value::Number(Number::Int(i64::try_from(*n.value()).unwrap_or(i64::MAX))),
                )?,
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let rest = ops.get(i + 1..).unwrap_or_default();
                    let items = match cur.value {
                        Value::List(items) => items,
                        Value::Null => Vec::new(),
                        _ => vec![cur],
                    };
                    let out = items
                        .into_iter()
                        .map(|n| self.apply_ops(n, rest, span))
                        .collect::<Result<_, _>>()?;
                    return Ok(Node::new(Value::List(out), span));
                }
            };
        }
        respan(&mut cur, span);
        Ok(cur)
    }

    fn call(&mut self, f: &FuncCall, span: Option<Span>) -> R {
        let name = f.name.name.as_str();
        if !f.name.namespace.is_empty() {
            return Ok(Node::unknown(
                format!("provider function `{name}` is not evaluated"),
                span,
            ));
        }
        match name {
            "try" => {
                let mut last = Fail("try() needs at least one argument".into());
                for arg in &f.args {
                    match self.eval(arg) {
                        Ok(node) => return Ok(node),
                        Err(e) => last = e,
                    }
                }
                return Err(last);
            }
            "file" | "fileexists" | "templatefile" | "filebase64" => {
                return self.file_call(name, f, span);
            }
            "can" => {
                let Some(arg) = f.args.iter().next() else {
                    return Err(Fail("can() needs one argument".into()));
                };
                return Ok(match self.eval(arg) {
                    Ok(node) => match first_unknown(&node) {
                        Some(reason) => Node::unknown(reason, span),
                        None => Node::new(Value::Bool(true), span),
                    },
                    Err(_) => Node::new(Value::Bool(false), span),
                });
            }
            _ => {}
        }
        let mut args = f
            .args
            .iter()
            .map(|a| self.eval(a))
            .collect::<Result<Vec<_>, _>>()?;
        if f.args.expand_final() {
            match args.pop().map(|n| n.value) {
                Some(Value::List(items)) => args.extend(items),
                Some(Value::Unknown(reason)) => return Ok(Node::unknown(reason, span)),
                Some(other) => {
                    return Err(Fail(format!(
                        "cannot expand {} into arguments",
                        type_name(&other)
                    )))
                }
                None => {}
            }
        }
        funcs::call(name, args, span)
    }

    fn for_expr(&mut self, f: &ForExpr, span: Option<Span>) -> R {
        let coll = self.eval(&f.intro.collection_expr)?;
        let pairs = match iteration_pairs(coll, span)? {
            Ok(pairs) => pairs,
            Err(reason) => return Ok(Node::unknown(reason, span)),
        };
        let key_var = f.intro.key_var.as_ref().map(|k| k.as_str().to_owned());
        let value_var = f.intro.value_var.as_str().to_owned();
        let mut list = Vec::new();
        let mut object: BTreeMap<String, Entry> = BTreeMap::new();
        for (k, v) in pairs {
            let mut frame = BTreeMap::new();
            if let Some(kv) = &key_var {
                frame.insert(kv.clone(), k);
            }
            frame.insert(value_var.clone(), v);
            let step = self.with_frame(frame, |ev| -> Result<Step, Fail> {
                if let Some(cond) = &f.cond {
                    let c = ev.eval(&cond.expr)?;
                    match &c.value {
                        Value::Unknown(reason) => return Ok(Step::Unknown(reason.clone())),
                        v if !values::to_bool(v)? => return Ok(Step::Skip),
                        _ => {}
                    }
                }
                let value = ev.eval(&f.value_expr)?;
                let Some(key_expr) = &f.key_expr else {
                    return Ok(Step::Item(value));
                };
                let key = ev.eval(key_expr)?;
                match &key.value {
                    Value::Unknown(reason) => Ok(Step::Unknown(reason.clone())),
                    k => Ok(Step::Pair(to_str(k)?, key.span, value)),
                }
            })?;
            match step {
                Step::Skip => {}
                Step::Unknown(reason) => return Ok(Node::unknown(reason, span)),
                Step::Item(value) => list.push(value),
                Step::Pair(key, key_span, value) if f.grouping => {
                    let entry = object.entry(key).or_insert_with(|| Entry {
                        key_span,
                        node: Node::new(Value::List(Vec::new()), span),
                    });
                    if let Value::List(items) = &mut entry.node.value {
                        items.push(value);
                    }
                }
                Step::Pair(key, key_span, value) => {
                    object.insert(
                        key,
                        Entry {
                            key_span,
                            node: value,
                        },
                    );
                }
            }
        }
        Ok(Node::new(
            if f.key_expr.is_some() {
                Value::Map(object)
            } else {
                Value::List(list)
            },
            span,
        ))
    }
}

enum Step {
    Skip,
    Unknown(String),
    Item(Node),
    Pair(String, Option<Span>, Node),
}

/// The `(key, value)` pairs a `for` expression or `for_each` iterates: list index/element or map
/// key/value. `Ok(Err(reason))` when the collection is unknown.
pub(crate) fn iteration_pairs(
    coll: Node,
    span: Option<Span>,
) -> Result<Result<Vec<(Node, Node)>, String>, Fail> {
    Ok(Ok(match coll.value {
        Value::Unknown(reason) => return Ok(Err(reason)),
        Value::List(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, n)| {
                (
                    Node::new(
                        Value::Number(Number::Int(i64::try_from(i).unwrap_or(i64::MAX))),
                        span,
                    ),
                    n,
                )
            })
            .collect(),
        Value::Map(map) => map
            .into_iter()
            .map(|(k, e)| (Node::new(Value::String(k), e.key_span), e.node))
            .collect(),
        other => return Err(Fail(format!("cannot iterate over {}", type_name(&other)))),
    }))
}

/// A copy of a variable/local value placed at its use site `span`: every node gets the use
/// span; the top node's provenance names the definition, nested nodes keep a provenance they
/// already had or get one pointing at their own definition. A variable without a value
/// (Unknown, kind `VariableDefault`) gets no provenance.
fn place(named: &Named, name: &str, span: Option<Span>) -> Node {
    fn mark(
        node: &mut Node,
        kind: wa_lint_graph::ProvenanceKind,
        name: &str,
        span: Option<Span>,
        top: bool,
    ) {
        if top || node.provenance.is_none() {
            node.provenance = Some(Box::new(Provenance {
                kind,
                name: name.to_owned(),
                span: node.span,
            }));
        }
        node.span = span;
        match &mut node.value {
            Value::List(items) => items
                .iter_mut()
                .for_each(|n| mark(n, kind, name, span, false)),
            Value::Map(map) => map.values_mut().for_each(|e| {
                e.key_span = span;
                mark(&mut e.node, kind, name, span, false);
            }),
            _ => {}
        }
    }
    let mut node = named.node.clone();
    if named.kind == ProvenanceKind::VariableDefault && node.is_unknown() {
        // A variable without a value: the reason says so; "value from … default" would
        // contradict it.
        node.span = span;
        return node;
    }
    mark(&mut node, named.kind, name, span, true);
    node
}

fn get_attr(node: Node, name: &str) -> R {
    match node.value {
        Value::Map(mut map) => map
            .remove(name)
            .map(|e| e.node)
            .ok_or_else(|| Fail(format!("object has no attribute `{name}`"))),
        other => Err(Fail(format!(
            "cannot read attribute `{name}` of {}",
            type_name(&other)
        ))),
    }
}

fn index(node: Node, key: &Value) -> R {
    match node.value {
        Value::List(mut items) => {
            let i = usize::try_from(to_int(key)?).map_err(|_| Fail("negative index".into()))?;
            if i < items.len() {
                Ok(items.swap_remove(i))
            } else {
                Err(Fail(format!(
                    "index {i} is out of range for a list of {}",
                    items.len()
                )))
            }
        }
        Value::Map(mut map) => {
            let k = to_str(key)?;
            map.remove(&k)
                .map(|e| e.node)
                .ok_or_else(|| Fail(format!("no element with key \"{k}\"")))
        }
        other => Err(Fail(format!("cannot index {}", type_name(&other)))),
    }
}

/// `aws_x.y[0]` / `aws_x.y["k"]` for an index value.
pub(crate) fn instance_address(base: &str, key: &Value) -> Option<String> {
    match key {
        Value::Number(Number::Int(i)) => Some(format!("{base}[{i}]")),
        Value::String(s) => Some(format!("{base}[{}]", quote(s))),
        _ => None,
    }
}

/// The key of an instance address suffix: `["a\"b"]` → `a"b`, `[0]` → `0`.
fn unquote_key(suffix: &str) -> String {
    let inner = suffix
        .strip_prefix('[')
        .and_then(|k| k.strip_suffix(']'))
        .unwrap_or(suffix);
    match inner.strip_prefix('"').and_then(|k| k.strip_suffix('"')) {
        Some(quoted) => {
            let mut out = String::with_capacity(quoted.len());
            let mut chars = quoted.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    match chars.next() {
                        Some('n') => out.push('\n'),
                        Some(other) => out.push(other),
                        None => {}
                    }
                } else {
                    out.push(c);
                }
            }
            out
        }
        None => inner.to_owned(),
    }
}

/// A string as Terraform quotes it in addresses.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
