//! The `junit` format: `JUnit` XML as read by GitLab (`artifacts:reports:junit`), Jenkins
//! (`junit` step), Azure DevOps and `CircleCI`.
//!
//! Shape: one `<testsuite>` per rule of the pack (`name` = rule ID), so the CI test view groups
//! findings by control and shows every control that ran. In a suite, one `<testcase>` per
//! finding (`classname` = rule ID, `name` = `ADDRESS at PATH:LINE:COL`, `file` = path, which
//! GitLab links): a failed finding has a `<failure type="SEVERITY">`, an unknown or suppressed
//! one a `<skipped>` with the reason. A rule without findings has one passing test case named
//! `no findings`. Parse and rule errors make a last suite `wa-lint` with one `<error>` test case
//! each. The rule ID contains no `.`, so Jenkins shows it as a class without a package split.
//! Times are 0 (the scan is not timed per rule), keeping the output deterministic.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

use wa_lint_linter::{Finding, LintReport, Status};
use wa_lint_source::Level;

use crate::lookup::Lookup;
use crate::RenderOptions;

/// Escapes text and attribute values (`&`, `<`, `>`, `"`, `'`); control characters other than
/// tab, newline and carriage return (C0, which XML 1.0 forbids, and C1 and DEL, which it
/// discourages), the non-characters U+FFFE/U+FFFF (forbidden) and bidi overrides (which
/// reorder what a CI test view shows) become `?`.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control()
                || c == '\u{fffe}'
                || c == '\u{ffff}'
                || crate::sanitize::is_unsafe(c) =>
            {
                out.push('?');
            }
            c => out.push(c),
        }
    }
    out
}

/// `PATH:LINE:COL` of a finding.
fn at(f: &Finding) -> String {
    format!(
        "{}:{}:{}",
        f.location.path, f.location.start.line, f.location.start.column
    )
}

/// One `<testcase>` of a finding.
fn testcase(f: &Finding, help: &str, xml: &mut String) {
    let _ = write!(
        xml,
        "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\" time=\"0\">",
        escape(&f.rule_id),
        escape(&format!("{} at {}", f.address, at(f))),
        escape(&f.location.path),
        f.location.start.line,
    );
    let body = format!(
        "{}\n{} {} ({})\n{}",
        at(f),
        f.resource_type,
        f.address,
        f.attr_path,
        if help.is_empty() {
            String::new()
        } else {
            format!("help: {help}")
        }
    );
    if f.status == Status::Fail {
        let _ = write!(
            xml,
            "\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    ",
            f.severity.as_str(),
            escape(&f.message),
            escape(body.trim_end()),
        );
    } else if f.status == Status::Unknown {
        let _ = write!(
            xml,
            "\n      <skipped message=\"{}\"/>\n    ",
            escape(&format!("unknown before deploy: {}", f.message)),
        );
    } else {
        let why = f
            .suppression
            .as_ref()
            .map_or("", |s| s.justification.as_str());
        let _ = write!(
            xml,
            "\n      <skipped message=\"{}\"/>\n    ",
            escape(&format!("suppressed: {why}")),
        );
    }
    xml.push_str("</testcase>\n");
}

/// Writes the `JUnit` XML document of `report`.
pub(crate) fn render(
    report: &LintReport,
    _options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let lookup = Lookup::new(report, &[]);
    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = report
        .rules
        .iter()
        .map(|r| (r.id.as_str(), Vec::new()))
        .collect();
    for f in &report.findings {
        by_rule.entry(f.rule_id.as_str()).or_default().push(f);
    }

    let mut suites = String::new();
    let (mut total_tests, mut total_failures, mut total_errors, mut total_skipped) =
        (0usize, 0usize, 0usize, 0usize);
    for (id, findings) in &by_rule {
        let failures = findings.iter().filter(|f| f.status == Status::Fail).count();
        let skipped = findings.len() - failures;
        let tests = findings.len().max(1);
        total_tests += tests;
        total_failures += failures;
        total_skipped += skipped;
        let (title, help) = lookup.rule(id).map_or(("", ""), |(_, r)| {
            (r.title.as_str(), r.recommended_action.as_str())
        });
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"0\">",
            escape(id)
        );
        if !title.is_empty() {
            let _ = writeln!(
                suites,
                "    <properties>\n      <property name=\"title\" value=\"{}\"/>\n    </properties>",
                escape(title)
            );
        }
        if findings.is_empty() {
            let _ = writeln!(
                suites,
                "    <testcase classname=\"{}\" name=\"no findings\" time=\"0\"/>",
                escape(id)
            );
        }
        for f in findings {
            testcase(f, help, &mut suites);
        }
        suites.push_str("  </testsuite>\n");
    }
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    if !errors.is_empty() {
        total_tests += errors.len();
        total_errors += errors.len();
        let _ = writeln!(
            suites,
            "  <testsuite name=\"wa-lint\" tests=\"{n}\" failures=\"0\" errors=\"{n}\" skipped=\"0\" time=\"0\">",
            n = errors.len()
        );
        for d in errors {
            let path = d.path.as_deref().unwrap_or("");
            let line = match (d.path.as_deref(), d.range) {
                (Some(p), Some(r)) => lookup.line_cols(p, r).map_or(0, |(s, _)| s.line),
                _ => 0,
            };
            let _ = writeln!(
                suites,
                "    <testcase classname=\"wa-lint\" name=\"{}\" file=\"{}\" line=\"{line}\" time=\"0\">\n      <error type=\"{}\" message=\"{}\"/>\n    </testcase>",
                escape(&format!("{} {path}:{line}", d.code)),
                escape(path),
                escape(&d.code),
                escape(&d.message),
            );
        }
        suites.push_str("  </testsuite>\n");
    }
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"wa-lint\" tests=\"{total_tests}\" failures=\"{total_failures}\" errors=\"{total_errors}\" skipped=\"{total_skipped}\" time=\"0\">"
    );
    xml.push_str(&suites);
    xml.push_str("</testsuites>\n");
    out.write_all(xml.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{1}\n"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;?\n"
        );
        assert_eq!(escape("]]>\u{1b}[0m\u{ffff}"), "]]&gt;?[0m?");
    }
}
