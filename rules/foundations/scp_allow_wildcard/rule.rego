# METADATA
# title: Service control policy allows everything or whole sensitive services
# description: |
#   What it checks: each service control policy (AWS::Organizations::Policy with Type
#   SERVICE_CONTROL_POLICY, Terraform aws_organizations_policy) is read for two patterns:
#   (a) the SCP has no Deny statement and allows Action "*" on Resource "*": it is a copy of the
#   AWS-managed FullAWSAccess policy and sets no guardrail at all; (b) an Allow of a whole
#   sensitive service (iam:*, organizations:*, kms:*, sts:*) on Resource "*": in an allow-list
#   strategy (FullAWSAccess detached) this passes every permission-management action of the
#   service to every account below the target.
#   Why it matters: an SCP only limits what accounts can do; a policy that allows everything
#   and denies nothing looks like a guardrail in reviews but restricts nothing, and broad allows
#   defeat an allow-list design (SEC03-BP05, SEC03-BP02).
#   Bad (CloudFormation): Content: {Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
#   Bad (Terraform): Statement = [{Effect = "Allow", Action = ["iam:*"], Resource = "*"}]
#   Good: an allow list of the services in use (ec2:*, s3:*, …) plus Deny statements for the guardrails
#   References: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
#   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_strategies.html
# custom:
#   id: WA-SEC03-SCP-ALLOW-WILDCARD
#   severity: medium
#   best_practices: [SEC03-BP05, SEC03-BP02]
#   resource_types: [AWS::Organizations::Policy, aws_organizations_policy]
#   recommended_action: Make each SCP state a guardrail (Deny statements), or in an allow-list strategy allow only the services the accounts need and keep iam, organizations, kms and sts limited to the actions required.
package walint.rules.scp_allow_wildcard

import rego.v1

import data.walint.lib
import data.walint.lib.iam
import data.walint.lib.scp

sensitive := {"iam:*", "organizations:*", "kms:*", "sts:*"}

resource_star(stmt) if not lib.present(stmt, "Resource")

resource_star(stmt) if "*" in lib.as_list(stmt.Resource)

has_deny(rec) if {
	some s in iam.statements({"path": rec.path, "doc": rec.content})
	s.stmt.Effect == "Deny"
}

has_deny(rec) if scp.uncertain(rec)

deny contains r if {
	some rec in data.walint.lib.scp.scp_records
	not has_deny(rec)
	some s in iam.statements({"path": rec.path, "doc": rec.content})
	s.stmt.Effect == "Allow"
	resource_star(s.stmt)
	not lib.present(s.stmt, "Condition")
	some a in iam.elements(s.stmt, "Action", s.path)
	a.value in {"*", "*:*"}
	r := lib.result(rec.address, a.path, "this SCP allows \"*\" on \"*\" and denies nothing: like FullAWSAccess it restricts nothing")
}

deny contains r if {
	some rec in data.walint.lib.scp.scp_records
	some s in iam.statements({"path": rec.path, "doc": rec.content})
	s.stmt.Effect == "Allow"
	resource_star(s.stmt)
	some a in iam.elements(s.stmt, "Action", s.path)
	is_string(a.value)
	lib.lower_of(a.value) in sensitive
	r := lib.result(rec.address, a.path, sprintf("this SCP allows the whole %s service on Resource \"*\"", [split(a.value, ":")[0]]))
}

unknown contains r if {
	some rec in data.walint.lib.scp.scp_records
	some s in iam.statements({"path": rec.path, "doc": rec.content})
	s.stmt.Effect == "Allow"
	resource_star(s.stmt)
	some a in iam.elements(s.stmt, "Action", s.path)
	lib.is_unknown(a.value)
	r := lib.result(rec.address, a.path, sprintf("an Allow on Resource \"*\" whose Action is not known statically (%s)", [lib.unknown_reason(a.value)]))
}
