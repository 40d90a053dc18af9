# METADATA
# title: No organization policy requires IMDSv2
# description: |
#   What it checks: when a unit defines service control policies (AWS::Organizations::Policy
#   with Type SERVICE_CONTROL_POLICY, Terraform aws_organizations_policy), the SCPs that apply to
#   each attachment target (all SCPs of the unit together when no attachment is visible) must
#   enforce IMDSv2: a Deny of ec2:RunInstances with StringNotEquals ec2:MetadataHttpTokens
#   "required", or a Deny with NumericLessThan ec2:RoleDelivery 2.0 (role credentials only from
#   IMDSv2). An EC2 declarative policy in the unit (Type DECLARATIVE_POLICY_EC2, which can set
#   the instance-metadata defaults to IMDSv2 only) is accepted instead. Units without SCPs are
#   not checked.
#   Why it matters: IMDSv1 answers any request that reaches it, so a server-side request
#   forgery in any workload hands out the instance role's credentials; an organization-wide
#   guardrail stops new instances from being launched with it (SEC03-BP05, SEC06-BP03).
#   Bad (CloudFormation): SCPs with no condition on ec2:MetadataHttpTokens or ec2:RoleDelivery
#   Bad (Terraform): the ec2:RunInstances Deny conditioned on ec2:MetadataHttpTokens "optional"
#   Good: {Effect: Deny, Action: ec2:RunInstances, Resource: "arn:aws:ec2:*:*:instance/*", Condition: {StringNotEquals: {ec2:MetadataHttpTokens: required}}}
#   References: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html
#   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_ec2.html
#   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_declarative.html
# custom:
#   id: WA-SEC06-SCP-REQUIRE-IMDSV2
#   severity: medium
#   best_practices: [SEC03-BP05, SEC06-BP03]
#   resource_types: [AWS::Organizations::Policy, aws_organizations_policy, aws_organizations_policy_attachment]
#   recommended_action: 'Add {Effect: Deny, Action: ec2:RunInstances, Resource: "arn:aws:ec2:*:*:instance/*", Condition: {StringNotEquals: {ec2:MetadataHttpTokens: required}}} to an SCP attached to the root, or set IMDSv2 as the default in an EC2 declarative policy.'
package walint.rules.scp_require_imdsv2

import rego.v1

import data.walint.lib
import data.walint.lib.scp

condition_values(stmt, op_re, key) := [x |
	some op, kv in lib.iter(stmt.Condition)
	regex.match(op_re, lib.lower_of(op))
	is_object(kv)
	some k, value in kv
	lib.lower_of(k) == key
	some x in lib.as_list(value)
]

requires_tokens(stmt) if {
	scp.action_covered(stmt, "ec2:RunInstances")
	"required" in condition_values(stmt, `^stringnotequals(ignorecase)?(ifexists)?$`, "ec2:metadatahttptokens")
}

requires_role_delivery(stmt) if {
	some x in condition_values(stmt, `^numericlessthan(ifexists)?$`, "ec2:roledelivery")
	lib.as_number(x) >= 2
}

enforced(stmts) if {
	some stmt in stmts
	requires_tokens(stmt)
}

enforced(stmts) if {
	some stmt in stmts
	requires_role_delivery(stmt)
}

declarative_policy if {
	some address in lib.resources_of("AWS::Organizations::Policy")
	lib.resource(address).attrs.Type == "DECLARATIVE_POLICY_EC2"
}

declarative_policy if {
	some address in lib.resources_of("aws_organizations_policy")
	lib.resource(address).attrs.type == "DECLARATIVE_POLICY_EC2"
}

findings contains f if {
	not declarative_policy
	some v in data.walint.lib.scp.views
	not enforced(scp.view_denies(v))
	f := scp.finding(v, "requires IMDSv2 (a Deny of ec2:RunInstances unless ec2:MetadataHttpTokens is \"required\")", "is known to require IMDSv2")
}

deny contains r if some r in scp.fails(findings)

unknown contains r if some r in scp.unknowns(findings)
