//! `Fn::ForEach` loops of the `AWS::LanguageExtensions` transform, expanded before resolution.
//!
//! A key `Fn::ForEach::<Name>` in `Resources`, `Outputs` or any mapping inside a resource holds
//! `[Identifier, Collection, {OutputKey: Template}]`. For each string of the collection, every
//! output key has `${Identifier}` and `&{Identifier}` replaced (the `&` form keeps only ASCII
//! letters and digits), and inside the template `Ref: Identifier` becomes the string and
//! `${Identifier}` is replaced in `Fn::Sub` text. Loops nest. See
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-foreach.html>.
//!
//! The collection is a literal list, or a `Ref` to a parameter (user value, else `Default`;
//! comma-separated text is split), or `Fn::FindInMap` whose keys are literal or such `Ref`s.
//! Anything else leaves the loop out with a `cfn::foreach-unknown` note at the collection.
//! Expanded nodes keep the spans of the loop template they came from.

use std::collections::BTreeMap;

use wa_lint_graph::{Entry, Node, Value};
use wa_lint_source::{Diagnostic, Level, SourceFile};

use crate::CfnOptions;

/// Prefix of a loop key.
pub(crate) const PREFIX: &str = "Fn::ForEach::";
/// Deepest loop nesting followed.
const MAX_NESTING: usize = 16;
/// Most entries one loop may produce (bounds `[A..Z] × [A..Z] × …`).
const MAX_OUTPUT: usize = 10_000;

/// True when a mapping anywhere in `node` has a `Fn::ForEach::` key.
pub(crate) fn has_loops(node: &Node) -> bool {
    match &node.value {
        Value::Map(m) => m
            .iter()
            .any(|(k, e)| k.starts_with(PREFIX) || has_loops(&e.node)),
        Value::List(items) => items.iter().any(has_loops),
        _ => false,
    }
}

/// Returns `root` with every `Fn::ForEach` of `Resources` and `Outputs` (and inside them)
/// expanded. Problems are notes/errors pushed to `diagnostics`.
pub(crate) fn expand_root(
    file: &SourceFile,
    root: &Node,
    options: &CfnOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Node {
    let mut out = root.clone();
    let ctx = Ctx {
        file,
        root,
        options,
    };
    if let Value::Map(map) = &mut out.value {
        for section in ["Resources", "Outputs"] {
            if let Some(entry) = map.get_mut(section) {
                let node = std::mem::replace(&mut entry.node, Node::new(Value::Null, None));
                entry.node = ctx.walk(node, &BTreeMap::new(), 0, diagnostics);
            }
        }
    }
    out
}

struct Ctx<'a> {
    file: &'a SourceFile,
    root: &'a Node,
    options: &'a CfnOptions,
}

