//! Suppressions: inline comments and CloudFormation `Metadata` that turn findings into
//! status [`Status::Suppressed`] with a justification.
//!
//! Forms (see README, "Suppressions"):
//! - a YAML or HCL comment `# wa-lint:ignore ID[, ID…] reason="…" [expires=YYYY-MM-DD]` on the
//!   resource's first line or the line above it (applies to the whole resource), or on an
//!   attribute's line or the line above it (applies to findings located there). IDs are
//!   separated by commas or spaces, in any order; `wa-lint:ignore[KEY]` or `ID[KEY]` limits it
//!   to one `for_each`/`count` instance (`[prod]`, `["prod"]`, `[0]`). The trivy-style token
//!   form `wa-lint:ignore:ID` (several per comment) is accepted too; like `#trivy:ignore:ID`
//!   it has no reason syntax, so a reason is optional there.
//! - CloudFormation resource `Metadata`: `wa-lint: {ignore: [{id, reason, expires?}]}`, and for
//!   migration `checkov: {skip: [{id: CKV_…, comment}]}` (mapped through the catalog's peer
//!   column, [`peers`]), `cfn_nag: {rules_to_suppress: [{id, reason}]}` and
//!   `guard: {SuppressedRules: [NAME…]}` (Guard Rules Registry names, mapped likewise).
//!
//! An ID is a rule ID (`WA-SEC08-S3-ENCRYPTION`), the ID without its `WA-SECnn-` prefix
//! (`s3-encryption`), or the rule's package name (`s3_encryption`), in any case.
//!
//! A reason is required by every form that has a place for one: without it the suppression is
//! not applied and a warning says so. An expired suppression is not applied (warning). An ID
//! that names no rule, and a suppression that matched no finding, are warnings at the comment
//! (wa-lint's own forms only: peer forms may name rules wa-lint does not have).
//! Diagnostic codes: `suppress::missing-reason`, `suppress::expired`, `suppress::bad-date`,
//! `suppress::unknown-rule`, `suppress::unused`, `suppress::empty`.

mod comments;
mod peers;

use std::collections::{BTreeMap, BTreeSet};

use wa_lint_graph::{Node, Value};
use wa_lint_rules::RuleMeta;
use wa_lint_source::{Diagnostic, Format, LazyFile, Level, LineCol, SourceFile, TextRange};

use crate::{Finding, Location, Status, Suppression, SuppressionKind};

/// Where a resource is written: what inline comments are matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Site {
    /// 1-based line of the resource header (CloudFormation logical ID, Terraform labels).
    pub header: u32,
    /// 1-based first and last line of the whole definition.
    pub first: u32,
    /// See `first`.
    pub last: u32,
}

/// Resource sites by (path of the file holding the header, address).
pub(crate) type Sites = BTreeMap<(String, String), Site>;

/// How a suppression is written.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
enum Form {
    /// `# wa-lint:ignore ID… reason="…"`.
    Comment,
    /// `# wa-lint:ignore:ID` tokens only (trivy style, reason optional).
    CommentToken,
    /// `Metadata.wa-lint.ignore`.
    Metadata,
    /// `Metadata.checkov.skip`.
    Checkov,
    /// `Metadata.cfn_nag.rules_to_suppress`.
    CfnNag,
    /// `Metadata.guard.SuppressedRules`.
    Guard,
}

impl Form {
    /// Whether the form has a place for a reason (and so requires one).
    fn needs_reason(self) -> bool {
        !matches!(self, Self::CommentToken | Self::Guard)
    }

    /// wa-lint's own forms report unknown IDs and unused suppressions; peer forms do not.
    fn own(self) -> bool {
        matches!(self, Self::Comment | Self::CommentToken | Self::Metadata)
    }

    fn name(self) -> &'static str {
        match self {
            Self::Comment | Self::CommentToken => "wa-lint:ignore comment",
            Self::Metadata => "Metadata wa-lint.ignore",
            Self::Checkov => "Metadata checkov.skip",
            Self::CfnNag => "Metadata cfn_nag.rules_to_suppress",
            Self::Guard => "Metadata guard.SuppressedRules",
        }
    }
}

