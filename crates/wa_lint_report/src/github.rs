//! The `github` format: GitHub Actions workflow commands, one annotation per finding and per
//! located diagnostic, then a plain summary line.
//!
//! Each line is `::LEVEL file=PATH,line=L,endLine=L,col=C,endColumn=C,title=TITLE::MESSAGE`
//! (<https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions#setting-an-error-message>).
//! Levels: a failed critical/high finding → `error`, medium/low → `warning`, info → `notice`;
//! unknown findings → `notice`; suppressed findings are left out. Error diagnostics → `error`,
//! warnings → `warning`, notes → `notice`.
//!
//! Escaping follows `@actions/core` (`toolkit/packages/core/src/command.ts`): in the message
//! `%` → `%25`, `\r` → `%0D`, `\n` → `%0A`; in property values additionally `:` → `%3A` and
//! `,` → `%2C`. Lines and columns are 1-based; columns count Unicode scalar values.

use std::io::Write;

use wa_lint_linter::{Finding, LintReport, Status};
use wa_lint_rules::Severity;
use wa_lint_source::Level;

use crate::lookup::Lookup;
use crate::summary::{summary_line, Summary};
use crate::RenderOptions;

/// Escapes the message part (after `::`) of a workflow command; other control characters
/// (ANSI escapes, which the job log would interpret) and bidi overrides become U+FFFD.
pub(crate) fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if crate::sanitize::is_unsafe(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value (`file=`, `title=`) of a workflow command.
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The workflow command level of a finding, `None` when it is not annotated (suppressed).
fn finding_level(f: &Finding) -> Option<&'static str> {
    if f.status == Status::Fail {
        Some(match f.severity {
            Severity::Critical | Severity::High => "error",
            Severity::Medium | Severity::Low => "warning",
            Severity::Info => "notice",
        })
    } else if f.status == Status::Unknown {
        Some("notice")
    } else {
        None
    }
}

/// One workflow command line (without newline).
fn command(level: &str, properties: &[(&str, String)], message: &str) -> String {
    let props: Vec<String> = properties
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    if props.is_empty() {
        format!("::{level}::{}", escape_data(message))
    } else {
        format!("::{level} {}::{}", props.join(","), escape_data(message))
    }
}

/// The annotation of one finding, `None` for suppressed ones.
pub(crate) fn finding_command(f: &Finding, title: &str) -> Option<String> {
    let level = finding_level(f)?;
    let l = &f.location;
    let mut message = f.message.clone();
    if f.status == Status::Unknown {
        message = format!("(unknown before deploy) {message}");
    }
    message = format!("{message}\n{} {}", f.resource_type, f.address);
    Some(command(
        level,
        &[
            ("file", l.path.clone()),
            ("line", l.start.line.max(1).to_string()),
            ("endLine", l.end.line.max(1).to_string()),
            ("col", l.start.column.max(1).to_string()),
            ("endColumn", l.end.column.max(1).to_string()),
            (
                "title",
                format!("{} [{}] {title}", f.rule_id, f.severity.as_str()),
            ),
        ],
        &message,
    ))
}

/// Writes the workflow commands of `report`.
pub(crate) fn render(
    report: &LintReport,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let lookup = Lookup::new(report, &[]);
    for d in &report.diagnostics {
        let level = match d.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        };
        let mut props = Vec::new();
        if let Some(path) = &d.path {
            props.push(("file", path.clone()));
            if let Some((start, end)) = d.range.and_then(|r| lookup.line_cols(path, r)) {
                props.push(("line", start.line.to_string()));
                props.push(("endLine", end.line.to_string()));
                props.push(("col", start.column.to_string()));
                props.push(("endColumn", end.column.to_string()));
            }
        }
        props.push(("title", format!("wa-lint {}", d.code)));
        let message = match &d.help {
            Some(help) => format!("{}\nhelp: {help}", d.message),
            None => d.message.clone(),
        };
        writeln!(out, "{}", command(level, &props, &message))?;
    }
    for f in &report.findings {
        let title = lookup
            .rule(&f.rule_id)
            .map_or("", |(_, r)| r.title.as_str());
        if let Some(line) = finding_command(f, title) {
            writeln!(out, "{line}")?;
        }
    }
    writeln!(
        out,
        "wa-lint: {}",
        summary_line(&Summary::of(report), options.elapsed)
    )?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_actions_core() {
        assert_eq!(
            escape_data("50% of a\r\nb: c, d"),
            "50%25 of a%0D%0Ab: c, d"
        );
        assert_eq!(
            escape_property("dir,x/a:b%\n.yaml"),
            "dir%2Cx/a%3Ab%25%0A.yaml"
        );
        assert_eq!(
            escape_data("a::error::b\u{1b}[31m%0A"),
            "a::error::b\u{fffd}[31m%250A"
        );
    }

    #[test]
    fn command_shape() {
        assert_eq!(
            command(
                "error",
                &[("file", "a b.tf".into()), ("line", "3".into())],
                "x"
            ),
            "::error file=a b.tf,line=3::x"
        );
        assert_eq!(command("notice", &[], "m:1"), "::notice::m:1");
    }
}
