# METADATA
# title: RDS DB instance storage is not encrypted
# description: |
#   What it checks: RDS DB instances must set StorageEncrypted / storage_encrypted to true.
#   Absent means unencrypted (the AWS default is false). Instances that belong to an Aurora
#   cluster (DBClusterIdentifier) and read replicas (SourceDBInstanceIdentifier,
#   replicate_source_db) inherit encryption and are skipped; snapshot restores
#   (DBSnapshotIdentifier, snapshot_identifier) inherit it from the snapshot and are reported
#   as unknown unless encryption is set explicitly.
#   Why it matters: unencrypted database storage, snapshots and backups expose data to anyone
#   who obtains the underlying media or a shared snapshot; encryption cannot be switched on
#   later without a snapshot-copy-restore migration (SEC08-BP02).
#   Bad (CloudFormation): AWS::RDS::DBInstance without StorageEncrypted, or StorageEncrypted: false
#   Bad (Terraform): aws_db_instance without storage_encrypted, or storage_encrypted = false
#   Good: StorageEncrypted: true (optionally KmsKeyId) / storage_encrypted = true (optionally kms_key_id)
#   References: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
# custom:
#   id: WA-SEC08-RDS-ENCRYPTION
#   severity: high
#   best_practices: [SEC08-BP02]
#   resource_types: [AWS::RDS::DBInstance, aws_db_instance]
#   recommended_action: Set StorageEncrypted (CloudFormation) or storage_encrypted (Terraform) to true, ideally with a customer-managed KMS key.
package walint.rules.rds_encryption

import rego.v1

import data.walint.lib

# Per origin: [type, encryption key, keys that make the instance inherit, snapshot key].
targets := [
	["AWS::RDS::DBInstance", "StorageEncrypted", ["DBClusterIdentifier", "SourceDBInstanceIdentifier"], "DBSnapshotIdentifier"],
	["aws_db_instance", "storage_encrypted", ["replicate_source_db"], "snapshot_identifier"],
]

instances contains [address, attrs, t[1], t[3]] if {
	some t in targets
	some address in lib.resources_of(t[0])
	attrs := lib.resource(address).attrs
	not inherits(attrs, t[2])
}

inherits(attrs, keys) if {
	some k in keys
	lib.present(attrs, k)
}

deny contains r if {
	some [address, attrs, key, snap] in instances
	not lib.present(attrs, snap)
	not lib.present(attrs, key)
	r := lib.result(address, [key], sprintf("%s is not set: storage is unencrypted by default", [key]))
}

deny contains r if {
	some [address, attrs, key, _] in instances
	lib.is_false(attrs[key])
	r := lib.result(address, [key], sprintf("%s is %s: storage is unencrypted", [key, lib.show(attrs[key])]))
}

unknown contains r if {
	some [address, attrs, key, _] in instances
	lib.is_unknown(attrs[key])
	r := lib.result(address, [key], sprintf("%s is not known statically (%s)", [key, lib.unknown_reason(attrs[key])]))
}

unknown contains r if {
	some [address, attrs, key, snap] in instances
	lib.present(attrs, snap)
	not lib.present(attrs, key)
	r := lib.result(address, [snap], sprintf("restored from a snapshot (%s): encryption is inherited from the snapshot and cannot be verified", [snap]))
}
