//! Pure helpers of intrinsic functions: `Fn::Cidr` arithmetic and pseudo-parameter facts.

pub(crate) mod cidr;
pub(crate) mod pseudo;
