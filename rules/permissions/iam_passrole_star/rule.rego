# METADATA
# title: IAM policy allows iam:PassRole on every role
# description: |
#   What it checks: identity policies (the carriers of WA-SEC03-IAM-ADMIN-STAR) must not allow
#   iam:PassRole, written out or through a wildcard such as "iam:*" or "iam:Pass*", on Resource
#   "*". Conditions do not lift the finding: an iam:PassedToService condition narrows the
#   services the role can be passed to (the message says so) but every role of the account can
#   still be passed. Action "*" is left to WA-SEC03-IAM-ADMIN-STAR; Deny never fires.
#   Why it matters: passing a role to a service (EC2, Lambda, CloudFormation, Glue...) lets the
#   caller act with that role's permissions; PassRole on "*" lets a principal reach any role,
#   including administrator roles, which is a classic privilege escalation (SEC03-BP02).
#   Bad (CloudFormation): {Effect: Allow, Action: iam:PassRole, Resource: "*"}
#   Bad (Terraform): statement { actions = ["iam:Pass*"] resources = ["*"] }
#   Good: Resource: arn:aws:iam::111122223333:role/app-task-role, Condition StringEquals
#   iam:PassedToService ecs-tasks.amazonaws.com
#   References: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService
# custom:
#   id: WA-SEC03-IAM-PASSROLE-STAR
#   severity: high
#   best_practices: [SEC03-BP02]
#   resource_types: [AWS::IAM::Policy, AWS::IAM::ManagedPolicy, AWS::IAM::RolePolicy, AWS::IAM::UserPolicy, AWS::IAM::GroupPolicy, AWS::IAM::Role, AWS::IAM::User, AWS::IAM::Group, aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy, aws_iam_role]
#   recommended_action: Scope iam:PassRole to the ARNs (or a path) of the roles the principal must pass, and add an iam:PassedToService condition.
package walint.rules.iam_passrole_star

import rego.v1

import data.walint.lib
import data.walint.lib.policy

statements := data.walint.lib.policy.identity_allow

grants(s) := [a | some a in policy.allows(s.stmt, s.path, "iam:PassRole"); not policy.full_wildcard(a.value)]

note(stmt) := " (narrowed to some services by iam:PassedToService, still any role)" if {
	policy.condition_keys(stmt)["iam:passedtoservice"]
} else := ""

deny contains r if {
	some s in statements
	policy.resource_star(s.stmt)
	some a in grants(s)
	r := lib.result(s.address, a.path, sprintf("Allow of iam:PassRole (through %s) on Resource \"*\": any role of the account can be passed to a service%s", [lib.show(a.value), note(s.stmt)]))
}

unknown contains r if {
	some s in statements
	not policy.resource_star(s.stmt)
	policy.resource_unknown(s.stmt)
	some a in grants(s)
	r := lib.result(s.address, a.path, sprintf("Allow of iam:PassRole (through %s) on a Resource that is not known statically", [lib.show(a.value)]))
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
