//! `data "aws_iam_policy_document"` attributes → the IAM JSON document shape
//! (`{"Version", "Statement": [{"Sid", "Effect", "Action", …}]}`) that rules read.

use std::collections::BTreeMap;

use wa_lint_graph::{Entry, Node, Value};

/// `(attribute of a statement block, IAM key)` for plain renames.
const RENAMES: &[(&str, &str)] = &[
    ("sid", "Sid"),
    ("actions", "Action"),
    ("not_actions", "NotAction"),
    ("resources", "Resource"),
    ("not_resources", "NotResource"),
];

/// Converts the attributes of an `aws_iam_policy_document` into an IAM policy document. Spans
/// are those of the Terraform attributes; unknown parts stay unknown.
pub(crate) fn iam_document(attrs: &Node) -> Node {
    let span = attrs.span;
    let mut doc = BTreeMap::new();
    let version = attrs
        .get("version")
        .cloned()
        .unwrap_or_else(|| Node::new(Value::String("2012-10-17".into()), span));
    doc.insert(
        "Version".to_owned(),
        Entry {
            key_span: span,
            node: version,
        },
    );
    let statements = match attrs.get("statement").map(|n| &n.value) {
        Some(Value::List(items)) => items.iter().map(statement).collect(),
        _ => Vec::new(),
    };
    doc.insert(
        "Statement".to_owned(),
        Entry {
            key_span: span,
            node: Node::new(Value::List(statements), span),
        },
    );
    Node::new(Value::Map(doc), span)
}

fn statement(block: &Node) -> Node {
    let Value::Map(attrs) = &block.value else {
        return block.clone();
    };
    let mut out = BTreeMap::new();
    let effect = attrs.get("effect").cloned().unwrap_or_else(|| Entry {
        key_span: block.span,
        node: Node::new(Value::String("Allow".into()), block.span),
    });
    out.insert("Effect".to_owned(), effect);
    for (tf, iam) in RENAMES {
        if let Some(e) = attrs.get(*tf) {
            out.insert((*iam).to_owned(), e.clone());
        }
    }
    for (tf, iam) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        if let Some(e) = attrs.get(tf) {
            out.insert(
                iam.to_owned(),
                Entry {
                    key_span: e.key_span,
                    node: principals(&e.node),
                },
            );
        }
    }
    if let Some(e) = attrs.get("condition") {
        out.insert(
            "Condition".to_owned(),
            Entry {
                key_span: e.key_span,
                node: conditions(&e.node),
            },
        );
    }
    Node::new(Value::Map(out), block.span)
}

/// `principals { type = "AWS" identifiers = [...] }` blocks → `{"AWS": [...]}`.
fn principals(blocks: &Node) -> Node {
    let Value::List(items) = &blocks.value else {
        return blocks.clone();
    };
    let mut out: BTreeMap<String, Entry> = BTreeMap::new();
    for block in items {
        let Some(kind) = block.get("type") else {
            continue;
        };
        let Some(kind_name) = kind.as_str() else {
            return Node::unknown("principal type is not known", blocks.span);
        };
        let ids = block
            .get("identifiers")
            .cloned()
            .unwrap_or_else(|| Node::new(Value::List(Vec::new()), block.span));
        merge_list(&mut out, kind_name, kind.span, ids);
    }
    Node::new(Value::Map(out), blocks.span)
}

/// `condition { test variable values }` blocks → `{"<test>": {"<variable>": [...]}}`.
fn conditions(blocks: &Node) -> Node {
    let Value::List(items) = &blocks.value else {
        return blocks.clone();
    };
    let mut out: BTreeMap<String, Entry> = BTreeMap::new();
    for block in items {
        let (Some(test), Some(variable)) = (block.get("test"), block.get("variable")) else {
            continue;
        };
        let (Some(test_name), Some(var_name)) = (test.as_str(), variable.as_str()) else {
            return Node::unknown("condition test or variable is not known", blocks.span);
        };
        let values = block
            .get("values")
            .cloned()
            .unwrap_or_else(|| Node::new(Value::List(Vec::new()), block.span));
        let entry = out.entry(test_name.to_owned()).or_insert_with(|| Entry {
            key_span: test.span,
            node: Node::empty_map(block.span),
        });
        if let Value::Map(inner) = &mut entry.node.value {
            merge_list(inner, var_name, variable.span, values);
        }
    }
    Node::new(Value::Map(out), blocks.span)
}

fn merge_list(
    map: &mut BTreeMap<String, Entry>,
    key: &str,
    key_span: Option<wa_lint_source::Span>,
    values: Node,
) {
    match map.get_mut(key) {
        Some(existing) => {
            if let (Value::List(a), Value::List(b)) = (&mut existing.node.value, values.value) {
                a.extend(b);
            }
        }
        None => {
            map.insert(
                key.to_owned(),
                Entry {
                    key_span,
                    node: values,
                },
            );
        }
    }
}
