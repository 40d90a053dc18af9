//! The Terraform functions configurations commonly use. Anything else evaluates to Unknown.
//!
//! A top-level unknown argument makes the result unknown; functions that need nested values
//! (`contains`, `join`, `jsonencode`, …) check for unknowns inside too.

use std::collections::BTreeMap;

use unicode_segmentation::UnicodeSegmentation as _;
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
    // Functions whose result keeps its shape around unknown elements (`length([var.x])` is
    // 1). Not `toset`, `compact`, `flatten`, `distinct`: an unknown element may equal another,
    // be empty or be a list, so their result is unknown as in Terraform.
    let lenient = matches!(
        name,
        "length"
            | "concat"
            | "merge"
            | "tolist"
            | "tomap"
            | "coalesce"
            | "lookup"
            | "element"
            | "keys"
            | "values"
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
            // Characters are grapheme clusters, as in Terraform (`length("e\u0301")` is 1).
            Value::String(s) => int(s.graphemes(true).count()),
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
            // Offsets and lengths count grapheme clusters, as in Terraform.
            let chars: Vec<&str> = x.graphemes(true).collect();
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
            string(chars.get(start..end).unwrap_or_default().concat())
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
        "basename" => string(basename(&s(a, 0)?)),
        "dirname" => string(dirname(&s(a, 0)?)),
        "chomp" => string(s(a, 0)?.trim_end_matches(['\n', '\r']).to_owned()),
        "nonsensitive" | "sensitive" => Out::Node(
            args.into_iter()
                .next()
                .ok_or_else(|| Fail(format!("{name}() needs one argument")))?,
        ),
        "cidrhost" => string(cidrhost(&s(a, 0)?, to_int(arg(a, 1)?)?)?),
        "cidrsubnets" => {
            let prefix = s(a, 0)?;
            let mut out = Vec::new();
            let mut next: u64 = 0;
            let (_, base_len) = parse_cidr(&prefix)?;
            for n in a.iter().skip(1) {
                let newbits = to_int(&n.value)?;
                let new_len = i64::from(base_len) + newbits;
                if !(0..=32).contains(&new_len) || newbits < 1 {
                    return Err(Fail("cidrsubnets(): invalid prefix length".into()));
                }
                // Align to the subnet size, then take the next block.
                let size = 1u64 << (32 - new_len);
                let offset = next.div_ceil(size) * size;
                let netnum = offset >> (32 - new_len);
                out.push(cidrsubnet(
                    &prefix,
                    newbits,
                    i64::try_from(netnum).unwrap_or(i64::MAX),
                )?);
                next = offset + size;
            }
            strings(out, span)
        }
        "formatlist" => {
            let spec = s(a, 0)?;
            let rest = a.get(1..).unwrap_or_default();
            let len = rest
                .iter()
                .find_map(|n| match &n.value {
                    Value::List(items) => Some(items.len()),
                    _ => None,
                })
                .unwrap_or(1);
            let mut out = Vec::with_capacity(len);
            for i in 0..len {
                let row: Vec<Node> = rest
                    .iter()
                    .map(|n| match &n.value {
                        Value::List(items) => items
                            .get(i)
                            .cloned()
                            .ok_or_else(|| Fail("formatlist(): lists differ in length".into())),
                        _ => Ok(n.clone()),
                    })
                    .collect::<Result<_, _>>()?;
                out.push(format(&spec, &row)?);
            }
            strings(out, span)
        }
        "setproduct" => {
            let mut rows: Vec<Vec<Node>> = vec![Vec::new()];
            for i in 0..a.len() {
                let items = list(a, i)?;
                let mut next = Vec::with_capacity(rows.len() * items.len());
                for row in &rows {
                    for item in items {
                        let mut r = row.clone();
                        r.push(item.clone());
                        next.push(r);
                    }
                }
                if next.len() > RANGE_LIMIT {
                    return Err(Fail("setproduct() result is too large".into()));
                }
                rows = next;
            }
            Out::Value(Value::List(
                rows.into_iter()
                    .map(|r| Node::new(Value::List(r), span))
                    .collect(),
            ))
        }
        "sum" => {
            let total = list(a, 0)?
                .iter()
                .map(|n| to_num(&n.value).map(num_f64))
                .sum::<Result<f64, _>>()?;
            Out::Value(Value::Number(num_from_f64(total)))
        }
        "base64encode" => string(base64_encode(s(a, 0)?.as_bytes())),
        "base64decode" => string(
            String::from_utf8(base64_decode(&s(a, 0)?)?)
                .map_err(|_| Fail("base64decode(): result is not UTF-8".into()))?,
        ),
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

/// Last element of a path (`basename("a/b.txt")` = `b.txt`).
fn basename(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return if path.is_empty() {
            ".".into()
        } else {
            "/".into()
        };
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_owned()
}

/// All but the last element of a path (`dirname("a/b.txt")` = `a`).
fn dirname(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    match trimmed.rsplit_once('/') {
        Some(("", _)) => "/".into(),
        Some((dir, _)) => dir.to_owned(),
        None if path.starts_with('/') => "/".into(),
        None => ".".into(),
    }
}

/// An IPv4 CIDR prefix: address and length.
fn parse_cidr(prefix: &str) -> Result<(std::net::Ipv4Addr, u32), Fail> {
    let bad = || Fail(format!("unsupported prefix \"{prefix}\""));
    let (addr, len) = prefix.split_once('/').ok_or_else(bad)?;
    let ip: std::net::Ipv4Addr = addr.parse().map_err(|_| bad())?;
    let len: u32 = len.parse().map_err(|_| bad())?;
    if len > 32 {
        return Err(bad());
    }
    Ok((ip, len))
}

/// IPv4 `cidrhost(prefix, hostnum)`; a negative number counts from the end.
fn cidrhost(prefix: &str, hostnum: i64) -> Result<String, Fail> {
    let (ip, len) = parse_cidr(prefix)?;
    let size = 1i64 << (32 - len);
    let n = if hostnum < 0 { size + hostnum } else { hostnum };
    if !(0..size).contains(&n) {
        return Err(Fail("cidrhost(): host number out of range".into()));
    }
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    let base = u32::from(ip) & mask;
    Ok(std::net::Ipv4Addr::from(base | u32::try_from(n).unwrap_or(0)).to_string())
}

/// Standard base64 with padding (RFC 4648).
fn base64_encode(bytes: &[u8]) -> String {
    data_encoding::BASE64.encode(bytes)
}

/// Standard base64 as Terraform's `base64decode` reads it: whitespace ignored, padding optional.
fn base64_decode(text: &str) -> Result<Vec<u8>, Fail> {
    let mut clean: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    while clean.len() % 4 != 0 {
        clean.push('=');
    }
    data_encoding::BASE64
        .decode(clean.as_bytes())
        .map_err(|_| Fail("base64decode(): invalid base64".into()))
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::eval::values::to_json;

    fn sv(x: &str) -> Node {
        Node::new(Value::String(x.into()), None)
    }
    fn iv(i: i64) -> Node {
        Node::new(Value::Number(Number::Int(i)), None)
    }
    fn lv(items: Vec<Node>) -> Node {
        Node::new(Value::List(items), None)
    }
    fn show(name: &str, args: Vec<Node>) -> String {
        let n = call(name, args, None).unwrap();
        match n.value {
            Value::Unknown(r) => format!("unknown: {r}"),
            v => to_json(&v).unwrap().to_string(),
        }
    }

    #[test]
    fn path_functions() {
        assert_eq!(
            show("basename", vec![sv("examples/complete")]),
            "\"complete\""
        );
        assert_eq!(show("basename", vec![sv("a/b.txt")]), "\"b.txt\"");
        assert_eq!(show("dirname", vec![sv("a/b/c.txt")]), "\"a/b\"");
        assert_eq!(show("dirname", vec![sv("c.txt")]), "\".\"");
        assert_eq!(show("chomp", vec![sv("x\r\n\n")]), "\"x\"");
    }

    #[test]
    fn network_functions() {
        assert_eq!(
            show("cidrsubnet", vec![sv("10.0.0.0/16"), iv(8), iv(2)]),
            "\"10.0.2.0/24\""
        );
        assert_eq!(
            show("cidrhost", vec![sv("10.0.1.0/24"), iv(5)]),
            "\"10.0.1.5\""
        );
        assert_eq!(
            show("cidrhost", vec![sv("10.0.1.0/24"), iv(-2)]),
            "\"10.0.1.254\""
        );
        // Terraform docs: cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)
        assert_eq!(
            show(
                "cidrsubnets",
                vec![sv("10.1.0.0/16"), iv(4), iv(4), iv(8), iv(4)]
            ),
            "[\"10.1.0.0/20\",\"10.1.16.0/20\",\"10.1.32.0/24\",\"10.1.48.0/20\"]"
        );
    }

    #[test]
    fn collection_and_encoding_functions() {
        assert_eq!(
            show(
                "formatlist",
                vec![sv("%s-%s"), lv(vec![sv("a"), sv("b")]), sv("x")]
            ),
            "[\"a-x\",\"b-x\"]"
        );
        assert_eq!(
            show(
                "setproduct",
                vec![lv(vec![sv("a"), sv("b")]), lv(vec![iv(1)])]
            ),
            "[[\"a\",1],[\"b\",1]]"
        );
        assert_eq!(show("sum", vec![lv(vec![iv(1), iv(2), iv(3)])]), "6");
        assert_eq!(
            show("base64encode", vec![sv("hello!?")]),
            "\"aGVsbG8hPw==\""
        );
        assert_eq!(
            show("base64decode", vec![sv("aGVsbG8hPw==")]),
            "\"hello!?\""
        );
        // whitespace ignored, padding optional
        assert_eq!(
            show("base64decode", vec![sv("aGVs\nbG8hPw")]),
            "\"hello!?\""
        );
        assert_eq!(show("nonsensitive", vec![sv("s")]), "\"s\"");
        assert_eq!(
            show("sort", vec![lv(vec![sv("b"), sv("a")])]),
            "[\"a\",\"b\"]"
        );
        assert_eq!(show("reverse", vec![lv(vec![iv(1), iv(2)])]), "[2,1]");
        assert_eq!(
            show("slice", vec![lv(vec![iv(1), iv(2), iv(3)]), iv(1), iv(3)]),
            "[2,3]"
        );
        assert_eq!(
            show("index", vec![lv(vec![sv("a"), sv("b")]), sv("b")]),
            "1"
        );
        assert_eq!(show("one", vec![lv(vec![sv("a")])]), "\"a\"");
        assert_eq!(
            show("concat", vec![lv(vec![iv(1)]), lv(vec![iv(2)])]),
            "[1,2]"
        );
        assert_eq!(
            show("flatten", vec![lv(vec![lv(vec![iv(1)]), iv(2)])]),
            "[1,2]"
        );
        assert_eq!(
            show("join", vec![sv(","), lv(vec![sv("a"), sv("b")])]),
            "\"a,b\""
        );
        assert_eq!(show("split", vec![sv(","), sv("a,b")]), "[\"a\",\"b\"]");
        assert_eq!(show("length", vec![lv(vec![iv(1), iv(2)])]), "2");
        assert_eq!(show("format", vec![sv("%s=%d"), sv("a"), iv(1)]), "\"a=1\"");
        assert_eq!(show("coalesce", vec![sv(""), sv("x")]), "\"x\"");
        assert_eq!(show("jsonencode", vec![lv(vec![iv(1)])]), "\"[1]\"");
        assert_eq!(show("jsondecode", vec![sv("{\"a\":1}")]), "{\"a\":1}");
        assert!(show("md5", vec![sv("x")]).starts_with("unknown: function `md5`"));
        // An unknown argument makes the result unknown, never an error.
        assert!(show("upper", vec![Node::unknown("r", None)]).starts_with("unknown: r"));
    }
}
