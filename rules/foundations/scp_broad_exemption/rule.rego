# METADATA
# title: Service control policy exemption cancels the guardrail
# description: |
#   What it checks: the Deny statements of service control policies (AWS::Organizations::Policy
#   with Type SERVICE_CONTROL_POLICY, Terraform aws_organizations_policy) often exempt a security
#   role with a negated condition (StringNotLike/ArnNotLike/StringNotEquals/ArnNotEquals, with
#   or without IfExists) on aws:PrincipalArn. The statement fails when an exempted value matches
#   any role or any user of an account (e.g. "*", arn:aws:iam::*:*, arn:aws:iam::*:role/*): the
#   Deny then applies to almost nobody. A negated condition on aws:PrincipalTag/<key> fails
#   when no SCP of the unit denies iam:TagRole and iam:TagUser, since principals can then tag
#   themselves into the exemption.
#   Why it matters: a guardrail with an exemption anyone can meet is a guardrail in name only
#   (SEC03-BP05).
#   Bad (CloudFormation): Condition: {ArnNotLike: {aws:PrincipalArn: "arn:aws:iam::*:role/*"}}
#   Bad (Terraform): Condition = {StringNotEquals = {"aws:PrincipalTag/team" = "security"}} with no Deny of iam:TagRole
#   Good: Condition: {ArnNotLike: {aws:PrincipalArn: "arn:aws:iam::*:role/SecurityAdmin"}}
#   References: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
# custom:
#   id: WA-SEC03-SCP-BROAD-EXEMPTION
#   severity: high
#   best_practices: [SEC03-BP05]
#   resource_types: [AWS::Organizations::Policy, aws_organizations_policy]
#   recommended_action: Exempt only the named administration roles (arn:aws:iam::*:role/SecurityAdmin), and when exempting by principal tag also deny iam:TagRole, iam:TagUser, iam:UntagRole and iam:UntagUser for that tag key.
package walint.rules.scp_broad_exemption

import rego.v1

import data.walint.lib
import data.walint.lib.iam
import data.walint.lib.scp

negated_op := `^(string|arn)not(equals|like)(ignorecase)?(ifexists)?$`

samples := ["arn:aws:iam::111122223333:role/wa-lint-any-role", "arn:aws:iam::111122223333:user/wa-lint-any-user"]

# exemptions: {"address", "path", "key", "value"} for each exempted value of a Deny statement.
exemptions contains e if {
	some rec in data.walint.lib.scp.scp_records
	some s in iam.statements({"path": rec.path, "doc": rec.content})
	s.stmt.Effect == "Deny"
	is_object(s.stmt.Condition)
	some op, kv in lib.iter(s.stmt.Condition)
	regex.match(negated_op, lib.lower_of(op))
	is_object(kv)
	some key, values in kv
	base := array.concat(s.path, ["Condition", op, key])
	some x in iam.elements(kv, key, array.slice(base, 0, count(base) - 1))
	e := {"address": rec.address, "path": x.path, "key": lib.lower_of(key), "name": key, "value": x.value}
}

deny contains r if {
	some e in exemptions
	e.key == "aws:principalarn"
	is_string(e.value)
	some sample in samples
	iam.wildcard_matches(e.value, sample)
	r := lib.result(e.address, e.path, sprintf("the exemption %s matches any %s of an account, so this Deny applies to almost nobody", [lib.show(e.value), kind(sample)]))
}

kind(sample) := "role" if contains(sample, ":role/")

kind(sample) := "user" if contains(sample, ":user/")

tagging_denied if {
	scp.covered("iam:TagRole")
	scp.covered("iam:TagUser")
}

deny contains r if {
	some e in exemptions
	startswith(e.key, "aws:principaltag/")
	not tagging_denied
	count(data.walint.lib.scp.uncertain_addresses) == 0
	r := lib.result(e.address, e.path, sprintf("principals can tag themselves into this exemption on %s: no SCP denies iam:TagRole and iam:TagUser", [e.name]))
}

unknown contains r if {
	some e in exemptions
	lib.is_unknown(e.value)
	r := lib.result(e.address, e.path, sprintf("the exempted value is not known statically (%s)", [lib.unknown_reason(e.value)]))
}
