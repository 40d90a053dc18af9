package walint.lib.scp_test

import rego.v1

import data.walint.lib.scp

res(address, type, attrs, refs) := {address: {"address": address, "type": type, "attrs": attrs, "refs": refs}}

leave := {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}

# root <- ou.a <- ou.b (nested OUs); the leave-org SCP is attached to the root only.
nested := {
	"resources": object.union_n([
		res("aws_organizations_organization.org", "aws_organizations_organization", {}, []),
		res("aws_organizations_organizational_unit.a", "aws_organizations_organizational_unit", {"parent_id": {"$unknown": "computed"}}, [{"to": "aws_organizations_organization.org", "at": ["parent_id"], "kind": "traversal"}]),
		res("aws_organizations_organizational_unit.b", "aws_organizations_organizational_unit", {"parent_id": {"$unknown": "computed"}}, [{"to": "aws_organizations_organizational_unit.a", "at": ["parent_id"], "kind": "traversal"}]),
		res("aws_organizations_policy.leave", "aws_organizations_policy", {"content": {"Version": "2012-10-17", "Statement": [leave]}}, []),
		res("aws_organizations_policy.other", "aws_organizations_policy", {"content": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}}, []),
		res("aws_organizations_policy_attachment.root", "aws_organizations_policy_attachment", {"target_id": {"$unknown": "computed"}}, [{"to": "aws_organizations_policy.leave", "at": ["policy_id"], "kind": "traversal"}, {"to": "aws_organizations_organization.org", "at": ["target_id"], "kind": "traversal"}]),
		res("aws_organizations_policy_attachment.b", "aws_organizations_policy_attachment", {"target_id": {"$unknown": "computed"}}, [{"to": "aws_organizations_policy.other", "at": ["policy_id"], "kind": "traversal"}, {"to": "aws_organizations_organizational_unit.b", "at": ["target_id"], "kind": "traversal"}]),
	]),
	"by_type": {
		"aws_organizations_organization": ["aws_organizations_organization.org"],
		"aws_organizations_organizational_unit": ["aws_organizations_organizational_unit.a", "aws_organizations_organizational_unit.b"],
		"aws_organizations_policy": ["aws_organizations_policy.leave", "aws_organizations_policy.other"],
		"aws_organizations_policy_attachment": ["aws_organizations_policy_attachment.b", "aws_organizations_policy_attachment.root"],
	},
}

test_ancestors_follow_nested_ous if {
	a := scp.ancestors("aws_organizations_organizational_unit.b") with input as nested
	a == {"aws_organizations_organizational_unit.b", "aws_organizations_organizational_unit.a", "aws_organizations_organization.org"}
}

test_grandchild_inherits_root_scp if {
	scps := scp.effective_scps("aws_organizations_organizational_unit.b") with input as nested
	scps == {"aws_organizations_policy.leave", "aws_organizations_policy.other"}
	findings := scp.required_findings(["organizations:LeaveOrganization"]) with input as nested
	count(findings) == 0
}

test_one_view_per_target if {
	views := scp.views with input as nested
	[[v.key, v.address] | some v in views] == [
		["aws_organizations_organization.org", "aws_organizations_policy_attachment.root"],
		["aws_organizations_organizational_unit.b", "aws_organizations_policy_attachment.b"],
	]
}

test_target_missing_guardrail if {
	findings := scp.required_findings(["s3:PutObject"]) with input as nested
	[[f.status, f.address, f.message] | some f in findings] == [["fail", "aws_organizations_policy_attachment.root", "no service control policy attached to aws_organizations_organization.org denies s3:PutObject (1 SCP applies: aws_organizations_policy.leave)"]]
}

test_region_allow_list_from_config if {
	inp := {"resources": res("P", "AWS::Organizations::Policy", {"Type": "SERVICE_CONTROL_POLICY", "Content": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": ["iam:*", "sts:*", "organizations:*", "cloudfront:*", "route53:*", "support:*"], "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "us-west-2"]}}}]}}, []), "by_type": {"AWS::Organizations::Policy": ["P"]}}
	silent := data.walint.rules.scp_region_restrict.deny with input as inp
	count(silent) == 0
	got := data.walint.rules.scp_region_restrict.deny with input as inp with data.walint.config.scp_allowed_regions as ["eu-west-1"]
	[r.message | some r in got] == ["this region Deny lets through us-west-2, outside the allowed regions eu-west-1"]
	ok := data.walint.rules.scp_region_restrict.deny with input as inp with data.walint.config.scp_allowed_regions as ["eu-west-1", "us-west-2"]
	count(ok) == 0
}

test_region_deny_required_when_configured if {
	inp := {"resources": res("P", "AWS::Organizations::Policy", {"Type": "SERVICE_CONTROL_POLICY", "Content": {"Version": "2012-10-17", "Statement": [leave]}}, []), "by_type": {"AWS::Organizations::Policy": ["P"]}}
	got := data.walint.rules.scp_region_restrict.deny with input as inp with data.walint.config.scp_allowed_regions as ["eu-west-1"]
	[r.message | some r in got] == ["no service control policy of this unit denies the regions outside eu-west-1 (a Deny with StringNotEquals aws:RequestedRegion) (1 SCP checked)"]
}

test_security_services_list_from_config if {
	inp := {"resources": res("P", "AWS::Organizations::Policy", {"Type": "SERVICE_CONTROL_POLICY", "Content": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "securityhub:*", "Resource": "*"}]}}, []), "by_type": {"AWS::Organizations::Policy": ["P"]}}
	got := data.walint.rules.scp_protect_security_services.deny with input as inp with data.walint.config.scp_security_service_actions as ["securityhub:DisableSecurityHub"]
	count(got) == 0
	dflt := data.walint.rules.scp_protect_security_services.deny with input as inp
	count(dflt) == 1
}
