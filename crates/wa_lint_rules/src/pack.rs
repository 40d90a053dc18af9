//! The compiled rules pack: metadata of every rule plus prepared `regorus` engines, one per
//! group of rules (see `groups` for why the pack is split).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use regorus::rvm::Program;
use regorus::utils::limits::ExecutionTimerConfig;
use regorus::Engine;
use wa_lint_graph::ResourceGraph;

use crate::dispatch::{self, Dispatch};
use crate::metadata::{classify, package_of, ModuleKind};
use crate::{errors, groups, guards, image, sources, threads, vm, Evaluator, RuleMeta, RulesError};

/// Default wall-clock budget of one rule entry point (`deny` or `unknown`) on one unit.
pub const DEFAULT_RULE_TIMEOUT: Duration = Duration::from_secs(5);

/// Stack size of the threads that compile and evaluate rules: 64 MiB of address space, used as
/// the stack grows. regorus' interpreter recurses once per level of rule references (2 to 4 KB
/// a level): with a thread's default 2 MiB, a custom rule reading a chain of about 700 rules
/// (`r1 := r0 + 1`, `r2 := r1 + 1`, …) overflowed the stack, which aborts the process; 64 MiB
/// holds a chain of 15,000 (`crates/wa_lint/tests/hostile.rs`).
pub const STACK_BYTES: usize = 64 << 20;

/// Interpreter work units between two clock reads of regorus' execution timer.
const TIMER_CHECK_INTERVAL: u32 = 64;

/// The compiled rules pack. Cloning is cheap (shared metadata and engines).
#[derive(Clone)]
pub struct RulePack {
    pub(crate) shared: Arc<Shared>,
    /// Wall-clock budget of one rule entry point on one unit (see [`RulePack::set_rule_timeout`]).
    pub(crate) timeout: Duration,
    /// Indexes of the rules evaluated (see [`RulePack::restricted_to`]); `None`: every rule.
    pub(crate) enabled: Option<Arc<BTreeSet<usize>>>,
    /// Whether dispatch rules run on regorus' bytecode VM when their group has a program
    /// (see `vm`); `false` after [`RulePack::use_interpreter`].
    pub(crate) use_vm: bool,
}

/// What evaluators share.
#[derive(Debug)]
pub(crate) struct Shared {
    /// One prepared engine per group of rules (see `groups`); [`Entries::group`] indexes it.
    /// Evaluators work on copies ([`Shared::engine`]) and never change these. A group with a
    /// VM program (see `vm`) drops its engine at load (about 25 MB of heap for the built-in
    /// pack) and builds it again from `sources` the first time an evaluator needs it (a failed
    /// dispatch, [`RulePack::use_interpreter`]); `None` inside when that build fails.
    pub(crate) engines: Vec<OnceLock<Option<Engine>>>,
    /// Sorted by ID.
    pub(crate) rules: Vec<RuleMeta>,
    /// Per rule (same index): source path and the entry points it declares.
    pub(crate) entries: Vec<Entries>,
    /// Native resource type → indexes of the rules that read it (ascending).
    pub(crate) by_type: BTreeMap<String, Vec<usize>>,
    /// Per group (same index as the engines): its dispatch rule (see `dispatch`), `None` when
    /// it did not compile.
    pub(crate) dispatch: Vec<Option<Dispatch>>,
    /// Per group (same index): its dispatch rule compiled for regorus' bytecode VM (see `vm`),
    /// `None` when the group is evaluated by the interpreter only.
    pub(crate) programs: Vec<Option<Arc<Program>>>,
    /// The pack's `(path, Rego source)` modules, to build a dropped engine again.
    pub(crate) sources: Vec<(String, String)>,
    /// The modules of each group (same index as `engines`).
    pub(crate) plan: Vec<groups::Group>,
    /// Whether the programs and entry points come from the built-in pack's image.
    pub(crate) from_image: bool,
}

