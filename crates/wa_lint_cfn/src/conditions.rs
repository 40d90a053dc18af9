//! `Conditions`: `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition` over known values.

use wa_lint_graph::{Node, Value};

use crate::resolve::{scalar_text, Resolver, MAX_RESOLVE_DEPTH};

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
