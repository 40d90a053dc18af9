package walint.lib.sg_test

import rego.v1

import data.walint.lib.sg

# A dynamic block over an unknown collection (the Terraform front end keeps one block whose
# attributes are unknown), and `cidr_blocks = [var.c]` with `from_port = var.p` unknown.
dyn := {"$unknown": "for_each of dynamic block `ingress` is not known: variable `ingress` has no value"}

mock := {
	"resources": {
		"aws_security_group.dyn": {"address": "aws_security_group.dyn", "type": "aws_security_group", "attrs": {"ingress": [{"from_port": dyn, "to_port": dyn, "protocol": "tcp", "cidr_blocks": dyn}]}},
		"aws_security_group.vars": {"address": "aws_security_group.vars", "type": "aws_security_group", "attrs": {"ingress": [{"from_port": {"$unknown": "variable `p` has no value"}, "to_port": {"$unknown": "variable `p` has no value"}, "protocol": "tcp", "cidr_blocks": [{"$unknown": "variable `c` has no value"}]}]}},
		"aws_security_group.private": {"address": "aws_security_group.private", "type": "aws_security_group", "attrs": {"ingress": [{"from_port": dyn, "to_port": dyn, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]}]}},
		"aws_security_group.known_port": {"address": "aws_security_group.known_port", "type": "aws_security_group", "attrs": {"ingress": [{"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": [{"$unknown": "variable `c` has no value"}]}]}},
	},
	"by_type": {"aws_security_group": ["aws_security_group.dyn", "aws_security_group.known_port", "aws_security_group.private", "aws_security_group.vars"]},
}

test_unknown_cidr_and_ports_is_an_unknown_entry if {
	got := sg.unknown_entries with input as mock
	got == {
		{"address": "aws_security_group.dyn", "path": ["ingress", 0, "cidr_blocks"], "reason": "source CIDR: for_each of dynamic block `ingress` is not known: variable `ingress` has no value; the protocol or port range is not known either"},
		{"address": "aws_security_group.vars", "path": ["ingress", 0, "cidr_blocks"], "reason": "source CIDR: variable `c` has no value; the protocol or port range is not known either"},
	}
}

test_port_is_a_whole_number_in_range if {
	sg.port(22) == 22
	sg.port("22") == 22
	sg.port(-1) == -1
	sg.port(null) == null
	sg.port(2.5) == "$unknown"
	sg.port(1e300) == "$unknown"
	sg.port(70000) == "$unknown"
	sg.port("abc") == "$unknown"
	sg.port([22]) == "$unknown"
	sg.port({"$unknown": "x"}) == "$unknown"
}
