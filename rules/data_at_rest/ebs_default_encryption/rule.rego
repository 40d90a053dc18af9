# METADATA
# title: EBS encryption by default is turned off
# description: |
#   What it checks: Terraform aws_ebs_encryption_by_default sets the account and Region setting
#   that encrypts every new EBS volume and snapshot copy; enabled = false turns it off and fails
#   (absent enabled means true). CloudFormation has no resource type for this setting, so it
#   cannot be checked there; enforce it with an SCP (WA-SEC08-SCP-DENY-DISABLE-EBS-ENCRYPTION)
#   or AWS Control Tower.
#   Why it matters: with encryption by default off, any volume created without Encrypted: true —
#   by a template, the console or an Auto Scaling launch — is stored unencrypted (SEC08-BP03).
#   Bad (Terraform): resource "aws_ebs_encryption_by_default" "this" { enabled = false }
#   Good (Terraform): resource "aws_ebs_encryption_by_default" "this" { enabled = true }
#   References: https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ebs_encryption_by_default
# custom:
#   id: WA-SEC08-EBS-DEFAULT-ENCRYPTION
#   severity: medium
#   best_practices: [SEC08-BP03]
#   resource_types: [aws_ebs_encryption_by_default]
#   recommended_action: Set enabled = true on aws_ebs_encryption_by_default (or omit it; the default is true).
package walint.rules.ebs_default_encryption

import rego.v1

import data.walint.lib

deny contains r if {
	some a in lib.managed_of("aws_ebs_encryption_by_default")
	v := object.get(lib.resource(a).attrs, "enabled", null)
	lib.is_false(v)
	r := lib.result(a, ["enabled"], "enabled is false: new EBS volumes in this account and Region are not encrypted unless each one asks for it")
}

unknown contains r if {
	some a in lib.managed_of("aws_ebs_encryption_by_default")
	v := object.get(lib.resource(a).attrs, "enabled", null)
	lib.is_unknown(v)
	r := lib.result(a, ["enabled"], sprintf("enabled is not known statically (%s)", [lib.unknown_reason(v)]))
}
