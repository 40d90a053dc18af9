//! The built-in pack's compiled image: what loading the embedded pack computes (each group's
//! VM program and each rule's entry points), stored in the repository
//! (`crates/wa_lint_rules/pack.image`) and embedded in the binary, so a scan with the built-in
//! pack only does not parse and analyse ~100 Rego modules with regorus first.
//!
//! Compiling the pack took most of a small scan: about 0.1 s of CPU and, with regorus' engines,
//! tens of MB of heap (`docs/benchmarks.md`, "Pack image"). With the image, the pack's engines
//! are only built if a group's rules must be evaluated on the interpreter (see `pack`).
//!
//! The image is used only when the pack's sources are exactly the ones it was made from (a
//! BLAKE3 digest of every `(path, source)`) and it decodes into one program per group and one
//! entry-point record per rule; otherwise the pack is compiled as before, so a stale or damaged
//! image costs time, never results. `tests/image.rs` fails when the committed image is not the
//! one the sources and the vendored regorus give, and says how to write it again
//! (`WA_LINT_WRITE_PACK_IMAGE=1 cargo test -p wa_lint_rules --test image`).
//!
//! Layout (integers little-endian): `WALINTPK`, format version (`u32`), the sources' digest
//! (32 bytes), the group count (`u32`) and per group the length (`u32`) and bytes of its
//! program (`Program::serialize_binary`), the rule count (`u32`) and per rule, in pack order
//! (sorted by ID), one byte: bit 0 = declares `deny`, bit 1 = declares `unknown`.

use std::sync::Arc;

use regorus::rvm::program::DeserializationResult;
use regorus::rvm::Program;

/// The committed image (empty when the file is empty).
static EMBEDDED: &[u8] = include_bytes!("../pack.image");

const MAGIC: &[u8; 8] = b"WALINTPK";
const VERSION: u32 = 1;

/// What an image holds.
#[derive(Debug)]
pub(crate) struct Image {
    /// One program per group, in group order.
    pub(crate) programs: Vec<Arc<Program>>,
    /// Per rule in pack order: `(declares deny, declares unknown)`.
    pub(crate) entries: Vec<(bool, bool)>,
}

/// BLAKE3 of `sources` (each path and source, length-prefixed).
pub(crate) fn digest(sources: &[(String, String)]) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    for (path, text) in sources {
        for part in [path, text] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
    }
    *hasher.finalize().as_bytes()
}

/// The embedded image, when it was made from exactly `sources` and decodes.
pub(crate) fn embedded_for(sources: &[(String, String)]) -> Option<Image> {
    decode(EMBEDDED, &digest(sources))
}

/// Encodes an image of `programs` and `entries` made from sources with digest `digest`;
/// `None` when a program does not serialize.
pub(crate) fn encode(
    digest: &[u8; 32],
    programs: &[Arc<Program>],
    entries: &[(bool, bool)],
) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(digest);
    out.extend_from_slice(&u32::try_from(programs.len()).ok()?.to_le_bytes());
    for program in programs {
        let bytes = program.serialize_binary().ok()?;
        out.extend_from_slice(&u32::try_from(bytes.len()).ok()?.to_le_bytes());
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(&u32::try_from(entries.len()).ok()?.to_le_bytes());
    out.extend(
        entries
            .iter()
            .map(|&(deny, unknown)| u8::from(deny) | (u8::from(unknown) << 1)),
    );
    Some(out)
}

/// Decodes `bytes` if it is an image made from sources with digest `digest`.
fn decode(bytes: &[u8], digest: &[u8; 32]) -> Option<Image> {
    let mut r = Reader(bytes);
    if r.take(MAGIC.len())? != MAGIC || r.u32()? != VERSION || r.take(32)? != digest {
        return None;
    }
    let groups = r.u32()?;
    let mut programs = Vec::new();
    for _ in 0..groups {
        let len = usize::try_from(r.u32()?).ok()?;
        match Program::deserialize_binary(r.take(len)?).ok()? {
            DeserializationResult::Complete(program) => programs.push(Arc::new(program)),
            DeserializationResult::Partial(_) => return None,
        }
    }
    let rules = usize::try_from(r.u32()?).ok()?;
    let entries = r
        .take(rules)?
        .iter()
        .map(|&b| (b & 1 != 0, b & 2 != 0))
        .collect();
    r.0.is_empty().then_some(Image { programs, entries })
}

/// A cursor over the image's bytes.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn an_image_decodes_only_with_its_digest_and_whole() {
        let program = Arc::new(Program::new());
        let bytes = encode(
            &[7; 32],
            &[Arc::clone(&program)],
            &[(true, false), (false, true)],
        )
        .unwrap();
        let image = decode(&bytes, &[7; 32]).unwrap();
        assert_eq!(image.programs.len(), 1);
        assert_eq!(image.entries, [(true, false), (false, true)]);
        assert!(decode(&bytes, &[8; 32]).is_none());
        assert!(decode(bytes.get(..bytes.len() - 1).unwrap(), &[7; 32]).is_none());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer, &[7; 32]).is_none());
        assert!(decode(b"", &[7; 32]).is_none());
    }

    #[test]
    fn the_digest_tells_path_from_text() {
        let a = digest(&[("ab".into(), "c".into())]);
        let b = digest(&[("a".into(), "bc".into())]);
        assert_ne!(a, b);
    }
}
