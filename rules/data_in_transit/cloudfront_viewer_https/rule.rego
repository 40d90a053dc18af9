# METADATA
# title: CloudFront cache behavior allows plain HTTP to viewers
# description: |
#   What it checks: The default cache behavior and every ordered cache behavior of a CloudFront
#   distribution use ViewerProtocolPolicy / viewer_protocol_policy redirect-to-https or https-
#   only; allow-all fails. The property is required, so an absent value is an invalid template and
#   is not reported.
#   Why it matters: with allow-all, viewers can fetch content and send cookies, tokens and form
#   data over plain HTTP, open to interception and tampering (SEC09-BP02).
#   Bad (CloudFormation): DefaultCacheBehavior: {ViewerProtocolPolicy: allow-all, ...}
#   Bad (Terraform): default_cache_behavior { viewer_protocol_policy = "allow-all" }
#   Good: ViewerProtocolPolicy: redirect-to-https / viewer_protocol_policy = "https-only"
#   References: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cloudfront-distribution-defaultcachebehavior.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution#viewer_protocol_policy
# custom:
#   id: WA-SEC09-CF-VIEWER-HTTPS
#   severity: high
#   best_practices: [SEC09-BP02]
#   resource_types: [AWS::CloudFront::Distribution, aws_cloudfront_distribution]
#   recommended_action: Set ViewerProtocolPolicy / viewer_protocol_policy to redirect-to-https (or https-only) on every cache behavior.
package walint.rules.cloudfront_viewer_https

import rego.v1

import data.walint.lib
import data.walint.lib.setting


good := {"redirect-to-https", "https-only"}

harm := "viewers can use plain HTTP"

behaviors contains [a, ["DistributionConfig", "DefaultCacheBehavior", "ViewerProtocolPolicy"]] if {
	some a in lib.managed_of("AWS::CloudFront::Distribution")
}

behaviors contains [a, ["DistributionConfig", "CacheBehaviors", i, "ViewerProtocolPolicy"]] if {
	some a in lib.managed_of("AWS::CloudFront::Distribution")
	some i, _ in lib.iter(object.get(lib.resource(a).attrs, ["DistributionConfig", "CacheBehaviors"], []))
}

behaviors contains [a, [key, i, "viewer_protocol_policy"]] if {
	some a in lib.managed_of("aws_cloudfront_distribution")
	some key in ["default_cache_behavior", "ordered_cache_behavior"]
	some i, _ in lib.iter(object.get(lib.resource(a).attrs, key, []))
}

outcomes contains o if {
	some [a, path] in behaviors
	o := setting.must_be_in(a, lib.resource(a).attrs, path, good, null, harm)
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
