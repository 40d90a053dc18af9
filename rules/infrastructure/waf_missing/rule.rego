# METADATA
# title: Internet-facing entry point has no WAF web ACL
# description: |
#   What it checks: internet-facing entry points are protected by a web ACL. Application load
#   balancers that are internet-facing (CloudFormation Scheme absent or internet-facing, Type
#   absent or application; Terraform internal not true, load_balancer_type absent or
#   application), API Gateway REST stages, AppSync GraphQL APIs and Cognito user pools need a
#   web ACL association of the unit whose ResourceArn / resource_arn references them
#   (AWS::WAFv2::WebACLAssociation, aws_wafv2_web_acl_association, and the classic
#   AWS::WAFRegional::WebACLAssociation / aws_wafregional_web_acl_association; for a REST
#   stage, an association naming its REST API counts). CloudFront distributions need
#   DistributionConfig.WebACLId / web_acl_id (a web ACL of the unit referenced there counts as
#   set). When an association of the unit names a resource
#   that cannot be resolved, unprotected resources are reported as unknown instead.
#   Why it matters: a web ACL filters common exploits, known bad inputs, bots and floods before
#   they reach the application; without one every request reaches the code (SEC05-BP03).
#   Bad (CloudFormation): an internet-facing AWS::ElasticLoadBalancingV2::LoadBalancer and no
#   AWS::WAFv2::WebACLAssociation with ResourceArn: !Ref LoadBalancer
#   Bad (Terraform): aws_cloudfront_distribution without web_acl_id
#   Good: AWS::WAFv2::WebACLAssociation {ResourceArn: !Ref LoadBalancer, WebACLArn: !GetAtt
#   WebAcl.Arn} / aws_wafv2_web_acl_association { resource_arn = aws_lb.web.arn ... }
#   References: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-wafv2-webaclassociation.html
#   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/distribution-web-awswaf.html
# custom:
#   id: WA-SEC05-WAF-MISSING
#   severity: medium
#   best_practices: [SEC05-BP03]
#   resource_types: [AWS::ElasticLoadBalancingV2::LoadBalancer, AWS::ApiGateway::Stage, AWS::AppSync::GraphQLApi, AWS::Cognito::UserPool, AWS::CloudFront::Distribution, aws_lb, aws_alb, aws_api_gateway_stage, aws_appsync_graphql_api, aws_cognito_user_pool, aws_cloudfront_distribution]
#   recommended_action: Associate a WAFv2 web ACL with the resource (AWS::WAFv2::WebACLAssociation / aws_wafv2_web_acl_association; WebACLId / web_acl_id with a CLOUDFRONT-scope web ACL for distributions) that includes at least the AWS managed common and known-bad-inputs rule groups.
package walint.rules.waf_missing

import rego.v1

import data.walint.lib
import data.walint.lib.setting

association_types := {
	"AWS::WAFv2::WebACLAssociation": "ResourceArn",
	"AWS::WAFRegional::WebACLAssociation": "ResourceArn",
	"aws_wafv2_web_acl_association": "resource_arn",
	"aws_wafregional_web_acl_association": "resource_arn",
}

# The resource is named by an association of the unit.
associated(address) if {
	some ref in lib.resource(address).referrers
	key := association_types[lib.resource(ref.from).type]
	ref.at[0] == key
	ref.kind != "depends-on"
}

# A REST stage is also protected through an association naming its REST API (the stage name
# written literally in the ARN).
stage_api_key := {"AWS::ApiGateway::Stage": "RestApiId", "aws_api_gateway_stage": "rest_api_id"}

protected(address) if associated(address)

protected(address) if {
	key := stage_api_key[lib.resource(address).type]
	some ref in lib.resource(address).refs
	ref.at == [key]
	associated(ref.to)
}

# Associations whose target is neither a resource of the unit nor known.
unresolved contains [a, key] if {
	some t, key in association_types
	some a in lib.managed_of(t)
	lib.is_unknown(object.get(lib.resource(a).attrs, key, null))
	not names_a_resource(a, key)
}

