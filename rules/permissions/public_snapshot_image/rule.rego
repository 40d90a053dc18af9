# METADATA
# title: Machine image or snapshot is shared publicly
# description: |
#   What it checks: AMI launch permissions and snapshot sharing must not include the group
#   "all" (every AWS account): Terraform aws_ami_launch_permission.group,
#   aws_db_snapshot.shared_accounts, aws_imagebuilder_distribution_configuration
#   distribution[].ami_distribution_configuration[].launch_permission[].user_groups;
#   CloudFormation AWS::ImageBuilder::DistributionConfiguration
#   Distributions[].AmiDistributionConfiguration.LaunchPermissionConfiguration.UserGroups.
#   Absent means private (the default). A value that is not known statically gives unknown.
#   The account-level guards (aws_ec2_image_block_public_access, aws_ebs_snapshot_block_public_access)
#   are recommended but not checked here.
#   Why it matters: a public AMI or database snapshot can be copied by anyone; images and
#   snapshots routinely hold credentials, keys and customer data (SEC03-BP07, SEC08-BP04).
#   Bad (CloudFormation): LaunchPermissionConfiguration: {UserGroups: [all]}
#   Bad (Terraform): aws_ami_launch_permission { image_id = "ami-123", group = "all" }
#   Good: share with named accounts or organization ARNs (account_id, UserIds, OrganizationArns)
#   References: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-intro.html
#   https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ShareSnapshot.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-imagebuilder-distributionconfiguration-launchpermissionconfiguration.html
# custom:
#   id: WA-SEC03-MULTI-PUBLIC-SNAPSHOT-IMAGE
#   severity: critical
#   best_practices: [SEC03-BP07, SEC08-BP04]
#   resource_types: [AWS::ImageBuilder::DistributionConfiguration, aws_ami_launch_permission, aws_db_snapshot, aws_imagebuilder_distribution_configuration]
#   recommended_action: Share the image or snapshot with specific account IDs or an organization instead of "all", and enable the account's block-public-access setting for AMIs and snapshots.
package walint.rules.public_snapshot_image

import rego.v1

import data.walint.lib

# [address, path, value, what]: every place naming who an image or snapshot is shared with.
shares contains [a, ["group"], attrs.group, "AMI launch permission"] if {
	some a in lib.managed_of("aws_ami_launch_permission")
	attrs := lib.resource(a).attrs
	lib.present(attrs, "group")
}

shares contains [a, path, v, "RDS snapshot"] if {
	some a in lib.managed_of("aws_db_snapshot")
	some e in elements(lib.resource(a).attrs, "shared_accounts", [])
	path := e.path
	v := e.value
}

shares contains [a, path, v, "Image Builder distribution"] if {
	some a in lib.managed_of("aws_imagebuilder_distribution_configuration")
	some i, d in lib.iter(object.get(lib.resource(a).attrs, "distribution", []))
	some j, ami in lib.iter(lib.get(d, "ami_distribution_configuration", []))
	some k, lp in lib.iter(lib.get(ami, "launch_permission", []))
	some e in elements(lp, "user_groups", ["distribution", i, "ami_distribution_configuration", j, "launch_permission", k])
	path := e.path
	v := e.value
}

shares contains [a, path, v, "Image Builder distribution"] if {
	some a in lib.managed_of("AWS::ImageBuilder::DistributionConfiguration")
	some i, d in lib.iter(object.get(lib.resource(a).attrs, "Distributions", []))
	lpc := d.AmiDistributionConfiguration.LaunchPermissionConfiguration
	some e in elements(lpc, "UserGroups", ["Distributions", i, "AmiDistributionConfiguration", "LaunchPermissionConfiguration"])
	path := e.path
	v := e.value
}

elements(obj, key, path) := [{"path": array.concat(path, [key, j]), "value": v} | some j, v in obj[key]] if {
	is_array(obj[key])
} else := [{"path": array.concat(path, [key]), "value": obj[key]}] if {
	lib.present(obj, key)
}

deny contains r if {
	some [a, path, v, what] in shares
	is_string(v)
	lib.lower_of(v) == "all"
	r := lib.result(a, path, sprintf("the %s shares with \"all\": every AWS account can copy it", [what]))
}

unknown contains r if {
	some [a, path, v, what] in shares
	lib.is_unknown(v)
	r := lib.result(a, path, sprintf("who the %s is shared with is not known statically (%s)", [what, lib.unknown_reason(v)]))
}
