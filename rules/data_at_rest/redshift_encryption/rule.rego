# METADATA
# title: Redshift cluster is not encrypted
# description: |
#   What it checks: Provisioned Redshift clusters must set Encrypted / encrypted to true. Absent
#   fails: the CloudFormation property and the Terraform argument default to false, and AWS's
#   newer console defaults cannot be relied on for templates (catalog: require an explicit value).
#   Clusters restored from a snapshot (SnapshotIdentifier, snapshot_identifier) inherit its
#   encryption and are skipped; Redshift Serverless namespaces are always encrypted.
#   Why it matters: a data warehouse concentrates sensitive data; unencrypted blocks, backups and
#   snapshots are readable by anyone who obtains them (SEC08-BP02).
#   Bad (CloudFormation): AWS::Redshift::Cluster without Encrypted, or Encrypted: false
#   Bad (Terraform): aws_redshift_cluster without encrypted, or encrypted = false
#   Good: Encrypted: true / encrypted = true (optionally KmsKeyId / kms_key_id)
#   References: https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-redshift-cluster.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/redshift_cluster#encrypted
# custom:
#   id: WA-SEC08-REDSHIFT-ENCRYPTION
#   severity: high
#   best_practices: [SEC08-BP02]
#   resource_types: [AWS::Redshift::Cluster, aws_redshift_cluster]
#   recommended_action: Set Encrypted (CloudFormation) or encrypted (Terraform) to true, ideally with a customer-managed KMS key.
package walint.rules.redshift_encryption

import rego.v1

import data.walint.lib
import data.walint.lib.setting


# [native type, attribute path, attributes whose presence exempts the resource]
targets := [
	["AWS::Redshift::Cluster", ["Encrypted"], ["SnapshotIdentifier"]],
	["aws_redshift_cluster", ["encrypted"], ["snapshot_identifier"]],
]

outcomes contains o if {
	some [t, path, skip] in targets
	some a in lib.managed_of(t)
	attrs := lib.resource(a).attrs
	not exempt(attrs, skip)
	o := setting.must_be_true(a, attrs, path, "cluster data and snapshots are stored unencrypted")
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
