//! Template → [`ResourceGraph`]: one resource per entry of `Resources`.

use std::cell::Cell;
use std::collections::BTreeSet;

use wa_lint_graph::{
    AttrPath, DeclarationRef, Edge, EdgeKind, Mode, Node, Origin, Resource, ResourceGraph, Unit,
    Value, CFN_OUTPUT, CFN_PARAMETER,
};
use wa_lint_source::{Diagnostic, SourceFile, Span};

use crate::resolve::{Resolver, MAX_RESOLVED_BYTES, OVER_BUDGET};
use crate::CfnOptions;

/// Builds the graph of template `root`. Structural problems are `cfn::structure` error
/// diagnostics at the offending node; the other resources still load. `produced` is what the
/// template's intrinsic functions produced in earlier builds of the same template (condition
/// scenarios share [`MAX_RESOLVED_BYTES`]); this build adds to it. Past the budget, values are
/// Unknown and one `cfn::resolve-budget` error is reported.
pub(crate) fn build(
    file: &SourceFile,
    root: &Node,
    options: &CfnOptions,
    produced: &Cell<u64>,
    diagnostics: &mut Vec<Diagnostic>,
) -> ResourceGraph {
    // Transforms first, like CloudFormation: `AWS::LanguageExtensions` loops, then SAM.
    let looped;
    let root = if crate::foreach::has_loops(root) {
        looped = crate::foreach::expand_root(file, root, options, diagnostics);
        &looped
    } else {
        root
    };
    let sam;
    let mut generated = Vec::new();
    let root = if crate::sam::is_sam(root) {
        let (expanded, added) = crate::sam::expand(root, &file.path, diagnostics);
        sam = expanded;
        generated = added;
        &sam
    } else {
        root
    };
    let unit = Unit {
        origin: Origin::Cloudformation,
        path: file.path.clone(),
        files: vec![(file.id, file.path.clone())],
    };
    let mut graph = ResourceGraph::new(unit);
    let structure = |span: Option<Span>, message: String| {
        Diagnostic::error(
            "cfn::structure",
            file.path.as_str(),
            span.map(|s| s.range),
            message,
        )
    };
    let entries = match root.get("Resources").map(|n| (n, &n.value)) {
        None => {
            graph.finish();
            return graph;
        }
        Some((_, Value::Map(entries))) => entries,
        // `Resources:` left empty (SAM and CDK project skeletons): nothing to check, and no
        // reason to fail the whole scan; CloudFormation itself would reject the template.
        Some((_, Value::Null)) => {
            let key = match &root.value {
                Value::Map(m) => m.get("Resources").and_then(|e| e.key_span),
                _ => None,
            };
            diagnostics.push(Diagnostic::at(
                wa_lint_source::Level::Warning,
                "cfn::no-resources",
                file.path.as_str(),
                key.map(|s| s.range),
                "`Resources` is empty; CloudFormation requires at least one resource",
            ));
            graph.finish();
            return graph;
        }
        Some((n, _)) => {
            diagnostics.push(structure(
                n.span,
                "`Resources` must be a mapping of logical IDs to resources".into(),
            ));
            graph.finish();
            return graph;
        }
    };
    let names: BTreeSet<&str> = entries.keys().map(String::as_str).collect();
    let mut resolver = Resolver::new(root, names, options);
    resolver.allowed = MAX_RESOLVED_BYTES.saturating_sub(produced.get());
    for (id, entry) in entries {
        let body = &entry.node;
        let header = entry.key_span.or(body.span).unwrap_or_default();
        let block = body.span.map_or(header, |b| Span {
            file: header.file,
            range: header.range.cover(b.range),
        });
        if !matches!(body.value, Value::Map(_)) {
            diagnostics.push(structure(
                body.span.or(Some(header)),
                format!("resource `{id}` must be a mapping with `Type`"),
            ));
            continue;
        }
        let rtype = match body.get("Type") {
            Some(Node {
                value: Value::String(t),
                ..
            }) => t.clone(),
            Some(other) => {
                diagnostics.push(structure(
                    other.span,
                    format!("`Type` of resource `{id}` must be a string"),
                ));
                continue;
            }
            None => {
                diagnostics.push(structure(
                    Some(header),
                    format!("resource `{id}` has no `Type`"),
                ));
                continue;
            }
        };
        if let Some(cond) = body.get("Condition").and_then(Node::as_str) {
            if resolver.condition(cond) == Some(false) {
                continue; // not created with the parameter values we know
            }
        }
        resolver.current = Some(id.clone());
        let attrs = match body.get("Properties") {
            None => Node::empty_map(Some(block)),
            Some(props) => match resolver.resolve(props, &AttrPath::root(), 0) {
                Some(n) if matches!(n.value, Value::Map(_)) => n,
                Some(n) if n.is_unknown() => Node::empty_map(props.span),
                None => Node::empty_map(props.span),
                Some(_) => {
                    diagnostics.push(structure(
                        props.span,
                        format!("`Properties` of resource `{id}` must be a mapping"),
                    ));
                    Node::empty_map(props.span)
                }
            },
        };
        for target in depends_on(body) {
            if resolver.is_resource(&target) {
                resolver.edge(&target, &AttrPath::root(), EdgeKind::DependsOn);
            }
        }
        resolver.current = None;
        if let Some(path) = body
            .get("Metadata")
            .and_then(|m| m.get("aws:cdk:path"))
            .and_then(Node::as_str)
        {
            graph.construct_paths.insert(id.clone(), path.to_owned());
        }
        graph.resources.insert(
            id.clone(),
            Resource {
                address: id.clone(),
                origin: Origin::Cloudformation,
                rtype,
                mode: Mode::Managed,
                attrs,
                header,
                block,
                module_path: String::new(),
            },
        );
    }
    declarations(root, &mut resolver, &mut graph);
    produced.set(produced.get().saturating_add(resolver.produced));
    if resolver.over_budget {
        let at = resolver.over_budget_at;
        diagnostics.push(
            Diagnostic::error(
                "cfn::resolve-budget",
                file.path.as_str(),
                at.map(|s| s.range),
                format!("{OVER_BUDGET}; values from here on are unknown"),
            )
            .with_help(
                "intrinsic functions nested in each other (`Fn::ToJsonString`, `Fn::Base64`, `Fn::Sub` of a long variable repeated) multiply the template's size; the template's other findings may be missing",
            ),
        );
    }
    graph.edges = std::mem::take(&mut resolver.edges);
    graph
        .edges
        .extend(generated.into_iter().map(|(from, to)| Edge {
            from,
            to,
            at: AttrPath::root(),
            kind: EdgeKind::GeneratedFrom,
        }));
    graph.finish();
    graph
}

