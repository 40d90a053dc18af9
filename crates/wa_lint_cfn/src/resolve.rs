//! Intrinsic functions, parameters, mappings and conditions → the values rules see.
//!
//! Everything that cannot be known before deploy becomes [`Value::Unknown`] with a reason.
//! References to other resources become [`Edge`]s from the resource being resolved.

use std::collections::{BTreeMap, BTreeSet};

use wa_lint_graph::{
    policy_from_json_str, AttrPath, Edge, EdgeKind, Entry, Node, Number, Provenance,
    ProvenanceKind, Value,
};
use wa_lint_source::Span;

use crate::conditions::CondState;
use crate::intrinsics::{cidr, pseudo};
use crate::{sub, CfnOptions};

/// Work budget per template (resolve steps), so pathological inputs stay bounded.
const MAX_STEPS: usize = 20_000_000;

/// Most values the intrinsic functions of one template may produce, in [`Node::approx_bytes`]
/// (strings built by `Fn::Sub`, `Fn::Join`, `Fn::ToJsonString`, `Fn::Base64`; values copied by
/// `Ref`, `Fn::FindInMap`, …), over its graph and every condition scenario: 64 MiB. A template
/// is at most 1 MB ([quotas](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html)),
/// but functions nested in each other multiply it: 28 nested `Fn::ToJsonString` or
/// `Fn::Sub` of `${A}` 100,000 times took gigabytes and aborted the process.
pub(crate) const MAX_RESOLVED_BYTES: u64 = 64 << 20;

/// Reason of the values left unknown past [`MAX_RESOLVED_BYTES`].
pub(crate) const OVER_BUDGET: &str =
    "the template's intrinsic functions produce more than 64 MiB of values, wa-lint's limit";
/// Deepest nesting the resolver descends into.
pub(crate) const MAX_RESOLVE_DEPTH: usize = 256;

/// A template parameter.
pub(crate) struct Param<'a> {
    /// `Type`, e.g. `String`, `CommaDelimitedList`, `AWS::SSM::Parameter::Value<String>`.
    ptype: &'a str,
    /// `Default`, as written.
    default: Option<&'a Node>,
}

/// A resource an output reads: `(resource, path in the output, attribute, how)`.
pub(crate) type Read = (String, AttrPath, Option<String>, EdgeKind);

/// Resolves values of one template. Holds the template's parameters, mappings and conditions.
pub(crate) struct Resolver<'a> {
    params: BTreeMap<&'a str, Param<'a>>,
    overrides: &'a BTreeMap<String, String>,
    /// Condition values assumed for this resolution (a scenario, or given by the user).
    assume: &'a BTreeMap<String, bool>,
    mappings: Option<&'a Node>,
    pub(crate) conditions: Option<&'a BTreeMap<String, Entry>>,
    pub(crate) cond_state: BTreeMap<String, CondState>,
    resources: BTreeSet<&'a str>,
    /// References found so far.
    pub(crate) edges: Vec<Edge>,
    /// The resource whose values are being resolved (edges start there); `None` while
    /// evaluating conditions.
    pub(crate) current: Option<String>,
    /// Parameters used by the current resource: `(parameter, resource, path, how)`.
    pub(crate) param_uses: Vec<(String, String, AttrPath, EdgeKind)>,
    /// While resolving an output: the resources it references, with the path in the output and
    /// the attribute read (`Fn::GetAtt`, `${Res.Attr}`); `None` otherwise.
    pub(crate) reads: Option<Vec<Read>>,
    steps: usize,
    /// Bytes of values produced so far (see [`MAX_RESOLVED_BYTES`]) and the most allowed.
    pub(crate) produced: u64,
    pub(crate) allowed: u64,
    /// Whether [`Resolver::allowed`] was passed, and where first.
    pub(crate) over_budget: bool,
    pub(crate) over_budget_at: Option<Span>,
}

