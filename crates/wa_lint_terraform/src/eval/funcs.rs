//! The Terraform functions configurations commonly use. Anything else evaluates to Unknown.
//!
//! A top-level unknown argument makes the result unknown; functions that need nested values
//! (`contains`, `join`, `jsonencode`, …) check for unknowns inside too.

use std::collections::BTreeMap;

use wa_lint_graph::{Entry, Node, Number, Value};
use wa_lint_source::Span;

use super::values::{
    first_unknown, num_f64, num_from_f64, to_bool, to_int, to_json, to_num, to_str, type_name,
    values_equal,
};
use super::{Fail, R};

/// Most elements `range()` produces (Terraform's own limit).
const RANGE_LIMIT: usize = 1024;

/// Calls function `name` with evaluated `args`; the result is located at `span`.
pub(crate) fn call(name: &str, args: Vec<Node>, span: Option<Span>) -> R {
    if name == "jsonencode" {
        return jsonencode(args, span);
    }
    let lenient = matches!(
        name,
        "length"
            | "concat"
            | "merge"
            | "tolist"
            | "toset"
            | "tomap"
            | "coalesce"
            | "lookup"
            | "element"
            | "keys"
            | "values"
            | "flatten"
            | "compact"
            | "zipmap"
    );
    let unknown = if lenient {
        args.iter().find_map(|a| match &a.value {
            Value::Unknown(r) => Some(r.clone()),
            _ => None,
        })
    } else {
        args.iter()
            .find_map(|a| first_unknown(a).map(str::to_owned))
    };
    if let Some(reason) = unknown {
        return Ok(Node::unknown(reason, span));
    }
    let value = call_known(name, args, span)?;
    Ok(match value {
        Out::Value(v) => Node::new(v, span),
        Out::Node(mut n) => {
            n.span = span;
            n
        }
    })
}

enum Out {
    Value(Value),
    Node(Node),
}

fn arg(args: &[Node], i: usize) -> Result<&Value, Fail> {
    args.get(i)
        .map(|n| &n.value)
        .ok_or_else(|| Fail(format!("missing argument {}", i + 1)))
}

fn s(args: &[Node], i: usize) -> Result<String, Fail> {
    to_str(arg(args, i)?)
}

fn list(args: &[Node], i: usize) -> Result<&[Node], Fail> {
    match arg(args, i)? {
        Value::List(items) => Ok(items),
        other => Err(Fail(format!(
            "a list is required, got {}",
            type_name(other)
        ))),
    }
}

fn map(args: &[Node], i: usize) -> Result<&BTreeMap<String, Entry>, Fail> {
    match arg(args, i)? {
        Value::Map(m) => Ok(m),
        other => Err(Fail(format!("a map is required, got {}", type_name(other)))),
    }
}

fn string(s: String) -> Out {
    Out::Value(Value::String(s))
}

fn int(i: usize) -> Out {
    Out::Value(Value::Number(Number::Int(
        i64::try_from(i).unwrap_or(i64::MAX),
    )))
}

fn strings(items: Vec<String>, span: Option<Span>) -> Out {
    Out::Value(Value::List(
        items
            .into_iter()
            .map(|s| Node::new(Value::String(s), span))
            .collect(),
    ))
}

