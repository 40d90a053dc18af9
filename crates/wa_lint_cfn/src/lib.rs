//! CloudFormation templates (JSON and YAML) → [`wa_lint_graph::ResourceGraph`].
//!
//! Pipeline per file: load the text into a [`wa_lint_graph::Node`] tree with byte spans (JSON
//! with `jsonc-parser` in strict mode, YAML from `saphyr-parser` events with short tags turned
//! into long form and anchors resolved), decide whether it is a template, then resolve
//! intrinsic functions, parameters, mappings and conditions per resource.
//!
//! Diagnostic codes: `cfn::syntax`, `cfn::duplicate-key`, `cfn::alias-limit`,
//! `cfn::structure` (errors) and `cfn::unknown-tag` (warning). Ranges are UTF-8 byte offsets
//! into [`SourceFile::text`].
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
// "CloudFormation" is a product name in prose, not an identifier to put in backticks.
#![allow(clippy::doc_markdown)]

mod conditions;
mod detect;
mod error;
mod foreach;
mod intrinsics;
mod json;
mod map_builder;
mod offsets;
mod params;
mod project;
mod repair;
mod resolve;
mod sam;
mod scalar;
mod sub;
mod tags;
mod template;
mod yaml;

use std::collections::BTreeMap;

use wa_lint_graph::{Node, ParseOutput, Scenario};
use wa_lint_source::{Diagnostic, Format, LazyFile, SourceFile};

/// Deepest nesting of mappings/sequences accepted in a file.
pub(crate) const MAX_DEPTH: usize = 200;

/// A loaded document: its root (if the file holds one) and non-fatal diagnostics.
pub(crate) struct Loaded {
    pub(crate) root: Option<Node>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Options for reading templates.
#[derive(Debug, Clone, Default)]
pub struct CfnOptions {
    /// Parameter values given by the user (`--cfn-param Name=Value`, parameter files), by
    /// parameter name. They win over `Default` and carry `ParameterValue` provenance. List
    /// parameters (`CommaDelimitedList`, `List<…>`) are split on commas.
    pub parameters: BTreeMap<String, String>,
    /// Condition values to assume, by condition name (`IsProd` → `true`), instead of
    /// evaluating them. Used for condition scenarios; conditions not named here are evaluated.
    pub conditions: BTreeMap<String, bool>,
}

/// Cheap textual test used during discovery: could this JSON/YAML file be a template?
/// True when the text names `AWSTemplateFormatVersion`, or has `Resources` and a `::` (as in
/// `AWS::S3::Bucket`, `Custom::Thing`, registry types). [`parse_template`] makes the real
/// decision, so this errs on the side of `true`.
pub fn sniff(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion") || (text.contains("Resources") && text.contains("::"))
}

/// All CloudFormation candidates of a scan, parsed together so that nested stacks and
/// `Export`/`Fn::ImportValue` pairs can be linked across files.
#[derive(Debug, Default)]
pub struct Project {
    /// One output per unit (a template, with the nested stacks it pulls in), in file order.
    pub units: Vec<ParseOutput>,
    /// Candidates that turned out not to be templates (skipped quietly).
    pub not_templates: Vec<wa_lint_source::FileId>,
}

/// Parses every candidate file (JSON/YAML that [`sniff`] accepted) of a scan.
///
/// Nested stacks (`AWS::CloudFormation::Stack` `TemplateURL` or CDK `aws:asset:path`,
/// `AWS::Serverless::Application` `Location`) that are local relative paths to scanned
/// templates are built with the parameters their parent passes, right after the parent, with
/// `graph.called_from` naming the parent's stack resource; such a child is not a unit of its
/// own. `Fn::ImportValue` of a name exported by another template of the scan gets the exported
/// value with [`wa_lint_graph::ProvenanceKind::Export`] provenance. Never panics.
pub fn parse_project(files: &[SourceFile], options: &CfnOptions) -> Project {
    // Nested stacks are followed and `Fn::ImportValue` linked to exports: see `project.rs`.
    let files: Vec<LazyFile> = files.iter().cloned().map(LazyFile::held).collect();
    project::parse(&files, options)
}

/// What [`parse_project_each`] returns: one value per unit, in file order.
#[derive(Debug, Default)]
pub struct ProjectUnits<R> {
    /// What the callback made of each unit (a template with the nested stacks it pulls in).
    pub units: Vec<R>,
    /// Candidates that turned out not to be templates (skipped quietly).
    pub not_templates: Vec<wa_lint_source::FileId>,
}

/// [`parse_project`], handing each unit to `each` as soon as it is built, in the worker
/// thread that built it: the outputs of the unit (the template first, then the nested stacks
/// it pulls in, as in [`Project::units`]) and a value `init` made once per worker job (rayon
/// `map_init`; e.g. a rule evaluator). The outputs are dropped when `each` returns, so a scan
/// holds the graphs of one unit per worker instead of every graph: callers that reduce a unit
/// to its report data keep memory bounded by the largest units. Returns what `each` made of
/// each unit, in file order, and the candidates that are not templates. Templates are read
/// in two passes: the first keeps only what links files (nested-stack paths, exports, whether
/// a template imports), the second loads each unit's documents again; so a scan holds the
/// documents of one unit per worker too. Each pass reads the text of a file it needs
/// ([`LazyFile::load`]): a file that can no longer be read, or changed since the caller first
/// read it, is a unit with that error diagnostic and no graph. Never panics.
pub fn parse_project_each<T, R, I, F>(
    files: &[LazyFile],
    options: &CfnOptions,
    init: I,
    each: F,
) -> ProjectUnits<R>
where
    R: Send,
    I: Fn() -> T + Sync + Send,
    F: Fn(&mut T, Vec<ParseOutput>) -> R + Sync + Send,
{
    project::parse_each(files, options, init, each)
}

/// Reads a parameter file: the AWS CLI's `[{"ParameterKey": …, "ParameterValue": …}]` JSON, a
/// plain `{Key: Value}` JSON/YAML mapping, or a CodePipeline template configuration
/// (`{"Parameters": {…}}`). Returns `(name, value)` pairs in file order; numbers and booleans
/// as their text, lists joined with commas. Pseudo parameters may be given too
/// (`AWS::Region`).
///
/// # Errors
/// A `cfn::parameter-file` (or `cfn::syntax`) error diagnostic located at the offending node
/// of `file` (byte range) when it is not one of those shapes.
pub fn parameter_file(file: &SourceFile) -> Result<Vec<(String, String)>, Box<Diagnostic>> {
    params::read(file)
}

/// Loads a JSON or YAML file into its document tree (byte spans on every key and value,
/// short tags in long form, anchors resolved), without any template processing. `None` when
/// the file does not load or is HCL. Used by the linter to read resource `Metadata`
/// (suppressions), which the graph does not keep.
pub fn load_document(file: &SourceFile) -> Option<Node> {
    load(file)?.1.ok()?.root
}

/// The text of `file` without a leading byte-order mark, and the JSON or YAML document loaded
/// from it (byte offsets count from the start of the file). `None` for HCL.
pub(crate) fn load(file: &SourceFile) -> Option<(&str, Result<Loaded, error::LoadError>)> {
    let (text, base) = match file.text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (&*file.text, 0),
    };
    let loaded = match file.format {
        Format::Json => json::load(file, text, base),
        Format::Yaml => yaml::load(file, text, base),
        Format::Hcl => return None,
    };
    Some((text, loaded))
}

