//! Small helpers over [`Value`]: numbers, equality that ignores spans, string conversion.

use std::collections::BTreeMap;

use wa_lint_graph::{Entry, Node, Number, Value};
use wa_lint_source::Span;

use super::Fail;

/// A number as `f64`.
pub(crate) fn num_f64(n: Number) -> f64 {
    match n {
        #[allow(clippy::cast_precision_loss)]
        Number::Int(i) => i as f64,
        Number::Float(f) => f,
    }
}

/// A number from `f64`, an integer when it is whole and fits.
pub(crate) fn num_from_f64(f: f64) -> Number {
    #[allow(clippy::cast_precision_loss)]
    let fits = f.fract() == 0.0 && f.abs() < (i64::MAX as f64);
    if fits {
        #[allow(clippy::cast_possible_truncation)]
        Number::Int(f as i64)
    } else {
        Number::Float(f)
    }
}

/// Structural equality of two values, ignoring spans and provenance (`1 == 1.0`).
pub(crate) fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => (num_f64(*x) - num_f64(*y)).abs() < f64::EPSILON,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(p, q)| values_equal(&p.value, &q.value))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().zip(y).all(|((k1, e1), (k2, e2))| {
                    k1 == k2 && values_equal(&e1.node.value, &e2.node.value)
                })
        }
        _ => false,
    }
}

/// The first unknown reason found in `node` or its children (a value is wholly known when this
/// is `None`).
pub(crate) fn first_unknown(node: &Node) -> Option<&str> {
    match &node.value {
        Value::Unknown(reason) => Some(reason),
        Value::List(items) => items.iter().find_map(first_unknown),
        Value::Map(map) => map.values().find_map(|e| first_unknown(&e.node)),
        _ => None,
    }
}

/// Terraform's name for the type of a value, for messages.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "list",
        Value::Map(_) => "object",
        Value::Unknown(_) => "unknown",
    }
}

/// Converts a primitive to a string as Terraform does in templates and `tostring`.
///
/// # Errors
/// Null, lists and maps have no string form.
pub(crate) fn to_str(value: &Value) -> Result<String, Fail> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(Fail(format!(
            "cannot convert {} to string",
            type_name(other)
        ))),
    }
}

/// Converts to a bool (`true`/`false` strings included).
///
/// # Errors
/// Any other value.
pub(crate) fn to_bool(value: &Value) -> Result<bool, Fail> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s == "true" => Ok(true),
        Value::String(s) if s == "false" => Ok(false),
        other => Err(Fail(format!(
            "a bool is required, got {}",
            type_name(other)
        ))),
    }
}

/// Converts to a number (numeric strings included).
///
/// # Errors
/// Any other value.
pub(crate) fn to_num(value: &Value) -> Result<Number, Fail> {
    match value {
        Value::Number(n) => Ok(*n),
        Value::String(s) => s
            .trim()
            .parse::<i64>()
            .map(Number::Int)
            .or_else(|_| s.trim().parse::<f64>().map(Number::Float))
            .map_err(|_| Fail(format!("cannot convert \"{s}\" to number"))),
        other => Err(Fail(format!(
            "a number is required, got {}",
            type_name(other)
        ))),
    }
}

/// Converts to an integer index/count.
///
/// # Errors
/// Non-numbers and fractional numbers.
pub(crate) fn to_int(value: &Value) -> Result<i64, Fail> {
    match to_num(value)? {
        Number::Int(i) => Ok(i),
        Number::Float(f) if f.fract() == 0.0 => Ok(num_from_f64(f)).and_then(|n| match n {
            Number::Int(i) => Ok(i),
            Number::Float(_) => Err(Fail("number out of range".into())),
        }),
        Number::Float(f) => Err(Fail(format!("{f} is not a whole number"))),
    }
}

/// A map node from `(key, node)` pairs, every key span set to `span`.
pub(crate) fn map_node(
    items: impl IntoIterator<Item = (String, Node)>,
    span: Option<Span>,
) -> Node {
    let map: BTreeMap<String, Entry> = items
        .into_iter()
        .map(|(k, node)| {
            (
                k,
                Entry {
                    key_span: span,
                    node,
                },
            )
        })
        .collect();
    Node::new(Value::Map(map), span)
}

/// Sets `span` on a node and all nested nodes, keeping every node's provenance.
pub(crate) fn respan(node: &mut Node, span: Option<Span>) {
    node.span = span;
    match &mut node.value {
        Value::List(items) => items.iter_mut().for_each(|n| respan(n, span)),
        Value::Map(map) => map.values_mut().for_each(|e| {
            e.key_span = span;
            respan(&mut e.node, span);
        }),
        _ => {}
    }
}

/// Converts a wholly known value to JSON text (`jsonencode`).
///
/// # Errors
/// Unknown values (callers check first).
pub(crate) fn to_json(value: &Value) -> Result<serde_json::Value, Fail> {
    Ok(match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(Number::Int(i)) => serde_json::Value::from(*i),
        Value::Number(Number::Float(f)) => serde_json::Number::from_f64(*f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::List(items) => serde_json::Value::Array(
            items
                .iter()
                .map(|n| to_json(&n.value))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(map) => serde_json::Value::Object(
            map.iter()
                .map(|(k, e)| Ok((k.clone(), to_json(&e.node.value)?)))
                .collect::<Result<_, Fail>>()?,
        ),
        Value::Unknown(reason) => return Err(Fail(reason.clone())),
    })
}