impl<'a> Resolver<'a> {
    /// A resolver for the template `root` whose resources are named `resources`.
    pub(crate) fn new(
        root: &'a Node,
        resources: BTreeSet<&'a str>,
        options: &'a CfnOptions,
    ) -> Self {
        let mut params = BTreeMap::new();
        if let Some(Value::Map(map)) = root.get("Parameters").map(|n| &n.value) {
            for (name, e) in map {
                let ptype = e
                    .node
                    .get("Type")
                    .and_then(Node::as_str)
                    .unwrap_or("String");
                params.insert(
                    name.as_str(),
                    Param {
                        ptype,
                        default: e.node.get("Default"),
                    },
                );
            }
        }
        let conditions = match root.get("Conditions").map(|n| &n.value) {
            Some(Value::Map(m)) => Some(m),
            _ => None,
        };
        Self {
            params,
            overrides: &options.parameters,
            assume: &options.conditions,
            mappings: root.get("Mappings"),
            conditions,
            cond_state: BTreeMap::new(),
            resources,
            edges: Vec::new(),
            current: None,
            param_uses: Vec::new(),
            reads: None,
            steps: 0,
            produced: 0,
            allowed: MAX_RESOLVED_BYTES,
            over_budget: false,
            over_budget_at: None,
        }
    }

    /// Adds `bytes` to what the template produced; false (and the place noted) past the budget.
    fn charge(&mut self, bytes: u64, span: Option<Span>) -> bool {
        self.produced = self.produced.saturating_add(bytes);
        if self.produced <= self.allowed {
            return true;
        }
        self.over_budget_here(span);
        false
    }

    /// Notes that the budget was passed at `span` (the first place is kept).
    fn over_budget_here(&mut self, span: Option<Span>) {
        if !self.over_budget {
            self.over_budget = true;
            self.over_budget_at = span;
        }
    }

    /// Records an edge from the current resource (nothing while evaluating conditions).
    pub(crate) fn edge(&mut self, to: &str, at: &AttrPath, kind: EdgeKind) {
        self.edge_attr(to, at, kind, None);
    }

    /// [`Resolver::edge`] for a reference that reads attribute `attr` of `to`; also recorded
    /// in [`Resolver::reads`] while an output is resolved.
    fn edge_attr(&mut self, to: &str, at: &AttrPath, kind: EdgeKind, attr: Option<&str>) {
        if let Some(reads) = &mut self.reads {
            reads.push((to.to_owned(), at.clone(), attr.map(str::to_owned), kind));
        }
        if let Some(from) = &self.current {
            self.edges.push(Edge {
                from: from.clone(),
                to: to.to_owned(),
                at: at.clone(),
                kind,
            });
        }
    }

    /// The value assumed for condition `name`, if any.
    pub(crate) fn assumed(&self, name: &str) -> Option<bool> {
        self.assume.get(name).copied()
    }

    /// True when `name` is a resource of the template.
    pub(crate) fn is_resource(&self, name: &str) -> bool {
        self.resources.contains(name)
    }

