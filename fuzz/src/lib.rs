//! Checks shared by the fuzz targets: every span a front end returns must lie inside the file
//! it names and on character boundaries, and the Rego `input` must build from every graph (the
//! next step of a real scan).
//!
//! A violated check panics, which libFuzzer reports as a crash: a span outside its file would
//! make a report slice out of bounds or print a wrong line.

use wa_lint_graph::{Node, ParseOutput, ResourceGraph, Value};
use wa_lint_source::{Diagnostic, SourceFile, Span, TextRange};

/// Asserts that `range` lies in `file.text` with both ends on character boundaries; `what`
/// names the place for the panic message.
pub fn check_range(file: &SourceFile, range: TextRange, what: &str) {
    let (start, end) = (range.start as usize, range.end as usize);
    let text = &*file.text;
    assert!(
        start <= end && end <= text.len(),
        "{what}: range {start}..{end} outside {} ({} bytes)",
        file.path,
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: range {start}..{end} of {} not on a character boundary",
        file.path
    );
    // What renderers do with a range: its line and column.
    let _ = file.line_col(range.start);
}

/// Checks `span` when it points into one of `files` (by id); spans of other files are not
/// the fuzzed input's.
pub fn check_span(files: &[SourceFile], span: Span, what: &str) {
    if let Some(file) = files.iter().find(|f| f.id == span.file) {
        check_range(file, span.range, what);
    } else {
        panic!(
            "{what}: span in file {:?}, which the unit was not read from",
            span.file
        );
    }
}

/// Checks every span of `node` and below (values, keys, provenance).
fn check_node(files: &[SourceFile], node: &Node, depth: usize) {
    if let Some(span) = node.span {
        check_span(files, span, "node");
    }
    if let Some(span) = node.provenance.as_ref().and_then(|p| p.span) {
        check_span(files, span, "provenance");
    }
    // The graph is bounded by the front ends' nesting limits; stay well below the stack.
    if depth > 4096 {
        return;
    }
    match &node.value {
        Value::List(items) => {
            for item in items {
                check_node(files, item, depth + 1);
            }
        }
        Value::Map(map) => {
            for entry in map.values() {
                if let Some(span) = entry.key_span {
                    check_span(files, span, "key");
                }
                check_node(files, &entry.node, depth + 1);
            }
        }
        _ => {}
    }
}

/// Checks the spans of one graph and builds its Rego input.
fn check_graph(files: &[SourceFile], graph: &ResourceGraph) {
    for resource in graph.resources.values().chain(graph.declarations.values()) {
        check_span(files, resource.header, "resource header");
        check_span(files, resource.block, "resource block");
        check_node(files, &resource.attrs, 0);
    }
    if let Some(call) = &graph.called_from {
        check_span(files, call.span, "call site");
    }
    let _ = wa_lint_rules::build_input(graph);
}

/// Checks a diagnostic's ranges against the file it names (diagnostics about other paths, or
/// without a path, are left alone).
fn check_diagnostic(files: &[SourceFile], diagnostic: &Diagnostic) {
    let Some(file) = diagnostic
        .path
        .as_deref()
        .and_then(|p| files.iter().find(|f| f.path == p))
    else {
        return;
    };
    if let Some(range) = diagnostic.range {
        check_range(file, range, &diagnostic.code);
    }
    for (range, _) in &diagnostic.related {
        check_range(file, *range, &diagnostic.code);
    }
}

/// Checks everything a front end returned for a unit read from `files`.
pub fn check_output(files: &[SourceFile], output: &ParseOutput) {
    for diagnostic in &output.diagnostics {
        check_diagnostic(files, diagnostic);
    }
    if let Some(graph) = &output.graph {
        check_graph(files, graph);
    }
    for scenario in &output.scenarios {
        check_graph(files, &scenario.graph);
    }
}
