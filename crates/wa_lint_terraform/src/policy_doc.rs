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
///
/// `source_policy_documents` and `override_policy_documents` are merged as the AWS provider
/// does (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document>):
/// the statements of the source documents in order, then the `statement` blocks, then those of
/// the override documents; a statement whose `sid` is not empty replaces, in place, an earlier
/// statement with the same `sid`, other statements are appended. A merged document that is
/// not known (a reference Terraform resolves only at apply, a statement `sid` not known while
/// other statements could be replaced) makes the whole document Unknown with that reason.
pub(crate) fn iam_document(attrs: &Node) -> Node {
    let span = attrs.span;
    match merged_statements(attrs) {
        Ok(statements) => {
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
            doc.insert(
                "Statement".to_owned(),
                Entry {
                    key_span: span,
                    node: Node::new(Value::List(statements), span),
                },
            );
            Node::new(Value::Map(doc), span)
        }
        Err(reason) => Node::unknown(reason, span),
    }
}

/// The statements of the document after merging source and override documents (see
/// [`iam_document`]); `Err(reason)` when they are not known.
fn merged_statements(attrs: &Node) -> Result<Vec<Node>, String> {
    let mut statements = Vec::new();
    for source in documents(attrs, "source_policy_documents")? {
        merge(&mut statements, source)?;
    }
    let own = match attrs.get("statement").map(|n| &n.value) {
        Some(Value::List(items)) => items.iter().map(statement).collect(),
        Some(Value::Unknown(reason)) => return Err(reason.clone()),
        _ => Vec::new(),
    };
    merge(&mut statements, own)?;
    for over in documents(attrs, "override_policy_documents")? {
        merge(&mut statements, over)?;
    }
    Ok(statements)
}

/// The statements of each JSON document of list attribute `key` (decoded documents, as
/// `data.aws_iam_policy_document.x.json` resolves, or JSON strings).
fn documents(attrs: &Node, key: &str) -> Result<Vec<Vec<Node>>, String> {
    let items = match attrs.get(key).map(|n| &n.value) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Unknown(reason)) => return Err(format!("`{key}` is not known: {reason}")),
        Some(Value::List(items)) => items,
        Some(_) => return Err(format!("`{key}` is not a list of JSON policy documents")),
    };
    let mut out = Vec::new();
    for item in items {
        let decoded;
        let doc = match &item.value {
            Value::Null => continue,
            Value::Unknown(reason) => {
                return Err(format!("a document of `{key}` is not known: {reason}"))
            }
            Value::String(text) => {
                decoded = wa_lint_graph::policy_from_json_str(text, item.span)
                    .ok_or_else(|| format!("a document of `{key}` is not a JSON policy"))?;
                &decoded
            }
            _ => item,
        };
        let statements = match doc.get("Statement").map(|n| &n.value) {
            Some(Value::List(items)) => items.clone(),
            Some(Value::Map(_)) => doc.get("Statement").cloned().into_iter().collect(),
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Unknown(reason)) => {
                return Err(format!("a document of `{key}` is not known: {reason}"))
            }
            Some(_) => return Err(format!("a document of `{key}` is not a JSON policy")),
        };
        out.push(statements);
    }
    Ok(out)
}

/// The `Sid` of a statement: `Ok(None)` when absent or empty, `Err` when not known.
fn sid(statement: &Node) -> Result<Option<&str>, ()> {
    match statement.get("Sid").map(|n| &n.value) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(()),
    }
}

/// Adds `new` statements to `acc`: one with a `Sid` replaces the earlier one with the same
/// `Sid` in place, others are appended (the provider's `IAMPolicyDoc.Merge`).
fn merge(acc: &mut Vec<Node>, new: Vec<Node>) -> Result<(), String> {
    const UNKNOWN_SID: &str =
        "the `sid` of a statement is not known, so which statements it replaces is not known";
    for statement in new {
        let id = match sid(&statement) {
            Ok(Some(id)) => id,
            Ok(None) => {
                acc.push(statement);
                continue;
            }
            Err(()) if acc.is_empty() => {
                acc.push(statement);
                continue;
            }
            Err(()) => return Err(UNKNOWN_SID.to_owned()),
        };
        let mut found = None;
        for (i, existing) in acc.iter().enumerate() {
            match sid(existing) {
                Ok(Some(s)) if s == id => {
                    found = Some(i);
                    break;
                }
                Ok(_) => {}
                Err(()) => return Err(UNKNOWN_SID.to_owned()),
            }
        }
        match found.and_then(|i| acc.get_mut(i)) {
            Some(slot) => *slot = statement,
            None => acc.push(statement),
        }
    }
    Ok(())
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
