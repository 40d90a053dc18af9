//! The `markdown` format: a pull-request comment (GitHub-flavoured Markdown).
//!
//! Layout: a heading with the verdict, the summary line, a scorecard (failed findings per
//! severity and per Well-Architected best practice), a table of failed findings (severity, rule,
//! resource, location, message) and collapsible `<details>` sections: the recommended action
//! of each failing rule, the unknown findings, the suppressed findings and the errors.
//!
//! Locations are `path:line` in code spans; with [`MarkdownOptions::link_base`] (e.g.
//! `https://github.com/OWNER/REPO/blob/SHA/`) they link to the lines
//! (`…/path#L12-L14`, GitHub's line anchors). The comment is kept under GitHub's 65,536-character
//! limit of a comment body: a table stops after [`MAX_ROWS`] rows, or when the body reaches
//! [`BUDGET`] characters, with a line saying how many rows were left out (rows follow the report
//! order, so the cut is deterministic).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

use wa_lint_linter::{Finding, LintReport, Status};
use wa_lint_source::Level;

use crate::lookup::Lookup;
use crate::summary::{summary_line, Summary};
use crate::RenderOptions;

/// Most rows in one table; the rest is counted in a closing line.
pub const MAX_ROWS: usize = 200;
/// Characters of the body after which no more table rows are added (GitHub's comment limit is
/// 65,536; the rest leaves room for the closing sections).
pub const BUDGET: usize = 48_000;
/// Characters after which the "how to fix" list stops too.
const HARD_BUDGET: usize = 58_000;

/// Options of the Markdown format beyond [`RenderOptions`].
#[derive(Debug, Clone, Default)]
pub struct MarkdownOptions {
    /// Prefix that turns a report path into a URL (`{link_base}{path}#L{line}`); usually
    /// `{GITHUB_SERVER_URL}/{GITHUB_REPOSITORY}/blob/{GITHUB_SHA}/`. `None`: no links.
    pub link_base: Option<String>,
}

