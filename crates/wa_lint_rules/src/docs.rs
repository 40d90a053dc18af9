//! Rule documentation generated from METADATA and fixtures: the pages `docs/rules/<ID>.md`,
//! their index `docs/rules/README.md`, the plain-text form `wa-lint explain` prints, the JSON
//! list of `wa-lint rules --format json`, and the table of Security Pillar best-practice titles
//! the index and the scorecard show.
//!
//! The description of a rule follows one template (STYLE.md): lines starting with `What it
//! checks:`, `Why it matters:`, `Bad (CloudFormation):`, `Bad (Terraform):`, `Good:` (or
//! `Good (…):`) and `References:` open sections; a section runs until the next label. A
//! description without labels is shown whole under "What it checks". References are the URLs of
//! the `References:` section.
//!
//! Everything here is deterministic (rules sorted by ID, fixtures by file name) so the generated
//! files can be compared byte for byte by the staleness test
//! (`crates/wa_lint_rules/tests/docs.rs`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::{RuleMeta, RulesError};

/// The origin of a resource type: which front end produces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// `AWS::…` and `Custom::…` types.
    CloudFormation,
    /// Lower-case `aws_…` types, and the pseudo types `terraform_variable` / `terraform_output`.
    Terraform,
}

impl Origin {
    /// Both origins, CloudFormation first.
    pub const ALL: [Self; 2] = [Self::CloudFormation, Self::Terraform];

    /// Name as printed by `wa-lint rules` and in JSON: `cloudformation`, `terraform`.
    pub fn name(self) -> &'static str {
        match self {
            Self::CloudFormation => "cloudformation",
            Self::Terraform => "terraform",
        }
    }

    /// Name in prose: `CloudFormation`, `Terraform`.
    pub fn label(self) -> &'static str {
        match self {
            Self::CloudFormation => "CloudFormation",
            Self::Terraform => "Terraform",
        }
    }

    /// The directory of a rule's fixtures of this origin: `cfn`, `tf`.
    pub fn fixture_dir(self) -> &'static str {
        match self {
            Self::CloudFormation => "cfn",
            Self::Terraform => "tf",
        }
    }

    /// The origin of a native resource type, if it is an AWS one.
    pub fn of_type(rtype: &str) -> Option<Self> {
        if rtype.starts_with("AWS::") || rtype.starts_with("Custom::") {
            Some(Self::CloudFormation)
        } else if rtype.starts_with("aws_")
            || rtype == wa_lint_graph::TF_VARIABLE
            || rtype == wa_lint_graph::TF_OUTPUT
        {
            Some(Self::Terraform)
        } else {
            None
        }
    }
}

