//! The incremental cache (`--cache DIR`): what a unit produced, reused while nothing it
//! depends on changed.
//!
//! **What is cached.** One [`Record`] per evaluation unit: a CloudFormation template with the
//! nested stacks it pulls in, or a Terraform root module with every module it instantiates.
//! A record holds the unit's located findings (after condition scenarios are merged, before
//! rule selection, severities, the unknown policy, suppressions and the baseline, which are
//! applied to every run afresh), its parse and rule diagnostics, its counts, and the facts the
//! suppressions pass needs (files, resource lines). Records are content-addressed: the file
//! name is the unit's key.
//!
//! **Keys.** BLAKE3 of: the cache format, the wa-lint version and the identity of the running
//! executable (size and modification time, so a rebuilt binary never reuses old results), the
//! rules pack (path and text of every embedded and `--rules` source), every option that changes
//! what the front ends build (CloudFormation parameters after parameter files, Terraform
//! variables, variable files' contents, their order, `TF_VAR_*` environment variables), the
//! unit's kind and root path (for a Terraform root module at the scan root, also the scan
//! root's directory name, its `path.cwd`), and the path and content hash of every file the unit was built
//! from (Terraform: every file of every module directory it instantiates, so `.tfvars` count).
//! What a unit can see of other units is added when the unit can see it:
//! - a template that could import an export, nest a stack, or hides a marker behind a YAML/JSON
//!   escape (`ImportValue`, `AWS::CloudFormation::Stack`, `AWS::Serverless::Application`,
//!   `\u`, `\x`, `\U`, an escaped line break) also keys on every CloudFormation candidate of
//!   the scan (path and content);
//! - a module that calls modules (a line starting with `module`) also keys on the set of
//!   module directories and `.terraform/modules/modules.json` keys;
//! - a module whose file functions read files (`file`, `fileexists`, `templatefile`) keys on
//!   the path and content hash (or absence) of every file they resolved when it was evaluated
//!   (`ResourceGraph::files_read`); those files are hashed again on every run, and the unit is
//!   evaluated again when one differs. When the scan holds Terraform plans (which replace the
//!   module they were made from) no Terraform unit is cached.
//!
//! **Runs.** Parsing is a large share of a scan, so a second run must not parse what did not
//! change. Each scan configuration (the keys above plus the absolute scan root, the paths and
//! the excludes) has a manifest: every file's content hash and kind, and every unit's root,
//! files and key. When the files of one front end changed only in ways that cannot move units
//! (modified, not added or removed; no marker above in the old or the new text, but a
//! Terraform file whose module calls are the same before and after, `module_shape`; an
//! `Export` counts too when some template imports), only the units holding a changed file are
//! parsed again (on their own files) and evaluated; the others are read from their records.
//! Otherwise that front end is parsed whole and each unit is looked up by key.
//!
//! **Storage.** `DIR/units/<key>.cache`, `DIR/runs/<key>.cache` and the suppressions pass's
//! [`Memo`] `DIR/runs/<global key>.suppress.cache` (JSON; an extension
//! discovery never reads, so a cache inside the scanned tree is never scanned), plus a
//! `.gitignore` (`*`) and a `CACHEDIR.TAG`. Writes go to a temporary file renamed into
//! place, so concurrent runs never see half an entry (the last writer of a manifest wins). An
//! entry that cannot be read, parsed, or does not fit the current files is a miss, never an
//! error. A unit a file of which vanished or changed during the run (`source::io`,
//! `source::changed`) is not stored. Size: after a run that wrote entries, the oldest (by modification time) are removed
//! beyond [`MAX_UNITS`] unit records and [`MAX_RUNS`] manifests; deleting the directory at
//! any time is safe.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use wa_lint_cfn::CfnOptions;
use wa_lint_graph::{ParseOutput, ResourceGraph};
use wa_lint_rules::RulePack;
use wa_lint_source::{LazyFile, TextRange};
use wa_lint_terraform::ModuleOptions;

use crate::discover::has_suffix;
use crate::files::FileMap;
use crate::record::{graph_of, reduce, Gauge, Record};

/// Version of the entry format; part of every key.
const FORMAT: u32 = 1;
/// Most unit records kept (oldest removed first).
pub const MAX_UNITS: usize = 20_000;
/// Most run manifests kept (oldest removed first).
pub const MAX_RUNS: usize = 64;

/// Where the cache lives and what the rules pack is (`Options::cache`).
#[derive(Debug, Clone)]
pub struct CacheOptions {
    /// The cache directory (created when missing).
    pub dir: PathBuf,
    /// [`rules_digest`] of the pack's sources.
    pub rules_digest: String,
}

/// How a run used the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Units whose results were read from the cache.
    pub hits: usize,
    /// Units evaluated (and written to the cache when cacheable).
    pub misses: usize,
    /// Units parsed (a hit of the fast path is not parsed at all).
    pub parsed: usize,
}

/// BLAKE3 (hex) of a rules pack's sources, `(path, text)` as
/// [`wa_lint_rules::pack_sources`] returns them: part of every cache key.
pub fn rules_digest(sources: &[(String, String)]) -> String {
    let mut h = blake3::Hasher::new();
    for (path, text) in sources {
        field(&mut h, path.as_bytes());
        field(&mut h, text.as_bytes());
    }
    h.finalize().to_hex().to_string()
}

