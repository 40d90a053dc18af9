//! Evaluating the applicable rules of the pack on one unit's graph.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use regorus::rvm::RegoVM;
use regorus::{Engine, Value as RValue};
use wa_lint_graph::ResourceGraph;

use crate::dispatch::{Dispatch, APPLICABLE_KEY};
use crate::input::build_input;
use crate::result::{convert_rows, ResultKeys};
use crate::{Evaluation, ResultStatus, RuleError, RulePack};

/// Evaluates rules on graphs; one per worker thread (it owns copies of the compiled engines).
pub struct Evaluator {
    pack: RulePack,
    keys: ResultKeys,
    /// Working copies of the pack's engines, by group, made on first use; a copy that was
    /// evaluating when regorus panicked is dropped (`None`) and made again.
    engines: Vec<Option<Engine>>,
    /// Bytecode VMs running the groups' dispatch programs (see `vm`), by group, made on first
    /// use; dropped (`None`) and made again like `engines`.
    vms: Vec<Option<RegoVM>>,
    /// Dispatch evaluations on a VM that failed (see [`Evaluator::vm_failures`]).
    vm_failures: usize,
}

impl fmt::Debug for Evaluator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Evaluator")
            .field("pack", &self.pack)
            .finish_non_exhaustive()
    }
}

impl Evaluator {
    pub(crate) fn new(pack: RulePack) -> Self {
        Self {
            pack,
            keys: ResultKeys::new(),
            engines: Vec::new(),
            vms: Vec::new(),
            vm_failures: 0,
        }
    }

    /// How many dispatch evaluations on regorus' bytecode VM failed so far (an error, a
    /// time-out, a panic), each followed by that group's rules evaluated one by one on the
    /// interpreter. For tests and benchmarks: a count that grows on ordinary inputs means the VM
    /// is not doing the work.
    pub fn vm_failures(&self) -> usize {
        self.vm_failures
    }

    /// The VM of `group`, `None` when the group has no program or the pack uses the
    /// interpreter only (see [`Evaluator::vms`]).
    fn vm(&mut self, group: usize) -> Option<&mut RegoVM> {
        if !self.pack.use_vm {
            return None;
        }
        let program = self.pack.shared.programs.get(group)?.as_ref()?;
        if self.vms.len() <= group {
            self.vms.resize_with(group + 1, || None);
        }
        let slot = self.vms.get_mut(group)?;
        if slot.is_none() {
            *slot = Some(crate::vm::new_vm(program, self.pack.timeout));
        }
        slot.as_mut()
    }

    /// The working engine of `group` (see [`Evaluator::engines`]).
    fn engine(&mut self, group: usize) -> Option<&mut Engine> {
        if self.engines.len() <= group {
            self.engines.resize_with(group + 1, || None);
        }
        let slot = self.engines.get_mut(group)?;
        if slot.is_none() {
            *slot = self.pack.shared.engine(group, self.pack.timeout);
        }
        slot.as_mut()
    }

    /// Runs every rule whose `resource_types` occur in `graph`: builds the input once, then
    /// evaluates each rule's `deny` (status fail) and `unknown` (status unknown) sets, one
    /// evaluation of the dispatch rule per engine group that has applicable rules.
    ///
    /// A rule that fails to evaluate, runs over its time budget or makes regorus panic yields
    /// one [`RuleError`] and no results; a malformed result row yields a [`RuleError`] and is
    /// dropped while the rule's other rows are kept. Other rules are not affected.
    /// `results` and `errors` come back sorted and deduplicated.
    pub fn evaluate(&mut self, graph: &ResourceGraph) -> Evaluation {
        let mut evaluation = Evaluation::default();
        let shared = Arc::clone(&self.pack.shared);
        let mut by_group: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let enabled = self.pack.enabled.clone();
        let selected = |index: &usize| enabled.as_ref().is_none_or(|e| e.contains(index));
        for index in shared.applicable(graph).into_iter().filter(selected) {
            if let Some(entries) = shared.entries.get(index) {
                by_group.entry(entries.group).or_default().push(index);
            }
        }
        if by_group.is_empty() {
            return evaluation;
        }
        let input = with_applicable(build_input(graph), &shared, &by_group);
        let mut per_rule = Vec::new();
        for (group, applicable) in by_group {
            let dispatch = shared.dispatch.get(group).and_then(Option::as_ref);
            // Fast path: the group's applicable rules in one evaluation of its dispatch rule,
            // so library views (`walint.lib.*`) are computed once per unit and group instead
            // of once per rule; on the bytecode VM when the group has a program. When it fails
            // (a rule error, a time-out, a panic), each rule is evaluated on its own on the
            // interpreter so one rule cannot hide the others.
            let together = match dispatch {
                None => Err(Failure::Error),
                Some(d) => {
                    if let Some(vm) = self.vm(group) {
                        vm.set_input(input.clone());
                        let together = evaluate_on_vm(vm, d, &applicable);
                        // Drop the unit's input so the VM does not keep it alive.
                        vm.set_input(RValue::Undefined);
                        if together == Err(Failure::Panic) {
                            self.drop_vm(group);
                        }
                        if together.is_err() {
                            self.vm_failures += 1;
                        }
                        together
                    } else if let Some(engine) = self.engine(group) {
                        engine.set_input(input.clone());
                        let together = evaluate_together(engine, d, &applicable);
                        if together == Err(Failure::Panic) {
                            self.drop_engine(group);
                        }
                        together
                    } else {
                        continue;
                    }
                }
            };
            match together {
                Ok(values) => per_rule.extend(values),
                Err(_) => {
                    let rows = self.evaluate_each(group, &input, &applicable, &mut evaluation);
                    per_rule.extend(rows);
                }
            }
            // Drop the unit's input so the engine does not keep it alive until the next unit.
            if let Some(engine) = self.engines.get_mut(group).and_then(Option::as_mut) {
                engine.set_input(RValue::Undefined);
            }
        }
        for (index, rows) in per_rule {
            let Some(meta) = shared.rules.get(index) else {
                continue;
            };
            for (value, status) in rows {
                let problems = convert_rows(
                    &value,
                    index,
                    status,
                    graph,
                    &self.keys,
                    &mut evaluation.results,
                );
                if let Some(message) = problems {
                    evaluation.errors.push(RuleError {
                        rule_id: meta.id.clone(),
                        message,
                    });
                }
            }
        }
        evaluation.results.sort();
        evaluation.results.dedup();
        evaluation.errors.sort();
        evaluation.errors.dedup();
        evaluation
    }
}

