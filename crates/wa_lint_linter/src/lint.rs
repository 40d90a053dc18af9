//! The pipeline: discover → load → parse the CloudFormation and Terraform projects, each unit
//! evaluated (every condition scenario), located and reduced to its record in the worker that
//! built it (`crate::record`) → the records together → selected, suppressed, sorted findings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use wa_lint_cfn::CfnOptions;
use wa_lint_graph::{Mode, ParseOutput};
use wa_lint_rules::{Evaluator, RulePack};
use wa_lint_source::{Diagnostic, FileId, LazyFile, Level, SourceFile};
use wa_lint_terraform::ModuleOptions;

use crate::discover::{self, has_suffix, Candidate, Found};
use crate::files::FileMap;
use crate::record::{Gauge, Record};
use crate::{load, LintError, LintReport, Stats, TypeCoverage};

/// What to scan and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Worker threads; 0 = one per core.
    pub threads: usize,
    /// Glob patterns of paths to leave out (gitignore syntax, relative to each scan path).
    pub excludes: Vec<String>,
    /// CloudFormation parameter files (`--cfn-params`), applied in order.
    pub cfn_param_files: Vec<PathBuf>,
    /// CloudFormation parameter values (`--cfn-param Name=Value`), applied after the files.
    pub cfn_params: Vec<(String, String)>,
    /// Terraform variable files (`--var-file`), applied in order after the automatic ones.
    pub var_files: Vec<PathBuf>,
    /// Terraform variables (`--var name=value`), applied last.
    pub vars: Vec<(String, String)>,
    /// Command-line order of `var_files` and `vars` (indices into them), applied in this
    /// order (later wins, as Terraform does); empty: every file, then every `--var`.
    pub var_order: Vec<wa_lint_terraform::VarSource>,
    /// File size and resource count limits (`crate::limits`).
    pub limits: crate::Limits,
    /// Rule selection, unit selection, unknown policy, baseline (`crate::select`).
    pub controls: crate::Controls,
    /// Incremental cache (`--cache DIR`); `None`: off. Not used with `--changed-since` or
    /// `--shard` (they already bound the work). See `crate::cache`.
    pub cache: Option<crate::CacheOptions>,
}

/// Managed resources (Terraform `data` blocks left out) per native type over the evaluated
/// units: each unit counted once, with its base graph or else its first condition scenario
/// (as [`Stats`]).
pub(crate) fn coverage(units: &[ParseOutput]) -> BTreeMap<String, TypeCoverage> {
    let mut out: BTreeMap<String, TypeCoverage> = BTreeMap::new();
    let graphs = units.iter().filter_map(|u| {
        u.graph
            .as_ref()
            .or_else(|| u.scenarios.first().map(|s| &s.graph))
    });
    for graph in graphs {
        let mut in_unit: BTreeMap<&str, usize> = BTreeMap::new();
        for r in graph.resources.values().filter(|r| r.mode == Mode::Managed) {
            *in_unit.entry(r.rtype.as_str()).or_default() += 1;
        }
        for (rtype, n) in in_unit {
            let c = out.entry(rtype.to_owned()).or_default();
            c.units += 1;
            c.resources += n;
        }
    }
    out
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
    lint_cached(paths, pack, options).map(|(report, _)| report)
}

/// [`lint`], and how the run used the incremental cache (`None` when `options.cache` is off
/// or not used). The report is the same as without the cache.
///
/// # Errors
/// As [`lint`].
pub fn lint_cached(
    paths: &[PathBuf],
    pack: &RulePack,
    options: &Options,
) -> Result<(LintReport, Option<crate::CacheStats>), LintError> {
    lint_gauged(paths, pack, options, &Gauge::default())
}

/// [`lint_cached`], counting the units held at once in `gauge`.
pub(crate) fn lint_gauged(
    paths: &[PathBuf],
    pack: &RulePack,
    options: &Options,
    gauge: &Gauge,
) -> Result<(LintReport, Option<crate::CacheStats>), LintError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .stack_size(wa_lint_rules::STACK_BYTES)
        .build()
        .map_err(|e| LintError::Threads(e.to_string()))?;
    run(paths, pack, options, gauge, &pool)
}

