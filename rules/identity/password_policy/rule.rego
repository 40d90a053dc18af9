# METADATA
# title: Account password policy is weak
# description: |
#   What it checks: Terraform aws_iam_account_password_policy (CloudFormation has no native type
#   for it) must set minimum_password_length ≥ 14, require_lowercase_characters,
#   require_uppercase_characters, require_numbers and require_symbols true,
#   password_reuse_prevention ≥ 24 and max_password_age between 1 and 90 days. Absent
#   attributes take the provider defaults (length 6, no requirement, no reuse prevention, no
#   expiry) and fail. Values not known statically give unknown. A unit without the resource is
#   not checked (the account default applies and is outside the code).
#   Why it matters: IAM user passwords that are short, simple or reused are guessed or stuffed
#   from other breaches (SEC02-BP01).
#   Bad (Terraform): aws_iam_account_password_policy with minimum_password_length = 8
#   Good: minimum_password_length = 14, all four require_* = true, password_reuse_prevention = 24, max_password_age = 90
#   References: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_account_password_policy
# custom:
#   id: WA-SEC02-IAM-PASSWORD-POLICY
#   severity: medium
#   best_practices: [SEC02-BP01]
#   resource_types: [aws_iam_account_password_policy]
#   recommended_action: Set minimum_password_length = 14, require lowercase, uppercase, numbers and symbols, password_reuse_prevention = 24 and max_password_age = 90 (or rely on federation with MFA instead of IAM user passwords).
package walint.rules.password_policy

import rego.v1

import data.walint.lib

flags := ["require_lowercase_characters", "require_uppercase_characters", "require_numbers", "require_symbols"]

# [attribute, minimum, maximum, provider default]
bounds := [
	["minimum_password_length", 14, 128, 6],
	["password_reuse_prevention", 24, 24, 0],
	["max_password_age", 1, 90, 0],
]

deny contains r if {
	some address in lib.resources_of("aws_iam_account_password_policy")
	attrs := lib.resource(address).attrs
	some key in flags
	v := object.get(attrs, key, false)
	not lib.is_unknown(v)
	not lib.is_true(v)
	r := lib.result(address, [key], sprintf("%s is %v: passwords need not contain these characters", [key, show_or_absent(attrs, key)]))
}

deny contains r if {
	some address in lib.resources_of("aws_iam_account_password_policy")
	attrs := lib.resource(address).attrs
	some [key, low, high, dflt] in bounds
	v := lib.as_int(object.get(attrs, key, dflt))
	not between(v, low, high)
	r := lib.result(address, [key], sprintf("%s is %v, %s", [key, show_or_absent(attrs, key), limit_text(v, low, high)]))
}

limit_text(v, low, _) := sprintf("below %d", [low]) if v < low

limit_text(v, _, high) := sprintf("above %d", [high]) if v > high

between(v, low, high) if {
	v >= low
	v <= high
}

show_or_absent(attrs, key) := sprintf("%v", [attrs[key]]) if lib.present(attrs, key)

show_or_absent(attrs, key) := "not set" if not lib.present(attrs, key)

unknown contains r if {
	some address in lib.resources_of("aws_iam_account_password_policy")
	attrs := lib.resource(address).attrs
	some key, v in attrs
	lib.is_unknown(v)
	some k in array.concat(flags, [b[0] | some b in bounds])
	k == key
	r := lib.result(address, [key], sprintf("%s is not known statically (%s)", [key, lib.unknown_reason(v)]))
}
