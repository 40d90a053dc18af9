# METADATA
# title: IAM policy grants full administrator access
# description: |
#   What it checks: identity policies (CloudFormation AWS::IAM::Policy, ManagedPolicy,
#   RolePolicy/UserPolicy/GroupPolicy and the inline Policies of roles, users and groups;
#   Terraform aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy
#   and aws_iam_role inline_policy) must not hold a statement with Effect Allow, an Action of
#   "*" or "*:*", and a Resource of "*", without a Condition. Deny statements never fire.
#   Why it matters: "*" on "*" is full administrator access; a leaked credential or a confused
#   workload can then do anything in the account, including removing the logs of what it did
#   (SEC03-BP02 least privilege).
#   Bad (CloudFormation): Statement: [{Effect: Allow, Action: "*", Resource: "*"}]
#   Bad (Terraform): policy = jsonencode({Statement = [{Effect = "Allow", Action = "*", Resource = "*"}]})
#   Good: the actions and resources the workload uses, e.g. Action: [s3:GetObject], Resource: arn:aws:s3:::my-bucket/*
#   References: https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
# custom:
#   id: WA-SEC03-IAM-ADMIN-STAR
#   severity: critical
#   best_practices: [SEC03-BP02]
#   resource_types: [AWS::IAM::Policy, AWS::IAM::ManagedPolicy, AWS::IAM::RolePolicy, AWS::IAM::UserPolicy, AWS::IAM::GroupPolicy, AWS::IAM::Role, AWS::IAM::User, AWS::IAM::Group, aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy, aws_iam_role]
#   recommended_action: Replace the "*" action and resource with the specific actions and resource ARNs the principal needs (IAM Access Analyzer can generate them from CloudTrail activity).
package walint.rules.iam_admin_star

import rego.v1

import data.walint.lib
import data.walint.lib.iam

star_actions := {"*", "*:*"}

# Allow statements without a Condition, with their path.
candidates contains [d.address, s] if {
	some d in data.walint.lib.iam.identity_documents
	some s in iam.statements(d)
	not lib.present(s.stmt, "Condition")
	not lib.present(s.stmt, "NotAction")
}

deny contains r if {
	some [address, s] in candidates
	s.stmt.Effect == "Allow"
	some a in iam.elements(s.stmt, "Action", s.path)
	a.value in star_actions
	resource_star(s.stmt)
	r := lib.result(address, a.path, sprintf("Allow of Action %s on Resource \"*\" grants full administrator access", [lib.show(a.value)]))
}

resource_star(stmt) if {
	some v in lib.as_list(stmt.Resource)
	v == "*"
}

resource_unknown(stmt) if lib.is_unknown(stmt.Resource)

resource_unknown(stmt) if {
	is_array(stmt.Resource)
	some v in lib.iter(stmt.Resource)
	lib.is_unknown(v)
}

# Action "*" allowed on a resource that is not known statically.
unknown contains r if {
	some [address, s] in candidates
	s.stmt.Effect == "Allow"
	some a in iam.elements(s.stmt, "Action", s.path)
	a.value in star_actions
	not resource_star(s.stmt)
	resource_unknown(s.stmt)
	r := lib.result(address, a.path, sprintf("Allow of Action %s on a Resource that is not known statically", [lib.show(a.value)]))
}

# Effect or Action not known statically on a statement that would otherwise grant "*".
unknown contains r if {
	some [address, s] in candidates
	lib.is_unknown(s.stmt.Effect)
	some a in iam.elements(s.stmt, "Action", s.path)
	a.value in star_actions
	resource_star(s.stmt)
	r := lib.result(address, array.concat(s.path, ["Effect"]), sprintf("Effect is not known statically (%s) on a statement granting Action %s on Resource \"*\"", [lib.unknown_reason(s.stmt.Effect), lib.show(a.value)]))
}

unknown contains r if {
	some [address, s] in candidates
	s.stmt.Effect == "Allow"
	some a in iam.elements(s.stmt, "Action", s.path)
	lib.is_unknown(a.value)
	resource_star(s.stmt)
	r := lib.result(address, a.path, sprintf("Action is not known statically (%s) in an Allow on Resource \"*\"", [lib.unknown_reason(a.value)]))
}

unknown contains r if {
	some d in data.walint.lib.iam.identity_documents
	some u in iam.unknown_statements(d)
	r := lib.result(d.address, u.path, sprintf("the policy document is not known statically (%s)", [u.reason]))
}