/// The origins a rule covers, derived from its `resource_types` (sorted, unique).
pub fn origins(rule: &RuleMeta) -> Vec<Origin> {
    let mut out: Vec<Origin> = rule
        .resource_types
        .iter()
        .filter_map(|t| Origin::of_type(t))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Security Pillar questions: `(id, question)`.
///
/// Source: AWS Well-Architected Framework, Security Pillar,
/// <https://docs.aws.amazon.com/wellarchitected/latest/security-pillar/welcome.html>.
pub const QUESTIONS: &[(&str, &str)] = &[
    ("SEC01", "How do you securely operate your workload?"),
    ("SEC02", "How do you manage authentication for people and machines?"),
    ("SEC03", "How do you manage permissions for people and machines?"),
    ("SEC04", "How do you detect and investigate security events?"),
    ("SEC05", "How do you protect your network resources?"),
    ("SEC06", "How do you protect your compute resources?"),
    ("SEC07", "How do you classify your data?"),
    ("SEC08", "How do you protect your data at rest?"),
    ("SEC09", "How do you protect your data in transit?"),
    (
        "SEC10",
        "How do you anticipate, respond to, and recover from incidents?",
    ),
    (
        "SEC11",
        "How do you incorporate and validate the security properties of applications throughout the design, development, and deployment lifecycle?",
    ),
];

/// Titles of the best practices the pack maps to (`rules-catalog.md` §1.5), sorted by ID.
///
/// Source: AWS Well-Architected Framework, Security Pillar (current numbering),
/// <https://docs.aws.amazon.com/wellarchitected/latest/security-pillar/welcome.html>.
pub const BEST_PRACTICES: &[(&str, &str)] = &[
    ("SEC01-BP01", "Separate workloads using accounts"),
    ("SEC01-BP02", "Secure account root user and properties"),
    ("SEC01-BP03", "Identify and validate control objectives"),
    (
        "SEC01-BP06",
        "Automate deployment of standard security controls",
    ),
    (
        "SEC01-BP07",
        "Identify threats and prioritize mitigations using a threat model",
    ),
    ("SEC02-BP01", "Use strong sign-in mechanisms"),
    ("SEC02-BP02", "Use temporary credentials"),
    ("SEC02-BP03", "Store and use secrets securely"),
    ("SEC02-BP04", "Rely on a centralized identity provider"),
    ("SEC02-BP05", "Audit and rotate credentials periodically"),
    ("SEC02-BP06", "Employ user groups and attributes"),
    ("SEC03-BP02", "Grant least privilege access"),
    ("SEC03-BP03", "Establish emergency access process"),
    ("SEC03-BP04", "Reduce permissions continuously"),
    (
        "SEC03-BP05",
        "Define permission guardrails for your organization",
    ),
    ("SEC03-BP07", "Analyze public and cross-account access"),
    (
        "SEC03-BP08",
        "Share resources securely within your organization",
    ),
    ("SEC03-BP09", "Share resources securely with a third party"),
    ("SEC04-BP01", "Configure service and application logging"),
    (
        "SEC04-BP02",
        "Capture logs, findings, and metrics in standardized locations",
    ),
    ("SEC04-BP03", "Correlate and enrich security alerts"),
    (
        "SEC04-BP04",
        "Initiate remediation for non-compliant resources",
    ),
    ("SEC05-BP01", "Create network layers"),
    (
        "SEC05-BP02",
        "Control traffic flow within your network layers",
    ),
    ("SEC05-BP03", "Implement inspection-based protection"),
    ("SEC05-BP04", "Automate network protection"),
    ("SEC06-BP01", "Perform vulnerability management"),
    ("SEC06-BP02", "Provision compute from hardened images"),
    (
        "SEC06-BP03",
        "Reduce manual management and interactive access",
    ),
    ("SEC06-BP04", "Validate software integrity"),
    ("SEC06-BP05", "Automate compute protection"),
    (
        "SEC07-BP02",
        "Apply data protection controls based on data sensitivity",
    ),
    ("SEC08-BP01", "Implement secure key management"),
    ("SEC08-BP02", "Enforce encryption at rest"),
    ("SEC08-BP03", "Automate data at rest protection"),
    ("SEC08-BP04", "Enforce access control"),
    (
        "SEC09-BP01",
        "Implement secure key and certificate management",
    ),
    ("SEC09-BP02", "Enforce encryption in transit"),
    ("SEC09-BP03", "Authenticate network communications"),
    ("SEC10-BP03", "Prepare forensic capabilities"),
    ("SEC10-BP05", "Pre-provision access"),
    ("SEC10-BP06", "Pre-deploy tools"),
    (
        "SEC11-BP02",
        "Automate testing throughout the development and release lifecycle",
    ),
    (
        "SEC11-BP05",
        "Centralize services for packages and dependencies",
    ),
    ("SEC11-BP06", "Deploy software programmatically"),
    (
        "SEC11-BP07",
        "Regularly assess security properties of the pipelines",
    ),
];

/// The title of best practice `id` (`SEC08-BP02` → "Enforce encryption at rest"), when it is in
/// [`BEST_PRACTICES`].
pub fn best_practice_title(id: &str) -> Option<&'static str> {
    BEST_PRACTICES
        .iter()
        .find(|(bp, _)| bp.eq_ignore_ascii_case(id))
        .map(|(_, title)| *title)
}

/// The question of pillar question `id` (`SEC08`), when it is in [`QUESTIONS`].
pub fn question_title(id: &str) -> Option<&'static str> {
    QUESTIONS
        .iter()
        .find(|(q, _)| q.eq_ignore_ascii_case(id))
        .map(|(_, title)| *title)
}

/// The question a best practice belongs to: `SEC08-BP02` → `SEC08`.
pub fn question_of(best_practice: &str) -> &str {
    best_practice
        .split_once('-')
        .map_or(best_practice, |(q, _)| q)
}

/// Whether a fixture must fire, stay silent, or give `unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FixtureKind {
    /// `bad_*`: at least one failure of the rule.
    Bad,
    /// `good_*`: no result of the rule.
    Good,
    /// `unknown_*`: an `unknown` result, no failure.
    Unknown,
}

