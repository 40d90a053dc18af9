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
