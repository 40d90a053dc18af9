# METADATA
# title: IAM policy allows sts:AssumeRole on every role
# description: |
#   What it checks: identity policies (the carriers of WA-SEC03-IAM-ADMIN-STAR) must not hold an
#   Allow statement without a Condition that grants sts:AssumeRole (written out, or through
#   "sts:*", "sts:Assume*") on Resource "*". Action "*" is left to WA-SEC03-IAM-ADMIN-STAR; Deny
#   never fires.
#   Why it matters: the principal can then assume every role whose trust policy trusts its
#   account, in this account and others, so its effective permissions are the union of all of
#   them (SEC03-BP02 least privilege).
#   Bad (CloudFormation): {Effect: Allow, Action: sts:AssumeRole, Resource: "*"}
#   Bad (Terraform): statement { actions = ["sts:*"] resources = ["*"] }
#   Good: Resource: arn:aws:iam::111122223333:role/deploy
#   References: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html
#   https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
# custom:
#   id: WA-SEC03-IAM-ASSUMEROLE-STAR
#   severity: medium
#   best_practices: [SEC03-BP02]
#   resource_types: [AWS::IAM::Policy, AWS::IAM::ManagedPolicy, AWS::IAM::RolePolicy, AWS::IAM::UserPolicy, AWS::IAM::GroupPolicy, AWS::IAM::Role, AWS::IAM::User, AWS::IAM::Group, aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy, aws_iam_role]
#   recommended_action: List the ARNs of the roles the principal must assume in Resource.
package walint.rules.iam_assumerole_star

import rego.v1

import data.walint.lib
import data.walint.lib.policy

statements := {s | some s in data.walint.lib.policy.identity_allow; not lib.present(s.stmt, "Condition")}

grants(s) := [a | some a in policy.allows(s.stmt, s.path, "sts:AssumeRole"); not policy.full_wildcard(a.value)]

deny contains r if {
	some s in statements
	policy.resource_star(s.stmt)
	some a in grants(s)
	r := lib.result(s.address, a.path, sprintf("Allow of sts:AssumeRole (through %s) on Resource \"*\": every role that trusts this account can be assumed", [lib.show(a.value)]))
}

unknown contains r if {
	some s in statements
	not policy.resource_star(s.stmt)
	policy.resource_unknown(s.stmt)
	some a in grants(s)
	r := lib.result(s.address, a.path, sprintf("Allow of sts:AssumeRole (through %s) on a Resource that is not known statically", [lib.show(a.value)]))
}

unknown contains r if {
	some s in statements
	policy.resource_star(s.stmt)
	some a in policy.action_unknown(s.stmt, s.path)
	r := lib.result(s.address, a.path, sprintf("Action is not known statically (%s) in an Allow on Resource \"*\"", [lib.unknown_reason(a.value)]))
}

unknown contains r if {
	some u in data.walint.lib.policy.identity_unknown_parts
	r := lib.result(u.address, u.path, sprintf("the policy document is not known statically (%s)", [u.reason]))
}
