# METADATA
# title: Service control policy region restriction is missing or breaks global services
# description: |
#   What it checks: a region guardrail is a Deny with a StringNotEquals (or
#   StringNotEqualsIgnoreCase, StringNotLike) condition on aws:RequestedRegion. Two checks:
#   (1) always: such a Deny must not cover the actions of global services (IAM, STS, AWS
#   Organizations, CloudFront, Route 53, Support) unless us-east-1 is one of its allowed regions,
#   because their requests are served from us-east-1; exempt them with NotAction.
#   (2) only when an allow-list is configured (`data.walint.config.scp_allowed_regions`, e.g.
#   ["eu-west-1", "eu-central-1"]; not configured → this check is silent): the SCPs that apply
#   to each attachment target (all SCPs of the unit together when no attachment is visible)
#   must hold a region Deny on Resource "*" covering regional actions (ec2:RunInstances), whose
#   allowed regions are all in the configured list.
#   Why it matters: regions nobody watches are where an intruder runs workloads and where data
#   can leave the intended jurisdiction; a region deny that also hits IAM or STS locks out
#   administrators and pipelines instead (SEC03-BP05, SEC01-BP06).
#   Bad (CloudFormation): {Effect: Deny, Action: "*", Resource: "*", Condition: {StringNotEquals: {aws:RequestedRegion: [eu-west-1]}}}
#   Bad (Terraform): the same Deny in aws_organizations_policy content
#   Good: {Effect: Deny, NotAction: [iam:*, organizations:*, sts:*, cloudfront:*, route53:*, support:*, budgets:*, waf:*], Resource: "*", Condition: {StringNotEquals: {aws:RequestedRegion: [eu-west-1]}}}
#   References: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
# custom:
#   id: WA-SEC03-SCP-REGION-RESTRICT
#   severity: medium
#   best_practices: [SEC03-BP05, SEC01-BP06]
#   resource_types: [AWS::Organizations::Policy, aws_organizations_policy, aws_organizations_policy_attachment]
#   recommended_action: Deny every action outside the allowed regions with a Deny on Resource "*" and StringNotEquals aws:RequestedRegion, using NotAction to exempt the global services (iam, organizations, sts, cloudfront, route53, support, budgets, waf).
package walint.rules.scp_region_restrict

import rego.v1

import data.walint.lib
import data.walint.lib.iam
import data.walint.lib.scp

global_actions := [
	"iam:CreateRole",
	"sts:AssumeRole",
	"organizations:DescribeOrganization",
	"cloudfront:CreateDistribution",
	"route53:ChangeResourceRecordSets",
	"support:CreateCase",
]

region_op := `^string(notequals|notequalsignorecase|notlike)(ifexists)?$`

# region_values(stmt): {"path", "values"} of each aws:RequestedRegion condition of a statement.
region_conditions(stmt, path) := [{"path": array.concat(path, ["Condition", op, key]), "values": values} |
	some op, kv in lib.iter(stmt.Condition)
	regex.match(region_op, lib.lower_of(op))
	is_object(kv)
	some key, values in kv
	lib.lower_of(key) == "aws:requestedregion"
]

allows_region(values, region) if {
	some v in lib.as_list(values)
	iam.action_matches(v, region)
}

# (1) region denies covering global-service actions.
deny contains r if {
	some rec in data.walint.lib.scp.scp_records
	some s in iam.statements({"path": rec.path, "doc": rec.content})
	s.stmt.Effect == "Deny"
	some c in region_conditions(s.stmt, s.path)
	not lib.is_unknown(c.values)
	not allows_region(c.values, "us-east-1")
	hit := [a | some a in global_actions; scp.action_covered(s.stmt, a)]
	count(hit) > 0
	r := lib.result(rec.address, array.concat(s.path, [action_key(s.stmt)]), sprintf("this region Deny also denies global-service actions (%s) whose requests are served from us-east-1, which is not an allowed region: exempt them with NotAction", [concat(", ", hit)]))
}

action_key(stmt) := "NotAction" if lib.present(stmt, "NotAction")

action_key(stmt) := "Action" if not lib.present(stmt, "NotAction")

# (2) a configured allow-list.
allowed := data.walint.config.scp_allowed_regions

region_denies(stmts) := [c |
	some stmt in stmts
	scp.action_covered(stmt, "ec2:RunInstances")
	scp.resource_all(stmt)
	some c in region_conditions(stmt, [])
	not lib.is_unknown(c.values)
]

extra_regions(values) := [v | some v in lib.as_list(values); not v in allowed]

findings contains f if {
	is_array(allowed)
	some v in data.walint.lib.scp.views
	count(region_denies(scp.view_denies(v))) == 0
	f := scp.finding(v, sprintf("denies the regions outside %s (a Deny with StringNotEquals aws:RequestedRegion)", [concat(", ", allowed)]), sprintf("is known to deny the regions outside %s", [concat(", ", allowed)]))
}

deny contains r if some r in scp.fails(findings)

unknown contains r if some r in scp.unknowns(findings)

# A region deny that lets through regions outside the configured list.
deny contains r if {
	is_array(allowed)
	some rec in data.walint.lib.scp.scp_records
	some s in iam.statements({"path": rec.path, "doc": rec.content})
	s.stmt.Effect == "Deny"
	some c in region_conditions(s.stmt, s.path)
	not lib.is_unknown(c.values)
	extra := extra_regions(c.values)
	count(extra) > 0
	r := lib.result(rec.address, c.path, sprintf("this region Deny lets through %s, outside the allowed regions %s", [concat(", ", extra), concat(", ", allowed)]))
}

# (1) with allowed regions that are not known statically.
unknown contains r if {
	some rec in data.walint.lib.scp.scp_records
	some s in iam.statements({"path": rec.path, "doc": rec.content})
	s.stmt.Effect == "Deny"
	some c in region_conditions(s.stmt, s.path)
	lib.is_unknown(c.values)
	hit := [a | some a in global_actions; scp.action_covered(s.stmt, a)]
	count(hit) > 0
	r := lib.result(rec.address, c.path, sprintf("the allowed regions are not known statically (%s): this region Deny covers global-service actions (%s) that fail unless us-east-1 is allowed", [lib.unknown_reason(c.values), concat(", ", hit)]))
}
