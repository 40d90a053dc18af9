//! Evaluating the applicable rules of the pack on one unit's graph.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Instant;

use regorus::Value as RValue;
use wa_lint_graph::ResourceGraph;

use crate::input::build_input;
use crate::result::{convert_rows, ResultKeys};
use crate::{Evaluation, ResultStatus, RuleError, RulePack};

/// Evaluates rules on graphs; one per worker thread (it owns clones of the compiled engines).
pub struct Evaluator {
    pack: RulePack,
    keys: ResultKeys,
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
        }
    }

    /// Runs every rule whose `resource_types` occur in `graph`: builds the input once, then
    /// evaluates each rule's `deny` (status fail) and `unknown` (status unknown) sets, one
    /// query per engine group that has applicable rules.
    ///
    /// A rule that fails to evaluate or runs over its time budget yields one
    /// [`RuleError`] and no results; a malformed result row yields a [`RuleError`] and is
    /// dropped while the rule's other rows are kept. Other rules are not affected.
    /// `results` and `errors` come back sorted and deduplicated.
    pub fn evaluate(&mut self, graph: &ResourceGraph) -> Evaluation {
        let mut evaluation = Evaluation::default();
        let shared = std::sync::Arc::clone(&self.pack.shared);
        let mut by_group: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for index in shared.applicable(graph) {
            if let Some(entries) = shared.entries.get(index) {
                by_group.entry(entries.group).or_default().push(index);
            }
        }
        if by_group.is_empty() {
            return evaluation;
        }
        let input = build_input(graph);
        let mut per_rule = Vec::new();
        for (group, applicable) in by_group {
            let Some(engine) = self.pack.engines.get_mut(group) else {
                continue;
            };
            engine.set_input(input.clone());
            // Fast path: the group's applicable rules in one query, so library views
            // (`walint.lib.*`) are computed once per unit and group instead of once per rule.
            // When it fails (a rule error, a time-out), each rule is evaluated on its own so
            // one rule cannot hide the others.
            match evaluate_together(engine, &shared, &applicable) {
                Some(values) => per_rule.extend(values),
                None => {
                    per_rule.extend(evaluate_each(engine, &shared, &applicable, &mut evaluation));
                }
            }
            // Drop the unit's input so the engine does not keep it alive until the next unit.
            engine.set_input(RValue::Undefined);
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

/// Evaluates the entry points of every rule in `applicable` with one query
/// (`[[v | v := data.walint.rules.a.deny], [v | v := data.walint.rules.a.unknown], …]`, one
/// entry per line: regorus limits a line to 1,024 columns) on `engine`, which holds them all. `None` when the
/// query fails or its result does not have the expected shape.
fn evaluate_together(
    engine: &mut regorus::Engine,
    shared: &crate::pack::Shared,
    applicable: &[usize],
) -> Option<Vec<RuleRows>> {
    let mut slots = Vec::new();
    for &index in applicable {
        let entries = shared.entries.get(index)?;
        for (entry, status) in [
            (&entries.deny, ResultStatus::Fail),
            (&entries.unknown, ResultStatus::Unknown),
        ] {
            if let Some(entry) = entry {
                slots.push((index, entry.as_str(), status));
            }
        }
    }
    // Each entry is wrapped in a comprehension (`[v | v := data.….deny]`: `[]` when undefined,
    // else `[value]`) so one undefined entry does not make the whole array undefined.
    let query = format!(
        "[\n{}\n]",
        slots
            .iter()
            .map(|(_, e, _)| format!("[v | v := {e}]"))
            .collect::<Vec<_>>()
            .join(",\n")
    );
    let results = engine.eval_query(query, false).ok()?;
    let value = results
        .result
        .into_iter()
        .next()?
        .expressions
        .into_iter()
        .next()?
        .value;
    let values = value.as_array().ok()?;
    if values.len() != slots.len() {
        return None;
    }
    let mut out: Vec<RuleRows> = Vec::new();
    for ((index, _, status), wrapped) in slots.into_iter().zip(values.iter()) {
        let value = match wrapped.as_array().ok()?.as_slice() {
            [] => RValue::Undefined,
            [value] => value.clone(),
            _ => return None,
        };
        match out.last_mut() {
            Some((last, rows)) if *last == index => rows.push((value, status)),
            _ => out.push((index, vec![(value, status)])),
        }
    }
    Some(out)
}

/// Evaluates every rule in `applicable` on its own on `engine`; a rule that fails or times out
/// adds one [`RuleError`] to `evaluation` and no rows.
fn evaluate_each(
    engine: &mut regorus::Engine,
    shared: &crate::pack::Shared,
    applicable: &[usize],
    evaluation: &mut Evaluation,
) -> Vec<RuleRows> {
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
            let started = Instant::now();
            match engine.eval_rule(entry.clone()) {
                Ok(value) => rows.push((value, status)),
                Err(e) => {
                    let timed_out = matches!(
                        e.downcast_ref::<regorus::LimitError>(),
                        Some(regorus::LimitError::TimeLimitExceeded { .. })
                    );
                    failed = Some(eval_error_message(entry, &e, timed_out, started));
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
