# METADATA
# title: Role trust policy lets anyone assume the role
# description: |
#   What it checks: role trust policies (CloudFormation AWS::IAM::Role.AssumeRolePolicyDocument,
#   Terraform aws_iam_role.assume_role_policy, including documents from aws_iam_policy_document)
#   must not hold an Allow statement whose Principal is everyone ("*", {"AWS": "*"}, principals
#   type "*" or type "AWS" identifiers ["*"]) unless a positive condition narrows it on
#   aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalArn, aws:PrincipalAccount,
#   aws:SourceAccount, aws:SourceArn or sts:ExternalId; an Allow with NotPrincipal fails too.
#   A Condition or Principal that is not known statically gives unknown.
#   Why it matters: any AWS account in the world can then assume the role and act with its
#   permissions (SEC03-BP07 analyze public and cross-account access, SEC03-BP02).
#   Bad (CloudFormation): AssumeRolePolicyDocument {Statement: [{Effect: Allow, Principal: {AWS: "*"}, Action: sts:AssumeRole}]}
#   Bad (Terraform): assume_role_policy = jsonencode({Statement = [{Effect = "Allow", Principal = "*", Action = "sts:AssumeRole"}]})
#   Good: Principal {AWS: arn:aws:iam::111122223333:root} with Condition StringEquals sts:ExternalId
#   References: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-trust-policy
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
# custom:
#   id: WA-SEC03-IAM-TRUST-WILDCARD-PRINCIPAL
#   severity: critical
#   best_practices: [SEC03-BP07, SEC03-BP02]
#   resource_types: [AWS::IAM::Role, aws_iam_role]
#   recommended_action: Name the accounts, roles or services that may assume the role in Principal, or add an aws:PrincipalOrgID / sts:ExternalId condition.
package walint.rules.iam_trust_wildcard_principal

import rego.v1

import data.walint.lib
import data.walint.lib.policy

narrowing_keys := {
	"aws:principalorgid", "aws:principalorgpaths", "aws:principalarn", "aws:principalaccount",
	"aws:sourceaccount", "aws:sourcearn", "sts:externalid",
}

public_entries(s) := [p | some p in policy.principals(s.stmt, s.path); policy.public_principal(p)]

deny contains r if {
	some s in data.walint.lib.policy.trust_allow
	some p in public_entries(s)
	not policy.narrowed_by(s.stmt, narrowing_keys)
	not policy.condition_unknown(s.stmt)
	r := lib.result(s.address, p.path, "the trust policy allows Principal \"*\": any AWS account can assume this role")
}

deny contains r if {
	some s in data.walint.lib.policy.trust_allow
	lib.present(s.stmt, "NotPrincipal")
	r := lib.result(s.address, array.concat(s.path, ["NotPrincipal"]), "the trust policy allows NotPrincipal: every principal except the listed ones can assume this role")
}

unknown contains r if {
	some s in data.walint.lib.policy.trust_allow
	some p in public_entries(s)
	not policy.narrowed_by(s.stmt, narrowing_keys)
	policy.condition_unknown(s.stmt)
	r := lib.result(s.address, array.concat(s.path, ["Condition"]), "the trust policy allows Principal \"*\" and its Condition is not known statically")
}

unknown contains r if {
	some s in data.walint.lib.policy.trust_allow
	some p in policy.principals(s.stmt, s.path)
	p.type == "?"
	not policy.narrowed_by(s.stmt, narrowing_keys)
	r := lib.result(s.address, p.path, sprintf("the trust policy's Principal is not known statically (%s)", [lib.unknown_reason(p.value)]))
}

# A statement whose Effect is not known statically may be an Allow.
unknown contains r if {
	some s in data.walint.lib.policy.trust_unknown_effect
	some _ in public_entries(s)
	not policy.narrowed_by(s.stmt, narrowing_keys)
	r := lib.result(s.address, array.concat(s.path, ["Effect"]), sprintf("Effect is not known statically (%s) on a trust policy statement with Principal \"*\"", [lib.unknown_reason(s.stmt.Effect)]))
}

unknown contains r if {
	some s in data.walint.lib.policy.trust_unknown_effect
	lib.present(s.stmt, "NotPrincipal")
	r := lib.result(s.address, array.concat(s.path, ["Effect"]), sprintf("Effect is not known statically (%s) on a trust policy statement with NotPrincipal", [lib.unknown_reason(s.stmt.Effect)]))
}

unknown contains r if {
	some u in data.walint.lib.policy.trust_unknown_parts
	r := lib.result(u.address, u.path, sprintf("the trust policy is not known statically (%s)", [u.reason]))
}
