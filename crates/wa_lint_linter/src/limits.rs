//! Configurable limits of a run (`--max-file-size`, `--max-resources`, `[limits]` in
//! `.wa-lint.toml`). Hitting one is an error diagnostic for that file or unit, never a crash;
//! every other file is still checked. `docs/reliability.md`, section "Limits", lists every
//! limit of wa-lint, these and the fixed ones of the front ends.

use wa_lint_graph::ParseOutput;
use wa_lint_source::Diagnostic;

/// Default [`Limits::file_bytes`]: 64 MiB. A CloudFormation template body is at most 1 MB in
/// S3 (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html>).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Default [`Limits::resources`]: 20,000 resources per unit, 40 times CloudFormation's quota
/// of 500 resources per template
/// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html>).
pub const DEFAULT_MAX_RESOURCES: usize = 20_000;

/// Limits of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes; a larger file is refused before it is read
    /// (`source::too-large`).
    pub file_bytes: u64,
    /// Most resources in one unit (a template, a Terraform root module with its modules, a
    /// plan), in any of its condition scenarios; a larger unit is not evaluated
    /// (`source::too-many-resources`).
    pub resources: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            file_bytes: DEFAULT_MAX_FILE_BYTES,
            resources: DEFAULT_MAX_RESOURCES,
        }
    }
}

/// Replaces every unit of `units` with more than `max` resources (in its graph or any
/// scenario) by an error diagnostic at its first resource's header, so it is not evaluated.
pub(crate) fn enforce_resources(units: &mut [ParseOutput], max: usize) {
    for unit in units {
        let graphs = unit
            .graph
            .iter()
            .chain(unit.scenarios.iter().map(|s| &s.graph));
        let Some(graph) = graphs.max_by_key(|g| g.resources.len()) else {
            continue;
        };
        let count = graph.resources.len();
        if count <= max {
            continue;
        }
        // The first resource of the unit's first file (a Terraform unit spans files).
        let first = graph.unit.files.iter().find_map(|(id, path)| {
            graph
                .resources
                .values()
                .filter(|r| r.file() == *id)
                .min_by_key(|r| r.header.range.start)
                .map(|r| (path.clone(), r.header.range))
        });
        let (path, range) = match first {
            Some((path, range)) => (path, Some(range)),
            None => (graph.unit.path.clone(), None),
        };
        let diagnostic = Diagnostic::error(
            "source::too-many-resources",
            path,
            range,
            format!(
                "{count} resources in this unit, more than the limit of {max}; the unit is not checked"
            ),
        )
        .with_help("raise the limit with --max-resources or `[limits] resources` in .wa-lint.toml");
        unit.diagnostics.push(diagnostic);
        unit.graph = None;
        unit.scenarios.clear();
    }
}