/// `Parameters` entries (body as written) and `Outputs` entries (body resolved; skipped when
/// their `Condition` is false) → [`ResourceGraph::declarations`], with the resources that use
/// each parameter and the resource attributes each output reads.
fn declarations(root: &Node, resolver: &mut Resolver<'_>, graph: &mut ResourceGraph) {
    let entries = |section: &str| match root.get(section).map(|n| &n.value) {
        Some(Value::Map(m)) => m.iter().collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    let declaration = |address: String, rtype: &str, header: Span, attrs: Node| Resource {
        address,
        origin: Origin::Cloudformation,
        rtype: rtype.to_owned(),
        mode: Mode::Managed,
        block: attrs.span.map_or(header, |b| Span {
            file: header.file,
            range: header.range.cover(b.range),
        }),
        attrs,
        header,
        module_path: String::new(),
    };
    for (name, entry) in entries("Parameters") {
        if !matches!(entry.node.value, Value::Map(_)) {
            continue;
        }
        let header = entry.key_span.or(entry.node.span).unwrap_or_default();
        let address = format!("Parameters.{name}");
        graph.declarations.insert(
            address.clone(),
            declaration(address, CFN_PARAMETER, header, entry.node.clone()),
        );
    }
    for (param, resource, at, kind) in std::mem::take(&mut resolver.param_uses) {
        graph.declaration_refs.push(DeclarationRef {
            declaration: format!("Parameters.{param}"),
            resource,
            at,
            attr: None,
            kind,
        });
    }
    for (name, entry) in entries("Outputs") {
        let body = &entry.node;
        if !matches!(body.value, Value::Map(_)) {
            continue;
        }
        if let Some(cond) = body.get("Condition").and_then(Node::as_str) {
            if resolver.condition(cond) == Some(false) {
                continue;
            }
        }
        let address = format!("Outputs.{name}");
        resolver.reads = Some(Vec::new());
        let attrs = resolver
            .resolve(body, &AttrPath::root(), 0)
            .filter(|n| matches!(n.value, Value::Map(_)))
            .unwrap_or_else(|| Node::empty_map(body.span));
        for (resource, at, attr, kind) in resolver.reads.take().unwrap_or_default() {
            graph.declaration_refs.push(DeclarationRef {
                declaration: address.clone(),
                resource,
                at,
                attr,
                kind,
            });
        }
        let header = entry.key_span.or(body.span).unwrap_or_default();
        graph.declarations.insert(
            address.clone(),
            declaration(address, CFN_OUTPUT, header, attrs),
        );
    }
}

/// Names listed in a resource's `DependsOn` (a string or a list of strings).
fn depends_on(body: &Node) -> Vec<String> {
    match body.get("DependsOn").map(|n| &n.value) {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::List(items)) => items
            .iter()
            .filter_map(|n| n.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}