/// Files given as options (parameter and variable files), named as given.
fn option_files(options: &Options) -> Vec<Found> {
    let named = |path: &PathBuf, candidate| Found {
        rel: path.to_string_lossy().replace('\\', "/"),
        abs: path.clone(),
        candidate,
    };
    let params = options
        .cfn_param_files
        .iter()
        .map(|p| named(p, Candidate::Structured));
    let vars = options
        .var_files
        .iter()
        .map(|p| named(p, Candidate::TerraformVars));
    params.chain(vars).collect()
}

/// The pipeline. Files are first read on `pool` (their kind decided, their texts dropped), the
/// records are put together on the calling thread, units are parsed (reading their files again)
/// and evaluated on `pool`, and so are the suppressions read; the texts the report keeps (`crate::table`) are read by the thread that
/// goes on to render it, so their memory is reused by the output instead of staying with idle
/// workers.
fn run(
    paths: &[PathBuf],
    pack: &RulePack,
    options: &Options,
    gauge: &Gauge,
    pool: &rayon::ThreadPool,
) -> Result<(LintReport, Option<crate::CacheStats>), LintError> {
    let root = discover::scan_root(paths);
    let plan = crate::select::plan(&root, pack.rules(), &options.controls)?;
    // Rules left out by `--only` / `--skip` are not evaluated at all.
    let restricted = pack.restricted_to(&plan.enabled);
    let pack = &restricted;
    let discovered = discover::discover(paths, &root, &options.excludes)?;
    let mut found = discovered.found;
    let scanned = found.len();
    found.extend(option_files(options));
    let found_len = found.len();
    let mut report = LintReport {
        rules: pack.rules().to_vec(),
        ..LintReport::default()
    };
    report
        .diagnostics
        .extend(discovered.symlinks.into_iter().map(|rel| {
            Diagnostic::at(
                Level::Note,
                "source::symlink",
                rel,
                None,
                "symbolic link not followed; scan its target directly if it belongs to the project",
            )
        }));

    // Read every file once, on the pool's threads: its kind is decided on its text (and its
    // cache digest taken), then the text is dropped; the passes read it again when they need
    // it (`LazyFile`), so no pass holds every text. What each read gives is put together in
    // discovery order below.
    let want_digest = options.cache.is_some();
    let first_reads: Vec<FirstRead> = pool.install(|| {
        use rayon::prelude::*;
        found
            .par_iter()
            .enumerate()
            .map(|(i, f)| first_read(f, FileId(i as u32), i < scanned, want_digest, options))
            .collect()
    });
    let mut files: Vec<LazyFile> = Vec::with_capacity(found.len());
    let mut kinds: Vec<Option<Kind>> = Vec::with_capacity(found.len());
    let mut option_files: Vec<Option<SourceFile>> = Vec::new();
    // The incremental cache's content hashes, taken now rather than on another read.
    let mut digests: BTreeMap<String, crate::cache::Digest> = BTreeMap::new();
    // Files the suppressions pass need not read again.
    let mut quiet: BTreeSet<String> = BTreeSet::new();
    for (i, (read, f)) in first_reads.into_iter().zip(&found).enumerate() {
        report.diagnostics.extend(read.diagnostic);
        if read.skipped {
            report.skipped.push(f.rel.clone());
        }
        if let Some(file) = read.file {
            if let Some(d) = read.digest {
                digests.insert(file.path.clone(), d);
            }
            if read.quiet {
                quiet.insert(file.path.clone());
            }
            files.push(file);
        }
        if i < scanned {
            kinds.push(read.kind);
        } else {
            option_files.push(read.option_file);
        }
    }

    let (cfn_options, mut module_options) =
        front_end_options(options, &option_files, &mut report.diagnostics);
    drop(option_files);
    module_options.scan_root = Some(root.clone());
    let (cfn_files, mut tf_project, not_iac) = classify(&found, &kinds, &files);
    drop(found);
    report.skipped.extend(not_iac);
    // Modules `terraform init` downloaded (hidden `.terraform/`, skipped by discovery).
    let mut next_id = u32::try_from(found_len).unwrap_or(u32::MAX);
    let (downloaded, downloaded_diagnostics) =
        wa_lint_terraform::load_downloaded_modules(&root, &mut tf_project, &mut next_id);
    files.extend(downloaded.into_iter().map(LazyFile::held));
    report.diagnostics.extend(downloaded_diagnostics);
    files.sort_by_key(|f| f.id);

    if let Some(cache) = options
        .cache
        .as_ref()
        .filter(|_| plan.changed.is_none() && options.controls.shard.is_none())
    {
        let input = crate::cache::Input {
            cache,
            root: &root,
            paths,
            excludes: &options.excludes,
            files: &files,
            digests: &digests,
            cfn_files: &cfn_files,
            tf_project: &tf_project,
            cfn_options: &cfn_options,
            module_options: &module_options,
            pack,
            limits: options.limits,
            gauge,
        };
        let out = pool.install(|| crate::cache::run(&input));
        report.skipped.extend(out.not_templates);
        let shortcuts = crate::suppress::Shortcuts {
            quiet: Some(&quiet),
            memo: Some(&out.memo),
        };
        assemble(
            &mut report,
            &files,
            out.records,
            &plan,
            &options.controls,
            pool,
            &shortcuts,
        );
        out.memo.save();
        return Ok((report, Some(out.stats)));
    }

    // Each unit is parsed, evaluated, located and reduced to its record in one worker; its
    // graphs and texts are dropped there (`crate::record`).
    let file_map = FileMap::new(&files);
    let reduce = |ev: &mut Option<Evaluator>, outputs: Vec<ParseOutput>| -> Record {
        let mut unit = gauge.hold(outputs);
        crate::limits::enforce_resources(&mut unit.outputs, options.limits.resources);
        unit.outputs =
            crate::select::units(std::mem::take(&mut unit.outputs), &plan, &options.controls);
        let ev = ev.get_or_insert_with(|| pack.evaluator());
        crate::record::reduce(unit, ev, pack, &file_map)
    };
    let (cfn, tf) = pool.install(|| {
        rayon::join(
            || wa_lint_cfn::parse_project_each(&cfn_files, &cfn_options, || None, reduce),
            || {
                wa_lint_terraform::parse_project_each(
                    &tf_project,
                    &module_options,
                    || None,
                    |ev, output| reduce(ev, vec![output]),
                )
            },
        )
    });
    report.skipped.extend(
        cfn.not_templates
            .iter()
            .filter_map(|id| file_map.lazy(*id))
            .map(|f| f.path.clone()),
    );
    drop((file_map, cfn_files, tf_project));
    let records: Vec<Record> = cfn.units.into_iter().chain(tf).collect();
    let shortcuts = crate::suppress::Shortcuts {
        quiet: Some(&quiet),
        memo: None,
    };
    assemble(
        &mut report,
        &files,
        records,
        &plan,
        &options.controls,
        pool,
        &shortcuts,
    );
    Ok((report, None))
}

