//! The pipeline: discover → load → parse into units → evaluate in parallel → findings.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use wa_lint_graph::{ParseOutput, ResourceGraph};
use wa_lint_rules::{Evaluation, RulePack};
use wa_lint_source::{FileId, Level, SourceFile};

use crate::discover::{self, Candidate, Found};
use crate::locate::findings_of;
use crate::{load, LintError, LintReport, Stats};

/// What to scan and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Worker threads; 0 = one per core.
    pub threads: usize,
    /// Glob patterns of paths to leave out (gitignore syntax, relative to each scan path).
    pub excludes: Vec<String>,
}

/// A unit waiting to be parsed.
enum UnitInput {
    /// One CloudFormation candidate file (index into the file table).
    Template(usize),
    /// A Terraform module directory and its files (indexes into the file table).
    Module(String, Vec<usize>),
}

/// Runs the whole pipeline over `paths` with the rules of `pack`.
///
/// # Errors
/// [`LintError`] for usage problems (a path that does not exist, a bad exclude glob, a thread
/// pool that cannot start). Problems in files and rules are diagnostics in the report.
pub fn lint(
    paths: &[PathBuf],
    pack: &RulePack,
    options: &Options,
) -> Result<LintReport, LintError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .build()
        .map_err(|e| LintError::Threads(e.to_string()))?;
    pool.install(|| run(paths, pack, options))
}

fn run(paths: &[PathBuf], pack: &RulePack, options: &Options) -> Result<LintReport, LintError> {
    let root = discover::scan_root(paths);
    let found = discover::discover(paths, &root, &options.excludes)?;
    let mut report = LintReport {
        rules: pack.rules().to_vec(),
        ..LintReport::default()
    };

    // Load every candidate in parallel; the file table order is the sorted discovery order.
    let loaded: Vec<Result<SourceFile, Box<load::Failure>>> = found
        .par_iter()
        .enumerate()
        .map(|(i, f)| load::load(f, FileId(i as u32)))
        .collect();
    let mut files: Vec<Option<SourceFile>> = Vec::with_capacity(loaded.len());
    // Files shown in diagnostics but never parsed (e.g. invalid UTF-8).
    let mut unparsed = Vec::new();
    for (result, f) in loaded.into_iter().zip(&found) {
        match result {
            Ok(file) => files.push(Some(file)),
            Err(failure) if failure.diagnostic.level == Level::Note => {
                report.skipped.push(f.rel.clone());
                files.push(None);
            }
            Err(failure) => {
                report.diagnostics.push(failure.diagnostic);
                unparsed.extend(failure.lossy);
                files.push(None);
            }
        }
    }

    let (units, not_iac) = group_units(&found, &files);
    report.skipped.extend(
        not_iac
            .iter()
            .filter_map(|i| found.get(*i))
            .map(|f| f.rel.clone()),
    );
    let outputs: Vec<(Option<ParseOutput>, Vec<usize>)> = units
        .par_iter()
        .map(|unit| match unit {
            UnitInput::Template(i) => {
                let out = files
                    .get(*i)
                    .and_then(Option::as_ref)
                    .and_then(wa_lint_cfn::parse_template);
                (out, vec![*i])
            }
            UnitInput::Module(dir, idx) => {
                let module_files: Vec<SourceFile> = idx
                    .iter()
                    .filter_map(|i| files.get(*i).and_then(Option::as_ref))
                    .cloned()
                    .collect();
                (
                    Some(wa_lint_terraform::parse_module(dir, &module_files)),
                    idx.clone(),
                )
            }
        })
        .collect();

    let mut graphs = Vec::new();
    for (out, idx) in outputs {
        match out {
            None => report.skipped.extend(
                idx.iter()
                    .filter_map(|i| found.get(*i))
                    .map(|f| f.rel.clone()),
            ),
            Some(out) => {
                report.diagnostics.extend(out.diagnostics);
                graphs.extend(out.graph);
            }
        }
    }

    let evaluations: Vec<Evaluation> = graphs
        .par_iter()
        .map_init(|| pack.evaluator(), wa_lint_rules::Evaluator::evaluate)
        .collect();

    let mut files: Vec<SourceFile> = files.into_iter().flatten().chain(unparsed).collect();
    files.sort_by_key(|f| f.id);
    let by_id: BTreeMap<FileId, &SourceFile> = files.iter().map(|f| (f.id, f)).collect();
    for (graph, evaluation) in graphs.iter().zip(evaluations) {
        let (findings, diagnostics) = findings_of(graph, evaluation, pack, &by_id);
        report.findings.extend(findings);
        report.diagnostics.extend(diagnostics);
    }

    report.stats = Stats {
        files: files.len(),
        bytes: files.iter().map(|f| f.text.len()).sum(),
        units: graphs.len(),
        resources: graphs
            .iter()
            .map(|g: &ResourceGraph| g.resources.len())
            .sum(),
        skipped: 0,
    };
    report.files = files;
    report.findings.sort();
    report.findings.dedup();
    report.diagnostics.sort();
    report.diagnostics.dedup();
    report.skipped.sort();
    report.skipped.dedup();
    report.stats.skipped = report.skipped.len();
    Ok(report)
}

/// Splits loaded files into units: one per CloudFormation candidate that sniffs like a
/// template, one per directory holding Terraform configuration files. Also returns the files
/// that are not infrastructure as code (skipped quietly).
fn group_units(found: &[Found], files: &[Option<SourceFile>]) -> (Vec<UnitInput>, Vec<usize>) {
    let mut modules: BTreeMap<String, (bool, Vec<usize>)> = BTreeMap::new();
    let mut units = Vec::new();
    let mut skipped = Vec::new();
    for (i, (f, file)) in found.iter().zip(files).enumerate() {
        let Some(file) = file else { continue };
        match f.candidate {
            Candidate::TerraformConfig | Candidate::TerraformVars => {
                let dir = f.rel.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
                let entry = modules.entry(dir).or_default();
                entry.0 |= f.candidate == Candidate::TerraformConfig;
                entry.1.push(i);
            }
            Candidate::Structured if wa_lint_cfn::sniff(&file.text) => {
                units.push(UnitInput::Template(i))
            }
            Candidate::Structured => skipped.push(i),
        }
    }
    for (dir, (has_config, idx)) in modules {
        if has_config {
            let dir = if dir.is_empty() { ".".to_owned() } else { dir };
            units.push(UnitInput::Module(dir, idx));
        } else {
            skipped.extend(idx);
        }
    }
    (units, skipped)
}
