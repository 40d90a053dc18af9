//! `.wa-lint.toml`, read from the scan root.
//!
//! ```toml
//! fail-on = "high"                 # critical | high | medium | low | info | never
//! unknown = "warn"                 # pass | warn | fail
//! baseline = ".wa-lint-baseline.json"
//! exclude = ["legacy/**"]          # gitignore globs, like --exclude
//! rules-dirs = ["policies"]        # extra rules directories, like --rules
//! var-files = ["env/prod.tfvars"]  # like --var-file
//! cfn-params = ["params/prod.json"] # like --cfn-params
//! cache = ".wa-lint-cache"         # like --cache (off unless set; --no-cache wins)
//!
//! [vars]                           # like --var NAME=VALUE
//! region = "eu-west-1"
//!
//! [parameters]                     # like --cfn-param NAME=VALUE
//! Env = "prod"
//!
//! [rules]
//! only = []                        # rule IDs, short IDs or best practices (SEC08-BP02)
//! skip = ["WA-SEC08-KMS-ROTATION"]
//!
//! [rules.severity]
//! "WA-SEC08-S3-ENCRYPTION" = "high"
//!
//! [limits]                         # like --max-file-size, --max-resources, --rule-timeout
//! file-size = 67108864             # bytes
//! resources = 20000                # per unit
//! rule-timeout = 5                 # seconds per rule and unit
//! ```
//!
//! Paths are relative to the directory of the file. Command-line flags win over the file:
//! scalar settings are replaced, lists (excludes, rules dirs, var files, skips) are extended.
//! Every problem is an error diagnostic located in the file (exit code 2).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use wa_lint_rules::{RuleMeta, Severity};
use wa_lint_source::{Diagnostic, FileId, Format, SourceFile, TextRange};

use crate::UnknownPolicy;

/// Name of the configuration file at the scan root.
pub const FILE_NAME: &str = ".wa-lint.toml";

/// `fail-on`: the lowest severity that fails a run, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Failed findings at or above this severity make the exit code 1.
    Severity(Severity),
    /// Findings never change the exit code.
    Never,
}

/// The settings of a `.wa-lint.toml`; paths resolved against its directory.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// `fail-on`.
    pub fail_on: Option<FailOn>,
    /// `unknown`.
    pub unknown: Option<UnknownPolicy>,
    /// `baseline`.
    pub baseline: Option<PathBuf>,
    /// Incremental cache directory (`cache`), like `--cache`.
    pub cache: Option<PathBuf>,
    /// `exclude` globs.
    pub excludes: Vec<String>,
    /// `rules-dirs`.
    pub rule_dirs: Vec<PathBuf>,
    /// `var-files`.
    pub var_files: Vec<PathBuf>,
    /// `[vars]`.
    pub vars: Vec<(String, String)>,
    /// `cfn-params` (parameter files).
    pub cfn_param_files: Vec<PathBuf>,
    /// `[parameters]`.
    pub cfn_params: Vec<(String, String)>,
    /// `[rules] only`, with the byte range of each entry in the file.
    pub only: Vec<(String, TextRange)>,
    /// `[rules] skip`, likewise.
    pub skip: Vec<(String, TextRange)>,
    /// `[rules.severity]`, likewise (range of the key).
    pub severity: Vec<(String, Severity, TextRange)>,
    /// `[limits] file-size` (bytes).
    pub max_file_bytes: Option<u64>,
    /// `[limits] resources` (per unit).
    pub max_resources: Option<usize>,
    /// `[limits] rule-timeout` (seconds).
    pub rule_timeout: Option<std::time::Duration>,
}

