//! The Security Pillar scorecard: one row per Well-Architected best practice the run's rules map
//! to (`SEC01-BP01` …), with its title, how many of its rules were evaluated, how many resources
//! they checked, and how many resources fail, are unknown, or have suppressed findings.
//!
//! Counting:
//! - **rules**: enabled rules that list the best practice; **evaluated**: those whose
//!   `resource_types` occur among the scanned resources ([`LintReport::coverage`]);
//! - **resources**: managed resources of the types those rules read (each resource once, even
//!   when several rules of the practice read it);
//! - **failing** / **unknown** / **suppressed**: distinct resources (file and address) with at
//!   least one finding of that status from a rule of the practice. A resource with a failing and
//!   an unknown finding counts in both columns.
//!
//! Two renderings: `scorecard` (an aligned plain-text table for the terminal) and
//! `scorecard-markdown` (a GitHub-flavoured Markdown table, e.g. for a job summary or a wiki).
//! Rows are sorted by best-practice ID; the totals row counts distinct rules and resources.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write;

use wa_lint_linter::{LintReport, Status};
use wa_lint_rules::docs::{best_practice_title, question_of, question_title};

/// One best practice's counts (or the totals).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    /// `SEC08-BP02`, or `total`.
    pub best_practice: String,
    /// The practice's title from the pillar ("Enforce encryption at rest"), when known.
    pub title: Option<&'static str>,
    /// Enabled rules mapped to the practice.
    pub rules: usize,
    /// Of those, rules with at least one resource of their types in the scan.
    pub evaluated: usize,
    /// Managed resources of the rules' types.
    pub resources: usize,
    /// Resources with a failing finding.
    pub failing: usize,
    /// Resources with an unknown finding.
    pub unknown: usize,
    /// Resources with a suppressed finding.
    pub suppressed: usize,
}

impl Row {
    /// `fail`, `unknown`, `pass` or `not evaluated`.
    pub fn status(&self) -> &'static str {
        if self.failing > 0 {
            "fail"
        } else if self.unknown > 0 {
            "unknown"
        } else if self.evaluated > 0 {
            "pass"
        } else {
            "not evaluated"
        }
    }
}

/// The scorecard of a run: rows sorted by best practice, and the totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Scorecard {
    /// One row per best practice of the enabled rules.
    pub rows: Vec<Row>,
    /// Distinct rules and resources over all rows.
    pub total: Row,
}

/// Accumulates one row: rule IDs, resource types, and resources per status.
#[derive(Default)]
struct Acc<'a> {
    rules: BTreeSet<&'a str>,
    evaluated: BTreeSet<&'a str>,
    types: BTreeSet<&'a str>,
    by_status: [BTreeSet<(&'a str, &'a str)>; 3],
}

impl Acc<'_> {
    fn row(&self, report: &LintReport, best_practice: &str) -> Row {
        let [failing, unknown, suppressed] = &self.by_status;
        Row {
            best_practice: best_practice.to_owned(),
            title: best_practice_title(best_practice),
            rules: self.rules.len(),
            evaluated: self.evaluated.len(),
            resources: self
                .types
                .iter()
                .filter_map(|t| report.coverage.get(*t))
                .map(|c| c.resources)
                .sum(),
            failing: failing.len(),
            unknown: unknown.len(),
            suppressed: suppressed.len(),
        }
    }
}

/// Computes the scorecard of `report` (its enabled rules, coverage and findings).
pub fn scorecard<'r>(report: &'r LintReport) -> Scorecard {
    let mut rows: BTreeMap<&str, Acc<'r>> = BTreeMap::new();
    let mut total = Acc::default();
    let mut rule_bps: BTreeMap<&str, &[String]> = BTreeMap::new();
    for rule in &report.rules {
        let evaluated = rule
            .resource_types
            .iter()
            .any(|t| report.coverage.get(t).is_some_and(|c| c.resources > 0));
        rule_bps.insert(&rule.id, &rule.best_practices);
        let add = |acc: &mut Acc<'r>| {
            acc.rules.insert(&rule.id);
            if evaluated {
                acc.evaluated.insert(&rule.id);
            }
            acc.types
                .extend(rule.resource_types.iter().map(String::as_str));
        };
        for bp in &rule.best_practices {
            add(rows.entry(bp.as_str()).or_default());
        }
        add(&mut total);
    }
    for f in &report.findings {
        let Some(bps) = rule_bps.get(f.rule_id.as_str()) else {
            continue;
        };
        let slot = match f.status {
            Status::Fail => 0,
            Status::Unknown => 1,
            Status::Suppressed => 2,
        };
        let resource = (f.location.path.as_str(), f.address.as_str());
        let add = |acc: &mut Acc<'r>| {
            if let Some(set) = acc.by_status.get_mut(slot) {
                set.insert(resource);
            }
        };
        for bp in *bps {
            if let Some(acc) = rows.get_mut(bp.as_str()) {
                add(acc);
            }
        }
        add(&mut total);
    }
    Scorecard {
        rows: rows.iter().map(|(bp, acc)| acc.row(report, bp)).collect(),
        total: total.row(report, "total"),
    }
}