    /// Resolves `node` found at `path` of the current resource. `None` means the value is
    /// removed (`Ref: AWS::NoValue`, directly or through `Fn::If`).
    pub(crate) fn resolve(&mut self, node: &Node, path: &AttrPath, depth: usize) -> Option<Node> {
        self.steps += 1;
        if self.steps > MAX_STEPS || depth > MAX_RESOLVE_DEPTH {
            return Some(Node::unknown(
                "the template is too large or too deeply nested to resolve",
                node.span,
            ));
        }
        match &node.value {
            Value::Map(map) => {
                if let Some((name, arg)) = intrinsic(map) {
                    if self.produced > self.allowed {
                        return Some(Node::unknown(OVER_BUDGET, node.span));
                    }
                    let out = self
                        .intrinsic(name, &arg.node, node.span, path, depth)
                        .map(dynamic_reference)
                        .map(policy_document);
                    let bytes = out.as_ref().map_or(0, Node::approx_bytes);
                    if !self.charge(bytes, node.span) {
                        return Some(Node::unknown(OVER_BUDGET, node.span));
                    }
                    return out;
                }
                let mut out = BTreeMap::new();
                for (k, e) in map {
                    if let Some(n) = self.resolve(&e.node, &path.key(k.as_str()), depth + 1) {
                        out.insert(
                            k.clone(),
                            Entry {
                                key_span: e.key_span,
                                node: n,
                            },
                        );
                    }
                }
                Some(Node {
                    value: Value::Map(out),
                    span: node.span,
                    provenance: node.provenance.clone(),
                })
            }
            Value::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let at = path.index(out.len());
                    if let Some(n) = self.resolve(item, &at, depth + 1) {
                        out.push(n);
                    }
                }
                Some(Node {
                    value: Value::List(out),
                    span: node.span,
                    provenance: node.provenance.clone(),
                })
            }
            Value::String(_) => Some(policy_document(dynamic_reference(node.clone()))),
            _ => Some(node.clone()),
        }
    }

    /// Resolves without recording edges (condition operands).
    pub(crate) fn resolve_quiet(&mut self, node: &Node, depth: usize) -> Option<Node> {
        let current = self.current.take();
        let out = self.resolve(node, &AttrPath::root(), depth);
        self.current = current;
        out
    }

    /// Resolves `node` to text (string, number or boolean), with its provenance.
    ///
    /// # Errors
    /// The reason the text is not known (an unknown value, a list, …).
    fn text(
        &mut self,
        node: &Node,
        path: &AttrPath,
        depth: usize,
    ) -> Result<(String, Option<Box<Provenance>>), String> {
        let Some(n) = self.resolve(node, path, depth + 1) else {
            return Err("the value is `AWS::NoValue`".into());
        };
        match scalar_text(&n.value) {
            Some(t) => Ok((t, n.provenance)),
            None => Err(reason(&n, "expected a string")),
        }
    }

    fn intrinsic(
        &mut self,
        name: &str,
        arg: &Node,
        span: Option<Span>,
        path: &AttrPath,
        depth: usize,
    ) -> Option<Node> {
        let unknown = |reason: String| Some(Node::unknown(reason, span));
        match name {
            "Ref" => {
                let name = match self.text(arg, path, depth) {
                    Ok((t, _)) => t,
                    Err(r) => return unknown(r),
                };
                if name == "AWS::NoValue" {
                    return None;
                }
                Some(self.named_value(&name, span, path, EdgeKind::Ref))
            }
            "Fn::GetAtt" => Some(self.get_att(arg, span, path, depth)),
            "Fn::Sub" => Some(self.sub(arg, span, path, depth)),
            "Fn::Join" => Some(self.join(arg, span, path, depth)),
            "Fn::Select" => Some(self.select(arg, span, path, depth)),
            "Fn::Split" => Some(self.split(arg, span, path, depth)),
            "Fn::FindInMap" => Some(self.find_in_map(arg, span, path, depth)),
            "Fn::Base64" => match self.text(arg, path, depth) {
                Ok((t, provenance)) => Some(Node {
                    value: Value::String(data_encoding::BASE64.encode(t.as_bytes())),
                    span,
                    provenance,
                }),
                Err(r) => unknown(r),
            },
            "Fn::If" => self.if_(arg, span, path, depth),
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => match self.eval_fn(name, arg, depth)
            {
                Some(b) => Some(Node::new(Value::Bool(b), span)),
                None => unknown(format!("`{name}` cannot be decided before deploy")),
            },
            "Fn::ImportValue" => {
                let what = self
                    .text(arg, path, depth)
                    .map(|(t, _)| format!(" `{t}`"))
                    .unwrap_or_default();
                unknown(format!("imported value{what} is known only at deploy"))
            }
            "Fn::GetAZs" => Some(self.get_azs(arg, span, path, depth)),
            "Fn::Cidr" => Some(self.cidr(arg, span, path, depth)),
            "Fn::Transform" => unknown("`Fn::Transform` is expanded by a macro at deploy".into()),
            "Fn::ToJsonString" => {
                let resolved = self.resolve(arg, path, depth + 1);
                match resolved.as_ref().and_then(to_json) {
                    Some(json) => Some(Node::new(Value::String(json.to_string()), span)),
                    None => unknown("`Fn::ToJsonString` of a value known only at deploy".into()),
                }
            }
            "Fn::Length" => match self.resolve(arg, path, depth + 1) {
                Some(Node {
                    value: Value::List(items),
                    ..
                }) => Some(Node::new(
                    Value::Number(Number::Int(i64::try_from(items.len()).unwrap_or(i64::MAX))),
                    span,
                )),
                other => unknown(other.map_or_else(
                    || "`Fn::Length` of no value".into(),
                    |n| reason(&n, "`Fn::Length` expects a list"),
                )),
            },
            other => unknown(format!("`{other}` is not supported by wa-lint")),
        }
    }

    /// The value of `Ref name` / `${name}`: pseudo parameter, parameter or resource.
    fn named_value(
        &mut self,
        name: &str,
        span: Option<Span>,
        path: &AttrPath,
        kind: EdgeKind,
    ) -> Node {
        if name.starts_with("AWS::") {
            return self.pseudo(name, span);
        }
        if let Some(n) = self.parameter(name, span) {
            if let Some(from) = &self.current {
                self.param_uses
                    .push((name.to_owned(), from.clone(), path.clone(), kind));
            }
            return n;
        }
        if self.resources.contains(name) {
            self.edge(name, path, kind);
            return Node::unknown(format!("`{name}` is known only after deploy"), span);
        }
        Node::unknown(
            format!("`{name}` is not a parameter or resource of this template"),
            span,
        )
    }

    /// The value of parameter `name` placed at `span`, when `name` is a parameter.
    fn parameter(&self, name: &str, span: Option<Span>) -> Option<Node> {
        let param = self.params.get(name)?;
        let is_list = param.ptype == "CommaDelimitedList" || param.ptype.starts_with("List<");
        if let Some(text) = self.overrides.get(name) {
            let node = if is_list {
                split_list(text, span)
            } else {
                Node::new(Value::String(text.clone()), span)
            };
            return Some(node.with_provenance(Provenance {
                kind: ProvenanceKind::ParameterValue,
                name: name.to_owned(),
                span: None,
            }));
        }
        if param.ptype.starts_with("AWS::SSM::Parameter::Value<") {
            return Some(Node::unknown(
                format!("parameter `{name}` is read from SSM Parameter Store at deploy"),
                span,
            ));
        }
        let Some(default) = param.default else {
            return Some(Node::unknown(
                format!("parameter `{name}` has no default"),
                span,
            ));
        };
        let mut node = match (&default.value, is_list) {
            (Value::String(s), true) => split_list(s, span),
            _ => default.clone(),
        };
        node.relocate(span);
        Some(node.with_provenance(Provenance {
            kind: ProvenanceKind::ParameterDefault,
            name: name.to_owned(),
            span: default.span,
        }))
    }

    /// The value of pseudo parameter `name` (`AWS::Region`, …): given with `--cfn-param`, or
    /// derived from a given `AWS::Region` (`AWS::Partition`, `AWS::URLSuffix`), else Unknown.
    /// See <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html>.
    fn pseudo(&self, name: &str, span: Option<Span>) -> Node {
        let given = |value: Value, from: &str| {
            Node::new(value, span).with_provenance(Provenance {
                kind: ProvenanceKind::ParameterValue,
                name: from.to_owned(),
                span: None,
            })
        };
        if !pseudo::is_pseudo(name) {
            return Node::unknown(format!("`{name}` is not a pseudo parameter"), span);
        }
        if let Some(text) = self.overrides.get(name) {
            return if name == "AWS::NotificationARNs" {
                let mut list = split_list(text, span);
                list.provenance = given(Value::Null, name).provenance;
                list
            } else {
                given(Value::String(text.clone()), name)
            };
        }
        if let Some(region) = self.overrides.get("AWS::Region") {
            let derived = match name {
                "AWS::Partition" => Some(pseudo::partition(region)),
                "AWS::URLSuffix" => Some(pseudo::url_suffix(region)),
                _ => None,
            };
            if let Some(v) = derived {
                return given(Value::String(v.to_owned()), "AWS::Region");
            }
        }
        Node::unknown(
            format!("pseudo parameter `{name}` is known only at deploy"),
            span,
        )
    }

    /// `Fn::GetAZs region`: known when the region is (a literal, or `""`/`AWS::Region` with
    /// `AWS::Region` given); see [`pseudo::availability_zones`].
    fn get_azs(&mut self, arg: &Node, span: Option<Span>, path: &AttrPath, depth: usize) -> Node {
        let region = match self.text(arg, path, depth) {
            Ok((r, p)) if !r.is_empty() => Some((r, p)),
            Ok(_) => self.overrides.get("AWS::Region").map(|r| {
                let from = Provenance {
                    kind: ProvenanceKind::ParameterValue,
                    name: "AWS::Region".into(),
                    span: None,
                };
                (r.clone(), Some(Box::new(from)))
            }),
            Err(_) => None,
        };
        let Some((region, provenance)) = region else {
            return Node::unknown(
                "the availability zones are known only at deploy (the region is not given)",
                span,
            );
        };
        let items = pseudo::availability_zones(&region)
            .into_iter()
            .map(|az| Node::new(Value::String(az), span))
            .collect();
        Node {
            value: Value::List(items),
            span,
            provenance,
        }
    }

    /// `Fn::Cidr [ipBlock, count, cidrBits]`, computed; see [`cidr::subnets`].
    fn cidr(&mut self, arg: &Node, span: Option<Span>, path: &AttrPath, depth: usize) -> Node {
        let Some([block, count, bits]) = as_args::<3>(arg) else {
            return Node::unknown("`Fn::Cidr` expects [ipBlock, count, cidrBits]", span);
        };
        let mut texts = Vec::with_capacity(3);
        let mut provenance = None;
        for n in [block, count, bits] {
            match self.text(n, path, depth) {
                Ok((t, p)) => {
                    provenance = provenance.or(p);
                    texts.push(t);
                }
                Err(r) => return Node::unknown(r, span),
            }
        }
        let [block, count, bits] = texts.as_slice() else {
            return Node::unknown("`Fn::Cidr` expects [ipBlock, count, cidrBits]", span);
        };
        match cidr::subnets(block, count, bits) {
            Ok(list) => Node {
                value: Value::List(
                    list.into_iter()
                        .map(|c| Node::new(Value::String(c), span))
                        .collect(),
                ),
                span,
                provenance,
            },
            Err(e) => Node::unknown(format!("`Fn::Cidr` fails: {e}"), span),
        }
    }

    fn get_att(&mut self, arg: &Node, span: Option<Span>, path: &AttrPath, depth: usize) -> Node {
        let (res, attr) = match &arg.value {
            Value::String(s) => match s.split_once('.') {
                Some((r, a)) => (r.to_owned(), a.to_owned()),
                None => (s.clone(), "?".to_owned()),
            },
            Value::List(items) => match items.as_slice() {
                [r, a] => {
                    let res = match self.text(r, path, depth) {
                        Ok((t, _)) => t,
                        Err(reason) => return Node::unknown(reason, span),
                    };
                    (
                        res,
                        self.text(a, path, depth)
                            .map_or_else(|_| "?".to_owned(), |(t, _)| t),
                    )
                }
                _ => return Node::unknown("`Fn::GetAtt` expects [resource, attribute]", span),
            },
            _ => return Node::unknown("`Fn::GetAtt` expects [resource, attribute]", span),
        };
        if self.resources.contains(res.as_str()) {
            self.edge_attr(&res, path, EdgeKind::GetAtt, Some(&attr));
        }
        Node::unknown(format!("`{res}.{attr}` is known only after deploy"), span)
    }

    fn sub(&mut self, arg: &Node, span: Option<Span>, path: &AttrPath, depth: usize) -> Node {
        let (template, vars) = match &arg.value {
            Value::String(s) => (s.as_str(), None),
            Value::List(items) => match items.as_slice() {
                [t, v] => (t.as_str().unwrap_or_default(), Some(v)),
                [t] => (t.as_str().unwrap_or_default(), None),
                _ => {
                    return Node::unknown("`Fn::Sub` expects a string or [string, variables]", span)
                }
            },
            _ => return Node::unknown("`Fn::Sub` expects a string or [string, variables]", span),
        };
        let vars = match vars.map(|v| &v.value) {
            Some(Value::Map(m)) => Some(m),
            _ => None,
        };
        let mut out = String::new();
        let mut first_unknown = None;
        let mut provenance = None;
        for part in sub::parse(template) {
            if self.produced.saturating_add(out.len() as u64) > self.allowed {
                self.over_budget_here(span);
                return Node::unknown(OVER_BUDGET, span);
            }
            let name = match part {
                sub::SubPart::Lit(s) => {
                    out.push_str(&s);
                    continue;
                }
                sub::SubPart::Var(name) => name,
            };
            let value = if let Some(e) = vars.and_then(|m| m.get(&name)) {
                self.text(&e.node, path, depth)
            } else if let Some((res, attr)) = name
                .split_once('.')
                .filter(|(r, _)| self.resources.contains(r))
            {
                self.edge_attr(res, path, EdgeKind::Sub, Some(attr));
                Err(format!("`{name}` is known only after deploy"))
            } else {
                let n = self.named_value(&name, span, path, EdgeKind::Sub);
                match scalar_text(&n.value) {
                    Some(t) => Ok((t, n.provenance)),
                    None => Err(reason(&n, "a `Fn::Sub` variable is not a string")),
                }
            };
            match value {
                Ok((text, p)) => {
                    out.push_str(&text);
                    if provenance.is_none() {
                        provenance = p;
                    }
                }
                Err(r) => {
                    first_unknown.get_or_insert(r);
                }
            }
        }
        match first_unknown {
            Some(r) => Node::unknown(r, span),
            None => Node {
                value: Value::String(out),
                span,
                provenance,
            },
        }
    }

    fn join(&mut self, arg: &Node, span: Option<Span>, path: &AttrPath, depth: usize) -> Node {
        let Some([delim, list]) = as_args::<2>(arg) else {
            return Node::unknown("`Fn::Join` expects [delimiter, list]", span);
        };
        let delim = match self.text(delim, path, depth) {
            Ok((d, _)) => d,
            Err(r) => return Node::unknown(r, span),
        };
        let Some(list) = self.resolve(list, path, depth + 1) else {
            return Node::unknown("`Fn::Join` of no value", span);
        };
        let Value::List(items) = list.value else {
            return Node::unknown(reason(&list, "`Fn::Join` expects a list"), span);
        };
        let mut provenance = list.provenance;
        let mut parts = Vec::with_capacity(items.len());
        for item in items {
            let Some(t) = scalar_text(&item.value) else {
                return Node::unknown(reason(&item, "`Fn::Join` expects strings"), span);
            };
            parts.push(t);
            if provenance.is_none() {
                provenance = item.provenance;
            }
        }
        let length = parts
            .iter()
            .map(|p| p.len().saturating_add(delim.len()))
            .fold(0u64, |a, b| a.saturating_add(b as u64));
        if self.produced.saturating_add(length) > self.allowed {
            self.over_budget_here(span);
            return Node::unknown(OVER_BUDGET, span);
        }
        Node {
            value: Value::String(parts.join(&delim)),
            span,
            provenance,
        }
    }

    fn select(&mut self, arg: &Node, span: Option<Span>, path: &AttrPath, depth: usize) -> Node {
        let Some([index, list]) = as_args::<2>(arg) else {
            return Node::unknown("`Fn::Select` expects [index, list]", span);
        };
        let index = match self.text(index, path, depth) {
            Ok((t, _)) => t,
            Err(r) => return Node::unknown(r, span),
        };
        let Ok(index) = index.trim().parse::<usize>() else {
            return Node::unknown(
                format!("`Fn::Select` index `{index}` is not a number"),
                span,
            );
        };
        let Some(list) = self.resolve(list, path, depth + 1) else {
            return Node::unknown("`Fn::Select` of no value", span);
        };
        let Value::List(items) = list.value else {
            return Node::unknown(reason(&list, "`Fn::Select` expects a list"), span);
        };
        let Some(mut item) = items.into_iter().nth(index) else {
            return Node::unknown(format!("`Fn::Select` index {index} is out of range"), span);
        };
        if item.provenance.is_none() {
            item.provenance = list.provenance;
        }
        if item.span.is_none() {
            item.span = span;
        }
        item
    }

    fn split(&mut self, arg: &Node, span: Option<Span>, path: &AttrPath, depth: usize) -> Node {
        let Some([delim, source]) = as_args::<2>(arg) else {
            return Node::unknown("`Fn::Split` expects [delimiter, string]", span);
        };
        let (delim, source) = match (
            self.text(delim, path, depth),
            self.text(source, path, depth),
        ) {
            (Ok((d, _)), Ok(s)) => (d, s),
            (Err(r), _) | (_, Err(r)) => return Node::unknown(r, span),
        };
        if delim.is_empty() {
            return Node::unknown("`Fn::Split` with an empty delimiter", span);
        }
        let items = source
            .0
            .split(delim.as_str())
            .map(|s| Node::new(Value::String(s.to_owned()), span))
            .collect();
        Node {
            value: Value::List(items),
            span,
            provenance: source.1,
        }
    }

    fn find_in_map(
        &mut self,
        arg: &Node,
        span: Option<Span>,
        path: &AttrPath,
        depth: usize,
    ) -> Node {
        let Value::List(items) = &arg.value else {
            return Node::unknown("`Fn::FindInMap` expects [map, key, key]", span);
        };
        let (Some(m), Some(k1), Some(k2)) = (items.first(), items.get(1), items.get(2)) else {
            return Node::unknown("`Fn::FindInMap` expects [map, key, key]", span);
        };
        let mut keys = Vec::with_capacity(3);
        for k in [m, k1, k2] {
            match self.text(k, path, depth) {
                Ok((t, _)) => keys.push(t),
                Err(r) => return Node::unknown(r, span),
            }
        }
        let [map_name, key1, key2] = keys.as_slice() else {
            return Node::unknown("`Fn::FindInMap` expects [map, key, key]", span);
        };
        let mappings = self.mappings;
        let found = mappings
            .and_then(|ms| ms.get(map_name))
            .and_then(|mm| mm.get(key1))
            .and_then(|e| e.get(key2));
        if let Some(value) = found {
            let Some(mut node) = self.resolve(value, path, depth + 1) else {
                return Node::unknown("the mapping value is `AWS::NoValue`", span);
            };
            node.relocate(span);
            return node.with_provenance(Provenance {
                kind: ProvenanceKind::Mapping,
                name: map_name.clone(),
                span: value.span,
            });
        }
        if let Some(default) = items.get(3).and_then(|o| o.get("DefaultValue")) {
            if let Some(mut node) = self.resolve(default, path, depth + 1) {
                node.relocate(span);
                return node;
            }
        }
        Node::unknown(
            format!("mapping `{map_name}` has no value for `{key1}` / `{key2}`"),
            span,
        )
    }

    fn if_(
        &mut self,
        arg: &Node,
        span: Option<Span>,
        path: &AttrPath,
        depth: usize,
    ) -> Option<Node> {
        let Some([cond, yes, no]) = as_args::<3>(arg) else {
            return Some(Node::unknown(
                "`Fn::If` expects [condition, value if true, value if false]",
                span,
            ));
        };
        let Some(cond) = cond.as_str() else {
            return Some(Node::unknown("`Fn::If` expects a condition name", span));
        };
        match self.condition(cond) {
            Some(true) => self.resolve(yes, path, depth + 1),
            Some(false) => self.resolve(no, path, depth + 1),
            None => {
                let a = self.resolve(yes, path, depth + 1);
                let b = self.resolve(no, path, depth + 1);
                match (a, b) {
                    (None, None) => None,
                    (Some(a), Some(b)) if same_value(&a, &b) => Some(a),
                    _ => Some(Node::unknown(
                        format!("depends on condition `{cond}`"),
                        span,
                    )),
                }
            }
        }
    }
}

