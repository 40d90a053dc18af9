//! One generated Rego rule per engine group that evaluates the group's applicable rules.
//!
//! Evaluating a group through a query string (`[[v | v := data.….deny], …]`) made regorus parse
//! and analyse that query against every module of the engine for every unit: 27% of the
//! evaluation instructions on one-resource templates (`docs/benchmarks.md`). Instead each group
//! gets a module, compiled once with the pack, whose rule `out` has one entry per rule entry
//! point, guarded by the unit's applicable rules:
//!
//! ```text
//! package walint.internal.dispatch_3
//! import rego.v1
//!
//! part_0 := {
//! "0": [v |
//!     input.applicable_rules["WA-SEC08-S3-ENCRYPTION"]
//!     v := data.walint.rules.s3_encryption.deny
//! ],
//! "1": [v |
//!     input.applicable_rules["WA-SEC08-S3-ENCRYPTION"]
//!     v := data.walint.rules.s3_encryption.unknown
//! ],
//! }
//!
//! out := object.union_n([part_0])
//! ```
//!
//! The entries are split into rules of at most [`PART_ENTRIES`] (`part_<k>`) because regorus'
//! bytecode VM gives each rule a window of at most 255 registers: a group of about 40 rules in
//! one object literal did not compile for it (see `vm`).
//!
//! Each value is `[]` when the rule does not apply or the entry point is undefined, and
//! `[value]` otherwise, so one undefined entry point does not make the others undefined. (A
//! partial object `out["0"] := … if …` would be registered by regorus as one rule path per key,
//! which `eval_rule` cannot read as a whole.) The evaluator sets
//! `input.applicable_rules` (rule ID → `true`) and reads `data.walint.internal.dispatch_<g>.out`
//! with one `eval_rule` call per unit and group. A group whose dispatch module does not compile
//! (a user rule's package or ID longer than regorus' 1,024 columns per line) has none: its rules
//! are evaluated one by one, as after a failed dispatch.

use std::fmt::Write as _;

use crate::ResultStatus;

/// Key of the input object listing the rules evaluated on the unit: `{"<rule ID>": true}`.
pub(crate) const APPLICABLE_KEY: &str = "applicable_rules";

/// Most entries in one `part_<k>` rule of a dispatch module.
pub(crate) const PART_ENTRIES: usize = 16;

/// One entry point of a rule, as the dispatch rule of its group evaluates it.
#[derive(Debug, Clone)]
pub(crate) struct Slot {
    /// Index of the rule in the pack (sorted by ID).
    pub(crate) rule: usize,
    /// What a row of this entry point means.
    pub(crate) status: ResultStatus,
}

/// The dispatch module of one group: its rule path (`data.walint.internal.dispatch_<g>.out`),
/// its `(path, source)` and the slots its `out` keys (`"0"`, `"1"`, …) stand for.
#[derive(Debug, Clone)]
pub(crate) struct Dispatch {
    pub(crate) rule_path: String,
    pub(crate) module: (String, String),
    pub(crate) slots: Vec<Slot>,
}

/// Builds the dispatch module of group `group` from `(rule index, rule ID, entry point path,
/// status)` of each of its rule entry points. IDs are written as Rego strings (JSON escaping).
pub(crate) fn build(group: usize, entries: &[(usize, &str, &str, ResultStatus)]) -> Dispatch {
    let package = format!("walint.internal.dispatch_{group}");
    let mut source = format!("package {package}\n\nimport rego.v1\n");
    let mut slots = Vec::with_capacity(entries.len());
    let mut parts = Vec::new();
    for (key, (rule, id, entry, status)) in entries.iter().enumerate() {
        if key % PART_ENTRIES == 0 {
            if key > 0 {
                source.push_str("}\n");
            }
            let name = format!("part_{}", parts.len());
            let _ = write!(source, "\n{name} := {{\n");
            parts.push(name);
        }
        let id = serde_json::Value::String((*id).to_owned());
        // One statement per line: regorus refuses lines over 1,024 columns, and IDs and
        // packages of user rules can be long.
        let _ = writeln!(
            source,
            "\"{key}\": [v |\n\tinput.{APPLICABLE_KEY}[{id}]\n\tv := {entry}\n],"
        );
        slots.push(Slot {
            rule: *rule,
            status: *status,
        });
    }
    if !parts.is_empty() {
        source.push_str("}\n");
    }
    let _ = writeln!(source, "\nout := object.union_n([{}])", parts.join(", "));
    Dispatch {
        rule_path: format!("data.{package}.out"),
        module: (format!("<dispatch>/{group}.rego"), source),
        slots,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_has_one_guarded_entry_per_slot() {
        let d = build(
            2,
            &[
                (5, "WA-X", "data.walint.rules.x.deny", ResultStatus::Fail),
                (
                    5,
                    "WA-X",
                    "data.walint.rules.x.unknown",
                    ResultStatus::Unknown,
                ),
                (
                    9,
                    "WA-\"Y\"",
                    "data.walint.rules.y.deny",
                    ResultStatus::Fail,
                ),
            ],
        );
        assert_eq!(d.rule_path, "data.walint.internal.dispatch_2.out");
        assert_eq!(
            d.module.1,
            "package walint.internal.dispatch_2\n\nimport rego.v1\n\npart_0 := {\n\
             \"0\": [v |\n\tinput.applicable_rules[\"WA-X\"]\n\tv := data.walint.rules.x.deny\n],\n\
             \"1\": [v |\n\tinput.applicable_rules[\"WA-X\"]\n\tv := data.walint.rules.x.unknown\n],\n\
             \"2\": [v |\n\tinput.applicable_rules[\"WA-\\\"Y\\\"\"]\n\tv := data.walint.rules.y.deny\n],\n\
             }\n\nout := object.union_n([part_0])\n"
        );
        assert_eq!(
            d.slots
                .iter()
                .map(|s| (s.rule, s.status))
                .collect::<Vec<_>>(),
            [
                (5, ResultStatus::Fail),
                (5, ResultStatus::Unknown),
                (9, ResultStatus::Fail)
            ]
        );
    }

    #[test]
    fn entries_are_split_into_parts_of_at_most_part_entries() {
        let ids: Vec<String> = (0..PART_ENTRIES * 2 + 1)
            .map(|i| format!("WA-{i}"))
            .collect();
        let entries: Vec<(usize, &str, &str, ResultStatus)> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                (
                    i,
                    id.as_str(),
                    "data.walint.rules.x.deny",
                    ResultStatus::Fail,
                )
            })
            .collect();
        let d = build(0, &entries);
        let source = &d.module.1;
        assert_eq!(source.matches(" := {\n").count(), 3);
        assert!(source.ends_with("\nout := object.union_n([part_0, part_1, part_2])\n"));
        let part_1 = source.find("part_1 := {\n").unwrap();
        let part_2 = source.find("part_2 := {\n").unwrap();
        let key = |k: usize| source.find(&format!("\"{k}\": [v |")).unwrap();
        assert!(key(PART_ENTRIES - 1) < part_1 && part_1 < key(PART_ENTRIES));
        assert!(key(2 * PART_ENTRIES - 1) < part_2 && part_2 < key(2 * PART_ENTRIES));
        assert_eq!(
            build(0, &[]).module.1,
            "package walint.internal.dispatch_0\n\nimport rego.v1\n\nout := object.union_n([])\n"
        );
    }
}
