# METADATA
# title: Resource-based policy combines Allow with NotPrincipal
# description: |
#   What it checks: resource-based policies (the carriers of
#   WA-SEC03-MULTI-RESOURCE-POLICY-PUBLIC: S3 bucket and access point, SQS, SNS, KMS, ECR,
#   Secrets Manager, OpenSearch, EFS, Backup, API Gateway, CloudWatch Logs, Glacier, EventBridge)
#   must not hold a statement with Effect Allow and NotPrincipal. Deny with NotPrincipal is
#   an accepted (if fragile) pattern and never fires.
#   Why it matters: Allow with NotPrincipal grants the actions to every principal except the
#   listed ones, including anonymous users and every other AWS account (SEC03-BP07).
#   Bad (CloudFormation): {Effect: Allow, NotPrincipal: {AWS: arn:aws:iam::111122223333:role/x}, Action: sns:Publish}
#   Bad (Terraform): statement { not_principals { type = "AWS" identifiers = ["111122223333"] } }
#   Good: Allow with Principal naming who may act.
#   References: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
# custom:
#   id: WA-SEC03-MULTI-RESOURCE-POLICY-NOTPRINCIPAL
#   severity: high
#   best_practices: [SEC03-BP07]
#   resource_types: [AWS::S3::BucketPolicy, AWS::S3::AccessPoint, AWS::SQS::QueuePolicy, AWS::SNS::TopicPolicy, AWS::KMS::Key, AWS::ECR::Repository, AWS::SecretsManager::ResourcePolicy, AWS::OpenSearchService::Domain, AWS::Elasticsearch::Domain, AWS::EFS::FileSystem, AWS::Backup::BackupVault, AWS::ApiGateway::RestApi, AWS::Logs::Destination, AWS::Logs::ResourcePolicy, aws_s3_bucket_policy, aws_s3_bucket, aws_s3_access_point, aws_sqs_queue_policy, aws_sqs_queue, aws_sns_topic_policy, aws_sns_topic, aws_kms_key, aws_kms_key_policy, aws_ecr_repository_policy, aws_secretsmanager_secret_policy, aws_secretsmanager_secret, aws_opensearch_domain_policy, aws_opensearch_domain, aws_elasticsearch_domain_policy, aws_elasticsearch_domain, aws_efs_file_system_policy, aws_backup_vault_policy, aws_api_gateway_rest_api_policy, aws_api_gateway_rest_api, aws_glacier_vault, aws_cloudwatch_event_bus_policy, aws_cloudwatch_log_destination_policy, aws_cloudwatch_log_resource_policy]
#   recommended_action: Replace NotPrincipal with a Principal listing the accounts, roles or services that need access.
package walint.rules.resource_policy_notprincipal

import rego.v1

import data.walint.lib
import data.walint.lib.policy


deny contains r if {
	some s in data.walint.lib.policy.resource_allow
	lib.present(s.stmt, "NotPrincipal")
	r := lib.result(s.address, array.concat(s.path, ["NotPrincipal"]), "Allow with NotPrincipal: every principal except the listed ones is granted access, including anonymous users")
}

unknown contains r if {
	some s in data.walint.lib.policy.resource_unknown_effect
	lib.present(s.stmt, "NotPrincipal")
	r := lib.result(s.address, array.concat(s.path, ["Effect"]), sprintf("Effect is not known statically (%s) on a statement with NotPrincipal", [lib.unknown_reason(s.stmt.Effect)]))
}

unknown contains r if {
	some u in data.walint.lib.policy.resource_unknown_parts
	r := lib.result(u.address, u.path, sprintf("the resource policy is not known statically (%s)", [u.reason]))
}
