# Security-group ingress view: one record per place where an ingress CIDR is written, over
# every rule source of both origins (catalog §2.5):
#   CloudFormation  AWS::EC2::SecurityGroup.SecurityGroupIngress[] (CidrIp, CidrIpv6)
#                   AWS::EC2::SecurityGroupIngress (CidrIp, CidrIpv6)
#   Terraform       aws_security_group.ingress[] (cidr_blocks, ipv6_cidr_blocks)
#                   aws_security_group_rule with type = "ingress" (cidr_blocks, ipv6_cidr_blocks)
#                   aws_vpc_security_group_ingress_rule (cidr_ipv4, cidr_ipv6)
#
# A record is {"address", "path", "cidrs", "protocol", "from", "to"}:
#   path      attribute path of the CIDR attribute (the place a finding points at)
#   cidrs     list of the CIDR values written there (elements may be {"$unknown": ...})
#   protocol  normalised: "-1" (all traffic), "tcp", "udp", "icmp", "icmpv6", another
#             protocol name/number as a lower-case string, or "$unknown"
#   from, to  port numbers, null when absent, or "$unknown"
# Whole rule lists or list entries that are unknown appear in `unknown_entries` instead, as
# {"address", "path", "reason"}; so do records whose source CIDR is not known (and not known to
# include the world) while their protocol or port range is not known either (a `dynamic`
# block over an unknown collection, `cidr_blocks = [var.c]` with `from_port = var.p`): no
# port-specific rule can decide them, and they must not pass silently.
package walint.lib.sg

import rego.v1

import data.walint.lib

# "World" CIDRs (catalog §2.5).
world_cidrs := {"0.0.0.0/0", "::/0"}

# Admin ports (catalog §2.5): [from, to, label].
admin_ports := [
	[22, 22, "SSH"],
	[3389, 3389, "RDP"],
	[23, 23, "Telnet"],
	[5985, 5986, "WinRM"],
	[5900, 5900, "VNC"],
	[2375, 2376, "Docker API"],
	[6443, 6443, "Kubernetes API"],
	[10250, 10250, "kubelet"],
	[135, 135, "MS RPC"],
	[139, 139, "NetBIOS"],
	[445, 445, "SMB"],
]

# Data-store ports (catalog §2.5): database, cache, search and queue listeners.
data_ports := [
	[1433, 1433, "SQL Server"],
	[1521, 1521, "Oracle"],
	[2483, 2484, "Oracle"],
	[3306, 3306, "MySQL"],
	[5432, 5432, "PostgreSQL"],
	[5439, 5439, "Redshift"],
	[6379, 6379, "Redis"],
	[7000, 7001, "Cassandra"],
	[8020, 8020, "HDFS"],
	[9042, 9042, "Cassandra"],
	[9092, 9092, "Kafka"],
	[9200, 9200, "Elasticsearch"],
	[9300, 9300, "Elasticsearch"],
	[11211, 11211, "Memcached"],
	[27017, 27019, "MongoDB"],
	[50070, 50070, "HDFS"],
]

# ---------------------------------------------------------------- CloudFormation

cfn_cidr_keys := ["CidrIp", "CidrIpv6"]

ingress contains rec if {
	some address in lib.resources_of("AWS::EC2::SecurityGroup")
	rules := lib.resource(address).attrs.SecurityGroupIngress
	is_array(rules)
	some i, entry in rules
	is_object(entry)
	some key in cfn_cidr_keys
	lib.present(entry, key)
	rec := cfn_record(address, ["SecurityGroupIngress", i, key], entry, entry[key])
}

ingress contains rec if {
	some address in lib.resources_of("AWS::EC2::SecurityGroupIngress")
	entry := lib.resource(address).attrs
	some key in cfn_cidr_keys
	lib.present(entry, key)
	rec := cfn_record(address, [key], entry, entry[key])
}

cfn_record(address, path, entry, cidr) := {
	"address": address,
	"path": path,
	"cidrs": [cidr],
	"protocol": protocol(object.get(entry, "IpProtocol", null)),
	"from": port(object.get(entry, "FromPort", null)),
	"to": port(object.get(entry, "ToPort", null)),
}

