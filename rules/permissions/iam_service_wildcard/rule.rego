# METADATA
# title: IAM policy allows every action of a service on every resource
# description: |
#   What it checks: identity policies (CloudFormation AWS::IAM::Policy, ManagedPolicy,
#   RolePolicy/UserPolicy/GroupPolicy and the inline Policies of roles, users and groups;
#   Terraform aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy,
#   aws_iam_role inline_policy, documents from aws_iam_policy_document) must not hold an Allow
#   statement without a Condition whose Action is a whole service ("iam:*", "s3:*", ...) and
#   whose Resource is "*". Action "*" is left to WA-SEC03-IAM-ADMIN-STAR; Deny never fires.
#   Why it matters: "svc:*" on "*" hands over every present and future action of the service on
#   every resource of the account; for iam, kms, sts, organizations, s3, ec2 or lambda this is
#   close to administrator access (SEC03-BP02 least privilege).
#   Bad (CloudFormation): Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]
#   Bad (Terraform): policy = jsonencode({Statement = [{Effect = "Allow", Action = "iam:*", Resource = "*"}]})
#   Good: Action: [s3:GetObject, s3:PutObject], Resource: arn:aws:s3:::my-bucket/*
#   References: https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
# custom:
#   id: WA-SEC03-IAM-SERVICE-WILDCARD
#   severity: high
#   best_practices: [SEC03-BP02]
#   resource_types: [AWS::IAM::Policy, AWS::IAM::ManagedPolicy, AWS::IAM::RolePolicy, AWS::IAM::UserPolicy, AWS::IAM::GroupPolicy, AWS::IAM::Role, AWS::IAM::User, AWS::IAM::Group, aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy, aws_iam_role]
#   recommended_action: List the actions of the service the principal calls and scope Resource to the ARNs it uses.
package walint.rules.iam_service_wildcard

import rego.v1

import data.walint.lib
import data.walint.lib.policy

service_wildcard(v) if {
	is_string(v)
	regex.match(`^[A-Za-z0-9-]+:\*$`, v)
}

candidates := {s | some s in data.walint.lib.policy.identity_allow; not lib.present(s.stmt, "Condition")}

deny contains r if {
	some s in candidates
	policy.resource_star(s.stmt)
	some a in iam_elements(s)
	service_wildcard(a.value)
	r := lib.result(s.address, a.path, sprintf("Allow of every %s action (%s) on Resource \"*\"", [split(a.value, ":")[0], lib.show(a.value)]))
}

iam_elements(s) := [a | some a in data.walint.lib.iam.elements(s.stmt, "Action", s.path)]

unknown contains r if {
	some s in candidates
	not policy.resource_star(s.stmt)
	policy.resource_unknown(s.stmt)
	some a in iam_elements(s)
	service_wildcard(a.value)
	r := lib.result(s.address, a.path, sprintf("Allow of %s on a Resource that is not known statically", [lib.show(a.value)]))
}

unknown contains r if {
	some s in candidates
	policy.resource_star(s.stmt)
	some a in policy.action_unknown(s.stmt, s.path)
	r := lib.result(s.address, a.path, sprintf("Action is not known statically (%s) in an Allow on Resource \"*\"", [lib.unknown_reason(a.value)]))
}

unknown contains r if {
	some u in data.walint.lib.policy.identity_unknown_parts
	r := lib.result(u.address, u.path, sprintf("the policy document is not known statically (%s)", [u.reason]))
}
