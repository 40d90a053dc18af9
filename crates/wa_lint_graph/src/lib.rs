//! The resource graph: one shape for CloudFormation templates and Terraform modules.
//!
//! Front ends (`wa_lint_cfn`, `wa_lint_terraform`) build a [`ResourceGraph`] per unit; the rules
//! engine turns it into the Rego `input` (see `docs/architecture.md`, "What Rego sees"); the
//! linter maps a rule's `(address, path)` back to a source [`Span`] with
//! [`ResourceGraph::locate`].
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod kind;
mod path;
mod policy;
mod spans;
mod value;

use std::collections::BTreeMap;

pub use kind::kind_of;
pub use path::{AttrPath, PathSeg};
pub use policy::{from_json, policy_from_json_str};
pub use value::{Entry, Node, Number, Provenance, ProvenanceKind, Value};
use wa_lint_source::{FileId, Span};

/// Where a unit or resource was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// A CloudFormation template (JSON or YAML, SAM, CDK output).
    Cloudformation,
    /// A Terraform module (`.tf`, `.tf.json`).
    Terraform,
    /// A Terraform plan (`terraform show -json`).
    TerraformPlan,
}

impl Origin {
    /// The name used in the Rego input and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cloudformation => "cloudformation",
            Self::Terraform => "terraform",
            Self::TerraformPlan => "terraform-plan",
        }
    }
}

/// Managed resource or Terraform data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// A resource the template creates (CloudFormation resource, Terraform `resource`).
    #[default]
    Managed,
    /// A Terraform `data` block (read, not created).
    Data,
}

/// One resource of a unit.
#[derive(Debug, Clone)]
pub struct Resource {
    /// CloudFormation logical ID (`Bucket`) or Terraform address as Terraform prints it
    /// (`aws_instance.web[0]`, `data.aws_iam_policy_document.p`, `module.net.aws_subnet.a`).
    pub address: String,
    /// Which front end produced it.
    pub origin: Origin,
    /// Native type: `AWS::S3::Bucket`, `aws_s3_bucket`.
    pub rtype: String,
    /// Managed resource or data source.
    pub mode: Mode,
    /// The attributes: CloudFormation `Properties`, Terraform block body (nested blocks are
    /// lists of maps). Always a [`Value::Map`].
    pub attrs: Node,
    /// The resource header: CloudFormation logical ID key, Terraform `resource "t" "n"` labels.
    pub header: Span,
    /// The whole resource definition.
    pub block: Span,
    /// Terraform module path (`""` for the root module and for CloudFormation).
    pub module_path: String,
}

impl Resource {
    /// The file the resource is defined in.
    pub fn file(&self) -> FileId {
        self.header.file
    }
}

/// What produced an [`Edge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// CloudFormation `Ref`.
    Ref,
    /// CloudFormation `Fn::GetAtt`.
    GetAtt,
    /// CloudFormation `Fn::Sub` `${Name}` / `${Name.Attr}`.
    Sub,
    /// Terraform traversal such as `aws_s3_bucket.logs.id`.
    Traversal,
    /// CloudFormation `DependsOn`, Terraform `depends_on`.
    DependsOn,
    /// A resource added by a transform (the SAM function's `<Id>Role`) to the resource it was
    /// generated from.
    GeneratedFrom,
}

/// A reference from one resource's attribute to another resource.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edge {
    /// Address of the referring resource.
    pub from: String,
    /// Address of the referenced resource.
    pub to: String,
    /// Attribute path in `from` where the reference is written (empty for `DependsOn`).
    pub at: AttrPath,
    /// What kind of reference.
    pub kind: EdgeKind,
}

/// Facts about a unit: the thing rules see at once.
#[derive(Debug, Clone)]
pub struct Unit {
    /// CloudFormation, Terraform or plan.
    pub origin: Origin,
    /// Path of the template file or module directory, relative to the scan root (`/`).
    pub path: String,
    /// Files the unit was read from, in path order (the template, or the module's `.tf` files).
    pub files: Vec<(FileId, String)>,
}