/// A configuration file that was found: its text (for diagnostics), the settings, and the
/// problems (errors).
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file, path relative to the scan root (`.wa-lint.toml`).
    pub file: SourceFile,
    /// The settings (defaults where the file is invalid).
    pub config: Config,
    /// Errors located in the file.
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    fail_on: Option<Spanned<String>>,
    unknown: Option<Spanned<String>>,
    baseline: Option<String>,
    cache: Option<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    rules_dirs: Vec<String>,
    #[serde(default)]
    var_files: Vec<String>,
    #[serde(default)]
    vars: BTreeMap<String, toml::Value>,
    #[serde(default)]
    cfn_params: Vec<String>,
    #[serde(default)]
    parameters: BTreeMap<String, toml::Value>,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    limits: RawLimits,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawLimits {
    file_size: Option<Spanned<i64>>,
    resources: Option<Spanned<i64>>,
    rule_timeout: Option<Spanned<f64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRules {
    #[serde(default)]
    only: Vec<Spanned<String>>,
    #[serde(default)]
    skip: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
}

fn range(span: Range<usize>) -> TextRange {
    TextRange::new(span.start, span.end)
}

/// A TOML value as the string a flag would give (`"x"` → `x`, `3` → `3`).
fn plain(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

fn severity(name: &str) -> Option<Severity> {
    match name.to_ascii_lowercase().as_str() {
        "critical" => Some(Severity::Critical),
        "high" => Some(Severity::High),
        "medium" => Some(Severity::Medium),
        "low" => Some(Severity::Low),
        "info" => Some(Severity::Info),
        _ => None,
    }
}

/// Reads `root/.wa-lint.toml`; `None` when there is none.
pub fn load(root: &Path) -> Option<Loaded> {
    let path = root.join(FILE_NAME);
    let text = std::fs::read_to_string(&path).ok()?;
    Some(parse(root, text))
}

/// Parses the text of a configuration file whose directory is `root`.
pub fn parse(root: &Path, text: String) -> Loaded {
    let file = SourceFile::new(FileId(u32::MAX), FILE_NAME.to_owned(), text, Format::Yaml);
    let mut diagnostics = Vec::new();
    let error = |span: Option<Range<usize>>, message: String| {
        Diagnostic::error("config::invalid", FILE_NAME, span.map(range), message)
    };
    let raw: Raw = match toml::from_str(&file.text) {
        Ok(raw) => raw,
        Err(e) => {
            diagnostics.push(
                error(e.span(), e.message().trim().to_owned())
                    .with_help("see the README, section Configuration, for the keys"),
            );
            return Loaded {
                file,
                config: Config::default(),
                diagnostics,
            };
        }
    };
    let resolve = |p: &String| root.join(p);
    let mut config = Config {
        baseline: raw.baseline.as_ref().map(resolve),
        cache: raw.cache.as_ref().map(resolve),
        excludes: raw.exclude,
        rule_dirs: raw.rules_dirs.iter().map(resolve).collect(),
        var_files: raw.var_files.iter().map(resolve).collect(),
        vars: raw
            .vars
            .iter()
            .map(|(k, v)| (k.clone(), plain(v)))
            .collect(),
        cfn_param_files: raw.cfn_params.iter().map(resolve).collect(),
        cfn_params: raw
            .parameters
            .iter()
            .map(|(k, v)| (k.clone(), plain(v)))
            .collect(),
        only: raw
            .rules
            .only
            .iter()
            .map(|s| (s.get_ref().clone(), range(s.span())))
            .collect(),
        skip: raw
            .rules
            .skip
            .iter()
            .map(|s| (s.get_ref().clone(), range(s.span())))
            .collect(),
        ..Config::default()
    };
    if let Some(v) = &raw.fail_on {
        match v.get_ref().to_ascii_lowercase().as_str() {
            "never" => config.fail_on = Some(FailOn::Never),
            name => match severity(name) {
                Some(s) => config.fail_on = Some(FailOn::Severity(s)),
                None => diagnostics.push(error(
                    Some(v.span()),
                    format!(
                        "`fail-on` is `{}`; expected critical, high, medium, low, info or never",
                        v.get_ref()
                    ),
                )),
            },
        }
    }
    if let Some(v) = &raw.unknown {
        match v.get_ref().to_ascii_lowercase().as_str() {
            "pass" => config.unknown = Some(UnknownPolicy::Pass),
            "warn" => config.unknown = Some(UnknownPolicy::Warn),
            "fail" => config.unknown = Some(UnknownPolicy::Fail),
            _ => diagnostics.push(error(
                Some(v.span()),
                format!(
                    "`unknown` is `{}`; expected pass, warn or fail",
                    v.get_ref()
                ),
            )),
        }
    }
    let positive = |v: &Spanned<i64>, key: &str, diagnostics: &mut Vec<Diagnostic>| {
        let n = u64::try_from(*v.get_ref()).ok().filter(|n| *n > 0);
        if n.is_none() {
            diagnostics.push(error(
                Some(v.span()),
                format!("`limits.{key}` must be a positive integer"),
            ));
        }
        n
    };
    if let Some(v) = &raw.limits.file_size {
        config.max_file_bytes = positive(v, "file-size", &mut diagnostics);
    }
    if let Some(v) = &raw.limits.resources {
        config.max_resources = positive(v, "resources", &mut diagnostics)
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    }
    if let Some(v) = &raw.limits.rule_timeout {
        match std::time::Duration::try_from_secs_f64(*v.get_ref()) {
            Ok(d) if !d.is_zero() => config.rule_timeout = Some(d),
            _ => diagnostics.push(error(
                Some(v.span()),
                "`limits.rule-timeout` must be a positive number of seconds".to_owned(),
            )),
        }
    }
    for (rule, level) in &raw.rules.severity {
        match severity(level.get_ref()) {
            Some(s) => config
                .severity
                .push((rule.get_ref().clone(), s, range(rule.span()))),
            None => diagnostics.push(error(
                Some(level.span()),
                format!(
                    "severity `{}` of `{}`; expected critical, high, medium, low or info",
                    level.get_ref(),
                    rule.get_ref()
                ),
            )),
        }
    }
    Loaded {
        file,
        config,
        diagnostics,
    }
}

impl Config {
    /// Errors for rule entries (`only`, `skip`, `severity`) that name no rule of `rules`, and
    /// removes them so the scan can go on.
    pub fn check_rules(&mut self, rules: &[RuleMeta]) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let mut known = |token: &str, at: TextRange| {
            let ok = rules.iter().any(|r| crate::select::selects(token, r));
            if !ok {
                diagnostics.push(
                    Diagnostic::error(
                        "config::unknown-rule",
                        FILE_NAME,
                        Some(at),
                        format!("`{token}` is not a rule ID or best practice of the pack"),
                    )
                    .with_help("`wa-lint rules` lists the rule IDs"),
                );
            }
            ok
        };
        self.only.retain(|(t, at)| known(t, *at));
        self.skip.retain(|(t, at)| known(t, *at));
        self.severity.retain(|(t, _, at)| known(t, *at));
        diagnostics
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn at(loaded: &Loaded, d: &Diagnostic) -> (u32, u32) {
        let lc = loaded.file.line_col(d.range.unwrap().start);
        (lc.line, lc.column)
    }

    #[test]
    fn reads_every_key() {
        let loaded = parse(
            Path::new("root"),
            r#"fail-on = "high"
unknown = "fail"
baseline = "b.json"
exclude = ["legacy/**"]
rules-dirs = ["policies"]
var-files = ["prod.tfvars"]
cfn-params = ["params.json"]
[vars]
region = "eu-west-1"
count = 3
[parameters]
Env = "prod"
[rules]
skip = ["WA-SEC08-KMS-ROTATION"]
[rules.severity]
"WA-SEC08-S3-ENCRYPTION" = "high"
"#
            .to_owned(),
        );
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let c = &loaded.config;
        assert_eq!(c.fail_on, Some(FailOn::Severity(Severity::High)));
        assert_eq!(c.unknown, Some(UnknownPolicy::Fail));
        assert_eq!(c.baseline, Some(PathBuf::from("root/b.json")));
        assert_eq!(c.excludes, vec!["legacy/**".to_owned()]);
        assert_eq!(c.rule_dirs, vec![PathBuf::from("root/policies")]);
        assert_eq!(c.var_files, vec![PathBuf::from("root/prod.tfvars")]);
        assert_eq!(c.cfn_param_files, vec![PathBuf::from("root/params.json")]);
        assert_eq!(
            c.vars,
            vec![
                ("count".to_owned(), "3".to_owned()),
                ("region".to_owned(), "eu-west-1".to_owned())
            ]
        );
        assert_eq!(c.cfn_params, vec![("Env".to_owned(), "prod".to_owned())]);
        assert_eq!(c.skip[0].0, "WA-SEC08-KMS-ROTATION");
        assert_eq!(c.severity[0].0, "WA-SEC08-S3-ENCRYPTION");
        assert_eq!(c.severity[0].1, Severity::High);
    }

    #[test]
    fn limits() {
        let loaded = parse(
            Path::new("."),
            "[limits]\nfile-size = 1024\nresources = 10\nrule-timeout = 0.5\n".to_owned(),
        );
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        assert_eq!(loaded.config.max_file_bytes, Some(1024));
        assert_eq!(loaded.config.max_resources, Some(10));
        assert_eq!(
            loaded.config.rule_timeout,
            Some(std::time::Duration::from_millis(500))
        );
        let loaded = parse(
            Path::new("."),
            "[limits]\nresources = 0\nrule-timeout = -1.0\n".to_owned(),
        );
        assert_eq!(loaded.diagnostics.len(), 2, "{:?}", loaded.diagnostics);
        assert_eq!(at(&loaded, &loaded.diagnostics[0]), (2, 13));
        assert_eq!(
            loaded.diagnostics[0].message,
            "`limits.resources` must be a positive integer"
        );
        assert_eq!(at(&loaded, &loaded.diagnostics[1]), (3, 16));
    }

    #[test]
    fn errors_point_into_the_file() {
        let loaded = parse(Path::new("."), "fail-on = \"loud\"\n".to_owned());
        assert_eq!(loaded.diagnostics.len(), 1);
        assert_eq!(at(&loaded, &loaded.diagnostics[0]), (1, 11));
        assert!(loaded.diagnostics[0].message.contains("`loud`"));

        let loaded = parse(
            Path::new("."),
            "exclude = []\nfial-on = \"low\"\n".to_owned(),
        );
        assert_eq!(loaded.diagnostics.len(), 1);
        assert_eq!(at(&loaded, &loaded.diagnostics[0]), (2, 1));
        assert!(
            loaded.diagnostics[0].message.contains("fial-on"),
            "{}",
            loaded.diagnostics[0].message
        );

        let loaded = parse(Path::new("."), "[rules\n".to_owned());
        assert_eq!(loaded.diagnostics[0].code, "config::invalid");
        assert_eq!(at(&loaded, &loaded.diagnostics[0]).0, 1);
    }
}