/// One fixture file of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    /// CloudFormation (`fixtures/cfn/`) or Terraform (`fixtures/tf/`).
    pub origin: Origin,
    /// From the file name's prefix.
    pub kind: FixtureKind,
    /// File name, e.g. `bad_sse_disabled.yaml`.
    pub name: String,
    /// File content.
    pub text: String,
}

/// The fixtures of the rule in `rule_dir` (`fixtures/{cfn,tf}/{bad,good,unknown}_*`), sorted by
/// origin, then file name. Files with another prefix are left out; a missing directory gives
/// none.
///
/// # Errors
/// [`RulesError::Io`] when a fixture directory or file exists but cannot be read.
pub fn read_fixtures(rule_dir: &Path) -> Result<Vec<Fixture>, RulesError> {
    let io = |path: &Path, source| RulesError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut out = Vec::new();
    for origin in Origin::ALL {
        let dir = rule_dir.join("fixtures").join(origin.fixture_dir());
        if !dir.is_dir() {
            continue;
        }
        let mut names = Vec::new();
        for entry in fs::read_dir(&dir).map_err(|e| io(&dir, e))? {
            let entry = entry.map_err(|e| io(&dir, e))?;
            if entry.file_type().map_err(|e| io(&dir, e))?.is_file() {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        names.sort();
        for name in names {
            let kind = if name.starts_with("bad_") {
                FixtureKind::Bad
            } else if name.starts_with("good_") {
                FixtureKind::Good
            } else if name.starts_with("unknown_") {
                FixtureKind::Unknown
            } else {
                continue;
            };
            let path = dir.join(&name);
            let text = fs::read_to_string(&path).map_err(|e| io(&path, e))?;
            out.push(Fixture {
                origin,
                kind,
                name,
                text,
            });
        }
    }
    Ok(out)
}

/// A rule's description cut at the template's labels.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sections {
    /// `What it checks:` (the whole description when it has no labels).
    pub what: String,
    /// `Why it matters:`.
    pub why: String,
    /// `Bad…:` sections: `(label suffix such as "CloudFormation", or "" for plain "Bad:", text)`.
    pub bad: Vec<(String, String)>,
    /// `Good…:` sections, as [`Sections::bad`].
    pub good: Vec<(String, String)>,
    /// URLs of the `References:` section.
    pub references: Vec<String>,
}

/// Splits a description at its template labels (see the module documentation).
pub fn sections(description: &str) -> Sections {
    #[derive(Clone, Copy)]
    enum Slot {
        What,
        Why,
        Bad(usize),
        Good(usize),
        Refs,
    }
    let mut s = Sections::default();
    let mut refs = String::new();
    let mut slot = Slot::What;
    for line in description.lines() {
        let trimmed = line.trim();
        let mut rest = trimmed;
        if let Some(r) = trimmed.strip_prefix("What it checks:") {
            slot = Slot::What;
            rest = r;
        } else if let Some(r) = trimmed.strip_prefix("Why it matters:") {
            slot = Slot::Why;
            rest = r;
        } else if let Some(r) = trimmed.strip_prefix("References:") {
            slot = Slot::Refs;
            rest = r;
        } else if let Some((label, r)) = labelled(trimmed, "Bad") {
            s.bad.push((label, String::new()));
            slot = Slot::Bad(s.bad.len() - 1);
            rest = r;
        } else if let Some((label, r)) = labelled(trimmed, "Good") {
            s.good.push((label, String::new()));
            slot = Slot::Good(s.good.len() - 1);
            rest = r;
        }
        let target = match slot {
            Slot::What => &mut s.what,
            Slot::Why => &mut s.why,
            Slot::Refs => &mut refs,
            Slot::Bad(i) => match s.bad.get_mut(i) {
                Some((_, text)) => text,
                None => continue,
            },
            Slot::Good(i) => match s.good.get_mut(i) {
                Some((_, text)) => text,
                None => continue,
            },
        };
        let rest = rest.trim();
        if rest.is_empty() {
            continue;
        }
        if !target.is_empty() {
            target.push(' ');
        }
        target.push_str(rest);
    }
    s.what = capitalized(&s.what);
    s.why = capitalized(&s.why);
    s.references = refs
        .split_whitespace()
        .filter(|w| w.starts_with("https://") || w.starts_with("http://"))
        .map(|w| w.trim_end_matches([',', ';', ')']).to_owned())
        .collect();
    s
}

/// `text` with its first character in upper case.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `Bad (Terraform): text` → `("Terraform", "text")`; `Bad: text` → `("", "text")`.
fn labelled<'a>(line: &'a str, word: &str) -> Option<(String, &'a str)> {
    let rest = line.strip_prefix(word)?;
    if let Some(rest) = rest.strip_prefix(':') {
        return Some((String::new(), rest));
    }
    let inner = rest.strip_prefix(" (")?;
    let (label, rest) = inner.split_once("):")?;
    (!label.is_empty() && label.len() <= 40).then(|| (label.to_owned(), rest))
}