unknown_entries contains u if {
	some address in lib.resources_of("AWS::EC2::SecurityGroup")
	rules := lib.resource(address).attrs.SecurityGroupIngress
	lib.is_unknown(rules)
	u := {"address": address, "path": ["SecurityGroupIngress"], "reason": lib.unknown_reason(rules)}
}

unknown_entries contains u if {
	some address in lib.resources_of("AWS::EC2::SecurityGroup")
	rules := lib.resource(address).attrs.SecurityGroupIngress
	is_array(rules)
	some i, entry in rules
	lib.is_unknown(entry)
	u := {"address": address, "path": ["SecurityGroupIngress", i], "reason": lib.unknown_reason(entry)}
}

# ---------------------------------------------------------------- Terraform

tf_list_keys := ["cidr_blocks", "ipv6_cidr_blocks"]

ingress contains rec if {
	some address in lib.resources_of("aws_security_group")
	rules := lib.resource(address).attrs.ingress
	is_array(rules)
	some i, entry in rules
	is_object(entry)
	some key in tf_list_keys
	lib.present(entry, key)
	rec := tf_record(address, ["ingress", i, key], entry, lib.as_list(entry[key]))
}

unknown_entries contains u if {
	some address in lib.resources_of("aws_security_group")
	rules := lib.resource(address).attrs.ingress
	lib.is_unknown(rules)
	u := {"address": address, "path": ["ingress"], "reason": lib.unknown_reason(rules)}
}

unknown_entries contains u if {
	some address in lib.resources_of("aws_security_group")
	rules := lib.resource(address).attrs.ingress
	is_array(rules)
	some i, entry in rules
	lib.is_unknown(entry)
	u := {"address": address, "path": ["ingress", i], "reason": lib.unknown_reason(entry)}
}

ingress contains rec if {
	some address in lib.resources_of("aws_security_group_rule")
	entry := lib.resource(address).attrs
	tf_rule_may_be_ingress(entry)
	some key in tf_list_keys
	lib.present(entry, key)
	rec := tf_record(address, [key], entry, lib.as_list(entry[key]))
}

# An aws_security_group_rule whose `type` is unknown is treated as ingress: the rules then
# report `unknown` rather than a failure (see `tf_rule_type_unknown`).
tf_rule_may_be_ingress(entry) if entry.type == "ingress"

tf_rule_may_be_ingress(entry) if lib.is_unknown(entry.type)

ingress contains rec if {
	some address in lib.resources_of("aws_vpc_security_group_ingress_rule")
	entry := lib.resource(address).attrs
	some key in ["cidr_ipv4", "cidr_ipv6"]
	lib.present(entry, key)
	rec := {
		"address": address,
		"path": [key],
		"cidrs": [entry[key]],
		"protocol": protocol(object.get(entry, "ip_protocol", null)),
		"from": port(object.get(entry, "from_port", null)),
		"to": port(object.get(entry, "to_port", null)),
	}
}

tf_record(address, path, entry, cidrs) := {
	"address": address,
	"path": path,
	"cidrs": cidrs,
	"protocol": tf_protocol(address, entry),
	"from": port(object.get(entry, "from_port", null)),
	"to": port(object.get(entry, "to_port", null)),
}

# The protocol of a Terraform rule; an aws_security_group_rule of unknown `type` makes the
# whole record uncertain, which is expressed as an unknown protocol.
tf_protocol(address, entry) := "$unknown" if {
	lib.resource(address).type == "aws_security_group_rule"
	lib.is_unknown(entry.type)
} else := protocol(object.get(entry, "protocol", null))

# ---------------------------------------------------------------- records not decidable

unknown_entries contains u if {
	some rec in ingress
	cidr_unknown(rec)
	ports_unknown(rec)
	u := {
		"address": rec.address,
		"path": rec.path,
		"reason": sprintf("source CIDR: %s; the protocol or port range is not known either", [cidr_unknown_reason(rec)]),
	}
}

# ---------------------------------------------------------------- normalisation

