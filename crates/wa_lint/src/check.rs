//! `wa-lint check`: scan paths, render the report, compute the exit code.

use std::time::Instant;

use std::path::PathBuf;

use anyhow::Context;
use wa_lint_linter::baseline::{self, Baseline};
use wa_lint_linter::config::{self, FailOn};
use wa_lint_linter::{Controls, LintReport, Options, Status, UnknownPolicy};
use wa_lint_rules::{RulePack, Severity};
use wa_lint_source::Diagnostic;

use crate::cli::{CheckArgs, SeverityArg, UnknownArg};

/// Runs a scan and returns the exit code (0, 1 or 2).
pub fn run(args: &CheckArgs) -> anyhow::Result<u8> {
    let started = Instant::now();
    let targets = crate::output::targets(&args.format, &args.output).map_err(anyhow::Error::msg)?;
    let mut settings = Settings::resolve(args);
    let sources =
        wa_lint_rules::pack_sources(&settings.rule_dirs).context("cannot load the rules pack")?;
    let mut pack = RulePack::from_sources_on(&sources, settings.options.threads)
        .context("cannot load the rules pack")?;
    pack.set_rule_timeout(settings.rule_timeout);
    // Escape hatch and comparison knob: evaluate on regorus' interpreter only, never its
    // bytecode VM (docs/architecture.md, "Evaluation").
    if std::env::var_os("WA_LINT_INTERPRETER").is_some_and(|v| v == "1") {
        pack.use_interpreter();
    }
    if let Some(dir) = settings.cache_dir.take() {
        settings.options.cache = Some(wa_lint_linter::CacheOptions {
            dir,
            rules_digest: wa_lint_linter::rules_digest(&sources),
        });
    }
    drop(sources);
    let config_diagnostics = settings.check_rules(&pack);
    let progress = crate::output::Progress::start(args.quiet);
    let report = wa_lint_linter::lint_cached(&args.paths, &pack, &settings.options);
    progress.finish();
    let (mut report, cache_stats) = report?;
    if let (true, Some(c), Some(o)) = (args.verbose, cache_stats, &settings.options.cache) {
        eprintln!(
            "wa-lint: cache {}: {} units reused, {} evaluated, {} parsed",
            o.dir.display(),
            c.hits,
            c.misses,
            c.parsed
        );
    }
    settings.finish(&mut report, config_diagnostics)?;
    let (fail_on, unknown) = (settings.fail_on, settings.unknown);

    crate::output::write(&report, args, &targets, started)?;
    let code = exit_code(&report, fail_on, unknown);
    // The process exits next and the OS takes the memory back at once: freeing the compiled
    // engines and the report piece by piece took about a tenth of a one-file scan.
    std::mem::forget((pack, report));
    Ok(code)
}

/// 2 on any error diagnostic, else 1 when a failed finding (or, with `--unknown=fail`, an
/// unknown one) reaches `fail_on`, else 0. Suppressed findings never count.
fn exit_code(report: &LintReport, fail_on: FailOn, unknown: UnknownPolicy) -> u8 {
    if report.has_errors() {
        return 2;
    }
    let FailOn::Severity(threshold) = fail_on else {
        return 0;
    };
    let failed = report.findings.iter().any(|f| {
        let counts = match f.status {
            Status::Fail => true,
            Status::Unknown => unknown == UnknownPolicy::Fail,
            Status::Suppressed => false,
        };
        counts && f.severity >= threshold
    });
    u8::from(failed)
}

/// `.wa-lint.toml` merged with the command line (flags win; lists are extended).
struct Settings {
    rule_dirs: Vec<PathBuf>,
    /// `--rule-timeout`, else `[limits] rule-timeout`, else the default.
    rule_timeout: std::time::Duration,
    options: Options,
    fail_on: FailOn,
    unknown: UnknownPolicy,
    write_baseline: Option<PathBuf>,
    /// `--cache`, else the configuration's `cache` (none with `--no-cache`).
    cache_dir: Option<PathBuf>,
    /// The configuration file, when one was read.
    config: Option<config::Loaded>,
    /// Problems found before the scan (baseline file), reported with the scan's.
    diagnostics: Vec<Diagnostic>,
}

