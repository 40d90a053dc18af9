//! The `wa-lint` binary: arguments, exit codes, top-level error printing.

mod cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use cli::{Cli, ColorArg, FormatArg, SeverityArg};
use wa_lint_linter::{LintReport, Options, Status};
use wa_lint_report::{Format, RenderOptions};
use wa_lint_rules::{RulePack, Severity};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("wa-lint: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<u8> {
    let started = Instant::now();
    let pack = RulePack::load(&cli.rule_dirs).context("cannot load the rules pack")?;
    if cli.list_rules {
        let mut out = std::io::stdout().lock();
        for rule in pack.rules() {
            writeln!(
                out,
                "{:<36} {:<8} {}",
                rule.id,
                rule.severity.as_str(),
                rule.title
            )?;
        }
        return Ok(0);
    }
    let options = Options {
        threads: cli.threads,
        excludes: cli.exclude.clone(),
        cfn_param_files: cli.cfn_param_files.clone(),
        cfn_params: cli.cfn_params.clone(),
        var_files: cli.var_files.clone(),
        vars: cli.vars.clone(),
    };
    let report = wa_lint_linter::lint(&cli.paths, &pack, &options)?;

    let to_terminal = cli.output.is_none() && std::io::stdout().is_terminal();
    let color = match cli.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let format = match cli.format {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
    };
    let render_options = RenderOptions {
        color,
        verbose: cli.verbose,
        elapsed: (format == Format::Human).then(|| started.elapsed()),
        ..RenderOptions::default()
    };
    if let Some(path) = &cli.output {
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
    Ok(exit_code(&report, cli.fail_on))
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

/// True when the error is a closed output pipe (`wa-lint … | head`), which is a clean exit.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
