//! `Conditions`: `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition` over known values,
//! and the scenarios explored when some stay undecided (see [`free_conditions`] and
//! [`assignments`]).

use std::collections::{BTreeMap, BTreeSet};

use wa_lint_graph::{Entry, Node, Value};

use crate::resolve::{same_value, scalar_text, Resolver, MAX_RESOLVE_DEPTH};
use crate::CfnOptions;

/// Evaluation state of a named condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CondState {
    /// Being evaluated (a second visit means a cycle: undecided).
    InProgress,
    /// Evaluated: `Some(bool)` when decided from known values, `None` when it depends on
    /// something known only at deploy.
    Done(Option<bool>),
}

impl Resolver<'_> {
    /// The value of named condition `name`, `None` when undecided (unknown inputs, cycle,
    /// missing condition).
    pub(crate) fn condition(&mut self, name: &str) -> Option<bool> {
        if let Some(v) = self.assumed(name) {
            return Some(v);
        }
        match self.cond_state.get(name) {
            Some(CondState::Done(v)) => return *v,
            Some(CondState::InProgress) => return None,
            None => {}
        }
        let expr = self.conditions?.get(name)?;
        self.cond_state
            .insert(name.to_owned(), CondState::InProgress);
        let value = self.eval_cond(&expr.node, 0);
        self.cond_state
            .insert(name.to_owned(), CondState::Done(value));
        value
    }

    /// Evaluates a condition expression.
    fn eval_cond(&mut self, node: &Node, depth: usize) -> Option<bool> {
        if depth > MAX_RESOLVE_DEPTH {
            return None;
        }
        if let Value::Map(map) = &node.value {
            if let (1, Some((k, e))) = (map.len(), map.iter().next()) {
                match k.as_str() {
                    "Condition" => return e.node.as_str().and_then(|name| self.condition(name)),
                    "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                        return self.eval_fn(k, &e.node, depth)
                    }
                    _ => {}
                }
            }
        }
        match self.resolve_quiet(node, depth + 1)?.value {
            Value::Bool(b) => Some(b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// Evaluates one condition function `name` applied to `arg`.
    pub(crate) fn eval_fn(&mut self, name: &str, arg: &Node, depth: usize) -> Option<bool> {
        let Value::List(items) = &arg.value else {
            return None;
        };
        match name {
            "Fn::Equals" => {
                let [a, b] = items.as_slice() else {
                    return None;
                };
                let a = self.resolve_quiet(a, depth + 1)?;
                let b = self.resolve_quiet(b, depth + 1)?;
                Some(scalar_text(&a.value)? == scalar_text(&b.value)?)
            }
            "Fn::And" | "Fn::Or" => {
                let short = name == "Fn::Or"; // the value that decides the whole expression
                let mut all_known = true;
                for item in items {
                    match self.eval_cond(item, depth + 1) {
                        Some(v) if v == short => return Some(short),
                        Some(_) => {}
                        None => all_known = false,
                    }
                }
                all_known.then_some(!short)
            }
            "Fn::Not" => {
                let [x] = items.as_slice() else { return None };
                self.eval_cond(x, depth + 1).map(|b| !b)
            }
            _ => None,
        }
    }
}

/// All combinations of the free conditions are explored up to this many of them.
const EXHAUSTIVE_UP_TO: usize = 5;
/// Most scenarios built for one template.
const MAX_SCENARIOS: usize = 64;
/// Most resource resolutions over all scenarios of one template (scenarios × resources), so a
/// template with 10,000 resources gets few scenarios and a small one gets many.
const RESOURCE_BUDGET: usize = 100_000;

/// The undecided *atomic* conditions that change the resolved graph, sorted by name.
///
/// A condition matters when a resource that may be created names it in `Condition`, or an
/// `Fn::If` in a resource that may be created names it and its two branches differ. A
/// condition that stays undecided (a parameter without default or value, a pseudo parameter)
/// is traced through `Condition` references down to the undecided conditions that reference
/// no other undecided condition: those are the atoms, treated as free booleans; composed
/// conditions are derived from them in each scenario.
pub(crate) fn free_conditions(root: &Node, options: &CfnOptions) -> Vec<String> {
    let Some(Value::Map(conditions)) = root.get("Conditions").map(|n| &n.value) else {
        return Vec::new();
    };
    let mut resolver = Resolver::new(root, BTreeSet::new(), options);
    let mut used = BTreeSet::new();
    if let Some(Value::Map(resources)) = root.get("Resources").map(|n| &n.value) {
        for entry in resources.values() {
            if let Some(cond) = entry.node.get("Condition").and_then(Node::as_str) {
                match resolver.condition(cond) {
                    Some(false) => continue, // never created
                    Some(true) => {}
                    None => {
                        used.insert(cond.to_owned());
                    }
                }
            }
            if let Value::Map(body) = &entry.node.value {
                for (key, e) in body {
                    if key != "Condition" && key != "Type" {
                        if_conditions(&e.node, &mut resolver, &mut used, 0);
                    }
                }
            } else {
                if_conditions(&entry.node, &mut resolver, &mut used, 0);
            }
        }
    }
    let mut atoms = BTreeSet::new();
    let mut visiting = BTreeSet::new();
    for name in &used {
        collect_atoms(name, conditions, &mut resolver, &mut atoms, &mut visiting);
    }
    atoms.into_iter().collect()
}

/// Adds to `used` the undecided conditions of the `Fn::If`s in `node` whose branches differ;
/// follows only the chosen branch of decided ones.
fn if_conditions(node: &Node, resolver: &mut Resolver, used: &mut BTreeSet<String>, depth: usize) {
    if depth > MAX_RESOLVE_DEPTH {
        return;
    }
    match &node.value {
        Value::Map(map) => {
            if let (1, Some(("Fn::If", e))) =
                (map.len(), map.iter().next().map(|(k, e)| (k.as_str(), e)))
            {
                if let Value::List(args) = &e.node.value {
                    if let [cond, yes, no] = args.as_slice() {
                        if let Some(name) = cond.as_str() {
                            match resolver.condition(name) {
                                Some(true) => return if_conditions(yes, resolver, used, depth + 1),
                                Some(false) => return if_conditions(no, resolver, used, depth + 1),
                                None => {
                                    if !same_value(yes, no) {
                                        used.insert(name.to_owned());
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for e in map.values() {
                if_conditions(&e.node, resolver, used, depth + 1);
            }
        }
        Value::List(items) => {
            for item in items {
                if_conditions(item, resolver, used, depth + 1);
            }
        }
        _ => {}
    }
}

/// Adds the atoms of undecided condition `name` to `atoms` (see [`free_conditions`]).
fn collect_atoms(
    name: &str,
    conditions: &BTreeMap<String, Entry>,
    resolver: &mut Resolver,
    atoms: &mut BTreeSet<String>,
    visiting: &mut BTreeSet<String>,
) {
    let Some(expr) = conditions.get(name) else {
        return;
    };
    if resolver.condition(name).is_some() || !visiting.insert(name.to_owned()) {
        return;
    }
    let mut refs = BTreeSet::new();
    condition_refs(&expr.node, &mut refs, 0);
    let undecided: Vec<String> = refs
        .into_iter()
        .filter(|r| conditions.contains_key(r) && resolver.condition(r).is_none())
        .collect();
    if undecided.is_empty() {
        atoms.insert(name.to_owned());
    }
    for r in undecided {
        collect_atoms(&r, conditions, resolver, atoms, visiting);
    }
    visiting.remove(name);
}

/// Names referenced with `Condition: Name` inside a condition expression.
fn condition_refs(node: &Node, out: &mut BTreeSet<String>, depth: usize) {
    if depth > MAX_RESOLVE_DEPTH {
        return;
    }
    match &node.value {
        Value::Map(map) => {
            for (k, e) in map {
                match (k.as_str(), e.node.as_str()) {
                    ("Condition", Some(name)) => {
                        out.insert(name.to_owned());
                    }
                    _ => condition_refs(&e.node, out, depth + 1),
                }
            }
        }
        Value::List(items) => {
            for item in items {
                condition_refs(item, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// The condition values to explore for the free conditions `free` of a template with
/// `resources` resources. Deterministic:
///
/// - no free condition: no scenario (the one graph is evaluated);
/// - up to [`EXHAUSTIVE_UP_TO`] free conditions: every combination (at most 32);
/// - more: a covering set: all false, all true, then each condition alone true (the others
///   false) — `n + 2` scenarios, so every single condition is seen both ways and a finding
///   that depends on one condition is attributed to it. Interactions between two or more
///   conditions are not explored.
///
/// The count is capped by [`MAX_SCENARIOS`] and by [`RESOURCE_BUDGET`] / `resources`
/// (never below the two extremes); conditions past the cap are explored only in those.
pub(crate) fn assignments(free: &[String], resources: usize) -> Vec<BTreeMap<String, bool>> {
    let n = free.len();
    if n == 0 {
        return Vec::new();
    }
    let cap = (RESOURCE_BUDGET / resources.max(1)).clamp(2, MAX_SCENARIOS);
    let with = |f: &dyn Fn(usize) -> bool| -> BTreeMap<String, bool> {
        free.iter()
            .enumerate()
            .map(|(i, name)| (name.clone(), f(i)))
            .collect()
    };
    if n <= EXHAUSTIVE_UP_TO && (1usize << n) <= cap {
        return (0..1usize << n)
            .map(|mask| with(&|i| mask & (1 << (n - 1 - i)) != 0))
            .collect();
    }
    let mut out = vec![with(&|_| false), with(&|_| true)];
    for one in 0..n {
        if out.len() >= cap {
            break;
        }
        out.push(with(&|i| i == one));
    }
    out
}