/// The intrinsic function of a one-key map (`Ref`, `Fn::…`), if it is one.
fn intrinsic(map: &BTreeMap<String, Entry>) -> Option<(&str, &Entry)> {
    if map.len() != 1 {
        return None;
    }
    let (k, e) = map.iter().next()?;
    (k == "Ref" || k.starts_with("Fn::")).then_some((k.as_str(), e))
}

/// The `N` arguments of a function written as a list of exactly `N` items.
fn as_args<const N: usize>(arg: &Node) -> Option<&[Node; N]> {
    match &arg.value {
        Value::List(items) => items.as_slice().try_into().ok(),
        _ => None,
    }
}

/// A string holding a dynamic reference (`{{resolve:ssm:…}}`, `{{resolve:ssm-secure:…}}`,
/// `{{resolve:secretsmanager:…}}`) becomes Unknown: CloudFormation reads it at deploy. See
/// <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html>.
fn dynamic_reference(node: Node) -> Node {
    let Value::String(s) = &node.value else {
        return node;
    };
    let Some(start) = s.find("{{resolve:") else {
        return node;
    };
    let rest = s.get(start..).unwrap_or_default();
    let reference = rest
        .find("}}")
        .map_or(rest, |end| rest.get(..end + 2).unwrap_or(rest));
    let service = rest
        .get("{{resolve:".len()..)
        .and_then(|r| r.split(':').next())
        .unwrap_or_default();
    let from = match service {
        "ssm" => "read from SSM Parameter Store at deploy",
        "ssm-secure" => "a SecureString read from SSM Parameter Store at deploy",
        "secretsmanager" => "read from Secrets Manager at deploy",
        _ => "resolved at deploy",
    };
    Node::unknown(
        format!("dynamic reference `{reference}` is {from}"),
        node.span,
    )
}

