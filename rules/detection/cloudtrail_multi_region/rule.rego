# METADATA
# title: CloudTrail trail is not multi-region or not logging
# description: |
#   What it checks: every CloudTrail trail must be multi-region (IsMultiRegionTrail /
#   is_multi_region_trail true; both default to false), must be logging (IsLogging /
#   enable_logging not false; Terraform defaults to true, CloudFormation requires the
#   property), and must not exclude management events (IncludeManagementEvents /
#   include_management_events false in every event selector). Organization trails follow the
#   same rule.
#   Why it matters: a single-region trail misses API activity in every other region, which is
#   where an attacker who controls credentials will act; a trail that is stopped or skips
#   management events records nothing useful for detection or investigation (SEC04-BP01,
#   SEC04-BP02).
#   Bad (CloudFormation): AWS::CloudTrail::Trail with IsLogging: true and no IsMultiRegionTrail
#   Bad (Terraform): aws_cloudtrail without is_multi_region_trail, or enable_logging = false
#   Good: IsMultiRegionTrail: true and IsLogging: true / is_multi_region_trail = true
#   References: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudtrail-trail.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail
# custom:
#   id: WA-SEC04-CT-MULTI-REGION
#   severity: high
#   best_practices: [SEC04-BP01, SEC04-BP02]
#   resource_types: [AWS::CloudTrail::Trail, aws_cloudtrail]
#   recommended_action: Set IsMultiRegionTrail / is_multi_region_trail to true (or use an organization trail in every region), keep the trail logging, and record management events.
package walint.rules.cloudtrail_multi_region

import rego.v1

import data.walint.lib

# Per origin: [type, multi-region key, logging key, logging default, selectors key, management key].
targets := [
	["AWS::CloudTrail::Trail", "IsMultiRegionTrail", "IsLogging", null, "EventSelectors", "IncludeManagementEvents"],
	["aws_cloudtrail", "is_multi_region_trail", "enable_logging", true, "event_selector", "include_management_events"],
]

trails contains [address, attrs, t] if {
	some t in targets
	some address in lib.managed_of(t[0])
	attrs := lib.resource(address).attrs
}

deny contains r if {
	some [address, attrs, t] in trails
	not lib.present(attrs, t[1])
	r := lib.result(address, [t[1]], sprintf("%s is not set: the trail records only the region it is created in (default false)", [t[1]]))
}

deny contains r if {
	some [address, attrs, t] in trails
	lib.is_false(attrs[t[1]])
	r := lib.result(address, [t[1]], sprintf("%s is %s: API activity in other regions is not recorded", [t[1], lib.show(attrs[t[1]])]))
}

deny contains r if {
	some [address, attrs, t] in trails
	lib.is_false(attrs[t[2]])
	r := lib.result(address, [t[2]], sprintf("%s is %s: the trail does not record any event", [t[2], lib.show(attrs[t[2]])]))
}

# Management events are excluded when every event selector sets the flag to false.
deny contains r if {
	some [address, attrs, t] in trails
	selectors := attrs[t[4]]
	is_array(selectors)
	count(selectors) > 0
	every s in selectors {
		is_object(s)
		lib.is_false(lib.get(s, t[5], true))
	}
	r := lib.result(address, [t[4], 0, t[5]], sprintf("%s is false in every event selector: management events (console sign-in, IAM, security group changes) are not recorded", [t[5]]))
}

unknown contains r if {
	some [address, attrs, t] in trails
	some k in [t[1], t[2]]
	lib.is_unknown(attrs[k])
	r := lib.result(address, [k], sprintf("%s is not known statically (%s)", [k, lib.unknown_reason(attrs[k])]))
}