/// What the first read of a file gives (see `run`).
struct FirstRead {
    /// The file, unless it could not be read at all or is skipped quietly.
    file: Option<LazyFile>,
    /// Its kind (scanned files read as text; `None` otherwise).
    kind: Option<Kind>,
    /// Its incremental-cache digest (with `--cache`).
    digest: Option<crate::cache::Digest>,
    /// The text of a file given as an option (parameter or variable file), kept.
    option_file: Option<SourceFile>,
    /// A warning (UTF-16) or an error (unreadable, invalid UTF-8, too large).
    diagnostic: Option<Diagnostic>,
    /// Skipped quietly (a `Note` from `load`).
    skipped: bool,
    /// A scanned file whose text holds no suppression (`suppress::may_hold`).
    quiet: bool,
}

/// Reads `f` as file `id` (`scanned`: a file of the scan, not an option file) and reduces it to
/// a [`FirstRead`]; the text is dropped unless it is an option file's.
fn first_read(
    f: &Found,
    id: FileId,
    scanned: bool,
    want_digest: bool,
    options: &Options,
) -> FirstRead {
    let lazy =
        |file: &SourceFile| LazyFile::on_disk(file, f.abs.clone(), options.limits.file_bytes);
    let digest = |file: &LazyFile, text: &str, kind: Option<Kind>| {
        want_digest.then(|| {
            let iac = kind.is_some_and(|k| k != Kind::Other);
            crate::cache::digest_of(file, text, iac)
        })
    };
    match load::load(f, id, options.limits.file_bytes) {
        Ok(read) => {
            let file = lazy(&read.file);
            let kind = scanned.then(|| Kind::of(f, &read.file.text));
            FirstRead {
                digest: digest(&file, &read.file.text, kind),
                file: Some(file),
                kind,
                quiet: scanned && !crate::suppress::may_hold(&read.file.text),
                option_file: (!scanned).then_some(read.file),
                diagnostic: read.warning,
                skipped: false,
            }
        }
        Err(failure) if failure.diagnostic.level == Level::Note => FirstRead {
            file: None,
            kind: None,
            digest: None,
            option_file: None,
            diagnostic: None,
            skipped: true,
            quiet: false,
        },
        Err(failure) => {
            // Shown in its diagnostic, never parsed (e.g. invalid UTF-8).
            let file = failure.lossy.as_ref().map(|lossy| lazy(lossy));
            let digest = match (&file, &failure.lossy) {
                (Some(file), Some(lossy)) => digest(file, &lossy.text, None),
                _ => None,
            };
            FirstRead {
                file,
                kind: None,
                digest,
                option_file: None,
                diagnostic: Some(failure.diagnostic),
                skipped: false,
                quiet: false,
            }
        }
    }
}

