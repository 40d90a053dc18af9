//! Terraform plan JSON (`terraform show -json plan.out`) → [`ResourceGraph`], and the link from
//! a plan to the HCL module it was made from.
//!
//! Format: <https://developer.hashicorp.com/terraform/internals/json-format>.
//!
//! - Resources come from `planned_values` (`root_module` and nested `child_modules`, addresses
//!   as given) and are replaced by `resource_changes[].change.after` where present (resources
//!   only deleted are left out). `after_unknown` marks values "known after apply": they become
//!   [`Value::Unknown`], inserted where Terraform omitted them from `after` — but only for
//!   attributes the `configuration` writes: an Unknown the provider alone computes (`arn`,
//!   an optional+computed `logging` block, an unset `encrypted`) is left out, as the same
//!   attribute is absent from the HCL, so "not configured" stays "not configured" (see
//!   `prune_computed`). Values flagged in
//!   `after_sensitive` keep their value with a `SensitiveVariable` provenance (reports must not
//!   print them).
//! - Edges come from `configuration`: the `references` of every expression of a resource (in
//!   nested `module_calls` too) become edges from each of its instances to the referenced
//!   resource instances of the same module instance.
//! - Spans point into the plan file (the `address` of the resource change is its header).
//!
//! **Link to HCL** ([`link`]): when the module directory the plan was made from is in the same
//! scan, every plan resource takes the spans of the HCL resource with the same address (else
//! the same address without instance keys): attributes written in HCL get their HCL span,
//! attributes only the plan has (defaults, computed values) get the span of their nearest
//! parent written in HCL, else the resource header — the location [`ResourceGraph::locate`]
//! gives for the HCL graph alone. Findings then point at the HCL source line. The linked
//! module's own graph is dropped (its diagnostics are kept), so a finding is reported once, by
//! the plan, whose values are the ones Terraform will apply. A module is linked when it is the
//! plan's directory, or else the module whose managed resource addresses — module resources
//! included, so a root that only calls modules links too — best match those the plan's
//! `configuration` declares (every HCL resource declared there, at least half of them found).

use std::collections::{BTreeMap, BTreeSet};

use jsonc_parser::ast::{Object, Value as J};
use jsonc_parser::common::Ranged as _;
use wa_lint_graph::{
    AttrPath, Edge, EdgeKind, Entry, Mode, Node, Origin, ParseOutput, Provenance, ProvenanceKind,
    Resource, ResourceGraph, Unit, Value,
};
use wa_lint_source::{Diagnostic, Level, SourceFile, Span, TextRange};

use crate::load::json_node;

/// A parsed plan and the facts needed to link it to HCL.
#[derive(Debug)]
pub(crate) struct Plan {
    /// Graph, diagnostics.
    pub output: ParseOutput,
    /// Addresses (without instance keys, with module call prefixes such as `module.web.`)
    /// of the managed resources declared in `configuration`, through every `module_calls`.
    pub config_managed: BTreeSet<String>,
    /// The plan file's directory (`.` at the scan root).
    pub dir: String,
}

/// Parses one plan file. Never fails: problems are `tf::plan` diagnostics.
pub(crate) fn parse(file: &SourceFile) -> Plan {
    let dir = file
        .path
        .rsplit_once('/')
        .map_or(".", |(d, _)| d)
        .to_owned();
    let mut p = Parser {
        file,
        diags: Vec::new(),
    };
    let mut graph = ResourceGraph::new(Unit {
        origin: Origin::TerraformPlan,
        path: file.path.clone(),
        files: vec![(file.id, file.path.clone())],
    });
    let mut config_managed = BTreeSet::new();
    let parsed = jsonc_parser::parse_to_ast(
        &file.text,
        &jsonc_parser::CollectOptions::default(),
        &jsonc_parser::ParseOptions::default(),
    );
    match parsed {
        Ok(result) => match &result.value {
            Some(J::Object(root)) => {
                p.planned(root, &mut graph);
                p.changes(root, &mut graph);
                if let Some(config) = p.obj(root, "configuration") {
                    if let Some(module) = p.obj(config, "root_module") {
                        p.configuration(module, "", &mut graph, &mut config_managed);
                    }
                }
            }
            Some(other) => p.warn(other.range(), "a plan must be a JSON object"),
            None => {}
        },
        Err(e) => {
            let r = e.range();
            p.diags.push(Diagnostic::error(
                "tf::syntax",
                file.path.clone(),
                Some(TextRange::new(r.start, r.end)),
                format!("JSON syntax error: {}", e.kind()),
            ));
        }
    }
    graph.finish();
    Plan {
        output: ParseOutput {
            graph: Some(graph),
            diagnostics: p.diags,
            scenarios: Vec::new(),
        },
        config_managed,
        dir,
    }
}

