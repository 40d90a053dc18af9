//! The human format: one `miette` graphical report per finding and diagnostic, then the
//! skipped files (verbose) and a summary line.
//!
//! A finding reads (colors off):
//!
//! ```text
//!   x WA-SEC05-SG-ADMIN-PORTS-OPEN [critical] port 22 is open to 0.0.0.0/0 (value from parameter
//!   | `SSHLocation` default)
//!     ,-[cfn/web stack.yaml:15:19]
//!  14 |           ToPort: 22
//!  15 |           CidrIp: !Ref SSHLocation
//!     :                   ^^^^^^^^|^^^^^^^
//!     :                           `-- SSHGroup (AWS::EC2::SecurityGroup)
//!     `----
//!   help: Restrict SSH/RDP ingress to known CIDR ranges or use SSM Session Manager.
//!   `->   > parameter `SSHLocation` default
//!          ,-[cfn/web stack.yaml:5:14]
//!        5 |     Default: 0.0.0.0/0
//!          :              ^^^^^^^^^
//!          `----
//! ```
//!
//! Related locations in the same file are extra labels when they are near the finding, and
//! nested snippets after the help when they are further up; related locations in other files
//! are `note: path:line:column: message` lines.
//! Unknown findings read `[<severity>] [unknown]` and render as advice.
//!
//! Text from the scanned files is never printed raw (`docs/security.md`): titles, labels,
//! notes and paths go through [`terminal_line`] (control characters, ANSI escapes and bidi
//! overrides escaped visibly), snippets show [`display_text`] of the file (control characters
//! replaced, and the ranges of findings of rules with `custom.masks_secrets`, with their
//! related locations, masked after 4 characters, as is every token shaped like an AWS access
//! key ID or secret access key).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::io::Write;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use wa_lint_linter::{Finding, LintReport, Location, Status};
use wa_lint_rules::Severity;
use wa_lint_source::{Diagnostic as SourceDiagnostic, Level, SourceFile, TextRange};

use crate::lookup::Lookup;
use crate::sanitize::{display_text, terminal_line, terminal_text};
use crate::source_code::IndexedSource;
use crate::summary::{summary_line, Summary};
use crate::RenderOptions;

/// Text width the reports wrap at.
const WIDTH: usize = 100;

/// Longest line, in bytes, a snippet shows (with its context lines). An item whose snippet
/// would hold a longer line prints its locations as `path:line:column` notes instead: a
/// minified template is one line of any length, and miette pads labels with `{:width$}`,
/// which panics past 65,535 columns.
const MAX_SNIPPET_LINE: usize = 1_000;

/// Lines of context miette shows around a label (its default).
const CONTEXT_LINES: u32 = 1;

pub(crate) fn render(
    report: &LintReport,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::none()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(WIDTH)
        .with_show_related_as_nested(true);
    // Source lines of the findings: their files' texts, read again now.
    let sources = report.read_sources();
    let lookup = Lookup::new(report, &sources);
    let mut buf = String::new();

    // Suppressed findings are counted in the summary, and shown only with `-v`.
    let shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| options.verbose || f.status != Status::Suppressed)
        .collect();
    let displays = Displays::new(report, &lookup);
    for finding in shown {
        let item = finding_item(finding, &lookup, &displays);
        emit(&handler, &item, &mut buf, out)?;
    }
    for diagnostic in &report.diagnostics {
        let item = diagnostic_item(diagnostic, &lookup, &displays);
        emit(&handler, &item, &mut buf, out)?;
    }
    if options.verbose {
        for path in &report.skipped {
            writeln!(
                out,
                "skipped: {} (not CloudFormation or Terraform)",
                terminal_line(path)
            )?;
        }
    }
    writeln!(
        out,
        "{}",
        summary_line(&Summary::of(report), options.elapsed)
    )?;
    out.flush()
}

/// Renders one item into `buf` and writes it, followed by its note lines and a blank line.
fn emit(
    handler: &GraphicalReportHandler,
    item: &Item<'_>,
    buf: &mut String,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    buf.clear();
    let rendered = wa_lint_source::panics::catch(|| handler.render_report(buf, item));
    if !matches!(rendered, Ok(Ok(()))) {
        // miette could not render the snippet (e.g. a range outside the file), or panicked:
        // fall back to the one-line form and the notes, which carry the locations.
        buf.clear();
        let _ = writeln!(buf, "  {item}");
        if let Some(help) = &item.help {
            let _ = writeln!(buf, "  help: {help}");
        }
    }
    out.write_all(buf.as_bytes())?;
    for note in &item.notes {
        writeln!(out, "  note: {note}")?;
    }
    writeln!(out)
}

