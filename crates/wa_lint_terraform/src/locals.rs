//! `locals` blocks and `module` calls, evaluated together in dependency order (a local may read
//! a module output, a module argument may read a local); a cycle is a `tf::local-cycle`
//! diagnostic.

use std::collections::{BTreeMap, BTreeSet};

use hcl_edit::expr::{Expression, Traversal, TraversalOperator};
use hcl_edit::structure::{Block, Body};
use hcl_edit::visit::{visit_traversal, Visit};
use hcl_edit::Span as _;
use wa_lint_graph::{Node, ProvenanceKind};
use wa_lint_source::{Diagnostic, SourceFile, TextRange};

use crate::eval::{Eval, Globals, Named};

/// What a named item is: a local's expression or a module call block.
enum What<'a> {
    Local(&'a Expression),
    Module(&'a Block),
}

struct Local<'a> {
    src: &'a SourceFile,
    what: What<'a>,
    key_range: Option<std::ops::Range<usize>>,
    /// `local.<name>` / `module.<name>` this item reads.
    deps: BTreeSet<String>,
}

/// Evaluates one module call into `Globals::modules` (its arguments read the globals).
pub(crate) type ModuleCall<'c> = dyn FnMut(&mut Globals, &str, &SourceFile, &Block) + 'c;

/// Names `local.<name>` and `module.<name>` referenced in an expression.
#[derive(Default)]
struct LocalRefs(BTreeSet<String>);

impl Visit for LocalRefs {
    fn visit_traversal(&mut self, node: &Traversal) {
        if let (Expression::Variable(root), Some(TraversalOperator::GetAttr(name))) = (
            &node.expr,
            node.operators.first().map(hcl_edit::Decorated::value),
        ) {
            if matches!(root.as_str(), "local" | "module") {
                self.0
                    .insert(format!("{}.{}", root.as_str(), name.as_str()));
            }
        }
        visit_traversal(self, node);
    }
}

/// Evaluates every local into `g.locals` and every `module` call (through `call`), in
/// dependency order.
pub(crate) fn evaluate_locals_and_modules(
    parsed: &[(&SourceFile, Body)],
    g: &mut Globals,
    diags: &mut Vec<Diagnostic>,
    call: &mut ModuleCall<'_>,
) {
    let mut locals: BTreeMap<String, Local<'_>> = BTreeMap::new();
    for (src, body) in parsed {
        for block in body.blocks().filter(|b| b.has_ident("locals")) {
            for attr in block.body.attributes() {
                let mut refs = LocalRefs::default();
                refs.visit_expr(&attr.value);
                locals.insert(
                    format!("local.{}", attr.key.as_str()),
                    Local {
                        src,
                        what: What::Local(&attr.value),
                        key_range: attr.key.span(),
                        deps: refs.0,
                    },
                );
            }
        }
        for block in body.blocks().filter(|b| b.has_ident("module")) {
            let Some(label) = block.labels.first() else {
                continue;
            };
            let mut refs = LocalRefs::default();
            refs.visit_body(&block.body);
            // A module's arguments may read its own outputs (Terraform orders by output).
            refs.0.remove(&format!("module.{}", label.as_str()));
            locals.insert(
                format!("module.{}", label.as_str()),
                Local {
                    src,
                    what: What::Module(block),
                    key_range: label.span(),
                    deps: refs.0,
                },
            );
        }
    }
    let (order, cyclic) = topo_order(&locals);
    // Only a cycle among locals alone is certain: Terraform orders module calls by single
    // outputs and variables, so a cycle through a module may be valid.
    let locals_only: BTreeMap<String, Local<'_>> = locals
        .iter()
        .filter_map(|(k, l)| match l.what {
            What::Local(e) => Some((
                k.clone(),
                Local {
                    src: l.src,
                    what: What::Local(e),
                    key_range: l.key_range.clone(),
                    deps: l.deps.clone(),
                },
            )),
            What::Module(_) => None,
        })
        .collect();
    let (_, certain) = topo_order(&locals_only);
    let mut late_modules = Vec::new();
    for qualified in &cyclic {
        let Some(local) = locals.get(qualified) else {
            continue;
        };
        let (kind, name) = qualified.split_once('.').unwrap_or(("local", qualified));
        let what = if kind == "local" { "local" } else { "module" };
        if let What::Module(block) = local.what {
            late_modules.push((name, local.src, block));
        }
        let range = local
            .key_range
            .clone()
            .map(|r| TextRange::new(r.start, r.end));
        if certain.contains(qualified) {
            diags.push(
                Diagnostic::error(
                    "tf::local-cycle",
                    local.src.path.clone(),
                    range,
                    format!("{what} `{name}` depends on itself"),
                )
                .with_help(
                    "break the cycle between these locals; their values are treated as unknown",
                ),
            );
        }
        let span = local
            .key_range
            .clone()
            .map(|r| local.src.span(r.start, r.end));
        let (table, kind) = if what == "local" {
            (&mut g.locals, ProvenanceKind::Local)
        } else {
            (&mut g.modules, ProvenanceKind::ModuleOutput)
        };
        table.insert(
            name.to_owned(),
            Named {
                node: Node::unknown(format!("{what} `{name}` depends on itself"), span),
                kind,
            },
        );
    }
    for qualified in order {
        let Some(local) = locals.get(&qualified) else {
            continue;
        };
        let name = qualified
            .split_once('.')
            .map_or(qualified.as_str(), |(_, n)| n);
        match local.what {
            What::Local(expr) => {
                let mut ev = Eval::new(g, local.src);
                let node = ev.value(expr);
                diags.append(&mut ev.diags);
                g.locals.insert(
                    name.to_owned(),
                    Named {
                        node,
                        kind: ProvenanceKind::Local,
                    },
                );
            }
            What::Module(block) => call(g, name, local.src, block),
        }
    }
    // Modules on a cycle through locals are still instantiated (what they read from the
    // cycle is Unknown), so their resources are checked.
    for (name, src, block) in late_modules {
        call(g, name, src, block);
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
