# METADATA
# title: No service control policy prevents leaving the organization
# description: |
#   What it checks: when a unit defines service control policies (AWS::Organizations::Policy
#   with Type SERVICE_CONTROL_POLICY, Terraform aws_organizations_policy), one of them must
#   deny organizations:LeaveOrganization: a Deny statement whose Action matches it (wildcards
#   such as organizations:* or * count) or whose NotAction does not exclude it, on Resource "*",
#   with at most a condition exempting principals (e.g. ArnNotLike aws:PrincipalArn). Units
#   without SCPs are not checked. The finding is reported once, on the first SCP by address,
#   with the other SCPs as related locations.
#   Why it matters: a member account that leaves the organization drops every SCP, the
#   organization trail and centralized security services at once (SEC03-BP05, SEC01-BP01).
#   Bad (CloudFormation): SCPs whose statements never deny organizations:LeaveOrganization
#   Bad (Terraform): aws_organizations_policy content without such a Deny
#   Good: {Effect: Deny, Action: organizations:LeaveOrganization, Resource: "*"} in an SCP attached to the root or the OUs
#   References: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html
#   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
# custom:
#   id: WA-SEC03-SCP-DENY-LEAVE-ORG
#   severity: high
#   best_practices: [SEC03-BP05, SEC01-BP01]
#   resource_types: [AWS::Organizations::Policy, aws_organizations_policy]
#   recommended_action: Add a Deny statement for organizations:LeaveOrganization on Resource "*" to an SCP attached to the organization root.
package walint.rules.scp_deny_leave_org

import rego.v1

import data.walint.lib
import data.walint.lib.scp

required := ["organizations:LeaveOrganization"]

deny contains r if some r in scp.fails(scp.required_findings(required))

unknown contains r if some r in scp.unknowns(scp.required_findings(required))