/// Where a rule page finds its fixtures and how it links to its sources.
#[derive(Debug, Clone, Default)]
pub struct PageSources<'a> {
    /// The rule's fixtures ([`read_fixtures`]).
    pub fixtures: &'a [Fixture],
    /// The rule directory relative to the repository root, e.g.
    /// `rules/data_at_rest/sqs_encryption`, used for links from `docs/rules/`; `None` for rules
    /// outside the repository.
    pub rule_dir: Option<&'a str>,
}

/// The Markdown page of `rule`: a table of facts (severity, best practices, origins, resource
/// types, package), What it checks, Why it matters, Bad and Good (the description's examples,
/// then every `bad_*`/`good_*` fixture per origin in a fenced block), Recommended action,
/// References. Ends with one newline.
pub fn rule_markdown(rule: &RuleMeta, sources: &PageSources<'_>) -> String {
    let s = sections(&rule.description);
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n\n{}\n", rule.id, rule.title);
    md.push_str("| | |\n|---|---|\n");
    let _ = writeln!(md, "| Severity | {} |", rule.severity.as_str());
    let bps: Vec<String> = rule
        .best_practices
        .iter()
        .map(|bp| match best_practice_title(bp) {
            Some(title) => format!("{bp} {title}"),
            None => bp.clone(),
        })
        .collect();
    let _ = writeln!(md, "| Best practices | {} |", bps.join("; "));
    let origins: Vec<&str> = origins(rule).iter().map(|o| o.label()).collect();
    let _ = writeln!(md, "| Origins | {} |", origins.join(", "));
    let types: Vec<String> = rule
        .resource_types
        .iter()
        .map(|t| format!("`{t}`"))
        .collect();
    let _ = writeln!(md, "| Resource types | {} |", types.join(", "));
    match sources.rule_dir {
        Some(dir) => {
            let _ = writeln!(
                md,
                "| Source | [`{dir}/rule.rego`](../../{dir}/rule.rego) (package `{}`) |",
                rule.package
            );
        }
        None => {
            let _ = writeln!(md, "| Package | `{}` |", rule.package);
        }
    }

    let _ = writeln!(md, "\n## What it checks\n\n{}", s.what);
    if !s.why.is_empty() {
        let _ = writeln!(md, "\n## Why it matters\n\n{}", s.why);
    }
    examples(&mut md, "Bad", &s.bad, FixtureKind::Bad, rule, sources);
    examples(&mut md, "Good", &s.good, FixtureKind::Good, rule, sources);
    let _ = writeln!(md, "\n## Recommended action\n\n{}", rule.recommended_action);
    if !s.references.is_empty() {
        md.push_str("\n## References\n\n");
        for url in &s.references {
            let _ = writeln!(md, "- <{url}>");
        }
    }
    md
}

/// A Bad or Good section: the description's example lines, then the fixtures per origin.
fn examples(
    md: &mut String,
    heading: &str,
    summary: &[(String, String)],
    kind: FixtureKind,
    rule: &RuleMeta,
    sources: &PageSources<'_>,
) {
    let fixtures: Vec<&Fixture> = sources.fixtures.iter().filter(|f| f.kind == kind).collect();
    if summary.is_empty() && fixtures.is_empty() {
        return;
    }
    let _ = writeln!(md, "\n## {heading}\n");
    for (label, text) in summary {
        if label.is_empty() {
            let _ = writeln!(md, "- {text}");
        } else {
            let _ = writeln!(md, "- {label}: {text}");
        }
    }
    for origin in origins(rule) {
        for f in fixtures.iter().filter(|f| f.origin == origin) {
            let link = match sources.rule_dir {
                Some(dir) => format!(
                    "[`{}`](../../{dir}/fixtures/{}/{})",
                    f.name,
                    origin.fixture_dir(),
                    f.name
                ),
                None => format!("`{}`", f.name),
            };
            let _ = writeln!(md, "\n{} — {link}:\n", origin.label());
            fenced(md, &f.text, language(&f.name));
        }
    }
}

