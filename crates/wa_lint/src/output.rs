//! Where each requested format goes (`--format FORMAT[=FILE]`, `--output FILE`), `--quiet`,
//! colors, and a progress indicator on stderr.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context;
use wa_lint_linter::LintReport;
use wa_lint_report::{Format, MarkdownOptions, RenderOptions, Summary};
use wa_lint_source::Level;

use crate::cli::{CheckArgs, ColorArg, FormatSpec};

/// One report to write: a format and a file (`None`: standard output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The format.
    pub format: Format,
    /// The file, or standard output.
    pub file: Option<PathBuf>,
}

/// Pairs formats with files: `FORMAT=FILE` as given; the Nth `--output` goes to the Nth format
/// without `=FILE`; formats left over go to standard output. No format: human to stdout.
///
/// # Errors
/// More `--output`s than formats without a file, two formats on standard output, or one file
/// named twice.
pub fn targets(formats: &[FormatSpec], outputs: &[PathBuf]) -> Result<Vec<Target>, String> {
    let default = [FormatSpec {
        format: Format::Human,
        file: None,
    }];
    let formats = if formats.is_empty() {
        &default[..]
    } else {
        formats
    };
    let mut outputs = outputs.iter();
    let mut targets: Vec<Target> = formats
        .iter()
        .map(|spec| Target {
            format: spec.format,
            file: spec.file.clone().or_else(|| outputs.next().cloned()),
        })
        .collect();
    let extra: Vec<String> = outputs.map(|p| p.display().to_string()).collect();
    if !extra.is_empty() {
        return Err(format!(
            "--output {} has no --format to pair with (give one --format per --output, or use --format FORMAT=FILE)",
            extra.join(", ")
        ));
    }
    let on_stdout: Vec<&str> = targets
        .iter()
        .filter(|t| t.file.is_none())
        .map(|t| t.format.name())
        .collect();
    if on_stdout.len() > 1 {
        return Err(format!(
            "formats {} would all go to standard output; give a file for all but one (e.g. --format {}=FILE)",
            on_stdout.join(", "),
            on_stdout.last().copied().unwrap_or("sarif")
        ));
    }
    let mut files: Vec<&Path> = targets.iter().filter_map(|t| t.file.as_deref()).collect();
    files.sort();
    if let Some(w) = files.windows(2).find(|w| w.first() == w.get(1)) {
        let dup = w
            .first()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        return Err(format!("{dup} is the output of two formats"));
    }
    targets.sort_by_key(|t| t.file.is_none()); // files first, standard output last
    Ok(targets)
}

/// Writes every target. Standard output is written last, so a closed pipe still leaves the
/// files complete.
///
/// # Errors
/// A file that cannot be created or written; a closed pipe (handled by `main` as a clean exit).
pub fn write(
    report: &LintReport,
    args: &CheckArgs,
    targets: &[Target],
    started: Instant,
) -> anyhow::Result<()> {
    let md = MarkdownOptions {
        link_base: github_link_base(),
    };
    for target in targets {
        let to_terminal = target.file.is_none() && std::io::stdout().is_terminal();
        let color = match args.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => {
                to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        let options = RenderOptions {
            color,
            verbose: args.verbose,
            elapsed: (target.format == Format::Human).then(|| started.elapsed()),
            ..RenderOptions::default()
        };
        if let Some(path) = &target.file {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            render(report, target.format, &options, &md, args.quiet, &mut out)
                .with_context(|| format!("cannot write {}", path.display()))?;
            out.flush()?;
        } else {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            render(report, target.format, &options, &md, args.quiet, &mut out)?;
            out.flush()?;
        }
    }
    Ok(())
}

fn render(
    report: &LintReport,
    format: Format,
    options: &RenderOptions,
    md: &MarkdownOptions,
    quiet: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Human if quiet => quiet_human(report, options, out),
        Format::Markdown => wa_lint_report::render_markdown(report, options, md, out),
        _ => wa_lint_report::render(report, format, options, out),
    }
}

