//! References to other resources' attributes (`aws_s3_bucket.logs.bucket`,
//! `aws_subnet.private[0].id`, `aws_subnet.private[*].cidr_block`): resolved to the
//! **configured** value of that argument when the referenced instance sets it and the value is
//! known, as Terraform knows it at plan time; everything the provider computes (`arn`, most
//! `id`s, attributes not set in configuration, arguments configured as `null`) stays
//! [`Value::Unknown`] "known only after apply".
//!
//! Instances are built lazily, on first reference, by a [`Resolver`] (memoized, with the chain
//! of instances being built so that a reference cycle — Terraform's "Cycle" error — gives
//! Unknown with the cycle as reason instead of recursing). Once every resource of a module
//! instance is built, the configured attributes are kept in [`Globals::configured`] so that
//! outputs read them without a resolver.
//!
//! Terraform: <https://developer.hashicorp.com/terraform/language/expressions/references#references-to-resource-attributes>.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use wa_lint_graph::{Node, Value};

use crate::eval::{Eval, Globals};
use crate::resources::{body_attrs_raw, Instance, RBlock};

/// Longest chain of resources built lazily one inside another (guards the stack).
pub(crate) const MAX_CHAIN: usize = 24;

/// How a resource block is expanded into instances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expansion {
    /// No `count`/`for_each`: one instance at the block address.
    Single,
    /// `count = n`: instances `[0]`…`[n-1]` (read as a list).
    Count,
    /// `for_each`: instances `["key"]` (read as a map).
    ForEach,
    /// `count`/`for_each` not decidable: one symbolic instance, whose attributes stay Unknown.
    Symbolic,
}

/// The configured attributes of one instance: resource type and the body as configured
/// (nested blocks as lists of maps, JSON strings kept as strings).
#[derive(Debug, Clone)]
pub(crate) struct Configured {
    pub rtype: String,
    pub attrs: Node,
}

/// `id` is documented to equal a configured argument for these resource types (the argument
/// named here). Only types whose Terraform Registry page says so are listed; `id`s the
/// provider computes (`sg-…`, ARNs, `DbiResourceId`) are not.
const ID_ARGUMENT: &[(&str, &str)] = &[
    // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket#attribute-reference
    // "`id` - The name of the bucket."
    ("aws_s3_bucket", "bucket"),
    // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_directory_bucket#attribute-reference
    // "`id` - (Deprecated, use `bucket` instead) Name of the bucket."
    ("aws_s3_directory_bucket", "bucket"),
    // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role#attribute-reference
    // "`id` - Name of the role."
    ("aws_iam_role", "name"),
    // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_cluster#attribute-reference
    // "`id` - Name of the cluster."
    ("aws_eks_cluster", "name"),
    // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_parameter_group#attribute-reference
    // "`id` - The db parameter group name."
    ("aws_db_parameter_group", "name"),
    // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_option_group#attribute-reference
    // "`id` - DB option group name."
    ("aws_db_option_group", "name"),
    // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_subnet_group#attribute-reference
    // "`id` - The db subnet group name."
    ("aws_db_subnet_group", "name"),
];

/// The configured argument that attribute `attr` of a `rtype` resource equals: `attr` itself,
/// or for `id` the argument of [`ID_ARGUMENT`].
pub(crate) fn argument_for<'x>(rtype: &str, attr: &'x str) -> [Option<&'x str>; 2] {
    let id = (attr == "id")
        .then(|| {
            ID_ARGUMENT
                .iter()
                .find(|(t, _)| *t == rtype)
                .map(|(_, a)| *a)
        })
        .flatten();
    [Some(attr), id]
}

enum Slot {
    /// Being built (on the current chain).
    Busy,
    Done(Arc<Configured>),
}

/// Builds resource instances of one module instance on demand (see the module docs).
pub(crate) struct Resolver<'r> {
    /// Prefixed instance address → its block and instance.
    instances: BTreeMap<String, (&'r RBlock<'r>, &'r Instance)>,
    memo: RefCell<BTreeMap<String, Slot>>,
    /// Instances being built, outermost first.
    chain: RefCell<Vec<String>>,
}

