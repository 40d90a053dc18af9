//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Exit codes, shown in `--help`.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  no failed finding at or above --fail-on, and no error
  1  at least one failed finding at or above --fail-on
  2  usage, parse or rule error (wins over 1)";

/// wa-lint checks AWS CloudFormation templates and Terraform modules against the AWS
/// Well-Architected Security Pillar.
///
/// `wa-lint [PATHS]...` is short for `wa-lint check [PATHS]...`.
#[derive(Debug, Parser)]
#[command(name = "wa-lint", version, about, after_help = EXIT_CODES, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// A subcommand; without one, wa-lint checks the given paths.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Options of `check`, the default command.
    #[command(flatten)]
    pub check: CheckArgs,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
// Parsed once per process; boxing `CheckArgs` would only add noise.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Check files and directories (the default command).
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// List the rules of the pack.
    Rules(RulesArgs),
    /// Print the documentation of one rule.
    Explain(ExplainArgs),
    /// Run the fixtures of a rules directory (custom rules), like the built-in pack's tests.
    Test(TestArgs),
}

/// Arguments of `rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format: an aligned table, or JSON (`{"version": 1, "rules": [{id, title,
    /// severity, best_practices, origins, resource_types, recommended_action, package}]}`).
    #[arg(short, long, value_enum, default_value_t = ListFormatArg::Table)]
    pub format: ListFormatArg,
    /// Extra rules directory to include; repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule ID, e.g. WA-SEC08-S3-ENCRYPTION.
    pub id: String,
    /// Print the Markdown source of the page (as in docs/rules/) instead of plain text.
    #[arg(long)]
    pub markdown: bool,
    /// Extra rules directory to include; repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

/// Arguments of `test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Rules directories whose fixtures to run.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Fail (not only warn) when a rule lacks a bad, good, absent or unresolved fixture for an
    /// origin its `resource_types` declare, as the built-in pack's harness does.
    #[arg(long)]
    pub strict: bool,
}

/// Arguments of `check`.
#[derive(Debug, Clone, Args)]
#[allow(clippy::struct_excessive_bools)] // independent command-line switches
pub struct CheckArgs {
    /// Files or directories to scan.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format, repeatable: human (default), json, sarif, junit, github, markdown,
    /// scorecard, scorecard-markdown.
    /// `FORMAT=FILE` writes that format to FILE, e.g. `-f human -f sarif=results.sarif`.
    #[arg(short, long, value_name = "FORMAT[=FILE]", value_parser = format_spec)]
    pub format: Vec<FormatSpec>,

    /// Write the report to FILE instead of standard output; repeatable: the Nth `--output`
    /// pairs with the Nth `--format` given without `=FILE` (as checkov pairs `-o` with
    /// `--output-file-path`).
    #[arg(short, long, value_name = "FILE")]
    pub output: Vec<PathBuf>,

    /// Print only errors and the closing summary (human format), and no progress indicator.
    #[arg(short, long)]
    pub quiet: bool,

    /// Lowest severity of a failed finding that makes the exit code 1 [default: low, or
    /// `fail-on` in .wa-lint.toml].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,

    /// Findings whose status is unknown: pass (left out), warn (reported, exit code
    /// unaffected), fail (count as failures) [default: warn, or `unknown` in .wa-lint.toml].
    #[arg(long, value_enum, value_name = "POLICY")]
    pub unknown: Option<UnknownArg>,

    /// Run only these rules: IDs, short IDs (s3-encryption) or best practices (SEC08-BP02);
    /// comma-separated or repeated.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub only: Vec<String>,

    /// Leave out these rules (same forms as --only); comma-separated or repeated.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub skip: Vec<String>,

    /// Suppress the findings recorded in this baseline file (status `suppressed`,
    /// justification "baseline"), so only new findings fail.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record every current finding in a baseline file (they are then reported as baselined).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Evaluate only units (templates, modules) with a file changed since the git revision REV
    /// (`git diff REV...HEAD`, uncommitted and untracked files); each unit is loaded whole.
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,

    /// Evaluate only shard K of N (1-based), splitting units by a stable hash of their path,
    /// for a CI matrix.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<wa_lint_linter::Shard>,

    /// Incremental cache directory: units whose files, options and rules did not change are
    /// not parsed or evaluated again (e.g. `.wa-lint-cache`; created when missing).
    #[arg(long, value_name = "DIR", overrides_with = "no_cache")]
    pub cache: Option<PathBuf>,

    /// Do not use the cache, even when .wa-lint.toml sets `cache` (the last of `--cache` and
    /// `--no-cache` wins).
    #[arg(long, overrides_with = "cache")]
    pub no_cache: bool,

    /// Do not read .wa-lint.toml at the scan root.
    #[arg(long)]
    pub no_config: bool,

    /// Worker threads (0 = one per core; at most 1024).
    #[arg(short = 'j', long, default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=1024))]
    pub threads: u16,

    /// Largest file to read, in bytes; a larger file is an error and is never read
    /// [default: 67108864 (64 MiB), or `[limits] file-size` in .wa-lint.toml].
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_file_size: Option<u64>,

    /// Most resources in one unit (template, module tree, plan); a larger unit is an error and
    /// is not evaluated [default: 20000, or `[limits] resources`].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_resources: Option<u64>,

    /// Wall-clock budget of one rule on one unit, in seconds; a rule over it is a rule error
    /// naming the rule, and other rules still report [default: 5, or `[limits] rule-timeout`].
    #[arg(long, value_name = "SECONDS", value_parser = seconds)]
    pub rule_timeout: Option<std::time::Duration>,