/// A rule's source file and its `deny` / `unknown` rule paths, when declared.
#[derive(Debug)]
pub(crate) struct Entries {
    pub(crate) source: String,
    pub(crate) deny: Option<String>,
    pub(crate) unknown: Option<String>,
    /// Index of the engine that evaluates the rule.
    pub(crate) group: usize,
}

impl fmt::Debug for RulePack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RulePack")
            .field("rules", &self.shared.rules.len())
            .finish_non_exhaustive()
    }
}

impl RulePack {
    /// The built-in pack (embedded in the binary at build time from the workspace `rules/`
    /// directory) plus `.rego` files under `extra_dirs` (each a directory walked recursively,
    /// or a single `.rego` file; `*_test.rego` and `fixtures/` directories are skipped).
    ///
    /// # Errors
    /// [`RulesError`] when a rule cannot be read, has invalid METADATA, repeats a rule ID or
    /// package, or does not compile.
    pub fn load(extra_dirs: &[PathBuf]) -> Result<Self, RulesError> {
        let mut all = sources::embedded();
        for dir in extra_dirs {
            all.extend(sources::from_dir(dir)?);
        }
        Self::from_sources(&all)
    }

    /// A pack from `(path, Rego source)` pairs (the path is used in messages only), without the
    /// embedded pack. Modules in package `walint.rules.<name>` are rules and need METADATA;
    /// all other modules (`walint.lib.*`, user helpers) are compiled as libraries.
    ///
    /// # Errors
    /// As [`RulePack::load`].
    pub fn from_sources(sources: &[(String, String)]) -> Result<Self, RulesError> {
        Self::from_sources_on(sources, 1)
    }

    /// [`RulePack::from_sources`], compiling the engine groups on up to `threads` threads
    /// (0: one per available core). The pack is the same whatever the count; the engine
    /// groups are independent, so two threads load the built-in pack in about half the wall
    /// time (`docs/benchmarks.md`, "Start-up and memory").
    ///
    /// # Errors
    /// As [`RulePack::load`]; with several errors, the one a single thread would meet first.
    pub fn from_sources_on(
        sources: &[(String, String)],
        threads: usize,
    ) -> Result<Self, RulesError> {
        Self::build(sources, threads, true)
    }

    /// [`RulePack::from_sources_on`] without the built-in pack's image (see `image`): every
    /// module is compiled with regorus even when the sources are the embedded pack's. For
    /// tests and for writing the image ([`RulePack::image`]).
    ///
    /// # Errors
    /// As [`RulePack::load`].
    pub fn compiled_from_sources(
        sources: &[(String, String)],
        threads: usize,
    ) -> Result<Self, RulesError> {
        Self::build(sources, threads, false)
    }

    /// Whether this pack was loaded from the built-in pack's image (see `image`) rather than
    /// compiled.
    pub fn from_image(&self) -> bool {
        self.shared.from_image
    }

    /// The image of this pack (see `image`): `None` unless every group has a VM program.
    pub fn image(&self) -> Option<Vec<u8>> {
        let programs: Option<Vec<Arc<Program>>> = self.shared.programs.iter().cloned().collect();
        let entries: Vec<(bool, bool)> = self
            .shared
            .entries
            .iter()
            .map(|e| (e.deny.is_some(), e.unknown.is_some()))
            .collect();
        image::encode(&image::digest(&self.shared.sources), &programs?, &entries)
    }

