//! `wa-lint rules` and `wa-lint explain`.

use std::io::Write;

use anyhow::Context;
use wa_lint_rules::RulePack;

use crate::cli::{ExplainArgs, RulesArgs};

/// Prints one line per rule: ID, severity, title.
pub fn list(args: &RulesArgs) -> anyhow::Result<u8> {
    let pack = RulePack::load(&args.rule_dirs).context("cannot load the rules pack")?;
    let mut out = std::io::stdout().lock();
    for rule in pack.rules() {
        writeln!(
            out,
            "{:<36} {:<8} {}",
            rule.id,
            rule.severity.as_str(),
            rule.title
        )?;
    }
    Ok(0)
}

/// Prints a rule's documentation; exit code 2 when the ID is unknown.
pub fn explain(args: &ExplainArgs) -> anyhow::Result<u8> {
    let pack = RulePack::load(&args.rule_dirs).context("cannot load the rules pack")?;
    let Some(rule) = pack
        .rules()
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(&args.id))
    else {
        eprintln!(
            "wa-lint: error: no rule with ID `{}` (see `wa-lint rules`)",
            args.id
        );
        return Ok(2);
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} [{}] {}\n",
        rule.id,
        rule.severity.as_str(),
        rule.title
    )?;
    writeln!(out, "{}", rule.description.trim_end())?;
    writeln!(out, "\nBest practices: {}", rule.best_practices.join(", "))?;
    writeln!(out, "Resource types: {}", rule.resource_types.join(", "))?;
    writeln!(out, "Recommended action: {}", rule.recommended_action)?;
    Ok(0)
}
