# METADATA
# title: No service control policy prevents disabling security services
# description: |
#   What it checks: when a unit defines service control policies (AWS::Organizations::Policy
#   with Type SERVICE_CONTROL_POLICY, Terraform aws_organizations_policy), the SCPs that apply to
#   each attachment target (all SCPs of the unit together when no attachment is visible) must
#   deny the actions that switch off the other security services: securityhub:DisableSecurityHub,
#   securityhub:DeleteMembers, access-analyzer:DeleteAnalyzer, macie2:DisableMacie,
#   detective:DeleteGraph, inspector2:Disable, s3:PutAccountPublicAccessBlock and
#   iam:DeleteAccountPasswordPolicy (a Deny whose Action matches or whose NotAction does not
#   exclude them, on Resource "*", with at most a principal exemption). The list can be replaced
#   in the configuration (`data.walint.config.scp_security_service_actions`, a list of actions).
#   Units without SCPs are not checked.
#   Why it matters: Security Hub, IAM Access Analyzer, Macie, Detective and Inspector are how the
#   organization sees what happens in member accounts; account-level S3 Block Public Access and
#   the password policy are preventive baselines. A member-account administrator should not be
#   able to remove them (SEC03-BP05, SEC04-BP02).
#   Bad (CloudFormation): SCPs that deny only securityhub:DisableSecurityHub
#   Bad (Terraform): aws_organizations_policy content without a Deny of access-analyzer:DeleteAnalyzer
#   Good: {Effect: Deny, Action: [securityhub:DisableSecurityHub, securityhub:DeleteMembers, access-analyzer:DeleteAnalyzer, macie2:DisableMacie, detective:DeleteGraph, inspector2:Disable, s3:PutAccountPublicAccessBlock, iam:DeleteAccountPasswordPolicy], Resource: "*"}
#   References: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples.html
#   https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
# custom:
#   id: WA-SEC04-SCP-PROTECT-SECURITY-SERVICES
#   severity: medium
#   best_practices: [SEC03-BP05, SEC04-BP02]
#   resource_types: [AWS::Organizations::Policy, aws_organizations_policy, aws_organizations_policy_attachment]
#   recommended_action: Add a Deny of the actions that disable Security Hub, Access Analyzer, Macie, Detective, Inspector, account S3 Block Public Access and the password policy to an SCP attached to the root, exempting only the security administration role.
package walint.rules.scp_protect_security_services

import rego.v1

import data.walint.lib.scp

default_actions := [
	"securityhub:DisableSecurityHub",
	"securityhub:DeleteMembers",
	"access-analyzer:DeleteAnalyzer",
	"macie2:DisableMacie",
	"detective:DeleteGraph",
	"inspector2:Disable",
	"s3:PutAccountPublicAccessBlock",
	"iam:DeleteAccountPasswordPolicy",
]

# The configured list, when `data.walint.config.scp_security_service_actions` is a list.
configured := data.walint.config.scp_security_service_actions

required := configured if is_array(configured)

required := default_actions if not is_array(configured)

deny contains r if some r in scp.fails(scp.required_findings(required))

unknown contains r if some r in scp.unknowns(scp.required_findings(required))