/// Adds a length-prefixed field to `h` (so concatenations never collide).
pub(crate) fn field(h: &mut blake3::Hasher, bytes: &[u8]) {
    h.update(&(bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

fn hex(h: &blake3::Hasher) -> String {
    h.finalize().to_hex().to_string()
}

/// The front end a unit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum Front {
    Cfn,
    Tf,
}

/// What the manifest remembers of a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct FileEntry {
    hash: String,
    /// `cfn`, `tf`, `plan` or `other`.
    kind: String,
    /// [`flags`] of the text.
    flags: u8,
    /// [`module_shape`] of a file that calls modules (empty otherwise, and in manifests
    /// written before it existed).
    #[serde(default)]
    shape: String,
}

/// What the manifest remembers of a unit.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct GroupEntry {
    front: Front,
    root: String,
    deps: Vec<String>,
    /// `None`: never cached.
    key: Option<String>,
    /// Files read by file functions (`(path, hash_on_disk)`), outside the file table.
    #[serde(default)]
    reads: Vec<(String, String)>,
}

/// One scan configuration's last run.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Manifest {
    format: u32,
    global: String,
    files: BTreeMap<String, FileEntry>,
    groups: Vec<GroupEntry>,
    not_templates: Vec<String>,
    structure: String,
}

const NEST: u8 = 1;
const IMPORT: u8 = 2;
const EXPORT: u8 = 4;
const ESCAPE: u8 = 8;
const MODULE: u8 = 16;

/// What the cache keeps of a file's text: its content hash (BLAKE3, hex) and for a file of a
/// front end (`iac`) its [`flags`]. Computed when the scan first reads the file
/// (`Input::digests`). The [`module_shape`] of a file that may call modules is taken later,
/// from the last run's manifest when the file did not change (`Scan::new`).
pub(crate) fn digest_of(file: &LazyFile, text: &str, iac: bool) -> Digest {
    Digest {
        hash: file.content_hash(),
        flags: if iac { flags(&file.path, text) } else { 0 },
    }
}

/// See [`digest_of`].
#[derive(Debug, Clone)]
pub(crate) struct Digest {
    hash: String,
    flags: u8,
}

/// A hash of what a Terraform file tells of how module directories call each other: in a `.tf`
/// file, whether it parses and its `module` blocks' labels and literal sources
/// ([`wa_lint_terraform::module_calls`], what the front end's first pass reads); in a `.tf.json`
/// file, its whole text (any edit counts). An edit that leaves it equal cannot move module roots.
fn module_shape(path: &str, text: &str) -> String {
    let mut h = blake3::Hasher::new();
    if has_suffix(path, ".json") {
        field(&mut h, text.as_bytes());
    } else {
        match wa_lint_terraform::module_calls(text) {
            None => field(&mut h, b"unparsable"),
            Some(calls) => {
                for (label, source) in calls {
                    field(&mut h, label.as_bytes());
                    field(&mut h, source.as_deref().unwrap_or("\0").as_bytes());
                }
            }
        }
    }
    hex(&h)
}

/// Markers of cross-file effects in `text` (see the module docs).
fn flags(path: &str, text: &str) -> u8 {
    let mut f = 0;
    let is_tf = has_suffix(path, ".tf") || has_suffix(path, ".tf.json");
    if !is_tf {
        if text.contains("AWS::CloudFormation::Stack")
            || text.contains("AWS::Serverless::Application")
        {
            f |= NEST;
        }
        if text.contains("ImportValue") {
            f |= IMPORT;
        }
        if text.contains("Export") {
            f |= EXPORT;
        }
        if ["\\u", "\\x", "\\U", "\\\n", "\\\r"]
            .iter()
            .any(|m| text.contains(m))
        {
            f |= ESCAPE;
        }
        return f;
    }
    let calls = if has_suffix(path, ".json") {
        text.contains("module") || text.contains("\\u")
    } else {
        text.lines().any(|l| {
            l.trim_start()
                .strip_prefix("module")
                .is_some_and(|rest| rest.starts_with([' ', '\t', '"', '{']) || rest.is_empty())
        })
    };
    if calls {
        f |= MODULE;
    }
    f
}

/// BLAKE3 (hex) of the file at `rel` under `root`, or a marker for a missing, unreadable or
/// non-regular file, or one whose real path leaves the root (a symbolic link): what the front
/// end then sees differs, and so does the marker.
fn hash_on_disk(root: &Path, rel: &str) -> String {
    let path = root.join(rel);
    if let (Ok(r), Ok(p)) = (root.canonicalize(), path.canonicalize()) {
        if !p.starts_with(r) {
            return "outside the scan root".to_owned();
        }
    }
    match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => std::fs::read(&path).map_or_else(
            |e| format!("unreadable {:?}", e.kind()),
            |bytes| blake3::hash(&bytes).to_hex().to_string(),
        ),
        Ok(_) => "not a file".to_owned(),
        Err(e) => format!("missing {:?}", e.kind()),
    }
}

/// Results of the suppressions pass kept across runs, by file content (`suppress::Shortcuts`):
/// `DIR/runs/<global key>.suppress.cache`, a JSON map from key to value. A run reads it once,
/// notes the entries it used or added, and writes those back when they differ from what it
/// read (so entries of files that changed or left the scan are dropped). A missing or damaged
/// file is an empty memo.
pub(crate) struct Memo {
    path: Option<PathBuf>,
    old: BTreeMap<String, serde_json::Value>,
    now: std::sync::Mutex<BTreeMap<String, serde_json::Value>>,
}

impl Memo {
    fn open(path: Option<PathBuf>) -> Self {
        let old = path.as_deref().and_then(Store::read).unwrap_or_default();
        Self {
            path,
            old,
            now: std::sync::Mutex::new(BTreeMap::new()),
        }
    }

    /// The value stored under `key`, noted as used.
    pub(crate) fn get(&self, key: &str) -> Option<serde_json::Value> {
        let value = self.old.get(key)?.clone();
        if let Ok(mut now) = self.now.lock() {
            now.insert(key.to_owned(), value.clone());
        }
        Some(value)
    }

