# METADATA
# title: No service control policy restricts the root user of member accounts
# description: |
#   What it checks: when a unit defines service control policies (AWS::Organizations::Policy
#   with Type SERVICE_CONTROL_POLICY, Terraform aws_organizations_policy), the SCPs that apply to
#   each attachment target (all SCPs of the unit together when no attachment is visible) must
#   hold a Deny of every action (Action "*", or a NotAction list) on Resource "*" with a
#   StringLike/StringEquals/ArnLike/ArnEquals condition on aws:PrincipalArn that matches the root
#   user of any member account (arn:aws:iam::*:root). Units without SCPs are not checked. An
#   organization that uses centralized root access management (Terraform
#   aws_iam_organizations_features with RootCredentialsManagement) still benefits from the SCP.
#   Why it matters: the root user of a member account cannot be limited by IAM policies; an SCP
#   is the only preventive control on it, so a leaked root password cannot be used to turn off
#   the account's guardrails (SEC01-BP02, SEC03-BP05).
#   Bad (CloudFormation): SCPs with no Deny conditioned on aws:PrincipalArn arn:aws:iam::*:root
#   Bad (Terraform): a Deny of "*" for root conditioned only on aws:RequestedRegion
#   Good: {Effect: Deny, Action: "*", Resource: "*", Condition: {StringLike: {aws:PrincipalArn: "arn:aws:iam::*:root"}}}
#   References: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html
# custom:
#   id: WA-SEC01-SCP-DENY-ROOT
#   severity: high
#   best_practices: [SEC01-BP02, SEC03-BP05]
#   resource_types: [AWS::Organizations::Policy, aws_organizations_policy, aws_organizations_policy_attachment]
#   recommended_action: 'Add {Effect: Deny, Action: "*", Resource: "*", Condition: {StringLike: {aws:PrincipalArn: "arn:aws:iam::*:root"}}} to an SCP attached to the root or to every OU holding member accounts.'
package walint.rules.scp_deny_root

import rego.v1

import data.walint.lib
import data.walint.lib.iam
import data.walint.lib.scp

sample_root := "arn:aws:iam::111122223333:root"

# Deny of every action (Action "*" or a NotAction list) on every resource.
all_actions(stmt) if {
	some a in lib.as_list(stmt.Action)
	a == "*"
}

all_actions(stmt) if {
	lib.present(stmt, "NotAction")
	not lib.has(stmt, "Action")
}

root_condition(stmt) if {
	is_object(stmt.Condition)
	some op, kv in lib.iter(stmt.Condition)
	regex.match(`^(string|arn)(equals|like)(ignorecase)?(ifexists)?$`, lib.lower_of(op))
	is_object(kv)
	some key, values in kv
	lib.lower_of(key) == "aws:principalarn"
	some v in lib.as_list(values)
	iam.wildcard_matches(v, sample_root)
}

denies_root(stmts) if {
	some stmt in stmts
	all_actions(stmt)
	scp.resource_all(stmt)
	root_condition(stmt)
}

# SCPs of the view with an aws:PrincipalArn condition value that is not known statically.
principal_unknown(v) := {rec.address |
	some rec in data.walint.lib.scp.scp_records
	rec.address in v.scps
	some s in iam.statements({"path": rec.path, "doc": rec.content})
	some _, kv in lib.iter(s.stmt.Condition)
	some key, values in lib.iter(kv)
	lib.lower_of(key) == "aws:principalarn"
	some x in lib.as_list(values)
	lib.is_unknown(x)
}

findings contains f if {
	some v0 in data.walint.lib.scp.views
	not denies_root(scp.view_denies(v0))
	v := object.union(v0, {"uncertain": sort({x | some x in v0.uncertain} | principal_unknown(v0))})
	f := scp.finding(v, "denies the actions of member-account root users", "is known to deny the actions of member-account root users")
}

deny contains r if some r in scp.fails(findings)

unknown contains r if some r in scp.unknowns(findings)
