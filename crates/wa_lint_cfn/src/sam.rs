//! The parts of the SAM transform (`Transform: AWS::Serverless-2016-10-31`) that matter for
//! security, applied to the template before resolution, the way the SAM translator does
//! (<https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-resources-and-properties.html>):
//!
//! - `Globals` sections (`Function`, `Api`, `HttpApi`, `SimpleTable`, `StateMachine`) are merged
//!   into each resource of the matching type first: the resource's own value wins, mappings
//!   merge key by key, lists are global items then local items.
//! - `AWS::Serverless::Function` and `AWS::Serverless::StateMachine` stay as they are (rules see
//!   them natively: `Environment`, `VpcConfig`, `Tracing`, …). When they have no `Role`, an
//!   `AWS::IAM::Role` `<Id>Role` is added: `ManagedPolicyArns` has the basic execution policy
//!   (functions), the VPC access policy (functions with `VpcConfig`) and every policy given by
//!   name or ARN in `Policies`; `Policies` has one `<Id>RolePolicy<N>` per inline policy
//!   document. SAM policy templates (`SQSPollerPolicy: {…}`) are left out: the translator fills
//!   them with AWS-curated, resource-scoped statements. The SAM resource gets
//!   `Role: !GetAtt <Id>Role.Arn` like the translated function.
//! - `AWS::Serverless::SimpleTable` becomes the `AWS::DynamoDB::Table` the translator emits under
//!   the same logical ID (`PrimaryKey` → key schema, `SSESpecification` kept, on-demand billing
//!   unless `ProvisionedThroughput` is given).
//! - `AWS::Serverless::Api`/`HttpApi` stay native with their `Auth` (after `Globals`).
//!   `AWS::Serverless::Application` with a local `Location` is a nested stack (see `project`).
//!
//! Added nodes carry the spans of the SAM properties they come from (the role's header is the
//! function's logical ID), so findings point at the SAM source.

use std::collections::BTreeMap;

use wa_lint_graph::{Entry, Node, Value};
use wa_lint_source::Span;

/// The transform name.
pub(crate) const TRANSFORM: &str = "AWS::Serverless-2016-10-31";

/// `(generated logical ID, SAM logical ID)` pairs of resources added by [`expand`].
pub(crate) type Generated = Vec<(String, String)>;

/// True when `root` declares the SAM transform (a string or a list of strings).
pub(crate) fn is_sam(root: &Node) -> bool {
    match root.get("Transform").map(|n| &n.value) {
        Some(Value::String(s)) => s == TRANSFORM,
        Some(Value::List(items)) => items.iter().any(|n| n.as_str() == Some(TRANSFORM)),
        _ => false,
    }
}

/// Applies the SAM expansion to `root` (a SAM template in file `path`). Returns the new root and
/// the resources it added; a `Globals` section too large to copy into every serverless
/// resource ([`globals_too_large`]) is left out with a `cfn::resolve-budget` error.
pub(crate) fn expand(
    root: &Node,
    path: &str,
    diagnostics: &mut Vec<wa_lint_source::Diagnostic>,
) -> (Node, Generated) {
    let mut out = root.clone();
    let mut generated = Vec::new();
    let mut globals = root.get("Globals").cloned();
    if let Some(g) = globals.take_if(|g| globals_too_large(root, g)) {
        diagnostics.push(globals_error(path, &g));
    }
    let Value::Map(top) = &mut out.value else {
        return (out, generated);
    };
    let Some(Entry {
        node: Node {
            value: Value::Map(resources),
            ..
        },
        ..
    }) = top.get_mut("Resources")
    else {
        return (out, generated);
    };
    let mut added = BTreeMap::new();
    for (id, entry) in resources.iter_mut() {
        let Some(rtype) = entry.node.get("Type").and_then(Node::as_str) else {
            continue;
        };
        let Some(kind) = rtype.strip_prefix("AWS::Serverless::").map(str::to_owned) else {
            continue;
        };
        if let Some(global) = globals.as_ref().and_then(|g| g.get(&kind)) {
            merge_globals(&mut entry.node, global);
        }
        let header = entry.key_span.or(entry.node.span);
        match kind.as_str() {
            "Function" | "StateMachine" => {
                if let Some(role) = role_for(id, &kind, &entry.node, header) {
                    let role_id = format!("{id}Role");
                    set_property(&mut entry.node, "Role", get_att(&role_id, header), header);
                    added.insert(
                        role_id.clone(),
                        Entry {
                            key_span: entry.key_span,
                            node: role,
                        },
                    );
                    generated.push((role_id, id.clone()));
                }
            }
            "SimpleTable" => simple_table(&mut entry.node, header),
            _ => {}
        }
    }
    for (id, entry) in added {
        // A resource of that name already written by the user wins (SAM would reject it).
        resources.entry(id).or_insert(entry);
    }
    generated.retain(|(g, _)| resources.contains_key(g));
    (out, generated)
}

