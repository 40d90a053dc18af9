//! The `wa-lint` binary: arguments, exit codes, top-level error printing.

mod check;
mod cli;
mod output;
mod rules_cmd;
mod test_cmd;

use std::process::ExitCode;

use cli::{Cli, Command};

/// mimalloc instead of the system allocator: evaluation allocates and frees small values at a
/// high rate, and glibc's malloc/free took about 40% of a scan's instructions
/// (`docs/benchmarks.md`, "Rules pack cost").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    without_transparent_huge_pages();
    // regorus reports internal, recoverable conditions as `anyhow` errors; with `RUST_BACKTRACE`
    // set (common in CI images) each one captures a backtrace, which made a scan about 1.7x
    // slower. Library backtraces are off unless the user asks for them explicitly; panics still
    // print theirs.
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        std::env::set_var("RUST_LIB_BACKTRACE", "0");
    }
    // Panics that wa-lint turns into a diagnostic or a rule error (`wa_lint_source::panics`)
    // print nothing; any other panic prints as usual.
    let print_panic = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !wa_lint_source::panics::is_catching() {
            print_panic(info);
        }
    }));
    let matches = <Cli as clap::CommandFactory>::command().get_matches();
    let mut cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    cli::record_var_order(&matches, &mut cli);
    let result = match &cli.command {
        None => check::run(&cli.check),
        Some(Command::Check(args)) => check::run(args),
        Some(Command::Rules(args)) => rules_cmd::list(args),
        Some(Command::Explain(args)) => rules_cmd::explain(args),
        Some(Command::Test(args)) => test_cmd::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("wa-lint: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Turns transparent huge pages off for this process (Linux; elsewhere nothing to do).
///
/// With THP set to `always` (common on CI runners and servers), every 2 MiB-aligned region
/// mimalloc touches is backed by a whole huge page: a scan's peak RSS was about 23 MB higher
/// (72 against 49 MB on `cfn-lint-fixtures`), for 4–8% more CPU time (`docs/benchmarks.md`,
/// "Start-up and memory"). `prctl(PR_SET_THP_DISABLE)` applies to faults that come after it, so
/// calling it first thing in `main` covers the rules pack and every scan; see
/// <https://man7.org/linux/man-pages/man2/PR_SET_THP_DISABLE.2const.html>. A failure (an old
/// kernel) leaves the default in place.
fn without_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
}

/// True when the error is a closed output pipe (`wa-lint … | head`), which is a clean exit.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
