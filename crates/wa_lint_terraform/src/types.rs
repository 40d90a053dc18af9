//! Conversion of variable values to their declared `type`, as Terraform does before a module
//! sees them (<https://developer.hashicorp.com/terraform/language/expressions/type-constraints>):
//! `"5"` for a `number` becomes `5`, `true` for a `string` becomes `"true"`, a `set` is
//! deduplicated, an `object` gets its missing attributes as `null` or their `optional()`
//! default and loses attributes it does not declare. A value that cannot be converted is kept
//! as written (Terraform would reject the configuration; rules still see what was written).

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, ObjectKey};
use wa_lint_graph::{Entry, Node, Value};

use crate::eval::values::{to_num, to_str, values_equal};
use crate::eval::Eval;

/// Converts `node` to the type constraint `ty`; `ev` evaluates `optional()` defaults.
pub(crate) fn convert(node: Node, ty: &Expression, ev: &mut Eval<'_>) -> Node {
    if matches!(node.value, Value::Unknown(_) | Value::Null) {
        return node;
    }
    match ty {
        Expression::Variable(v) => primitive(node, v.as_str()),
        Expression::Parenthesis(p) => convert(node, p.inner(), ev),
        Expression::FuncCall(f) if f.name.namespace.is_empty() => {
            let mut args = f.args.iter();
            let first = args.next();
            match (f.name.name.as_str(), first) {
                ("list" | "set", Some(elem)) => {
                    let set = f.name.name.as_str() == "set";
                    let Node {
                        value,
                        span,
                        provenance,
                    } = node;
                    let Value::List(items) = value else {
                        return Node {
                            value,
                            span,
                            provenance,
                        };
                    };
                    let mut out: Vec<Node> = Vec::with_capacity(items.len());
                    for item in items {
                        let item = convert(item, elem, ev);
                        if set && out.iter().any(|o| values_equal(&o.value, &item.value)) {
                            continue;
                        }
                        out.push(item);
                    }
                    if set && out.iter().all(|n| matches!(n.value, Value::String(_))) {
                        out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                    }
                    Node {
                        value: Value::List(out),
                        span,
                        provenance,
                    }
                }
                ("map", Some(elem)) => map_values(node, |_, n, ev| Some(convert(n, elem, ev)), ev),
                ("tuple", Some(Expression::Array(types))) => {
                    let Node {
                        value,
                        span,
                        provenance,
                    } = node;
                    let value = match value {
                        Value::List(items) => Value::List(
                            items
                                .into_iter()
                                .enumerate()
                                .map(|(i, n)| match types.get(i) {
                                    Some(t) => convert(n, t, ev),
                                    None => n,
                                })
                                .collect(),
                        ),
                        other => other,
                    };
                    Node {
                        value,
                        span,
                        provenance,
                    }
                }
                ("object", Some(Expression::Object(attrs))) => object(node, attrs, ev),
                ("optional", Some(inner)) => convert(node, inner, ev),
                _ => node,
            }
        }
        _ => node,
    }
}

fn primitive(node: Node, ty: &str) -> Node {
    let Node {
        value,
        span,
        provenance,
    } = node;
    let value = match (ty, value) {
        ("string", v @ (Value::Number(_) | Value::Bool(_))) => to_str(&v).map_or(v, Value::String),
        ("number", Value::String(s)) => {
            to_num(&Value::String(s.clone())).map_or(Value::String(s), Value::Number)
        }
        ("bool", Value::String(s)) if s == "true" => Value::Bool(true),
        ("bool", Value::String(s)) if s == "false" => Value::Bool(false),
        (_, v) => v,
    };
    Node {
        value,
        span,
        provenance,
    }
}

