# METADATA
# title: EBS volume is not encrypted
# description: |
#   What it checks: standalone EBS volumes must set Encrypted / encrypted to true. Absent means
#   unencrypted unless the account enables EBS encryption by default, which a CloudFormation
#   template cannot show; a Terraform module that declares aws_ebs_encryption_by_default
#   (enabled, the default) makes an absent setting pass. Volumes created from a snapshot
#   (SnapshotId, snapshot_id) inherit its encryption and are reported as unknown unless
#   encryption is set explicitly to true.
#   Why it matters: unencrypted volumes and their snapshots expose data at rest (SEC08-BP02).
#   Bad (CloudFormation): AWS::EC2::Volume without Encrypted, or Encrypted: false
#   Bad (Terraform): aws_ebs_volume without encrypted, or encrypted = false
#   Good: Encrypted: true (optionally KmsKeyId) / encrypted = true (optionally kms_key_id)
#   References: https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-volume.html
# custom:
#   id: WA-SEC08-EBS-VOLUME-ENCRYPTION
#   severity: high
#   best_practices: [SEC08-BP02]
#   resource_types: [AWS::EC2::Volume, aws_ebs_volume]
#   recommended_action: Set Encrypted (CloudFormation) or encrypted (Terraform) to true, and enable EBS encryption by default in every account and Region.
package walint.rules.ebs_volume_encryption

import rego.v1

import data.walint.lib

# Per origin: [type, encryption key, snapshot key].
targets := [
	["AWS::EC2::Volume", "Encrypted", "SnapshotId"],
	["aws_ebs_volume", "encrypted", "snapshot_id"],
]

volumes contains [address, attrs, t[1], t[2]] if {
	some t in targets
	some address in lib.resources_of(t[0])
	attrs := lib.resource(address).attrs
}

# The Terraform module turns on account-level EBS encryption by default.
default_encryption_on if {
	some address in lib.resources_of("aws_ebs_encryption_by_default")
	not lib.is_false(object.get(lib.resource(address).attrs, "enabled", true))
	not lib.is_unknown(object.get(lib.resource(address).attrs, "enabled", true))
}

default_encryption_unknown if {
	some address in lib.resources_of("aws_ebs_encryption_by_default")
	lib.is_unknown(lib.resource(address).attrs.enabled)
}

absent(attrs, key, snap) if {
	not lib.present(attrs, key)
	not lib.present(attrs, snap)
}

deny contains r if {
	some [address, attrs, key, snap] in volumes
	absent(attrs, key, snap)
	not default_encryption_on
	not default_encryption_unknown
	r := lib.result(address, [key], sprintf("%s is not set: the volume is unencrypted unless the account enables EBS encryption by default", [key]))
}

deny contains r if {
	some [address, attrs, key, snap] in volumes
	lib.is_false(attrs[key])
	not lib.present(attrs, snap)
	r := lib.result(address, [key], sprintf("%s is %s: the volume is unencrypted", [key, lib.show(attrs[key])]))
}

unknown contains r if {
	some [address, attrs, key, _] in volumes
	lib.is_unknown(attrs[key])
	r := lib.result(address, [key], sprintf("%s is not known statically (%s)", [key, lib.unknown_reason(attrs[key])]))
}

unknown contains r if {
	some [address, attrs, key, snap] in volumes
	absent(attrs, key, snap)
	not default_encryption_on
	default_encryption_unknown
	r := lib.result(address, [key], sprintf("%s is not set and aws_ebs_encryption_by_default.enabled is not known statically", [key]))
}

unknown contains r if {
	some [address, attrs, key, snap] in volumes
	lib.present(attrs, snap)
	not lib.is_true(object.get(attrs, key, null))
	not lib.is_unknown(object.get(attrs, key, null))
	r := lib.result(address, [snap], sprintf("created from a snapshot (%s) without %s = true: encryption is inherited from the snapshot and cannot be verified", [snap, key]))
}
