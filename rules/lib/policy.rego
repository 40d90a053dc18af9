# Resource-policy and trust-policy views, principals and conditions (catalog §1.6, §2.3, G15).
#
# `resource_documents` holds {"address", "path", "doc", "service"}: every resource-based policy
# document of the unit (`service` names the carrier for messages). Carriers:
#   CloudFormation  AWS::S3::BucketPolicy.PolicyDocument, AWS::S3::AccessPoint.Policy,
#                   AWS::SQS::QueuePolicy.PolicyDocument, AWS::SNS::TopicPolicy.PolicyDocument,
#                   AWS::KMS::Key.KeyPolicy, AWS::ECR::Repository.RepositoryPolicyText,
#                   AWS::SecretsManager::ResourcePolicy.ResourcePolicy,
#                   AWS::OpenSearchService::Domain|AWS::Elasticsearch::Domain.AccessPolicies,
#                   AWS::EFS::FileSystem.FileSystemPolicy, AWS::Backup::BackupVault.AccessPolicy,
#                   AWS::ApiGateway::RestApi.Policy, AWS::Logs::Destination.DestinationPolicy,
#                   AWS::Logs::ResourcePolicy.PolicyDocument
#   Terraform       the `policy` (or `access_policies`, `access_policy`) of aws_s3_bucket(_policy),
#                   aws_sqs_queue(_policy), aws_sns_topic(_policy), aws_kms_key(_policy),
#                   aws_ecr_repository_policy, aws_secretsmanager_secret(_policy),
#                   aws_opensearch_domain(_policy), aws_elasticsearch_domain(_policy),
#                   aws_efs_file_system_policy, aws_backup_vault_policy,
#                   aws_api_gateway_rest_api(_policy), aws_glacier_vault,
#                   aws_cloudwatch_event_bus_policy, aws_s3_access_point,
#                   aws_cloudwatch_log_destination_policy, aws_cloudwatch_log_resource_policy
# `trust_documents` holds {"address", "path", "doc"}: role trust policies
#   (AWS::IAM::Role.AssumeRolePolicyDocument, aws_iam_role.assume_role_policy).
# Documents are iam.statements-compatible records; Terraform data sources are skipped.
package walint.lib.policy

import rego.v1

import data.walint.lib
import data.walint.lib.iam

resource_carriers := {
	"AWS::S3::BucketPolicy": {"key": "PolicyDocument", "service": "S3 bucket policy"},
	"AWS::S3::AccessPoint": {"key": "Policy", "service": "S3 access point policy"},
	"AWS::SQS::QueuePolicy": {"key": "PolicyDocument", "service": "SQS queue policy"},
	"AWS::SNS::TopicPolicy": {"key": "PolicyDocument", "service": "SNS topic policy"},
	"AWS::KMS::Key": {"key": "KeyPolicy", "service": "KMS key policy"},
	"AWS::ECR::Repository": {"key": "RepositoryPolicyText", "service": "ECR repository policy"},
	"AWS::SecretsManager::ResourcePolicy": {"key": "ResourcePolicy", "service": "Secrets Manager resource policy"},
	"AWS::OpenSearchService::Domain": {"key": "AccessPolicies", "service": "OpenSearch domain access policy"},
	"AWS::Elasticsearch::Domain": {"key": "AccessPolicies", "service": "Elasticsearch domain access policy"},
	"AWS::EFS::FileSystem": {"key": "FileSystemPolicy", "service": "EFS file system policy"},
	"AWS::Backup::BackupVault": {"key": "AccessPolicy", "service": "Backup vault access policy"},
	"AWS::ApiGateway::RestApi": {"key": "Policy", "service": "API Gateway REST API policy"},
	"AWS::Logs::Destination": {"key": "DestinationPolicy", "service": "CloudWatch Logs destination policy"},
	"AWS::Logs::ResourcePolicy": {"key": "PolicyDocument", "service": "CloudWatch Logs resource policy"},
	"aws_s3_bucket_policy": {"key": "policy", "service": "S3 bucket policy"},
	"aws_s3_bucket": {"key": "policy", "service": "S3 bucket policy"},
	"aws_s3_access_point": {"key": "policy", "service": "S3 access point policy"},
	"aws_sqs_queue_policy": {"key": "policy", "service": "SQS queue policy"},
	"aws_sqs_queue": {"key": "policy", "service": "SQS queue policy"},
	"aws_sns_topic_policy": {"key": "policy", "service": "SNS topic policy"},
	"aws_sns_topic": {"key": "policy", "service": "SNS topic policy"},
	"aws_kms_key": {"key": "policy", "service": "KMS key policy"},
	"aws_kms_key_policy": {"key": "policy", "service": "KMS key policy"},
	"aws_ecr_repository_policy": {"key": "policy", "service": "ECR repository policy"},
	"aws_secretsmanager_secret_policy": {"key": "policy", "service": "Secrets Manager secret policy"},
	"aws_secretsmanager_secret": {"key": "policy", "service": "Secrets Manager secret policy"},
	"aws_opensearch_domain_policy": {"key": "access_policies", "service": "OpenSearch domain access policy"},
	"aws_opensearch_domain": {"key": "access_policies", "service": "OpenSearch domain access policy"},
	"aws_elasticsearch_domain_policy": {"key": "access_policies", "service": "Elasticsearch domain access policy"},
	"aws_elasticsearch_domain": {"key": "access_policies", "service": "Elasticsearch domain access policy"},
	"aws_efs_file_system_policy": {"key": "policy", "service": "EFS file system policy"},
	"aws_backup_vault_policy": {"key": "policy", "service": "Backup vault policy"},
	"aws_api_gateway_rest_api_policy": {"key": "policy", "service": "API Gateway REST API policy"},
	"aws_api_gateway_rest_api": {"key": "policy", "service": "API Gateway REST API policy"},
	"aws_glacier_vault": {"key": "access_policy", "service": "Glacier vault access policy"},
	"aws_cloudwatch_event_bus_policy": {"key": "policy", "service": "EventBridge event bus policy"},
	"aws_cloudwatch_log_destination_policy": {"key": "access_policy", "service": "CloudWatch Logs destination policy"},
	"aws_cloudwatch_log_resource_policy": {"key": "policy_document", "service": "CloudWatch Logs resource policy"},
}