fn call_known(name: &str, mut args: Vec<Node>, span: Option<Span>) -> Result<Out, Fail> {
    let a = &args;
    Ok(match name {
        "length" => match arg(a, 0)? {
            Value::List(items) => int(items.len()),
            Value::Map(m) => int(m.len()),
            Value::String(s) => int(s.chars().count()),
            other => return Err(Fail(format!("length() of {}", type_name(other)))),
        },
        "lower" => string(s(a, 0)?.to_lowercase()),
        "upper" => string(s(a, 0)?.to_uppercase()),
        "trimspace" => string(s(a, 0)?.trim().to_owned()),
        "trimprefix" => {
            let (x, p) = (s(a, 0)?, s(a, 1)?);
            string(x.strip_prefix(p.as_str()).map_or(x.clone(), str::to_owned))
        }
        "trimsuffix" => {
            let (x, p) = (s(a, 0)?, s(a, 1)?);
            string(x.strip_suffix(p.as_str()).map_or(x.clone(), str::to_owned))
        }
        "startswith" => Out::Value(Value::Bool(s(a, 0)?.starts_with(&s(a, 1)?))),
        "endswith" => Out::Value(Value::Bool(s(a, 0)?.ends_with(&s(a, 1)?))),
        "format" => string(format(&s(a, 0)?, a.get(1..).unwrap_or_default())?),
        "join" => {
            let sep = s(a, 0)?;
            let mut parts = Vec::new();
            for i in 1..a.len() {
                for item in list(a, i)? {
                    parts.push(to_str(&item.value)?);
                }
            }
            string(parts.join(&sep))
        }
        "split" => {
            let (sep, x) = (s(a, 0)?, s(a, 1)?);
            if sep.is_empty() {
                return Err(Fail("split() with an empty separator".into()));
            }
            strings(x.split(sep.as_str()).map(str::to_owned).collect(), span)
        }
        "replace" => {
            let (x, from, to) = (s(a, 0)?, s(a, 1)?, s(a, 2)?);
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                return Ok(Out::Value(Value::Unknown(
                    "regular-expression replace() is not evaluated".into(),
                )));
            }
            string(x.replace(&from, &to))
        }
        "substr" => {
            let x = s(a, 0)?;
            let chars: Vec<char> = x.chars().collect();
            let len = i64::try_from(chars.len()).unwrap_or(i64::MAX);
            let mut off = to_int(arg(a, 1)?)?;
            if off < 0 {
                off += len;
            }
            let n = to_int(arg(a, 2)?)?;
            let start = usize::try_from(off.clamp(0, len)).unwrap_or(0);
            let end = if n < 0 {
                chars.len()
            } else {
                start
                    .saturating_add(usize::try_from(n).unwrap_or(0))
                    .min(chars.len())
            };
            string(chars.get(start..end).unwrap_or_default().iter().collect())
        }
        "concat" => {
            let mut out = Vec::new();
            for i in 0..a.len() {
                out.extend(list(a, i)?.iter().cloned());
            }
            Out::Value(Value::List(out))
        }
        "merge" => {
            let mut out = BTreeMap::new();
            for i in 0..a.len() {
                if matches!(arg(a, i)?, Value::Null) {
                    continue;
                }
                out.extend(map(a, i)?.iter().map(|(k, e)| (k.clone(), e.clone())));
            }
            Out::Value(Value::Map(out))
        }
        "lookup" => {
            let m = map(a, 0)?;
            let key = s(a, 1)?;
            match (m.get(&key), args.get(2)) {
                (Some(e), _) => Out::Node(e.node.clone()),
                (None, Some(default)) => Out::Node(default.clone()),
                (None, None) => return Err(Fail(format!("no key \"{key}\" in map"))),
            }
        }
        "element" => {
            let items = list(a, 0)?;
            let i =
                usize::try_from(to_int(arg(a, 1)?)?).map_err(|_| Fail("negative index".into()))?;
            if items.is_empty() {
                return Err(Fail("element() of an empty list".into()));
            }
            Out::Node(
                items
                    .get(i % items.len())
                    .cloned()
                    .unwrap_or_else(|| Node::new(Value::Null, span)),
            )
        }
        "index" => {
            let items = list(a, 0)?;
            let x = arg(a, 1)?;
            let i = items
                .iter()
                .position(|n| values_equal(&n.value, x))
                .ok_or_else(|| Fail("item not found".into()))?;
            int(i)
        }
        "contains" => {
            let x = arg(a, 1)?;
            Out::Value(Value::Bool(
                list(a, 0)?.iter().any(|n| values_equal(&n.value, x)),
            ))
        }
        "keys" => strings(map(a, 0)?.keys().cloned().collect(), span),
        "values" => Out::Value(Value::List(
            map(a, 0)?.values().map(|e| e.node.clone()).collect(),
        )),
        "coalesce" => Out::Node(
            args.iter()
                .find(|n| {
                    !matches!(&n.value, Value::Null)
                        && !matches!(&n.value, Value::String(s) if s.is_empty())
                })
                .cloned()
                .ok_or_else(|| Fail("no non-null, non-empty argument".into()))?,
        ),
        "coalescelist" => Out::Node(
            args.iter()
                .find(|n| matches!(&n.value, Value::List(l) if !l.is_empty()))
                .cloned()
                .ok_or_else(|| Fail("no non-empty list argument".into()))?,
        ),
        "compact" => Out::Value(Value::List(
            list(a, 0)?
                .iter()
                .filter(|n| {
                    !matches!(&n.value, Value::Null)
                        && !matches!(&n.value, Value::String(s) if s.is_empty())
                })
                .cloned()
                .collect(),
        )),
        "distinct" | "toset" => {
            let mut out: Vec<Node> = Vec::new();
            for n in list(a, 0)? {
                if !out.iter().any(|o| values_equal(&o.value, &n.value)) {
                    out.push(n.clone());
                }
            }
            if name == "toset" && out.iter().all(|n| matches!(n.value, Value::String(_))) {
                out.sort_by(|x, y| x.as_str().cmp(&y.as_str()));
            }
            Out::Value(Value::List(out))
        }
        "flatten" => {
            fn flat(items: &[Node], out: &mut Vec<Node>) {
                for n in items {
                    match &n.value {
                        Value::List(inner) => flat(inner, out),
                        _ => out.push(n.clone()),
                    }
                }
            }
            let mut out = Vec::new();
            flat(list(a, 0)?, &mut out);
            Out::Value(Value::List(out))
        }
        "tolist" => Out::Value(Value::List(list(a, 0)?.to_vec())),
        "tomap" => Out::Value(Value::Map(map(a, 0)?.clone())),
        "tostring" => match arg(a, 0)? {
            Value::Null => Out::Value(Value::Null),
            v => string(to_str(v)?),
        },
        "tonumber" => match arg(a, 0)? {
            Value::Null => Out::Value(Value::Null),
            v => Out::Value(Value::Number(to_num(v)?)),
        },
        "tobool" => match arg(a, 0)? {
            Value::Null => Out::Value(Value::Null),
            v => Out::Value(Value::Bool(to_bool(v)?)),
        },
        "jsondecode" => {
            let json: serde_json::Value =
                serde_json::from_str(&s(a, 0)?).map_err(|e| Fail(format!("invalid JSON: {e}")))?;
            Out::Node(wa_lint_graph::from_json(&json, span))
        }
        "range" => range(a, span)?,
        "zipmap" => {
            let keys = list(a, 0)?;
            let vals = list(a, 1)?;
            if keys.len() != vals.len() {
                return Err(Fail("zipmap() lists differ in length".into()));
            }
            let mut out = BTreeMap::new();
            for (k, v) in keys.iter().zip(vals) {
                if let Value::Unknown(r) = &k.value {
                    return Ok(Out::Value(Value::Unknown(r.clone())));
                }
                out.insert(
                    to_str(&k.value)?,
                    Entry {
                        key_span: k.span,
                        node: v.clone(),
                    },
                );
            }
            Out::Value(Value::Map(out))
        }
        "min" | "max" => {
            let nums = a
                .iter()
                .map(|n| to_num(&n.value).map(num_f64))
                .collect::<Result<Vec<_>, _>>()?;
            let pick = if name == "min" { f64::min } else { f64::max };
            let r = nums
                .into_iter()
                .reduce(pick)
                .ok_or_else(|| Fail(format!("{name}() needs arguments")))?;
            Out::Value(Value::Number(num_from_f64(r)))
        }
        "abs" => Out::Value(Value::Number(match to_num(arg(a, 0)?)? {
            Number::Int(i) => i
                .checked_abs()
                .map_or(Number::Float(num_f64(Number::Int(i)).abs()), Number::Int),
            Number::Float(f) => Number::Float(f.abs()),
        })),
        "one" => {
            let items = list(a, 0)?;
            match items {
                [] => Out::Value(Value::Null),
                [x] => Out::Node(x.clone()),
                _ => return Err(Fail("one() of a list with more than one element".into())),
            }
        }
        "reverse" => {
            let mut items = list(a, 0)?.to_vec();
            items.reverse();
            Out::Value(Value::List(items))
        }
        "sort" => {
            let mut items = list(a, 0)?
                .iter()
                .map(|n| to_str(&n.value))
                .collect::<Result<Vec<_>, _>>()?;
            items.sort();
            strings(items, span)
        }
        "slice" => {
            let items = list(a, 0)?;
            let from = usize::try_from(to_int(arg(a, 1)?)?).unwrap_or(usize::MAX);
            let to = usize::try_from(to_int(arg(a, 2)?)?).unwrap_or(usize::MAX);
            Out::Value(Value::List(
                items
                    .get(from..to)
                    .ok_or_else(|| Fail("slice() out of range".into()))?
                    .to_vec(),
            ))
        }
        "cidrsubnet" => string(cidrsubnet(
            &s(a, 0)?,
            to_int(arg(a, 1)?)?,
            to_int(arg(a, 2)?)?,
        )?),
        "title" => string(
            s(a, 0)?
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect::<String>())
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        _ => {
            args.clear();
            Out::Value(Value::Unknown(format!(
                "function `{name}` is not evaluated by wa-lint"
            )))
        }
    })
}

