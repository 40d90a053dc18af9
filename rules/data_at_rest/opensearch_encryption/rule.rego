# METADATA
# title: OpenSearch domain is not encrypted at rest
# description: |
#   What it checks: OpenSearch Service and legacy Elasticsearch domains must enable encryption at
#   rest: EncryptionAtRestOptions.Enabled (CloudFormation AWS::OpenSearchService::Domain,
#   AWS::Elasticsearch::Domain) or encrypt_at_rest.enabled (Terraform aws_opensearch_domain,
#   aws_elasticsearch_domain). Absent means unencrypted (the API default is false).
#   Why it matters: indices, logs, swap files and automated snapshots of an unencrypted domain are
#   readable by anyone who obtains the storage (SEC08-BP02).
#   Bad (CloudFormation): AWS::OpenSearchService::Domain without EncryptionAtRestOptions, or
#   Enabled: false
#   Bad (Terraform): aws_opensearch_domain without an encrypt_at_rest block, or enabled = false
#   Good: EncryptionAtRestOptions: {Enabled: true} / encrypt_at_rest { enabled = true }
#   References: https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-opensearchservice-domain-encryptionatrestoptions.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/opensearch_domain#encrypt_at_rest
# custom:
#   id: WA-SEC08-OPENSEARCH-ENCRYPTION
#   severity: high
#   best_practices: [SEC08-BP02]
#   resource_types: [AWS::OpenSearchService::Domain, AWS::Elasticsearch::Domain, aws_opensearch_domain, aws_elasticsearch_domain]
#   recommended_action: Enable encryption at rest (EncryptionAtRestOptions.Enabled / encrypt_at_rest.enabled = true), ideally with a customer-managed KMS key.
package walint.rules.opensearch_encryption

import rego.v1

import data.walint.lib
import data.walint.lib.setting


# [native type, attribute path, attributes whose presence exempts the resource]
targets := [
	["AWS::OpenSearchService::Domain", ["EncryptionAtRestOptions", "Enabled"], []],
	["AWS::Elasticsearch::Domain", ["EncryptionAtRestOptions", "Enabled"], []],
	["aws_opensearch_domain", ["encrypt_at_rest", 0, "enabled"], []],
	["aws_elasticsearch_domain", ["encrypt_at_rest", 0, "enabled"], []],
]

outcomes contains o if {
	some [t, path, skip] in targets
	some a in lib.managed_of(t)
	attrs := lib.resource(a).attrs
	not exempt(attrs, skip)
	o := setting.must_be_true(a, attrs, path, "indices and snapshots are stored unencrypted")
}

exempt(attrs, keys) if {
	some k in keys
	lib.present(attrs, k)
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
