//! The Rego `input` document built from a [`ResourceGraph`], directly as a [`regorus::Value`]
//! (no JSON text in between).
//!
//! # Shape
//!
//! Rules are written against exactly this document:
//!
//! ```text
//! {
//!   "unit":      {"origin": "cloudformation" | "terraform" | "terraform-plan",
//!                 "path": "<unit path, relative to the scan root>",
//!                 "files": ["<path>", ...]},                 // in the unit's file order
//!   "resources": {"<address>": {
//!                   "address":   "<address>",                // same as the key
//!                   "type":      "<native type>",            // AWS::S3::Bucket, aws_s3_bucket
//!                   "kind":      "<kind>" | null,            // aws.s3.bucket (wa_lint_graph::kind_of)
//!                   "origin":    "cloudformation" | "terraform" | "terraform-plan",
//!                   "mode":      "managed" | "data",
//!                   "attrs":     {...},                      // native attribute names
//!                   "refs":      [{"to": "<address>", "at": [<path>...], "kind": <edge kind>}],
//!                   "referrers": [{"from": "<address>", "at": [<path>...], "kind": <edge kind>}]}},
//!   "by_type":   {"<native type>": ["<address>", ...]},      // addresses sorted
//!   "by_kind":   {"<kind>": ["<address>", ...]},              // addresses sorted
//!   "parameters": {"<address>": {                            // Parameters.<Name>, var.<name>
//!                   "address": "<address>", "name": "<Name>",
//!                   "type":    "AWS::CloudFormation::Parameter" | "terraform_variable",
//!                   "origin":  "cloudformation" | "terraform",
//!                   "attrs":   {...},                        // the body: Type, NoEcho, Default…
//!                                                            // / default, sensitive, type…
//!                   "referrers": [{"from": "<resource address>", "at": [<path in it>...],
//!                                  "kind": "ref" | "sub" | "traversal"}]}},
//!   "outputs":   {"<address>": {                             // Outputs.<Name>, output.<name>
//!                   "address": "<address>", "name": "<Name>",
//!                   "type":    "AWS::CloudFormation::Output" | "terraform_output",
//!                   "origin":  "cloudformation" | "terraform",
//!                   "attrs":   {...},                        // Value (resolved), Export… / value,
//!                                                            // sensitive, description
//!                   "refs": [{"to": "<resource address>", "at": [<path in the output>...],
//!                             "attr": "<attribute read>" | null,
//!                             "kind": "ref" | "get-att" | "sub" | "traversal"}]}}
//! }
//! ```
//!
//! - `parameters` / `outputs` are the template-level declarations
//!   ([`ResourceGraph::declarations`]): CloudFormation `Parameters` / `Outputs`, the `variable`
//!   / `output` blocks of a Terraform root module (plans have none). A parameter's `referrers`
//!   are the resource attributes that use it (`Ref`, `${Param}`, `var.x`); an output's `refs` are
//!   the resources its value reads and the attribute (`Fn::GetAtt [Key, SecretAccessKey]`,
//!   `${Key.SecretAccessKey}`, `aws_iam_access_key.k.secret`, also through a child module's
//!   output; `null` for a plain `Ref`). A rule's result may name a declaration address
//!   instead of a resource; rules that read them declare the pseudo types in
//!   `resource_types`.
//!
//! - Attribute values: `null`, booleans, strings, lists and maps as written; integers stay
//!   integers (`22`), other numbers are floats (`0.5`). Non-finite floats (YAML `.nan`, `.inf`)
//!   and values nested deeper than 128 levels become unknown values.
//! - The evaluator adds `"applicable_rules": {"<rule ID>": true, …}`: the rules evaluated on
//!   the unit (their `resource_types` occur in it); the groups' dispatch rules read it (see
//!   `dispatch.rs`). [`build_input`] itself does not set it.
//! - A value that cannot be known statically ([`wa_lint_graph::Value::Unknown`]) is the object
//!   `{"$unknown": "<reason>"}`; the reason is a human phrase for messages. A map key
//!   `$unknown` written in a template or module is passed as `$$unknown` (one `$` added to
//!   every key made of `$`s followed by `unknown`), so no written value looks unknown to a rule.
//! - Terraform nested blocks are lists of maps; policy documents are already parsed objects.
//! - A path (`at`) is a list of map keys (strings) and 0-based list indexes (integers), e.g.
//!   `["SecurityGroupIngress", 0, "CidrIp"]`; `[]` for `DependsOn`/`depends_on`.
//! - Edge kinds: `"ref"` (`Ref`), `"get-att"` (`Fn::GetAtt`), `"sub"`
//!   (`Fn::Sub`), `"traversal"` (Terraform reference), `"depends-on"`,
//!   `"generated-from"` (from a resource a transform added to its source, e.g. the SAM
//!   function's `<Id>Role` to the function).
//! - `refs` lists the edges leaving a resource, `referrers` the edges arriving at it, both in
//!   the graph's edge order (sorted by from, to, path, kind once the graph is finished).
//! - Spans never enter Rego: a rule returns an address and a path, Rust finds the location.

