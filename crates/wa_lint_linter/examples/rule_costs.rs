//! Evaluation cost of each rule of the built-in pack over a directory tree: where the per-resource
//! time of the pack goes (issue 5; method in `docs/benchmarks.md`, "Per-rule cost").
//!
//! ```text
//! cargo run --release -p wa_lint_linter --example rule_costs -- <dir> [ID-PREFIX,...]
//! ```
//!
//! Files are found and parsed like `parse_corpus` does (every template candidate, every
//! directory with `.tf` files; no nested stacks, no condition scenarios), and the graphs are
//! kept in memory. Then, on one thread, the evaluator of the pack restricted to some rules runs
//! over every graph three times, and the smallest CPU time of the thread (user + sys, from
//! `/proc/thread-self/stat`, 10 ms ticks; Linux only) is printed in seconds, with the findings
//! of one pass:
//!
//! - without prefixes: the whole pack, then each rule alone, most expensive first;
//! - with comma-separated ID prefixes (`WA-SEC03-IAM,WA-SEC09-S3-SECURE-TRANSPORT`): the rules
//!   whose IDs start with each prefix, together.
//!
//! A rule alone includes the input built for each unit it applies to and the library views it
//! reads; in the whole pack, views are shared by the rules of an engine group, so the rule
//! costs add up to more than the pack's.

#[path = "support/tree.rs"]
mod tree;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use tree::read_tree;
use wa_lint_graph::ResourceGraph;
use wa_lint_rules::RulePack;
use wa_lint_source::{FileId, Format, SourceFile};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage: rule_costs <dir> [ID-PREFIX,...]");
        return ExitCode::from(2);
    };
    let prefixes: Option<Vec<String>> = args
        .next()
        .map(|list| list.split(',').map(str::to_owned).collect());
    let pack = match RulePack::load(&[]) {
        Ok(pack) => pack,
        Err(e) => {
            eprintln!("rule_costs: {e}");
            return ExitCode::from(2);
        }
    };
    let graphs = graphs(&root);
    let resources: usize = graphs.iter().map(|g| g.resources.len()).sum();
    println!("graphs {} resources {resources}", graphs.len());
    let ids: Vec<String> = pack.rules().iter().map(|r| r.id.clone()).collect();
    let cost_of =
        |selected: BTreeSet<String>| best_of_three(&pack.restricted_to(&selected), &graphs);
    if let Some(prefixes) = prefixes {
        for prefix in prefixes {
            let selected = ids
                .iter()
                .filter(|id| id.starts_with(&prefix))
                .cloned()
                .collect();
            let (seconds, findings) = cost_of(selected);
            println!("{seconds:7.2} s  {findings:5} findings  {prefix}*");
        }
        return ExitCode::SUCCESS;
    }
    let (seconds, findings) = best_of_three(&pack, &graphs);
    println!("{seconds:7.2} s  {findings:5} findings  whole pack");
    let mut rows: Vec<(f64, usize, &String)> = ids
        .iter()
        .map(|id| {
            let (seconds, findings) = cost_of(BTreeSet::from([id.clone()]));
            (seconds, findings, id)
        })
        .collect();
    rows.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.2.cmp(b.2)));
    for (seconds, findings, id) in rows {
        println!("{seconds:7.2} s  {findings:5} findings  {id}");
    }
    ExitCode::SUCCESS
}

/// The graphs of every template candidate and Terraform directory under `root`.
fn graphs(root: &std::path::Path) -> Vec<ResourceGraph> {
    let (templates, modules) = read_tree(root);
    let mut graphs = Vec::new();
    let mut next_id = 0u32;
    let mut file = |rel: &str, text: &str, format: Format| {
        next_id += 1;
        SourceFile::new(FileId(next_id), rel, text, format)
    };
    for t in &templates {
        let format = if t.rel.to_ascii_lowercase().ends_with(".json") {
            Format::Json
        } else {
            Format::Yaml
        };
        let source = file(&t.rel, &t.text, format);
        if wa_lint_cfn::sniff(&source.text) {
            if let Some(graph) = wa_lint_cfn::parse_template(&source).and_then(|out| out.graph) {
                graphs.push(graph);
            }
        }
    }
    for (dir, reads) in &modules {
        let files: Vec<SourceFile> = reads
            .iter()
            .map(|r| file(&r.rel, &r.text, Format::Hcl))
            .collect();
        if let Some(graph) = wa_lint_terraform::parse_module(dir, &files).graph {
            graphs.push(graph);
        }
    }
    graphs
}

/// Smallest thread CPU seconds of three evaluations of `pack` over `graphs`, and the findings of
/// one evaluation.
fn best_of_three(pack: &RulePack, graphs: &[ResourceGraph]) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut findings = 0;
    for _ in 0..3 {
        let mut evaluator = pack.evaluator();
        let start = thread_cpu();
        findings = graphs
            .iter()
            .map(|g| evaluator.evaluate(g).results.len())
            .sum();
        best = best.min(thread_cpu() - start);
    }
    (best, findings)
}

/// CPU seconds (user + sys) of the calling thread, in 10 ms ticks; 0 when unreadable.
fn thread_cpu() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/thread-self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces) in parentheses: utime and stime
    // are the 12th and 13th.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let tick = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (tick(11) + tick(12)) / 100.0
}
