package walint.lib.policy_test

import rego.v1

import data.walint.lib.policy

test_principals_forms if {
	policy.principals({"Principal": "*"}, ["S"]) == [{"path": ["S", "Principal"], "type": "*", "value": "*"}]
	ps := policy.principals({"Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]}}, [])
	count([p | some p in ps; policy.public_principal(p)]) == 1
	ps[1].path == ["Principal", "AWS", 1]
}

test_principal_unknown if {
	ps := policy.principals({"Principal": {"$unknown": "var"}}, [])
	ps[0].type == "?"
}

test_narrowed_by_positive_only if {
	policy.narrowed_by({"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}, {"aws:principalorgid"})
	not policy.narrowed_by({"Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-1"}}}, {"aws:principalorgid"})
	not policy.narrowed_by({"Condition": {"StringEquals": {"aws:SourceAccount": "*"}}}, {"aws:sourceaccount"})
}

test_deny_unless_guard if {
	d := {"address": "a", "path": ["policy"], "doc": {"Statement": [
		{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke"},
		{"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}},
	]}}
	policy.deny_unless(d, {"aws:sourcevpce"})
}

test_allows_wildcards if {
	count(policy.allows({"Action": ["iam:Pass*", "s3:GetObject"]}, [], "iam:PassRole")) == 1
	count(policy.allows({"Action": "iam:PassRoles"}, [], "iam:PassRole")) == 0
}

test_condition_keys_one_key_under_two_operators if {
	# The same key under StringEquals and StringLike, and in two cases: one entry with every
	# value (this was a rule error: "value for key generated multiple times").
	stmt := {"Condition": {
		"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:o/a:ref:refs/heads/main"},
		"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:o/*"], "Token.Actions.GithubUserContent.com:SUB": "repo:o/b:*"},
		"StringNotEquals": {"token.actions.githubusercontent.com:sub": "x"},
	}}
	policy.condition_keys(stmt) == {"token.actions.githubusercontent.com:sub": {
		"op": "StringEquals",
		"values": ["repo:o/a:ref:refs/heads/main", "repo:o/b:*", "repo:o/*"],
	}}
	policy.condition_keys({"Condition": {"Bool": {"aws:SecureTransport": "true"}}}) == {"aws:securetransport": {"op": "Bool", "values": ["true"]}}
	policy.condition_keys({"Condition": [1, "a"]}) == {}
	policy.condition_keys({}) == {}
}
