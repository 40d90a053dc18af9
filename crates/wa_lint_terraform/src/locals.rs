//! `locals` blocks, evaluated in dependency order; a cycle is a `tf::local-cycle` diagnostic.

use std::collections::{BTreeMap, BTreeSet};

use hcl_edit::expr::{Expression, Traversal, TraversalOperator};
use hcl_edit::structure::Body;
use hcl_edit::visit::{visit_traversal, Visit};
use hcl_edit::Span as _;
use wa_lint_graph::{Node, ProvenanceKind};
use wa_lint_source::{Diagnostic, SourceFile, TextRange};

use crate::eval::{Eval, Globals, Named};

struct Local<'a> {
    src: &'a SourceFile,
    expr: &'a Expression,
    key_range: Option<std::ops::Range<usize>>,
    deps: BTreeSet<String>,
}

/// Names `local.<name>` referenced in an expression.
#[derive(Default)]
struct LocalRefs(BTreeSet<String>);

impl Visit for LocalRefs {
    fn visit_traversal(&mut self, node: &Traversal) {
        if let (Expression::Variable(root), Some(TraversalOperator::GetAttr(name))) = (
            &node.expr,
            node.operators.first().map(hcl_edit::Decorated::value),
        ) {
            if root.as_str() == "local" {
                self.0.insert(name.as_str().to_owned());
            }
        }
        visit_traversal(self, node);
    }
}

/// Evaluates every local of the module into `g.locals`.
pub(crate) fn evaluate_locals(
    parsed: &[(&SourceFile, Body)],
    g: &mut Globals,
    diags: &mut Vec<Diagnostic>,
) {
    let mut locals: BTreeMap<String, Local<'_>> = BTreeMap::new();
    for (src, body) in parsed {
        for block in body.blocks().filter(|b| b.has_ident("locals")) {
            for attr in block.body.attributes() {
                let mut refs = LocalRefs::default();
                refs.visit_expr(&attr.value);
                locals.insert(
                    attr.key.as_str().to_owned(),
                    Local {
                        src,
                        expr: &attr.value,
                        key_range: attr.key.span(),
                        deps: refs.0,
                    },
                );
            }
        }
    }
    let (order, cyclic) = topo_order(&locals);
    for name in &cyclic {
        let Some(local) = locals.get(name) else {
            continue;
        };
        let range = local
            .key_range
            .clone()
            .map(|r| TextRange::new(r.start, r.end));
        diags.push(
            Diagnostic::error(
                "tf::local-cycle",
                local.src.path.clone(),
                range,
                format!("local `{name}` depends on itself"),
            )
            .with_help("break the cycle between these locals; their values are treated as unknown"),
        );
        let span = local
            .key_range
            .clone()
            .map(|r| local.src.span(r.start, r.end));
        g.locals.insert(
            name.clone(),
            Named {
                node: Node::unknown(format!("local `{name}` depends on itself"), span),
                kind: ProvenanceKind::Local,
            },
        );
    }
    for name in order {
        let Some(local) = locals.get(&name) else {
            continue;
        };
        let mut ev = Eval::new(g, local.src);
        let node = ev.value(local.expr);
        diags.append(&mut ev.diags);
        g.locals.insert(
            name,
            Named {
                node,
                kind: ProvenanceKind::Local,
            },
        );
    }
}

/// Dependency order of the locals (dependencies first) and the names that are on a cycle.
fn topo_order(locals: &BTreeMap<String, Local<'_>>) -> (Vec<String>, BTreeSet<String>) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Active,
        Done,
    }
    let mut state: BTreeMap<&str, State> = BTreeMap::new();
    let mut order = Vec::new();
    let mut cyclic = BTreeSet::new();
    for start in locals.keys() {
        if state.contains_key(start.as_str()) {
            continue;
        }
        // Iterative DFS: (name, remaining deps).
        let mut stack: Vec<(&str, Vec<&str>)> = Vec::new();
        let deps_of = |n: &str| -> Vec<&str> {
            locals
                .get(n)
                .map(|l| {
                    l.deps
                        .iter()
                        .map(String::as_str)
                        .filter(|d| locals.contains_key(*d))
                        .collect()
                })
                .unwrap_or_default()
        };
        state.insert(start, State::Active);
        stack.push((start, deps_of(start)));
        while let Some((name, deps)) = stack.last_mut() {
            let name = *name;
            if let Some(dep) = deps.pop() {
                match state.get(dep) {
                    None => {
                        let Some((key, _)) = locals.get_key_value(dep) else {
                            continue;
                        };
                        state.insert(key, State::Active);
                        stack.push((key, deps_of(key)));
                    }
                    Some(State::Active) => {
                        if let Some(pos) = stack.iter().position(|(n, _)| *n == dep) {
                            cyclic.extend(stack.iter().skip(pos).map(|(n, _)| (*n).to_owned()));
                        }
                    }
                    Some(State::Done) => {}
                }
            } else {
                state.insert(name, State::Done);
                if !cyclic.contains(name) {
                    order.push(name.to_owned());
                }
                stack.pop();
            }
        }
    }
    (order, cyclic)
}