/// What a directive applies to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum Scope {
    /// Inline comment: the 1-based line it applies to.
    Line(u32),
    /// CloudFormation `Metadata`: the logical ID.
    Resource(String),
}

/// One ID of a directive.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Target {
    /// As written.
    raw: String,
    /// Rule IDs it names (empty: unknown).
    rules: Vec<String>,
    /// `for_each`/`count` instance key, without quotes.
    key: Option<String>,
    /// Whether it suppressed at least one finding.
    used: bool,
}

/// One suppression as written.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Directive {
    path: String,
    range: TextRange,
    scope: Scope,
    form: Form,
    targets: Vec<Target>,
    reason: Option<String>,
    /// `expires=` as written.
    expires: Option<String>,
    /// Applied (reason present when required, not expired, date valid).
    active: bool,
    /// 1-based start and end of `range`, from the file it was read in.
    at: (LineCol, LineCol),
}

/// A calendar date, compared as `(year, month, day)`.
pub(crate) type Date = (i32, u32, u32);

/// Parses `YYYY-MM-DD`.
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let mut parts = s.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let date = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&date.1) && (1..=31).contains(&date.2)).then_some(date)
}

/// Today's date (UTC) from the system clock.
pub(crate) fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// Days since 1970-01-01 → civil date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        i32::try_from(y).unwrap_or(i32::MAX),
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

/// The rule IDs `token` names: the ID, the ID without `WA-SECnn-`, or the package name.
pub(crate) fn resolve(token: &str, rules: &[RuleMeta]) -> Vec<String> {
    let norm = |s: &str| s.trim().to_ascii_lowercase().replace('_', "-");
    let want = norm(token);
    if want.is_empty() {
        return Vec::new();
    }
    let exact: Vec<String> = rules
        .iter()
        .filter(|r| {
            let id = norm(&r.id);
            let short = id
                .strip_prefix("wa-")
                .and_then(|rest| rest.split_once('-'))
                .map(|(_, short)| short);
            let package = r.package.rsplit('.').next().map(norm);
            id == want || short == Some(want.as_str()) || package.as_deref() == Some(&want)
        })
        .map(|r| r.id.clone())
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    // Last resort: the short ID's words in another order (`s3-block-public-access` for
    // `S3-PUBLIC-ACCESS-BLOCK`), when exactly one rule has those words.
    let words = |s: &str| {
        let mut w: Vec<String> = s.split('-').map(str::to_owned).collect();
        w.sort();
        w
    };
    let want_words = words(&want);
    let loose: Vec<String> = rules
        .iter()
        .filter(|r| {
            norm(&r.id)
                .strip_prefix("wa-")
                .and_then(|rest| rest.split_once('-'))
                .is_some_and(|(_, short)| words(short) == want_words)
        })
        .map(|r| r.id.clone())
        .collect();
    if loose.len() == 1 {
        loose
    } else {
        Vec::new()
    }
}

/// Rule IDs a peer ID maps to (only rules of the pack).
fn resolve_peer(table: &[(&str, &str)], token: &str, rules: &[RuleMeta]) -> Vec<String> {
    let ids: BTreeSet<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    let mut out: Vec<String> = table
        .iter()
        .filter(|(peer, _)| peer.eq_ignore_ascii_case(token.trim()))
        .filter(|(_, ours)| ids.contains(ours))
        .map(|(_, ours)| (*ours).to_owned())
        .collect();
    if out.is_empty() {
        // Migrated entries sometimes already use wa-lint's own IDs.
        out = resolve(token, rules);
    }
    out
}

/// What a `wa-lint:ignore` comment says.
#[derive(Debug, Default, PartialEq, Eq)]
struct Parsed {
    /// `(ID, instance key)` as written.
    ids: Vec<(String, Option<String>)>,
    reason: Option<String>,
    expires: Option<String>,
    /// Only `wa-lint:ignore:ID` tokens.
    token_form: bool,
}

const MARKER: &str = "wa-lint:ignore";