    /// Stores `value` under `key`.
    pub(crate) fn put(&self, key: String, value: serde_json::Value) {
        if let Ok(mut now) = self.now.lock() {
            now.insert(key, value);
        }
    }

    /// Writes the entries used or added by this run, when they differ from the stored ones.
    pub(crate) fn save(&self) {
        let (Some(path), Ok(now)) = (&self.path, self.now.lock()) else {
            return;
        };
        if *now != self.old {
            if let Ok(bytes) = serde_json::to_vec(&*now) {
                write_atomic(path, &bytes);
            }
        }
    }
}

/// Everything the cached pipeline needs from `lint::run`.
pub(crate) struct Input<'a> {
    pub cache: &'a CacheOptions,
    /// Scan root, paths and excludes (the manifest's identity).
    pub root: &'a Path,
    pub paths: &'a [PathBuf],
    pub excludes: &'a [String],
    /// Every loaded file (scanned, option files, downloaded modules), read again when a text is
    /// needed.
    pub files: &'a [LazyFile],
    /// [`digest_of`] by path, computed at the scan's first read; a file missing here (a
    /// downloaded module) is read again to be hashed.
    pub digests: &'a BTreeMap<String, Digest>,
    pub cfn_files: &'a [LazyFile],
    pub tf_project: &'a wa_lint_terraform::Project,
    pub cfn_options: &'a CfnOptions,
    pub module_options: &'a ModuleOptions,
    pub pack: &'a RulePack,
    /// Limits of the run (the resource limit decides whether a unit is evaluated).
    pub limits: crate::Limits,
    /// Counts the units held at once.
    pub gauge: &'a Gauge,
}

/// What the cached pipeline produced.
pub(crate) struct Output {
    pub records: Vec<Record>,
    /// CloudFormation candidates that are not templates (paths).
    pub not_templates: Vec<String>,
    pub stats: CacheStats,
    /// For the suppressions pass; saved by the caller after it.
    pub memo: Memo,
}

/// The key of everything that applies to all units (see the module docs).
fn global_digest(input: &Input<'_>) -> String {
    let mut h = blake3::Hasher::new();
    field(&mut h, format!("wa-lint cache {FORMAT}").as_bytes());
    field(&mut h, env!("CARGO_PKG_VERSION").as_bytes());
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .map(|m| {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{} {mtime}", m.len())
        })
        .unwrap_or_default();
    field(&mut h, exe.as_bytes());
    field(&mut h, input.cache.rules_digest.as_bytes());
    // `--only` / `--skip`: a unit evaluated with fewer rules has fewer results.
    field(&mut h, format!("{:?}", input.pack.restriction()).as_bytes());
    field(&mut h, format!("{:?}", input.cfn_options).as_bytes());
    let m = input.module_options;
    for f in &m.var_files {
        field(&mut h, f.path.as_bytes());
        field(&mut h, f.text.as_bytes());
    }
    field(&mut h, format!("{:?}", m.vars).as_bytes());
    field(&mut h, format!("{:?}", m.var_order).as_bytes());
    field(&mut h, format!("{:?}", m.env_vars).as_bytes());
    field(&mut h, format!("{:?}", input.limits).as_bytes());
    hex(&h)
}

/// The manifest's name: the global digest, the absolute scan root, the paths and excludes.
fn run_digest(global: &str, input: &Input<'_>) -> String {
    let mut h = blake3::Hasher::new();
    field(&mut h, global.as_bytes());
    let abs = std::fs::canonicalize(input.root).unwrap_or_else(|_| input.root.to_path_buf());
    field(&mut h, abs.to_string_lossy().as_bytes());
    for p in input.paths {
        field(&mut h, p.to_string_lossy().as_bytes());
    }
    field(&mut h, b"--");
    for e in input.excludes {
        field(&mut h, e.as_bytes());
    }
    hex(&h)
}

/// The cache directory's layout and file operations.
struct Store {
    units: PathBuf,
    runs: PathBuf,
    wrote: std::sync::atomic::AtomicUsize,
}

