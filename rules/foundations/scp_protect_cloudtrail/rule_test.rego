package walint.rules.scp_protect_cloudtrail_test

import rego.v1

import data.walint.rules.scp_protect_cloudtrail as rule

cfn(address, stmts) := {address: {"address": address, "type": "AWS::Organizations::Policy", "attrs": {"Type": "SERVICE_CONTROL_POLICY", "Content": {"Version": "2012-10-17", "Statement": stmts}}}}

unit(resources) := {"resources": resources, "by_type": {"AWS::Organizations::Policy": [a | some a, _ in resources]}}

leave := {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}

test_partial_cover_lists_missing_actions if {
	inp := unit(object.union(cfn("B", [leave]), cfn("A", [{"Effect": "Deny", "Action": ["cloudtrail:Stop*", "cloudtrail:DeleteTrail"], "Resource": "*"}])))
	got := [[r.address, r.path, r.message, r.related] | some r in rule.deny with input as inp]
	got == [["A", ["Content"], "no service control policy of this unit denies cloudtrail:UpdateTrail, cloudtrail:PutEventSelectors (2 SCPs checked)", [{"address": "B", "path": ["Content"]}]]]
}

test_wildcard_service_covers if {
	inp := unit(cfn("A", [{"Effect": "Deny", "Action": "CloudTrail:*", "Resource": "*", "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Security"}}}]))
	deny_set := rule.deny with input as inp
	count(deny_set) == 0
	unknown_set := rule.unknown with input as inp
	count(unknown_set) == 0
}

test_not_action_deny_covers if {
	inp := unit(cfn("A", [{"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*"}]))
	deny_set := rule.deny with input as inp
	count(deny_set) == 0
}

test_not_action_excluding_cloudtrail_does_not_cover if {
	inp := unit(cfn("A", [{"Effect": "Deny", "NotAction": ["cloudtrail:*"], "Resource": "*"}]))
	deny_set := rule.deny with input as inp
	count(deny_set) == 1
}

test_narrowing_condition_does_not_cover if {
	inp := unit(cfn("A", [{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]}}}]))
	deny_set := rule.deny with input as inp
	count(deny_set) == 1
}

test_allow_does_not_cover if {
	inp := unit(cfn("A", [{"Effect": "Allow", "Action": "*", "Resource": "*"}]))
	deny_set := rule.deny with input as inp
	count(deny_set) == 1
}

test_no_scp_no_finding if {
	inp := {"resources": {"T": {"address": "T", "type": "AWS::Organizations::Policy", "attrs": {"Type": "TAG_POLICY", "Content": {}}}}, "by_type": {"AWS::Organizations::Policy": ["T"]}}
	deny_set := rule.deny with input as inp
	count(deny_set) == 0
	unknown_set := rule.unknown with input as inp
	count(unknown_set) == 0
}

test_unknown_content_gives_unknown if {
	inp := unit(object.union(cfn("A", [leave]), {"Z": {"address": "Z", "type": "AWS::Organizations::Policy", "attrs": {"Type": "SERVICE_CONTROL_POLICY", "Content": {"$unknown": "Fn::ImportValue"}}}}))
	deny_set := rule.deny with input as inp
	count(deny_set) == 0
	[r.address | some r in rule.unknown with input as inp] == ["A"]
}

test_terraform_default_type if {
	inp := {
		"resources": {"aws_organizations_policy.p": {"address": "aws_organizations_policy.p", "type": "aws_organizations_policy", "attrs": {"name": "p", "content": {"Statement": leave}}}},
		"by_type": {"aws_organizations_policy": ["aws_organizations_policy.p"]},
	}
	[r.path | some r in rule.deny with input as inp] == [["content"]]
	deny_set := data.walint.rules.scp_deny_leave_org.deny with input as inp
	count(deny_set) == 0
}