/// What a scanned file is, decided on its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A `.tf`, `.tf.json`, `.tfvars` or `.tfvars.json` file.
    Terraform,
    /// A Terraform plan (JSON).
    Plan,
    /// A file the cheap CloudFormation test accepts.
    Cfn,
    /// Anything else (skipped quietly).
    Other,
}

impl Kind {
    fn of(f: &Found, text: &str) -> Self {
        match f.candidate {
            Candidate::TerraformConfig | Candidate::TerraformVars => Self::Terraform,
            Candidate::Structured
                if has_suffix(&f.rel, ".json") && wa_lint_terraform::is_plan(text) =>
            {
                Self::Plan
            }
            Candidate::Structured if wa_lint_cfn::sniff(text) => Self::Cfn,
            Candidate::Structured => Self::Other,
        }
    }
}

/// Puts the records of the units (in unit order) into `report`: counts, coverage, findings
/// and diagnostics, the file table (`files`, sorted by id), and the last pass
/// (`crate::select::finish_with`, which reads the suppressions of every scanned file, one file
/// at a time); sorts; then reads the texts of the files the report points at
/// (`crate::table`).
fn assemble(
    report: &mut LintReport,
    files: &[LazyFile],
    records: Vec<Record>,
    plan: &crate::select::Plan,
    controls: &crate::Controls,
    pool: &rayon::ThreadPool,
    shortcuts: &crate::suppress::Shortcuts<'_>,
) {
    report.table = files.iter().map(crate::FileEntry::of_lazy).collect();
    report.stats = Stats {
        files: report.table.len(),
        bytes: report.table.iter().map(|f| f.len).sum(),
        units: records.iter().map(|r| r.units).sum(),
        resources: records.iter().map(|r| r.resources).sum(),
        skipped: 0,
    };
    for r in &records {
        for (rtype, c) in &r.coverage {
            let total = report.coverage.entry(rtype.clone()).or_default();
            total.units += c.units;
            total.resources += c.resources;
        }
    }
    let facts = crate::record::facts(&records);
    for r in records {
        report.findings.extend(r.findings);
        report.diagnostics.extend(r.diagnostics);
    }
    // On the scan's pool: the suppressions pass reads the scanned files in parallel.
    pool.install(|| crate::select::finish_with(report, files, &facts, plan, controls, shortcuts));
    sort_report(report);
    crate::table::read_reported(report, files);
}

