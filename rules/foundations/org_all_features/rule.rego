# METADATA
# title: Organization does not have all features and SCPs enabled
# description: |
#   What it checks: an AWS Organizations organization (AWS::Organizations::Organization,
#   aws_organizations_organization) must not set its feature set to CONSOLIDATED_BILLING;
#   absent means ALL, the default, and passes. In Terraform, when the unit defines service
#   control policies, enabled_policy_types must include SERVICE_CONTROL_POLICY (absent fails
#   then, since SCPs cannot be attached until the policy type is enabled on the root).
#   Why it matters: with consolidated billing only, no organization policy (SCP, RCP,
#   declarative policy) can be used, so none of the organization guardrails exist
#   (SEC01-BP01, SEC03-BP05).
#   Bad (CloudFormation): FeatureSet: CONSOLIDATED_BILLING
#   Bad (Terraform): feature_set = "CONSOLIDATED_BILLING", or SCPs defined while enabled_policy_types omits SERVICE_CONTROL_POLICY
#   Good: FeatureSet: ALL / feature_set = "ALL" with enabled_policy_types = ["SERVICE_CONTROL_POLICY"]
#   References: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_org_support-all-features.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-organizations-organization.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_organization
# custom:
#   id: WA-SEC01-ORG-ALL-FEATURES
#   severity: medium
#   best_practices: [SEC01-BP01, SEC03-BP05]
#   resource_types: [AWS::Organizations::Organization, aws_organizations_organization]
#   recommended_action: Enable all features in the organization (FeatureSet ALL) and enable the SERVICE_CONTROL_POLICY policy type on the root.
package walint.rules.org_all_features

import rego.v1

import data.walint.lib
import data.walint.lib.scp

orgs contains [address, "FeatureSet"] if some address in lib.resources_of("AWS::Organizations::Organization")

orgs contains [address, "feature_set"] if some address in lib.resources_of("aws_organizations_organization")

deny contains r if {
	some [address, key] in orgs
	v := lib.resource(address).attrs[key]
	is_string(v)
	lib.upper_of(v) == "CONSOLIDATED_BILLING"
	r := lib.result(address, [key], sprintf("%s is CONSOLIDATED_BILLING: no service control policy or other organization policy can be used", [key]))
}

unknown contains r if {
	some [address, key] in orgs
	v := lib.resource(address).attrs[key]
	lib.is_unknown(v)
	r := lib.result(address, [key], sprintf("%s is not known statically (%s)", [key, lib.unknown_reason(v)]))
}

deny contains r if {
	count(data.walint.lib.scp.scps) > 0
	some address in lib.resources_of("aws_organizations_organization")
	attrs := lib.resource(address).attrs
	not lib.is_unknown(object.get(attrs, "enabled_policy_types", []))
	not data.walint.lib.scp.scp_type in object.get(attrs, "enabled_policy_types", [])
	not lib.upper_of(object.get(attrs, "feature_set", "ALL")) == "CONSOLIDATED_BILLING"
	r := lib.result(address, ["enabled_policy_types"], sprintf("the unit defines service control policies but enabled_policy_types does not include SERVICE_CONTROL_POLICY (%s checked)", [data.walint.lib.scp.scp_count]))
}
