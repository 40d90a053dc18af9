# METADATA
# title: ElastiCache replication group is not encrypted at rest
# description: |
#   What it checks: ElastiCache (Redis OSS / Valkey) replication groups must set
#   AtRestEncryptionEnabled / at_rest_encryption_enabled to true. Absent means unencrypted (the
#   default is false). Serverless caches are always encrypted; single-node
#   AWS::ElastiCache::CacheCluster / aws_elasticache_cluster resources cannot be encrypted at rest
#   and are not judged here.
#   Why it matters: cached data is written to disk during backups, snapshots and swap; without
#   encryption those copies are readable by anyone who gets them (SEC08-BP02).
#   Bad (CloudFormation): AWS::ElastiCache::ReplicationGroup without AtRestEncryptionEnabled, or
#   AtRestEncryptionEnabled: false
#   Bad (Terraform): aws_elasticache_replication_group without at_rest_encryption_enabled, or
#   at_rest_encryption_enabled = false
#   Good: AtRestEncryptionEnabled: true / at_rest_encryption_enabled = true (optionally KmsKeyId /
#   kms_key_id)
#   References: https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticache-replicationgroup.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_replication_group
# custom:
#   id: WA-SEC08-ELASTICACHE-ENCRYPTION
#   severity: high
#   best_practices: [SEC08-BP02]
#   resource_types: [AWS::ElastiCache::ReplicationGroup, aws_elasticache_replication_group]
#   recommended_action: Set AtRestEncryptionEnabled (CloudFormation) or at_rest_encryption_enabled (Terraform) to true, ideally with a customer-managed KMS key.
package walint.rules.elasticache_encryption

import rego.v1

import data.walint.lib
import data.walint.lib.setting


# [native type, attribute path, attributes whose presence exempts the resource]
targets := [
	["AWS::ElastiCache::ReplicationGroup", ["AtRestEncryptionEnabled"], []],
	["aws_elasticache_replication_group", ["at_rest_encryption_enabled"], []],
]

outcomes contains o if {
	some [t, path, skip] in targets
	some a in lib.managed_of(t)
	attrs := lib.resource(a).attrs
	not exempt(attrs, skip)
	o := setting.must_be_true(a, attrs, path, "cached data and backups are stored unencrypted")
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
