package walint.rules.iam_admin_star_test

import rego.v1

import data.walint.rules.iam_admin_star as rule

doc(stmts) := {"Version": "2012-10-17", "Statement": stmts}

inp := {
	"resources": {
		"Role": {"address": "Role", "type": "AWS::IAM::Role", "attrs": {"Policies": [
			{"PolicyName": "deny", "PolicyDocument": doc([{"Effect": "Deny", "Action": "*", "Resource": "*"}])},
			{"PolicyName": "all", "PolicyDocument": doc([{"Effect": "Allow", "Action": "*", "Resource": "*"}])},
		]}},
		"Managed": {"address": "Managed", "type": "AWS::IAM::ManagedPolicy", "attrs": {"PolicyDocument": doc({"Effect": "Allow", "Action": ["s3:GetObject", "*:*"], "Resource": ["arn:aws:s3:::b/*", "*"]})}},
		"Scoped": {"address": "Scoped", "type": "AWS::IAM::Policy", "attrs": {"PolicyDocument": doc([
			{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b"},
			{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
			{"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"},
			{"Effect": "Allow", "Action": "*", "Resource": {"$unknown": "parameter Arn has no default"}},
		])}},
		"aws_iam_policy.p": {"address": "aws_iam_policy.p", "type": "aws_iam_policy", "attrs": {"policy": doc([{"Effect": "Allow", "Action": ["*"], "Resource": "*"}])}},
		"aws_iam_role.r": {"address": "aws_iam_role.r", "type": "aws_iam_role", "attrs": {"inline_policy": [{"name": "x", "policy": {"$unknown": "file()"}}]}},
	},
	"by_type": {
		"AWS::IAM::Role": ["Role"],
		"AWS::IAM::ManagedPolicy": ["Managed"],
		"AWS::IAM::Policy": ["Scoped"],
		"aws_iam_policy": ["aws_iam_policy.p"],
		"aws_iam_role": ["aws_iam_role.r"],
	},
}

test_deny_rows if {
	got := {[r.address, r.path, r.message] | some r in rule.deny with input as inp}
	got == {
		["Role", ["Policies", 1, "PolicyDocument", "Statement", 0, "Action"], "Allow of Action \"*\" on Resource \"*\" grants full administrator access"],
		["Managed", ["PolicyDocument", "Statement", "Action", 1], "Allow of Action \"*:*\" on Resource \"*\" grants full administrator access"],
		["aws_iam_policy.p", ["policy", "Statement", 0, "Action", 0], "Allow of Action \"*\" on Resource \"*\" grants full administrator access"],
	}
}

test_unknown_rows if {
	got := {[r.address, r.path] | some r in rule.unknown with input as inp}
	got == {
		["Scoped", ["PolicyDocument", "Statement", 3, "Action"]],
		["aws_iam_role.r", ["inline_policy", 0, "policy"]],
	}
}