/// Sorts and deduplicates findings, diagnostics and skipped paths; counts the skipped.
fn sort_report(report: &mut LintReport) {
    report.findings.sort();
    report.findings.dedup();
    report.diagnostics.sort();
    report.diagnostics.dedup();
    report.skipped.sort();
    report.skipped.dedup();
    report.stats.skipped = report.skipped.len();
}

/// Front-end options from the command line: parameter files are read here (a bad one is a
/// diagnostic), variable files are handed to the Terraform front end.
fn front_end_options(
    options: &Options,
    option_files: &[Option<SourceFile>],
    diagnostics: &mut Vec<Diagnostic>,
) -> (CfnOptions, ModuleOptions) {
    let (param_files, var_files) =
        option_files.split_at(options.cfn_param_files.len().min(option_files.len()));
    let mut cfn = CfnOptions::default();
    for file in param_files.iter().flatten() {
        match wa_lint_cfn::parameter_file(file) {
            Ok(pairs) => cfn.parameters.extend(pairs),
            Err(d) => diagnostics.push(*d),
        }
    }
    cfn.parameters.extend(options.cfn_params.iter().cloned());
    // Indices of `options.var_files` → loaded files (an unreadable file is left out).
    let mut loaded = Vec::new();
    let file_index: Vec<Option<usize>> = var_files
        .iter()
        .map(|f| {
            f.as_ref().map(|f| {
                loaded.push(f.clone());
                loaded.len() - 1
            })
        })
        .collect();
    let var_order = options
        .var_order
        .iter()
        .filter_map(|s| match *s {
            wa_lint_terraform::VarSource::File(i) => file_index
                .get(i)
                .copied()
                .flatten()
                .map(wa_lint_terraform::VarSource::File),
            var @ wa_lint_terraform::VarSource::Var(_) => Some(var),
        })
        .collect();
    let terraform = ModuleOptions {
        var_files: loaded,
        vars: options.vars.clone(),
        var_order,
        env_vars: std::env::vars()
            .filter_map(|(k, v)| Some((k.strip_prefix("TF_VAR_")?.to_owned(), v)))
            .collect(),
        scan_root: None,
    };
    (cfn, terraform)
}

/// Splits the scanned files (`found`, their `kinds`; `files` by id) into CloudFormation
/// candidates (files the cheap textual test accepts), the Terraform project (module
/// directories and plans), and files that are not infrastructure as code (skipped quietly;
/// returned as paths).
fn classify(
    found: &[Found],
    kinds: &[Option<Kind>],
    files: &[LazyFile],
) -> (Vec<LazyFile>, wa_lint_terraform::Project, Vec<String>) {
    let by_id: BTreeMap<FileId, &LazyFile> = files.iter().map(|f| (f.id, f)).collect();
    let mut cfn = Vec::new();
    let mut modules: BTreeMap<String, Vec<LazyFile>> = BTreeMap::new();
    let mut plans = Vec::new();
    let mut skipped = Vec::new();
    for (i, (f, kind)) in found.iter().zip(kinds).enumerate() {
        let (Some(kind), Some(file)) = (kind, by_id.get(&FileId(i as u32))) else {
            continue;
        };
        let file = (*file).clone();
        match kind {
            Kind::Terraform => {
                let dir = f.rel.rsplit_once('/').map_or(".", |(d, _)| d).to_owned();
                modules.entry(dir).or_default().push(file);
            }
            Kind::Plan => plans.push(file),
            Kind::Cfn => cfn.push(file),
            Kind::Other => skipped.push(f.rel.clone()),
        }
    }
    // Directories with only variable files are not modules.
    for files in modules.values() {
        if !files
            .iter()
            .any(|f| has_suffix(&f.path, ".tf") || has_suffix(&f.path, ".tf.json"))
        {
            skipped.extend(files.iter().map(|f| f.path.clone()));
        }
    }
    (
        cfn,
        wa_lint_terraform::Project {
            modules: modules.into_iter().collect(),
            plans,
            ..wa_lint_terraform::Project::default()
        },
        skipped,
    )
}
