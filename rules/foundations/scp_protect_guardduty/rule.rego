# METADATA
# title: No service control policy prevents disabling GuardDuty
# description: |
#   What it checks: when a unit defines service control policies (AWS::Organizations::Policy
#   with Type SERVICE_CONTROL_POLICY, Terraform aws_organizations_policy), the SCPs that apply to
#   each attachment target (the target's own and those of its parent OUs and root; all SCPs of
#   the unit together when no attachment is visible) must deny guardduty:DeleteDetector,
#   DisassociateFromAdministratorAccount, DisassociateFromMasterAccount, UpdateDetector,
#   DeleteMembers, StopMonitoringMembers, CreateFilter, UpdateFilter, DeleteIPSet and
#   DeletePublishingDestination: a Deny whose Action matches (guardduty:* counts) or whose
#   NotAction does not exclude them, on Resource "*", with at most a condition exempting
#   principals (e.g. ArnNotLike aws:PrincipalArn for the security role). Units without SCPs are
#   not checked. The finding lists the actions no Deny covers.
#   Why it matters: a compromised member-account administrator disables or blinds GuardDuty
#   (deleting the detector, leaving the administrator account, adding suppression filters or
#   removing the publishing destination) before acting (SEC03-BP05, SEC04-BP01).
#   Bad (CloudFormation): SCPs whose Deny statements do not cover guardduty:DeleteDetector
#   Bad (Terraform): aws_organizations_policy content denying only guardduty:DeleteDetector
#   Good: {Effect: Deny, Action: [guardduty:Delete*, guardduty:Disassociate*, guardduty:UpdateDetector, guardduty:StopMonitoringMembers, guardduty:CreateFilter, guardduty:UpdateFilter], Resource: "*", Condition: {ArnNotLike: {aws:PrincipalArn: arn:aws:iam::*:role/SecurityAdmin}}}
#   References: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_guardduty.html
#   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
# custom:
#   id: WA-SEC04-SCP-PROTECT-GUARDDUTY
#   severity: high
#   best_practices: [SEC03-BP05, SEC04-BP01]
#   resource_types: [AWS::Organizations::Policy, aws_organizations_policy, aws_organizations_policy_attachment]
#   recommended_action: Add a Deny of the GuardDuty actions that delete, disassociate, stop or filter detection, on Resource "*", to an SCP attached to the root or to every OU, exempting only the security administration role.
package walint.rules.scp_protect_guardduty

import rego.v1

import data.walint.lib.scp

required := [
	"guardduty:DeleteDetector",
	"guardduty:DisassociateFromAdministratorAccount",
	"guardduty:DisassociateFromMasterAccount",
	"guardduty:UpdateDetector",
	"guardduty:DeleteMembers",
	"guardduty:StopMonitoringMembers",
	"guardduty:CreateFilter",
	"guardduty:UpdateFilter",
	"guardduty:DeleteIPSet",
	"guardduty:DeletePublishingDestination",
]

deny contains r if some r in scp.fails(scp.required_findings(required))

unknown contains r if some r in scp.unknowns(scp.required_findings(required))