    fn build(
        sources: &[(String, String)],
        threads: usize,
        use_image: bool,
    ) -> Result<Self, RulesError> {
        let mut kinds = Vec::with_capacity(sources.len());
        for (path, text) in sources {
            kinds.push(classify(path, text)?);
        }
        let modules: Vec<groups::Module<'_>> = sources
            .iter()
            .zip(&kinds)
            .map(|((path, text), kind)| groups::Module {
                path,
                text,
                package: match kind {
                    ModuleKind::Rule(meta) => meta.package.as_str(),
                    ModuleKind::Library => package_of(text).unwrap_or_default(),
                },
                is_rule: matches!(kind, ModuleKind::Rule(_)),
            })
            .collect();
        let plan = groups::plan(&modules);

        // Rules sorted by ID (their index in the pack) with the group evaluating each.
        let group_of: BTreeMap<usize, usize> = plan
            .iter()
            .enumerate()
            .flat_map(|(g, group)| group.rules.iter().map(move |&i| (i, g)))
            .collect();
        let mut found: Vec<(RuleMeta, String, usize)> = Vec::new();
        for (i, ((path, _), kind)) in sources.iter().zip(kinds).enumerate() {
            if let (ModuleKind::Rule(meta), Some(&g)) = (kind, group_of.get(&i)) {
                found.push((meta, path.clone(), g));
            }
        }
        found.sort_by(|a, b| (&a.0.id, &a.1).cmp(&(&b.0.id, &b.1)));

        let rules_of = |g: usize| -> Vec<(usize, &RuleMeta, &str)> {
            found
                .iter()
                .enumerate()
                .filter(|(_, (_, _, rg))| *rg == g)
                .map(|(index, (meta, path, _))| (index, meta, path.as_str()))
                .collect()
        };
        let image = use_image
            .then(|| image::embedded_for(sources))
            .flatten()
            .filter(|i| i.programs.len() == plan.len() && i.entries.len() == found.len());
        let from_image = image.is_some();
        let mut groups_built = Vec::with_capacity(plan.len());
        if let Some(image) = image {
            for (g, program) in image.programs.into_iter().enumerate() {
                let rules = rules_of(g);
                let declared: Vec<(usize, Result<Declared, RulesError>)> = rules
                    .iter()
                    .map(|&(index, meta, _)| {
                        let (deny, unknown) = image.entries.get(index).copied().unwrap_or_default();
                        let path = |has: bool, name: &str| {
                            has.then(|| format!("data.{}.{name}", meta.package))
                        };
                        (index, Ok((path(deny, "deny"), path(unknown, "unknown"))))
                    })
                    .collect();
                groups_built.push(GroupBuild {
                    dispatch: Some(dispatch_for(g, &rules, &declared)),
                    declared,
                    prepared: Ok(()),
                    program: Some(program),
                    engine: None,
                });
            }
        } else {
            // Each group built on up to `threads` threads: its engine, its rules' entry points,
            // its dispatch rule and program; its engine is dropped once the program compiled.
            let work: Vec<(usize, &groups::Group)> = plan.iter().enumerate().collect();
            let built = threads::map(&work, threads, |&(g, group)| {
                build_group(g, group, sources, &rules_of(g))
            });
            for group in built {
                groups_built.push(group?);
            }
        }
        check_unique(&found)?;

        let mut declared: BTreeMap<usize, Result<Declared, RulesError>> = groups_built
            .iter_mut()
            .flat_map(|b| std::mem::take(&mut b.declared))
            .collect();
        let mut rules = Vec::with_capacity(found.len());
        let mut entries = Vec::with_capacity(found.len());
        let mut by_type: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, (meta, source, group)) in found.into_iter().enumerate() {
            let (deny, unknown) =
                declared
                    .remove(&index)
                    .ok_or_else(|| RulesError::Compile {
                        path: source.clone(),
                        message: "rule without an engine".to_owned(),
                    })??;
            if deny.is_none() && unknown.is_none() {
                return Err(RulesError::Compile {
                    path: source,
                    message: format!("rule {} defines neither `deny` nor `unknown`", meta.id),
                });
            }
            for rtype in &meta.resource_types {
                by_type.entry(rtype.clone()).or_default().push(index);
            }
            entries.push(Entries {
                source,
                deny,
                unknown,
                group,
            });
            rules.push(meta);
        }
        let mut engines = Vec::with_capacity(groups_built.len());
        let mut dispatch = Vec::with_capacity(groups_built.len());
        let mut programs = Vec::with_capacity(groups_built.len());
        for b in groups_built {
            b.prepared?;
            let engine = OnceLock::new();
            if let Some(kept) = b.engine {
                let _ = engine.set(Some(kept));
            }
            engines.push(engine);
            dispatch.push(b.dispatch);
            programs.push(b.program);
        }
        Ok(Self {
            shared: Arc::new(Shared {
                engines,
                rules,
                entries,
                by_type,
                dispatch,
                programs,
                sources: sources.to_vec(),
                plan,
                from_image,
            }),
            timeout: DEFAULT_RULE_TIMEOUT,
            enabled: None,
            use_vm: true,
        })
    }

    /// Evaluates every rule with regorus' interpreter only, never its bytecode VM (see
    /// `docs/architecture.md`, "Evaluation"): slower (about half the speed), for comparing the two
    /// and as a way out should the VM be suspected of a wrong result (`WA_LINT_INTERPRETER=1`
    /// in the CLI).
    pub fn use_interpreter(&mut self) {
        self.use_vm = false;
    }

    /// How many engine groups run on regorus' bytecode VM (0 after
    /// [`RulePack::use_interpreter`]), of [`RulePack::groups`].
    pub fn vm_groups(&self) -> usize {
        if !self.use_vm {
            return 0;
        }
        self.shared.programs.iter().flatten().count()
    }

    /// How many engine groups the pack is compiled into (see `groups`).
    pub fn groups(&self) -> usize {
        self.shared.engines.len()
    }

    /// Sets the wall-clock budget of one rule entry point (`deny` or `unknown`) on one unit
    /// (default [`DEFAULT_RULE_TIMEOUT`]). A rule over budget becomes a [`crate::RuleError`].
    /// The timer is cooperative: regorus checks it between interpreter steps, so a single
    /// long-running builtin call is not interrupted.
    pub fn set_rule_timeout(&mut self, limit: Duration) {
        self.timeout = limit;
    }

    /// The same pack evaluating only the rules whose ID is in `ids` (`--only` / `--skip`): the
    /// others are never evaluated, so they cost nothing and report no rule errors. Metadata
    /// ([`RulePack::rules`]) stays complete, so result indexes are unchanged.
    #[must_use]
    pub fn restricted_to(&self, ids: &BTreeSet<String>) -> RulePack {
        let enabled: BTreeSet<usize> = self
            .shared
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| ids.contains(&r.id))
            .map(|(i, _)| i)
            .collect();
        let mut pack = self.clone();
        pack.enabled = (enabled.len() < self.shared.rules.len()).then(|| Arc::new(enabled));
        pack
    }

    /// IDs of the rules evaluated when the pack is restricted ([`RulePack::restricted_to`]),
    /// sorted; `None` when every rule is. Part of the incremental cache's key.
    pub fn restriction(&self) -> Option<Vec<&str>> {
        self.enabled.as_ref().map(|enabled| {
            enabled
                .iter()
                .filter_map(|&i| self.shared.rules.get(i))
                .map(|r| r.id.as_str())
                .collect()
        })
    }

    /// Metadata of every rule, sorted by ID. [`crate::RuleResult::rule`] indexes this slice.
    pub fn rules(&self) -> &[RuleMeta] {
        &self.shared.rules
    }

    /// The file rule `index` was read from: `<builtin>/<path under rules/>` for the embedded
    /// pack, the file path otherwise.
    pub fn source_path(&self, index: usize) -> Option<&str> {
        self.shared.entries.get(index).map(|e| e.source.as_str())
    }

    /// An evaluator for one worker thread (it works on copies of the compiled engines).
    pub fn evaluator(&self) -> Evaluator {
        Evaluator::new(self.clone())
    }
}

