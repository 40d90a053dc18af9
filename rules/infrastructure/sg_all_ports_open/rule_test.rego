package walint.rules.sg_all_ports_open_test

import rego.v1

import data.walint.rules.sg_all_ports_open as rule

inp := {
	"resources": {
		"Sg": {"address": "Sg", "type": "AWS::EC2::SecurityGroup", "attrs": {"SecurityGroupIngress": [
			{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.20.0.0/16"},
			{"CidrIp": "0.0.0.0/0", "IpProtocol": "-1"},
			{"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "CidrIpv6": "::/0"},
			{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"},
			{"IpProtocol": {"$unknown": "parameter Proto has no default"}, "CidrIp": "0.0.0.0/0"},
			{"IpProtocol": "-1", "CidrIp": "10.0.0.0/8"},
		]}},
		"aws_security_group.a": {"address": "aws_security_group.a", "type": "aws_security_group", "attrs": {"ingress": [{"protocol": "all", "from_port": 0, "to_port": 0, "cidr_blocks": [{"$unknown": "var.cidr"}]}]}},
		"aws_security_group_rule.all": {"address": "aws_security_group_rule.all", "type": "aws_security_group_rule", "attrs": {"type": "ingress", "protocol": -1, "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}},
		"aws_vpc_security_group_ingress_rule.all": {"address": "aws_vpc_security_group_ingress_rule.all", "type": "aws_vpc_security_group_ingress_rule", "attrs": {"ip_protocol": "-1", "cidr_ipv6": "::/0"}},
	},
	"by_type": {
		"AWS::EC2::SecurityGroup": ["Sg"],
		"aws_security_group": ["aws_security_group.a"],
		"aws_security_group_rule": ["aws_security_group_rule.all"],
		"aws_vpc_security_group_ingress_rule": ["aws_vpc_security_group_ingress_rule.all"],
	},
}

test_deny_rows if {
	got := {[r.address, r.path, r.message] | some r in rule.deny with input as inp}
	got == {
		["Sg", ["SecurityGroupIngress", 1, "CidrIp"], "all protocols and ports are open to 0.0.0.0/0"],
		["Sg", ["SecurityGroupIngress", 2, "CidrIpv6"], "all tcp ports (0-65535) are open to ::/0"],
		["aws_security_group_rule.all", ["cidr_blocks"], "all protocols and ports are open to 0.0.0.0/0"],
		["aws_vpc_security_group_ingress_rule.all", ["cidr_ipv6"], "all protocols and ports are open to ::/0"],
	}
}

test_unknown_rows if {
	got := {[r.address, r.path] | some r in rule.unknown with input as inp}
	got == {["aws_security_group.a", ["ingress", 0, "cidr_blocks"]]}
}

# A world-open entry whose protocol is not known is one uncertainty: reported once, by ADMIN-PORTS.
test_unknown_protocol_reported_once_by_admin_ports if {
	admin := data.walint.rules.sg_admin_ports_open.unknown with input as inp
	["Sg", ["SecurityGroupIngress", 4, "CidrIp"]] in {[r.address, r.path] | some r in admin}
}

# An all-traffic entry is reported by ALL-PORTS only, never also by ADMIN-PORTS (case 18).
test_admin_rule_silent_on_all_traffic if {
	admin := data.walint.rules.sg_admin_ports_open.deny with input as inp
	{r.path | some r in admin} == {["SecurityGroupIngress", 3, "CidrIp"]}
}