impl Ctx<'_> {
    /// Substitutes `vars` in `node` and expands the loops found in it.
    fn walk(
        &self,
        node: Node,
        vars: &BTreeMap<String, String>,
        depth: usize,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Node {
        let Node {
            value,
            span,
            provenance,
        } = node;
        let value = match value {
            Value::Map(map) => {
                // `Ref: Identifier` of an enclosing loop becomes the current item.
                if map.len() == 1 {
                    if let Some(name) = map.get("Ref").and_then(|e| e.node.as_str()) {
                        if let Some(item) = vars.get(name) {
                            return Node::new(Value::String(item.clone()), span);
                        }
                    }
                }
                let mut out = BTreeMap::new();
                for (key, entry) in map {
                    if key.starts_with(PREFIX) {
                        self.expand_loop(&key, entry, vars, depth, &mut out, diagnostics);
                        continue;
                    }
                    let mut node = self.walk(entry.node, vars, depth, diagnostics);
                    if key == "Fn::Sub" {
                        node = substitute_all(node, vars);
                    }
                    self.insert(
                        &mut out,
                        substitute(&key, vars),
                        Entry {
                            key_span: entry.key_span,
                            node,
                        },
                        diagnostics,
                    );
                }
                Value::Map(out)
            }
            Value::List(items) => Value::List(
                items
                    .into_iter()
                    .map(|n| self.walk(n, vars, depth, diagnostics))
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

    /// Expands loop `key` (with value `entry`) into `out`.
    fn expand_loop(
        &self,
        key: &str,
        entry: Entry,
        vars: &BTreeMap<String, String>,
        depth: usize,
        out: &mut BTreeMap<String, Entry>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let at = entry.key_span.or(entry.node.span).map(|s| s.range);
        let path = self.file.path.as_str();
        let error = |diagnostics: &mut Vec<Diagnostic>, message: String| {
            diagnostics.push(Diagnostic::error("cfn::structure", path, at, message));
        };
        if depth >= MAX_NESTING {
            error(
                diagnostics,
                format!("`{key}` is nested too deeply to expand"),
            );
            return;
        }
        let Value::List(parts) = entry.node.value else {
            error(
                diagnostics,
                format!("`{key}` must be a list of an identifier, a collection and a template"),
            );
            return;
        };
        let mut parts = parts.into_iter();
        let (Some(ident), Some(collection), Some(template), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            error(
                diagnostics,
                format!("`{key}` must be a list of an identifier, a collection and a template"),
            );
            return;
        };
        let (Some(ident), Value::Map(_)) = (ident.as_str(), &template.value) else {
            error(
                diagnostics,
                format!("`{key}` must be a list of an identifier, a collection and a template"),
            );
            return;
        };
        let collection = self.walk(collection, vars, depth, diagnostics);
        let items = match self.collection(&collection) {
            Ok(items) => items,
            Err(why) => {
                diagnostics.push(Diagnostic::at(
                    Level::Note,
                    "cfn::foreach-unknown",
                    self.file.path.as_str(),
                    collection.span.or(entry.key_span).map(|s| s.range),
                    format!("`{key}` is not expanded: {why}; its resources are not checked"),
                ));
                return;
            }
        };
        // Each item copies the template: refuse a loop whose copies alone pass the budget of
        // what a template may produce (a 5 MB value in a loop over 1,000 keys took 3 GB).
        let copies = template.approx_bytes().saturating_mul(items.len() as u64);
        if copies > crate::resolve::MAX_RESOLVED_BYTES {
            error(
                diagnostics,
                format!(
                    "`{key}` produces more than {} MiB of values; it is not expanded",
                    crate::resolve::MAX_RESOLVED_BYTES >> 20
                ),
            );
            return;
        }
        let mut produced = 0usize;
        for item in items {
            let mut inner = vars.clone();
            inner.insert(ident.to_owned(), item);
            let Value::Map(map) = self
                .walk(template.clone(), &inner, depth + 1, diagnostics)
                .value
            else {
                continue;
            };
            for (k, e) in map {
                produced += 1;
                if produced > MAX_OUTPUT {
                    error(
                        diagnostics,
                        format!("`{key}` produces more than {MAX_OUTPUT} entries"),
                    );
                    return;
                }
                self.insert(out, k, e, diagnostics);
            }
        }
    }

    /// Inserts `key` into `out`; a key already there (a loop producing a logical ID written
    /// next to it, two loops producing the same one) is a `cfn::duplicate-key` error at the
    /// later entry, which wins, as for duplicate keys written in the file.
    fn insert(
        &self,
        out: &mut BTreeMap<String, Entry>,
        key: String,
        entry: Entry,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        if out.contains_key(&key) {
            diagnostics.push(
                Diagnostic::error(
                    "cfn::duplicate-key",
                    self.file.path.as_str(),
                    entry.key_span.or(entry.node.span).map(|s| s.range),
                    format!("duplicate key `{key}` (also produced by `Fn::ForEach` or written in the same mapping)"),
                )
                .with_help("rename one of them; CloudFormation rejects duplicates and wa-lint uses the last value"),
            );
        }
        out.insert(key, entry);
    }

    /// The strings of a loop collection (already substituted).
    fn collection(&self, node: &Node) -> Result<Vec<String>, String> {
        match &node.value {
            Value::List(items) => items
                .iter()
                .map(|n| match &n.value {
                    Value::String(s) => Ok(s.clone()),
                    Value::Number(x) => Ok(x.to_string()),
                    Value::Bool(b) => Ok(b.to_string()),
                    _ => Err("a collection item is not a literal string".to_owned()),
                })
                .collect(),
            Value::Map(m) if m.len() == 1 => {
                if let Some(name) = node.get("Ref").and_then(Node::as_str) {
                    return self.parameter(name);
                }
                if let Some(Value::List(args)) = node.get("Fn::FindInMap").map(|n| &n.value) {
                    return self.find_in_map(args);
                }
                Err("the collection is not a list, a parameter or a `Fn::FindInMap`".to_owned())
            }
            _ => Err("the collection is not a list".to_owned()),
        }
    }

    /// The list value of parameter `name`.
    fn parameter(&self, name: &str) -> Result<Vec<String>, String> {
        let split = |s: &str| s.split(',').map(|p| p.trim().to_owned()).collect();
        if let Some(text) = self.options.parameters.get(name) {
            return Ok(split(text));
        }
        let Some(param) = self.root.get("Parameters").and_then(|p| p.get(name)) else {
            return Err(format!("`{name}` is not a parameter"));
        };
        match param.get("Default") {
            Some(Node {
                value: Value::String(s),
                ..
            }) => Ok(split(s)),
            Some(
                list @ Node {
                    value: Value::List(_),
                    ..
                },
            ) => self.collection(list),
            _ => Err(format!("parameter `{name}` has no default")),
        }
    }

    /// `[Map, TopKey, SecondKey]` of a collection.
    fn find_in_map(&self, args: &[Node]) -> Result<Vec<String>, String> {
        let mut keys = Vec::new();
        for arg in args.iter().take(3) {
            let key = match (&arg.value, arg.get("Ref").and_then(Node::as_str)) {
                (Value::String(s), _) => s.clone(),
                (_, Some(name)) => match self.parameter(name)?.as_slice() {
                    [one] => one.clone(),
                    _ => return Err(format!("parameter `{name}` is not a single value")),
                },
                _ => return Err("a `Fn::FindInMap` key is not known".to_owned()),
            };
            keys.push(key);
        }
        let [map, top, second] = keys.as_slice() else {
            return Err("`Fn::FindInMap` needs three keys".to_owned());
        };
        let found = self
            .root
            .get("Mappings")
            .and_then(|m| m.get(map))
            .and_then(|m| m.get(top))
            .and_then(|m| m.get(second))
            .ok_or_else(|| format!("mapping `{map}.{top}.{second}` does not exist"))?;
        match &found.value {
            Value::String(s) => Ok(s.split(',').map(|p| p.trim().to_owned()).collect()),
            _ => self.collection(found),
        }
    }
}

/// Replaces `${Name}` and `&{Name}` of every loop variable in `text`.
fn substitute(text: &str, vars: &BTreeMap<String, String>) -> String {
    if !text.contains('{') {
        return text.to_owned();
    }
    let mut out = text.to_owned();
    for (name, value) in vars {
        out = out.replace(&format!("${{{name}}}"), value);
        let alnum: String = value.chars().filter(char::is_ascii_alphanumeric).collect();
        out = out.replace(&format!("&{{{name}}}"), &alnum);
    }
    out
}

/// [`substitute`] in every string (and key) of `node`: the text of a `Fn::Sub`.
fn substitute_all(mut node: Node, vars: &BTreeMap<String, String>) -> Node {
    node.value = match node.value {
        Value::String(s) => Value::String(substitute(&s, vars)),
        Value::List(items) => {
            Value::List(items.into_iter().map(|n| substitute_all(n, vars)).collect())
        }
        Value::Map(map) => Value::Map(
            map.into_iter()
                .map(|(k, e)| {
                    (
                        substitute(&k, vars),
                        Entry {
                            key_span: e.key_span,
                            node: substitute_all(e.node, vars),
                        },
                    )
                })
                .collect(),
        ),
        other => other,
    };
    node
}