/// Result sets of one rule: `(value, status)` for its `deny` and `unknown` entry points.
type RuleRows = (usize, Vec<(RValue, ResultStatus)>);

/// Why the dispatch rule of a group gave no rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    /// An evaluation error, a time-out or a result of another shape.
    Error,
    /// regorus panicked: the engine's state is unknown.
    Panic,
}

/// `input` with [`APPLICABLE_KEY`] set to `{"<rule ID>": true}` for every rule of `by_group`.
fn with_applicable(
    mut input: RValue,
    shared: &crate::pack::Shared,
    by_group: &BTreeMap<usize, Vec<usize>>,
) -> RValue {
    let mut ids = BTreeMap::new();
    for index in by_group.values().flatten() {
        if let Some(meta) = shared.rules.get(*index) {
            ids.insert(RValue::from(meta.id.as_str()), RValue::Bool(true));
        }
    }
    if let Ok(object) = input.as_object_mut() {
        object.insert(RValue::from(APPLICABLE_KEY), RValue::from(ids));
    }
    input
}

/// Evaluates the group's dispatch rule (`data.walint.internal.dispatch_<g>.out`, see
/// `dispatch`) on `engine`: the rows of the entry points of the rules in `applicable`
/// (ascending).
///
/// # Errors
/// [`Failure::Panic`] when regorus panics, [`Failure::Error`] when the evaluation fails or its
/// result does not have the expected shape.
fn evaluate_together(
    engine: &mut Engine,
    dispatch: &Dispatch,
    applicable: &[usize],
) -> Result<Vec<RuleRows>, Failure> {
    let value = wa_lint_source::panics::catch(|| engine.eval_rule(dispatch.rule_path.clone()))
        .map_err(|_| Failure::Panic)?
        .map_err(|_| Failure::Error)?;
    rows_of(dispatch, applicable, &value).ok_or(Failure::Error)
}

/// [`evaluate_together`] on the group's bytecode VM (its input already set).
///
/// # Errors
/// As [`evaluate_together`].
fn evaluate_on_vm(
    vm: &mut RegoVM,
    dispatch: &Dispatch,
    applicable: &[usize],
) -> Result<Vec<RuleRows>, Failure> {
    let value = wa_lint_source::panics::catch(|| vm.execute())
        .map_err(|_| Failure::Panic)?
        .map_err(|_| Failure::Error)?;
    rows_of(dispatch, applicable, &value).ok_or(Failure::Error)
}

/// The rows of the rules in `applicable` in the value of a dispatch rule; `None` when it does
/// not have the expected shape.
fn rows_of(dispatch: &Dispatch, applicable: &[usize], value: &RValue) -> Option<Vec<RuleRows>> {
    let object = value.as_object().ok()?;
    let mut out: Vec<RuleRows> = Vec::new();
    for (key, slot) in dispatch.slots.iter().enumerate() {
        if applicable.binary_search(&slot.rule).is_err() {
            continue;
        }
        let wrapped = object.get(&RValue::from(key.to_string()))?;
        let value = match wrapped.as_array().ok()?.as_slice() {
            [] => RValue::Undefined,
            [value] => value.clone(),
            _ => return None,
        };
        match out.last_mut() {
            Some((last, rows)) if *last == slot.rule => rows.push((value, slot.status)),
            _ => out.push((slot.rule, vec![(value, slot.status)])),
        }
    }
    Some(out)
}

impl Evaluator {
    /// Drops the working engine of `group` (regorus panicked in it, so its state is unknown);
    /// the next use makes a new copy.
    fn drop_engine(&mut self, group: usize) {
        if let Some(slot) = self.engines.get_mut(group) {
            *slot = None;
        }
    }