/// The text snippets show, per file that has a finding or a located diagnostic.
struct Displays<'r> {
    texts: BTreeMap<&'r str, Cow<'r, str>>,
}

impl<'r> Displays<'r> {
    fn new(report: &'r LintReport, lookup: &Lookup<'r>) -> Self {
        let mut masks: BTreeMap<&str, Vec<TextRange>> = BTreeMap::new();
        let mut paths: Vec<&str> = Vec::new();
        for f in &report.findings {
            let secret = lookup
                .rule(&f.rule_id)
                .is_some_and(|(_, r)| r.masks_secrets);
            for location in
                std::iter::once(&f.location).chain(f.related.iter().map(|r| &r.location))
            {
                paths.push(&location.path);
                if secret {
                    masks
                        .entry(&location.path)
                        .or_default()
                        .push(location.range);
                }
            }
        }
        paths.extend(report.diagnostics.iter().filter_map(|d| d.path.as_deref()));
        let mut texts = BTreeMap::new();
        for path in paths {
            if texts.contains_key(path) {
                continue;
            }
            if let Some(file) = lookup.file(path) {
                let mut ranges: Vec<TextRange> = masks
                    .remove(path)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| secret_range(&file.text, r))
                    .collect();
                ranges.extend(key_shaped_tokens(&file.text));
                texts.insert(path, display_text(&file.text, &ranges));
            }
        }
        Self { texts }
    }

    fn source<'a>(&'a self, file: &'a SourceFile) -> IndexedSource<'a> {
        match self.texts.get(file.path.as_str()) {
            Some(text) => IndexedSource::with_text(file, text),
            None => IndexedSource::new(file),
        }
    }
}

/// The text to mask for a secret finding located at `range`: when `range` is a key (followed
/// by `:` or `=`, as when a rule points at a map entry), the value written after it — to the
/// end of the line, and over the following lines indented deeper than the key (block scalars,
/// heredocs, nested JSON) — else `range` itself. An empty value (a nested mapping follows) and
/// the literals `true`/`false`/`null` and numbers mask nothing.
fn secret_range(text: &str, range: TextRange) -> TextRange {
    let empty = TextRange::new(range.start as usize, range.start as usize);
    let (start, end) = (range.start as usize, range.end as usize);
    let (Some(own), Some(after)) = (text.get(start..end), text.get(end..)) else {
        return empty;
    };
    let rest = after
        .trim_start_matches(['"', '\''])
        .trim_start_matches([' ', '\t']);
    let Some(value) = rest.strip_prefix([':', '=']) else {
        let literal = matches!(own.trim(), "true" | "false" | "null" | "True" | "False")
            || own.trim().parse::<f64>().is_ok();
        return if literal { empty } else { range };
    };
    let value_start = text.len() - value.trim_start_matches([' ', '\t']).len();
    let line_end = |from: usize| {
        text.get(from..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |i| from + i)
    };
    let first_end = line_end(value_start);
    if text
        .get(value_start..first_end)
        .is_none_or(|v| v.trim().is_empty())
    {
        return empty;
    }
    let line_start = text
        .get(..start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let indent = |line: &str| line.len() - line.trim_start_matches([' ', '\t']).len();
    let key_indent = text.get(line_start..start).map_or(0, indent);
    let mut value_end = first_end;
    while value_end + 1 < text.len() {
        let next_start = value_end + 1;
        let next_end = line_end(next_start);
        let line = text.get(next_start..next_end).unwrap_or_default();
        if !line.trim().is_empty() && indent(line) <= key_indent {
            break;
        }
        value_end = next_end;
    }
    TextRange::new(value_start, value_end)
}

/// Byte ranges of the tokens of `text` shaped like AWS credentials: an access key ID
/// (`AKIA`/`ASIA`/… and 16 upper-case letters or digits, 20 in all) or a secret access key (a
/// run of exactly 40 base64 characters with an upper-case letter, a lower-case letter and a
/// digit or `/`/`+`), so that a snippet never shows one, whichever finding it belongs to.
fn key_shaped_tokens(text: &str) -> Vec<TextRange> {
    const PREFIXES: [&[u8]; 8] = [
        b"AKIA", b"ASIA", b"AGPA", b"AIDA", b"AROA", b"ANPA", b"ANVA", b"AIPA",
    ];
    let is_b64 = |b: u8| b.is_ascii_alphanumeric() || b == b'/' || b == b'+';
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !is_b64(bytes.get(i).copied().unwrap_or(0)) {
            i += 1;
            continue;
        }
        let start = i;
        while bytes.get(i).copied().is_some_and(is_b64) {
            i += 1;
        }
        let token = bytes.get(start..i).unwrap_or_default();
        let id_like = token.len() == 20
            && PREFIXES.iter().any(|p| token.starts_with(p))
            && token
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        let secret_like = token.len() == 40
            && token.iter().any(u8::is_ascii_uppercase)
            && token.iter().any(u8::is_ascii_lowercase)
            && token
                .iter()
                .any(|b| b.is_ascii_digit() || *b == b'/' || *b == b'+');
        if id_like || secret_like {
            out.push(TextRange::new(start, i));
        }
    }
    out
}

