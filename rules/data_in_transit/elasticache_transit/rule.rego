# METADATA
# title: ElastiCache replication group does not require TLS
# description: |
#   What it checks: ElastiCache (Redis OSS / Valkey) replication groups must set
#   TransitEncryptionEnabled / transit_encryption_enabled to true (absent means off) and, when
#   TransitEncryptionMode / transit_encryption_mode is written, it must be required (preferred
#   still accepts plaintext connections). Client authentication (AuthToken or user groups) is
#   recommended as well but not judged here.
#   Why it matters: without in-transit encryption, cached data, session tokens and AUTH passwords
#   cross the network in clear text and can be read or altered by anyone on the path (SEC09-BP02).
#   Bad (CloudFormation): AWS::ElastiCache::ReplicationGroup without TransitEncryptionEnabled, or
#   TransitEncryptionMode: preferred
#   Bad (Terraform): aws_elasticache_replication_group without transit_encryption_enabled = true
#   Good: TransitEncryptionEnabled: true (TransitEncryptionMode: required) /
#   transit_encryption_enabled = true
#   References: https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticache-replicationgroup.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_replication_group#transit_encryption_enabled
# custom:
#   id: WA-SEC09-ELASTICACHE-TRANSIT
#   severity: high
#   best_practices: [SEC09-BP02, SEC09-BP03]
#   resource_types: [AWS::ElastiCache::ReplicationGroup, aws_elasticache_replication_group]
#   recommended_action: Set TransitEncryptionEnabled / transit_encryption_enabled to true with mode required, and require authentication (AuthToken from a secret, or RBAC user groups).
package walint.rules.elasticache_transit

import rego.v1

import data.walint.lib
import data.walint.lib.setting


harm := "clients connect in plaintext"

outcomes contains o if {
	some [t, enabled, mode] in [
		["AWS::ElastiCache::ReplicationGroup", "TransitEncryptionEnabled", "TransitEncryptionMode"],
		["aws_elasticache_replication_group", "transit_encryption_enabled", "transit_encryption_mode"],
	]
	some a in lib.managed_of(t)
	o := setting.must_be_true(a, lib.resource(a).attrs, [enabled], harm)
}

outcomes contains o if {
	some [t, mode] in [
		["AWS::ElastiCache::ReplicationGroup", "TransitEncryptionMode"],
		["aws_elasticache_replication_group", "transit_encryption_mode"],
	]
	some a in lib.managed_of(t)
	o := setting.must_be_in(a, lib.resource(a).attrs, [mode], {"required"}, null, "plaintext connections are still accepted")
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