impl<'r> Resolver<'r> {
    /// A resolver over `blocks` and their instances (addresses already prefixed); invalid
    /// blocks are left out.
    pub(crate) fn new(blocks: &'r [RBlock<'r>], expanded: &'r [Vec<Instance>]) -> Self {
        let instances = blocks
            .iter()
            .zip(expanded)
            .filter(|(rb, _)| rb.valid)
            .flat_map(|(rb, insts)| insts.iter().map(move |i| (i.address.clone(), (rb, i))))
            .collect();
        Self {
            instances,
            memo: RefCell::new(BTreeMap::new()),
            chain: RefCell::new(Vec::new()),
        }
    }

    /// Marks `address` as being built outside the resolver (so that a reference back to it is
    /// a cycle); undone by [`Resolver::leave`].
    pub(crate) fn enter(&self, address: &str) {
        self.memo
            .borrow_mut()
            .insert(address.to_owned(), Slot::Busy);
        self.chain.borrow_mut().push(address.to_owned());
    }

    /// Ends [`Resolver::enter`].
    pub(crate) fn leave(&self, address: &str) {
        let mut memo = self.memo.borrow_mut();
        if matches!(memo.get(address), Some(Slot::Busy)) {
            memo.remove(address);
        }
        self.chain.borrow_mut().pop();
    }

    /// The configured attributes of instance `address`, built with globals `g` at expression
    /// depth `depth`. `Ok(None)` when `address` is not an instance of this module;
    /// `Err(reason)` on a reference cycle or a chain longer than [`MAX_CHAIN`].
    pub(crate) fn configured(
        &self,
        address: &str,
        g: &Globals,
        depth: u32,
    ) -> Result<Option<Arc<Configured>>, String> {
        let Some((rb, inst)) = self.instances.get(address) else {
            return Ok(None);
        };
        match self.memo.borrow().get(address) {
            Some(Slot::Done(c)) => return Ok(Some(Arc::clone(c))),
            Some(Slot::Busy) => {
                let chain = self.chain.borrow();
                let from = chain.iter().position(|a| a == address).unwrap_or(0);
                let mut cycle: Vec<&str> = chain
                    .get(from..)
                    .unwrap_or_default()
                    .iter()
                    .map(String::as_str)
                    .collect();
                cycle.push(address);
                return Err(format!(
                    "resources refer to each other in a cycle ({})",
                    cycle.join(" → ")
                ));
            }
            None => {}
        }
        if self.chain.borrow().len() >= MAX_CHAIN {
            return Err(format!(
                "references between resources are chained more than {MAX_CHAIN} deep"
            ));
        }
        self.enter(address);
        let mut ev = Eval::nested(g, rb.src, self, depth);
        let span = ev.sp(hcl_edit::Span::span(rb.block));
        let attrs = ev.with_frame(inst.frame.clone(), |ev| {
            body_attrs_raw(ev, &rb.block.body, span)
        });
        self.leave(address);
        let c = Arc::new(Configured {
            rtype: rb.rtype.clone(),
            attrs,
        });
        self.memo
            .borrow_mut()
            .insert(address.to_owned(), Slot::Done(Arc::clone(&c)));
        Ok(Some(c))
    }

    /// Every instance's configured attributes (for [`Globals::configured`]).
    pub(crate) fn all(&self, g: &Globals) -> BTreeMap<String, Arc<Configured>> {
        self.instances
            .keys()
            .filter_map(|a| {
                self.configured(a, g, 0)
                    .ok()
                    .flatten()
                    .map(|c| (a.clone(), c))
            })
            .collect()
    }
}

/// A configured value read through a reference: Unknown when it is `null` (the provider may
/// compute it) — see [`crate::eval::Eval`]'s resource references.
pub(crate) fn known_configured(node: Node) -> Option<Node> {
    (!matches!(node.value, Value::Null)).then_some(node)
}
