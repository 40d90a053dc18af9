//! What undecided CloudFormation conditions cost: the template of acceptance case 23 (one
//! instance, 24 `Fn::If`-guarded block devices) in three forms, each linted with the built-in
//! pack on one thread.
//!
//! ```text
//! cargo run --release -p wa_lint_linter --example conditions_bench -- [template] [--runs N]
//! ```
//!
//! `template` defaults to `crates/wa_lint/tests/cases/23-cfn-many-conditions-time-bound/template.yaml`.
//! Forms:
//! - `decided`: as written (every size parameter has `Default: 0`, so every condition is
//!   decided and there is one graph);
//! - `undecided`: the `Default: 0` lines removed, so the 24 conditions are free and the front
//!   end builds scenarios (all false, all true, each alone: 26 graphs);
//! - `no-conditions`: the `Conditions` section removed and every
//!   `- !If [Cond, item, !Ref 'AWS::NoValue']` block replaced by its item (a block list item
//!   written as in case 23: `- !If`, `- Cond`, the item, `- !Ref 'AWS::NoValue'`).
//!
//! Output: one line per form: scenarios, median wall seconds of `lint` (parse + evaluate +
//! merge, reading the one file included) and of the front end alone (`parse_template`), and
//! the ratio to `no-conditions`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use wa_lint_source::{FileId, Format, SourceFile};

fn main() -> ExitCode {
    let mut template =
        PathBuf::from("crates/wa_lint/tests/cases/23-cfn-many-conditions-time-bound/template.yaml");
    let mut runs = 5usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            runs = args
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(runs)
                .max(1);
        } else {
            template = PathBuf::from(arg);
        }
    }
    let Ok(text) = std::fs::read_to_string(&template) else {
        eprintln!("conditions_bench: cannot read {}", template.display());
        return ExitCode::from(2);
    };
    let pack = match wa_lint_rules::RulePack::load(&[]) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("conditions_bench: {e}");
            return ExitCode::from(2);
        }
    };
    let forms = [
        ("no-conditions", without_conditions(&text)),
        ("decided", text.clone()),
        ("undecided", text.replace("    Default: 0\n", "")),
    ];
    let dir = std::env::temp_dir().join(format!("wa-lint-conditions-bench-{}", std::process::id()));
    let mut base: Option<(f64, f64)> = None;
    for (name, body) in forms {
        let sub = dir.join(name);
        if std::fs::create_dir_all(&sub).is_err()
            || std::fs::write(sub.join("template.yaml"), &body).is_err()
        {
            eprintln!("conditions_bench: cannot write {}", sub.display());
            return ExitCode::from(2);
        }
        let file = SourceFile::new(FileId(0), "template.yaml", body.as_str(), Format::Yaml);
        let scenarios = wa_lint_cfn::parse_template(&file).map_or(0, |o| o.scenarios.len());
        let front = median(runs, || {
            let _ = wa_lint_cfn::parse_template(&file);
        });
        let options = wa_lint_linter::Options {
            threads: 1,
            ..wa_lint_linter::Options::default()
        };
        let mut findings = 0;
        let whole = median(runs, || {
            if let Ok(r) = wa_lint_linter::lint(std::slice::from_ref(&sub), &pack, &options) {
                findings = r.findings.len();
            }
        });
        let (whole, front) = (whole.as_secs_f64(), front.as_secs_f64());
        let (rw, rf) = base.map_or((1.0, 1.0), |(w, f)| (whole / w, front / f));
        base.get_or_insert((whole, front));
        println!(
            "{name:<14} scenarios {scenarios:>3}  findings {findings}  lint {whole:.4} s ({rw:.2}x)  front end {front:.4} s ({rf:.2}x)"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    ExitCode::SUCCESS
}

/// Median wall time of `runs` calls of `f` (after one warm-up call).
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times.get(runs / 2).copied().unwrap_or_default()
}

/// `text` without its `Conditions` section, each block-style
/// `- !If` / `- Cond` / item / `- !Ref 'AWS::NoValue'` replaced by the item (dedented).
fn without_conditions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line == "Conditions:" {
            while lines
                .peek()
                .is_some_and(|l| l.starts_with(' ') || l.is_empty())
            {
                lines.next();
            }
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed == "- !If" {
            lines.next(); // the condition name
                          // The item, two columns deeper than the `- !If`: written back two columns out.
            for l in lines.by_ref() {
                if l.trim_start().starts_with("- !Ref 'AWS::NoValue'")
                    || l.trim_start().starts_with("- !Ref AWS::NoValue")
                {
                    break;
                }
                out.push_str(l.get(2.min(l.len())..).unwrap_or(l));
                out.push('\n');
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}
