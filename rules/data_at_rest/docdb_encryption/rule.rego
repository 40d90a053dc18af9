# METADATA
# title: DocumentDB cluster storage is not encrypted
# description: |
#   What it checks: DocumentDB clusters must set StorageEncrypted / storage_encrypted to true.
#   Absent means unencrypted (the default is false). Clusters restored from a snapshot
#   (SnapshotIdentifier, snapshot_identifier) inherit the snapshot's encryption and are skipped;
#   elastic clusters are always encrypted.
#   Why it matters: documents, backups and snapshots of an unencrypted cluster are readable by
#   anyone who obtains the storage; encryption can only be chosen at creation (SEC08-BP02).
#   Bad (CloudFormation): AWS::DocDB::DBCluster without StorageEncrypted, or StorageEncrypted:
#   false
#   Bad (Terraform): aws_docdb_cluster without storage_encrypted, or storage_encrypted = false
#   Good: StorageEncrypted: true / storage_encrypted = true (optionally KmsKeyId / kms_key_id)
#   References: https://docs.aws.amazon.com/documentdb/latest/developerguide/encryption-at-rest.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-docdb-dbcluster.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/docdb_cluster
# custom:
#   id: WA-SEC08-DOCDB-ENCRYPTION
#   severity: high
#   best_practices: [SEC08-BP02]
#   resource_types: [AWS::DocDB::DBCluster, aws_docdb_cluster]
#   recommended_action: Set StorageEncrypted (CloudFormation) or storage_encrypted (Terraform) to true; an existing cluster must be restored from an encrypted snapshot.
package walint.rules.docdb_encryption

import rego.v1

import data.walint.lib
import data.walint.lib.setting


# [native type, attribute path, attributes whose presence exempts the resource]
targets := [
	["AWS::DocDB::DBCluster", ["StorageEncrypted"], ["SnapshotIdentifier"]],
	["aws_docdb_cluster", ["storage_encrypted"], ["snapshot_identifier"]],
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