/// Splits on whitespace and commas outside quotes and brackets.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut quote = None;
    let mut depth = 0u32;
    for (i, c) in s.char_indices() {
        let sep = quote.is_none() && depth == 0 && (c.is_whitespace() || c == ',');
        if sep {
            if let Some(st) = start.take() {
                out.push(s.get(st..i).unwrap_or_default());
            }
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push(s.get(st..).unwrap_or_default());
    }
    out
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// `ID[key]` → (`ID`, `key`).
fn split_key(token: &str) -> (String, Option<String>) {
    match token.strip_suffix(']').and_then(|t| t.split_once('[')) {
        Some((id, key)) => (id.to_owned(), Some(unquote(key).to_owned())),
        None => (token.to_owned(), None),
    }
}

/// Parses the text of a comment; `None` when it holds no `wa-lint:ignore`.
fn parse_comment(body: &str) -> Option<Parsed> {
    let lower = body.to_ascii_lowercase();
    let at = lower.find(MARKER)?;
    let rest = body.get(at..)?;
    let mut parsed = Parsed {
        token_form: true,
        ..Parsed::default()
    };
    let mut default_key: Option<String> = None;
    let mut in_reason = false;
    for token in tokens(rest) {
        let lower = token.to_ascii_lowercase();
        if let Some(after) = lower.strip_prefix(MARKER).map(|_| &token[MARKER.len()..]) {
            in_reason = false;
            let mut after = after;
            if after.starts_with('[') {
                if let Some(end) = after.find(']') {
                    default_key = Some(unquote(after.get(1..end).unwrap_or_default()).to_owned());
                    after = after.get(end + 1..).unwrap_or_default();
                }
            }
            if let Some(id) = after.strip_prefix(':').or_else(|| after.strip_prefix('=')) {
                // trivy style: `wa-lint:ignore:ID:exp:2025-01-01`.
                let (id, exp) = match id.split_once(":exp:") {
                    Some((id, exp)) => (id, Some(exp)),
                    None => (id, None),
                };
                if let Some(exp) = exp {
                    parsed.expires = Some(exp.to_owned());
                }
                let (id, key) = split_key(id);
                if !id.is_empty() {
                    parsed.ids.push((id, key.or_else(|| default_key.clone())));
                }
                if !after.starts_with(':') {
                    parsed.token_form = false;
                }
            } else {
                parsed.token_form = false;
            }
            continue;
        }
        if let Some(value) = lower
            .strip_prefix("reason=")
            .or_else(|| lower.strip_prefix("reason:"))
            .map(|_| &token["reason=".len()..])
        {
            let value = unquote(value);
            in_reason = !(token.ends_with('"') || token.ends_with('\''));
            parsed.reason = Some(value.to_owned());
            continue;
        }
        if let Some(value) = lower
            .strip_prefix("expires=")
            .or_else(|| lower.strip_prefix("expires:"))
            .map(|_| &token["expires=".len()..])
        {
            in_reason = false;
            parsed.expires = Some(unquote(value).to_owned());
            continue;
        }
        if in_reason {
            if let Some(reason) = &mut parsed.reason {
                reason.push(' ');
                reason.push_str(token);
            }
            continue;
        }
        let (id, key) = split_key(token);
        parsed.token_form = false;
        parsed.ids.push((id, key.or_else(|| default_key.clone())));
    }
    parsed.reason = parsed
        .reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    Some(parsed)
}

/// Directives of the comments in `file`.
fn comment_directives(file: &SourceFile, rules: &[RuleMeta], out: &mut Vec<Directive>) {
    if !file.text.contains(MARKER) || !matches!(file.format, Format::Yaml | Format::Hcl) {
        return;
    }
    for comment in comments::scan(&file.text, file.format) {
        let Some(parsed) = parse_comment(comment.body) else {
            continue;
        };
        let form = if parsed.token_form {
            Form::CommentToken
        } else {
            Form::Comment
        };
        let scope = Scope::Line(comment.target.unwrap_or(0));
        out.push(Directive {
            path: file.path.clone(),
            range: comment.range,
            scope,
            form,
            targets: parsed
                .ids
                .into_iter()
                .map(|(raw, key)| Target {
                    rules: resolve(&raw, rules),
                    raw,
                    key,
                    used: false,
                })
                .collect(),
            reason: parsed.reason,
            expires: parsed.expires,
            active: true,
            at: (
                file.line_col(comment.range.start),
                file.line_col(comment.range.end),
            ),
        });
    }
}

/// A scalar as text (YAML dates and numbers may load as non-strings).
fn scalar(node: &Node) -> Option<String> {
    match &node.value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The items of `node` when it is a list (a single item otherwise).
fn items(node: &Node) -> Vec<&Node> {
    match &node.value {
        Value::List(items) => items.iter().collect(),
        _ => vec![node],
    }
}

/// Directives of the `Metadata` of every resource of the template `file`.
fn metadata_directives(file: &SourceFile, rules: &[RuleMeta], out: &mut Vec<Directive>) {
    let text = &file.text;
    let mentions = ["wa-lint", "checkov", "cfn_nag", "guard"]
        .iter()
        .any(|k| text.contains(k));
    if !text.contains("Metadata") || !mentions {
        return;
    }
    let Some(root) = wa_lint_cfn::load_document(file) else {
        return;
    };
    let Some(Value::Map(resources)) = root.get("Resources").map(|n| &n.value) else {
        return;
    };
    for (logical_id, entry) in resources {
        let Some(metadata) = entry.node.get("Metadata") else {
            continue;
        };
        let fallback = metadata
            .span
            .or(entry.key_span)
            .map_or(TextRange::empty(0), |s| s.range);
        let mut push = |item: &Node, form: Form, id_key: &str, reason_key: &str| {
            let (raw, reason, expires) = match &item.value {
                Value::Map(_) => (
                    item.get(id_key).and_then(scalar),
                    item.get(reason_key).and_then(scalar),
                    item.get("expires").and_then(scalar),
                ),
                _ => (scalar(item), None, None),
            };
            let Some(raw) = raw else { return };
            let rules = match form {
                Form::Checkov => resolve_peer(peers::CHECKOV, &raw, rules),
                Form::Guard => resolve_peer(peers::GUARD, &raw, rules),
                Form::CfnNag => resolve_peer(&[], &raw, rules),
                _ => resolve(&raw, rules),
            };
            let range = item.span.map_or(fallback, |s| s.range);
            out.push(Directive {
                path: file.path.clone(),
                range,
                scope: Scope::Resource(logical_id.clone()),
                form,
                targets: vec![Target {
                    raw,
                    rules,
                    key: None,
                    used: false,
                }],
                reason: reason.filter(|r| !r.trim().is_empty()),
                expires,
                active: true,
                at: (file.line_col(range.start), file.line_col(range.end)),
            });
        };
        let sections = [
            ("wa-lint", "ignore", Form::Metadata, "id", "reason"),
            ("checkov", "skip", Form::Checkov, "id", "comment"),
            ("cfn_nag", "rules_to_suppress", Form::CfnNag, "id", "reason"),
            ("guard", "SuppressedRules", Form::Guard, "id", "reason"),
        ];
        for (tool, list, form, id_key, reason_key) in sections {
            if let Some(list) = metadata.get(tool).and_then(|t| t.get(list)) {
                for item in items(list) {
                    push(item, form, id_key, reason_key);
                }
            }
        }
    }
}

/// Validates directives: missing reasons, bad or past expiry dates, unknown IDs. Invalid ones
/// are marked inactive; every problem is a warning.
fn validate(directives: &mut [Directive], today: Date, diagnostics: &mut Vec<Diagnostic>) {
    for d in directives {
        let warn = |code: &str, message: String| {
            Diagnostic::at(Level::Warning, code, &d.path, Some(d.range), message)
        };
        if d.targets.is_empty() {
            d.active = false;
            diagnostics.push(
                warn("suppress::empty", format!("{} names no rule", d.form.name()))
                    .with_help("write the rule IDs after `wa-lint:ignore`, e.g. `# wa-lint:ignore WA-SEC08-S3-ENCRYPTION reason=\"…\"`"),
            );
            continue;
        }
        if d.form.needs_reason() && d.reason.is_none() {
            d.active = false;
            let ids: Vec<&str> = d.targets.iter().map(|t| t.raw.as_str()).collect();
            diagnostics.push(
                warn(
                    "suppress::missing-reason",
                    format!(
                        "suppression of {} has no reason; it is not applied",
                        ids.join(", ")
                    ),
                )
                .with_help(match d.form {
                    Form::Comment => "add `reason=\"…\"` to the comment",
                    Form::Checkov => "add a `comment` to the checkov skip entry",
                    _ => "add a `reason` to the entry",
                }),
            );
        }
        if let Some(raw) = &d.expires {
            match parse_date(raw) {
                None => {
                    d.active = false;
                    diagnostics.push(warn(
                        "suppress::bad-date",
                        format!(
                            "expiry date `{raw}` is not YYYY-MM-DD; the suppression is not applied"
                        ),
                    ));
                }
                Some(date) if date < today => {
                    d.active = false;
                    diagnostics.push(
                        warn(
                            "suppress::expired",
                            format!("suppression expired on {raw}; it is no longer applied"),
                        )
                        .with_help("fix the finding, or renew the suppression with a new date"),
                    );
                }
                Some(_) => {}
            }
        }
        if d.form.own() {
            for t in d.targets.iter().filter(|t| t.rules.is_empty()) {
                diagnostics.push(
                    warn(
                        "suppress::unknown-rule",
                        format!("`{}` is not a rule of the pack", t.raw),
                    )
                    .with_help("`wa-lint rules` lists the rule IDs"),
                );
            }
        }
    }
}

/// The instance key of a Terraform address (`a.b["x"]` → `x`, `a.b[0]` → `0`).
fn instance_key(address: &str) -> Option<&str> {
    let inner = address.strip_suffix(']')?.rsplit_once('[')?.1;
    Some(unquote(inner))
}

/// Inputs of [`apply`].
pub(crate) struct Inputs<'a> {
    /// Every file read (each scanned one is read again here, one at a time per thread).
    pub files: &'a [LazyFile],
    /// Paths of the files of the units that were evaluated; suppressions elsewhere are ignored.
    pub scanned: &'a BTreeSet<String>,
    /// CloudFormation templates among them.
    pub templates: &'a BTreeSet<String>,
    /// Resource sites.
    pub sites: &'a Sites,
    /// Every rule of the pack (to resolve IDs).
    pub rules: &'a [RuleMeta],
    /// Rules that ran (unused suppressions are reported only for these).
    pub enabled: &'a BTreeSet<String>,
    /// The date expiry is compared with.
    pub today: Date,
}

/// True when `text` may hold a suppression (a `wa-lint:ignore` comment or a `Metadata`
/// section): the suppressions pass reads only such files again.
pub(crate) fn may_hold(text: &str) -> bool {
    text.contains(MARKER) || text.contains("Metadata")
}

/// What the suppressions pass may skip or reuse instead of reading files again.
#[derive(Default)]
pub(crate) struct Shortcuts<'a> {
    /// Paths whose first read held no suppression ([`may_hold`] false): not read again.
    pub quiet: Option<&'a BTreeSet<String>>,
    /// The directives of files seen by an earlier run, by content (`--cache`).
    pub memo: Option<&'a crate::cache::Memo>,
}

