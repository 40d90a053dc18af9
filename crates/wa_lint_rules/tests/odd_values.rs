//! Odd-but-valid property values never fail a rule.
//!
//! `rules/<area>/<rule>/odd_values/{cfn,tf}/*` hold templates where one property of a resource
//! the rule reads has an unusual type or form (a number, string, `[]`, `[[1], ["a"]]`, ... where a
//! list, map or string belongs), each of which made the rule fail with a regorus builtin error
//! (`rule::error`, exit 2, the rule's findings for the unit lost) before the rules read such
//! values through `lib.iter`, `lib.get`, `lib.lower_of`/`upper_of` (found by
//! `fuzz/mutate_rules.py`). Each file is checked like a fixture: the whole pack is evaluated on
//! it and no rule may fail to evaluate; `bad_*` must yield a `fail` of the directory's rule,
//! `good_*` no result of it, `unknown_*` only `unknown`. The rule's results on them are
//! snapshotted in `rules/<area>/<rule>/snapshots/<ID>-odd-values.snap`.
//!
//! They are not fixtures (`fixtures/`) because the generated rule pages (`docs/rules/`) show
//! every fixture as an example of the rule.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use wa_lint_linter::fixtures::{self, Origin};
use wa_lint_rules::RulePack;

/// The workspace `rules/` directory.
fn rules_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../rules")
        .canonicalize()
        .expect("rules/ directory")
}

#[test]
fn odd_values_never_fail_a_rule() {
    let pack = RulePack::load(&[]).expect("built-in pack loads");
    let root = rules_root();
    let dirs =
        fixtures::rule_dirs(&pack, "<builtin>/").unwrap_or_else(|e| panic!("{}", e.join("\n")));

    let mut problems = Vec::new();
    let mut snapshots = Vec::new();
    let mut count = 0;
    for (dir, &rule) in &dirs {
        let rule_dir = root.join(dir);
        let mut snap = String::new();
        for origin in Origin::ALL {
            for path in fixtures::files_in(&rule_dir, "odd_values", origin) {
                let display = format!(
                    "rules/{dir}/odd_values/{}/{}",
                    origin.dir(),
                    path.file_name().unwrap().to_string_lossy()
                );
                let outcome = fixtures::check_fixture(&pack, rule, origin, &path, &display);
                problems.extend(outcome.problems);
                snap.push_str(&outcome.snapshot);
                count += 1;
            }
        }
        if !snap.is_empty() {
            snapshots.push((dir.clone(), pack.rules()[rule].id.clone(), snap));
        }
    }
    // The files found by the mutation run of fuzz/mutate_rules.py: a lost directory would
    // otherwise pass silently.
    assert!(count >= 80, "expected the odd-value files, found {count}");
    assert!(
        problems.is_empty(),
        "{} problems in {count} odd-value files:\n{}",
        problems.len(),
        problems.join("\n")
    );

    for (dir, id, snap) in snapshots {
        insta::with_settings!({
            snapshot_path => root.join(&dir).join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("{id}: results on rules/{dir}/odd_values"),
        }, {
            insta::assert_snapshot!(format!("{id}-odd-values"), snap);
        });
    }
}