# Native types of every carrier, for rule metadata and tests.
resource_carrier_types := {t | some t, _ in resource_carriers}

resource_documents contains d if {
	some t, addresses in input.by_type
	c := resource_carriers[t]
	some address in addresses
	r := lib.resource(address)
	object.get(r, "mode", "managed") == "managed"
	attrs := r.attrs
	lib.present(attrs, c.key)
	doc := attrs[c.key]
	not is_string(doc)
	d := {"address": address, "path": [c.key], "doc": doc, "service": c.service}
}

trust_documents contains d if {
	some address in lib.managed_of("AWS::IAM::Role")
	attrs := lib.resource(address).attrs
	lib.present(attrs, "AssumeRolePolicyDocument")
	d := {"address": address, "path": ["AssumeRolePolicyDocument"], "doc": attrs.AssumeRolePolicyDocument}
}

trust_documents contains d if {
	some address in lib.managed_of("aws_iam_role")
	attrs := lib.resource(address).attrs
	lib.present(attrs, "assume_role_policy")
	not is_string(attrs.assume_role_policy)
	d := {"address": address, "path": ["assume_role_policy"], "doc": attrs.assume_role_policy}
}

# identity_documents: data.walint.lib.iam.identity_documents without Terraform data sources.
identity_documents := {d | some d in data.walint.lib.iam.identity_documents; object.get(lib.resource(d.address), "mode", "managed") == "managed"}

# `allow_statements`, `unknown_effect_statements` and `unknown_parts` of the identity, resource
# and trust documents as complete rules, so regorus computes them once per unit and engine group
# (functions are evaluated again at every call, rules are cached). Rules read them by full path
# (`data.walint.lib.policy.trust_allow`).
# Every statement of the identity, resource and trust documents, as {"address", "path", "stmt"}.
identity_statements := statements_of(identity_documents)

resource_statements := statements_of(resource_documents)

trust_statements := statements_of(trust_documents)

identity_allow := allow_of(identity_statements)

identity_unknown_effect := unknown_effect_of(identity_statements)

identity_unknown_parts := unknown_parts(identity_documents)

resource_allow := allow_of(resource_statements)

resource_unknown_effect := unknown_effect_of(resource_statements)

resource_unknown_parts := unknown_parts(resource_documents)

trust_allow := allow_of(trust_statements)

trust_unknown_effect := unknown_effect_of(trust_statements)

trust_unknown_parts := unknown_parts(trust_documents)

# statements_of(docs): {"address", "path", "stmt"} of every statement of the document records.
statements_of(docs) := [s |
	some d in docs
	some st in iam.statements(d)
	s := {"address": d.address, "path": st.path, "stmt": st.stmt}
]

# allow_of(stmts): the statements (see statements_of) with Effect Allow, as a set.
allow_of(stmts) := {s | some s in stmts; s.stmt.Effect == "Allow"}

# unknown_effect_of(stmts): the statements whose Effect is not known statically.
unknown_effect_of(stmts) := {s | some s in stmts; lib.is_unknown(s.stmt.Effect)}

# allow_statements(docs): {"address", "path", "stmt"} of every statement with Effect Allow in the
# document records `docs` (allow_of(statements_of(docs))).
allow_statements(docs) := allow_of(statements_of(docs))