impl Shared {
    /// A working copy of the engine of `group` with an evaluation budget of `timeout`; `None`
    /// for a group that does not exist.
    pub(crate) fn engine(&self, group: usize, timeout: Duration) -> Option<Engine> {
        let cell = self.engines.get(group)?;
        let prepared = cell.get_or_init(|| self.rebuild(group)).as_ref()?;
        let mut engine = prepared.clone();
        set_timer(&mut engine, timeout);
        Some(engine)
    }

    /// The prepared engine of `group` built again from the pack's sources, as at load (its
    /// modules, its dispatch rule, analysed); `None` if that fails (it did not at load).
    fn rebuild(&self, group: usize) -> Option<Engine> {
        let mut engine = compile_group(self.plan.get(group)?, &self.sources).ok()?;
        if let Some(Some(d)) = self.dispatch.get(group) {
            engine
                .add_policy(d.module.0.clone(), d.module.1.clone())
                .ok()?;
        }
        engine.eval_query("true".to_owned(), false).ok()?;
        Some(engine)
    }

    /// Indexes of the rules whose `resource_types` occur in `graph`, ascending.
    pub(crate) fn applicable(&self, graph: &ResourceGraph) -> BTreeSet<usize> {
        // Declarations carry pseudo types (`AWS::CloudFormation::Parameter`, `terraform_output`,
        // …), so a rule about parameters or outputs declares those.
        let types: BTreeSet<&str> = graph
            .resources
            .values()
            .chain(graph.declarations.values())
            .map(|r| r.rtype.as_str())
            .collect();
        types
            .into_iter()
            .filter_map(|t| self.by_type.get(t))
            .flatten()
            .copied()
            .collect()
    }
}