use std::collections::BTreeMap;

use regorus::Value as RValue;
use wa_lint_graph::{
    kind_of, EdgeKind, Node, Number, PathSeg, ResourceGraph, Value, CFN_OUTPUT, TF_OUTPUT,
};

/// Maps deeper than this become `{"$unknown": ...}`, so hostile input cannot overflow the stack.
const MAX_DEPTH: usize = 128;

/// Builds the Rego `input` for `graph` (see the module docs for the shape).
pub fn build_input(graph: &ResourceGraph) -> RValue {
    let k = Keys::new();
    let mut refs: BTreeMap<&str, Vec<RValue>> = BTreeMap::new();
    let mut referrers: BTreeMap<&str, Vec<RValue>> = BTreeMap::new();
    for edge in &graph.edges {
        let (at, kind) = (path_value(&edge.at), edge_kind(edge.kind));
        refs.entry(edge.from.as_str()).or_default().push(object([
            (k.to.clone(), str_value(&edge.to)),
            (k.at.clone(), at.clone()),
            (k.kind.clone(), kind.clone()),
        ]));
        referrers.entry(edge.to.as_str()).or_default().push(object([
            (k.from.clone(), str_value(&edge.from)),
            (k.at.clone(), at),
            (k.kind.clone(), kind),
        ]));
    }

    let mut resources = BTreeMap::new();
    let mut by_type: BTreeMap<&str, Vec<RValue>> = BTreeMap::new();
    let mut by_kind: BTreeMap<&str, Vec<RValue>> = BTreeMap::new();
    for (address, resource) in &graph.resources {
        let addr = str_value(address);
        let kind = kind_of(&resource.rtype);
        by_type
            .entry(resource.rtype.as_str())
            .or_default()
            .push(addr.clone());
        if let Some(kind) = kind {
            by_kind.entry(kind).or_default().push(addr.clone());
        }
        let mode = match resource.mode {
            wa_lint_graph::Mode::Managed => "managed",
            wa_lint_graph::Mode::Data => "data",
        };
        let value = object([
            (k.address.clone(), addr.clone()),
            (k.type_.clone(), str_value(&resource.rtype)),
            (k.kind.clone(), kind.map_or(RValue::Null, str_value)),
            (k.origin.clone(), str_value(resource.origin.as_str())),
            (k.mode.clone(), str_value(mode)),
            (k.attrs.clone(), node_value(&resource.attrs, &k, 0)),
            (
                k.refs.clone(),
                RValue::from(refs.remove(address.as_str()).unwrap_or_default()),
            ),
            (
                k.referrers.clone(),
                RValue::from(referrers.remove(address.as_str()).unwrap_or_default()),
            ),
        ]);
        resources.insert(addr, value);
    }

    let unit = object([
        (k.origin.clone(), str_value(graph.unit.origin.as_str())),
        (str_value("path"), str_value(&graph.unit.path)),
        (
            str_value("files"),
            RValue::from(
                graph
                    .unit
                    .files
                    .iter()
                    .map(|(_, p)| str_value(p))
                    .collect::<Vec<_>>(),
            ),
        ),
    ]);
    let (parameters, outputs) = declarations(graph, &k);
    object([
        (str_value("unit"), unit),
        (str_value("resources"), RValue::from(resources)),
        (str_value("by_type"), address_index(by_type)),
        (str_value("by_kind"), address_index(by_kind)),
        (str_value("parameters"), parameters),
        (str_value("outputs"), outputs),
    ])
}

/// `input.parameters` and `input.outputs` (see the module docs).
fn declarations(graph: &ResourceGraph, k: &Keys) -> (RValue, RValue) {
    let mut links: BTreeMap<&str, Vec<RValue>> = BTreeMap::new();
    for r in &graph.declaration_refs {
        let is_output = graph
            .declarations
            .get(&r.declaration)
            .is_some_and(|d| d.rtype == CFN_OUTPUT || d.rtype == TF_OUTPUT);
        let link = if is_output {
            object([
                (k.to.clone(), str_value(&r.resource)),
                (k.at.clone(), path_value(&r.at)),
                (
                    str_value("attr"),
                    r.attr.as_deref().map_or(RValue::Null, str_value),
                ),
                (k.kind.clone(), edge_kind(r.kind)),
            ])
        } else {
            object([
                (k.from.clone(), str_value(&r.resource)),
                (k.at.clone(), path_value(&r.at)),
                (k.kind.clone(), edge_kind(r.kind)),
            ])
        };
        links.entry(r.declaration.as_str()).or_default().push(link);
    }
    let mut parameters = BTreeMap::new();
    let mut outputs = BTreeMap::new();
    for (address, decl) in &graph.declarations {
        let is_output = decl.rtype == CFN_OUTPUT || decl.rtype == TF_OUTPUT;
        let name = address.split_once('.').map_or(address.as_str(), |(_, n)| n);
        let value = object([
            (k.address.clone(), str_value(address)),
            (str_value("name"), str_value(name)),
            (k.type_.clone(), str_value(&decl.rtype)),
            (k.origin.clone(), str_value(decl.origin.as_str())),
            (k.attrs.clone(), node_value(&decl.attrs, k, 0)),
            (
                if is_output {
                    k.refs.clone()
                } else {
                    k.referrers.clone()
                },
                RValue::from(links.remove(address.as_str()).unwrap_or_default()),
            ),
        ]);
        let target = if is_output {
            &mut outputs
        } else {
            &mut parameters
        };
        target.insert(str_value(address), value);
    }
    (RValue::from(parameters), RValue::from(outputs))
}

