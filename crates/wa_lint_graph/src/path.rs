//! Attribute paths inside a resource.

use std::fmt;

/// One step of an [`AttrPath`]: a map key or a list index (0-based).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(untagged)]
pub enum PathSeg {
    /// A map key, e.g. `SecurityGroupIngress`, `ingress`.
    Key(String),
    /// A 0-based list index.
    Index(usize),
}

/// A path from a resource's attributes to a value, e.g. `["SecurityGroupIngress", 1, "CidrIp"]`.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct AttrPath(pub Vec<PathSeg>);

impl AttrPath {
    /// The empty path (the resource itself).
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// The steps of the path.
    pub fn segments(&self) -> &[PathSeg] {
        &self.0
    }

    /// A new path with a key appended.
    #[must_use]
    pub fn key(&self, key: impl Into<String>) -> Self {
        let mut p = self.clone();
        p.0.push(PathSeg::Key(key.into()));
        p
    }

    /// A new path with an index appended.
    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        let mut p = self.clone();
        p.0.push(PathSeg::Index(index));
        p
    }
}

impl fmt::Display for AttrPath {
    /// Dotted form with indexes in brackets: `SecurityGroupIngress[1].CidrIp`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                PathSeg::Key(k) if i == 0 => write!(f, "{k}")?,
                PathSeg::Key(k) => write!(f, ".{k}")?,
                PathSeg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}
