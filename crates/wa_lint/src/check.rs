//! `wa-lint check`: scan paths, render the report, compute the exit code.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use anyhow::Context;
use wa_lint_linter::{LintReport, Options, Status};
use wa_lint_report::{Format, RenderOptions};
use wa_lint_rules::{RulePack, Severity};

use crate::cli::{CheckArgs, ColorArg, FormatArg, SeverityArg};

/// Runs a scan and returns the exit code (0, 1 or 2).
pub fn run(args: &CheckArgs) -> anyhow::Result<u8> {
    let started = Instant::now();
    let pack = RulePack::load(&args.rule_dirs).context("cannot load the rules pack")?;
    let options = Options {
        threads: args.threads,
        excludes: args.exclude.clone(),
        cfn_param_files: args.cfn_param_files.clone(),
        cfn_params: args.cfn_params.clone(),
        var_files: args.var_files.clone(),
        vars: args.vars.clone(),
    };
    let report = wa_lint_linter::lint(&args.paths, &pack, &options)?;

    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let format = match args.format {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
    };
    let render_options = RenderOptions {
        color,
        verbose: args.verbose,
        elapsed: (format == Format::Human).then(|| started.elapsed()),
        ..RenderOptions::default()
    };
    if let Some(path) = &args.output {
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        let mut out = std::io::BufWriter::new(file);
        wa_lint_report::render(&report, format, &render_options, &mut out)?;
        out.flush()?;
    } else {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        wa_lint_report::render(&report, format, &render_options, &mut out)?;
        out.flush()?;
    }
    Ok(exit_code(&report, args.fail_on))
}

/// 2 on any error diagnostic, else 1 when a failed finding reaches `fail_on`, else 0.
fn exit_code(report: &LintReport, fail_on: SeverityArg) -> u8 {
    if report.has_errors() {
        return 2;
    }
    let threshold = match fail_on {
        SeverityArg::Critical => Severity::Critical,
        SeverityArg::High => Severity::High,
        SeverityArg::Medium => Severity::Medium,
        SeverityArg::Low => Severity::Low,
        SeverityArg::Info => Severity::Info,
        SeverityArg::Never => return 0,
    };
    let failed = report
        .findings
        .iter()
        .any(|f| f.status == Status::Fail && f.severity >= threshold);
    u8::from(failed)
}
