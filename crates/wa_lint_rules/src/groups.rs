//! Splitting the pack into engine groups.
//!
//! regorus' interpreter walks every module of an engine on each query (rule prefixes, query
//! analysis) and on each first lookup of a `data.` path, so the cost of evaluating one rule grows
//! with the number of modules compiled next to it: with the whole pack in one engine, about
//! three quarters of the evaluation time went into those walks (`docs/benchmarks.md`, "Rules
//! pack cost"). The pack is therefore compiled into several engines:
//!
//! - one per area of the embedded pack (`<builtin>/<area>/<rule>/rule.rego`), holding that
//!   area's rules and the modules they reference through `data.` paths (`import
//!   data.walint.lib.setting`, `data.walint.rules.x.deny`), transitively;
//! - one holding every module, for user rules and helpers (`--rules DIR`): their references
//!   are not analysed, so they see exactly what a single engine would give them.
//!
//! Rules of one group are evaluated together by one generated rule (`dispatch.rs`), so the library views they share are
//! computed once per unit and group.

use std::collections::{BTreeMap, BTreeSet};

use crate::sources::BUILTIN_PREFIX;

/// A module of the pack as the grouping sees it.
#[derive(Debug)]
pub(crate) struct Module<'a> {
    /// Display path (`<builtin>/…` for the embedded pack).
    pub(crate) path: &'a str,
    /// Rego source.
    pub(crate) text: &'a str,
    /// Its `package`.
    pub(crate) package: &'a str,
    /// True for rule modules (`walint.rules.*` with METADATA).
    pub(crate) is_rule: bool,
}

/// The engine groups: for each, the indexes into `modules` it compiles (ascending, so modules
/// are added in the pack's order) and the rule modules it evaluates. Every rule module is
/// evaluated by exactly one group. There is always at least one group (with no rules when the
/// pack has none) so every module is compiled.
pub(crate) fn plan(modules: &[Module<'_>]) -> Vec<Group> {
    let mut by_key: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
    for (i, module) in modules.iter().enumerate() {
        if module.is_rule {
            by_key.entry(area(module.path)).or_default().push(i);
        }
    }
    // Modules outside the embedded pack (user rules and helpers) and packs without rules get
    // the all-modules engine, so every module is compiled (and its errors reported) at load.
    if by_key.is_empty() || modules.iter().any(|m| !m.path.starts_with(BUILTIN_PREFIX)) {
        by_key.entry(None).or_default();
    }
    let packages = packages(modules);
    by_key
        .into_iter()
        .map(|(key, rules)| {
            let compiled = match key {
                None => (0..modules.len()).collect(),
                Some(_) => closure(modules, &packages, &rules),
            };
            Group { compiled, rules }
        })
        .collect()
}

/// Package → every module declaring it (a package may span modules, e.g. a user helper in
/// `package walint.lib` next to the built-in one: both are compiled wherever the package is
/// referenced).
fn packages<'a>(modules: &[Module<'a>]) -> BTreeMap<&'a str, Vec<usize>> {
    let mut out: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, m) in modules.iter().enumerate() {
        out.entry(m.package).or_default().push(i);
    }
    out
}

/// One engine's modules.
#[derive(Debug)]
pub(crate) struct Group {
    /// Indexes of the modules compiled into the engine, ascending.
    pub(crate) compiled: Vec<usize>,
    /// Indexes of the rule modules the engine evaluates, ascending.
    pub(crate) rules: Vec<usize>,
}

/// The area of an embedded rule (`<builtin>/<area>/<rule>/rule.rego` → `<area>`); `None` for
/// user rules.
fn area(path: &str) -> Option<&str> {
    let rest = path.strip_prefix(BUILTIN_PREFIX)?;
    let (area, rule) = rest.split_once('/')?;
    rule.contains('/').then_some(area)
}

