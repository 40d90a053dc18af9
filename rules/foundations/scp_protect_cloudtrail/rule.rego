# METADATA
# title: No service control policy protects CloudTrail
# description: |
#   What it checks: when a unit defines service control policies (AWS::Organizations::Policy
#   with Type SERVICE_CONTROL_POLICY, Terraform aws_organizations_policy), together they must
#   deny cloudtrail:StopLogging, cloudtrail:DeleteTrail, cloudtrail:UpdateTrail and
#   cloudtrail:PutEventSelectors: Deny statements whose Action matches them (wildcards such as
#   cloudtrail:*, cloudtrail:Stop* or * count) or whose NotAction does not exclude them, on
#   Resource "*", with at most a condition exempting principals (e.g. ArnNotLike
#   aws:PrincipalArn for a security role). Units without SCPs are not checked. The finding lists
#   the actions left uncovered, once, on the first SCP by address, the others as related.
#   Why it matters: an attacker's first move is to stop or redirect the audit trail; a
#   guardrail keeps even account administrators from doing it (SEC03-BP05, SEC04-BP01).
#   Bad (CloudFormation): SCPs that never deny cloudtrail:StopLogging / DeleteTrail
#   Bad (Terraform): aws_organizations_policy content without such a Deny
#   Good: {Effect: Deny, Action: [cloudtrail:StopLogging, cloudtrail:DeleteTrail, cloudtrail:UpdateTrail, cloudtrail:PutEventSelectors], Resource: "*"}
#   References: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_cloudtrail.html
#   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
# custom:
#   id: WA-SEC04-SCP-PROTECT-CLOUDTRAIL
#   severity: high
#   best_practices: [SEC03-BP05, SEC04-BP01]
#   resource_types: [AWS::Organizations::Policy, aws_organizations_policy]
#   recommended_action: Add a Deny statement for cloudtrail:StopLogging, DeleteTrail, UpdateTrail and PutEventSelectors on Resource "*" to an SCP attached to the organization root, exempting only the security team's role.
package walint.rules.scp_protect_cloudtrail

import rego.v1

import data.walint.lib
import data.walint.lib.scp

required := [
	"cloudtrail:StopLogging",
	"cloudtrail:DeleteTrail",
	"cloudtrail:UpdateTrail",
	"cloudtrail:PutEventSelectors",
]

deny contains r if some r in scp.fails(scp.required_findings(required))

unknown contains r if some r in scp.unknowns(scp.required_findings(required))