/// `jsonencode(x)`: a policy document (a map with `Statement`) stays a map so rules see its
/// statements, even with unknown parts; anything else becomes JSON text (Unknown when any part
/// is unknown).
fn jsonencode(args: Vec<Node>, span: Option<Span>) -> R {
    let Some(mut doc) = args.into_iter().next() else {
        return Err(Fail("jsonencode() needs one argument".into()));
    };
    if doc.get("Statement").is_some() {
        doc.span = span;
        return Ok(doc);
    }
    if let Some(reason) = first_unknown(&doc) {
        return Ok(Node::unknown(reason, span));
    }
    Ok(Node::new(
        Value::String(to_json(&doc.value)?.to_string()),
        span,
    ))
}

fn range(a: &[Node], span: Option<Span>) -> Result<Out, Fail> {
    let nums = a
        .iter()
        .map(|n| to_num(&n.value).map(num_f64))
        .collect::<Result<Vec<_>, _>>()?;
    let (start, end, step) = match nums.as_slice() {
        [end] => (0.0, *end, 1.0),
        [start, end] => (*start, *end, if end >= start { 1.0 } else { -1.0 }),
        [start, end, step] => (*start, *end, *step),
        _ => return Err(Fail("range() takes 1 to 3 arguments".into())),
    };
    if step == 0.0 {
        return Err(Fail("range() step must not be zero".into()));
    }
    let mut out = Vec::new();
    let mut x = start;
    while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
        if out.len() >= RANGE_LIMIT {
            return Err(Fail(format!(
                "range() would produce more than {RANGE_LIMIT} elements"
            )));
        }
        out.push(Node::new(Value::Number(num_from_f64(x)), span));
        x += step;
    }
    Ok(Out::Value(Value::List(out)))
}

