//! Pseudo parameters and facts derived from a region.
//!
//! See <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html>.

/// True for the pseudo parameters CloudFormation defines (`AWS::NoValue` included).
pub(crate) fn is_pseudo(name: &str) -> bool {
    matches!(
        name,
        "AWS::AccountId"
            | "AWS::NotificationARNs"
            | "AWS::NoValue"
            | "AWS::Partition"
            | "AWS::Region"
            | "AWS::StackId"
            | "AWS::StackName"
            | "AWS::URLSuffix"
    )
}

/// `AWS::Partition` of `region`: `aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`, `aws-iso`
/// for `us-iso-*`, `aws-iso-b` for `us-isob-*`, `aws` otherwise.
pub(crate) fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else {
        "aws"
    }
}

/// `AWS::URLSuffix` of `region`: `amazonaws.com.cn` in China, `c2s.ic.gov` / `sc2s.sgov.gov`
/// in the ISO partitions, `amazonaws.com` otherwise.
pub(crate) fn url_suffix(region: &str) -> &'static str {
    match partition(region) {
        "aws-cn" => "amazonaws.com.cn",
        "aws-iso" => "c2s.ic.gov",
        "aws-iso-b" => "sc2s.sgov.gov",
        _ => "amazonaws.com",
    }
}

/// What `Fn::GetAZs` returns for `region`, as far as a template can know: the zone names
/// `<region>a`, `<region>b`, `<region>c`. CloudFormation returns the zones the *account* can use
/// (`us-east-1` has six, a few accounts lack a letter), so this is the first three names of the
/// common layout — enough for `Fn::Select [0..2, …]` and for rules, which look at subnet
/// placement, never at zone letters.
/// See <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getavailabilityzones.html>.
pub(crate) fn availability_zones(region: &str) -> Vec<String> {
    ['a', 'b', 'c']
        .iter()
        .map(|letter| format!("{region}{letter}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_and_suffixes() {
        assert_eq!(partition("eu-west-1"), "aws");
        assert_eq!(partition("cn-north-1"), "aws-cn");
        assert_eq!(partition("us-gov-west-1"), "aws-us-gov");
        assert_eq!(url_suffix("cn-northwest-1"), "amazonaws.com.cn");
        assert_eq!(url_suffix("us-east-1"), "amazonaws.com");
        assert_eq!(
            availability_zones("eu-west-1"),
            ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
        );
        assert!(is_pseudo("AWS::StackName"));
        assert!(!is_pseudo("AWS::Stack"));
    }
}