/// All resources of one unit and the references between them.
#[derive(Debug, Clone)]
pub struct ResourceGraph {
    /// The unit.
    pub unit: Unit,
    /// Resources keyed by address (sorted, so iteration is deterministic).
    pub resources: BTreeMap<String, Resource>,
    /// References between resources, sorted and deduplicated by [`ResourceGraph::finish`].
    pub edges: Vec<Edge>,
    /// For a nested CloudFormation stack: the parent's stack resource that creates it (findings
    /// of this unit get it as a related location). `None` for a top-level unit.
    pub called_from: Option<CallSite>,
    /// CDK construct paths by resource address: the `aws:cdk:path` of each resource's
    /// `Metadata` (`AppStack/Network/Sg/Resource`), for templates synthesized by the AWS CDK.
    /// Kept beside the resources so that findings can name the construct to fix.
    pub construct_paths: BTreeMap<String, String>,
    /// Template-level declarations: CloudFormation `Parameters` and `Outputs` entries, and the
    /// `variable` and `output` blocks of a Terraform root module, keyed by address
    /// (`Parameters.DBPassword`, `Outputs.Secret`, `var.db_password`, `output.secret`). `rtype`
    /// is one of the pseudo types [`CFN_PARAMETER`], [`CFN_OUTPUT`], [`TF_VARIABLE`],
    /// [`TF_OUTPUT`]; `attrs` is the body (a parameter as written, an output with its `Value`
    /// resolved). Findings can name these addresses like resource addresses
    /// ([`ResourceGraph::locate`] finds both). Not in `resources`, so resource rules and
    /// coverage never see them.
    pub declarations: BTreeMap<String, Resource>,
    /// Links between declarations and resources, sorted by [`ResourceGraph::finish`].
    pub declaration_refs: Vec<DeclarationRef>,
    /// Files outside `unit.files` whose content or existence the unit's values depend on: the
    /// paths Terraform file functions (`file`, `fileexists`, `templatefile`) resolved, relative
    /// to the scan root (`/`-separated), whether they existed or not; sorted and deduplicated.
    /// The incremental cache hashes them to know whether a stored unit still stands.
    pub files_read: Vec<String>,
}

/// Pseudo type of a CloudFormation `Parameters` entry (address `Parameters.<Name>`), see
/// <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html>.
pub const CFN_PARAMETER: &str = "AWS::CloudFormation::Parameter";
/// Pseudo type of a CloudFormation `Outputs` entry (address `Outputs.<Name>`), see
/// <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html>.
pub const CFN_OUTPUT: &str = "AWS::CloudFormation::Output";
/// Pseudo type of a Terraform root-module `variable` block (address `var.<name>`), see
/// <https://developer.hashicorp.com/terraform/language/values/variables>.
pub const TF_VARIABLE: &str = "terraform_variable";
/// Pseudo type of a Terraform root-module `output` block (address `output.<name>`), see
/// <https://developer.hashicorp.com/terraform/language/values/outputs>.
pub const TF_OUTPUT: &str = "terraform_output";

/// A link between a declaration and a resource attribute.
///
/// - Parameter / variable: `resource` uses it at attribute path `at` of the resource
///   (`DB`, `["MasterUserPassword"]`); `attr` is `None`.
/// - Output: its value at path `at` of the output (`["Value"]`) references `resource`, reading
///   attribute `attr` (`Fn::GetAtt [Key, SecretAccessKey]` → `Some("SecretAccessKey")`,
///   `aws_iam_access_key.k.secret` → `Some("secret")`; `None` for a plain `Ref`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeclarationRef {
    /// Address of the declaration (`Parameters.DBPassword`, `output.secret`).
    pub declaration: String,
    /// Address of the resource.
    pub resource: String,
    /// Attribute path: in the resource for a parameter, in the output for an output.
    pub at: AttrPath,
    /// The resource attribute an output reads, if any.
    pub attr: Option<String>,
    /// How it is written: [`EdgeKind::Ref`] (`Ref`), [`EdgeKind::GetAtt`], [`EdgeKind::Sub`]
    /// (`${Name}` inside a longer string), [`EdgeKind::Traversal`] (Terraform).
    pub kind: EdgeKind,
}