/// Parses one template (`file.format` is [`Format::Json`] or [`Format::Yaml`]) with default
/// options. See [`parse_template_with`].
pub fn parse_template(file: &SourceFile) -> Option<ParseOutput> {
    parse_template_with(file, &CfnOptions::default())
}

/// Parses one template with `options`.
///
/// Returns `None` when the file is not a CloudFormation template (skipped quietly): it parsed
/// but has neither `AWSTemplateFormatVersion` nor a `Resources` mapping with `AWS::`/`Custom::`
/// types, or it failed to parse and does not look like a template. Otherwise the output holds
/// the graph (absent only when the file could not be loaded) and the diagnostics, sorted by
/// position. A top-level list of templates is a `cfn::structure` error (no graph).
///
/// When conditions stay undecided (parameters without default or value, pseudo parameters),
/// `scenarios` holds one graph per explored assignment of the free conditions (see
/// `conditions::assignments`: all combinations up to 5, else all false, all true and each
/// alone, capped by a budget); `graph` is then the merged view where an undecided `Fn::If`
/// is Unknown. The document is loaded once for all of them. Never panics.
pub fn parse_template_with(file: &SourceFile, options: &CfnOptions) -> Option<ParseOutput> {
    let (text, loaded) = load(file)?;
    let loaded = match loaded {
        Ok(loaded) => loaded,
        Err(err) => {
            return detect::looks_like_template(text).then(|| ParseOutput {
                graph: None,
                diagnostics: vec![err.into_diagnostic(&file.path)],
                scenarios: Vec::new(),
            });
        }
    };
    let root = loaded.root?;
    if !detect::is_template(&root) {
        let message = detect::misshapen(&root)?;
        return Some(ParseOutput {
            graph: None,
            diagnostics: vec![Diagnostic::error(
                "cfn::structure",
                file.path.as_str(),
                root.span
                    .map(|s| wa_lint_source::TextRange::empty(s.range.start as usize)),
                message,
            )],
            scenarios: Vec::new(),
        });
    }
    let mut diagnostics = loaded.diagnostics;
    let produced = std::cell::Cell::new(0);
    let graph = template::build(file, &root, options, &produced, &mut diagnostics);
    diagnostics.sort_by_key(|d| (d.range, d.level, d.code.clone()));
    // Undecided conditions: the file is parsed once, each scenario only resolves again.
    let free = conditions::free_conditions(&root, options);
    let scenarios = conditions::assignments(&free, graph.resources.len())
        .into_iter()
        .map(|assume| {
            let mut scenario_options = options.clone();
            scenario_options.conditions.extend(assume.clone());
            // Same structural diagnostics as the main graph: reported once, from it.
            let mut repeated = Vec::new();
            Scenario {
                graph: template::build(file, &root, &scenario_options, &produced, &mut repeated),
                assumptions: assume.into_iter().collect(),
            }
        })
        .collect();
    Some(ParseOutput {
        graph: Some(graph),
        diagnostics,
        scenarios,
    })
}