names_a_resource(a, key) if {
	some ref in lib.resource(a).refs
	ref.at[0] == key
	ref.kind != "depends-on"
}

# text(attrs, key, dflt): the lower-case string at `key`, `dflt` when absent.
text(attrs, key, dflt) := lib.lower_of(v) if {
	v := object.get(attrs, key, dflt)
	is_string(v)
} else := dflt if {
	object.get(attrs, key, null) == null
}

# Entry points judged through associations: [address, what it is].
entry_points contains [address, "internet-facing application load balancer"] if {
	some t in ["AWS::ElasticLoadBalancingV2::LoadBalancer"]
	some address in lib.managed_of(t)
	attrs := lib.resource(address).attrs
	text(attrs, "Type", "application") == "application"
	text(attrs, "Scheme", "internet-facing") == "internet-facing"
}

entry_points contains [address, "internet-facing application load balancer"] if {
	some t in ["aws_lb", "aws_alb"]
	some address in lib.managed_of(t)
	attrs := lib.resource(address).attrs
	text(attrs, "load_balancer_type", "application") == "application"
	not lib.is_true(object.get(attrs, "internal", false))
	not lib.is_unknown(object.get(attrs, "internal", false))
}

entry_points contains [address, what] if {
	some t, what in {
		"AWS::ApiGateway::Stage": "API Gateway REST stage",
		"aws_api_gateway_stage": "API Gateway REST stage",
		"AWS::AppSync::GraphQLApi": "AppSync GraphQL API",
		"aws_appsync_graphql_api": "AppSync GraphQL API",
		"AWS::Cognito::UserPool": "Cognito user pool",
		"aws_cognito_user_pool": "Cognito user pool",
	}
	some address in lib.managed_of(t)
}

deny contains r if {
	count(unresolved) == 0
	some [address, what] in entry_points
	not protected(address)
	r := lib.result(address, [], sprintf("no WAF web ACL is associated with this %s: every request reaches the application unfiltered", [what]))
}

unknown contains r if {
	count(unresolved) > 0
	some [address, what] in entry_points
	not protected(address)
	related := [{"address": a, "path": [k]} | some [a, k] in unresolved]
	r := lib.result_related(address, [], sprintf("no WAF web ACL association names this %s, but an association of the template names a resource that is not known statically", [what]), related)
}

# CloudFront: the web ACL is a property of the distribution.
cf_paths := {
	"AWS::CloudFront::Distribution": ["DistributionConfig", "WebACLId"],
	"aws_cloudfront_distribution": ["web_acl_id"],
}

deny contains r if {
	some t, path in cf_paths
	some address in lib.managed_of(t)
	v := object.get(lib.resource(address).attrs, path, null)
	not lib.is_unknown(v)
	not lib.is_unknown(object.get(lib.resource(address).attrs, array.slice(path, 0, 1), null))
	empty(v)
	r := lib.result(address, path, sprintf("%s is not set: no WAF web ACL filters requests to the distribution", [path[count(path) - 1]]))
}

empty(v) if v == null

empty(v) if v == ""

unknown contains r if {
	some t, path in cf_paths
	some address in lib.managed_of(t)
	some n in [1, count(path)]
	p := array.slice(path, 0, n)
	v := object.get(lib.resource(address).attrs, p, null)
	lib.is_unknown(v)
	not setting.referenced(address, p)
	r := lib.result(address, p, sprintf("%s is not known statically (%s)", [p[count(p) - 1], lib.unknown_reason(v)]))
}

unknown contains r if {
	some t in ["aws_lb", "aws_alb"]
	some address in lib.managed_of(t)
	v := object.get(lib.resource(address).attrs, "internal", null)
	lib.is_unknown(v)
	not protected(address)
	r := lib.result(address, ["internal"], sprintf("internal is not known statically (%s)", [lib.unknown_reason(v)]))
}
