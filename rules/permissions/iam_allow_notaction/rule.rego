# METADATA
# title: Policy statement combines Allow with NotAction
# description: |
#   What it checks: identity policies (the carriers of WA-SEC03-IAM-ADMIN-STAR), role trust
#   policies and resource-based policies (S3 bucket and access point, SQS, SNS, KMS key, ECR,
#   Secrets Manager, OpenSearch, EFS, Backup, API Gateway, CloudWatch Logs, Glacier, EventBridge)
#   must not hold a statement with Effect Allow and NotAction. Deny with NotAction is the normal
#   guardrail form and never fires.
#   Why it matters: an Allow with NotAction grants every action of every service except the listed ones, including actions AWS adds later, so it is almost always far broader than intended (SEC03-BP02 least privilege).
#   Bad (CloudFormation): {Effect: Allow, NotAction: iam:*, Resource: "*"}
#   Bad (Terraform): statement { effect = "Allow" not_actions = ["iam:*"] }
#   Good: list what is allowed with Action, or use NotAction only in Deny statements
#   References: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
# custom:
#   id: WA-SEC03-IAM-ALLOW-NOTACTION
#   severity: high
#   best_practices: [SEC03-BP02]
#   resource_types: [AWS::IAM::Policy, AWS::IAM::ManagedPolicy, AWS::IAM::RolePolicy, AWS::IAM::UserPolicy, AWS::IAM::GroupPolicy, AWS::IAM::Role, AWS::IAM::User, AWS::IAM::Group, AWS::S3::BucketPolicy, AWS::S3::AccessPoint, AWS::SQS::QueuePolicy, AWS::SNS::TopicPolicy, AWS::KMS::Key, AWS::ECR::Repository, AWS::SecretsManager::ResourcePolicy, AWS::OpenSearchService::Domain, AWS::Elasticsearch::Domain, AWS::EFS::FileSystem, AWS::Backup::BackupVault, AWS::ApiGateway::RestApi, AWS::Logs::Destination, AWS::Logs::ResourcePolicy, aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy, aws_iam_role, aws_s3_bucket_policy, aws_s3_bucket, aws_s3_access_point, aws_sqs_queue_policy, aws_sqs_queue, aws_sns_topic_policy, aws_sns_topic, aws_kms_key, aws_kms_key_policy, aws_ecr_repository_policy, aws_secretsmanager_secret_policy, aws_secretsmanager_secret, aws_opensearch_domain_policy, aws_opensearch_domain, aws_elasticsearch_domain_policy, aws_elasticsearch_domain, aws_efs_file_system_policy, aws_backup_vault_policy, aws_api_gateway_rest_api_policy, aws_api_gateway_rest_api, aws_glacier_vault, aws_cloudwatch_event_bus_policy, aws_cloudwatch_log_destination_policy, aws_cloudwatch_log_resource_policy]
#   recommended_action: Replace NotAction with an explicit Action list in Allow statements.
package walint.rules.iam_allow_notaction

import rego.v1

import data.walint.lib
import data.walint.lib.policy

# The views of every identity, resource and trust document (computed once per unit).
allow := (data.walint.lib.policy.identity_allow | data.walint.lib.policy.resource_allow) | data.walint.lib.policy.trust_allow

unknown_effect := (data.walint.lib.policy.identity_unknown_effect | data.walint.lib.policy.resource_unknown_effect) | data.walint.lib.policy.trust_unknown_effect

unknown_parts := (data.walint.lib.policy.identity_unknown_parts | data.walint.lib.policy.resource_unknown_parts) | data.walint.lib.policy.trust_unknown_parts

deny contains r if {
	some s in allow
	lib.present(s.stmt, "NotAction")
	r := lib.result(s.address, array.concat(s.path, ["NotAction"]), "Allow with NotAction: every action except the listed ones is granted, including actions AWS adds later")
}

unknown contains r if {
	some s in unknown_effect
	lib.present(s.stmt, "NotAction")
	r := lib.result(s.address, array.concat(s.path, ["Effect"]), sprintf("Effect is not known statically (%s) on a statement with NotAction", [lib.unknown_reason(s.stmt.Effect)]))
}

unknown contains r if {
	some u in unknown_parts
	r := lib.result(u.address, u.path, sprintf("the policy document is not known statically (%s)", [u.reason]))
}
