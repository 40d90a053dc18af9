package walint.lib.lib_test

import rego.v1

import data.walint.lib

test_as_int if {
	lib.as_int(22) == 22
	lib.as_int(" -1 ") == -1
	lib.as_int("123456789012345") == 123456789012345
	not lib.as_int("2.0")
	not lib.as_int("22a")
	# Beyond 15 digits `to_number` could fail the rule: not an integer here.
	not lib.as_int("1234567890123456")
	not lib.as_int(concat("", ["9" | some _ in numbers.range(1, 400)]))
}

test_as_number if {
	lib.as_number(2) == 2
	lib.as_number("2.0") == 2
	lib.as_number(" -0.5") == -0.5
	not lib.as_number("abc")
	not lib.as_number("1e999999999")
	not lib.as_number("${aws:PrincipalTag/x}")
	not lib.as_number({"$unknown": "not known"})
}

test_iter if {
	lib.iter([1, "a"]) == [1, "a"]
	lib.iter({"Bool": {"aws:SecureTransport": "false"}}) == {"Bool": {"aws:SecureTransport": "false"}}
	lib.iter({"$unknown": "not known"}) == {"$unknown": "not known"}
	lib.iter(7) == []
	lib.iter(2.5) == []
	lib.iter("arn:aws:iam::aws:policy/AdministratorAccess") == []
	lib.iter(true) == []
	lib.iter(null) == []
	count([x | some x in lib.iter("abc")]) == 0
}

test_get if {
	lib.get({"Type": "redirect"}, "Type", "") == "redirect"
	lib.get({}, "Type", "") == ""
	lib.get([1, "a", {}], "Type", "") == ""
	lib.get(7, "Type", null) == null
	lib.get("s", "Type", "d") == "d"
	lib.get({"$unknown": "not known"}, "Type", "d") == "d"
}

test_lower_upper_of if {
	lib.lower_of("Internal") == "internal"
	lib.upper_of("plaintext") == "PLAINTEXT"
	not lib.lower_of(7)
	not lib.lower_of(null)
	not lib.lower_of({"$unknown": "not known"})
	not lib.upper_of([1])
	# A comparison with a non-string is false, not a rule error.
	not lib.lower_of(true) == "true"
}