/// The info string of a fenced block for a fixture file name.
fn language(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "tf" => "hcl",
        "json" => "json",
        "yaml" | "yml" | "template" => "yaml",
        _ => "",
    }
}

/// Appends `text` as a fenced block whose fence is longer than any backtick run inside.
fn fenced(md: &mut String, text: &str, lang: &str) {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(md, "{fence}{lang}");
    md.push_str(text.trim_end());
    let _ = writeln!(md, "\n{fence}");
}

/// `docs/rules/README.md`: every rule once in a summary table (sorted by ID), then the rules
/// grouped by pillar question and best practice (a rule appears under each best practice it
/// maps to). Ends with one newline.
pub fn index_markdown(rules: &[RuleMeta]) -> String {
    let mut md = String::from(
        "# Rules\n\n\
         Generated from the rules' METADATA and fixtures; do not edit. Regenerate with\n\
         `WA_LINT_BLESS=1 cargo test -p wa_lint_rules --test docs`.\n\n",
    );
    let mut by_severity: BTreeMap<std::cmp::Reverse<crate::Severity>, usize> = BTreeMap::new();
    for r in rules {
        *by_severity
            .entry(std::cmp::Reverse(r.severity))
            .or_default() += 1;
    }
    let counts: Vec<String> = by_severity
        .iter()
        .map(|(s, n)| format!("{n} {}", s.0.as_str()))
        .collect();
    let _ = writeln!(md, "{} rules ({}).", rules.len(), counts.join(", "));

    let mut by_bp: BTreeMap<&str, Vec<&RuleMeta>> = BTreeMap::new();
    for r in rules {
        for bp in &r.best_practices {
            by_bp.entry(bp.as_str()).or_default().push(r);
        }
    }
    let mut question = "";
    for (bp, list) in &by_bp {
        let q = question_of(bp);
        if q != question {
            question = q;
            match question_title(q) {
                Some(title) => {
                    let _ = writeln!(md, "\n## {q} {title}");
                }
                None => {
                    let _ = writeln!(md, "\n## {q}");
                }
            }
        }
        match best_practice_title(bp) {
            Some(title) => {
                let _ = writeln!(md, "\n### {bp} {title}\n");
            }
            None => {
                let _ = writeln!(md, "\n### {bp}\n");
            }
        }
        md.push_str("| ID | severity | origins | title |\n|---|---|---|---|\n");
        for r in list {
            let origins: Vec<&str> = origins(r).iter().map(|o| o.name()).collect();
            let _ = writeln!(
                md,
                "| [{id}]({id}.md) | {} | {} | {} |",
                r.severity.as_str(),
                origins.join(", "),
                r.title.replace('|', "\\|"),
                id = r.id
            );
        }
    }
    md
}

/// The JSON of `wa-lint rules --format json`, pretty-printed with a trailing newline:
/// `{"version": 1, "rules": [{"id", "title", "severity", "best_practices", "origins",
/// "resource_types", "recommended_action", "package"}]}`, rules in the order given (the pack's:
/// sorted by ID); `origins` holds `cloudformation` and/or `terraform`.
pub fn list_json(rules: &[RuleMeta]) -> String {
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        version: u32,
        rules: Vec<Entry<'a>>,
    }
    #[derive(serde::Serialize)]
    struct Entry<'a> {
        id: &'a str,
        title: &'a str,
        severity: crate::Severity,
        best_practices: &'a [String],
        origins: Vec<Origin>,
        resource_types: &'a [String],
        recommended_action: &'a str,
        package: &'a str,
    }
    let doc = Doc {
        version: 1,
        rules: rules
            .iter()
            .map(|r| Entry {
                id: &r.id,
                title: &r.title,
                severity: r.severity,
                best_practices: &r.best_practices,
                origins: origins(r),
                resource_types: &r.resource_types,
                recommended_action: &r.recommended_action,
                package: &r.package,
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// Markdown as produced by [`rule_markdown`] turned into plain terminal text: headings
/// underlined, the facts table as `Name: value` lines, fenced blocks indented by four spaces,
/// links as `text <url>`, inline backticks dropped outside code blocks.
pub fn to_plain_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<String> = None;
    for line in markdown.lines() {
        if let Some(f) = &fence {
            if line.trim_end() == f {
                fence = None;
            } else if line.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "    {line}");
            }
            continue;
        }
        if line.starts_with("```") {
            let ticks = line.chars().take_while(|c| *c == '`').count();
            fence = Some("`".repeat(ticks));
            continue;
        }
        if let Some(h) = line.strip_prefix("# ") {
            let h = inline(h);
            let _ = writeln!(out, "{h}\n{}", "=".repeat(h.chars().count()));
        } else if let Some(h) = line
            .strip_prefix("## ")
            .or_else(|| line.strip_prefix("### "))
        {
            let h = inline(h);
            let _ = writeln!(out, "{h}\n{}", "-".repeat(h.chars().count()));
        } else if line.starts_with('|') {
            if line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
                continue;
            }
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            match cells.as_slice() {
                [name, value] if !name.is_empty() && !name.starts_with("---") => {
                    let _ = writeln!(out, "{}: {}", inline(name), inline(value));
                }
                [_, _] => {}
                _ => {
                    let _ = writeln!(out, "{}", inline(&cells.join("  ")));
                }
            }
        } else {
            let _ = writeln!(out, "{}", inline(line));
        }
    }
    out
}

