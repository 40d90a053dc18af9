# IAM policy-document views over both origins (catalog §1.6, §2.3).
#
# `identity_documents` holds {"address", "path", "doc"}: every identity-policy document written
# in the unit, `path` being the attribute path of the document and `doc` its value (an object
# {"Version", "Statement"}, or {"$unknown": ...}). Carriers:
#   CloudFormation  AWS::IAM::Policy|ManagedPolicy.PolicyDocument,
#                   AWS::IAM::RolePolicy|UserPolicy|GroupPolicy.PolicyDocument,
#                   AWS::IAM::Role|User|Group.Policies[].PolicyDocument
#   Terraform       aws_iam_policy|aws_iam_role_policy|aws_iam_user_policy|aws_iam_group_policy.policy,
#                   aws_iam_role.inline_policy[].policy
#
# `statements(d)` lists {"path", "stmt"} for each statement of a document (Statement may be one
# object or a list); `unknown_statements(d)` lists {"path", "reason"} where it is not known.
package walint.lib.iam

import rego.v1

import data.walint.lib

cfn_document_types := {
	"AWS::IAM::Policy",
	"AWS::IAM::ManagedPolicy",
	"AWS::IAM::RolePolicy",
	"AWS::IAM::UserPolicy",
	"AWS::IAM::GroupPolicy",
}

cfn_principal_types := {"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"}

tf_document_types := {"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"}

# The views below iterate over the unit's own types (`input.by_type`) and look each up in the
# carrier tables, rather than calling lib.resources_of for every carrier type: a unit holds a
# few types, and each call costs as much as many lookups.
identity_documents contains d if {
	some t, addresses in input.by_type
	t in cfn_document_types
	some address in addresses
	attrs := lib.resource(address).attrs
	lib.present(attrs, "PolicyDocument")
	d := {"address": address, "path": ["PolicyDocument"], "doc": attrs.PolicyDocument}
}

identity_documents contains d if {
	some t, addresses in input.by_type
	t in cfn_principal_types
	some address in addresses
	policies := lib.resource(address).attrs.Policies
	is_array(policies)
	some i, p in policies
	lib.present(p, "PolicyDocument")
	d := {"address": address, "path": ["Policies", i, "PolicyDocument"], "doc": p.PolicyDocument}
}

identity_documents contains d if {
	some t, addresses in input.by_type
	t in cfn_principal_types
	some address in addresses
	policies := lib.resource(address).attrs.Policies
	lib.is_unknown(policies)
	d := {"address": address, "path": ["Policies"], "doc": policies}
}

identity_documents contains d if {
	some t, addresses in input.by_type
	t in tf_document_types
	some address in addresses
	attrs := lib.resource(address).attrs
	lib.present(attrs, "policy")
	d := {"address": address, "path": ["policy"], "doc": attrs.policy}
}

identity_documents contains d if {
	some address in lib.resources_of("aws_iam_role")
	blocks := lib.resource(address).attrs.inline_policy
	is_array(blocks)
	some i, b in blocks
	lib.present(b, "policy")
	d := {"address": address, "path": ["inline_policy", i, "policy"], "doc": b.policy}
}

# statements(d): the statements of document record `d` with their attribute paths.
statements(d) := [s |
	some i, stmt in d.doc.Statement
	is_object(stmt)
	not lib.is_unknown(stmt)
	s := {"path": array.concat(d.path, ["Statement", i]), "stmt": stmt}
] if {
	is_object(d.doc)
	is_array(d.doc.Statement)
}

statements(d) := [{"path": array.concat(d.path, ["Statement"]), "stmt": st}] if {
	is_object(d.doc)
	not lib.is_unknown(d.doc)
	st := d.doc.Statement
	is_object(st)
	not lib.is_unknown(st)
}

# unknown_statements(d): places inside document `d` that are not known statically.
unknown_statements(d) := [{"path": d.path, "reason": lib.unknown_reason(d.doc)}] if {
	lib.is_unknown(d.doc)
}

unknown_statements(d) := [{"path": array.concat(d.path, ["Statement"]), "reason": lib.unknown_reason(d.doc.Statement)}] if {
	lib.is_unknown(d.doc.Statement)
}

unknown_statements(d) := [u |
	is_array(d.doc.Statement)
	some i, stmt in d.doc.Statement
	lib.is_unknown(stmt)
	u := {"path": array.concat(d.path, ["Statement", i]), "reason": lib.unknown_reason(stmt)}
] if {
	not lib.is_unknown(d.doc)
	is_array(d.doc.Statement)
}