/// A string holding a JSON policy document becomes the document, keeping span and provenance.
fn policy_document(node: Node) -> Node {
    let Value::String(s) = &node.value else {
        return node;
    };
    match policy_from_json_str(s, node.span) {
        Some(mut doc) => {
            doc.provenance = node.provenance;
            doc
        }
        None => node,
    }
}

/// A comma-separated list value (`CommaDelimitedList`, `List<…>`), items trimmed.
fn split_list(text: &str, span: Option<Span>) -> Node {
    let items = if text.is_empty() {
        Vec::new()
    } else {
        text.split(',')
            .map(|s| Node::new(Value::String(s.trim().to_owned()), span))
            .collect()
    };
    Node::new(Value::List(items), span)
}

/// Text of a scalar value (string, number, boolean).
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Why `node` is not usable: its unknown reason, else `fallback`.
fn reason(node: &Node, fallback: &str) -> String {
    match &node.value {
        Value::Unknown(r) => r.clone(),
        _ => fallback.to_owned(),
    }
}

/// Equal values, ignoring spans and provenance.
pub(crate) fn same_value(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, e1), (k2, e2))| k1 == k2 && same_value(&e1.node, &e2.node))
        }
        (x, y) => x == y,
    }
}

/// JSON of a fully known value (`None` if anything inside is unknown).
fn to_json(node: &Node) -> Option<serde_json::Value> {
    Some(match &node.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(Number::Int(i)) => serde_json::Value::from(*i),
        Value::Number(Number::Float(f)) => {
            serde_json::Value::Number(serde_json::Number::from_f64(*f)?)
        }
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::List(items) => {
            serde_json::Value::Array(items.iter().map(to_json).collect::<Option<_>>()?)
        }
        Value::Map(map) => serde_json::Value::Object(
            map.iter()
                .map(|(k, e)| Some((k.clone(), to_json(&e.node)?)))
                .collect::<Option<_>>()?,
        ),
        Value::Unknown(_) => return None,
    })
}