/// `format` with the verbs configurations use: `%s`, `%d`, `%v`, `%q`, `%%` (flags ignored).
fn format(spec: &str, args: &[Node]) -> Result<String, Fail> {
    let mut out = String::new();
    let mut next = args.iter();
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // skip flags, width, precision
        while chars
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | '#' | ' '))
        {
            chars.next();
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(verb @ ('s' | 'd' | 'v' | 'q' | 'f' | 'g' | 't')) => {
                let v = next
                    .next()
                    .ok_or_else(|| Fail("format(): too few arguments".into()))?;
                let text = match &v.value {
                    Value::List(_) | Value::Map(_) => to_json(&v.value)?.to_string(),
                    other => to_str(other)?,
                };
                if verb == 'q' {
                    out.push_str(&serde_json::Value::String(text).to_string());
                } else {
                    out.push_str(&text);
                }
            }
            other => return Err(Fail(format!("format(): unsupported verb {other:?}"))),
        }
    }
    Ok(out)
}

/// IPv4 `cidrsubnet(prefix, newbits, netnum)`.
fn cidrsubnet(prefix: &str, newbits: i64, netnum: i64) -> Result<String, Fail> {
    let bad = || Fail(format!("cidrsubnet(): unsupported prefix \"{prefix}\""));
    let (addr, len) = prefix.split_once('/').ok_or_else(bad)?;
    let ip: std::net::Ipv4Addr = addr.parse().map_err(|_| bad())?;
    let len: u32 = len.parse().map_err(|_| bad())?;
    let newbits = u32::try_from(newbits).map_err(|_| bad())?;
    let new_len = len
        .checked_add(newbits)
        .filter(|l| *l <= 32)
        .ok_or_else(bad)?;
    let netnum = u32::try_from(netnum).map_err(|_| bad())?;
    if newbits < 32 && u64::from(netnum) >= (1u64 << newbits) {
        return Err(Fail("cidrsubnet(): netnum too large".into()));
    }
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    let base = u32::from(ip) & mask;
    let shifted = if new_len == 32 {
        netnum
    } else {
        netnum.checked_shl(32 - new_len).unwrap_or(0)
    };
    Ok(format!(
        "{}/{new_len}",
        std::net::Ipv4Addr::from(base | shifted)
    ))
}