# elements(stmt, key, path): {"path", "value"} for each element of a string-or-list field
# (`Action`, `Resource`, ...); the path of a single string is the field itself.
elements(stmt, key, path) := [{"path": array.concat(path, [key, j]), "value": v} | some j, v in stmt[key]] if {
	is_array(stmt[key])
} else := [{"path": array.concat(path, [key]), "value": stmt[key]}] if {
	lib.present(stmt, key)
}

# action_matches(pattern, action): IAM wildcard match (`*`, `?`), case-insensitive.
action_matches(pattern, action) if {
	is_string(pattern)
	lower(pattern) == lower(action)
}

action_matches(pattern, action) if {
	is_string(pattern)
	p := lower(pattern)
	has_wildcard(p)
	a := lower(action)
	same_service(p, a)
	regex.match(action_regex(p), a)
}

# action_index(table): the action names of `table` (a set or array) by lower-case name:
# {"s3:getobject": "s3:GetObject", ...}. A rule builds it once per unit as a rule
# (`index := iam.action_index(table)`) and passes it to matched_in.
action_index(table) := {lower(x): x | some x in table}

# matched_in(pattern, index): the action names of `index` (see action_index) that the IAM
# action pattern `pattern` matches (case-insensitive). Without a wildcard it is one lookup; with
# a wildcard, one regular expression built once, tried on the names of the pattern's service
# (on every name when the service part has a wildcard too).
matched_in(pattern, index) := {x | x := index[p]} if {
	is_string(pattern)
	p := lower(pattern)
	not has_wildcard(p)
}

matched_in(pattern, index) := {x | some k, x in index; startswith(k, prefix); regex.match(re, k)} if {
	is_string(pattern)
	p := lower(pattern)
	has_wildcard(p)
	svc := split(p, ":")[0]
	not has_wildcard(svc)
	prefix := concat("", [svc, ":"])
	re := action_regex(p)
}

matched_in(pattern, index) := {x | some k, x in index; regex.match(re, k)} if {
	is_string(pattern)
	p := lower(pattern)
	has_wildcard(split(p, ":")[0])
	re := action_regex(p)
}

# matched_actions(pattern, table): the action names of the set or array `table` that the IAM
# action pattern `pattern` matches (case-insensitive). Rules that match many patterns against
# one table should build `action_index(table)` once and call matched_in instead.
matched_actions(pattern, table) := {x | some x in table; lower(x) == p} if {
	is_string(pattern)
	p := lower(pattern)
	not has_wildcard(p)
}

matched_actions(pattern, table) := {x | some x in table; action_matches(pattern, x)} if {
	is_string(pattern)
	has_wildcard(lower(pattern))
}

# action_regex(p): the regular expression of lower-case action pattern `p`; undefined when `p`
# holds characters that no action name has.
action_regex(p) := concat("", ["^", replace(replace(replace(p, ".", `\.`), "*", ".*"), "?", "."), "$"]) if {
	regex.match(`^[a-z0-9:*?_.-]+$`, p)
}

has_wildcard(p) if contains(p, "*")

has_wildcard(p) if contains(p, "?")

# same_service(p, a): the service prefix of pattern `p` can match the one of action `a`; a cheap
# test before the regular expression (most pattern/action pairs differ in their service).
same_service(p, _) if has_wildcard(split(p, ":")[0])

same_service(p, a) if {
	svc := split(p, ":")[0]
	not has_wildcard(svc)
	svc == split(a, ":")[0]
}

# wildcard_matches(pattern, value): IAM string wildcard match (`*` any run of characters, `?` one
# character) over the whole value, case-sensitive, any characters (ARNs with `/`, `:`); the
# matching of StringLike and ArnLike conditions.
wildcard_matches(pattern, value) if {
	is_string(pattern)
	is_string(value)
	regex.match(wildcard_regex(pattern), value)
}

wildcard_regex(pattern) := concat("", ["^", replace(replace(regex_escape(pattern), `\*`, ".*"), `\?`, "."), "$"])

# regex_escape(s): `s` with every regular-expression metacharacter escaped.
regex_escape(s) := concat("", [escape_char(c) | some c in split(s, "")])

escape_char(c) := concat("", [`\`, c]) if contains(`\.+*?()|[]{}^$`, c)

escape_char(c) := c if not contains(`\.+*?()|[]{}^$`, c)