    /// CloudFormation parameter file: the AWS CLI's `[{ParameterKey, ParameterValue}]` JSON or a
    /// plain `{Name: Value}` JSON/YAML mapping; repeatable, later files win.
    #[arg(long = "cfn-params", value_name = "FILE")]
    pub cfn_param_files: Vec<PathBuf>,

    /// CloudFormation parameter value, overriding defaults and parameter files; repeatable.
    #[arg(long = "cfn-param", value_name = "NAME=VALUE", value_parser = key_value)]
    pub cfn_params: Vec<(String, String)>,

    /// Terraform variable file (`.tfvars` or `.tfvars.json`), applied after the automatically
    /// loaded ones, in command-line order with `--var` (later wins); repeatable.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,

    /// Terraform variable value (an HCL literal or a plain string), applied in command-line
    /// order with `--var-file` (later wins), as Terraform does; repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = key_value)]
    pub vars: Vec<(String, String)>,

    /// Command-line order of `--var-file` and `--var` (filled by [`record_var_order`]).
    #[arg(skip)]
    pub var_order: Vec<wa_lint_linter::VarSource>,

    /// Extra rules directory (same contract as the built-in pack); repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,

    /// Leave out paths matching GLOB (gitignore syntax); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// When to use colors in human output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// Also list files skipped because they are neither CloudFormation nor Terraform.
    #[arg(short, long)]
    pub verbose: bool,
}

/// One `--format FORMAT[=FILE]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSpec {
    /// The format.
    pub format: wa_lint_report::Format,
    /// Where to write it; `None`: the next `--output`, else standard output.
    pub file: Option<PathBuf>,
}

/// Parses `FORMAT` or `FORMAT=FILE` (format names ignore ASCII case).
fn format_spec(arg: &str) -> Result<FormatSpec, String> {
    let (name, file) = match arg.split_once('=') {
        Some((name, file)) if !file.is_empty() => (name, Some(PathBuf::from(file))),
        Some(_) => return Err(format!("expected FORMAT=FILE, got `{arg}`")),
        None => (arg, None),
    };
    let format = name.trim().parse().map_err(|e| format!("{e}"))?;
    Ok(FormatSpec { format, file })
}

/// `rules --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormatArg {
    /// One aligned line per rule.
    Table,
    /// Versioned JSON document.
    Json,
}

/// `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    /// Only critical findings fail.
    Critical,
    /// High and above.
    High,
    /// Medium and above.
    Medium,
    /// Low and above (default; info never fails).
    Low,
    /// Every finding fails.
    Info,
    /// Findings never change the exit code.
    Never,
}

/// `--unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnknownArg {
    /// Unknown findings are left out.
    Pass,
    /// Reported; the exit code ignores them.
    Warn,
    /// Reported and counted as failures.
    Fail,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colors when writing to a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Parses a positive number of seconds (`5`, `0.5`).
fn seconds(arg: &str) -> Result<std::time::Duration, String> {
    arg.trim()
        .parse::<f64>()
        .ok()
        .and_then(|s| std::time::Duration::try_from_secs_f64(s).ok())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("expected a positive number of seconds, got `{arg}`"))
}

/// Parses `NAME=VALUE` (the value may contain `=`).
fn key_value(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("expected NAME=VALUE, got `{arg}`")),
    }
}

/// Fills [`CheckArgs::var_order`] of `cli` from the argument positions in `matches`
/// (`--var-file` and `--var` apply in command-line order, later wins, as in Terraform).
pub fn record_var_order(matches: &clap::ArgMatches, cli: &mut Cli) {
    fn order(m: &clap::ArgMatches) -> Vec<wa_lint_linter::VarSource> {
        use wa_lint_linter::VarSource;
        let positions = |id: &str| -> Vec<usize> {
            m.try_get_raw(id)
                .ok()
                .flatten()
                .and_then(|_| m.indices_of(id))
                .map(Iterator::collect)
                .unwrap_or_default()
        };
        let mut all: Vec<(usize, VarSource)> = positions("var_files")
            .into_iter()
            .enumerate()
            .map(|(i, at)| (at, VarSource::File(i)))
            .chain(
                positions("vars")
                    .into_iter()
                    .enumerate()
                    .map(|(i, at)| (at, VarSource::Var(i))),
            )
            .collect();
        all.sort_by_key(|(at, _)| *at);
        all.into_iter().map(|(_, s)| s).collect()
    }
    match (&mut cli.command, matches.subcommand()) {
        (Some(Command::Check(args)), Some(("check", sub))) => args.var_order = order(sub),
        (None, _) => cli.check.var_order = order(matches),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use clap::{CommandFactory, FromArgMatches};
    use wa_lint_linter::VarSource;

    fn parse(args: &[&str]) -> Cli {
        let matches = Cli::command().try_get_matches_from(args).unwrap();
        let mut cli = Cli::from_arg_matches(&matches).unwrap();
        record_var_order(&matches, &mut cli);
        cli
    }

    #[test]
    fn var_and_var_file_keep_command_line_order() {
        let cli = parse(&[
            "wa-lint",
            "--var-file",
            "a.tfvars",
            "--var",
            "x=1",
            "--var-file",
            "b.tfvars",
            ".",
        ]);
        assert_eq!(
            cli.check.var_order,
            [VarSource::File(0), VarSource::Var(0), VarSource::File(1)]
        );
        assert_eq!(
            cli.check.var_files,
            [PathBuf::from("a.tfvars"), PathBuf::from("b.tfvars")]
        );
        let cli = parse(&["wa-lint", "check", "--var", "x=1", "--var-file", "a.tfvars"]);
        let Some(Command::Check(args)) = cli.command else {
            panic!("check expected")
        };
        assert_eq!(args.var_order, [VarSource::Var(0), VarSource::File(0)]);
        assert!(parse(&["wa-lint", "."]).check.var_order.is_empty());
    }
}