fn map_values(
    node: Node,
    mut f: impl FnMut(&str, Node, &mut Eval<'_>) -> Option<Node>,
    ev: &mut Eval<'_>,
) -> Node {
    let Node {
        value,
        span,
        provenance,
    } = node;
    let value = match value {
        Value::Map(map) => Value::Map(
            map.into_iter()
                .filter_map(|(k, e)| {
                    let node = f(&k, e.node, ev)?;
                    Some((
                        k,
                        Entry {
                            key_span: e.key_span,
                            node,
                        },
                    ))
                })
                .collect(),
        ),
        other => other,
    };
    Node {
        value,
        span,
        provenance,
    }
}

fn object(node: Node, attrs: &hcl_edit::expr::Object, ev: &mut Eval<'_>) -> Node {
    let mut types: BTreeMap<String, &Expression> = BTreeMap::new();
    for (key, value) in attrs {
        let name = match key {
            ObjectKey::Ident(id) => id.as_str().to_owned(),
            ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
            ObjectKey::Expression(_) => continue,
        };
        types.insert(name, value.expr());
    }
    if !matches!(node.value, Value::Map(_)) {
        return node;
    }
    let span = node.span;
    let mut node = map_values(node, |k, n, ev| types.get(k).map(|t| convert(n, t, ev)), ev);
    if let Value::Map(map) = &mut node.value {
        for (name, ty) in &types {
            if map.contains_key(name) {
                continue;
            }
            let default = match ty {
                Expression::FuncCall(f) if f.name.name.as_str() == "optional" => {
                    let mut args = f.args.iter();
                    match (args.next(), args.next()) {
                        (Some(inner), Some(default)) => {
                            let mut d = ev.value(default);
                            d.span = span;
                            convert(d, inner, ev)
                        }
                        _ => Node::new(Value::Null, span),
                    }
                }
                _ => Node::new(Value::Null, span),
            };
            map.insert(
                name.clone(),
                Entry {
                    key_span: span,
                    node: default,
                },
            );
        }
    }
    node
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::eval::Globals;
    use wa_lint_source::{FileId, Format, SourceFile};

    fn conv(value: &str, ty: &str) -> Value {
        let src = SourceFile::new(FileId(0), "t.tf", value, Format::Hcl);
        let g = Globals::default();
        let mut ev = Eval::new(&g, &src);
        let v = ev.value(&hcl_edit::parser::parse_expr(value).unwrap());
        let ty = hcl_edit::parser::parse_expr(ty).unwrap();
        convert(v, &ty, &mut ev).value
    }

    fn show(v: &Value) -> String {
        crate::eval::values::to_json(v).unwrap().to_string()
    }

    #[test]
    fn primitives_convert() {
        assert_eq!(show(&conv("\"5\"", "number")), "5");
        assert_eq!(show(&conv("true", "string")), "\"true\"");
        assert_eq!(show(&conv("\"false\"", "bool")), "false");
        assert_eq!(show(&conv("\"x\"", "number")), "\"x\"");
        assert_eq!(show(&conv("null", "string")), "null");
    }

    #[test]
    fn collections_convert() {
        assert_eq!(
            show(&conv("[\"b\", \"a\", \"b\"]", "set(string)")),
            "[\"a\",\"b\"]"
        );
        assert_eq!(show(&conv("[1, 2]", "list(string)")), "[\"1\",\"2\"]");
        assert_eq!(show(&conv("{a = 1}", "map(string)")), "{\"a\":\"1\"}");
        assert_eq!(
            show(&conv("[1, \"2\"]", "tuple([string, number])")),
            "[\"1\",2]"
        );
    }

    #[test]
    fn objects_get_missing_attributes_and_optional_defaults() {
        assert_eq!(
            show(&conv(
                "{ name = \"a\", extra = 1 }",
                "object({ name = string, size = optional(number, 8), enc = optional(bool) })"
            )),
            "{\"enc\":null,\"name\":\"a\",\"size\":8}"
        );
        assert_eq!(
            show(&conv(
                "[{ enc = \"true\" }]",
                "list(object({ enc = bool }))"
            )),
            "[{\"enc\":true}]"
        );
    }
}
