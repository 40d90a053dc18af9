package walint.lib.setting_test

import rego.v1

import data.walint.lib.setting

test_lookup_value if {
	setting.lookup({"a": [{"b": true}]}, ["a", 0, "b"]) == {"state": "value", "path": ["a", 0, "b"], "value": true}
}

test_lookup_absent_parent if {
	setting.lookup({"x": 1}, ["a", 0, "b"]).state == "absent"
}

test_lookup_unknown_parent if {
	l := setting.lookup({"a": {"$unknown": "variable `v` has no value"}}, ["a", 0, "b"])
	l.state == "unknown"
	l.path == ["a"]
}

test_must_be_true if {
	setting.must_be_true("r", {"e": false}, ["e"], "bad")[0] == "fail"
	setting.must_be_true("r", {}, ["e"], "bad")[1].message == "e is not set: bad (the default is false)"
	not setting.must_be_true("r", {"e": "True"}, ["e"], "bad")
}

test_must_be_in if {
	setting.must_be_in("r", {"p": "TLSv1"}, ["p"], {"tlsv1.2_2021"}, "x", "y")[1].message == `p is "TLSv1": y`
	not setting.must_be_in("r", {}, ["p"], {"a"}, null, "y")
	not setting.must_be_in("r", {"p": "A"}, ["p"], {"a"}, null, "y")
}

test_name if {
	setting.name(["encrypt_at_rest", 0, "enabled"]) == "encrypt_at_rest.enabled"
}
