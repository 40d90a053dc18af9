//! Times the two front ends alone (no rules, no reports) over a directory tree.
//!
//! ```text
//! cargo run --release -p wa_lint_linter --example parse_corpus -- <dir> [--front-end all|cloudformation|terraform]
//! ```
//!
//! Files are found the way the linter finds them (the `ignore` walker: `.gitignore`/`.ignore`
//! honoured, hidden files skipped) and read into memory first; reading is *not* timed. Then,
//! on one thread so the figure is the parser's own cost:
//!
//! - every `.yaml`, `.yml`, `.json`, `.template`, `.cfn` file (not `.tf.json`/`.tfvars.json`) goes
//!   through [`wa_lint_source::SourceFile::new`], [`wa_lint_cfn::sniff`] and, when it sniffs
//!   like a template, [`wa_lint_cfn::parse_template`];
//! - every directory holding `.tf` files goes through [`wa_lint_source::SourceFile::new`] (its
//!   `.tf` and `.tfvars` files) and [`wa_lint_terraform::parse_module`].
//!
//! Output: one JSON object per line and front end, e.g.
//! `{"front_end":"terraform","files":…,"bytes":…,"units":…,"resources":…,"diagnostics":…,"seconds":…}`
//! where `files`/`bytes` count the files handed to the front end (bytes of UTF-8 text),
//! `units` the outputs that hold a graph, `resources` the resources of those graphs,
//! `diagnostics` all diagnostics, and `seconds` the wall time of the timed loop (seconds).
//! Files that are not valid UTF-8 are left out (the linter reports them without parsing).

#[path = "support/tree.rs"]
mod tree;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use tree::{read_tree, Read};
use wa_lint_graph::ParseOutput;
use wa_lint_source::{FileId, Format, SourceFile};

/// Which front ends to time.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    All,
    CloudFormation,
    Terraform,
}

/// Totals of one front end.
#[derive(Default)]
struct Totals {
    files: usize,
    bytes: usize,
    units: usize,
    resources: usize,
    diagnostics: usize,
    elapsed: Duration,
}

impl Totals {
    fn add(&mut self, out: Option<&ParseOutput>) {
        if let Some(out) = out {
            self.diagnostics += out.diagnostics.len();
            if let Some(graph) = &out.graph {
                self.units += 1;
                self.resources += graph.resources.len();
            }
        }
    }

    fn print(&self, name: &str) {
        println!(
            "{{\"front_end\":\"{name}\",\"files\":{},\"bytes\":{},\"units\":{},\"resources\":{},\"diagnostics\":{},\"seconds\":{:.6}}}",
            self.files,
            self.bytes,
            self.units,
            self.resources,
            self.diagnostics,
            self.elapsed.as_secs_f64()
        );
    }
}

fn main() -> ExitCode {
    let mut root: Option<PathBuf> = None;
    let mut which = Which::All;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--front-end" => {
                which = match args.next().as_deref() {
                    Some("all") => Which::All,
                    Some("cloudformation" | "cfn") => Which::CloudFormation,
                    Some("terraform" | "tf") => Which::Terraform,
                    other => {
                        eprintln!("parse_corpus: unknown front end {other:?} (all, cloudformation, terraform)");
                        return ExitCode::from(2);
                    }
                }
            }
            "-h" | "--help" => {
                println!("usage: parse_corpus <dir> [--front-end all|cloudformation|terraform]");
                return ExitCode::SUCCESS;
            }
            _ if root.is_none() => root = Some(PathBuf::from(arg)),
            _ => {
                eprintln!("parse_corpus: unexpected argument {arg}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(root) = root else {
        eprintln!("usage: parse_corpus <dir> [--front-end all|cloudformation|terraform]");
        return ExitCode::from(2);
    };
    if !root.is_dir() {
        eprintln!("parse_corpus: not a directory: {}", root.display());
        return ExitCode::from(2);
    }

    let (templates, modules) = read_tree(&root);
    if which != Which::Terraform {
        cloudformation(&templates).print("cloudformation");
    }
    if which != Which::CloudFormation {
        terraform(&modules).print("terraform");
    }
    ExitCode::SUCCESS
}

/// Times sniff + parse of every template candidate.
fn cloudformation(templates: &[Read]) -> Totals {
    let mut totals = Totals::default();
    let start = Instant::now();
    for (i, t) in templates.iter().enumerate() {
        let format = if t.rel.to_ascii_lowercase().ends_with(".json") {
            Format::Json
        } else {
            Format::Yaml
        };
        let file = SourceFile::new(FileId(i as u32), t.rel.clone(), t.text.as_str(), format);
        if !wa_lint_cfn::sniff(&file.text) {
            continue;
        }
        totals.files += 1;
        totals.bytes += file.text.len();
        let out = wa_lint_cfn::parse_template(&file);
        totals.add(out.as_ref());
    }
    totals.elapsed = start.elapsed();
    totals
}

/// Times `parse_module` of every directory holding `.tf` files.
fn terraform(modules: &BTreeMap<String, Vec<Read>>) -> Totals {
    let mut totals = Totals::default();
    let mut next_id = 0u32;
    let start = Instant::now();
    for (dir, reads) in modules {
        let files: Vec<SourceFile> = reads
            .iter()
            .map(|r| {
                next_id += 1;
                SourceFile::new(FileId(next_id), r.rel.clone(), r.text.as_str(), Format::Hcl)
            })
            .collect();
        totals.files += files.len();
        totals.bytes += files.iter().map(|f| f.text.len()).sum::<usize>();
        let out = wa_lint_terraform::parse_module(dir, &files);
        totals.add(Some(&out));
    }
    totals.elapsed = start.elapsed();
    totals
}