/// The [`crate::cache::Memo`] key of a file's directives: its content, path and whether it is
/// read as a template.
fn memo_key(lazy: &LazyFile, template: bool) -> String {
    let mut h = blake3::Hasher::new();
    crate::cache::field(&mut h, lazy.content_hash().as_bytes());
    crate::cache::field(&mut h, lazy.path.as_bytes());
    crate::cache::field(&mut h, &[u8::from(template)]);
    h.finalize().to_hex().to_string()
}

/// The directives of one scanned file, and a diagnostic when it cannot be read again.
fn directives_of(
    lazy: &LazyFile,
    input: &Inputs<'_>,
    shortcuts: &Shortcuts<'_>,
) -> (Vec<Directive>, Option<Diagnostic>) {
    let mut found = Vec::new();
    if shortcuts.quiet.is_some_and(|q| q.contains(&lazy.path)) {
        return (found, None);
    }
    let template = input.templates.contains(&lazy.path);
    let key = shortcuts.memo.map(|_| memo_key(lazy, template));
    if let (Some(memo), Some(key)) = (shortcuts.memo, &key) {
        if let Some(known) = memo.get(key).and_then(|v| serde_json::from_value(v).ok()) {
            return (known, None);
        }
    }
    let text = match lazy.text() {
        Ok(text) => text,
        Err(problem) => {
            let diagnostic = LazyFile::unread(
                *problem,
                Level::Error,
                "its suppressions could not be read, so its findings are reported without them",
            );
            return (found, Some(diagnostic));
        }
    };
    // Most files hold no suppression: nothing to parse in them.
    if may_hold(&text) {
        let file = SourceFile::new(lazy.id, lazy.path.clone(), text, lazy.format);
        comment_directives(&file, input.rules, &mut found);
        if template {
            metadata_directives(&file, input.rules, &mut found);
        }
    }
    if let (Some(memo), Some(key), Ok(value)) = (shortcuts.memo, key, serde_json::to_value(&found))
    {
        memo.put(key, value);
    }
    (found, None)
}