/// True when merging `globals` into every serverless resource of `root` would copy more than
/// a template may produce ([`crate::resolve::MAX_RESOLVED_BYTES`]): a 5 MB `Globals` value and
/// 1,000 functions took 3 GB. `Globals` is then not merged.
fn globals_too_large(root: &Node, globals: &Node) -> bool {
    let serverless = match root.get("Resources").map(|r| &r.value) {
        Some(Value::Map(resources)) => resources
            .values()
            .filter(|e| {
                e.node
                    .get("Type")
                    .and_then(Node::as_str)
                    .is_some_and(|t| t.starts_with("AWS::Serverless::"))
            })
            .count(),
        _ => 0,
    };
    globals.approx_bytes().saturating_mul(serverless as u64) > crate::resolve::MAX_RESOLVED_BYTES
}

/// The error for a `Globals` section [`globals_too_large`] leaves out, in `path`.
fn globals_error(path: &str, globals: &Node) -> wa_lint_source::Diagnostic {
    wa_lint_source::Diagnostic::error(
        "cfn::resolve-budget",
        path,
        globals.span.map(|s| s.range),
        format!(
            "`Globals` copied into every serverless resource would be more than {} MiB of values; it is not applied",
            crate::resolve::MAX_RESOLVED_BYTES >> 20
        ),
    )
}

/// Deep-merges `global` (a `Globals` section) under the resource's `Properties`.
fn merge_globals(resource: &mut Node, global: &Node) {
    let Value::Map(map) = &mut resource.value else {
        return;
    };
    match map.get_mut("Properties") {
        Some(props) => merge(&mut props.node, global),
        None => {
            map.insert(
                "Properties".to_owned(),
                Entry {
                    key_span: global.span,
                    node: global.clone(),
                },
            );
        }
    }
}

/// Merges `global` into `local`: local scalars win, mappings merge, lists are global + local.
/// Intrinsic-function mappings (`Fn::If`, `Ref`, …) are values, not merged.
fn merge(local: &mut Node, global: &Node) {
    match (&mut local.value, &global.value) {
        (Value::Map(l), Value::Map(g)) if !is_intrinsic(l) && !is_intrinsic(g) => {
            for (k, ge) in g {
                match l.get_mut(k) {
                    Some(le) => merge(&mut le.node, &ge.node),
                    None => {
                        l.insert(k.clone(), ge.clone());
                    }
                }
            }
        }
        (Value::List(l), Value::List(g)) => {
            let mut items = g.clone();
            items.append(l);
            *l = items;
        }
        _ => {}
    }
}

