# METADATA
# title: EBS block device of an instance or launch template is not encrypted
# description: |
#   What it checks: Every EBS block-device mapping written on an instance, launch template or
#   launch configuration sets Encrypted / encrypted to true: CloudFormation
#   BlockDeviceMappings[].Ebs.Encrypted on AWS::EC2::Instance, AWS::EC2::LaunchTemplate
#   (LaunchTemplateData) and AWS::AutoScaling::LaunchConfiguration; Terraform root_block_device /
#   ebs_block_device on aws_instance and aws_launch_configuration, block_device_mappings[].ebs on
#   aws_launch_template. Absent fails (the default is unencrypted) unless the Terraform module
#   enables aws_ebs_encryption_by_default; mappings restored from a snapshot inherit its
#   encryption and are skipped; a root volume with no mapping inherits the AMI's snapshot and is
#   not judged.
#   Why it matters: instance volumes hold application data, logs and credentials; unencrypted
#   volumes and their snapshots are readable by anyone who obtains or is shared the storage
#   (SEC08-BP02).
#   Bad (CloudFormation): BlockDeviceMappings: [{DeviceName: /dev/xvda, Ebs: {VolumeSize: 20}}]
#   Bad (Terraform): root_block_device { volume_size = 20 } without encrypted = true
#   Good: Ebs: {VolumeSize: 20, Encrypted: true} / root_block_device { encrypted = true }
#   References: https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ec2-launchtemplate-ebs.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/instance#ebs-ephemeral-and-root-block-devices
# custom:
#   id: WA-SEC08-EC2-BLOCK-DEVICE-ENCRYPTION
#   severity: high
#   best_practices: [SEC08-BP02]
#   resource_types: [AWS::EC2::Instance, AWS::EC2::LaunchTemplate, AWS::AutoScaling::LaunchConfiguration, aws_instance, aws_launch_template, aws_launch_configuration]
#   recommended_action: Set Encrypted / encrypted = true on every EBS block device (ideally with a customer-managed KMS key), and turn on EBS encryption by default for the account and region.
package walint.rules.ec2_block_device_encryption

import rego.v1

import data.walint.lib
import data.walint.lib.setting


# The Terraform module turns on account-level EBS encryption by default.
default_encryption_on if {
	some a in lib.resources_of("aws_ebs_encryption_by_default")
	lib.is_true(object.get(lib.resource(a).attrs, "enabled", true))
}

# [address, path of the EBS settings object]
devices contains [a, array.concat(base, [i, "Ebs"])] if {
	some [t, base] in [
		["AWS::EC2::Instance", ["BlockDeviceMappings"]],
		["AWS::AutoScaling::LaunchConfiguration", ["BlockDeviceMappings"]],
		["AWS::EC2::LaunchTemplate", ["LaunchTemplateData", "BlockDeviceMappings"]],
	]
	some a in lib.managed_of(t)
	some i, m in lib.iter(object.get(lib.resource(a).attrs, base, []))
	lib.present(m, "Ebs")
}

devices contains [a, [key, i]] if {
	some t in ["aws_instance", "aws_launch_configuration"]
	some a in lib.managed_of(t)
	some key in ["root_block_device", "ebs_block_device"]
	some i, _ in lib.iter(object.get(lib.resource(a).attrs, key, []))
}

devices contains [a, ["block_device_mappings", i, "ebs", 0]] if {
	some a in lib.managed_of("aws_launch_template")
	some i, m in lib.iter(object.get(lib.resource(a).attrs, "block_device_mappings", []))
	count(lib.iter(lib.get(m, "ebs", []))) > 0
}

outcomes contains o if {
	some [a, base] in devices
	attrs := lib.resource(a).attrs
	ebs := object.get(attrs, base, {})
	not from_snapshot(ebs)
	key := encrypted_key(base)
	l := setting.lookup(attrs, array.concat(base, [key]))
	o := device_outcome(a, l)
}

encrypted_key(base) := "Encrypted" if "Ebs" in base

encrypted_key(base) := "encrypted" if not "Ebs" in base

from_snapshot(ebs) if lib.present(ebs, "SnapshotId")

from_snapshot(ebs) if lib.present(ebs, "snapshot_id")

device_outcome(a, l) := setting.unknown_outcome(a, l) if {
	l.state == "unknown"
} else := ["fail", lib.result(a, l.path, sprintf("%s is not set: the volume is unencrypted unless the account enables EBS encryption by default", [setting.name(l.path)]))] if {
	l.state == "absent"
	not default_encryption_on
} else := ["fail", lib.result(a, l.path, sprintf("%s is %s: the volume is unencrypted", [setting.name(l.path), lib.show(l.value)]))] if {
	l.state == "value"
	not lib.is_true(l.value)
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