/// The `(deny, unknown)` entry point paths a rule declares.
type Declared = (Option<String>, Option<String>);

/// The dispatch rule of group `g` (see `dispatch`) for its `rules` (as in [`build_group`]) and
/// the entry points they declare (same order; a rule whose entry points are unknown has none).
fn dispatch_for(
    g: usize,
    rules: &[(usize, &RuleMeta, &str)],
    declared: &[(usize, Result<Declared, RulesError>)],
) -> Dispatch {
    let mut slots = Vec::new();
    for (&(index, meta, _), (_, found)) in rules.iter().zip(declared) {
        if let Ok((deny, unknown)) = found {
            for (path, status) in [
                (deny, crate::ResultStatus::Fail),
                (unknown, crate::ResultStatus::Unknown),
            ] {
                if let Some(path) = path {
                    slots.push((index, meta.id.as_str(), path.as_str(), status));
                }
            }
        }
    }
    dispatch::build(g, &slots)
}

/// One group as built at load (see [`build_group`]).
struct GroupBuild {
    /// Per rule of the group (index in the pack): its entry points, or why they are unknown.
    declared: Vec<(usize, Result<Declared, RulesError>)>,
    /// The group's dispatch rule, `None` when regorus refused it.
    dispatch: Option<Dispatch>,
    /// Whether the modules were analysed without error.
    prepared: Result<(), RulesError>,
    /// The dispatch rule compiled for the VM (see `vm`).
    program: Option<Arc<Program>>,
    /// The prepared engine, kept only when the group has no program.
    engine: Option<Engine>,
}

/// Builds group `g`: a new engine with its modules (`compile_group`), the entry points of its
/// `rules` (`(index in the pack, metadata, source path)`), its dispatch rule (see `dispatch`;
/// `None` when regorus refuses the module, then the group's rules are evaluated one by one)
/// and the analysis of every module (regorus does it lazily on the first evaluation; done here
/// so errors surface at load), then the dispatch rule's VM program. The engine is dropped when
/// the program compiled, so the pack holds at most one engine per loading thread at a time.
///
/// # Errors
/// [`RulesError::Compile`] when a module does not compile.
fn build_group(
    g: usize,
    group: &groups::Group,
    sources: &[(String, String)],
    rules: &[(usize, &RuleMeta, &str)],
) -> Result<GroupBuild, RulesError> {
    let mut engine = compile_group(group, sources)?;
    let mut declared = Vec::with_capacity(rules.len());
    for &(index, meta, source) in rules {
        let entry = |name: &str| -> Result<Option<String>, RulesError> {
            let has = engine
                .has_declared_rule_rooted_at(source, name)
                .map_err(|e| RulesError::Compile {
                    path: source.to_owned(),
                    message: errors::one_line(&e.to_string()),
                })?;
            Ok(has.then(|| format!("data.{}.{name}", meta.package)))
        };
        let found = entry("deny").and_then(|deny| Ok((deny, entry("unknown")?)));
        declared.push((index, found));
    }
    let d = dispatch_for(g, rules, &declared);
    // A parse error here comes from a user rule's name, not from wa-lint's text, and
    // `add_policy` leaves the engine unchanged: evaluate that group rule by rule.
    let dispatch = engine
        .add_policy(d.module.0.clone(), d.module.1.clone())
        .is_ok()
        .then_some(d);
    let prepared = engine
        .eval_query("true".to_owned(), false)
        .map(|_| ())
        .map_err(|e| RulesError::Compile {
            path: "rules pack".to_owned(),
            message: errors::one_line(&e.to_string()),
        });
    // Only modules of the built-in pack run on the VM: its results there are checked against the
    // interpreter on every fixture and the shared corpus (`tests/vm.rs`); a group compiling a
    // user's module (`--rules`) stays on the interpreter.
    let builtin = group.compiled.iter().all(|&i| {
        sources
            .get(i)
            .is_some_and(|(path, _)| path.starts_with(sources::BUILTIN_PREFIX))
    });
    let program = match (&dispatch, &prepared) {
        (Some(d), Ok(())) if builtin => vm::compile(&mut engine, &d.rule_path),
        _ => None,
    };
    let engine = program.is_none().then_some(engine);
    Ok(GroupBuild {
        declared,
        dispatch,
        prepared,
        program,
        engine,
    })
}

