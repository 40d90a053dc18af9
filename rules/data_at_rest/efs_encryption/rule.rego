# METADATA
# title: EFS file system is not encrypted at rest
# description: |
#   What it checks: EFS file systems must set Encrypted / encrypted to true. Absent means
#   unencrypted: the API, CloudFormation and Terraform default is false (only the console turns it
#   on).
#   Why it matters: file data, metadata and backups of an unencrypted file system are readable by
#   anyone who obtains the storage; encryption at rest can only be chosen at creation
#   (SEC08-BP02).
#   Bad (CloudFormation): AWS::EFS::FileSystem without Encrypted, or Encrypted: false
#   Bad (Terraform): aws_efs_file_system without encrypted, or encrypted = false
#   Good: Encrypted: true (optionally KmsKeyId) / encrypted = true (optionally kms_key_id)
#   References: https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-efs-filesystem.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/efs_file_system
# custom:
#   id: WA-SEC08-EFS-ENCRYPTION
#   severity: high
#   best_practices: [SEC08-BP02]
#   resource_types: [AWS::EFS::FileSystem, aws_efs_file_system]
#   recommended_action: Set Encrypted (CloudFormation) or encrypted (Terraform) to true, ideally with a customer-managed KMS key; existing file systems must be copied to a new encrypted one.
package walint.rules.efs_encryption

import rego.v1

import data.walint.lib
import data.walint.lib.setting


# [native type, attribute path, attributes whose presence exempts the resource]
targets := [
	["AWS::EFS::FileSystem", ["Encrypted"], []],
	["aws_efs_file_system", ["encrypted"], []],
]

outcomes contains o if {
	some [t, path, skip] in targets
	some a in lib.managed_of(t)
	attrs := lib.resource(a).attrs
	not exempt(attrs, skip)
	o := setting.must_be_true(a, attrs, path, "file data is stored unencrypted")
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