# protocol(v): the normalised protocol name (see the record doc above).
protocol(v) := "$unknown" if lib.is_unknown(v)

protocol(v) := "-1" if v == -1

protocol(v) := p if {
	is_string(v)
	p := protocol_name(lower(trim_space(v)))
}

protocol(v) := protocol_name(sprintf("%v", [v])) if {
	is_number(v)
	v != -1
}

# A missing protocol (invalid for every source) is recorded as "" and never matches.
protocol(v) := "" if v == null

protocol_name(s) := "-1" if s in {"-1", "all"}

protocol_name(s) := "tcp" if s == "6"

protocol_name(s) := "udp" if s == "17"

protocol_name(s) := "icmp" if s == "1"

protocol_name(s) := "icmpv6" if s in {"58", "icmp-v6"}

protocol_name(s) := s if not s in {"-1", "all", "6", "17", "1", "58", "icmp-v6"}

# port(v): an integer port, null when absent, "$unknown" when unknown or not a whole number
# from -1 to 65535 (a port such as 2.5 or 1e300 cannot be judged, and `%d` in the rules'
# messages fails on a fraction).
port(v) := "$unknown" if lib.is_unknown(v)

port(v) := null if v == null

port(v) := n if n := port_number(v)

port(v) := "$unknown" if {
	v != null
	not lib.is_unknown(v)
	not port_number(v)
}

port_number(v) := n if {
	n := lib.as_int(v)
	n == floor(n)
	n >= -1
	n <= 65535
}

# ---------------------------------------------------------------- predicates

# world_cidr(rec) is the first CIDR of the record open to the whole internet.
world_cidrs_of(rec) := [c | some c in rec.cidrs; is_string(c); trim_space(c) in world_cidrs]

world_cidr(rec) := trim_space(world_cidrs_of(rec)[0])

# open_to_world(rec): some CIDR of the record is 0.0.0.0/0 or ::/0.
open_to_world(rec) if count(world_cidrs_of(rec)) > 0

# cidr_unknown(rec): no CIDR is known to be the world, but one is unknown.
cidr_unknown(rec) if {
	not open_to_world(rec)
	some c in rec.cidrs
	lib.is_unknown(c)
}

cidr_unknown_reason(rec) := lib.unknown_reason([c | some c in rec.cidrs; lib.is_unknown(c)][0])

port_based(rec) if rec.protocol in {"tcp", "udp"}

# all_traffic(rec): all protocols, or a TCP/UDP range covering every port (0 or 1 to 65535).
all_traffic(rec) if rec.protocol == "-1"

all_traffic(rec) if {
	port_based(rec)
	is_number(rec.from)
	is_number(rec.to)
	rec.from <= 1
	rec.to >= 65535
}

# ports_unknown(rec): protocol unknown, or TCP/UDP with an unknown port bound.
ports_unknown(rec) if rec.protocol == "$unknown"

ports_unknown(rec) if {
	port_based(rec)
	"$unknown" in {rec.from, rec.to}
}

# admin_hits(rec): the admin_ports entries inside the record's TCP/UDP range.
admin_hits(rec) := [a |
	port_based(rec)
	is_number(rec.from)
	is_number(rec.to)
	some a in admin_ports
	rec.from <= a[1]
	a[0] <= rec.to
]

# data_hits(rec): the data_ports entries inside the record's TCP/UDP range.
data_hits(rec) := [a |
	port_based(rec)
	is_number(rec.from)
	is_number(rec.to)
	some a in data_ports
	rec.from <= a[1]
	a[0] <= rec.to
]

admin_label(a) := sprintf("%d (%s)", [a[0], a[2]]) if a[0] == a[1]

admin_label(a) := sprintf("%d-%d (%s)", [a[0], a[1], a[2]]) if a[0] != a[1]

# port_text(rec): "port 22" or "ports 0-1024", with the protocol.
port_text(rec) := sprintf("%s port %d", [rec.protocol, rec.from]) if rec.from == rec.to

port_text(rec) := sprintf("%s ports %d-%d", [rec.protocol, rec.from, rec.to]) if rec.from != rec.to
