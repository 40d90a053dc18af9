# METADATA
# title: Privileged AWS managed policy attached to a role, user or group
# description: |
#   What it checks: AWS managed policies that grant administrator-class or full-service access
#   must not be attached to workload principals: CloudFormation AWS::IAM::Role|User|Group
#   ManagedPolicyArns; Terraform aws_iam_role.managed_policy_arns,
#   aws_iam_role_policy_attachment, aws_iam_user_policy_attachment,
#   aws_iam_group_policy_attachment and aws_iam_policy_attachment policy_arn. The policies:
#   AdministratorAccess, IAMFullAccess (the catalog's high tier), PowerUserAccess,
#   AmazonS3FullAccess, AmazonEC2FullAccess, AWSLambda_FullAccess, AmazonDynamoDBFullAccess,
#   AmazonRDSFullAccess, AmazonSQSFullAccess, AmazonSNSFullAccess, SecretsManagerReadWrite,
#   AWSKeyManagementServicePowerUser, AWSCloudFormationFullAccess, AmazonECS_FullAccess and
#   AWSOrganizationsFullAccess (matched on the ARN's `:iam::aws:policy/<name>` in any partition).
#   An ARN read from a Terraform data "aws_iam_policy" is judged on its `name`; an ARN of a
#   policy the unit creates is not judged; any other ARN that is not known statically gives
#   unknown only when no other attached ARN is known to be privileged. The catalog's medium tier and the break-glass exception (roles trusted
#   only by an SSO/IdP) are not applied: every listed policy fails at the rule's severity.
#   Why it matters: these policies grant every action of one or all services on every resource;
#   a workload compromise then becomes an account (or data) compromise (SEC03-BP02).
#   Bad (CloudFormation): ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
#   Bad (Terraform): aws_iam_role_policy_attachment { policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess" }
#   Good: a customer managed policy listing the actions and resources the workload uses, or a
#   read-only / job-function managed policy
#   References: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html
#   https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-use-aws-defined-policies
# custom:
#   id: WA-SEC03-IAM-PRIVILEGED-MANAGED-POLICY
#   severity: high
#   best_practices: [SEC03-BP02]
#   resource_types: [AWS::IAM::Role, AWS::IAM::User, AWS::IAM::Group, aws_iam_role, aws_iam_role_policy_attachment, aws_iam_user_policy_attachment, aws_iam_group_policy_attachment, aws_iam_policy_attachment]
#   recommended_action: Replace the AWS managed policy with a customer managed policy scoped to the actions and resources the principal needs.
package walint.rules.iam_privileged_managed_policy

import rego.v1

import data.walint.lib

privileged := {
	"AdministratorAccess", "IAMFullAccess", "PowerUserAccess", "AmazonS3FullAccess",
	"AmazonEC2FullAccess", "AWSLambda_FullAccess", "AmazonDynamoDBFullAccess",
	"AmazonRDSFullAccess", "AmazonSQSFullAccess", "AmazonSNSFullAccess",
	"SecretsManagerReadWrite", "AWSKeyManagementServicePowerUser",
	"AWSCloudFormationFullAccess", "AmazonECS_FullAccess", "AWSOrganizationsFullAccess",
}

# [address, path, value] of every attached policy ARN.
attached contains [a, ["ManagedPolicyArns", i], v] if {
	some t in ["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"]
	some a in lib.managed_of(t)
	some i, v in lib.iter(lib.resource(a).attrs.ManagedPolicyArns)
}

attached contains [a, ["managed_policy_arns", i], v] if {
	some a in lib.managed_of("aws_iam_role")
	some i, v in lib.iter(lib.resource(a).attrs.managed_policy_arns)
}

attached contains [a, ["policy_arn"], v] if {
	some t in ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"]
	some a in lib.managed_of(t)
	v := lib.resource(a).attrs.policy_arn
}

name(v) := n if {
	is_string(v)
	m := regex.find_all_string_submatch_n(`^arn:[a-z-]+:iam::aws:policy/(.+)$`, v, 1)
	n := m[0][1]
	n in privileged
}

# The unit resource an unknown ARN comes from: a customer managed policy of the unit (not
# judged), or a Terraform data "aws_iam_policy" looked up by name (judged on that name).
source(a, path) := [ref.to | some ref in lib.resource(a).refs; ref.at == path]

lookup_name(a, path) := n if {
	some to in source(a, path)
	r := lib.resource(to)
	r.type == "aws_iam_policy"
	r.mode == "data"
	n := r.attrs.name
	n in privileged
}

from_unit(a, path) if count(source(a, path)) > 0

flagged contains a if {
	some [a, _, v] in attached
	name(v)
}

flagged contains a if {
	some [a, path, _] in attached
	lookup_name(a, path)
}

deny contains r if {
	some [a, path, v] in attached
	lib.is_unknown(v)
	n := lookup_name(a, path)
	r := lib.result(a, path, sprintf("the AWS managed policy %s (looked up by data \"aws_iam_policy\") is attached: it grants broad access far beyond what a workload needs", [n]))
}

deny contains r if {
	some [a, path, v] in attached
	n := name(v)
	r := lib.result(a, path, sprintf("the AWS managed policy %s is attached: it grants broad access far beyond what a workload needs", [n]))
}

unknown contains r if {
	some [a, path, v] in attached
	lib.is_unknown(v)
	not a in flagged
	not from_unit(a, path)
	r := lib.result(a, path, sprintf("an attached policy ARN is not known statically (%s)", [lib.unknown_reason(v)]))
}

unknown contains r if {
	some t in ["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"]
	some a in lib.managed_of(t)
	v := lib.resource(a).attrs.ManagedPolicyArns
	lib.is_unknown(v)
	r := lib.result(a, ["ManagedPolicyArns"], sprintf("the attached policy ARNs are not known statically (%s)", [lib.unknown_reason(v)]))
}