/// Inline Markdown to text: `[text](url)` → `text <url>` (or just `text` for relative links),
/// `<url>` → `url`, backticks removed.
fn inline(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        let parsed = after
            .get(1..)
            .and_then(|a| a.split_once("]("))
            .and_then(|(label, tail)| tail.split_once(')').map(|(url, tail)| (label, url, tail)));
        if let Some((label, url, tail)) = parsed {
            out.push_str(label);
            if url.starts_with("http") {
                let _ = write!(out, " <{url}>");
            }
            rest = tail;
        } else {
            out.push('[');
            rest = after.get(1..).unwrap_or_default();
        }
    }
    out.push_str(rest);
    let out = out.replace('`', "");
    match out.strip_prefix("- <").and_then(|u| u.strip_suffix('>')) {
        Some(url) => format!("- {url}"),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn meta(description: &str, types: &[&str]) -> RuleMeta {
        RuleMeta {
            id: "WA-SEC08-SQS-ENCRYPTION".to_owned(),
            title: "SQS queue not encrypted".to_owned(),
            description: description.to_owned(),
            severity: crate::Severity::Medium,
            best_practices: vec!["SEC08-BP02".to_owned(), "SEC99-BP01".to_owned()],
            resource_types: types.iter().map(|t| (*t).to_owned()).collect(),
            recommended_action: "Encrypt it.".to_owned(),
            package: "walint.rules.sqs_encryption".to_owned(),
            masks_secrets: false,
        }
    }

    const DESCRIPTION: &str = "What it checks: a queue must\nbe encrypted.\n\
        Why it matters: data (SEC08-BP02).\n\
        Bad (CloudFormation): SqsManagedSseEnabled: false\n\
        Bad (Terraform): sqs_managed_sse_enabled = false\n\
        Good: KmsMasterKeyId: alias/k\n\
        References: https://docs.aws.amazon.com/a.html\nhttps://registry.terraform.io/b\n";

    #[test]
    fn origins_come_from_resource_types() {
        let both = meta("", &["AWS::SQS::Queue", "aws_sqs_queue", "Custom::X"]);
        assert_eq!(
            origins(&both),
            vec![Origin::CloudFormation, Origin::Terraform]
        );
        assert_eq!(
            origins(&meta("", &["aws_sqs_queue"])),
            vec![Origin::Terraform]
        );
        assert_eq!(
            origins(&meta("", &["Custom::X"])),
            vec![Origin::CloudFormation]
        );
        assert!(origins(&meta("", &["google_bucket"])).is_empty());
    }

    #[test]
    fn description_is_cut_at_template_labels() {
        let s = sections(DESCRIPTION);
        assert_eq!(s.what, "A queue must be encrypted.");
        assert_eq!(s.why, "Data (SEC08-BP02).");
        assert_eq!(
            s.bad,
            vec![
                (
                    "CloudFormation".to_owned(),
                    "SqsManagedSseEnabled: false".to_owned()
                ),
                (
                    "Terraform".to_owned(),
                    "sqs_managed_sse_enabled = false".to_owned()
                ),
            ]
        );
        assert_eq!(
            s.good,
            vec![(String::new(), "KmsMasterKeyId: alias/k".to_owned())]
        );
        assert_eq!(
            s.references,
            vec![
                "https://docs.aws.amazon.com/a.html".to_owned(),
                "https://registry.terraform.io/b".to_owned()
            ]
        );
        // No labels: everything is "what it checks".
        assert_eq!(sections("Just text.\nMore.").what, "Just text. More.");
    }

    #[test]
    fn page_has_facts_examples_fixtures_and_references() {
        let rule = meta(DESCRIPTION, &["AWS::SQS::Queue", "aws_sqs_queue"]);
        let fixtures = vec![
            Fixture {
                origin: Origin::Terraform,
                kind: FixtureKind::Bad,
                name: "bad_off.tf".to_owned(),
                text: "resource \"aws_sqs_queue\" \"q\" {\n  sqs_managed_sse_enabled = false\n}\n"
                    .to_owned(),
            },
            Fixture {
                origin: Origin::CloudFormation,
                kind: FixtureKind::Unknown,
                name: "unknown_x.yaml".to_owned(),
                text: "ignored".to_owned(),
            },
        ];
        let md = rule_markdown(
            &rule,
            &PageSources {
                fixtures: &fixtures,
                rule_dir: Some("rules/data_at_rest/sqs_encryption"),
            },
        );
        assert!(md.starts_with("# WA-SEC08-SQS-ENCRYPTION\n\nSQS queue not encrypted\n"));
        assert!(md.contains("| Severity | medium |\n"));
        assert!(
            md.contains("| Best practices | SEC08-BP02 Enforce encryption at rest; SEC99-BP01 |\n")
        );
        assert!(md.contains("| Origins | CloudFormation, Terraform |\n"));
        assert!(md.contains("\n## Bad\n\n- CloudFormation: SqsManagedSseEnabled: false\n"));
        assert!(md.contains(
            "Terraform — [`bad_off.tf`](../../rules/data_at_rest/sqs_encryption/fixtures/tf/bad_off.tf):\n\n```hcl\nresource \"aws_sqs_queue\" \"q\" {\n  sqs_managed_sse_enabled = false\n}\n```\n"
        ));
        assert!(!md.contains("ignored"), "unknown fixtures are not shown");
        assert!(md.ends_with("- <https://registry.terraform.io/b>\n"));

        let text = to_plain_text(&md);
        assert!(text.starts_with("WA-SEC08-SQS-ENCRYPTION\n=======================\n"));
        assert!(text.contains("\nSQS queue not encrypted\n\nSeverity: medium\n"));
        assert!(
            text.contains("Terraform — bad_off.tf:\n\n    resource \"aws_sqs_queue\" \"q\" {\n")
        );
        assert!(text.contains("\n- https://docs.aws.amazon.com/a.html\n"));
        assert!(!text.contains("```"));
    }

    #[test]
    fn fence_outgrows_backticks_in_the_fixture() {
        let mut md = String::new();
        fenced(&mut md, "a ```` b", "");
        assert!(md.starts_with("`````\n"), "{md}");
    }

    #[test]
    fn index_groups_by_question_and_best_practice() {
        let rule = meta(DESCRIPTION, &["AWS::SQS::Queue"]);
        let md = index_markdown(&[rule]);
        assert!(md.contains("1 rules (1 medium)."));
        assert!(md.contains("\n## SEC08 How do you protect your data at rest?\n\n### SEC08-BP02 Enforce encryption at rest\n"));
        assert!(md.contains("| [WA-SEC08-SQS-ENCRYPTION](WA-SEC08-SQS-ENCRYPTION.md) | medium | cloudformation | SQS queue not encrypted |\n"));
        assert!(md.contains("\n## SEC99\n\n### SEC99-BP01\n"));
    }

    #[test]
    fn json_list_names_origins() {
        let json = list_json(&[meta("", &["aws_sqs_queue"])]);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["rules"][0]["origins"], serde_json::json!(["terraform"]));
        assert_eq!(v["rules"][0]["severity"], "medium");
    }

    #[test]
    fn every_best_practice_has_a_question() {
        for (bp, _) in BEST_PRACTICES {
            assert!(question_title(question_of(bp)).is_some(), "{bp}");
        }
        let mut sorted = BEST_PRACTICES.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, BEST_PRACTICES);
    }
}
