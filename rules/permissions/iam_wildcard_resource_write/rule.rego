# METADATA
# title: IAM policy allows write actions on every resource
# description: |
#   What it checks: identity policies (the carriers of WA-SEC03-IAM-ADMIN-STAR) must not allow,
#   on Resource "*" and without a Condition, a write, permissions-management or tagging action
#   that supports resource-level permissions (so a specific ARN could have been written). The
#   actions come from a small table of common ones, each listed in the Service Authorization
#   Reference with a resource type (access level Write, Permissions management or Tagging):
#   s3 PutObject/DeleteObject/DeleteBucket/PutBucketPolicy, dynamodb PutItem/UpdateItem/
#   DeleteItem/DeleteTable, sqs SendMessage/DeleteMessage/DeleteQueue, sns Publish/DeleteTopic,
#   lambda InvokeFunction/UpdateFunctionConfiguration/DeleteFunction, kms Decrypt/Encrypt/
#   ScheduleKeyDeletion/PutKeyPolicy, secretsmanager PutSecretValue/DeleteSecret,
#   ssm PutParameter/DeleteParameter, ec2 TerminateInstances/StopInstances,
#   rds DeleteDBInstance, ecr PutImage/BatchDeleteImage, kinesis PutRecord/PutRecords,
#   firehose PutRecord/PutRecordBatch, states StartExecution, cloudformation DeleteStack,
#   iam DeleteRole/CreateUser/DeleteUser/TagRole, logs DeleteLogGroup. Wildcards that reach one
#   of them ("s3:Put*") count; whole-service "svc:*" and "*" are left to
#   WA-SEC03-IAM-SERVICE-WILDCARD and WA-SEC03-IAM-ADMIN-STAR. Read-only List*/Describe*/Get*
#   actions are exempt.
#   Why it matters: a write action on "*" reaches every present and future resource of that
#   type in the account, while the workload needs a few (SEC03-BP02, SEC03-BP04).
#   Bad (CloudFormation): {Effect: Allow, Action: s3:PutObject, Resource: "*"}
#   Bad (Terraform): statement { actions = ["sqs:SendMessage"] resources = ["*"] }
#   Good: Resource: arn:aws:s3:::uploads/*
#   References: https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
#   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html
# custom:
#   id: WA-SEC03-IAM-WILDCARD-RESOURCE-WRITE
#   severity: medium
#   best_practices: [SEC03-BP02, SEC03-BP04]
#   resource_types: [AWS::IAM::Policy, AWS::IAM::ManagedPolicy, AWS::IAM::RolePolicy, AWS::IAM::UserPolicy, AWS::IAM::GroupPolicy, AWS::IAM::Role, AWS::IAM::User, AWS::IAM::Group, aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy, aws_iam_role]
#   recommended_action: Replace Resource "*" with the ARNs of the resources the write actions must reach.
package walint.rules.iam_wildcard_resource_write

import rego.v1

import data.walint.lib
import data.walint.lib.iam
import data.walint.lib.policy

# Write / permissions-management / tagging actions with a resource type in the Service
# Authorization Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/).
write_actions := [
	"s3:PutObject", "s3:DeleteObject", "s3:DeleteBucket", "s3:PutBucketPolicy",
	"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:DeleteTable",
	"sqs:SendMessage", "sqs:DeleteMessage", "sqs:DeleteQueue",
	"sns:Publish", "sns:DeleteTopic",
	"lambda:InvokeFunction", "lambda:UpdateFunctionConfiguration", "lambda:DeleteFunction",
	"kms:Decrypt", "kms:Encrypt", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy",
	"secretsmanager:PutSecretValue", "secretsmanager:DeleteSecret",
	"ssm:PutParameter", "ssm:DeleteParameter",
	"ec2:TerminateInstances", "ec2:StopInstances",
	"rds:DeleteDBInstance",
	"ecr:PutImage", "ecr:BatchDeleteImage",
	"kinesis:PutRecord", "kinesis:PutRecords",
	"firehose:PutRecord", "firehose:PutRecordBatch",
	"states:StartExecution",
	"cloudformation:DeleteStack",
	"iam:DeleteRole", "iam:CreateUser", "iam:DeleteUser", "iam:TagRole",
	"logs:DeleteLogGroup",
]

write_index := iam.action_index(write_actions)

service_or_all(v) if policy.full_wildcard(v)

service_or_all(v) if regex.match(`^[A-Za-z0-9-]+:\*$`, v)

deny contains r if {
	some s in data.walint.lib.policy.identity_allow
	not lib.present(s.stmt, "Condition")
	policy.resource_star(s.stmt)
	some a in iam.elements(s.stmt, "Action", s.path)
	is_string(a.value)
	not service_or_all(a.value)
	granted := sort(iam.matched_in(a.value, write_index))
	count(granted) > 0
	r := lib.result(s.address, a.path, sprintf("Allow of %s on Resource \"*\": %s can be scoped to resource ARNs (resource-level permissions)", [lib.show(a.value), concat(", ", granted)]))
}

unknown contains r if {
	some s in data.walint.lib.policy.identity_allow
	not lib.present(s.stmt, "Condition")
	policy.resource_star(s.stmt)
	some a in policy.action_unknown(s.stmt, s.path)
	r := lib.result(s.address, a.path, sprintf("Action is not known statically (%s) in an Allow on Resource \"*\"", [lib.unknown_reason(a.value)]))
}

unknown contains r if {
	some u in data.walint.lib.policy.identity_unknown_parts
	r := lib.result(u.address, u.path, sprintf("the policy document is not known statically (%s)", [u.reason]))
}
