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
