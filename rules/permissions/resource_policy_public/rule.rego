# METADATA
# title: Resource-based policy allows everyone
# description: |
#   What it checks: resource-based policies (CloudFormation AWS::S3::BucketPolicy,
#   S3::AccessPoint, SQS::QueuePolicy, SNS::TopicPolicy, KMS::Key KeyPolicy, ECR::Repository,
#   SecretsManager::ResourcePolicy, OpenSearchService/Elasticsearch::Domain AccessPolicies,
#   EFS::FileSystem, Backup::BackupVault, ApiGateway::RestApi, Logs::Destination,
#   Logs::ResourcePolicy; Terraform aws_s3_bucket_policy, aws_sqs_queue(_policy),
#   aws_sns_topic(_policy), aws_kms_key(_policy), aws_ecr_repository_policy,
#   aws_secretsmanager_secret(_policy), aws_opensearch/elasticsearch_domain(_policy),
#   aws_efs_file_system_policy, aws_backup_vault_policy, aws_api_gateway_rest_api(_policy),
#   aws_glacier_vault, aws_cloudwatch_event_bus_policy, log destination and resource policies)
#   must not hold an Allow statement whose Principal is everyone ("*", {"AWS": "*"},
#   aws_iam_policy_document principals type "*" or type "AWS" identifiers ["*"]) unless a
#   positive condition narrows it on aws:SourceArn, aws:SourceAccount, aws:SourceOrgID,
#   aws:SourceOrgPaths, aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalAccount,
#   aws:PrincipalArn, aws:SourceVpce, aws:SourceVpc, aws:SourceIp (not 0.0.0.0/0) or
#   kms:CallerAccount, or unless the same document denies everyone with a negated condition on
#   one of those keys (the "Deny unless aws:SourceVpce" private API pattern). Negated operators (StringNotEquals...) and Null do not narrow. A Condition
#   that is not known statically gives unknown. (The catalog's downgrade of aws:SourceIp-only
#   statements to medium is not applied: such statements pass.)
#   Why it matters: a wildcard principal makes the resource reachable by any AWS account and,
#   for S3, API Gateway and OpenSearch, by anonymous internet users (SEC03-BP07, SEC08-BP04).
#   Bad (CloudFormation): AWS::SQS::QueuePolicy {Effect: Allow, Principal: "*", Action: sqs:SendMessage}
#   Bad (Terraform): aws_s3_bucket_policy statement { principals { type = "*" identifiers = ["*"] } actions = ["s3:GetObject"] }
#   Good: Principal {AWS: arn:aws:iam::111122223333:root}, or Principal "*" with Condition
#   StringEquals aws:PrincipalOrgID o-exampleorgid
#   References: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
# custom:
#   id: WA-SEC03-MULTI-RESOURCE-POLICY-PUBLIC
#   severity: critical
#   best_practices: [SEC03-BP07, SEC08-BP04]
#   resource_types: [AWS::S3::BucketPolicy, AWS::S3::AccessPoint, AWS::SQS::QueuePolicy, AWS::SNS::TopicPolicy, AWS::KMS::Key, AWS::ECR::Repository, AWS::SecretsManager::ResourcePolicy, AWS::OpenSearchService::Domain, AWS::Elasticsearch::Domain, AWS::EFS::FileSystem, AWS::Backup::BackupVault, AWS::ApiGateway::RestApi, AWS::Logs::Destination, AWS::Logs::ResourcePolicy, aws_s3_bucket_policy, aws_s3_bucket, aws_s3_access_point, aws_sqs_queue_policy, aws_sqs_queue, aws_sns_topic_policy, aws_sns_topic, aws_kms_key, aws_kms_key_policy, aws_ecr_repository_policy, aws_secretsmanager_secret_policy, aws_secretsmanager_secret, aws_opensearch_domain_policy, aws_opensearch_domain, aws_elasticsearch_domain_policy, aws_elasticsearch_domain, aws_efs_file_system_policy, aws_backup_vault_policy, aws_api_gateway_rest_api_policy, aws_api_gateway_rest_api, aws_glacier_vault, aws_cloudwatch_event_bus_policy, aws_cloudwatch_log_destination_policy, aws_cloudwatch_log_resource_policy]
#   recommended_action: Name the accounts, roles or services allowed in Principal, or keep Principal "*" only with a condition such as aws:PrincipalOrgID, aws:SourceArn or aws:SourceVpce.
package walint.rules.resource_policy_public

import rego.v1

import data.walint.lib
import data.walint.lib.policy

narrowing_keys := {
	"aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths",
	"aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn",
	"aws:sourcevpce", "aws:sourcevpc", "kms:calleraccount",
}

narrowed(stmt) if policy.narrowed_by(stmt, narrowing_keys)

narrowed(stmt) if {
	c := policy.condition_keys(stmt)["aws:sourceip"]
	some v in lib.iter(c.values)
	not v in {"0.0.0.0/0", "::/0", "*"}
}

docs := data.walint.lib.policy.resource_documents

service(address) := s if {
	some d in docs
	d.address == address
	s := d.service
}

public_entries(s) := [p | some p in policy.principals(s.stmt, s.path); policy.public_principal(p)]

# Allow statements of documents without a "Deny everyone unless <narrowing key>" guard.
open_statements := {s |
	some d in docs
	not policy.deny_unless(d, narrowing_keys)
	some s in policy.allow_statements({d})
}

deny contains r if {
	some s in open_statements
	some p in public_entries(s)
	not narrowed(s.stmt)
	not policy.condition_unknown(s.stmt)
	r := lib.result(s.address, p.path, sprintf("the %s allows Principal \"*\" (everyone) without a condition narrowing it to an account, organization, source or VPC endpoint", [service(s.address)]))
}

unknown contains r if {
	some s in open_statements
	some p in public_entries(s)
	not narrowed(s.stmt)
	policy.condition_unknown(s.stmt)
	r := lib.result(s.address, array.concat(s.path, ["Condition"]), sprintf("the %s allows Principal \"*\" and its Condition is not known statically", [service(s.address)]))
}

unknown contains r if {
	some s in open_statements
	some p in policy.principals(s.stmt, s.path)
	p.type == "?"
	not narrowed(s.stmt)
	r := lib.result(s.address, p.path, sprintf("the %s allows a Principal that is not known statically (%s)", [service(s.address), lib.unknown_reason(p.value)]))
}

# A statement whose Effect is not known statically may be an Allow.
unknown contains r if {
	some d in docs
	not policy.deny_unless(d, narrowing_keys)
	some s in policy.unknown_effect_statements({d})
	some _ in public_entries(s)
	not narrowed(s.stmt)
	r := lib.result(s.address, array.concat(s.path, ["Effect"]), sprintf("the %s has a statement with Principal \"*\" whose Effect is not known statically (%s)", [service(s.address), lib.unknown_reason(s.stmt.Effect)]))
}

unknown contains r if {
	some u in data.walint.lib.policy.resource_unknown_parts
	r := lib.result(u.address, u.path, sprintf("the %s is not known statically (%s)", [service(u.address), u.reason]))
}
