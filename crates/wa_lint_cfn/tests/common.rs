//! Helpers shared by the integration tests.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::missing_panics_doc,
    clippy::case_sensitive_file_extension_comparisons
)]

use std::path::Path;

use wa_lint_graph::{AttrPath, Node, ParseOutput, PathSeg, ResourceGraph, Value};
use wa_lint_source::{FileId, Format, LineCol, SourceFile};

pub const CASES: &str = "/work/shared/cases";
pub const CORPUS: &str = "/work/shared/corpus";

/// A source file from text; the format comes from the extension.
pub fn source(path: &str, text: &str) -> SourceFile {
    let format = if path.ends_with(".json") {
        Format::Json
    } else {
        Format::Yaml
    };
    SourceFile::new(FileId(7), path, text, format)
}

/// Reads a file from disk (`None` when it is missing, so tests can skip).
pub fn read(path: &str) -> Option<SourceFile> {
    let text = std::fs::read_to_string(Path::new(path)).ok()?;
    Some(source(path, &text))
}

pub fn parse(path: &str, text: &str) -> (SourceFile, ParseOutput) {
    let file = source(path, text);
    let out = wa_lint_cfn::parse_template(&file).expect("a template");
    (file, out)
}

pub fn graph(out: &ParseOutput) -> &ResourceGraph {
    out.graph.as_ref().expect("a graph")
}

/// `Key.Sub[0].X` → path.
pub fn path(text: &str) -> AttrPath {
    let mut segs = Vec::new();
    for part in text.split('.') {
        let (key, rest) = part
            .split_once('[')
            .map_or((part, None), |(k, r)| (k, Some(r)));
        if !key.is_empty() {
            segs.push(PathSeg::Key(key.to_owned()));
        }
        if let Some(rest) = rest {
            for idx in rest.split('[') {
                segs.push(PathSeg::Index(idx.trim_end_matches(']').parse().unwrap()));
            }
        }
    }
    AttrPath(segs)
}

/// The node at `path` of resource `address`.
pub fn at<'g>(g: &'g ResourceGraph, address: &str, p: &str) -> &'g Node {
    let mut node = &g
        .resources
        .get(address)
        .unwrap_or_else(|| panic!("no resource {address}"))
        .attrs;
    for seg in path(p).segments() {
        node = match (seg, &node.value) {
            (PathSeg::Key(k), Value::Map(m)) => {
                &m.get(k).unwrap_or_else(|| panic!("no key {k} in {p}")).node
            }
            (PathSeg::Index(i), Value::List(l)) => {
                l.get(*i).unwrap_or_else(|| panic!("no index {i} in {p}"))
            }
            _ => panic!("cannot follow {p}"),
        };
    }
    node
}

pub fn line_col(file: &SourceFile, node: &Node) -> LineCol {
    file.line_col(node.span.expect("a span").range.start)
}

pub fn text_of<'f>(file: &'f SourceFile, node: &Node) -> &'f str {
    let r = node.span.expect("a span").range;
    &file.text[r.start as usize..r.end as usize]
}
