//! Attribute values with their source spans and provenance.

use std::collections::BTreeMap;
use std::fmt;

use wa_lint_source::Span;

/// A number as written: integers stay integers (ports, counts), others are `f64`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub enum Number {
    /// An integer that fits in `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Int(i) => write!(f, "{i}"),
            Self::Float(x) => write!(f, "{x}"),
        }
    }
}

/// A value after the front end resolved what it could.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// JSON/YAML `null`, HCL `null`, CloudFormation `Ref: AWS::NoValue` inside a list.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// A list (Terraform nested blocks are lists of maps).
    List(Vec<Node>),
    /// A map with keys in sorted order; duplicate keys were resolved last-wins by the parser.
    Map(BTreeMap<String, Entry>),
    /// A value that cannot be known before deploy; the string says why, for messages
    /// (e.g. "parameter `KmsKey` has no default", "`var.region` has no value").
    /// Rego sees it as `{"$unknown": "<reason>"}`.
    Unknown(String),
}

/// Where a value came from when it is not written literally where it is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProvenanceKind {
    /// CloudFormation parameter `Default`.
    ParameterDefault,
    /// CloudFormation parameter value given by the user (`--cfn-param`, parameter file).
    ParameterValue,
    /// CloudFormation `Mappings` entry (`Fn::FindInMap`).
    Mapping,
    /// Terraform variable `default`.
    VariableDefault,
    /// Terraform variable set in a `.tfvars` file or on the command line.
    VariableValue,
    /// Terraform `locals` entry.
    Local,
    /// CloudFormation `Outputs` export of another template of the scan (`Fn::ImportValue`).
    Export,
    /// Terraform variable declared `sensitive = true` (default or value); reports should not
    /// print the value.
    SensitiveVariable,
    /// Terraform `output` of a child module, read by the caller as `module.<name>.<output>`
    /// (`name` is `module.<name>.<output>`).
    ModuleOutput,
    /// Code of a Terraform module whose files are outside the scanned tree (downloaded under
    /// `.terraform/modules`): the value is located at the call site in the scanned tree and
    /// this provenance points at the downloaded file (`name` is the module address).
    DownloadedModule,
    /// Terraform argument of a resource or data source as configured, read by a reference to
    /// that resource (`aws_s3_bucket.logs.bucket`; `name` is the instance address and
    /// attribute, `span` the argument's value).
    ResourceArgument,
}

/// The origin of a resolved value, so a message can say "from parameter `SSHLocation` default".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Provenance {
    /// What kind of definition the value came from.
    pub kind: ProvenanceKind,
    /// Its name: parameter, variable, local or mapping name.
    pub name: String,
    /// Where it is defined (the default, the tfvars entry, the local), if in a scanned file.
    pub span: Option<Span>,
}

impl fmt::Display for Provenance {
    /// Human phrase: "parameter `SSHLocation` default".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.name;
        match self.kind {
            ProvenanceKind::ParameterDefault => write!(f, "parameter `{name}` default"),
            ProvenanceKind::ParameterValue => write!(f, "parameter `{name}` value"),
            ProvenanceKind::Mapping => write!(f, "mapping `{name}`"),
            ProvenanceKind::VariableDefault => write!(f, "variable `{name}` default"),
            ProvenanceKind::VariableValue => write!(f, "variable `{name}` value"),
            ProvenanceKind::Local => write!(f, "local `{name}`"),
            ProvenanceKind::Export => write!(f, "export `{name}`"),
            ProvenanceKind::SensitiveVariable => write!(f, "sensitive variable `{name}`"),
            ProvenanceKind::ModuleOutput => write!(f, "module output `{name}`"),
            ProvenanceKind::DownloadedModule => write!(f, "downloaded module `{name}`"),
            ProvenanceKind::ResourceArgument => write!(f, "configured argument `{name}`"),
        }
    }
}

/// A value with the span where it is written in the resource's own source.
///
/// Contract: `span` is always where the value appears at its point of use (the `!Ref` site,
/// the `local.x` expression); `provenance` says where a resolved value was defined. Nodes
/// nested in a resolved value carry the span of the referencing expression too, so locations
/// never jump into a parameter or local definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it is written, if known.
    pub span: Option<Span>,
    /// Where it came from, when not a literal written here.
    pub provenance: Option<Box<Provenance>>,
}

/// A map entry: the key's own span and the value node.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Span of the key (`CidrIp`, `cidr_blocks`), if known.
    pub key_span: Option<Span>,
    /// The value.
    pub node: Node,
}

impl Node {
    /// A literal node.
    pub fn new(value: Value, span: Option<Span>) -> Self {
        Self {
            value,
            span,
            provenance: None,
        }
    }

    /// An unknown value with a reason.
    pub fn unknown(reason: impl Into<String>, span: Option<Span>) -> Self {
        Self::new(Value::Unknown(reason.into()), span)
    }

    /// Approximate heap size of the value, for the front ends' evaluation budgets: 32 bytes per
    /// value plus the bytes of strings, map keys and unknown reasons (spans and provenance are
    /// not counted).
    pub fn approx_bytes(&self) -> u64 {
        let own = match &self.value {
            Value::String(s) | Value::Unknown(s) => s.len() as u64,
            Value::List(items) => items.iter().map(Node::approx_bytes).sum(),
            Value::Map(map) => map
                .iter()
                .map(|(k, e)| (k.len() as u64).saturating_add(e.node.approx_bytes()))
                .sum(),
            Value::Null | Value::Bool(_) | Value::Number(_) => 0,
        };
        own.saturating_add(32)
    }

    /// An empty map.
    pub fn empty_map(span: Option<Span>) -> Self {
        Self::new(Value::Map(BTreeMap::new()), span)
    }

    /// Sets the provenance.
    #[must_use]
    pub fn with_provenance(mut self, provenance: Provenance) -> Self {
        self.provenance = Some(Box::new(provenance));
        self
    }

    /// The entry under `key` when this is a map.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(m) => m.get(key).map(|e| &e.node),
            _ => None,
        }
    }

    /// The string, when this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// True for [`Value::Unknown`].
    pub fn is_unknown(&self) -> bool {
        matches!(self.value, Value::Unknown(_))
    }

    /// Moves every nested node's span to `span` (used when a value resolved from elsewhere is
    /// placed at its point of use), keeping provenance on this node only.
    pub fn relocate(&mut self, span: Option<Span>) {
        self.span = span;
        match &mut self.value {
            Value::List(items) => items.iter_mut().for_each(|n| n.relocate(span)),
            Value::Map(map) => map.values_mut().for_each(|e| {
                e.key_span = span;
                e.node.relocate(span);
            }),
            _ => {}
        }
    }
}
