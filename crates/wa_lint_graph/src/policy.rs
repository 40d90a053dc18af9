//! Policy documents written as JSON text (CloudFormation strings, Terraform heredocs).

use std::collections::BTreeMap;

use wa_lint_source::Span;

use crate::{Entry, Node, Number, Value};

/// Parses `text` as an IAM-style policy document: a JSON object with a `Statement` key.
/// Returns the object as a map [`Node`] whose nodes all carry `span` (the string's span), or
/// `None` when `text` is not such a document (then the caller keeps the string).
pub fn policy_from_json_str(text: &str, span: Option<Span>) -> Option<Node> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('{') || !trimmed.contains("Statement") {
        return None;
    }
    let json: serde_json::Value = serde_json::from_str(trimmed).ok()?;
    let node = from_json(&json, span);
    node.get("Statement").is_some().then_some(node)
}

/// Converts a JSON value into a [`Node`] tree, every node with `span`.
pub fn from_json(json: &serde_json::Value, span: Option<Span>) -> Node {
    let value = match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.as_i64().map_or_else(
            || Number::Float(n.as_f64().unwrap_or(f64::NAN)),
            Number::Int,
        )),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => {
            Value::List(items.iter().map(|v| from_json(v, span)).collect())
        }
        serde_json::Value::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        Entry {
                            key_span: span,
                            node: from_json(v, span),
                        },
                    )
                })
                .collect::<BTreeMap<_, _>>(),
        ),
    };
    Node::new(value, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_policy_documents() {
        let doc = policy_from_json_str(
            r#" {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*"}]}"#,
            None,
        );
        let doc = doc.as_ref().and_then(|d| d.get("Statement"));
        assert!(matches!(doc.map(|d| &d.value), Some(Value::List(l)) if l.len() == 1));
        assert!(policy_from_json_str(r#"{"a": 1}"#, None).is_none());
        assert!(policy_from_json_str("Statement", None).is_none());
        assert!(policy_from_json_str("{ broken Statement", None).is_none());
    }
}