/// The resource of a parent unit that creates a nested unit (`AWS::CloudFormation::Stack`,
/// `AWS::Serverless::Application`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallSite {
    /// The stack resource's header (logical ID) in the parent file.
    pub span: Span,
    /// Its address in the parent (`NetworkStack`).
    pub address: String,
    /// The parent unit's path, relative to the scan root.
    pub unit: String,
}

impl ResourceGraph {
    /// The resource, else the declaration ([`ResourceGraph::declarations`]), at `address`.
    pub fn resource_or_declaration(&self, address: &str) -> Option<&Resource> {
        self.resources
            .get(address)
            .or_else(|| self.declarations.get(address))
    }

    /// An empty graph for `unit`.
    pub fn new(unit: Unit) -> Self {
        Self {
            unit,
            resources: BTreeMap::new(),
            edges: Vec::new(),
            called_from: None,
            construct_paths: BTreeMap::new(),
            declarations: BTreeMap::new(),
            declaration_refs: Vec::new(),
            files_read: Vec::new(),
        }
    }

    /// Sorts and deduplicates edges and drops those whose target is not a resource of this
    /// graph. Front ends call it once when done.
    pub fn finish(&mut self) {
        let resources = &self.resources;
        self.edges
            .retain(|e| resources.contains_key(&e.to) && resources.contains_key(&e.from));
        self.edges.sort();
        self.edges.dedup();
        let declarations = &self.declarations;
        self.declaration_refs.retain(|r| {
            resources.contains_key(&r.resource) && declarations.contains_key(&r.declaration)
        });
        self.declaration_refs.sort();
        self.declaration_refs.dedup();
    }

    /// The nearest source location of `path` inside resource `address`: the node at the path,
    /// else its closest existing parent, else the resource header. Returns the span and the
    /// provenance of the node found (if the value came from somewhere else than where it is
    /// written). `None` when neither a resource nor a declaration has this address.
    pub fn locate(&self, address: &str, path: &AttrPath) -> Option<(Span, Option<&Provenance>)> {
        let resource = self.resource_or_declaration(address)?;
        let mut best = (resource.header, None);
        let mut node = &resource.attrs;
        for seg in path.segments() {
            let next = match (seg, &node.value) {
                (PathSeg::Key(k), Value::Map(map)) => map
                    .get(k.as_str())
                    .map(|e| (e.key_span.or(e.node.span), &e.node)),
                (PathSeg::Index(i), Value::List(items)) => items.get(*i).map(|n| (n.span, n)),
                _ => None,
            };
            let Some((span, child)) = next else { break };
            if let Some(span) = span {
                best = (span, child.provenance.as_deref());
            }
            node = child;
        }
        Some(best)
    }
}

/// What a front end returns for one unit.
#[derive(Debug, Default)]
pub struct ParseOutput {
    /// The graph, when the input could be read far enough to build one (it may be partial when
    /// `diagnostics` holds errors, e.g. duplicate keys resolved last-wins).
    pub graph: Option<ResourceGraph>,
    /// Problems found while reading, with locations.
    pub diagnostics: Vec<wa_lint_source::Diagnostic>,
    /// Alternative graphs of the same unit, one per combination of undecided CloudFormation
    /// conditions that the front end explored (bounded and deterministic). Empty when nothing
    /// was undecided: then `graph` is the only one. When not empty, the linter evaluates every
    /// scenario instead of `graph` and names the deciding condition of a finding that holds in
    /// only some of them.
    pub scenarios: Vec<Scenario>,
}

/// One way the undecided conditions of a unit can go, and the graph under it.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The condition values assumed, by condition name, sorted by name.
    pub assumptions: Vec<(String, bool)>,
    /// The graph under those assumptions.
    pub graph: ResourceGraph,
}
