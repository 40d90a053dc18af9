//! Helpers shared by the Terraform front end's integration tests: parse one `main.tf`, walk to
//! an attribute, read unknown reasons and string lists.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use wa_lint_graph::{Node, ResourceGraph, Value};
use wa_lint_source::{FileId, Format, SourceFile};
use wa_lint_terraform::parse_module;

/// `text` as the one file `main.tf` of a module at the scan root; asserts no diagnostics.
pub fn parse(text: &str) -> (SourceFile, ResourceGraph) {
    let f = SourceFile::new(FileId(0), "main.tf", text, Format::Hcl);
    let out = parse_module("", std::slice::from_ref(&f));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    (f, out.graph.unwrap())
}

/// The node at `segs` (keys, or list indexes when numeric) inside resource `address`.
pub fn at<'a>(g: &'a ResourceGraph, address: &str, segs: &[&str]) -> &'a Node {
    let mut node = &g
        .resources
        .get(address)
        .unwrap_or_else(|| panic!("no {address} in {:?}", g.resources.keys()))
        .attrs;
    for seg in segs {
        node = match (&node.value, seg.parse::<usize>()) {
            (Value::List(items), Ok(i)) => &items[i],
            (Value::Map(m), _) => &m[*seg].node,
            (other, _) => panic!("cannot step {seg} into {other:?}"),
        };
    }
    node
}

/// The reason of an unknown value; panics on a known one.
pub fn unknown_reason(node: &Node) -> &str {
    match &node.value {
        Value::Unknown(r) => r,
        other => panic!("expected unknown, got {other:?}"),
    }
}

/// The strings of a list of strings (a single string as a one-element list).
pub fn strings(node: &Node) -> Vec<&str> {
    match &node.value {
        Value::List(items) => items.iter().map(|n| n.as_str().unwrap()).collect(),
        Value::String(s) => vec![s.as_str()],
        other => panic!("not a list: {other:?}"),
    }
}