/// One rendered report: what miette needs plus note lines written after it.
struct Item<'r> {
    /// First line: `<ID or code> [<severity>] <message>`.
    title: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<IndexedSource<'r>>,
    labels: Vec<LabeledSpan>,
    /// Locations that cannot be labels (other files, unread files).
    notes: Vec<String>,
    /// Same-file related locations well above the primary one, rendered after the help as
    /// their own snippets so that the finding's own snippet comes first.
    nested: Vec<Item<'r>>,
}

/// A same-file related location this many lines or fewer above the primary one shares its
/// snippet (miette merges nearby contexts); one further up is rendered after the help.
const SAME_SNIPPET_LINES: u32 = 3;

fn finding_item<'a>(
    finding: &Finding,
    lookup: &Lookup<'a>,
    displays: &'a Displays<'a>,
) -> Item<'a> {
    let severity = match (finding.status, finding.severity) {
        (Status::Fail, Severity::Critical | Severity::High) => miette::Severity::Error,
        (Status::Fail, Severity::Medium | Severity::Low) => miette::Severity::Warning,
        (Status::Fail, Severity::Info) | (Status::Unknown | Status::Suppressed, _) => {
            miette::Severity::Advice
        }
    };
    let status = match finding.status {
        Status::Fail => String::new(),
        Status::Unknown => " [unknown]".to_owned(),
        Status::Suppressed => format!(
            " [suppressed: {}]",
            finding
                .suppression
                .as_ref()
                .map_or("", |s| s.justification.as_str())
        ),
    };
    let title = terminal_line(&format!(
        "{} [{}]{status} {}",
        finding.rule_id,
        finding.severity.as_str(),
        finding.message
    ))
    .into_owned();
    let help = lookup
        .rule(&finding.rule_id)
        .map(|(_, rule)| rule.recommended_action.trim().to_owned())
        .filter(|action| !action.is_empty());

    let file = lookup.file(&finding.location.path).filter(|f| {
        std::iter::once(&finding.location)
            .chain(finding.related.iter().map(|r| &r.location))
            .filter(|l| l.path == f.path)
            .all(|l| fits_snippet(f, l.range))
    });
    let mut resource =
        if finding.address.contains(&finding.resource_type) || finding.resource_type.is_empty() {
            finding.address.clone()
        } else {
            format!("{} ({})", finding.address, finding.resource_type)
        };
    if let Some(path) = &finding.construct_path {
        resource = format!("{resource}, construct {path}");
    }
    let resource = terminal_line(&resource).into_owned();
    let mut labels = Vec::new();
    let mut notes = Vec::new();
    let mut nested = Vec::new();
    match file {
        Some(file) => labels.push(LabeledSpan::new_primary_with_span(
            Some(resource),
            span(file, finding.location.range),
        )),
        None => notes.push(format!("{}: in {resource}", position(&finding.location))),
    }
    for related in &finding.related {
        match file.filter(|f| f.path == related.location.path) {
            Some(file)
                if related.location.start.line + SAME_SNIPPET_LINES
                    < finding.location.start.line =>
            {
                nested.push(Item {
                    title: terminal_line(&related.message).into_owned(),
                    severity: miette::Severity::Advice,
                    help: None,
                    source: Some(displays.source(file)),
                    labels: vec![LabeledSpan::new_primary_with_span(
                        None,
                        span(file, related.location.range),
                    )],
                    notes: Vec::new(),
                    nested: Vec::new(),
                });
            }
            Some(file) => labels.push(LabeledSpan::new_with_span(
                Some(terminal_line(&related.message).into_owned()),
                span(file, related.location.range),
            )),
            None => notes.push(format!(
                "{}: {}",
                position(&related.location),
                terminal_line(&related.message)
            )),
        }
    }
    Item {
        title,
        severity,
        help,
        source: file.map(|f| displays.source(f)),
        labels,
        notes,
        nested,
    }
}