impl Settings {
    fn resolve(args: &CheckArgs) -> Self {
        let root = wa_lint_linter::scan_root(&args.paths);
        let loaded = if args.no_config {
            None
        } else {
            config::load(&root)
        };
        let c = loaded
            .as_ref()
            .map(|l| l.config.clone())
            .unwrap_or_default();
        let fail_on = match args.fail_on {
            Some(SeverityArg::Critical) => FailOn::Severity(Severity::Critical),
            Some(SeverityArg::High) => FailOn::Severity(Severity::High),
            Some(SeverityArg::Medium) => FailOn::Severity(Severity::Medium),
            Some(SeverityArg::Low) => FailOn::Severity(Severity::Low),
            Some(SeverityArg::Info) => FailOn::Severity(Severity::Info),
            Some(SeverityArg::Never) => FailOn::Never,
            None => c.fail_on.unwrap_or(FailOn::Severity(Severity::Low)),
        };
        let unknown = match args.unknown {
            Some(UnknownArg::Pass) => UnknownPolicy::Pass,
            Some(UnknownArg::Warn) => UnknownPolicy::Warn,
            Some(UnknownArg::Fail) => UnknownPolicy::Fail,
            None => c.unknown.unwrap_or_default(),
        };
        let cat = |a: &[PathBuf], b: &[PathBuf]| a.iter().chain(b).cloned().collect::<Vec<_>>();
        let options = Options {
            threads: usize::from(args.threads),
            excludes: c.excludes.iter().chain(&args.exclude).cloned().collect(),
            cfn_param_files: cat(&c.cfn_param_files, &args.cfn_param_files),
            cfn_params: c
                .cfn_params
                .iter()
                .chain(&args.cfn_params)
                .cloned()
                .collect(),
            var_files: cat(&c.var_files, &args.var_files),
            vars: c.vars.iter().chain(&args.vars).cloned().collect(),
            var_order: var_order(c.var_files.len(), c.vars.len(), args),
            controls: Controls {
                only: args.only.clone(),
                skip: args.skip.clone(),
                unknown,
                changed_since: args.changed_since.clone(),
                shard: args.shard,
                ..Controls::default()
            },
            cache: None,
            limits: wa_lint_linter::Limits {
                file_bytes: args
                    .max_file_size
                    .or(c.max_file_bytes)
                    .unwrap_or(wa_lint_linter::limits::DEFAULT_MAX_FILE_BYTES),
                resources: args
                    .max_resources
                    .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
                    .or(c.max_resources)
                    .unwrap_or(wa_lint_linter::limits::DEFAULT_MAX_RESOURCES),
            },
        };
        let mut settings = Self {
            rule_timeout: args
                .rule_timeout
                .or(c.rule_timeout)
                .unwrap_or(wa_lint_rules::DEFAULT_RULE_TIMEOUT),
            rule_dirs: cat(&c.rule_dirs, &args.rule_dirs),
            options,
            fail_on,
            unknown,
            write_baseline: args.write_baseline.clone(),
            cache_dir: if args.no_cache {
                None
            } else {
                args.cache.clone().or(c.cache.clone())
            },
            config: loaded,
            diagnostics: Vec::new(),
        };
        // The baseline: the flag, else the config's; not read when one is being written.
        let baseline = args.baseline.clone().or(c.baseline);
        if let (Some(path), None) = (baseline, &settings.write_baseline) {
            match Baseline::read(&path) {
                Ok(b) => settings.options.controls.baseline = Some(b),
                Err(d) => settings.diagnostics.push(*d),
            }
        }
        settings
    }

    /// Checks the config's rule entries against the pack and moves the valid ones into the
    /// controls (`--only` replaces the config's `only`; skips add up). Returns the errors.
    fn check_rules(&mut self, pack: &RulePack) -> Vec<Diagnostic> {
        let Some(loaded) = &mut self.config else {
            return Vec::new();
        };
        let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
        diagnostics.extend(loaded.config.check_rules(pack.rules()));
        let c = &loaded.config;
        let controls = &mut self.options.controls;
        if controls.only.is_empty() {
            controls.only = c.only.iter().map(|(t, _)| t.clone()).collect();
        }
        controls.skip = c
            .skip
            .iter()
            .map(|(t, _)| t.clone())
            .chain(std::mem::take(&mut controls.skip))
            .collect();
        controls.severity = c.severity.iter().map(|(t, s, _)| (t.clone(), *s)).collect();
        diagnostics
    }

    /// Adds the configuration problems to the report (with the file, so they show a snippet)
    /// and writes the baseline when asked.
    fn finish(
        &mut self,
        report: &mut LintReport,
        config_diagnostics: Vec<Diagnostic>,
    ) -> anyhow::Result<()> {
        if !config_diagnostics.is_empty() {
            if let Some(loaded) = &self.config {
                report.files.push(loaded.file.clone());
            }
        }
        report.diagnostics.extend(config_diagnostics);
        report.diagnostics.append(&mut self.diagnostics);
        report.diagnostics.sort();
        if let Some(path) = &self.write_baseline {
            std::fs::write(path, baseline::render(&report.findings))
                .with_context(|| format!("cannot write baseline {}", path.display()))?;
            Baseline::of(&report.findings).apply(&mut report.findings);
        }
        Ok(())
    }
}

/// Order of the variable sources: the configuration file's `var_files` then its `vars`, then
/// the command line's `--var-file`/`--var` interleaved as given (indices shifted past the
/// configuration's). Without a recorded command-line order: files, then values.
fn var_order(
    config_files: usize,
    config_vars: usize,
    args: &CheckArgs,
) -> Vec<wa_lint_linter::VarSource> {
    use wa_lint_linter::VarSource;
    let cli: Vec<VarSource> = if args.var_order.is_empty() {
        (0..args.var_files.len())
            .map(VarSource::File)
            .chain((0..args.vars.len()).map(VarSource::Var))
            .collect()
    } else {
        args.var_order.clone()
    };
    (0..config_files)
        .map(VarSource::File)
        .chain((0..config_vars).map(VarSource::Var))
        .chain(cli.into_iter().map(|s| match s {
            VarSource::File(i) => VarSource::File(config_files + i),
            VarSource::Var(i) => VarSource::Var(config_vars + i),
        }))
        .collect()
}