/// `rules` and every module they reference, transitively; ascending.
fn closure(
    modules: &[Module<'_>],
    packages: &BTreeMap<&str, Vec<usize>>,
    rules: &[usize],
) -> Vec<usize> {
    let mut done: BTreeSet<usize> = BTreeSet::new();
    let mut todo: Vec<usize> = rules.to_vec();
    while let Some(i) = todo.pop() {
        if !done.insert(i) {
            continue;
        }
        if let Some(module) = modules.get(i) {
            todo.extend(references(module.text, packages));
        }
    }
    done.into_iter().collect()
}

/// Modules whose package `text` names through a `data.` path: the longest package that is a
/// prefix of the path (`data.walint.rules.x.deny` → `walint.rules.x`) and, when the path is not
/// a package itself, every package below it (`data.walint` → `walint.lib`, `walint.lib.iam`,
/// …). Comments and strings are not told apart from code, which can only add modules.
fn references(text: &str, packages: &BTreeMap<&str, Vec<usize>>) -> Vec<usize> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = text.get(from..).and_then(|rest| rest.find("data.")) {
        let start = from + offset;
        from = start + "data.".len();
        if text
            .get(..start)
            .and_then(|before| before.chars().next_back())
            .is_some_and(is_ident)
        {
            continue;
        }
        let rest = text.get(from..).unwrap_or_default();
        let len = rest
            .find(|c: char| !is_ident(c) && c != '.')
            .unwrap_or(rest.len());
        let path = rest.get(..len).unwrap_or_default().trim_end_matches('.');
        if path.is_empty() {
            continue;
        }
        // The longest package the path lies in.
        let mut prefix = path;
        loop {
            if let Some(declaring) = packages.get(prefix) {
                found.extend(declaring);
                break;
            }
            match prefix.rsplit_once('.') {
                Some((shorter, _)) => prefix = shorter,
                None => break,
            }
        }
        // A path that is not itself a package (`data.walint.rules`) reaches every package
        // below it. An import of a package (`import data.walint.lib`) does not bring the
        // packages below it (`walint.lib.iam`): the pack names those itself.
        if packages.contains_key(path) {
            continue;
        }
        let below = format!("{path}.");
        found.extend(
            packages
                .range(below.as_str()..)
                .take_while(|(p, _)| p.starts_with(&below))
                .flat_map(|(_, declaring)| declaring.iter().copied()),
        );
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module<'a>(path: &'a str, package: &'a str, text: &'a str, is_rule: bool) -> Module<'a> {
        Module {
            path,
            text,
            package,
            is_rule,
        }
    }

    #[test]
    fn areas_group_rules_with_all_libraries_and_referenced_rules() {
        let modules = [
            module(
                "<builtin>/lib/lib.rego",
                "walint.lib",
                "package walint.lib",
                false,
            ),
            module(
                "<builtin>/lib/iam.rego",
                "walint.lib.iam",
                "package walint.lib.iam",
                false,
            ),
            module(
                "<builtin>/permissions/a/rule.rego",
                "walint.rules.a",
                "package walint.rules.a\nimport data.walint.lib\n",
                true,
            ),
            module(
                "<builtin>/identity/b/rule.rego",
                "walint.rules.b",
                "package walint.rules.b\nx := data.walint.rules.a.deny\n",
                true,
            ),
            module(
                "<builtin>/identity/c/rule.rego",
                "walint.rules.c",
                "package walint.rules.c\n# mydata.walint.rules.d is not a reference\n",
                true,
            ),
            module(
                "<builtin>/permissions/d/rule.rego",
                "walint.rules.d",
                "package walint.rules.d",
                true,
            ),
            module(
                "mine/e.rego",
                "walint.rules.e",
                "package walint.rules.e",
                true,
            ),
        ];
        let groups = plan(&modules);
        let shapes: Vec<(Vec<usize>, Vec<usize>)> =
            groups.into_iter().map(|g| (g.compiled, g.rules)).collect();
        assert_eq!(
            shapes,
            vec![
                // user rules: every module
                (vec![0, 1, 2, 3, 4, 5, 6], vec![6]),
                // identity: b references a (another area) and through it walint.lib (not
                // walint.lib.iam: importing a package does not bring those below it)
                (vec![0, 2, 3, 4], vec![3, 4]),
                // permissions
                (vec![0, 2, 5], vec![2, 5]),
            ]
        );
    }

    #[test]
    fn a_pack_without_rules_still_compiles_its_libraries() {
        let modules = [module(
            "x.rego",
            "walint.lib.x",
            "package walint.lib.x",
            false,
        )];
        let groups = plan(&modules);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups.first().map(|g| g.compiled.clone()), Some(vec![0]));
    }

    #[test]
    fn parent_paths_reach_every_package_below() {
        let modules = [
            module("l", "walint.lib", "", false),
            module("i", "walint.lib.iam", "", false),
            module("r", "walint.rules.r", "", true),
        ];
        let packages = packages(&modules);
        assert_eq!(references("import data.walint.lib\n", &packages), vec![0]);
        let mut found = references("x := data.walint", &packages);
        found.sort_unstable();
        assert_eq!(found, vec![0, 1, 2]);
        assert_eq!(
            references("data.walint.rules.r.deny[x]", &packages),
            vec![2]
        );
        assert!(references("data.other.thing", &packages).is_empty());
    }

    #[test]
    fn a_package_declared_by_two_modules_brings_both() {
        let modules = [
            module("<builtin>/lib/lib.rego", "walint.lib", "", false),
            module(
                "<builtin>/a/r/rule.rego",
                "walint.rules.r",
                "import data.walint.lib\n",
                true,
            ),
            module("mine/extra.rego", "walint.lib", "", false),
        ];
        let groups = plan(&modules);
        // The area group of rule 1 compiles both `walint.lib` modules (it compiled only the
        // last one, so built-in rules lost the built-in library).
        let area = groups
            .iter()
            .find(|g| g.rules == [1])
            .map(|g| g.compiled.clone());
        assert_eq!(area, Some(vec![0, 1, 2]));
        assert_eq!(
            references("import data.walint.lib\n", &packages(&modules)),
            vec![0, 2]
        );
    }
}