impl Store {
    fn open(dir: &Path) -> Option<Self> {
        let units = dir.join("units");
        let runs = dir.join("runs");
        std::fs::create_dir_all(&units).ok()?;
        std::fs::create_dir_all(&runs).ok()?;
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            write_atomic(&ignore, b"# Created by wa-lint (incremental cache).\n*\n");
        }
        let tag = dir.join("CACHEDIR.TAG");
        if !tag.exists() {
            write_atomic(
                &tag,
                b"Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by wa-lint.\n# For information about cache directory tags see https://bford.info/cachedir/\n",
            );
        }
        Some(Self {
            units,
            runs,
            wrote: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    fn read<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
        let bytes = std::fs::read(path).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    fn record(&self, key: &str) -> Option<Record> {
        Self::read(&self.units.join(format!("{key}.cache")))
    }

    fn put_record(&self, key: &str, record: &Record) {
        if let Ok(bytes) = serde_json::to_vec(record) {
            if write_atomic(&self.units.join(format!("{key}.cache")), &bytes) {
                self.wrote
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }

    fn manifest(&self, name: &str) -> Option<Manifest> {
        Self::read(&self.runs.join(format!("{name}.cache")))
    }

    fn put_manifest(&self, name: &str, manifest: &Manifest) {
        if let Ok(bytes) = serde_json::to_vec(manifest) {
            if write_atomic(&self.runs.join(format!("{name}.cache")), &bytes) {
                self.wrote
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }

    /// Removes the oldest entries beyond the limits, when this run wrote any.
    fn prune(&self) {
        if self.wrote.load(std::sync::atomic::Ordering::Relaxed) == 0 {
            return;
        }
        prune_dir(&self.units, MAX_UNITS);
        prune_dir(&self.runs, MAX_RUNS);
    }
}

/// Removes the oldest `*.cache` files of `dir` beyond `max`.
fn prune_dir(dir: &Path, max: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "cache"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    if files.len() <= max {
        return;
    }
    files.sort();
    let excess = files.len() - max;
    for (_, path) in files.into_iter().take(excess) {
        let _ = std::fs::remove_file(path);
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename.
/// False when anything failed (the entry is then simply not cached).
fn write_atomic(path: &Path, bytes: &[u8]) -> bool {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = path.with_extension(format!("tmp.{}.{n}.{nanos}", std::process::id()));
    if std::fs::write(&tmp, bytes).is_err() {
        let _ = std::fs::remove_file(&tmp);
        return false;
    }
    if std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
        return false;
    }
    true
}

/// Every graph of an output (base and scenarios).
fn graphs(unit: &ParseOutput) -> impl Iterator<Item = &ResourceGraph> {
    unit.graph
        .iter()
        .chain(unit.scenarios.iter().map(|s| &s.graph))
}

/// Splits CloudFormation outputs into units: a top-level template followed by the nested
/// stacks it pulls in (outputs with `called_from`).
fn cfn_groups(outputs: Vec<ParseOutput>) -> Vec<Vec<ParseOutput>> {
    let mut groups: Vec<Vec<ParseOutput>> = Vec::new();
    for out in outputs {
        let nested = graph_of(&out).is_some_and(|g| g.called_from.is_some());
        match groups.last_mut() {
            Some(last) if nested => last.push(out),
            _ => groups.push(vec![out]),
        }
    }
    groups
}

/// Per-file facts of the current scan.
struct Scan<'a> {
    /// Path → (content hash, kind, flags).
    files: BTreeMap<&'a str, FileEntry>,
    /// Terraform module directory → its files (scanned and downloaded).
    tf_dirs: BTreeMap<&'a str, Vec<&'a LazyFile>>,
    /// Hash of every CloudFormation candidate (path, content).
    cfn_all: String,
    /// Hash of the Terraform module directories and `modules.json` keys.
    tf_structure: String,
    /// Some Terraform plan is in the scan.
    has_plans: bool,
    /// The scan root on disk (file function reads).
    root: &'a Path,
    /// The scan root's directory name: Terraform's `path.cwd` in a root module at the scan
    /// root (`wa_lint_terraform`'s `Fs::path_value`), so part of such a unit's key.
    root_name: String,
    /// Files by path (their texts are read when needed).
    by_path: BTreeMap<&'a str, &'a LazyFile>,
}

impl<'a> Scan<'a> {
    /// The scan's facts; module shapes of files unchanged since `old` are taken from it.
    fn new(input: &Input<'a>, old: Option<&Manifest>) -> Self {
        let mut kinds: BTreeMap<&str, &str> = BTreeMap::new();
        for f in input.cfn_files {
            kinds.insert(&f.path, "cfn");
        }
        let mut tf_dirs: BTreeMap<&str, Vec<&LazyFile>> = BTreeMap::new();
        for (dir, files) in input
            .tf_project
            .modules
            .iter()
            .chain(&input.tf_project.downloaded)
        {
            for f in files {
                kinds.insert(&f.path, "tf");
            }
            tf_dirs.entry(dir).or_default().extend(files.iter());
        }
        for f in &input.tf_project.plans {
            kinds.insert(&f.path, "plan");
        }
        let files: BTreeMap<&str, FileEntry> = input
            .files
            .par_iter()
            .map(|f| {
                let kind = kinds.get(f.path.as_str()).copied().unwrap_or("other");
                let Digest { hash, flags } = match input.digests.get(&f.path) {
                    Some(known) => known.clone(),
                    None => match f.text() {
                        Ok(text) => digest_of(f, &text, kind != "other"),
                        // Its unit reports it (and is not stored).
                        Err(_) => Digest {
                            hash: "unreadable".to_owned(),
                            flags: 0,
                        },
                    },
                };
                let shape = if flags & MODULE == 0 {
                    String::new()
                } else if let Some(e) = old
                    .and_then(|m| m.files.get(&f.path))
                    .filter(|e| e.hash == hash && !e.shape.is_empty())
                {
                    e.shape.clone()
                } else {
                    // Empty when unreadable: then no edit counts as keeping the calls.
                    f.text()
                        .map(|text| module_shape(&f.path, &text))
                        .unwrap_or_default()
                };
                (
                    f.path.as_str(),
                    FileEntry {
                        hash,
                        kind: kind.to_owned(),
                        flags,
                        shape,
                    },
                )
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        let mut h = blake3::Hasher::new();
        for f in input.cfn_files {
            field(&mut h, f.path.as_bytes());
            field(
                &mut h,
                files
                    .get(f.path.as_str())
                    .map_or("", |e| &e.hash)
                    .as_bytes(),
            );
        }
        let cfn_all = hex(&h);
        let mut h = blake3::Hasher::new();
        for dir in tf_dirs.keys() {
            field(&mut h, dir.as_bytes());
        }
        field(&mut h, b"--");
        for ((root, key), dir) in &input.tf_project.module_keys {
            field(&mut h, root.as_bytes());
            field(&mut h, key.as_bytes());
            field(&mut h, dir.as_bytes());
        }
        let tf_structure = hex(&h);
        Self {
            files,
            tf_dirs,
            cfn_all,
            tf_structure,
            has_plans: !input.tf_project.plans.is_empty(),
            root: input.root,
            root_name: input
                .root
                .canonicalize()
                .ok()
                .and_then(|r| r.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_default(),
            by_path: input.files.iter().map(|f| (f.path.as_str(), f)).collect(),
        }
    }

    fn flags_of(&self, deps: &BTreeSet<String>) -> u8 {
        deps.iter()
            .filter_map(|d| self.files.get(d.as_str()))
            .fold(0, |acc, e| acc | e.flags)
    }

    /// A unit's manifest entry: the files it was built from (see the module docs), its key,
    /// the files its file functions read.
    fn deps_and_key(&self, global: &str, front: Front, outputs: &[ParseOutput]) -> GroupEntry {
        let mut deps: BTreeSet<String> = BTreeSet::new();
        for out in outputs {
            for g in graphs(out) {
                deps.extend(g.unit.files.iter().map(|(_, p)| p.clone()));
            }
            deps.extend(
                out.diagnostics
                    .iter()
                    .filter_map(|d| d.path.as_deref())
                    .filter(|p| self.files.contains_key(p))
                    .map(str::to_owned),
            );
        }
        let root = outputs
            .first()
            .and_then(graph_of)
            .map(|g| g.unit.path.clone())
            .or_else(|| deps.first().cloned())
            .unwrap_or_default();
        if front == Front::Tf {
            let dirs: BTreeSet<&str> = deps
                .iter()
                .map(|p| p.rsplit_once('/').map_or(".", |(d, _)| d))
                .chain(std::iter::once(root.as_str()))
                .collect();
            let more: Vec<String> = dirs
                .iter()
                .filter_map(|d| self.tf_dirs.get(d))
                .flatten()
                .map(|f| f.path.clone())
                .collect();
            deps.extend(more);
        }
        let flags = self.flags_of(&deps);
        let uncacheable = deps.is_empty()
            || (front == Front::Tf && self.has_plans)
            || deps.iter().any(|d| !self.files.contains_key(d.as_str()));
        if uncacheable {
            return GroupEntry {
                front,
                root,
                deps: deps.into_iter().collect(),
                key: None,
                reads: Vec::new(),
            };
        }
        let reads: Vec<(String, String)> = outputs
            .iter()
            .flat_map(graphs)
            .flat_map(|g| g.files_read.iter().cloned())
            .collect::<BTreeSet<String>>()
            .into_iter()
            .map(|p| {
                let hash = hash_on_disk(self.root, &p);
                (p, hash)
            })
            .collect();
        let mut h = blake3::Hasher::new();
        field(&mut h, global.as_bytes());
        field(&mut h, format!("{front:?}").as_bytes());
        field(&mut h, root.as_bytes());
        if front == Front::Tf && root == "." {
            field(&mut h, b"cwd");
            field(&mut h, self.root_name.as_bytes());
        }
        for d in &deps {
            field(&mut h, d.as_bytes());
            field(
                &mut h,
                self.files
                    .get(d.as_str())
                    .map_or("", |e| &e.hash)
                    .as_bytes(),
            );
        }
        if front == Front::Cfn && flags & (NEST | IMPORT | ESCAPE) != 0 {
            field(&mut h, b"cfn-all");
            field(&mut h, self.cfn_all.as_bytes());
        }
        if front == Front::Tf && flags & MODULE != 0 {
            field(&mut h, b"tf-structure");
            field(&mut h, self.tf_structure.as_bytes());
        }
        for (path, hash) in &reads {
            field(&mut h, b"read");
            field(&mut h, path.as_bytes());
            field(&mut h, hash.as_bytes());
        }
        GroupEntry {
            front,
            root,
            deps: deps.into_iter().collect(),
            key: Some(hex(&h)),
            reads,
        }
    }
}

/// False for the record of a unit a file of which vanished or changed during the run
/// (`source::io`, `source::changed`): a passing state, not the unit's result, so it is not
/// stored (a later run on the restored file would replay the error).
fn storable(record: &Record) -> bool {
    !record.diagnostics.iter().any(LazyFile::is_unread)
}

/// Runs parse (where needed) and evaluation through the cache.
pub(crate) fn run(input: &Input<'_>) -> Output {
    let store = Store::open(&input.cache.dir);
    let global = global_digest(input);
    let run_name = run_digest(&global, input);
    let old = store
        .as_ref()
        .and_then(|s| s.manifest(&run_name))
        .filter(|m| m.format == FORMAT && m.global == global);
    let scan = Scan::new(input, old.as_ref());
    let by_id = FileMap::new(input.files);
    let ctx = Ctx {
        input,
        store: store.as_ref(),
        global: &global,
        scan: &scan,
        by_id: &by_id,
    };

    let mut done: Vec<(GroupEntry, Record, bool)> = Vec::new();
    let mut not_templates = Vec::new();
    let mut parsed = 0;
    for front in [Front::Cfn, Front::Tf] {
        let fast = old.as_ref().and_then(|m| ctx.fast_plan(m, front));
        let (groups, nt, p) = match fast {
            Some(plan) => ctx.incremental(plan),
            None => ctx.whole(front),
        };
        done.extend(groups);
        not_templates.extend(nt);
        parsed += p;
    }

    let stats = CacheStats {
        hits: done.iter().filter(|(_, _, hit)| *hit).count(),
        misses: done.iter().filter(|(_, _, hit)| !*hit).count(),
        parsed,
    };
    not_templates.sort();
    not_templates.dedup();
    if let Some(store) = &store {
        let manifest = Manifest {
            format: FORMAT,
            global: global.clone(),
            files: scan
                .files
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
            groups: done.iter().map(|(g, _, _)| g.clone()).collect(),
            not_templates: not_templates.clone(),
            structure: scan.tf_structure.clone(),
        };
        let unchanged = old.as_ref().is_some_and(|m| {
            stats.misses == 0 && m.files == manifest.files && m.structure == manifest.structure
        });
        if !unchanged {
            store.put_manifest(&run_name, &manifest);
        }
        store.prune();
    }
    Output {
        records: done.into_iter().map(|(_, r, _)| r).collect(),
        not_templates,
        stats,
        memo: Memo::open(
            store
                .as_ref()
                .map(|s| s.runs.join(format!("{global}.suppress.cache"))),
        ),
    }
}

/// What the fast path does for one front end.
struct FastPlan<'m> {
    front: Front,
    /// Units of the last run whose files did not change: read from their records.
    keep: Vec<&'m GroupEntry>,
    /// Units to parse again on their own files.
    redo: Vec<&'m GroupEntry>,
    not_templates: Vec<String>,
}

struct Ctx<'a> {
    input: &'a Input<'a>,
    store: Option<&'a Store>,
    global: &'a str,
    scan: &'a Scan<'a>,
    by_id: &'a FileMap<'a>,
}

impl Ctx<'_> {
    /// Whether the last run's units of `front` still stand (see the module docs), and which
    /// must be parsed again. `None`: parse the front end whole.
    fn fast_plan<'m>(&self, old: &'m Manifest, front: Front) -> Option<FastPlan<'m>> {
        let kinds: &[&str] = match front {
            Front::Cfn => &["cfn"],
            Front::Tf => &["tf", "plan"],
        };
        if front == Front::Tf && (self.scan.has_plans || old.structure != self.scan.tf_structure) {
            return None;
        }
        let paths: BTreeSet<&str> = old
            .files
            .keys()
            .map(String::as_str)
            .chain(self.scan.files.keys().copied())
            .collect();
        let any_import = self
            .scan
            .files
            .values()
            .any(|e| e.kind == "cfn" && e.flags & IMPORT != 0);
        let mut deps_of_front: BTreeSet<&str> = BTreeSet::new();
        for g in old.groups.iter().filter(|g| g.front == front) {
            deps_of_front.extend(g.deps.iter().map(String::as_str));
        }
        let mut changed: BTreeSet<&str> = BTreeSet::new();
        for p in paths {
            let (was, is) = (old.files.get(p), self.scan.files.get(p));
            let relevant = [was, is]
                .iter()
                .flatten()
                .any(|e| kinds.contains(&e.kind.as_str()));
            if !relevant
                || was.map(|e| &e.hash) == is.map(|e| &e.hash)
                    && was.map(|e| &e.kind) == is.map(|e| &e.kind)
            {
                continue;
            }
            let (Some(was), Some(is)) = (was, is) else {
                return None; // added or removed
            };
            if was.kind != is.kind || !deps_of_front.contains(p) {
                return None;
            }
            let markers = match front {
                Front::Cfn if any_import => NEST | IMPORT | EXPORT | ESCAPE,
                Front::Cfn => NEST | IMPORT | ESCAPE,
                Front::Tf => MODULE,
            };
            // A Terraform file whose module calls did not change cannot move roots.
            let same_calls = front == Front::Tf
                && was.flags & MODULE != 0
                && is.flags & MODULE != 0
                && !was.shape.is_empty()
                && was.shape == is.shape;
            if (was.flags | is.flags) & markers != 0 && !same_calls {
                return None;
            }
            changed.insert(p);
        }
        let mut keep = Vec::new();
        let mut redo = Vec::new();
        for g in old.groups.iter().filter(|g| g.front == front) {
            let touched = g.deps.iter().any(|d| changed.contains(d.as_str()))
                || g.reads
                    .iter()
                    .any(|(p, hash)| hash_on_disk(self.scan.root, p) != *hash);
            if touched || g.key.is_none() {
                // A unit that may import cannot be parsed without the exporters.
                if front == Front::Cfn
                    && any_import
                    && g.deps
                        .iter()
                        .filter_map(|d| self.scan.files.get(d.as_str()))
                        .any(|e| e.flags & IMPORT != 0)
                {
                    return None;
                }
                redo.push(g);
            } else {
                keep.push(g);
            }
        }
        Some(FastPlan {
            front,
            keep,
            redo,
            not_templates: if front == Front::Cfn {
                old.not_templates.clone()
            } else {
                Vec::new()
            },
        })
    }

    /// The fast path: records of the kept units, the others parsed on their own files.
    #[allow(clippy::type_complexity)]
    fn incremental(
        &self,
        plan: FastPlan<'_>,
    ) -> (Vec<(GroupEntry, Record, bool)>, Vec<String>, usize) {
        let loaded: Vec<(&GroupEntry, Option<Record>)> = plan
            .keep
            .par_iter()
            .map(|g| {
                let record = g
                    .key
                    .as_deref()
                    .and_then(|k| self.store?.record(k))
                    .filter(|r| self.fits(r));
                (*g, record)
            })
            .collect();
        let mut out = Vec::new();
        let mut redo: Vec<&GroupEntry> = plan.redo;
        for (g, record) in loaded {
            match record {
                Some(r) => out.push((g.clone(), r, true)),
                None => redo.push(g),
            }
        }
        let mut not_templates = plan.not_templates;
        // Each unit parsed again and reduced to its record in the same worker.
        #[allow(clippy::type_complexity)]
        let jobs: Vec<(Option<(GroupEntry, Record, bool)>, Vec<String>)> = redo
            .par_iter()
            .map_init(
                || None,
                |ev, g| {
                    let (outputs, nt) = self.reparse(plan.front, g);
                    let done =
                        (!outputs.is_empty()).then(|| self.evaluate(plan.front, outputs, ev));
                    (done, nt)
                },
            )
            .collect();
        let parsed = jobs.len();
        for (done, nt) in jobs {
            not_templates.extend(nt);
            out.extend(done);
        }
        (out, not_templates, parsed)
    }

    /// Parses unit `g` again on its own files; its outputs and the files that turned out not
    /// to be templates.
    fn reparse(&self, front: Front, g: &GroupEntry) -> (Vec<ParseOutput>, Vec<String>) {
        let deps: BTreeSet<&str> = g.deps.iter().map(String::as_str).collect();
        match front {
            Front::Cfn => {
                let files: Vec<LazyFile> = self
                    .input
                    .cfn_files
                    .iter()
                    .filter(|f| deps.contains(f.path.as_str()))
                    .cloned()
                    .collect();
                let project = wa_lint_cfn::parse_project_each(
                    &files,
                    self.input.cfn_options,
                    || (),
                    |(), outs| outs,
                );
                let nt = project
                    .not_templates
                    .iter()
                    .filter_map(|id| self.by_id.lazy(*id).map(|f| f.path.clone()))
                    .collect();
                let outputs = cfn_groups(project.units.into_iter().flatten().collect())
                    .into_iter()
                    .find(|outs| {
                        outs.first()
                            .and_then(graph_of)
                            .map(|gr| gr.unit.path.as_str())
                            .or_else(|| {
                                outs.first()
                                    .and_then(|o| o.diagnostics.first())
                                    .and_then(|d| d.path.as_deref())
                            })
                            == Some(g.root.as_str())
                    })
                    .unwrap_or_default();
                (outputs, nt)
            }
            Front::Tf => {
                // The directories the root can reach through local `source`s (read from the
                // text, so calls that were not instantiated count too) and its downloads.
                let mut todo: Vec<String> = deps
                    .iter()
                    .map(|p| p.rsplit_once('/').map_or(".", |(d, _)| d).to_owned())
                    .chain(std::iter::once(g.root.clone()))
                    .chain(
                        self.input
                            .tf_project
                            .module_keys
                            .iter()
                            .filter(|((root, _), _)| *root == g.root)
                            .map(|(_, dir)| dir.clone()),
                    )
                    .collect();
                let mut dirs: BTreeSet<String> = BTreeSet::new();
                while let Some(d) = todo.pop() {
                    if !dirs.insert(d.clone()) {
                        continue;
                    }
                    for f in self.scan.tf_dirs.get(d.as_str()).into_iter().flatten() {
                        let Ok(text) = f.text() else { continue };
                        todo.extend(
                            local_sources(&text)
                                .into_iter()
                                .filter_map(|s| join_rel(&d, s))
                                .filter(|t| self.scan.tf_dirs.contains_key(t.as_str())),
                        );
                    }
                }
                let pick = |list: &Vec<(String, Vec<LazyFile>)>| {
                    list.iter()
                        .filter(|(d, _)| dirs.contains(d.as_str()))
                        .cloned()
                        .collect::<Vec<_>>()
                };
                let project = wa_lint_terraform::Project {
                    modules: pick(&self.input.tf_project.modules),
                    downloaded: pick(&self.input.tf_project.downloaded),
                    module_keys: self.input.tf_project.module_keys.clone(),
                    plans: Vec::new(),
                };
                let outputs = wa_lint_terraform::parse_project(&project, self.input.module_options)
                    .into_iter()
                    .filter(|o| graph_of(o).is_some_and(|gr| gr.unit.path == g.root))
                    .take(1)
                    .collect();
                (outputs, Vec::new())
            }
        }
    }

    /// The slow path: the whole front end parsed, each unit looked up by key (and evaluated
    /// when missing) in the worker that built it.
    #[allow(clippy::type_complexity)]
    fn whole(&self, front: Front) -> (Vec<(GroupEntry, Record, bool)>, Vec<String>, usize) {
        let (done, not_templates) = match front {
            Front::Cfn => {
                let project = wa_lint_cfn::parse_project_each(
                    self.input.cfn_files,
                    self.input.cfn_options,
                    || None,
                    |ev, outputs| self.evaluate(front, outputs, ev),
                );
                let nt = project
                    .not_templates
                    .iter()
                    .filter_map(|id| self.by_id.lazy(*id).map(|f| f.path.clone()))
                    .collect();
                (project.units, nt)
            }
            Front::Tf => (
                wa_lint_terraform::parse_project_each(
                    self.input.tf_project,
                    self.input.module_options,
                    || None,
                    |ev, output| self.evaluate(front, vec![output], ev),
                ),
                Vec::new(),
            ),
        };
        let parsed = done.len();
        (done, not_templates, parsed)
    }

    /// Looks the unit made of `outputs` up by key; evaluates (and stores) it when missing,
    /// with the worker's evaluator `ev` (made on first use). The outputs are dropped on return.
    fn evaluate(
        &self,
        front: Front,
        outputs: Vec<ParseOutput>,
        ev: &mut Option<wa_lint_rules::Evaluator>,
    ) -> (GroupEntry, Record, bool) {
        let mut unit = self.input.gauge.hold(outputs);
        crate::limits::enforce_resources(&mut unit.outputs, self.input.limits.resources);
        let entry = self.scan.deps_and_key(self.global, front, &unit.outputs);
        let key = entry.key.clone();
        let cached = key
            .as_deref()
            .and_then(|k| self.store?.record(k))
            .filter(|r| self.fits(r));
        if let Some(record) = cached {
            return (entry, record, true);
        }
        let ev = ev.get_or_insert_with(|| self.input.pack.evaluator());
        let record = reduce(unit, ev, self.input.pack, self.by_id);
        if let (Some(k), Some(store), true) = (key.as_deref(), self.store, storable(&record)) {
            store.put_record(k, &record);
        }
        (entry, record, false)
    }

    /// True when every location of `record` lies inside a current file (a record that does
    /// not fit is a miss; keys make this hold unless the entry was edited or damaged).
    fn fits<'r>(&self, record: &'r Record) -> bool {
        // The record's key holds the content hash of every file it was built from, so its
        // ranges were valid in these texts; a range past a file's end (a damaged or foreign
        // entry) is a miss. Checked on lengths, without reading the files again.
        let ok = |path: &'r str, range: TextRange| {
            self.scan
                .by_path
                .get(path)
                .is_some_and(|f| range.start <= range.end && range.end as usize <= f.len())
        };
        let loc = |l: &'r crate::Location| ok(&l.path, l.range);
        record.findings.iter().all(|f| {
            loc(&f.location)
                && f.related.iter().all(|r| loc(&r.location))
                && f.suppression
                    .as_ref()
                    .and_then(|s| s.location.as_ref())
                    .is_none_or(loc)
        }) && record.diagnostics.iter().all(|d| match (&d.path, d.range) {
            (Some(p), Some(r)) => ok(p, r) && d.related.iter().all(|(rr, _)| ok(p, *rr)),
            _ => true,
        })
    }
}

/// The string values of `source = "…"` (HCL) and `"source": "…"` (JSON) in `text` that are
/// local paths (`./`, `../`): the module directories a file may call. Over-approximates
/// (any block's `source` counts).
fn local_sources(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let ident =
        |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-');
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find("source")) {
        let start = from + i;
        from = start + 6;
        if start > 0 && ident(bytes.get(start - 1)) {
            continue;
        }
        let mut j = start + 6;
        if ident(bytes.get(j)) {
            continue;
        }
        if bytes.get(j) == Some(&b'"') {
            j += 1;
        }
        while bytes.get(j).is_some_and(|b| *b == b' ' || *b == b'\t') {
            j += 1;
        }
        if !matches!(bytes.get(j), Some(b'=' | b':')) {
            continue;
        }
        j += 1;
        while bytes.get(j).is_some_and(|b| *b == b' ' || *b == b'\t') {
            j += 1;
        }
        if bytes.get(j) != Some(&b'"') {
            continue;
        }
        let rest = text.get(j + 1..).unwrap_or_default();
        let value = rest.split('"').next().unwrap_or_default();
        if value.starts_with("./") || value.starts_with("../") || value == "." || value == ".." {
            out.push(value);
        }
    }
    out
}

/// `rel` joined to directory `base` (both relative to the scan root, `.` for the root), `.`
/// and `..` folded; `None` when it leaves the scan root.
fn join_rel(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn records_with_files_that_changed_during_the_run_are_not_stored() {
        let mut record = Record::default();
        assert!(storable(&record));
        record.diagnostics.push(wa_lint_source::Diagnostic::error(
            "cfn::syntax",
            "t.yaml",
            None,
            "bad",
        ));
        assert!(storable(&record), "a parse error is the unit's result");
        for code in ["source::io", "source::changed"] {
            let mut r = record.clone();
            r.diagnostics.push(wa_lint_source::Diagnostic::error(
                code, "t.yaml", None, "gone",
            ));
            assert!(!storable(&r), "{code}");
        }
    }

    #[test]
    fn local_module_sources() {
        let hcl = "module \"a\" {\n  source = \"../modules/a\"\n}\nmodule \"b\" { source=\"./b\" }\nmodule \"r\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\nx { source_dir = \"./no\" }\n";
        assert_eq!(local_sources(hcl), vec!["../modules/a", "./b"]);
        assert_eq!(
            local_sources("{\"module\": {\"a\": {\"source\": \"./a\"}}}"),
            vec!["./a"]
        );
        assert_eq!(
            join_rel("examples/x", "../../modules/a").as_deref(),
            Some("modules/a")
        );
        assert_eq!(join_rel(".", "./m").as_deref(), Some("m"));
        assert_eq!(join_rel("a", "..").as_deref(), Some("."));
        assert_eq!(join_rel("a", "../.."), None);
    }

    #[test]
    fn module_calls_and_cfn_markers() {
        assert_eq!(flags("a/main.tf", "module \"vpc\" {\n}\n") & MODULE, MODULE);
        assert_eq!(flags("a/main.tf", "x = module.vpc.id\n") & MODULE, 0);
        assert_eq!(flags("a/main.tf.json", "{\"module\": {}}") & MODULE, MODULE);
        let t = "Resources:\n  S:\n    Type: AWS::CloudFormation::Stack\n";
        assert_eq!(flags("t.yaml", t) & NEST, NEST);
        assert_eq!(flags("t.yaml", "X: !ImportValue y") & IMPORT, IMPORT);
        assert_eq!(
            flags("t.json", "{\"Fn::Import\\u0056alue\": 1}") & ESCAPE,
            ESCAPE
        );
        assert_eq!(flags("t.yaml", "Resources: {}"), 0);
    }

    #[test]
    fn writes_are_atomic_and_unreadable_entries_are_misses() {
        let dir = std::env::temp_dir().join(format!("wa-lint-cache-unit-{}", std::process::id()));
        let store = Store::open(&dir).unwrap();
        let record = Record {
            units: 2,
            ..Record::default()
        };
        store.put_record("k", &record);
        assert_eq!(store.record("k").unwrap().units, 2);
        std::fs::write(dir.join("units/k.cache"), b"{not json").unwrap();
        assert!(store.record("k").is_none());
        assert!(store.record("missing").is_none());
        let leftovers: Vec<_> = std::fs::read_dir(dir.join("units"))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp."))
            .collect();
        assert!(leftovers.is_empty());
        assert!(dir.join(".gitignore").exists() && dir.join("CACHEDIR.TAG").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