    /// Drops the VM of `group` (regorus panicked in it); the next use makes a new one.
    fn drop_vm(&mut self, group: usize) {
        if let Some(slot) = self.vms.get_mut(group) {
            *slot = None;
        }
    }

    /// Evaluates every rule in `applicable` on its own on the engine of `group` with `input`; a
    /// rule that fails, times out or panics adds one [`RuleError`] to `evaluation` and no rows.
    fn evaluate_each(
        &mut self,
        group: usize,
        input: &RValue,
        applicable: &[usize],
        evaluation: &mut Evaluation,
    ) -> Vec<RuleRows> {
        let shared = Arc::clone(&self.pack.shared);
        let mut out = Vec::new();
        for &index in applicable {
            let (Some(meta), Some(entries)) = (shared.rules.get(index), shared.entries.get(index))
            else {
                continue;
            };
            let mut rows = Vec::new();
            let mut failed = None;
            for (entry, status) in [
                (&entries.deny, ResultStatus::Fail),
                (&entries.unknown, ResultStatus::Unknown),
            ] {
                let Some(entry) = entry else { continue };
                let Some(engine) = self.engine(group) else {
                    break;
                };
                engine.set_input(input.clone());
                let started = Instant::now();
                match wa_lint_source::panics::catch(|| engine.eval_rule(entry.clone())) {
                    Ok(Ok(value)) => rows.push((value, status)),
                    Ok(Err(e)) => {
                        let timed_out = matches!(
                            e.downcast_ref::<regorus::LimitError>(),
                            Some(regorus::LimitError::TimeLimitExceeded { .. })
                        );
                        failed = Some(eval_error_message(entry, &e, timed_out, started));
                        break;
                    }
                    Err(panic) => {
                        self.drop_engine(group);
                        failed = Some(format!(
                            "`{entry}` failed: the Rego interpreter panicked ({})",
                            crate::errors::one_line(&panic)
                        ));
                        break;
                    }
                }
            }
            match failed {
                Some(message) => evaluation.errors.push(RuleError {
                    rule_id: meta.id.clone(),
                    message,
                }),
                None => out.push((index, rows)),
            }
        }
        out
    }
}

/// Message for a failed evaluation: time-outs are named as such.
fn eval_error_message(
    entry: &str,
    error: &impl fmt::Display,
    timed_out: bool,
    started: Instant,
) -> String {
    let text = crate::errors::one_line(&error.to_string());
    if timed_out || text.contains("exceeded time limit") {
        format!(
            "`{entry}` timed out after {:.1} s",
            started.elapsed().as_secs_f64()
        )
    } else {
        format!("`{entry}` failed: {text}")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::DEFAULT_RULE_TIMEOUT;

    fn rule(name: &str, id: &str, body: &str) -> (String, String) {
        let text = format!(
            "# METADATA\n# title: T\n# description: D\n# custom:\n#   id: {id}\n\
             #   severity: high\n#   best_practices: [SEC05-BP01]\n\
             #   resource_types: [AWS::S3::Bucket]\n#   recommended_action: Fix it.\n\
             package walint.rules.{name}\n\nimport rego.v1\n\n{body}"
        );
        (format!("rules/{name}/rule.rego"), text)
    }

    /// The dispatch rule itself answers (the fallback rule by rule would give the same rows,
    /// only slower, so the other tests cannot tell the two paths apart).
    #[test]
    fn the_dispatch_rule_returns_the_rows_of_applicable_rules_only() {
        let pack = RulePack::from_sources(&[
            rule(
                "a",
                "WA-A",
                "deny contains 1 if true\nunknown contains 2 if true\n",
            ),
            rule("b", "WA-B", "deny contains 3 if input.x == 1\n"),
            rule("c", "WA-C", "deny contains 4 if true\n"),
        ])
        .unwrap();
        let mut engine = pack.shared.engine(0, DEFAULT_RULE_TIMEOUT).unwrap();
        let shared = &pack.shared;
        let by_group = BTreeMap::from([(0, vec![0, 1])]);
        let input = with_applicable(
            RValue::from_json_str(r#"{"x": 2}"#).unwrap(),
            shared,
            &by_group,
        );
        assert_eq!(
            input["applicable_rules"],
            RValue::from_json_str(r#"{"WA-A": true, "WA-B": true}"#).unwrap()
        );
        engine.set_input(input);
        let dispatch = shared.dispatch[0].as_ref().unwrap();
        let rows = evaluate_together(&mut engine, dispatch, &[0, 1]).unwrap();
        let set = |n: u64| {
            RValue::from(
                vec![RValue::from(n)]
                    .into_iter()
                    .collect::<std::collections::BTreeSet<_>>(),
            )
        };
        assert_eq!(
            rows,
            vec![
                (
                    0,
                    vec![
                        (set(1), ResultStatus::Fail),
                        (set(2), ResultStatus::Unknown)
                    ]
                ),
                // `deny` of b is an empty set (a partial set rule with no element).
                (
                    1,
                    vec![(
                        RValue::from(std::collections::BTreeSet::new()),
                        ResultStatus::Fail
                    )]
                ),
            ]
        );
    }
}
