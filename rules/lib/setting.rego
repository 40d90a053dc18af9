# Single-setting views for "this attribute must be X" rules over both origins (encryption at
# rest and in transit, catalog §2.7-2.10).
#
# `lookup(attrs, path)` reads a nested attribute and says what is there:
#   {"state": "value",   "path": path,   "value": v}    the value at `path` (not null)
#   {"state": "absent",  "path": path,   "value": null} `path` or one of its parents is missing/null
#   {"state": "unknown", "path": prefix, "value": u}    `prefix` (a prefix of `path`, maybe all of
#                                                        it) holds {"$unknown": ...}
# `path` is a list of keys and 0-based indexes as in lib.result (Terraform nested blocks are
# lists, so a block attribute is `["block", 0, "attr"]`).
#
# The `must_*` functions turn a lookup into an outcome [status, result] with status "fail" or
# "unknown" (undefined when the setting is good), so a rule reads:
#   outcomes contains o if { ...; o := setting.must_be_true(address, attrs, ["Encrypted"], "...") }
#   deny contains o[1] if { some o in outcomes; o[0] == "fail" }
#   unknown contains o[1] if { some o in outcomes; o[0] == "unknown" }
package walint.lib.setting

import rego.v1

import data.walint.lib

# The first body is a shortcut for the common case, a known value at `path`: no prefix of `path`
# can then be unknown (an unknown value is {"$unknown": reason} with no other key, and a written
# `$unknown` key reaches Rego as `$$unknown`: crates/wa_lint_rules/src/input.rs).
lookup(attrs, path) := {"state": "value", "path": path, "value": v} if {
	v := object.get(attrs, path, null)
	v != null
	not lib.is_unknown(v)
} else := {"state": "unknown", "path": p, "value": object.get(attrs, p, null)} if {
	# Prefixes of `path`, shortest first (`some i, _ in path`, not `numbers.range`: the bytecode
	# VM calls that builtin without wa-lint's bound, so a program using it stays on the
	# interpreter; crates/wa_lint_rules/src/vm.rs).
	unknown_at := [q |
		some i, _ in path
		q := array.slice(path, 0, i + 1)
		lib.is_unknown(object.get(attrs, q, null))
	]
	count(unknown_at) > 0
	p := unknown_at[0]
} else := {"state": "absent", "path": path, "value": null} if {
	object.get(attrs, path, null) == null
} else := {"state": "value", "path": path, "value": object.get(attrs, path, null)}

# name(path): the attribute path for messages, keys joined with "." and indexes left out
# (["encrypt_at_rest", 0, "enabled"] -> "encrypt_at_rest.enabled").
name(path) := concat(".", [s | some s in path; is_string(s)])

unknown_outcome(address, l) := ["unknown", lib.result(address, l.path, sprintf("%s is not known statically (%s)", [name(l.path), lib.unknown_reason(l.value)]))]

# must_be_true(address, attrs, path, harm): fail when the setting is absent (the AWS default is
# off) or not true; `harm` says what that means ("data is stored unencrypted").
must_be_true(address, attrs, path, harm) := o if {
	l := lookup(attrs, path)
	o := true_outcome(address, l, harm)
}

true_outcome(address, l, harm) := unknown_outcome(address, l) if {
	l.state == "unknown"
} else := ["fail", lib.result(address, l.path, sprintf("%s is not set: %s (the default is false)", [name(l.path), harm]))] if {
	l.state == "absent"
} else := ["fail", lib.result(address, l.path, sprintf("%s is %s: %s", [name(l.path), lib.show(l.value), harm]))] if {
	not lib.is_true(l.value)
}

# must_not_be_true(address, attrs, path, harm): fail only when the setting is explicitly true
# (absent means the safe default).
must_not_be_true(address, attrs, path, harm) := o if {
	l := lookup(attrs, path)
	o := not_true_outcome(address, l, harm)
}

not_true_outcome(address, l, harm) := unknown_outcome(address, l) if {
	l.state == "unknown"
} else := ["fail", lib.result(address, l.path, sprintf("%s is %s: %s", [name(l.path), lib.show(l.value), harm]))] if {
	l.state == "value"
	lib.is_true(l.value)
}

# must_be_set(address, attrs, path, harm): fail when the setting is absent or an empty string. A
# value computed from another resource of the unit (a reference edge at `path`, e.g. a KMS key
# ARN) counts as set.
must_be_set(address, attrs, path, harm) := o if {
	l := lookup(attrs, path)
	o := set_outcome(address, l, harm)
}

set_outcome(address, l, harm) := unknown_outcome(address, l) if {
	l.state == "unknown"
	not referenced(address, l.path)
} else := ["fail", lib.result(address, l.path, sprintf("%s is not set: %s", [name(l.path), harm]))] if {
	l.state == "absent"
} else := ["fail", lib.result(address, l.path, sprintf("%s is empty: %s", [name(l.path), harm]))] if {
	l.value == ""
}

# must_be_in(address, attrs, path, allowed, absent_harm, harm): the setting (a string, compared
# case-insensitively) must be one of `allowed` (lower-case strings). Absent fails with
# `absent_harm` unless that is null (absent is then the safe default).
must_be_in(address, attrs, path, allowed, absent_harm, harm) := o if {
	l := lookup(attrs, path)
	o := in_outcome(address, l, allowed, absent_harm, harm)
}

in_outcome(address, l, allowed, absent_harm, harm) := unknown_outcome(address, l) if {
	l.state == "unknown"
} else := ["fail", lib.result(address, l.path, sprintf("%s is not set: %s", [name(l.path), absent_harm]))] if {
	l.state == "absent"
	absent_harm != null
} else := ["fail", lib.result(address, l.path, sprintf("%s is %s: %s", [name(l.path), lib.show(l.value), harm]))] if {
	l.state == "value"
	not lower_in(l.value, allowed)
}

lower_in(v, allowed) if {
	is_string(v)
	lower(v) in allowed
}

# blocks(attrs, key): {"path", "value"} for each element of a list attribute (a Terraform nested
# block or a CloudFormation list); an unknown list gives one element holding the unknown value.
blocks(attrs, key) := [{"path": [key, i], "value": b} | some i, b in attrs[key]] if {
	is_array(attrs[key])
} else := [{"path": [key], "value": attrs[key]}] if {
	lib.is_unknown(attrs[key])
} else := []

# referenced(address, path): the resource refers to another resource of the unit at `path` (or
# inside it).
referenced(address, path) if {
	some ref in object.get(lib.resource(address), "refs", [])
	count(ref.at) >= count(path)
	array.slice(ref.at, 0, count(path)) == path
	ref.kind != "depends-on"
}
