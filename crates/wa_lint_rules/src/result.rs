//! Turning the rows of a rule's `deny` / `unknown` set into [`RuleResult`]s.
//!
//! A row is an object
//! `{"address": str, "path": [str | int, ...], "message": str, "related"?: [{"address": str, "path": [...]}]}`
//! (other keys are ignored). `address` must name a resource of the unit; path integers must be
//! non-negative list indexes.

use regorus::Value as RValue;
use wa_lint_graph::{AttrPath, PathSeg, ResourceGraph};

use crate::{ResultStatus, RuleResult};

/// Row keys, allocated once per evaluator.
pub(crate) struct ResultKeys {
    address: RValue,
    path: RValue,
    message: RValue,
    related: RValue,
}

impl ResultKeys {
    pub(crate) fn new() -> Self {
        Self {
            address: RValue::from("address"),
            path: RValue::from("path"),
            message: RValue::from("message"),
            related: RValue::from("related"),
        }
    }
}

/// Converts the value of one entry point (a set, an array, or undefined = empty) of rule
/// `rule`, pushing good rows to `out`. Returns a description of the malformed rows, if any.
pub(crate) fn convert_rows(
    value: &RValue,
    rule: usize,
    status: ResultStatus,
    graph: &ResourceGraph,
    keys: &ResultKeys,
    out: &mut Vec<RuleResult>,
) -> Option<String> {
    let entry = match status {
        ResultStatus::Fail => "deny",
        ResultStatus::Unknown => "unknown",
    };
    let rows: Vec<&RValue> = match value {
        RValue::Undefined => return None,
        RValue::Set(set) => set.iter().collect(),
        RValue::Array(items) => items.iter().collect(),
        other => {
            return Some(format!(
                "`{entry}` must be a set of result objects, got {}",
                kind_name(other)
            ))
        }
    };
    let mut bad = 0usize;
    let mut first = None;
    for row in rows {
        match convert_row(row, rule, status, graph, keys) {
            Ok(result) => out.push(result),
            Err(problem) => {
                bad += 1;
                first.get_or_insert(problem);
            }
        }
    }
    first.map(|problem| {
        let more = if bad > 1 {
            format!(" (and {} more malformed rows)", bad - 1)
        } else {
            String::new()
        };
        format!("malformed `{entry}` result: {problem}{more}")
    })
}

fn convert_row(
    row: &RValue,
    rule: usize,
    status: ResultStatus,
    graph: &ResourceGraph,
    keys: &ResultKeys,
) -> Result<RuleResult, String> {
    let RValue::Object(obj) = row else {
        return Err(format!(
            "expected an object with address, path and message, got {}",
            kind_name(row)
        ));
    };
    let address = string_field(obj.get(&keys.address), "address")?;
    if graph.resource_or_declaration(address).is_none() {
        return Err(format!(
            "`address` {address:?} is not a resource of this unit"
        ));
    }
    let path = path_field(obj.get(&keys.path), "path")?;
    let message = string_field(obj.get(&keys.message), "message")?;
    let related = match obj.get(&keys.related) {
        None | Some(RValue::Null | RValue::Undefined) => Vec::new(),
        Some(RValue::Array(items)) => related_items(items.iter(), keys)?,
        Some(RValue::Set(items)) => related_items(items.iter(), keys)?,
        Some(other) => {
            return Err(format!(
                "`related` must be a list, got {}",
                kind_name(other)
            ))
        }
    };
    Ok(RuleResult {
        rule,
        status,
        address: address.to_owned(),
        path,
        message: message.to_owned(),
        related,
    })
}

fn related_items<'a>(
    items: impl Iterator<Item = &'a RValue>,
    keys: &ResultKeys,
) -> Result<Vec<(String, AttrPath)>, String> {
    let mut related = items
        .map(|item| {
            let RValue::Object(obj) = item else {
                return Err(format!(
                    "`related` items must be objects, got {}",
                    kind_name(item)
                ));
            };
            let address = string_field(obj.get(&keys.address), "related.address")?;
            let path = match obj.get(&keys.path) {
                None => AttrPath::root(),
                value => path_field(value, "related.path")?,
            };
            Ok((address.to_owned(), path))
        })
        .collect::<Result<Vec<_>, String>>()?;
    related.sort();
    related.dedup();
    Ok(related)
}

fn string_field<'a>(value: Option<&'a RValue>, name: &str) -> Result<&'a str, String> {
    match value {
        Some(RValue::String(s)) => Ok(s),
        None | Some(RValue::Undefined) => Err(format!("missing `{name}`")),
        Some(other) => Err(format!(
            "`{name}` must be a string, got {}",
            kind_name(other)
        )),
    }
}

fn path_field(value: Option<&RValue>, name: &str) -> Result<AttrPath, String> {
    let items = match value {
        Some(RValue::Array(items)) => items,
        None | Some(RValue::Undefined) => return Err(format!("missing `{name}`")),
        Some(other) => {
            return Err(format!(
                "`{name}` must be a list of keys and indexes, got {}",
                kind_name(other)
            ))
        }
    };
    items
        .iter()
        .map(|seg| match seg {
            RValue::String(s) => Ok(PathSeg::Key(s.to_string())),
            RValue::Number(n) => n
                .as_u64()
                .filter(|_| n.is_integer())
                .and_then(|i| usize::try_from(i).ok())
                .map(PathSeg::Index)
                .ok_or_else(|| format!("`{name}` index must be a non-negative integer, got {seg}")),
            other => Err(format!(
                "`{name}` segments must be strings or integers, got {}",
                kind_name(other)
            )),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(AttrPath)
}

fn kind_name(value: &RValue) -> &'static str {
    match value {
        RValue::Null => "null",
        RValue::Bool(_) => "a boolean",
        RValue::Number(_) => "a number",
        RValue::String(_) => "a string",
        RValue::Array(_) => "an array",
        RValue::Set(_) => "a set",
        RValue::Object(_) => "an object",
        RValue::Undefined => "undefined",
    }
}
