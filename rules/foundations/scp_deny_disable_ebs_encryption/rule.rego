# METADATA
# title: No service control policy prevents turning off EBS encryption by default
# description: |
#   What it checks: when a unit defines service control policies (AWS::Organizations::Policy
#   with Type SERVICE_CONTROL_POLICY, Terraform aws_organizations_policy), the SCPs that apply to
#   each attachment target (all SCPs of the unit together when no attachment is visible) must
#   deny ec2:DisableEbsEncryptionByDefault (a Deny whose Action matches it or whose NotAction does
#   not exclude it, on Resource "*", with at most a principal exemption). Also accepted: a Deny
#   of ec2:CreateVolume with the condition Bool ec2:Encrypted "false", which refuses unencrypted
#   volumes whatever the account default. Units without SCPs are not checked.
#   Why it matters: EBS encryption by default is an account setting outside any template; one
#   API call in a member account turns it off and new volumes and snapshots are then stored in
#   plaintext (SEC03-BP05, SEC08-BP03).
#   Bad (CloudFormation): SCPs without a Deny of ec2:DisableEbsEncryptionByDefault
#   Bad (Terraform): aws_organizations_policy content whose Deny excludes ec2:* through NotAction
#   Good: {Effect: Deny, Action: ec2:DisableEbsEncryptionByDefault, Resource: "*"}
#   References: https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html
#   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_ec2.html
# custom:
#   id: WA-SEC08-SCP-DENY-DISABLE-EBS-ENCRYPTION
#   severity: medium
#   best_practices: [SEC03-BP05, SEC08-BP03]
#   resource_types: [AWS::Organizations::Policy, aws_organizations_policy, aws_organizations_policy_attachment]
#   recommended_action: Add a Deny of ec2:DisableEbsEncryptionByDefault (and ec2:ModifyEbsDefaultKmsKeyId, ec2:ResetEbsDefaultKmsKeyId) on Resource "*" to an SCP attached to the root.
package walint.rules.scp_deny_disable_ebs_encryption

import rego.v1

import data.walint.lib
import data.walint.lib.scp

# A Deny of ec2:CreateVolume when the request is not encrypted.
unencrypted_volumes_denied(stmts) if {
	some stmt in stmts
	scp.action_covered(stmt, "ec2:CreateVolume")
	scp.resource_all(stmt)
	some op, kv in lib.iter(stmt.Condition)
	regex.match(`^bool(ifexists)?$`, lib.lower_of(op))
	some key, value in lib.iter(kv)
	lib.lower_of(key) == "ec2:encrypted"
	some x in lib.as_list(value)
	lib.is_false(x)
}

protected(stmts) if scp.covered_in(stmts, "ec2:DisableEbsEncryptionByDefault")

protected(stmts) if unencrypted_volumes_denied(stmts)

findings contains f if {
	some v in data.walint.lib.scp.views
	not protected(scp.view_denies(v))
	f := scp.finding(v, "denies ec2:DisableEbsEncryptionByDefault", "is known to deny ec2:DisableEbsEncryptionByDefault")
}

deny contains r if some r in scp.fails(findings)

unknown contains r if some r in scp.unknowns(findings)