struct Parser<'f> {
    file: &'f SourceFile,
    diags: Vec<Diagnostic>,
}

type JRange = jsonc_parser::common::Range;

impl Parser<'_> {
    fn span(&self, r: JRange) -> Span {
        self.file.span(r.start, r.end)
    }

    fn warn(&mut self, r: JRange, message: &str) {
        self.diags.push(
            Diagnostic::at(
                Level::Warning,
                "tf::plan",
                self.file.path.clone(),
                Some(TextRange::new(r.start, r.end)),
                message.to_owned(),
            )
            .with_help(
                "the rest of the plan is still checked; regenerate it with `terraform show -json`",
            ),
        );
    }

    /// `o[key]` when it is an object; a warning when present with another type.
    fn obj<'v, 'a>(&mut self, o: &'v Object<'a>, key: &str) -> Option<&'v Object<'a>> {
        match o.get(key).map(|p| &p.value) {
            Some(J::Object(v)) => Some(v),
            None | Some(J::NullKeyword(_)) => None,
            Some(other) => {
                self.warn(other.range(), &format!("`{key}` should be an object"));
                None
            }
        }
    }

    /// `o[key]` when it is an array; a warning when present with another type.
    fn arr<'v, 'a>(&mut self, o: &'v Object<'a>, key: &str) -> &'v [J<'a>] {
        match o.get(key).map(|p| &p.value) {
            Some(J::Array(v)) => &v.elements,
            None | Some(J::NullKeyword(_)) => &[],
            Some(other) => {
                self.warn(other.range(), &format!("`{key}` should be an array"));
                &[]
            }
        }
    }

    /// `planned_values.root_module` and its `child_modules`, recursively.
    fn planned(&mut self, root: &Object<'_>, graph: &mut ResourceGraph) {
        let Some(pv) = self.obj(root, "planned_values") else {
            return;
        };
        let Some(module) = self.obj(pv, "root_module") else {
            return;
        };
        let mut stack = vec![module];
        let mut guard = 0usize;
        while let Some(module) = stack.pop() {
            guard += 1;
            if guard > 100_000 {
                break;
            }
            for r in self.arr(module, "resources") {
                let J::Object(r) = r else {
                    self.warn(r.range(), "a resource should be an object");
                    continue;
                };
                let values = r.get("values").map(|p| &p.value);
                let sensitive = r.get("sensitive_values").map(|p| &p.value);
                if let Some(resource) = self.resource(r, values, None, sensitive) {
                    graph.resources.insert(resource.address.clone(), resource);
                }
            }
            for child in self.arr(module, "child_modules") {
                match child {
                    J::Object(c) => stack.push(c),
                    other => self.warn(other.range(), "a child module should be an object"),
                }
            }
        }
    }

    /// `resource_changes[]`: `change.after` with `after_unknown` / `after_sensitive`.
    fn changes(&mut self, root: &Object<'_>, graph: &mut ResourceGraph) {
        for rc in self.arr(root, "resource_changes") {
            let J::Object(rc) = rc else {
                self.warn(rc.range(), "a resource change should be an object");
                continue;
            };
            let Some(change) = self.obj(rc, "change") else {
                self.warn(rc.range, "a resource change without `change`");
                continue;
            };
            let address = rc.get_string("address").map(|s| s.value.to_string());
            let deleted_only = match change.get("actions").map(|p| &p.value) {
                Some(J::Array(a)) => a.elements.iter().all(
                    |e| matches!(e, J::StringLit(s) if s.value == "delete" || s.value == "forget"),
                ) && !a.elements.is_empty(),
                _ => false,
            };
            let after = change.get("after").map(|p| &p.value);
            if after.is_none() {
                self.warn(change.range, "a resource change without `after`");
            }
            if deleted_only || matches!(after, None | Some(J::NullKeyword(_))) {
                if let Some(address) = address {
                    graph.resources.remove(&address);
                }
                continue;
            }
            let unknown = change.get("after_unknown").map(|p| &p.value);
            let sensitive = change.get("after_sensitive").map(|p| &p.value);
            if let Some(resource) = self.resource(rc, after, unknown, sensitive) {
                graph.resources.insert(resource.address.clone(), resource);
            }
        }
    }

    /// One resource from its description (`address`, `mode`, `type`) and values.
    fn resource(
        &mut self,
        r: &Object<'_>,
        values: Option<&J<'_>>,
        unknown: Option<&J<'_>>,
        sensitive: Option<&J<'_>>,
    ) -> Option<Resource> {
        let Some(address) = r.get_string("address") else {
            self.warn(r.range, "a resource without a string `address`");
            return None;
        };
        let Some(rtype) = r.get_string("type") else {
            self.warn(r.range, "a resource without a string `type`");
            return None;
        };
        let name = address.value.to_string();
        let mode = match r.get_string("mode").map(|s| s.value.as_ref()) {
            Some("data") => Mode::Data,
            _ => Mode::Managed,
        };
        let header = self.span(address.range);
        let mut attrs = match values {
            Some(v @ J::Object(_)) => json_node(self.file, v),
            None | Some(J::NullKeyword(_)) => Node::empty_map(Some(self.span(r.range))),
            Some(other) => {
                self.warn(other.range(), "resource values should be an object");
                Node::empty_map(Some(self.span(r.range)))
            }
        };
        if let Some(u) = unknown {
            self.mark_unknown(&mut attrs, u, &AttrPath::root(), 0);
        }
        if let Some(s) = sensitive {
            self.mark_sensitive(&mut attrs, s, &name, 0);
        }
        let module_path = split_address(&name).0;
        Some(Resource {
            address: name,
            origin: Origin::TerraformPlan,
            rtype: rtype.value.to_string(),
            mode,
            attrs,
            header,
            block: self.span(r.range),
            module_path,
        })
    }

    /// `after_unknown`: `true` → Unknown; objects/arrays walk in parallel, inserting the
    /// attributes Terraform left out of `after`.
    fn mark_unknown(&mut self, node: &mut Node, u: &J<'_>, path: &AttrPath, depth: usize) {
        if depth > 256 {
            return;
        }
        match u {
            J::BooleanLit(b) if b.value => {
                let shown = if path.segments().is_empty() {
                    "the value".to_owned()
                } else {
                    format!("`{path}`")
                };
                *node = Node::unknown(
                    format!("{shown} is known only after apply"),
                    node.span.or(Some(self.span(u.range()))),
                );
            }
            J::Object(o) => {
                if matches!(node.value, Value::Null) {
                    node.value = Value::Map(BTreeMap::new());
                }
                let Value::Map(map) = &mut node.value else {
                    return;
                };
                for p in &o.properties {
                    let key = p.name.as_str();
                    if !matches!(&p.value, J::Object(_) | J::Array(_) | J::BooleanLit(_)) {
                        continue;
                    }
                    if matches!(&p.value, J::BooleanLit(b) if !b.value) {
                        continue;
                    }
                    let kr = p.name.range();
                    let entry = map.entry(key.to_owned()).or_insert_with(|| Entry {
                        key_span: Some(self.file.span(kr.start, kr.end)),
                        node: Node::new(Value::Null, Some(self.file.span(kr.start, kr.end))),
                    });
                    self.mark_unknown(&mut entry.node, &p.value, &path.key(key), depth + 1);
                }
            }
            J::Array(a) => {
                let Value::List(items) = &mut node.value else {
                    return;
                };
                for (i, e) in a.elements.iter().enumerate() {
                    if let Some(item) = items.get_mut(i) {
                        self.mark_unknown(item, e, &path.index(i), depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    /// `after_sensitive` / `sensitive_values`: `true` → a sensitive provenance on the value.
    fn mark_sensitive(&mut self, node: &mut Node, s: &J<'_>, address: &str, depth: usize) {
        if depth > 256 {
            return;
        }
        match (s, &mut node.value) {
            (J::BooleanLit(b), _) if b.value => {
                node.provenance = Some(Box::new(Provenance {
                    kind: ProvenanceKind::SensitiveVariable,
                    name: address.to_owned(),
                    span: Some(self.span(b.range)),
                }));
            }
            (J::Object(o), Value::Map(map)) => {
                for p in &o.properties {
                    if let Some(e) = map.get_mut(p.name.as_str()) {
                        self.mark_sensitive(&mut e.node, &p.value, address, depth + 1);
                    }
                }
            }
            (J::Array(a), Value::List(items)) => {
                for (e, item) in a.elements.iter().zip(items.iter_mut()) {
                    self.mark_sensitive(item, e, address, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// `configuration` module: references of every resource expression → edges;
    /// `config_managed` collects the managed resource addresses (prefixed by `prefix`).
    fn configuration(
        &mut self,
        module: &Object<'_>,
        prefix: &str,
        graph: &mut ResourceGraph,
        config_managed: &mut BTreeSet<String>,
    ) {
        if prefix.matches("module.").count() > 64 {
            return;
        }
        for r in self.arr(module, "resources") {
            let J::Object(r) = r else { continue };
            let Some(address) = r.get_string("address") else {
                continue;
            };
            let from_config = format!("{prefix}{}", address.value);
            if r.get_string("mode").is_none_or(|m| m.value != "data") {
                config_managed.insert(from_config.clone());
            }
            let mut refs = Vec::new();
            let mut leaves = Vec::new();
            if let Some(J::Object(expressions)) = r.get("expressions").map(|p| &p.value) {
                collect_refs(expressions, &AttrPath::root(), &mut refs, &mut leaves, 0);
            }
            for key in ["count_expression", "for_each_expression"] {
                if let Some(J::Object(e)) = r.get(key).map(|p| &p.value) {
                    collect_refs_expr(e, &AttrPath::root(), &mut refs);
                }
            }
            let sources: Vec<String> = graph
                .resources
                .keys()
                .filter(|a| strip_keys(a) == from_config)
                .cloned()
                .collect();
            for from in &sources {
                if let Some(resource) = graph.resources.get_mut(from) {
                    prune_computed(&mut resource.attrs, &mut Vec::new(), &leaves);
                }
            }
            for from in sources {
                let (instance_prefix, _) = split_address(&from);
                for (reference, at) in &refs {
                    let Some((base, index)) = reference_target(reference) else {
                        continue;
                    };
                    let exact = format!("{instance_prefix}{base}{index}");
                    let targets: Vec<String> =
                        if !index.is_empty() && graph.resources.contains_key(&exact) {
                            vec![exact]
                        } else {
                            graph
                                .resources
                                .keys()
                                .filter(|a| {
                                    let (p, rest) = split_address(a);
                                    p == instance_prefix && strip_keys(&rest) == base
                                })
                                .cloned()
                                .collect()
                        };
                    graph.edges.extend(targets.into_iter().map(|to| Edge {
                        from: from.clone(),
                        to,
                        at: at.clone(),
                        kind: EdgeKind::Traversal,
                    }));
                }
            }
        }
        if let Some(calls) = self.obj(module, "module_calls") {
            for call in &calls.properties {
                let J::Object(c) = &call.value else { continue };
                let Some(J::Object(child)) = c.get("module").map(|p| &p.value) else {
                    continue;
                };
                let child_prefix = format!("{prefix}module.{}.", call.name.as_str());
                self.configuration(child, &child_prefix, graph, config_managed);
            }
        }
    }
}

/// The references of an `expressions` object (attribute → expression, or nested blocks as
/// arrays of such objects), and the key paths (block indexes left out) of every expression.
fn collect_refs(
    o: &Object<'_>,
    path: &AttrPath,
    out: &mut Vec<(String, AttrPath)>,
    leaves: &mut Vec<Vec<String>>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    for p in &o.properties {
        let here = path.key(p.name.as_str());
        match &p.value {
            J::Object(e) if e.get("references").is_some() || e.get("constant_value").is_some() => {
                collect_refs_expr(e, &here, out);
                leaves.push(keys_of(&here));
            }
            J::Object(e) => collect_refs(e, &here, out, leaves, depth + 1),
            J::Array(blocks) => {
                leaves.push(keys_of(&here));
                for (i, b) in blocks.elements.iter().enumerate() {
                    if let J::Object(b) = b {
                        collect_refs(b, &here.index(i), out, leaves, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

fn keys_of(path: &AttrPath) -> Vec<String> {
    path.segments()
        .iter()
        .filter_map(|s| match s {
            wa_lint_graph::PathSeg::Key(k) => Some(k.clone()),
            wa_lint_graph::PathSeg::Index(_) => None,
        })
        .collect()
}

/// Drops the Unknown attributes the configuration does not write: values only the provider
/// computes (`id`, `arn`, optional+computed blocks such as `logging`). Left Unknown they would
/// turn "not configured" into "not known" and differ from the same module read as HCL, where
/// such attributes are absent. Unknowns of configured attributes (a reference to a resource
/// not yet created) stay Unknown. Paths compare by keys only (block order may differ).
fn prune_computed(node: &mut Node, path: &mut Vec<String>, leaves: &[Vec<String>]) {
    match &mut node.value {
        Value::Map(map) => {
            map.retain(|key, entry| {
                if !entry.node.is_unknown() {
                    return true;
                }
                path.push(key.clone());
                let configured = leaves
                    .iter()
                    .any(|l| l.starts_with(path) || path.starts_with(l));
                path.pop();
                configured
            });
            for (key, entry) in map.iter_mut() {
                path.push(key.clone());
                prune_computed(&mut entry.node, path, leaves);
                path.pop();
            }
        }
        Value::List(items) => {
            for item in items {
                prune_computed(item, path, leaves);
            }
        }
        _ => {}
    }
}

fn collect_refs_expr(e: &Object<'_>, at: &AttrPath, out: &mut Vec<(String, AttrPath)>) {
    if let Some(J::Array(refs)) = e.get("references").map(|p| &p.value) {
        for r in &refs.elements {
            if let J::StringLit(s) = r {
                out.push((s.value.to_string(), at.clone()));
            }
        }
    }
}

/// A reference (`aws_s3_bucket.b.id`, `data.t.n`, `aws_instance.web[0]`) → the resource it
/// names (`aws_s3_bucket.b`) and the instance key written right after it (`[0]` or empty).
/// `None` for variables, locals, module outputs and other non-resource names.
fn reference_target(reference: &str) -> Option<(String, String)> {
    let segs = segments(reference);
    let (head, rest) = segs.split_first()?;
    let (rtype, name) = match head.as_str() {
        "var" | "local" | "each" | "count" | "path" | "terraform" | "self" | "module" => {
            return None
        }
        "data" => {
            let t = rest.first()?;
            let n = rest.get(1)?;
            (format!("data.{t}"), n.clone())
        }
        "resource" => (rest.first()?.clone(), rest.get(1)?.clone()),
        t => (t.to_owned(), rest.first()?.clone()),
    };
    let (name, index) = match name.find('[') {
        Some(i) => (
            name.get(..i).unwrap_or_default().to_owned(),
            name.get(i..).unwrap_or_default().to_owned(),
        ),
        None => (name, String::new()),
    };
    Some((format!("{rtype}.{name}"), index))
}

/// Dot-separated segments of an address, dots inside `[…]` and quotes kept.
fn segments(address: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    for c in address.chars() {
        if quoted {
            cur.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

/// `module.a["x"].module.b.aws_t.n[0]` → (`module.a["x"].module.b.`, `aws_t.n[0]`).
fn split_address(address: &str) -> (String, String) {
    let segs = segments(address);
    let mut prefix = String::new();
    let mut i = 0;
    while segs.get(i).is_some_and(|s| s == "module") && segs.get(i + 1).is_some() {
        prefix.push_str("module.");
        prefix.push_str(segs.get(i + 1).map_or("", String::as_str));
        prefix.push('.');
        i += 2;
    }
    (prefix, segs.get(i..).unwrap_or_default().join("."))
}

/// An address without instance keys: `module.a["x"].aws_t.n[0]` → `module.a.aws_t.n`.
pub(crate) fn strip_keys(address: &str) -> String {
    segments(address)
        .iter()
        .map(|s| s.split_once('[').map_or(s.as_str(), |(head, _)| head))
        .collect::<Vec<_>>()
        .join(".")
}

/// Parses `plans`, links each to the module output it was made from (see the module docs) and
/// appends one output per plan to `outputs` (module outputs keyed by `graph.unit.path`).
pub(crate) fn add_plans(plans: &[SourceFile], outputs: &mut Vec<ParseOutput>) {
    use rayon::prelude::*;
    let parsed: Vec<Plan> = plans.par_iter().map(parse).collect();
    let mut linked = BTreeSet::new();
    let mut out = Vec::with_capacity(parsed.len());
    for mut plan in parsed {
        if let Some(i) = find_module(&plan, outputs) {
            if let (Some(plan_graph), Some(Some(hcl))) = (
                plan.output.graph.as_mut(),
                outputs.get(i).map(|o| o.graph.as_ref()),
            ) {
                relocate(plan_graph, hcl);
                linked.insert(i);
            }
        }
        out.push(plan.output);
    }
    for i in linked {
        if let Some(o) = outputs.get_mut(i) {
            o.graph = None;
            o.scenarios.clear();
        }
    }
    outputs.extend(out);
}

/// The module output `plan` was made from, if it is in the scan.
///
/// Managed resource addresses without instance keys are compared, module resources included
/// (`module.web.aws_security_group.this`), so that a root that only calls modules links too:
/// the plan's side is its `configuration` (every resource declared, whether planned or not),
/// else the resources it plans. A module matches when every one of its managed resources is
/// declared by the plan and at least half of the plan's are found; the plan's own directory
/// matches with any address in common. Ties go to the most addresses in common, then the
/// directory closest to the plan's.
fn find_module(plan: &Plan, outputs: &[ParseOutput]) -> Option<usize> {
    let managed = |g: &ResourceGraph| -> BTreeSet<String> {
        g.resources
            .values()
            .filter(|r| r.mode == Mode::Managed)
            .map(|r| strip_keys(&r.address))
            .collect()
    };
    let planned: BTreeSet<String> = plan.output.graph.iter().flat_map(managed).collect();
    let declared = if plan.config_managed.is_empty() {
        &planned
    } else {
        &plan.config_managed
    };
    let mut best: Option<(bool, usize, usize, usize)> = None;
    for (i, o) in outputs.iter().enumerate() {
        let Some(g) = o.graph.as_ref() else { continue };
        if g.unit.origin != Origin::Terraform {
            continue;
        }
        let hcl = managed(g);
        let common = hcl.intersection(declared).count();
        let same_dir = g.unit.path == plan.dir;
        let matches = common > 0 && hcl.is_subset(declared) && common * 2 >= declared.len();
        if !(matches || (same_dir && common > 0)) {
            continue;
        }
        let closeness = common_prefix(&g.unit.path, &plan.dir);
        let key = (same_dir, common, closeness, usize::MAX - i);
        if best.is_none_or(|b| (b.0, b.1, b.2, b.3) < key) {
            best = Some(key);
        }
    }
    best.map(|b| usize::MAX - b.3)
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.split('/')
        .zip(b.split('/'))
        .take_while(|(x, y)| x == y)
        .count()
}

/// Moves the spans of `plan`'s resources onto the matching resources of `hcl`.
fn relocate(plan: &mut ResourceGraph, hcl: &ResourceGraph) {
    let mut by_config: BTreeMap<String, &Resource> = BTreeMap::new();
    for r in hcl.resources.values() {
        by_config.entry(strip_keys(&r.address)).or_insert(r);
    }
    let mut files: BTreeSet<_> = plan.unit.files.iter().cloned().collect();
    for resource in plan.resources.values_mut() {
        let Some(h) = hcl
            .resources
            .get(&resource.address)
            .or_else(|| by_config.get(&strip_keys(&resource.address)).copied())
        else {
            continue;
        };
        resource.header = h.header;
        resource.block = h.block;
        relocate_node(&mut resource.attrs, Some(&h.attrs), h.header);
        if let Some(f) = hcl.unit.files.iter().find(|f| f.0 == h.header.file) {
            files.insert(f.clone());
        }
    }
    plan.unit.files = files.into_iter().collect();
}

/// `node` takes the spans of `hcl` (the same attribute in HCL); what HCL does not write takes
/// `fallback` (the span of its nearest parent written in HCL).
fn relocate_node(node: &mut Node, hcl: Option<&Node>, fallback: Span) {
    node.span = Some(hcl.and_then(|h| h.span).unwrap_or(fallback));
    if let Some(h) = hcl {
        let scalar = !matches!(node.value, Value::Map(_) | Value::List(_));
        if scalar && node.provenance.is_none() && h.value == node.value {
            node.provenance.clone_from(&h.provenance);
        }
    }
    match &mut node.value {
        Value::Map(map) => {
            for (key, entry) in map.iter_mut() {
                let h = hcl.and_then(|h| match &h.value {
                    Value::Map(m) => m.get(key),
                    _ => None,
                });
                let here = h
                    .and_then(|e| e.key_span.or(e.node.span))
                    .unwrap_or(fallback);
                entry.key_span = Some(here);
                relocate_node(&mut entry.node, h.map(|e| &e.node), here);
            }
        }
        Value::List(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let h = hcl.and_then(|h| match &h.value {
                    Value::List(l) => l.get(i),
                    _ => None,
                });
                let here = h.and_then(|n| n.span).unwrap_or(fallback);
                relocate_node(item, h, here);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn addresses_split_and_strip() {
        assert_eq!(
            split_address("module.a[\"x.y\"].module.b.aws_t.n[0]"),
            (
                "module.a[\"x.y\"].module.b.".to_owned(),
                "aws_t.n[0]".to_owned()
            )
        );
        assert_eq!(strip_keys("module.a[\"x\"].aws_t.n[0]"), "module.a.aws_t.n");
        assert_eq!(
            reference_target("aws_s3_bucket.b.id"),
            Some(("aws_s3_bucket.b".to_owned(), String::new()))
        );
        assert_eq!(
            reference_target("data.aws_iam_policy_document.p.json"),
            Some(("data.aws_iam_policy_document.p".to_owned(), String::new()))
        );
        assert_eq!(
            reference_target("aws_instance.web[0]"),
            Some(("aws_instance.web".to_owned(), "[0]".to_owned()))
        );
        assert_eq!(
            reference_target("resource.aws_s3_bucket.b.id"),
            Some(("aws_s3_bucket.b".to_owned(), String::new()))
        );
        assert_eq!(reference_target("var.x"), None);
        assert_eq!(reference_target("module.m.out"), None);
    }
}
