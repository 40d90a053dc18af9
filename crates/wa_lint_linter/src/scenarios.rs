//! Merging the findings of a unit's condition scenarios.

use std::collections::BTreeMap;

use crate::{Finding, Location, Status};

/// Identity of a finding across scenarios: rule, status, resource, attribute path, place.
type Key = (String, Status, String, String, Location);

/// Merges the findings of every scenario of one unit (`findings[i]` came from scenario `i`,
/// whose assumed condition values are `assumptions[i]`). A finding present in every scenario
/// is kept as is; one present in only some gets the deciding condition in its message
/// ("when `IsProd` is false"), or the share of scenarios when no single condition decides it.
/// With one scenario (or none), findings pass through unchanged.
pub(crate) fn merge_scenarios(
    findings: Vec<Vec<Finding>>,
    assumptions: &[&[(String, bool)]],
) -> Vec<Finding> {
    let total = findings.len();
    if total <= 1 {
        return findings.into_iter().flatten().collect();
    }
    // Same finding = same rule, status, resource, attribute and place.
    let mut seen: BTreeMap<Key, (Finding, Vec<usize>)> = BTreeMap::new();
    for (scenario, list) in findings.into_iter().enumerate() {
        for f in list {
            let key = (
                f.rule_id.clone(),
                f.status,
                f.address.clone(),
                f.attr_path.to_string(),
                f.location.clone(),
            );
            let entry = seen.entry(key).or_insert_with(|| (f, Vec::new()));
            if entry.1.last() != Some(&scenario) {
                entry.1.push(scenario);
            }
        }
    }
    seen.into_values()
        .map(|(mut finding, scenarios)| {
            if scenarios.len() < total {
                let when = deciding_condition(&scenarios, assumptions, total).map_or_else(
                    || format!("in {} of {total} condition combinations", scenarios.len()),
                    |(name, value)| format!("when `{name}` is {value}"),
                );
                finding.message = format!("{} ({when})", finding.message);
            }
            finding
        })
        .collect()
}

/// A condition whose value alone tells the scenarios in `present` from the others.
fn deciding_condition<'a>(
    present: &[usize],
    assumptions: &[&'a [(String, bool)]],
    total: usize,
) -> Option<(&'a str, bool)> {
    let first = assumptions.first()?;
    first.iter().find_map(|(name, _)| {
        let value_in = |i: usize| {
            assumptions
                .get(i)?
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| *v)
        };
        let value = value_in(*present.first()?)?;
        let decides =
            (0..total).all(|i| value_in(i).is_some_and(|v| (v == value) == present.contains(&i)));
        decides.then_some((name.as_str(), value))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use wa_lint_graph::AttrPath;
    use wa_lint_rules::Severity;
    use wa_lint_source::{LineCol, TextRange};

    use super::*;

    fn finding(message: &str) -> Finding {
        Finding {
            location: Location {
                path: "t.yaml".into(),
                range: TextRange::new(1, 2),
                start: LineCol { line: 1, column: 2 },
                end: LineCol { line: 1, column: 3 },
            },
            rule_id: "R".into(),
            severity: Severity::High,
            status: Status::Fail,
            message: message.into(),
            address: "Sg".into(),
            resource_type: "AWS::EC2::SecurityGroup".into(),
            attr_path: AttrPath::root(),
            related: vec![],
            suppression: None,
            best_practices: vec![],
            construct_path: None,
        }
    }

    #[test]
    fn names_the_deciding_condition() {
        let a: Vec<Vec<(String, bool)>> = vec![
            vec![("IsProd".into(), true), ("UseKms".into(), true)],
            vec![("IsProd".into(), true), ("UseKms".into(), false)],
            vec![("IsProd".into(), false), ("UseKms".into(), true)],
        ];
        let refs: Vec<&[(String, bool)]> = a.iter().map(Vec::as_slice).collect();
        let merged = merge_scenarios(
            vec![vec![finding("open")], vec![finding("open")], vec![]],
            &refs,
        );
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].message, "open (when `IsProd` is true)");
        let merged = merge_scenarios(vec![vec![], vec![finding("open")], vec![]], &refs);
        assert_eq!(merged[0].message, "open (when `UseKms` is false)");
        let merged = merge_scenarios(
            vec![vec![finding("x")], vec![finding("x")], vec![finding("x")]],
            &refs,
        );
        assert_eq!(merged[0].message, "x");
        let merged = merge_scenarios(vec![vec![finding("y")], vec![], vec![finding("y")]], &refs);
        assert_eq!(merged[0].message, "y (when `UseKms` is true)");
        // Present when both are true or both are false: no single condition decides.
        let mut a = a.clone();
        a.push(vec![("IsProd".into(), false), ("UseKms".into(), false)]);
        let refs: Vec<&[(String, bool)]> = a.iter().map(Vec::as_slice).collect();
        let merged = merge_scenarios(
            vec![vec![finding("z")], vec![], vec![], vec![finding("z")]],
            &refs,
        );
        assert_eq!(merged[0].message, "z (in 2 of 4 condition combinations)");
    }
}
