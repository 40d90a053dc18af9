# METADATA
# title: CloudFront reaches a custom origin without TLS
# description: |
#   What it checks: custom origins of CloudFront distributions must be reached over HTTPS with
#   TLS 1.2. CloudFormation: DistributionConfig.Origins[].CustomOriginConfig
#   .{OriginProtocolPolicy, OriginSSLProtocols}; Terraform: origin[].custom_origin_config[]
#   .{origin_protocol_policy, origin_ssl_protocols}. http-only fails; match-viewer fails when a
#   cache behavior (default or ordered) allows HTTP viewers (ViewerProtocolPolicy allow-all), since
#   those requests then reach the origin in clear text; an OriginSSLProtocols list naming SSLv3,
#   TLSv1 or TLSv1.1 fails. S3 origins (S3OriginConfig / s3_origin_config, or origin access
#   control) are not judged here.
#   Why it matters: the CloudFront-to-origin leg crosses the internet; without TLS (or with
#   SSLv3/TLS 1.0/1.1) the content and any forwarded cookies or authorization headers can be read
#   or changed in transit (SEC09-BP02).
#   Bad (CloudFormation): CustomOriginConfig: {OriginProtocolPolicy: http-only}
#   Bad (Terraform): custom_origin_config { origin_protocol_policy = "match-viewer",
#   origin_ssl_protocols = ["TLSv1", "TLSv1.2"] }
#   Good: OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]
#   References: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-cloudfront-to-custom-origin.html
#   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html#DownloadDistValuesOriginProtocolPolicy
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cloudfront-distribution-customoriginconfig.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution
# custom:
#   id: WA-SEC09-CF-ORIGIN-HTTPS
#   severity: medium
#   best_practices: [SEC09-BP02]
#   resource_types: [AWS::CloudFront::Distribution, aws_cloudfront_distribution]
#   recommended_action: Set the origin protocol policy to https-only and the origin SSL protocols to TLSv1.2 only.
package walint.rules.cloudfront_origin_https

import rego.v1

import data.walint.lib
import data.walint.lib.setting

weak_protocols := {"sslv3", "tlsv1", "tlsv1.1"}

# items(x, key): {"path", "value"} for each element of a list, or the single map, at `key`
# (CloudFormation writes CustomOriginConfig and DefaultCacheBehavior as maps, Terraform as
# one-element block lists); an unknown value gives one element holding it.
items(x, key) := setting.blocks(x, key) if {
	not is_object_value(lib.get(x, key, null))
} else := [{"path": [key], "value": x[key]}]

is_object_value(v) if {
	is_object(v)
	not lib.is_unknown(v)
}

# Custom origins: {"address", "path", "value", "policy", "protocols"}.
custom_origins contains c if {
	some a in lib.managed_of("AWS::CloudFront::Distribution")
	cfg := lib.resource(a).attrs.DistributionConfig
	some o in items(cfg, "Origins")
	some cc in items(o.value, "CustomOriginConfig")
	c := {
		"address": a,
		"path": array.concat(array.concat(["DistributionConfig"], o.path), cc.path),
		"value": cc.value,
		"policy": "OriginProtocolPolicy",
		"protocols": "OriginSSLProtocols",
	}
}

custom_origins contains c if {
	some a in lib.managed_of("aws_cloudfront_distribution")
	attrs := lib.resource(a).attrs
	some o in items(attrs, "origin")
	some cc in items(o.value, "custom_origin_config")
	c := {
		"address": a,
		"path": array.concat(o.path, cc.path),
		"value": cc.value,
		"policy": "origin_protocol_policy",
		"protocols": "origin_ssl_protocols",
	}
}

# Cache behaviors that let viewers use HTTP (viewer protocol policy allow-all): {"path"}.
http_viewers(a) := [v |
	cfg := lib.resource(a).attrs.DistributionConfig
	some b in array.concat(items(cfg, "DefaultCacheBehavior"), items(cfg, "CacheBehaviors"))
	allow_all(lib.get(b.value, "ViewerProtocolPolicy", null))
	v := {"path": array.concat(array.concat(["DistributionConfig"], b.path), ["ViewerProtocolPolicy"])}
] if {
	lib.resource(a).origin == "cloudformation"
} else := [v |
	attrs := lib.resource(a).attrs
	some b in array.concat(items(attrs, "default_cache_behavior"), items(attrs, "ordered_cache_behavior"))
	allow_all(lib.get(b.value, "viewer_protocol_policy", null))
	v := {"path": array.concat(b.path, ["viewer_protocol_policy"])}
]

allow_all(p) if {
	is_string(p)
	lib.lower_of(p) == "allow-all"
}

deny contains r if {
	some c in custom_origins
	p := lib.get(c.value, c.policy, null)
	is_string(p)
	lib.lower_of(p) == "http-only"
	r := lib.result(c.address, array.concat(c.path, [c.policy]), sprintf("%s is %s: CloudFront sends requests to this origin over plain HTTP", [c.policy, lib.show(p)]))
}

deny contains r if {
	some c in custom_origins
	p := lib.get(c.value, c.policy, null)
	is_string(p)
	lib.lower_of(p) == "match-viewer"
	vs := http_viewers(c.address)
	count(vs) > 0
	related := [{"address": c.address, "path": v.path} | some v in vs]
	r := lib.result_related(c.address, array.concat(c.path, [c.policy]), sprintf("%s is %s and a cache behavior allows HTTP viewers (allow-all): those requests reach the origin over plain HTTP", [c.policy, lib.show(p)]), related)
}

deny contains r if {
	some c in custom_origins
	some e in setting.blocks(c.value, c.protocols)
	is_string(e.value)
	lib.lower_of(e.value) in weak_protocols
	r := lib.result(c.address, array.concat(c.path, e.path), sprintf("%s allows %s: CloudFront may connect to the origin with a protocol older than TLS 1.2", [c.protocols, lib.show(e.value)]))
}

unknown contains r if {
	some c in custom_origins
	some k in [c.policy, c.protocols]
	v := lib.get(c.value, k, null)
	lib.is_unknown(v)
	r := lib.result(c.address, array.concat(c.path, [k]), sprintf("%s is not known statically (%s)", [k, lib.unknown_reason(v)]))
}

unknown contains r if {
	some c in custom_origins
	lib.is_unknown(c.value)
	r := lib.result(c.address, c.path, sprintf("the custom origin configuration is not known statically (%s)", [lib.unknown_reason(c.value)]))
}