fn diagnostic_item<'a>(
    diagnostic: &SourceDiagnostic,
    lookup: &Lookup<'a>,
    displays: &'a Displays<'a>,
) -> Item<'a> {
    let (severity, level) = match diagnostic.level {
        Level::Error => (miette::Severity::Error, "error"),
        Level::Warning => (miette::Severity::Warning, "warning"),
        Level::Note => (miette::Severity::Advice, "note"),
    };
    let title = terminal_line(&format!(
        "{} [{level}] {}",
        diagnostic.code, diagnostic.message
    ))
    .into_owned();
    let file = diagnostic.path.as_deref().and_then(|p| lookup.file(p));
    let mut labels = Vec::new();
    let mut notes = Vec::new();
    let fits = |file: &SourceFile, range: TextRange| {
        fits_snippet(file, range)
            && diagnostic
                .related
                .iter()
                .all(|(r, _)| fits_snippet(file, *r))
    };
    match (file, diagnostic.range, diagnostic.path.as_deref()) {
        (Some(file), Some(range), _) if !fits(file, range) => {
            let at = file.line_col(range.start);
            notes.push(format!(
                "{}:{}:{}",
                terminal_line(&file.path),
                at.line,
                at.column
            ));
        }
        (Some(file), Some(range), _) => {
            labels.push(LabeledSpan::new_primary_with_span(None, span(file, range)));
            for (range, label) in &diagnostic.related {
                labels.push(LabeledSpan::new_with_span(
                    Some(terminal_line(label).into_owned()),
                    span(file, *range),
                ));
            }
        }
        (_, _, Some(path)) => notes.push(format!("in {}", terminal_line(path))),
        (_, _, None) => {}
    }
    Item {
        title,
        severity,
        help: diagnostic
            .help
            .as_deref()
            .map(|h| terminal_text(h).into_owned()),
        source: if labels.is_empty() {
            None
        } else {
            file.map(|f| displays.source(f))
        },
        labels,
        notes,
        nested: Vec::new(),
    }
}

/// `range` as a miette span, widened to character boundaries and clamped to the text.
fn span(file: &SourceFile, range: TextRange) -> miette::SourceSpan {
    let text = &*file.text;
    let mut start = (range.start as usize).min(text.len());
    let mut end = (range.end as usize).clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end - start).into()
}

/// True when every line a snippet of `range` shows (the range's lines and
/// [`CONTEXT_LINES`] around them) is at most [`MAX_SNIPPET_LINE`] bytes long.
fn fits_snippet(file: &SourceFile, range: TextRange) -> bool {
    let first = file
        .line_col(range.start)
        .line
        .saturating_sub(CONTEXT_LINES)
        .max(1);
    let last = file.line_col(range.end).line.saturating_add(CONTEXT_LINES);
    let start_of = |line: u32| file.lines().line_start(line).map(|s| s as usize);
    (first..=last)
        .map_while(|line| Some((start_of(line)?, line)))
        .all(|(start, line)| {
            let end = start_of(line + 1).unwrap_or(file.text.len());
            end.saturating_sub(start) <= MAX_SNIPPET_LINE
        })
}

/// `path:line:column` (1-based), the path made safe for a terminal.
fn position(location: &Location) -> String {
    format!(
        "{}:{}:{}",
        terminal_line(&location.path),
        location.start.line,
        location.start.column
    )
}

impl fmt::Display for Item<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl fmt::Debug for Item<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for Item<'_> {}

impl Diagnostic for Item<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.nested.is_empty() {
            None
        } else {
            Some(Box::new(self.nested.iter().map(|i| i as &dyn Diagnostic)))
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked_text<'t>(text: &'t str, needle: &str) -> &'t str {
        let at = text.find(needle).unwrap_or_default();
        let r = secret_range(text, TextRange::new(at, at + needle.len()));
        text.get(r.start as usize..r.end as usize)
            .unwrap_or_default()
    }

    #[test]
    fn secret_ranges_are_values() {
        let yaml = "a:\n  DB_PASSWORD: \"hunter22\"\n  UserData: |\n    line1\n\n    line2\n  Next: 1\nParam:\n  Type: x\n";
        assert_eq!(masked_text(yaml, "DB_PASSWORD"), "\"hunter22\"");
        assert_eq!(masked_text(yaml, "UserData"), "|\n    line1\n\n    line2");
        assert_eq!(masked_text(yaml, "hunter22"), "hunter22");
        assert_eq!(masked_text(yaml, "Param"), "");
        assert_eq!(masked_text("NoEcho: false\n", "false"), "");
        let hcl = "  password = \"x1234\"\n";
        assert_eq!(masked_text(hcl, "password"), "\"x1234\"");
    }
}
