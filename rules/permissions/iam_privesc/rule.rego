# METADATA
# title: IAM policy grants a privilege-escalation path
# description: |
#   What it checks: identity policies (the carriers of WA-SEC03-IAM-ADMIN-STAR) must not allow,
#   on Resource "*" and without a Condition, the known privilege-escalation primitives:
#   iam:CreatePolicyVersion, iam:SetDefaultPolicyVersion, iam:Attach{User,Group,Role}Policy,
#   iam:Put{User,Group,Role}Policy, iam:CreateAccessKey, iam:CreateLoginProfile,
#   iam:UpdateLoginProfile, iam:AddUserToGroup, lambda:UpdateFunctionCode,
#   glue:UpdateDevEndpoint (each alone is enough), or the combinations iam:UpdateAssumeRolePolicy
#   + sts:AssumeRole, and iam:PassRole + ec2:RunInstances, + lambda:CreateFunction with
#   lambda:InvokeFunction or lambda:CreateEventSourceMapping, + cloudformation:CreateStack, +
#   glue:CreateDevEndpoint. Wildcards count ("iam:Put*", "iam:*"); Action "*" is left to
#   WA-SEC03-IAM-ADMIN-STAR. Combinations are judged over all the policies of one principal
#   (catalog G15): the inline policies of a role, user or group, the policies naming it
#   (AWS::IAM::Policy|ManagedPolicy Roles/Users/Groups, Terraform role/user/group), managed
#   policies it lists in ManagedPolicyArns, and Terraform policy attachments; the other policies
#   are reported as related locations.
#   Why it matters: each path lets the principal give itself (or a role it controls) more
#   permissions than it was granted, up to administrator (SEC03-BP02, SEC03-BP04).
#   Bad (CloudFormation): {Effect: Allow, Action: [iam:PassRole, ec2:RunInstances], Resource: "*"}
#   Bad (Terraform): statement { actions = ["iam:CreatePolicyVersion"] resources = ["*"] }
#   Good: scope the IAM write actions to the ARNs they must manage, or to a permissions boundary
#   condition, and iam:PassRole to named roles
#   References: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
#   https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
# custom:
#   id: WA-SEC03-IAM-PRIVESC
#   severity: high
#   best_practices: [SEC03-BP02, SEC03-BP04]
#   resource_types: [AWS::IAM::Policy, AWS::IAM::ManagedPolicy, AWS::IAM::RolePolicy, AWS::IAM::UserPolicy, AWS::IAM::GroupPolicy, AWS::IAM::Role, AWS::IAM::User, AWS::IAM::Group, aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy, aws_iam_role]
#   recommended_action: Scope these actions to specific resource ARNs (or add a permissions-boundary condition) and remove the combinations the principal does not need.
package walint.rules.iam_privesc

import rego.v1

import data.walint.lib
import data.walint.lib.policy

singles := [
	"iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:AttachUserPolicy",
	"iam:AttachGroupPolicy", "iam:AttachRolePolicy", "iam:PutUserPolicy", "iam:PutGroupPolicy",
	"iam:PutRolePolicy", "iam:CreateAccessKey", "iam:CreateLoginProfile",
	"iam:UpdateLoginProfile", "iam:AddUserToGroup", "lambda:UpdateFunctionCode",
	"glue:UpdateDevEndpoint",
]

combos := [
	["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
	["iam:PassRole", "ec2:RunInstances"],
	["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
	["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
	["iam:PassRole", "cloudformation:CreateStack"],
	["iam:PassRole", "glue:CreateDevEndpoint"],
]

combo_index := data.walint.lib.iam.action_index({x | some c in combos; some x in c})

single_index := data.walint.lib.iam.action_index(singles)

# Action elements allowed on "*" without a Condition, with their document.
elements contains e if {
	some s in data.walint.lib.policy.identity_allow
	not lib.present(s.stmt, "Condition")
	policy.resource_star(s.stmt)
	some a in data.walint.lib.iam.elements(s.stmt, "Action", s.path)
	is_string(a.value)
	not policy.full_wildcard(a.value)
	e := {"address": s.address, "path": a.path, "value": a.value}
}

deny contains r if {
	some e in elements
	granted := sort(data.walint.lib.iam.matched_in(e.value, single_index))
	count(granted) > 0
	r := lib.result(e.address, e.path, sprintf("Allow of %s on Resource \"*\" grants privilege escalation: %s", [lib.show(e.value), concat(", ", granted)]))
}

principal_types := {"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group", "aws_iam_role", "aws_iam_user", "aws_iam_group"}

link_keys := {"Roles", "Users", "Groups", "role", "user", "group", "users", "roles", "groups"}

# principals(a): the principals the policy at address `a` applies to (G15).
principals(a) := {a} if {
	lib.resource(a).type in principal_types
} else := ps if {
	ps := {p |
		some ref in lib.resource(a).refs
		ref.at[0] in link_keys
		lib.resource(ref.to).type in principal_types
		p := ref.to
	} | {p |
		some ref in lib.resource(a).referrers
		ref.at[0] in {"ManagedPolicyArns", "managed_policy_arns"}
		p := ref.from
	} | {p |
		some ref in lib.resource(a).referrers
		ref.at == ["policy_arn"]
		some r2 in lib.resource(ref.from).refs
		r2.at[0] in link_keys
		lib.resource(r2.to).type in principal_types
		p := r2.to
	}
	count(ps) > 0
} else := {a}

scoped contains [scope, x, e] if {
	some e in elements
	some x in data.walint.lib.iam.matched_in(e.value, combo_index)
	some scope in principals(e.address)
}

grant(scope, x) := sort([e | some [s, y, e] in scoped; s == scope; y == x])[0]

deny contains r if {
	some scope in {s | some [s, _, _] in scoped}
	some c in combos
	every x in c {
		grant(scope, x)
	}
	first := grant(scope, c[0])
	others := {g.address | some x in c; g := grant(scope, x); g.address != first.address}
	related := [{"address": o, "path": []} | some o in others]
	r := lib.result_related(first.address, first.path, sprintf("the policies of %s allow %s on Resource \"*\" together: a privilege-escalation path", [scope, concat(" + ", c)]), related)
}

unknown contains r if {
	some s in data.walint.lib.policy.identity_allow
	policy.resource_star(s.stmt)
	not lib.present(s.stmt, "Condition")
	some a in policy.action_unknown(s.stmt, s.path)
	r := lib.result(s.address, a.path, sprintf("Action is not known statically (%s) in an Allow on Resource \"*\"", [lib.unknown_reason(a.value)]))
}

unknown contains r if {
	some u in data.walint.lib.policy.identity_unknown_parts
	r := lib.result(u.address, u.path, sprintf("the policy document is not known statically (%s)", [u.reason]))
}
