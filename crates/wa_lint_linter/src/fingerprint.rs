//! Stable fingerprints for SARIF `partialFingerprints` (64-bit FNV-1a).

/// FNV-1a 64-bit offset basis.
const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV-1a 64-bit prime.
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// 64-bit FNV-1a hash of `parts`, each followed by a 0 byte so that `["ab", "c"]` and
/// `["a", "bc"]` differ. Stable across platforms, Rust versions and runs.
pub(crate) fn fnv1a(parts: &[&str]) -> u64 {
    parts.iter().fold(OFFSET, |hash, part| {
        update(update(hash, part.as_bytes()), &[0])
    })
}

/// Feeds `bytes` into an FNV-1a state.
fn update(hash: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(hash, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

/// The hash as 16 lower-case hex digits.
pub(crate) fn hex(parts: &[&str]) -> String {
    format!("{:016x}", fnv1a(parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_reference_vectors() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(update(OFFSET, b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(update(OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(update(OFFSET, b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(fnv1a(&["foobar"]), update(OFFSET, b"foobar\0"));
    }

    #[test]
    fn parts_are_separated() {
        assert_ne!(fnv1a(&["ab", "c"]), fnv1a(&["a", "bc"]));
        assert_eq!(hex(&["WA-X", "Bucket", "Properties"]).len(), 16);
        assert_eq!(hex(&["a"]), hex(&["a"]));
    }
}
