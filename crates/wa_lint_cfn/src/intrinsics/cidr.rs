//! `Fn::Cidr`: split an address block into equal subnets.
//!
//! `Fn::Cidr [ipBlock, count, cidrBits]` returns `count` consecutive subnets of `ipBlock`, each
//! with `cidrBits` host bits (mask `/32-cidrBits` for IPv4, `/128-cidrBits` for IPv6),
//! starting at the block's network address.
//! See <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-cidr.html>.

use std::net::{Ipv4Addr, Ipv6Addr};

/// Why `Fn::Cidr` cannot produce its list (CloudFormation would fail the deploy).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum CidrError {
    /// `ipBlock` is not `address/prefix`.
    #[error("`{0}` is not an address block like 10.0.0.0/16")]
    Block(String),
    /// `count` is not a number from 1 to 256.
    #[error("count `{0}` is not a number from 1 to 256")]
    Count(String),
    /// `cidrBits` is not a number that fits the block.
    #[error("cidrBits `{0}` does not fit the block")]
    Bits(String),
    /// The block has room for fewer subnets than asked.
    #[error("`{block}` holds fewer than {count} subnets of {bits} host bits")]
    TooMany {
        /// The block as written.
        block: String,
        /// Subnets asked for.
        count: u32,
        /// Host bits per subnet.
        bits: u32,
    },
}

/// The `count` subnets of `block` with `bits` host bits, as CIDR strings (arguments as the
/// template text gives them).
///
/// # Errors
/// [`CidrError`] when an argument is malformed or the block is too small.
pub(crate) fn subnets(block: &str, count: &str, bits: &str) -> Result<Vec<String>, CidrError> {
    let (addr, prefix) = block
        .trim()
        .split_once('/')
        .ok_or_else(|| CidrError::Block(block.to_owned()))?;
    let prefix: u32 = prefix
        .parse()
        .map_err(|_| CidrError::Block(block.to_owned()))?;
    let n: u32 = count
        .trim()
        .parse()
        .ok()
        .filter(|n| (1..=256).contains(n))
        .ok_or_else(|| CidrError::Count(count.to_owned()))?;
    let host: u32 = bits
        .trim()
        .parse()
        .map_err(|_| CidrError::Bits(bits.to_owned()))?;
    let (start, width, v4) = if let Ok(a) = addr.parse::<Ipv4Addr>() {
        (u128::from(u32::from(a)), 32u32, true)
    } else if let Ok(a) = addr.parse::<Ipv6Addr>() {
        (u128::from(a), 128u32, false)
    } else {
        return Err(CidrError::Block(block.to_owned()));
    };
    if prefix > width {
        return Err(CidrError::Block(block.to_owned()));
    }
    if host > width - prefix {
        return Err(CidrError::Bits(bits.to_owned()));
    }
    // Room: 2^(width - prefix - host) subnets.
    let room_bits = width - prefix - host;
    if room_bits < 9 && (1u32 << room_bits) < n {
        return Err(CidrError::TooMany {
            block: block.to_owned(),
            count: n,
            bits: host,
        });
    }
    let block_mask = if prefix == 0 {
        0
    } else {
        (u128::MAX << (128 - prefix)) >> (128 - width)
    };
    let network = start & block_mask;
    let step = 1u128.checked_shl(host).unwrap_or(0);
    let mask = width - host;
    Ok((0..u128::from(n))
        .map(|i| {
            let a = network + i * step;
            if v4 {
                let a = u32::try_from(a).unwrap_or(u32::MAX);
                format!("{}/{mask}", Ipv4Addr::from(a))
            } else {
                format!("{}/{mask}", Ipv6Addr::from(a))
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_subnets_like_cloudformation() {
        // The documentation example: !Cidr ["192.168.0.0/24", 6, 5].
        assert_eq!(
            subnets("192.168.0.0/24", "6", "5").unwrap_or_default(),
            [
                "192.168.0.0/27",
                "192.168.0.32/27",
                "192.168.0.64/27",
                "192.168.0.96/27",
                "192.168.0.128/27",
                "192.168.0.160/27"
            ]
        );
        assert_eq!(
            subnets("10.0.0.0/16", "4", "8").unwrap_or_default(),
            ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]
        );
        // A host address is masked to its network first.
        assert_eq!(
            subnets("10.1.2.3/16", "1", "12").unwrap_or_default(),
            ["10.1.0.0/20"]
        );
    }

    #[test]
    fn ipv6_subnets() {
        assert_eq!(
            subnets("2001:db8:1234:1a00::/56", "2", "64").unwrap_or_default(),
            ["2001:db8:1234:1a00::/64", "2001:db8:1234:1a01::/64"]
        );
    }

    #[test]
    fn errors() {
        assert!(matches!(
            subnets("10.0.0.0/24", "3", "7"),
            Err(CidrError::TooMany { .. })
        ));
        assert_eq!(
            subnets("10.0.0.0", "1", "8"),
            Err(CidrError::Block("10.0.0.0".into()))
        );
        assert_eq!(
            subnets("10.0.0.0/24", "0", "8"),
            Err(CidrError::Count("0".into()))
        );
        assert_eq!(
            subnets("10.0.0.0/24", "1", "9"),
            Err(CidrError::Bits("9".into()))
        );
        assert!(subnets("10.0.0.0/24", "1", "8").is_ok());
    }
}