/// `--quiet` human output: error diagnostics, one line each (`error[code] path:line:column:
/// message`), then the summary line.
fn quiet_human(
    report: &LintReport,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for d in report
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
    {
        let path = d.path.as_deref().unwrap_or("");
        // `path:line:column` when the file's text is in the report, as in the full form.
        let at = d
            .range
            .zip(report.files.iter().find(|f| f.path == path))
            .map(|(range, file)| {
                let lc = file.line_col(range.start);
                format!(":{}:{}", lc.line, lc.column)
            })
            .unwrap_or_default();
        let path = wa_lint_report::terminal_line(path);
        let message = wa_lint_report::terminal_line(&d.message);
        writeln!(out, "error[{}] {path}{at}: {message}", d.code)?;
    }
    writeln!(
        out,
        "{}",
        wa_lint_report::summary_line(&Summary::of(report), options.elapsed)
    )?;
    out.flush()
}

/// `{GITHUB_SERVER_URL}/{GITHUB_REPOSITORY}/blob/{GITHUB_SHA}/` when all three are set (in a
/// GitHub Actions job), for links in the Markdown comment.
fn github_link_base() -> Option<String> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    Some(format!(
        "{}/{}/blob/{}/",
        var("GITHUB_SERVER_URL")?.trim_end_matches('/'),
        var("GITHUB_REPOSITORY")?,
        var("GITHUB_SHA")?
    ))
}

/// A `\r`-updated `wa-lint: scanning… 3s` line on stderr, shown after one second when stderr
/// is a terminal, erased when the scan ends. Never written to stdout.
pub struct Progress {
    done: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts the indicator unless `quiet` or stderr is not a terminal.
    pub fn start(quiet: bool) -> Self {
        let done = Arc::new(AtomicBool::new(false));
        let thread = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let done = Arc::clone(&done);
            std::thread::spawn(move || spin(&done))
        });
        Self { done, thread }
    }

    /// Stops and erases the indicator.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop();
    }
}

fn spin(done: &AtomicBool) {
    const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
    let started = Instant::now();
    let mut shown = false;
    let mut frame = 0usize;
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
        let elapsed = started.elapsed();
        if elapsed < Duration::from_secs(1) || done.load(Ordering::Relaxed) {
            continue;
        }
        frame = (frame + 1) % FRAMES.len();
        let c = FRAMES.get(frame).copied().unwrap_or('|');
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{c} wa-lint: scanning… {}s ", elapsed.as_secs());
        let _ = err.flush();
        shown = true;
    }
    if shown {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(format: Format, file: Option<&str>) -> FormatSpec {
        FormatSpec {
            format,
            file: file.map(PathBuf::from),
        }
    }

    #[test]
    fn formats_pair_with_outputs_by_order() {
        let t = targets(
            &[
                spec(Format::Human, None),
                spec(Format::Sarif, Some("a.sarif")),
                spec(Format::Junit, None),
            ],
            &[PathBuf::from("h.txt")],
        )
        .unwrap();
        assert_eq!(
            t,
            vec![
                Target {
                    format: Format::Human,
                    file: Some("h.txt".into())
                },
                Target {
                    format: Format::Sarif,
                    file: Some("a.sarif".into())
                },
                Target {
                    format: Format::Junit,
                    file: None
                },
            ]
        );
        assert_eq!(
            targets(&[], &[]).unwrap(),
            vec![Target {
                format: Format::Human,
                file: None
            }]
        );
        // The historical `--format json --output FILE`.
        assert_eq!(
            targets(&[spec(Format::Json, None)], &[PathBuf::from("r.json")]).unwrap(),
            vec![Target {
                format: Format::Json,
                file: Some("r.json".into())
            }]
        );
    }

    #[test]
    fn ambiguous_destinations_are_errors() {
        let e = targets(&[spec(Format::Human, None), spec(Format::Json, None)], &[]).unwrap_err();
        assert!(
            e.contains("human, json would all go to standard output"),
            "{e}"
        );
        let e = targets(
            &[spec(Format::Json, None)],
            &[PathBuf::from("a"), PathBuf::from("b")],
        )
        .unwrap_err();
        assert!(e.contains("--output b has no --format"), "{e}");
        let e = targets(
            &[
                spec(Format::Json, Some("x")),
                spec(Format::Sarif, Some("x")),
            ],
            &[],
        )
        .unwrap_err();
        assert_eq!(e, "x is the output of two formats");
    }
}
