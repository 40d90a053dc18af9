//! `wa-lint rules` and `wa-lint explain`.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use wa_lint_rules::docs::{self, PageSources};
use wa_lint_rules::{RuleMeta, RulePack};

use crate::cli::{ExplainArgs, ListFormatArg, RulesArgs};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));
}

/// Prints the pack: a table (ID, severity, best practices, origins, title) or, with
/// `--format json`, the document of [`docs::list_json`].
pub fn list(args: &RulesArgs) -> anyhow::Result<u8> {
    let pack = RulePack::load(&args.rule_dirs).context("cannot load the rules pack")?;
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormatArg::Json => out.write_all(docs::list_json(pack.rules()).as_bytes())?,
        ListFormatArg::Table => out.write_all(table(pack.rules()).as_bytes())?,
    }
    out.flush()?;
    Ok(0)
}

/// The `wa-lint rules` table: a header, one line per rule, a count.
fn table(rules: &[RuleMeta]) -> String {
    let rows: Vec<[String; 5]> = rules
        .iter()
        .map(|r| {
            let origins: Vec<&str> = docs::origins(r)
                .iter()
                .map(|o| match o {
                    docs::Origin::CloudFormation => "cfn",
                    docs::Origin::Terraform => "tf",
                })
                .collect();
            [
                r.id.clone(),
                r.severity.as_str().to_owned(),
                r.best_practices.join(","),
                origins.join(","),
                r.title.clone(),
            ]
        })
        .collect();
    let header = ["ID", "SEVERITY", "BEST PRACTICES", "ORIGINS", "TITLE"].map(str::to_owned);
    let widths: Vec<usize> = (0..4)
        .map(|i| {
            std::iter::once(&header)
                .chain(&rows)
                .map(|row| row.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        for (cell, width) in row.iter().zip(&widths) {
            let _ = write!(text, "{cell:<width$}  ");
        }
        text.push_str(row.get(4).map_or("", String::as_str));
        text.push('\n');
    }
    let _ = writeln!(
        text,
        "{} rules (origins: cfn = CloudFormation, tf = Terraform; `wa-lint explain ID` for details)",
        rules.len()
    );
    text
}

/// Prints a rule's documentation page (plain text, or Markdown with `--markdown`); exit code 2
/// when the ID is unknown.
pub fn explain(args: &ExplainArgs) -> anyhow::Result<u8> {
    let pack = RulePack::load(&args.rule_dirs).context("cannot load the rules pack")?;
    let Some((index, rule)) = pack.rules().iter().enumerate().find(|(_, r)| {
        r.id.eq_ignore_ascii_case(&args.id)
            || wa_lint_linter::rule_ids_named(&args.id, pack.rules()) == [r.id.clone()]
    }) else {
        eprintln!(
            "wa-lint: error: no rule with ID `{}` (see `wa-lint rules`)",
            args.id
        );
        return Ok(2);
    };
    let markdown = page(rule, pack.source_path(index).unwrap_or_default())?;
    let text = if args.markdown {
        markdown
    } else {
        docs::to_plain_text(&markdown)
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(0)
}

/// The Markdown page of `rule` read from `source`: the page embedded at build time for a
/// built-in rule (generated from the same metadata and fixtures), else generated now from the
/// metadata and the fixtures next to the rule file.
fn page(rule: &RuleMeta, source: &str) -> anyhow::Result<String> {
    if source.starts_with("<builtin>/") {
        if let Some((_, md)) = embedded::RULE_DOCS.iter().find(|(id, _)| *id == rule.id) {
            return Ok((*md).to_owned());
        }
        return Ok(docs::rule_markdown(rule, &PageSources::default()));
    }
    let fixtures = match Path::new(source).parent() {
        Some(dir) => docs::read_fixtures(dir)
            .with_context(|| format!("cannot read the fixtures of {}", rule.id))?,
        None => Vec::new(),
    };
    Ok(docs::rule_markdown(
        rule,
        &PageSources {
            fixtures: &fixtures,
            rule_dir: None,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lists_every_rule_with_origins_and_best_practices() {
        let pack = RulePack::load(&[]).unwrap();
        let text = table(pack.rules());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), pack.rules().len() + 2);
        assert!(lines[0].starts_with("ID "), "{}", lines[0]);
        let sqs = lines
            .iter()
            .find(|l| l.starts_with("WA-SEC08-SQS-ENCRYPTION "))
            .unwrap();
        let cells: Vec<&str> = sqs.split_whitespace().collect();
        assert_eq!(
            cells[..4],
            ["WA-SEC08-SQS-ENCRYPTION", "medium", "SEC08-BP02", "cfn,tf"]
        );
        assert!(sqs.ends_with("SQS queue server-side encryption is disabled"));
        assert_eq!(
            lines.last().unwrap().split_whitespace().next(),
            Some(pack.rules().len().to_string().as_str())
        );
    }

    #[test]
    fn builtin_pages_are_the_embedded_generated_docs() {
        let pack = RulePack::load(&[]).unwrap();
        let (index, rule) = pack
            .rules()
            .iter()
            .enumerate()
            .find(|(_, r)| r.id == "WA-SEC08-SQS-ENCRYPTION")
            .unwrap();
        let md = page(rule, pack.source_path(index).unwrap()).unwrap();
        assert!(md.starts_with("# WA-SEC08-SQS-ENCRYPTION\n"));
        // Fixtures are only known to the generated page, so this proves it is the embedded one.
        assert!(
            md.contains("CloudFormation — [`bad_sse_disabled.yaml`]"),
            "{md}"
        );
    }
}