# unknown_effect_statements(docs): statements of `docs` whose Effect is not known statically.
unknown_effect_statements(docs) := unknown_effect_of(statements_of(docs))

# unknown_parts(docs): {"address", "path", "reason"} where a document or statement is not known.
unknown_parts(docs) := {u |
	some d in docs
	some x in iam.unknown_statements(d)
	u := {"address": d.address, "path": x.path, "reason": x.reason}
}

# principals(stmt, path): {"path", "type", "value"} for each principal of a statement's
# `Principal` ("*" has type "*"; {"AWS": [...]} gives type "AWS" per element).
principals(stmt, path) := [{"path": array.concat(path, ["Principal"]), "type": "*", "value": "*"}] if {
	stmt.Principal == "*"
} else := [{"path": array.concat(path, ["Principal"]), "type": "?", "value": stmt.Principal}] if {
	lib.is_unknown(stmt.Principal)
} else := [p |
	is_object(stmt.Principal)
	some k, v in stmt.Principal
	some e in iam.elements(stmt.Principal, k, array.concat(path, ["Principal"]))
	p := {"path": e.path, "type": k, "value": e.value}
]

# public_principal(p): a principal entry meaning everyone ("*", {"AWS": "*"}, TF type "*").
public_principal(p) if {
	p.type in {"*", "AWS"}
	p.value == "*"
}

# condition_keys(stmt): lower-case condition keys used with a positive operator (not
# `...Not...`, not `Null`), each with its (first) operator and values. A key written under two
# operators (StringEquals and StringLike) or in two cases ("Sub", "sub") gets the values of all
# of them (an object comprehension with one key twice was a rule error).
condition_keys(stmt) := {k: {"op": entries[0][0], "values": [x | some e in entries; some x in lib.as_list(e[1])]} |
	some k in positive_condition_keys(stmt)
	entries := [[op, v] |
		some op, block in stmt.Condition
		not negative_operator(op)
		is_object(block)
		some k2, v in block
		lower(k2) == k
	]
}

positive_condition_keys(stmt) := {lower(k) |
	is_object(stmt.Condition)
	some op, block in stmt.Condition
	not negative_operator(op)
	is_object(block)
	some k, _ in block
}

negative_operator(op) if contains(lower(op), "not")

negative_operator(op) if lower(op) == "null"

negative_operator(op) if endswith(lower(op), "null")

# condition_unknown(stmt): the Condition, or one of its blocks, is not known statically.
condition_unknown(stmt) if lib.is_unknown(stmt.Condition)

condition_unknown(stmt) if {
	is_object(stmt.Condition)
	some _, block in stmt.Condition
	lib.is_unknown(block)
}

# narrowed_by(stmt, keys): a positive condition on one of `keys` (lower case) with a value
# other than "*".
narrowed_by(stmt, keys) if {
	some k, c in condition_keys(stmt)
	k in keys
	some v in c.values
	v != "*"
}

# allows(stmt, path, action): `Action` elements of the statement matching `action` (a concrete
# action name, e.g. "iam:PassRole"), as {"path", "value"}.
allows(stmt, path, action) := [a |
	some a in iam.elements(stmt, "Action", path)
	iam.action_matches(a.value, action)
]

# action_unknown(stmt, path): `Action` elements not known statically.
action_unknown(stmt, path) := [a | some a in iam.elements(stmt, "Action", path); lib.is_unknown(a.value)]

# resource_star(stmt): a `Resource` of "*".
resource_star(stmt) if {
	some v in lib.as_list(stmt.Resource)
	v == "*"
}

# resource_unknown(stmt): `Resource` (or an element) not known statically.
resource_unknown(stmt) if lib.is_unknown(stmt.Resource)

resource_unknown(stmt) if {
	is_array(stmt.Resource)
	some v in stmt.Resource
	lib.is_unknown(v)
}

# full_wildcard(v): an Action of everything ("*", "*:*"), which WA-SEC03-IAM-ADMIN-STAR reports.
full_wildcard(v) if v in {"*", "*:*"}

# negated_condition_keys(stmt): lower-case condition keys used with a negated operator
# (StringNotEquals, ArnNotLike, ...), e.g. a Deny "unless aws:SourceVpce is ..." guard.
negated_condition_keys(stmt) := {lower(k) |
	is_object(stmt.Condition)
	some op, block in stmt.Condition
	contains(lower(op), "not")
	is_object(block)
	some k, _ in block
}

# deny_unless(d, keys): document record `d` holds a Deny statement for everyone ("*") whose
# negated condition names one of `keys` — the "deny unless from my VPC endpoint / org" guard
# that makes an Allow to "*" in the same document non-public.
deny_unless(d, keys) if {
	some st in iam.statements(d)
	st.stmt.Effect == "Deny"
	some p in principals(st.stmt, st.path)
	public_principal(p)
	some k in negated_condition_keys(st.stmt)
	k in keys
}
