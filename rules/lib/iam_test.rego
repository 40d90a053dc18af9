package walint.lib.iam_test

import rego.v1

import data.walint.lib.iam

test_wildcard_matches_arn_paths if {
	iam.wildcard_matches("arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:role/a/b")
	iam.wildcard_matches("arn:aws:iam::*:root", "arn:aws:iam::111122223333:root")
	iam.wildcard_matches("arn:aws:iam::1111?2223333:root", "arn:aws:iam::111122223333:root")
	not iam.wildcard_matches("arn:aws:iam::*:role/Admin", "arn:aws:iam::111122223333:role/Other")
	not iam.wildcard_matches("arn:aws:iam::*:role/(x)", "arn:aws:iam::1:role/x")
	iam.wildcard_matches("a.b+c", "a.b+c")
	not iam.wildcard_matches("a.b", "axb")
}

test_action_matches_wildcards_within_and_across_services if {
	iam.action_matches("s3:Get*", "s3:GetObject")
	iam.action_matches("S3:get*", "s3:GetObject")
	iam.action_matches("*:Get*", "s3:GetObject")
	iam.action_matches("s?:GetObject", "s3:GetObject")
	iam.action_matches("iam:PassRole", "IAM:passrole")
	not iam.action_matches("ec2:Get*", "s3:GetObject")
	not iam.action_matches("s3:Put*", "s3:GetObject")
}

test_matched_in_an_index if {
	table := iam.action_index({"s3:GetObject", "s3:PutObject", "iam:PassRole", "S3:ListBucket"})
	table == {"s3:getobject": "s3:GetObject", "s3:putobject": "s3:PutObject", "s3:listbucket": "S3:ListBucket", "iam:passrole": "iam:PassRole"}
	iam.matched_in("s3:getobject", table) == {"s3:GetObject"}
	iam.matched_in("s3:*", table) == {"s3:GetObject", "s3:PutObject", "S3:ListBucket"}
	iam.matched_in("S3:?utObject", table) == {"s3:PutObject"}
	iam.matched_in("*:Pass*", table) == {"iam:PassRole"}
	iam.matched_in("*", table) == {"s3:GetObject", "s3:PutObject", "S3:ListBucket", "iam:PassRole"}
	iam.matched_in("s3:Get(", table) == set()
	iam.matched_in("ec2:RunInstances", table) == set()
	iam.matched_in("ec2:*", table) == set()
	not iam.matched_in(1, table)
}

test_matched_actions_from_a_table if {
	table := {"s3:GetObject", "s3:PutObject", "iam:PassRole", "IAM:passrole"}
	iam.matched_actions("s3:getobject", table) == {"s3:GetObject"}
	iam.matched_actions("s3:*", table) == {"s3:GetObject", "s3:PutObject"}
	iam.matched_actions("iam:PassRole", table) == {"iam:PassRole", "IAM:passrole"}
	iam.matched_actions("ec2:RunInstances", table) == set()
	not iam.matched_actions(1, table)
}