fn is_intrinsic(map: &BTreeMap<String, Entry>) -> bool {
    map.len() == 1
        && map
            .keys()
            .next()
            .is_some_and(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::"))
}

/// A `{key: value}` node at `span`.
fn map(entries: Vec<(&str, Node)>, span: Option<Span>) -> Node {
    Node::new(
        Value::Map(
            entries
                .into_iter()
                .map(|(k, node)| {
                    (
                        k.to_owned(),
                        Entry {
                            key_span: span,
                            node,
                        },
                    )
                })
                .collect(),
        ),
        span,
    )
}

fn string(text: &str, span: Option<Span>) -> Node {
    Node::new(Value::String(text.to_owned()), span)
}

fn get_att(id: &str, span: Option<Span>) -> Node {
    map(
        vec![(
            "Fn::GetAtt",
            Node::new(
                Value::List(vec![string(id, span), string("Arn", span)]),
                span,
            ),
        )],
        span,
    )
}

/// Sets `Properties.<key>` of a resource when it is not set.
fn set_property(resource: &mut Node, key: &str, value: Node, span: Option<Span>) {
    let Value::Map(map) = &mut resource.value else {
        return;
    };
    let props = map.entry("Properties".to_owned()).or_insert_with(|| Entry {
        key_span: span,
        node: Node::empty_map(span),
    });
    if let Value::Map(p) = &mut props.node.value {
        p.entry(key.to_owned()).or_insert(Entry {
            key_span: span,
            node: value,
        });
    }
}

/// The `<Id>Role` resource of a function or state machine that has no `Role`.
fn role_for(id: &str, kind: &str, resource: &Node, header: Option<Span>) -> Option<Node> {
    let props = resource.get("Properties");
    if props.and_then(|p| p.get("Role")).is_some() {
        return None;
    }
    let service = if kind == "Function" {
        "lambda.amazonaws.com"
    } else {
        "states.amazonaws.com"
    };
    let mut managed = Vec::new();
    let managed_arn = |name: &str| {
        string(
            &format!("arn:aws:iam::aws:policy/service-role/{name}"),
            header,
        )
    };
    if kind == "Function" {
        managed.push(managed_arn("AWSLambdaBasicExecutionRole"));
        if props.and_then(|p| p.get("VpcConfig")).is_some() {
            managed.push(managed_arn("AWSLambdaVPCAccessExecutionRole"));
        }
    }
    let mut inline = Vec::new();
    let policies = props.and_then(|p| p.get("Policies"));
    let items: Vec<&Node> = match policies.map(|p| &p.value) {
        Some(Value::List(items)) => items.iter().collect(),
        Some(_) => policies.into_iter().collect(),
        None => Vec::new(),
    };
    for item in items {
        match &item.value {
            // A managed policy by name or ARN.
            Value::String(s) if s.starts_with("arn:") => managed.push(item.clone()),
            Value::String(s) => {
                let mut n = item.clone();
                n.value = Value::String(format!("arn:aws:iam::aws:policy/{s}"));
                managed.push(n);
            }
            Value::Map(m) if m.contains_key("Statement") => {
                let name = format!("{id}RolePolicy{}", inline.len());
                inline.push(map(
                    vec![
                        ("PolicyName", string(&name, item.span)),
                        ("PolicyDocument", item.clone()),
                    ],
                    item.span,
                ));
            }
            // `Ref`/`Fn::*` naming a managed policy.
            Value::Map(m) if is_intrinsic(m) => managed.push(item.clone()),
            // SAM policy templates are filled by the translator with scoped statements.
            _ => {}
        }
    }
    let assume = map(
        vec![
            ("Version", string("2012-10-17", header)),
            (
                "Statement",
                Node::new(
                    Value::List(vec![map(
                        vec![
                            ("Effect", string("Allow", header)),
                            ("Action", string("sts:AssumeRole", header)),
                            (
                                "Principal",
                                map(vec![("Service", string(service, header))], header),
                            ),
                        ],
                        header,
                    )]),
                    header,
                ),
            ),
        ],
        header,
    );
    let mut role_props = vec![("AssumeRolePolicyDocument", assume)];
    if !managed.is_empty() {
        role_props.push((
            "ManagedPolicyArns",
            Node::new(
                Value::List(managed),
                policies.and_then(|p| p.span).or(header),
            ),
        ));
    }
    if !inline.is_empty() {
        role_props.push((
            "Policies",
            Node::new(Value::List(inline), policies.and_then(|p| p.span)),
        ));
    }
    for key in ["PermissionsBoundary"] {
        if let Some(v) = props.and_then(|p| p.get(key)) {
            role_props.push(("PermissionsBoundary", v.clone()));
        }
    }
    let mut entries = vec![
        ("Type", string("AWS::IAM::Role", header)),
        ("Properties", map(role_props, header)),
    ];
    if let Some(cond) = resource.get("Condition") {
        entries.push(("Condition", cond.clone()));
    }
    Some(map(entries, resource.span))
}

/// Turns a `AWS::Serverless::SimpleTable` into the `AWS::DynamoDB::Table` SAM emits.
fn simple_table(resource: &mut Node, header: Option<Span>) {
    let Value::Map(map_) = &mut resource.value else {
        return;
    };
    if let Some(t) = map_.get_mut("Type") {
        t.node.value = Value::String("AWS::DynamoDB::Table".to_owned());
    }
    let props = map_
        .entry("Properties".to_owned())
        .or_insert_with(|| Entry {
            key_span: header,
            node: Node::empty_map(header),
        });
    let Value::Map(p) = &mut props.node.value else {
        return;
    };
    let key = p.remove("PrimaryKey");
    let (name, ktype, kspan) = match &key {
        Some(e) => (
            e.node
                .get("Name")
                .cloned()
                .unwrap_or_else(|| string("id", e.node.span)),
            e.node
                .get("Type")
                .and_then(Node::as_str)
                .map_or("S", |t| {
                    if t == "Number" {
                        "N"
                    } else if t == "Binary" {
                        "B"
                    } else {
                        "S"
                    }
                })
                .to_owned(),
            e.node.span,
        ),
        None => (string("id", header), "S".to_owned(), header),
    };
    let attr = map(
        vec![
            ("AttributeName", name.clone()),
            ("AttributeType", string(&ktype, kspan)),
        ],
        kspan,
    );
    let schema = map(
        vec![("AttributeName", name), ("KeyType", string("HASH", kspan))],
        kspan,
    );
    let entry = |node: Node| Entry {
        key_span: kspan,
        node,
    };
    p.insert(
        "AttributeDefinitions".to_owned(),
        entry(Node::new(Value::List(vec![attr]), kspan)),
    );
    p.insert(
        "KeySchema".to_owned(),
        entry(Node::new(Value::List(vec![schema]), kspan)),
    );
    if !p.contains_key("ProvisionedThroughput") {
        p.insert(
            "BillingMode".to_owned(),
            Entry {
                key_span: header,
                node: string("PAY_PER_REQUEST", header),
            },
        );
    }
}