/// Reads every suppression of the scanned files, marks the findings they cover as
/// [`Status::Suppressed`], and returns warnings (bad suppressions, unused ones).
pub(crate) fn apply(
    findings: &mut [Finding],
    input: &Inputs<'_>,
    shortcuts: &Shortcuts<'_>,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    // Files are read in parallel (on the caller's rayon pool), each dropped once its
    // directives are taken; results are put together in file order.
    let per_file: Vec<(Vec<Directive>, Option<Diagnostic>)> = input
        .files
        .par_iter()
        .filter(|f| input.scanned.contains(&f.path))
        .map(|lazy| directives_of(lazy, input, shortcuts))
        .collect();
    let mut directives = Vec::new();
    let mut diagnostics = Vec::new();
    for (found, diagnostic) in per_file {
        directives.extend(found);
        diagnostics.extend(diagnostic);
    }
    validate(&mut directives, input.today, &mut diagnostics);
    let mut by_path: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, d) in directives.iter().enumerate() {
        by_path.entry(d.path.clone()).or_default().push(i);
    }
    for finding in findings.iter_mut() {
        if finding.status == Status::Suppressed {
            continue;
        }
        let key = (finding.location.path.clone(), finding.address.clone());
        let site = input.sites.get(&key).copied();
        let Some(candidates) = by_path.get(finding.location.path.as_str()) else {
            continue;
        };
        let line = finding.location.start.line;
        let key = instance_key(&finding.address);
        let hit = candidates.iter().find_map(|&i| {
            let d = directives.get(i)?;
            if !d.active {
                return None;
            }
            let in_scope = match &d.scope {
                Scope::Line(t) => site.is_some_and(|s| {
                    *t == s.header || (*t == line && (s.first..=s.last).contains(t))
                }),
                Scope::Resource(id) => *id == finding.address,
            };
            if !in_scope {
                return None;
            }
            let t = d.targets.iter().position(|t| {
                t.rules.contains(&finding.rule_id)
                    && t.key.as_deref().is_none_or(|k| key == Some(k))
            })?;
            Some((i, t))
        });
        let Some((i, t)) = hit else { continue };
        let Some(d) = directives.get_mut(i) else {
            continue;
        };
        if let Some(target) = d.targets.get_mut(t) {
            target.used = true;
        }
        let justification = d.reason.clone().unwrap_or_else(|| match d.form {
            Form::Guard => "suppressed in Metadata guard.SuppressedRules (no reason given)".into(),
            _ => "no reason given".into(),
        });
        finding.suppression = Some(Suppression {
            kind: SuppressionKind::InSource,
            justification,
            was: finding.status,
            location: Some(Location {
                path: d.path.clone(),
                range: d.range,
                start: d.at.0,
                end: d.at.1,
            }),
        });
        finding.status = Status::Suppressed;
    }

    for d in directives.iter().filter(|d| d.active && d.form.own()) {
        for t in &d.targets {
            if t.used || t.rules.is_empty() || !t.rules.iter().any(|r| input.enabled.contains(r)) {
                continue;
            }
            diagnostics.push(
                Diagnostic::at(
                    Level::Warning,
                    "suppress::unused",
                    &d.path,
                    Some(d.range),
                    format!("unused suppression: no `{}` finding here", t.raw),
                )
                .with_help(match d.scope {
                    Scope::Line(_) => "put the comment on the resource's first line or the line above it, or on the attribute's line or the line above it; remove it when the finding is fixed",
                    Scope::Resource(_) => "remove the entry when the finding is fixed",
                }),
            );
        }
    }
    diagnostics
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn ids(p: &Parsed) -> Vec<(&str, Option<&str>)> {
        p.ids
            .iter()
            .map(|(id, key)| (id.as_str(), key.as_deref()))
            .collect()
    }

    #[test]
    fn parses_several_ids_reason_and_expiry() {
        let p = parse_comment(
            r#" wa-lint:ignore WA-SEC08-S3-ENCRYPTION, s3-access-logging reason="static site" expires=2030-01-31"#,
        )
        .unwrap();
        assert_eq!(
            ids(&p),
            vec![
                ("WA-SEC08-S3-ENCRYPTION", None),
                ("s3-access-logging", None)
            ]
        );
        assert_eq!(p.reason.as_deref(), Some("static site"));
        assert_eq!(p.expires.as_deref(), Some("2030-01-31"));
        assert!(!p.token_form);
    }

    #[test]
    fn parses_token_form_and_keys() {
        let p = parse_comment(" wa-lint:ignore:a wa-lint:ignore:b[\"x y\"]").unwrap();
        assert_eq!(ids(&p), vec![("a", None), ("b", Some("x y"))]);
        assert!(p.token_form);
        assert_eq!(p.reason, None);
        let p = parse_comment(" wa-lint:ignore[prod] A B reason=legacy bucket, kept").unwrap();
        assert_eq!(ids(&p), vec![("A", Some("prod")), ("B", Some("prod"))]);
        assert_eq!(p.reason.as_deref(), Some("legacy bucket kept"));
        assert_eq!(parse_comment(" just a comment"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2024-2-29"), None);
        assert_eq!(parse_date("soon"), None);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert!(today() > (2024, 1, 1));
    }

    #[test]
    fn instance_keys() {
        assert_eq!(instance_key(r#"aws_s3_bucket.b["a"]"#), Some("a"));
        assert_eq!(instance_key("aws_s3_bucket.b[0]"), Some("0"));
        assert_eq!(instance_key(r#"module.m["x"].aws_s3_bucket.b"#), None);
        assert_eq!(instance_key(r#"aws_s3_bucket.b["a.b"]"#), Some("a.b"));
        assert_eq!(instance_key("Bucket"), None);
    }

    /// A scanned file that vanished before the suppressions pass read it: an error, so its
    /// findings are not reported as if nothing suppressed them.
    #[test]
    fn a_file_that_cannot_be_read_again_is_an_error() {
        use wa_lint_source::FileId;
        let dir = std::env::temp_dir().join(format!("wa-lint-suppress-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text =
            "# wa-lint:ignore s3-encryption reason=\"test\"\nresource \"aws_s3_bucket\" \"b\" {}\n";
        let abs = dir.join("main.tf");
        std::fs::write(&abs, text).unwrap();
        let first = SourceFile::new(FileId(0), "main.tf", text, Format::Hcl);
        let files = [LazyFile::on_disk(&first, abs.clone(), 1 << 20)];
        std::fs::remove_file(&abs).unwrap();
        let scanned: BTreeSet<String> = ["main.tf".to_owned()].into();
        let none = BTreeSet::new();
        let diagnostics = apply(
            &mut [],
            &Inputs {
                files: &files,
                scanned: &scanned,
                templates: &none,
                sites: &Sites::new(),
                rules: &[],
                enabled: &none,
                today: (2026, 1, 1),
            },
            &Shortcuts::default(),
        );
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(diagnostics.len(), 1);
        let d = &diagnostics[0];
        assert_eq!(
            (d.code.as_str(), d.level, d.path.as_deref()),
            ("source::io", Level::Error, Some("main.tf"))
        );
        assert!(
            d.message.ends_with(
                "; its suppressions could not be read, so its findings are reported without them"
            ),
            "{}",
            d.message
        );
    }
}
