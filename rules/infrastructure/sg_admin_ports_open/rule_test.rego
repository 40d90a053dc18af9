package walint.rules.sg_admin_ports_open_test

import rego.v1

import data.walint.rules.sg_admin_ports_open as rule

u := {"$unknown": "parameter AdminCidr has no default"}

mixed := {
	"resources": {
		"Sg": {"address": "Sg", "type": "AWS::EC2::SecurityGroup", "attrs": {"SecurityGroupIngress": [
			{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
			{"IpProtocol": "tcp", "FromPort": "22", "ToPort": "22", "CidrIp": "0.0.0.0/0"},
			{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"},
			{"IpProtocol": "6", "FromPort": 3389, "ToPort": 3389, "CidrIpv6": "::/0"},
			{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.0.0.0/8"},
			{"IpProtocol": "tcp", "FromPort": 20, "ToPort": 25, "CidrIp": u},
			{"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1, "CidrIp": "0.0.0.0/0"},
		]}},
		"Standalone": {"address": "Standalone", "type": "AWS::EC2::SecurityGroupIngress", "attrs": {"IpProtocol": "tcp", "FromPort": 0, "ToPort": 1024, "CidrIp": "0.0.0.0/0"}},
		"aws_security_group.a": {"address": "aws_security_group.a", "type": "aws_security_group", "attrs": {"ingress": [
			{"protocol": "tcp", "from_port": 5985, "to_port": 5985, "cidr_blocks": ["10.0.0.0/8", "0.0.0.0/0"]},
			{"protocol": -1, "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]},
		]}},
		"aws_security_group.dyn": {"address": "aws_security_group.dyn", "type": "aws_security_group", "attrs": {"ingress": {"$unknown": "dynamic block"}}},
		"aws_security_group_rule.egress": {"address": "aws_security_group_rule.egress", "type": "aws_security_group_rule", "attrs": {"type": "egress", "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}},
		"aws_security_group_rule.in": {"address": "aws_security_group_rule.in", "type": "aws_security_group_rule", "attrs": {"type": "ingress", "protocol": "tcp", "from_port": 6443, "to_port": 6443, "ipv6_cidr_blocks": ["::/0"]}},
		"aws_security_group_rule.port_var": {"address": "aws_security_group_rule.port_var", "type": "aws_security_group_rule", "attrs": {"type": "ingress", "protocol": "tcp", "from_port": {"$unknown": "var.port"}, "to_port": {"$unknown": "var.port"}, "cidr_blocks": ["0.0.0.0/0"]}},
		"aws_vpc_security_group_ingress_rule.ssh": {"address": "aws_vpc_security_group_ingress_rule.ssh", "type": "aws_vpc_security_group_ingress_rule", "attrs": {"ip_protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_ipv4": "0.0.0.0/0"}},
	},
	"by_type": {
		"AWS::EC2::SecurityGroup": ["Sg"],
		"AWS::EC2::SecurityGroupIngress": ["Standalone"],
		"aws_security_group": ["aws_security_group.a", "aws_security_group.dyn"],
		"aws_security_group_rule": ["aws_security_group_rule.egress", "aws_security_group_rule.in", "aws_security_group_rule.port_var"],
		"aws_vpc_security_group_ingress_rule": ["aws_vpc_security_group_ingress_rule.ssh"],
	},
}

test_deny_rows if {
	got := {[r.address, r.path, r.message] | some r in rule.deny with input as mixed}
	got == {
		["Sg", ["SecurityGroupIngress", 1, "CidrIp"], "tcp port 22 (SSH) is open to 0.0.0.0/0"],
		["Sg", ["SecurityGroupIngress", 3, "CidrIpv6"], "tcp port 3389 (RDP) is open to ::/0"],
		["Standalone", ["CidrIp"], "tcp ports 0-1024 (including admin ports 22 (SSH), 23 (Telnet), 135 (MS RPC), 139 (NetBIOS), 445 (SMB)) are open to 0.0.0.0/0"],
		["aws_security_group.a", ["ingress", 0, "cidr_blocks"], "tcp port 5985 (WinRM) is open to 0.0.0.0/0"],
		["aws_security_group_rule.in", ["ipv6_cidr_blocks"], "tcp port 6443 (Kubernetes API) is open to ::/0"],
		["aws_vpc_security_group_ingress_rule.ssh", ["cidr_ipv4"], "tcp port 22 (SSH) is open to 0.0.0.0/0"],
	}
}

test_unknown_rows if {
	got := {[r.address, r.path] | some r in rule.unknown with input as mixed}
	got == {
		["Sg", ["SecurityGroupIngress", 5, "CidrIp"]],
		["aws_security_group.dyn", ["ingress"]],
		["aws_security_group_rule.port_var", ["cidr_blocks"]],
	}
}
