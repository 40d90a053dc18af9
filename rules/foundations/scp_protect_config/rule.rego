# METADATA
# title: No service control policy prevents disabling AWS Config
# description: |
#   What it checks: when a unit defines service control policies (AWS::Organizations::Policy
#   with Type SERVICE_CONTROL_POLICY, Terraform aws_organizations_policy), the SCPs that apply to
#   each attachment target (the target's own and those of its parent OUs and root; all SCPs of
#   the unit together when no attachment is visible) must deny config:StopConfigurationRecorder,
#   config:DeleteConfigurationRecorder, config:DeleteDeliveryChannel and
#   config:PutConfigurationRecorder: a Deny whose Action matches (config:* counts) or whose
#   NotAction does not exclude them, on Resource "*", with at most a condition exempting
#   principals (the Config administration role). Units without SCPs are not checked.
#   Why it matters: stopping or reconfiguring the recorder, or deleting its delivery channel,
#   silently ends the configuration history that detective controls and audits rely on
#   (SEC03-BP05, SEC04-BP01).
#   Bad (CloudFormation): SCPs that deny only config:DeleteConfigRule
#   Bad (Terraform): aws_organizations_policy content without a Deny of config:StopConfigurationRecorder
#   Good: {Effect: Deny, Action: [config:StopConfigurationRecorder, config:DeleteConfigurationRecorder, config:DeleteDeliveryChannel, config:PutConfigurationRecorder], Resource: "*", Condition: {ArnNotLike: {aws:PrincipalArn: arn:aws:iam::*:role/ConfigAdmin}}}
#   References: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_config.html
#   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
# custom:
#   id: WA-SEC04-SCP-PROTECT-CONFIG
#   severity: high
#   best_practices: [SEC03-BP05, SEC04-BP01]
#   resource_types: [AWS::Organizations::Policy, aws_organizations_policy, aws_organizations_policy_attachment]
#   recommended_action: Add a Deny of config:StopConfigurationRecorder, DeleteConfigurationRecorder, DeleteDeliveryChannel and PutConfigurationRecorder on Resource "*" to an SCP attached to the root, exempting only the Config administration role.
package walint.rules.scp_protect_config

import rego.v1

import data.walint.lib.scp

required := [
	"config:StopConfigurationRecorder",
	"config:DeleteConfigurationRecorder",
	"config:DeleteDeliveryChannel",
	"config:PutConfigurationRecorder",
]

deny contains r if some r in scp.fails(scp.required_findings(required))

unknown contains r if some r in scp.unknowns(scp.required_findings(required))
