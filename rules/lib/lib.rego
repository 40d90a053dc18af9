# Shared helpers for every wa-lint rule: result builders, unknown-aware value tests and
# resource lookups. Input shape: see DESIGN.md §3 "What Rego sees".
package walint.lib

import rego.v1

# result builds one row of a rule's `deny` or `unknown` set. `path` is a list of keys and
# 0-based indices inside the resource's `attrs`; it may point at an absent attribute (Rust then
# points at the nearest existing parent, else the resource header).
result(address, path, message) := {"address": address, "path": path, "message": message}

# result_related is `result` plus related places: a list of {"address", "path"} objects.
result_related(address, path, message, related) := {
	"address": address,
	"path": path,
	"message": message,
	"related": related,
}

# resources_of(t) is the list of addresses of native type `t` (CloudFormation or Terraform).
resources_of(t) := object.get(input.by_type, t, [])

# managed_of(t) is like resources_of(t) without Terraform data sources (mode "data"), for rules
# that judge resources the unit creates.
managed_of(t) := [a | some a in resources_of(t); object.get(input.resources[a], "mode", "managed") == "managed"]

# resource(address) is the resource object with that address.
resource(address) := input.resources[address]

# is_unknown(v) holds when `v` is a value that cannot be known statically.
is_unknown(v) if {
	is_object(v)
	_ = v["$unknown"]
}

# unknown_reason(v) is the reason text of an unknown value.
unknown_reason(v) := sprintf("%v", [v["$unknown"]])

# has(obj, key) holds when `obj` is an object holding `key` (with any value, even null).
has(obj, key) if {
	is_object(obj)
	_ = obj[key]
}

# present(obj, key): the key exists and is not null.
present(obj, key) if {
	is_object(obj)
	obj[key] != null
}

# is_true(v): boolean true or the string "true" (any case), as CloudFormation allows.
is_true(v) if v == true

is_true(v) if {
	is_string(v)
	lower(v) == "true"
}

# is_false(v): boolean false or the string "false" (any case).
is_false(v) if v == false

is_false(v) if {
	is_string(v)
	lower(v) == "false"
}

# as_list(v): `v` itself when it is an array, else a one-element array.
as_list(v) := v if is_array(v)

as_list(v) := [v] if not is_array(v)

# iter(v): `v` when it is a list or a map, else an empty list: `some i, x in lib.iter(v)` visits
# nothing, instead of failing the rule (`some x in 7` is a regorus error), when a template writes
# a number, string, boolean or null where a list or map belongs. An unknown value is a map and
# still visits its one `$unknown` entry, as rules that then look the path up expect.
iter(v) := v if is_array(v)

else := v if is_object(v)

else := []

# get(obj, key, dflt): object.get when `obj` is a map (an unknown value included: its keys are
# not the template's), else `dflt` (object.get fails on a list, string or number).
get(obj, key, dflt) := object.get(obj, key, dflt) if is_object(obj)

else := dflt

# lower_of(v) / upper_of(v): lower(v) / upper(v) of a string; undefined for any other value
# (a number, list, map or unknown value), so a comparison with it is simply false.
lower_of(v) := lower(v) if is_string(v)

upper_of(v) := upper(v) if is_string(v)

# as_int(v): a number, or an integer written as a string ("22", "-1"); undefined otherwise.
# At most 15 digits: `to_number` fails (a rule error) on a string beyond a double's range.
as_int(v) := v if is_number(v)

as_int(v) := to_number(trim_space(v)) if {
	is_string(v)
	regex.match(`^[ \t]*-?[0-9]{1,15}[ \t]*$`, v)
}

# as_number(v): a number, or a decimal written as a string ("2", "2.0", "-0.5"); undefined
# otherwise (bounded like as_int).
as_number(v) := v if is_number(v)

as_number(v) := to_number(trim_space(v)) if {
	is_string(v)
	regex.match(`^[ \t]*-?[0-9]{1,15}(\.[0-9]{1,15})?[ \t]*$`, v)
}

# show(v): a short human form of a value for messages.
show(v) := sprintf("%q", [v]) if is_string(v)

show(v) := sprintf("%v", [v]) if not is_string(v)
