# METADATA
# title: Service control policy breaks the SCP syntax or size limits
# description: |
#   What it checks: each service control policy (AWS::Organizations::Policy with Type
#   SERVICE_CONTROL_POLICY, Terraform aws_organizations_policy) must have Version "2012-10-17";
#   no statement may name a Principal or NotPrincipal (not supported in SCPs); every statement
#   needs an Effect and an Action or NotAction; the minified document must stay within 5,120
#   characters. SCPs accept the full IAM language since 2025, so an Allow with NotAction or
#   NotResource is valid, but it is reported too because it allows far more than it appears to.
#   A policy of another type (TAG_POLICY, BACKUP_POLICY, …) whose content holds IAM statements
#   was most likely meant to be an SCP and is reported on its Type.
#   Why it matters: Organizations rejects an invalid SCP at deploy time, or, worse, a policy of
#   the wrong type is accepted and enforces nothing (SEC03-BP05).
#   Bad (CloudFormation): Content: {Statement: [{Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*"}]}
#   Bad (Terraform): content without Version, or a statement without Effect
#   Good: Content: {Version: "2012-10-17", Statement: [{Effect: Deny, Action: organizations:LeaveOrganization, Resource: "*"}]}
#   References: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
#   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
# custom:
#   id: WA-SEC03-SCP-SYNTAX
#   severity: medium
#   best_practices: [SEC03-BP05]
#   resource_types: [AWS::Organizations::Policy, aws_organizations_policy]
#   recommended_action: Fix the SCP to the documented grammar (Version 2012-10-17, Effect and Action or NotAction in every statement, no Principal), split it when it exceeds 5,120 characters, and set Type SERVICE_CONTROL_POLICY on policies holding IAM statements.
package walint.rules.scp_syntax

import rego.v1

import data.walint.lib
import data.walint.lib.iam
import data.walint.lib.scp

max_size := 5120

known_doc(rec) if {
	is_object(rec.content)
	not lib.is_unknown(rec.content)
}

deny contains r if {
	some rec in data.walint.lib.scp.scp_records
	known_doc(rec)
	not lib.present(rec.content, "Version")
	r := lib.result(rec.address, array.concat(rec.path, ["Version"]), "Version is not set: SCPs must use Version \"2012-10-17\"")
}

deny contains r if {
	some rec in data.walint.lib.scp.scp_records
	known_doc(rec)
	v := rec.content.Version
	is_string(v)
	v != "2012-10-17"
	r := lib.result(rec.address, array.concat(rec.path, ["Version"]), sprintf("Version %s is not supported: SCPs must use Version \"2012-10-17\"", [lib.show(v)]))
}

deny contains r if {
	some rec in data.walint.lib.scp.scp_records
	is_string(rec.content)
	r := lib.result(rec.address, rec.path, "the content is not a JSON policy document")
}

deny contains r if {
	some rec in data.walint.lib.scp.scp_records
	known_doc(rec)
	size := count(json.marshal(rec.content))
	size > max_size
	r := lib.result(rec.address, rec.path, sprintf("the policy is %d characters long once minified, over the SCP limit of %d", [size, max_size]))
}

deny contains r if {
	some rec in data.walint.lib.scp.scp_records
	some s in iam.statements({"path": rec.path, "doc": rec.content})
	some key in ["Principal", "NotPrincipal"]
	lib.has(s.stmt, key)
	r := lib.result(rec.address, array.concat(s.path, [key]), sprintf("%s is not supported in service control policies", [key]))
}

deny contains r if {
	some rec in data.walint.lib.scp.scp_records
	some s in iam.statements({"path": rec.path, "doc": rec.content})
	not lib.present(s.stmt, "Effect")
	r := lib.result(rec.address, array.concat(s.path, ["Effect"]), "the statement has no Effect")
}

deny contains r if {
	some rec in data.walint.lib.scp.scp_records
	some s in iam.statements({"path": rec.path, "doc": rec.content})
	not lib.present(s.stmt, "Action")
	not lib.present(s.stmt, "NotAction")
	r := lib.result(rec.address, array.concat(s.path, ["Action"]), "the statement has neither Action nor NotAction")
}

deny contains r if {
	some rec in data.walint.lib.scp.scp_records
	some s in iam.statements({"path": rec.path, "doc": rec.content})
	s.stmt.Effect == "Allow"
	some key in ["NotAction", "NotResource"]
	lib.present(s.stmt, key)
	r := lib.result(rec.address, array.concat(s.path, [key]), sprintf("Allow with %s allows everything not listed, far more than it appears to", [key]))
}

# Policies of another type whose content holds IAM statements.
deny contains r if {
	some address in lib.resources_of("AWS::Organizations::Policy")
	attrs := lib.resource(address).attrs
	is_string(attrs.Type)
	attrs.Type != data.walint.lib.scp.scp_type
	lib.present(attrs.Content, "Statement")
	r := lib.result(address, ["Type"], sprintf("a %s whose content holds IAM Statement entries: service control policies need Type SERVICE_CONTROL_POLICY", [attrs.Type]))
}

deny contains r if {
	some address in lib.resources_of("aws_organizations_policy")
	attrs := lib.resource(address).attrs
	is_string(attrs.type)
	attrs.type != data.walint.lib.scp.scp_type
	lib.present(attrs.content, "Statement")
	r := lib.result(address, ["type"], sprintf("a %s whose content holds IAM Statement entries: service control policies need type SERVICE_CONTROL_POLICY", [attrs.type]))
}

unknown contains r if {
	some rec in data.walint.lib.scp.scp_records
	lib.is_unknown(rec.content)
	r := lib.result(rec.address, rec.path, sprintf("the policy content is not known statically (%s)", [lib.unknown_reason(rec.content)]))
}
