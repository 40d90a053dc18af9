//! Every source location a graph stores, so that checks (property tests, debug assertions) can
//! verify that each one lies inside its file.

use wa_lint_source::Span;

use crate::{Node, ResourceGraph, Value};

impl ResourceGraph {
    /// Every [`Span`] stored in the graph, each with a short description of where it is stored:
    /// resource and declaration headers and blocks, every node and map key of their attributes
    /// (`resource Bucket attrs.Tags[0].Key key`), provenance spans, and the nested-stack call
    /// site. Scenarios are separate graphs (call this on each).
    pub fn spans(&self) -> Vec<(String, Span)> {
        let mut out = Vec::new();
        let all = self
            .resources
            .values()
            .map(|r| ("resource", r))
            .chain(self.declarations.values().map(|r| ("declaration", r)));
        for (what, r) in all {
            let name = format!("{what} {}", r.address);
            out.push((format!("{name} header"), r.header));
            out.push((format!("{name} block"), r.block));
            node_spans(&r.attrs, &format!("{name} attrs"), &mut out);
        }
        if let Some(call) = &self.called_from {
            out.push(("called_from".to_owned(), call.span));
        }
        out
    }
}

/// Pushes the spans of `node` and everything inside it, described from `at`.
fn node_spans(node: &Node, at: &str, out: &mut Vec<(String, Span)>) {
    if let Some(span) = node.span {
        out.push((at.to_owned(), span));
    }
    if let Some(span) = node.provenance.as_ref().and_then(|p| p.span) {
        out.push((format!("{at} provenance"), span));
    }
    match &node.value {
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                node_spans(item, &format!("{at}[{i}]"), out);
            }
        }
        Value::Map(map) => {
            for (k, e) in map {
                let at = format!("{at}.{k}");
                if let Some(span) = e.key_span {
                    out.push((format!("{at} key"), span));
                }
                node_spans(&e.node, &at, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use wa_lint_source::{FileId, Span};

    use crate::{Entry, Node, Origin, Resource, ResourceGraph, Unit, Value};

    #[test]
    fn lists_headers_blocks_nodes_and_keys() {
        let span = |s: usize| Span::new(FileId(1), s, s + 1);
        let mut map = BTreeMap::new();
        map.insert(
            "K".to_owned(),
            Entry {
                key_span: Some(span(3)),
                node: Node::new(
                    Value::List(vec![Node::new(Value::Null, Some(span(4)))]),
                    None,
                ),
            },
        );
        let mut g = ResourceGraph::new(Unit {
            origin: Origin::Cloudformation,
            path: "t.yaml".into(),
            files: Vec::new(),
        });
        g.resources.insert(
            "R".into(),
            Resource {
                address: "R".into(),
                origin: Origin::Cloudformation,
                rtype: "AWS::S3::Bucket".into(),
                mode: crate::Mode::Managed,
                attrs: Node::new(Value::Map(map), Some(span(2))),
                header: span(0),
                block: span(1),
                module_path: String::new(),
            },
        );
        let got: Vec<(String, u32)> = g
            .spans()
            .into_iter()
            .map(|(what, s)| (what, s.range.start))
            .collect();
        assert_eq!(
            got,
            vec![
                ("resource R header".to_owned(), 0),
                ("resource R block".to_owned(), 1),
                ("resource R attrs".to_owned(), 2),
                ("resource R attrs.K key".to_owned(), 3),
                ("resource R attrs.K[0]".to_owned(), 4),
            ]
        );
    }
}