/// A regorus engine as the pack's engines start: wa-lint's bounded builtins (`guards`) and a
/// wall-clock budget of `timeout` per evaluation (see [`RulePack::set_rule_timeout`]). For
/// running Rego unit tests with the same protections as rules.
///
/// # Errors
/// [`RulesError::Compile`] when an extension cannot be installed (a regorus change).
pub fn new_engine(timeout: Duration) -> Result<Engine, RulesError> {
    let mut engine = Engine::new();
    guards::install(&mut engine).map_err(|e| RulesError::Compile {
        path: "rules pack".to_owned(),
        message: errors::one_line(&e.to_string()),
    })?;
    set_timer(&mut engine, timeout);
    Ok(engine)
}

/// Sets `engine`'s execution timer to `limit`, checked every [`TIMER_CHECK_INTERVAL`] work units.
fn set_timer(engine: &mut Engine, limit: Duration) {
    let check_interval = NonZeroU32::new(TIMER_CHECK_INTERVAL).unwrap_or(NonZeroU32::MIN);
    engine.set_execution_timer_config(ExecutionTimerConfig {
        limit,
        check_interval,
    });
}

/// A new engine with wa-lint's extensions and the modules of `group`, in pack order.
fn compile_group(
    group: &groups::Group,
    sources: &[(String, String)],
) -> Result<Engine, RulesError> {
    let mut engine = new_engine(DEFAULT_RULE_TIMEOUT)?;
    for &i in &group.compiled {
        let Some((path, text)) = sources.get(i) else {
            continue;
        };
        engine
            .add_policy(path.clone(), text.clone())
            .map_err(|e| RulesError::Compile {
                path: path.clone(),
                message: errors::in_file(path, &e.to_string()),
            })?;
    }
    Ok(engine)
}

/// Rule IDs and rule packages must be unique across the pack. `found` is sorted by ID.
fn check_unique(found: &[(RuleMeta, String, usize)]) -> Result<(), RulesError> {
    for pair in found.windows(2) {
        if let [(a, a_path, _), (b, b_path, _)] = pair {
            if a.id == b.id {
                return Err(RulesError::Metadata {
                    path: b_path.clone(),
                    message: format!("duplicate rule ID `{}` (also in {a_path})", b.id),
                });
            }
        }
    }
    let mut packages: BTreeMap<&str, &str> = BTreeMap::new();
    for (meta, path, _) in found {
        if let Some(other) = packages.insert(&meta.package, path) {
            return Err(RulesError::Metadata {
                path: path.clone(),
                message: format!(
                    "package `{}` is also declared by {other}; one rule per package",
                    meta.package
                ),
            });
        }
    }
    Ok(())
}
