# METADATA
# title: Neptune cluster storage is not encrypted
# description: |
#   What it checks: Neptune DB clusters must set StorageEncrypted / storage_encrypted to true.
#   Absent means unencrypted (the default is false). Clusters restored from a snapshot
#   (SnapshotIdentifier, snapshot_identifier) inherit the snapshot's encryption and are skipped.
#   Why it matters: graph data, its backups and snapshots are stored in plain form and readable by
#   anyone who gets the storage or a shared snapshot; encryption cannot be switched on later
#   (SEC08-BP02).
#   Bad (CloudFormation): AWS::Neptune::DBCluster without StorageEncrypted, or StorageEncrypted:
#   false
#   Bad (Terraform): aws_neptune_cluster without storage_encrypted, or storage_encrypted = false
#   Good: StorageEncrypted: true / storage_encrypted = true (optionally with a KMS key)
#   References: https://docs.aws.amazon.com/neptune/latest/userguide/encrypt.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-neptune-dbcluster.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/neptune_cluster
# custom:
#   id: WA-SEC08-NEPTUNE-ENCRYPTION
#   severity: high
#   best_practices: [SEC08-BP02]
#   resource_types: [AWS::Neptune::DBCluster, aws_neptune_cluster]
#   recommended_action: Set StorageEncrypted (CloudFormation) or storage_encrypted (Terraform) to true; an existing cluster must be restored from an encrypted snapshot copy.
package walint.rules.neptune_encryption

import rego.v1

import data.walint.lib
import data.walint.lib.setting


# [native type, attribute path, attributes whose presence exempts the resource]
targets := [
	["AWS::Neptune::DBCluster", ["StorageEncrypted"], ["SnapshotIdentifier"]],
	["aws_neptune_cluster", ["storage_encrypted"], ["snapshot_identifier", "replication_source_identifier"]],
]

outcomes contains o if {
	some [t, path, skip] in targets
	some a in lib.managed_of(t)
	attrs := lib.resource(a).attrs
	not exempt(attrs, skip)
	o := setting.must_be_true(a, attrs, path, "cluster storage is unencrypted")
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
