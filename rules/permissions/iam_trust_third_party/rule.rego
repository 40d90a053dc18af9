# METADATA
# title: Role trusts another AWS account without an external ID or MFA
# description: |
#   What it checks: role trust policies (CloudFormation AWS::IAM::Role.AssumeRolePolicyDocument,
#   Terraform aws_iam_role.assume_role_policy) that allow an AWS account written out (a 12-digit
#   ID or an arn:aws:iam::<account>:... ARN) must, unless the account is listed in the
#   configuration `known_accounts` (data.walint.config.known_accounts), require sts:ExternalId
#   (third parties), aws:MultiFactorAuthPresent (humans) or aws:PrincipalOrgID. Without a
#   configured list every written-out account counts as external. Accounts that are not known
#   statically (e.g. ${AWS::AccountId}, the template's own account) are not judged; a Condition
#   that is not known statically gives unknown.
#   Why it matters: without an external ID a third party's role can be tricked into acting on
#   this account on behalf of another of its customers (confused deputy); a human
#   cross-account entry without MFA is a long-term-credential path (SEC03-BP09).
#   Bad (CloudFormation): Principal: {AWS: arn:aws:iam::444455556666:root}, Action: sts:AssumeRole (no Condition)
#   Bad (Terraform): principals { type = "AWS" identifiers = ["444455556666"] } without condition
#   Good: Condition: {StringEquals: {sts:ExternalId: "<id given by the third party>"}}
#   References: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
# custom:
#   id: WA-SEC03-IAM-TRUST-THIRD-PARTY
#   severity: medium
#   best_practices: [SEC03-BP09]
#   resource_types: [AWS::IAM::Role, aws_iam_role]
#   recommended_action: Require sts:ExternalId for third-party access (or aws:MultiFactorAuthPresent for people), or list the account in the known_accounts configuration.
package walint.rules.iam_trust_third_party

import rego.v1

import data.walint.lib
import data.walint.lib.policy

known_accounts := {sprintf("%v", [a]) | some a in data.walint.config.known_accounts}

guard_keys := {"sts:externalid", "aws:multifactorauthpresent", "aws:principalorgid"}

account(v) := v if {
	is_string(v)
	regex.match(`^[0-9]{12}$`, v)
}

account(v) := m[0][1] if {
	is_string(v)
	m := regex.find_all_string_submatch_n(`^arn:[a-z-]+:(?:iam|sts)::([0-9]{12}):`, v, 1)
	count(m) == 1
}

external(s) := [[p, acct] |
	some p in policy.principals(s.stmt, s.path)
	p.type == "AWS"
	acct := account(p.value)
	not acct in known_accounts
]

deny contains r if {
	some s in data.walint.lib.policy.trust_allow
	some [p, acct] in external(s)
	not policy.narrowed_by(s.stmt, guard_keys)
	not policy.condition_unknown(s.stmt)
	r := lib.result(s.address, p.path, sprintf("the trust policy lets account %s assume this role without sts:ExternalId or aws:MultiFactorAuthPresent", [acct]))
}

unknown contains r if {
	some s in data.walint.lib.policy.trust_allow
	some [p, acct] in external(s)
	not policy.narrowed_by(s.stmt, guard_keys)
	policy.condition_unknown(s.stmt)
	r := lib.result(s.address, array.concat(s.path, ["Condition"]), sprintf("the trust policy lets account %s assume this role and its Condition is not known statically", [acct]))
}

unknown contains r if {
	some u in data.walint.lib.policy.trust_unknown_parts
	r := lib.result(u.address, u.path, sprintf("the trust policy is not known statically (%s)", [u.reason]))
}
