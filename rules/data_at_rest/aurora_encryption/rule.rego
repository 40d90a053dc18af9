# METADATA
# title: RDS/Aurora DB cluster storage is not encrypted
# description: |
#   What it checks: Aurora and Multi-AZ DB clusters (AWS::RDS::DBCluster, aws_rds_cluster) and
#   global clusters (AWS::RDS::GlobalCluster, aws_rds_global_cluster) must set StorageEncrypted /
#   storage_encrypted to true. Absent means unencrypted (the default is false), except Aurora
#   Serverless v1 (EngineMode / engine_mode serverless), which is always encrypted. Clusters
#   restored from a snapshot or point in time, read replicas of another cluster, members of a
#   global cluster and global clusters created from an existing cluster inherit encryption and are
#   skipped.
#   Why it matters: database storage, automated backups, snapshots and replicas of an unencrypted
#   cluster are readable by anyone who obtains them; encryption cannot be added later without a
#   snapshot-restore migration (SEC08-BP02).
#   Bad (CloudFormation): AWS::RDS::DBCluster without StorageEncrypted, or StorageEncrypted: false
#   Bad (Terraform): aws_rds_cluster without storage_encrypted, or storage_encrypted = false
#   Good: StorageEncrypted: true (optionally KmsKeyId) / storage_encrypted = true (optionally
#   kms_key_id)
#   References: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbcluster.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster#storage_encrypted
# custom:
#   id: WA-SEC08-AURORA-ENCRYPTION
#   severity: high
#   best_practices: [SEC08-BP02]
#   resource_types: [AWS::RDS::DBCluster, AWS::RDS::GlobalCluster, aws_rds_cluster, aws_rds_global_cluster]
#   recommended_action: Set StorageEncrypted (CloudFormation) or storage_encrypted (Terraform) to true, ideally with a customer-managed KMS key.
package walint.rules.aurora_encryption

import rego.v1

import data.walint.lib
import data.walint.lib.setting


# [native type, encryption key, engine-mode key, keys whose presence makes the cluster inherit]
targets := [
	["AWS::RDS::DBCluster", "StorageEncrypted", "EngineMode", ["SnapshotIdentifier", "SourceDBClusterIdentifier", "RestoreType", "ReplicationSourceIdentifier", "GlobalClusterIdentifier"]],
	["aws_rds_cluster", "storage_encrypted", "engine_mode", ["snapshot_identifier", "replication_source_identifier", "restore_to_point_in_time", "s3_import", "global_cluster_identifier"]],
	["AWS::RDS::GlobalCluster", "StorageEncrypted", "", ["SourceDBClusterIdentifier"]],
	["aws_rds_global_cluster", "storage_encrypted", "", ["source_db_cluster_identifier"]],
]

outcomes contains o if {
	some [t, key, mode, skip] in targets
	some a in lib.managed_of(t)
	attrs := lib.resource(a).attrs
	not inherits(attrs, skip)
	not serverless_v1(attrs, mode)
	o := setting.must_be_true(a, attrs, [key], "cluster storage is unencrypted")
}

inherits(attrs, keys) if {
	some k in keys
	lib.present(attrs, k)
	attrs[k] != []
}

serverless_v1(attrs, mode) if {
	v := object.get(attrs, mode, "")
	is_string(v)
	lib.lower_of(v) == "serverless"
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