/// Escapes text for a table cell or a paragraph: Markdown punctuation gets a backslash,
/// `<`/`>`/`&` become entities, line breaks become spaces, control characters (ANSI escapes)
/// and bidi overrides become U+FFFD.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {}
            '\n' => out.push(' '),
            c if crate::sanitize::is_unsafe(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A code span for `s` (backticks inside are replaced, `|` escaped for tables, line breaks
/// become spaces — a code span cannot hold one inside a table row —, control characters and
/// bidi overrides become U+FFFD).
fn code(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('`');
    for c in s.chars() {
        match c {
            '`' => out.push('\''),
            '|' => out.push_str("\\|"),
            '\r' | '\n' => out.push(' '),
            c if crate::sanitize::is_unsafe(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out.push('`');
    out
}

/// `path` percent-encoded for a URL path: every byte other than the RFC 3986 `pchar`s and `/`
/// (letters, digits, `-._~!$&'*+,;=:@`), so `(`, `)`, spaces, `%`, `#`, `?`, brackets and
/// non-ASCII bytes are encoded and the Markdown link cannot end early.
fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
            )
        {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `path:line`, linked when a base is given.
fn location(f: &Finding, options: &MarkdownOptions) -> String {
    let l = &f.location;
    let text = code(&format!("{}:{}", l.path, l.start.line));
    match &options.link_base {
        Some(base) => {
            let anchor = if l.end.line > l.start.line {
                format!("#L{}-L{}", l.start.line, l.end.line)
            } else {
                format!("#L{}", l.start.line)
            };
            let path = url_path(&l.path);
            format!("[{text}]({base}{path}{anchor})")
        }
        None => text,
    }
}

fn severity_icon(f: &Finding) -> &'static str {
    use wa_lint_rules::Severity;
    match f.severity {
        Severity::Critical => "🟥 critical",
        Severity::High => "🟧 high",
        Severity::Medium => "🟨 medium",
        Severity::Low => "🟦 low",
        Severity::Info => "⬜ info",
    }
}

/// Writes rows for `findings` (at most [`MAX_ROWS`]).
fn table(md: &mut String, findings: &[&Finding], options: &MarkdownOptions, header: &str) {
    md.push_str(header);
    let mut shown = 0;
    for f in findings.iter().take(MAX_ROWS) {
        if md.len() >= BUDGET {
            break;
        }
        shown += 1;
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            severity_icon(f),
            code(&f.rule_id),
            code(&f.address),
            location(f, options),
            escape(&f.message)
        );
    }
    if findings.len() > shown {
        let _ = writeln!(
            md,
            "\n… and {} more (see the full report).",
            findings.len() - shown
        );
    }
}

/// The comment body.
pub(crate) fn document(
    report: &LintReport,
    options: &RenderOptions,
    md_options: &MarkdownOptions,
) -> String {
    let lookup = Lookup::new(report, &[]);
    let summary = Summary::of(report);
    let failed: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .collect();
    let unknown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Unknown)
        .collect();
    let suppressed: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.status != Status::Fail && f.status != Status::Unknown)
        .collect();

    let mut md = String::new();
    let verdict = if summary.errors > 0 {
        "❌ errors"
    } else if failed.is_empty() {
        "✅ no failed findings"
    } else {
        "⚠️ failed findings"
    };
    let _ = writeln!(md, "## wa-lint: {verdict}\n");
    let _ = writeln!(md, "{}\n", escape(&summary_line(&summary, options.elapsed)));

    // Scorecard.
    let s = summary.failed_by_severity;
    md.push_str("| critical | high | medium | low | info | unknown | suppressed |\n");
    md.push_str("|---:|---:|---:|---:|---:|---:|---:|\n");
    let _ = writeln!(
        md,
        "| {} | {} | {} | {} | {} | {} | {} |\n",
        s.critical, s.high, s.medium, s.low, s.info, summary.unknown, summary.suppressed
    );
    let mut by_bp: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &report.rules {
        for bp in &r.best_practices {
            by_bp.entry(bp.as_str()).or_default();
        }
    }
    for f in &failed {
        for bp in &f.best_practices {
            *by_bp.entry(bp.as_str()).or_default() += 1;
        }
    }
    if !by_bp.is_empty() {
        md.push_str("<details><summary>Scorecard by Well-Architected best practice</summary>\n\n");
        md.push_str("| best practice | failed findings |\n|---|---:|\n");
        for (bp, n) in &by_bp {
            let mark = if *n == 0 { "✅" } else { "❌" };
            let _ = writeln!(md, "| {mark} {} | {n} |", code(bp));
        }
        md.push_str("\n</details>\n\n");
    }

    if !failed.is_empty() {
        table(
            &mut md,
            &failed,
            md_options,
            "### Failed findings\n\n| severity | rule | resource | location | message |\n|---|---|---|---|---|\n",
        );
        md.push('\n');
        let mut rules: Vec<&str> = failed.iter().map(|f| f.rule_id.as_str()).collect();
        rules.dedup();
        rules.sort_unstable();
        rules.dedup();
        md.push_str("<details><summary>How to fix</summary>\n\n");
        let total = rules.len();
        for (n, id) in rules.into_iter().enumerate() {
            if md.len() >= HARD_BUDGET {
                let _ = writeln!(md, "- … and {} more rules.", total - n);
                break;
            }
            if let Some((_, r)) = lookup.rule(id) {
                let _ = writeln!(
                    md,
                    "- {} — {}: {}",
                    code(id),
                    escape(&r.title),
                    escape(&r.recommended_action)
                );
            }
        }
        md.push_str("\n</details>\n\n");
    }
    if !unknown.is_empty() {
        let _ = writeln!(
            md,
            "<details><summary>{} unknown (depend on values known only at deploy)</summary>\n",
            unknown.len()
        );
        table(
            &mut md,
            &unknown,
            md_options,
            "| severity | rule | resource | location | message |\n|---|---|---|---|---|\n",
        );
        md.push_str("\n</details>\n\n");
    }
    if !suppressed.is_empty() {
        let _ = writeln!(
            md,
            "<details><summary>{} suppressed</summary>\n",
            suppressed.len()
        );
        md.push_str("| rule | resource | location | justification |\n|---|---|---|---|\n");
        let mut shown = 0;
        for f in suppressed.iter().take(MAX_ROWS) {
            if md.len() >= BUDGET {
                break;
            }
            shown += 1;
            let why = f
                .suppression
                .as_ref()
                .map_or("", |s| s.justification.as_str());
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                code(&f.rule_id),
                code(&f.address),
                location(f, md_options),
                escape(why)
            );
        }
        if suppressed.len() > shown {
            let _ = writeln!(md, "\n… and {} more.", suppressed.len() - shown);
        }
        md.push_str("\n</details>\n\n");
    }
    let problems: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.level != Level::Note)
        .collect();
    if !problems.is_empty() {
        let _ = writeln!(
            md,
            "<details><summary>{} errors and warnings</summary>\n",
            problems.len()
        );
        let mut shown = 0;
        for d in problems.iter().take(MAX_ROWS) {
            if md.len() >= BUDGET {
                break;
            }
            shown += 1;
            let level = if d.level == Level::Error {
                "error"
            } else {
                "warning"
            };
            let _ = writeln!(
                md,
                "- {level} {} {}: {}",
                code(&d.code),
                d.path.as_deref().map(code).unwrap_or_default(),
                escape(&d.message)
            );
        }
        if problems.len() > shown {
            let _ = writeln!(md, "\n… and {} more.", problems.len() - shown);
        }
        md.push_str("\n</details>\n\n");
    }
    md.push_str("<sub>Generated by wa-lint</sub>\n");
    md
}

/// Writes the comment body.
pub(crate) fn render(
    report: &LintReport,
    options: &RenderOptions,
    md_options: &MarkdownOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    out.write_all(document(report, options, md_options).as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_table_breakers() {
        assert_eq!(escape("a|b <x> *y*\nz"), "a\\|b &lt;x&gt; \\*y\\* z");
        assert_eq!(code("a|`b`"), "`a\\|'b'`");
        assert_eq!(code("x\r\n| y\u{1b}[31m"), "`x  \\| y\u{fffd}[31m`");
        assert_eq!(escape("a\u{1b}]8;;u\u{7}"), "a\u{fffd}\\]8;;u\u{fffd}");
        assert_eq!(url_path("a b/(c)%#?.yaml"), "a%20b/%28c%29%25%23%3F.yaml");
        assert_eq!(url_path("web,stack:1.yaml"), "web,stack:1.yaml");
    }
}