/// The column headers, in order.
const HEADERS: [&str; 8] = [
    "BEST PRACTICE",
    "RULES",
    "EVALUATED",
    "RESOURCES",
    "FAILING",
    "UNKNOWN",
    "SUPPRESSED",
    "STATUS",
];

/// Writes the plain-text scorecard: a title, one line per best practice (ID, counts, status,
/// title), a totals line and a legend.
///
/// # Errors
/// I/O errors of `out`.
pub(crate) fn render_text(report: &LintReport, out: &mut dyn Write) -> std::io::Result<()> {
    let card = scorecard(report);
    let cells = |r: &Row, name: &str, status: &str| -> [String; 8] {
        [
            name.to_owned(),
            r.rules.to_string(),
            r.evaluated.to_string(),
            r.resources.to_string(),
            r.failing.to_string(),
            r.unknown.to_string(),
            r.suppressed.to_string(),
            status.to_owned(),
        ]
    };
    let mut lines: Vec<([String; 8], &str)> = vec![(HEADERS.map(str::to_owned), "TITLE")];
    lines.extend(card.rows.iter().map(|r| {
        (
            cells(r, &r.best_practice, r.status()),
            r.title.unwrap_or(""),
        )
    }));
    lines.push((cells(&card.total, "TOTAL", ""), ""));
    let mut widths = [0usize; 8];
    for (row, _) in &lines {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }

    let mut text = String::from("Well-Architected Security Pillar scorecard\n\n");
    for (row, title) in &lines {
        let mut line = String::new();
        for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
            // Text columns left-aligned, counts right-aligned.
            if i == 0 || i == 7 {
                let _ = write!(line, "{cell:<width$}  ");
            } else {
                let _ = write!(line, "{cell:>width$}  ");
            }
        }
        line.push_str(title);
        let _ = writeln!(text, "{}", line.trim_end());
    }
    out.write_all(text.as_bytes())?;
    out.write_all(
        b"\nrules: enabled rules mapped to the practice; evaluated: rules whose resource types \
were found; resources: resources of those types; failing/unknown/suppressed: resources with \
such a finding.\n",
    )?;
    out.flush()
}

/// Writes the Markdown scorecard: a heading, a table with one row per best practice (grouped
/// by pillar question through a bold question row), a totals row and a legend.
///
/// # Errors
/// I/O errors of `out`.
pub(crate) fn render_markdown(report: &LintReport, out: &mut dyn Write) -> std::io::Result<()> {
    let card = scorecard(report);
    let mut md = String::from("## Well-Architected Security Pillar scorecard\n\n");
    md.push_str(
        "| Best practice | Rules evaluated | Resources checked | Failing | Unknown | Suppressed | Status |\n\
         |---|---:|---:|---:|---:|---:|---|\n",
    );
    let mut question = "";
    for r in &card.rows {
        let q = question_of(&r.best_practice);
        if q != question {
            question = q;
            match question_title(q) {
                Some(title) => {
                    let _ = writeln!(md, "| **{q}** {title} | | | | | | |");
                }
                None => {
                    let _ = writeln!(md, "| **{q}** | | | | | | |");
                }
            }
        }
        let name = match r.title {
            Some(title) => format!("{} {title}", r.best_practice),
            None => r.best_practice.clone(),
        };
        let _ = writeln!(
            md,
            "| {name} | {} of {} | {} | {} | {} | {} | {} {} |",
            r.evaluated,
            r.rules,
            r.resources,
            r.failing,
            r.unknown,
            r.suppressed,
            mark(r.status()),
            r.status()
        );
    }
    let t = &card.total;
    let _ = writeln!(
        md,
        "| **Total** | {} of {} | {} | {} | {} | {} | |",
        t.evaluated, t.rules, t.resources, t.failing, t.unknown, t.suppressed
    );
    md.push_str(
        "\nRules evaluated: rules of the practice whose resource types were found, of those \
         enabled. Resources checked: resources of those types. Failing, unknown, suppressed: \
         resources with at least one such finding.\n",
    );
    out.write_all(md.as_bytes())?;
    out.flush()
}

/// The emoji of a row status.
fn mark(status: &str) -> &'static str {
    match status {
        "fail" => "❌",
        "unknown" => "❔",
        "pass" => "✅",
        _ => "➖",
    }
}