/// Converts an attribute node; see the module docs for the mapping.
fn node_value(node: &Node, k: &Keys, depth: usize) -> RValue {
    if depth > MAX_DEPTH {
        return unknown("value nested too deeply", k);
    }
    match &node.value {
        Value::Null => RValue::Null,
        Value::Bool(b) => RValue::from(*b),
        Value::Number(Number::Int(i)) => RValue::from(*i),
        Value::Number(Number::Float(f)) if f.is_finite() => RValue::from(*f),
        Value::Number(Number::Float(f)) => unknown(&format!("non-finite number {f}"), k),
        Value::String(s) => str_value(s),
        Value::List(items) => RValue::from(
            items
                .iter()
                .map(|n| node_value(n, k, depth + 1))
                .collect::<Vec<_>>(),
        ),
        Value::Map(map) => RValue::from(
            map.iter()
                .map(|(key, entry)| (map_key(key), node_value(&entry.node, k, depth + 1)))
                .collect::<BTreeMap<_, _>>(),
        ),
        Value::Unknown(reason) => unknown(reason, k),
    }
}

/// A written map key: `$unknown` (and `$$unknown`, …) gets one more `$`, so the marker of an
/// unknown value (`{"$unknown": reason}`) cannot be written in a template.
fn map_key(key: &str) -> RValue {
    if key.trim_start_matches('$') == "unknown" && key.starts_with('$') {
        str_value(&format!("${key}"))
    } else {
        str_value(key)
    }
}

/// `{"$unknown": reason}`.
fn unknown(reason: &str, k: &Keys) -> RValue {
    object([(k.unknown.clone(), str_value(reason))])
}

/// An attribute path as a Rego array of strings and integers.
pub(crate) fn path_value(path: &wa_lint_graph::AttrPath) -> RValue {
    RValue::from(
        path.segments()
            .iter()
            .map(|seg| match seg {
                PathSeg::Key(k) => str_value(k),
                PathSeg::Index(i) => RValue::from(*i),
            })
            .collect::<Vec<_>>(),
    )
}

fn edge_kind(kind: EdgeKind) -> RValue {
    str_value(match kind {
        EdgeKind::Ref => "ref",
        EdgeKind::GetAtt => "get-att",
        EdgeKind::Sub => "sub",
        EdgeKind::Traversal => "traversal",
        EdgeKind::DependsOn => "depends-on",
        EdgeKind::GeneratedFrom => "generated-from",
    })
}

fn address_index(index: BTreeMap<&str, Vec<RValue>>) -> RValue {
    RValue::from(
        index
            .into_iter()
            .map(|(key, addrs)| (str_value(key), RValue::from(addrs)))
            .collect::<BTreeMap<_, _>>(),
    )
}

fn str_value(s: &str) -> RValue {
    RValue::from(s)
}

fn object<const N: usize>(entries: [(RValue, RValue); N]) -> RValue {
    RValue::from(BTreeMap::from(entries))
}

/// Object keys used many times per input, allocated once per build (clones share the string).
struct Keys {
    address: RValue,
    type_: RValue,
    kind: RValue,
    origin: RValue,
    mode: RValue,
    attrs: RValue,
    refs: RValue,
    referrers: RValue,
    to: RValue,
    from: RValue,
    at: RValue,
    unknown: RValue,
}

impl Keys {
    fn new() -> Self {
        Self {
            address: str_value("address"),
            type_: str_value("type"),
            kind: str_value("kind"),
            origin: str_value("origin"),
            mode: str_value("mode"),
            attrs: str_value("attrs"),
            refs: str_value("refs"),
            referrers: str_value("referrers"),
            to: str_value("to"),
            from: str_value("from"),
            at: str_value("at"),
            unknown: str_value("$unknown"),
        }
    }
}
