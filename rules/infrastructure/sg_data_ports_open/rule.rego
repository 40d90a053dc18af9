# METADATA
# title: Security group opens a database or cache port to the internet
# description: |
#   What it checks: every ingress rule of a security group (inline rules, standalone ingress
#   resources, Terraform aws_security_group_rule and aws_vpc_security_group_ingress_rule) that
#   is open to 0.0.0.0/0 or ::/0 on a TCP/UDP range overlapping a data-store port:
#   1433 (SQL Server), 1521 and 2483-2484 (Oracle), 3306 (MySQL), 5432 (PostgreSQL),
#   5439 (Redshift), 6379 (Redis), 7000-7001 and 9042 (Cassandra), 8020 and 50070 (HDFS),
#   9092 (Kafka), 9200 and 9300 (Elasticsearch), 11211 (Memcached), 27017-27019 (MongoDB).
#   A rule open on all protocols or all ports is reported by WA-SEC05-SG-ALL-PORTS-OPEN instead.
#   Why it matters: data stores reachable from the internet are found by scanners within hours
#   and attacked with default credentials, known exploits and brute force; they belong in a
#   private tier reachable only from the application tier (SEC05-BP01).
#   Bad (CloudFormation): SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/0}]
#   Bad (Terraform): ingress { protocol = "tcp", from_port = 3306, to_port = 3306, cidr_blocks = ["0.0.0.0/0"] }
#   Good: the database port opened only to the application tier's security group
#   (SourceSecurityGroupId / security_groups) or a private CIDR.
#   References: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
#   https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.Scenarios.html
# custom:
#   id: WA-SEC05-SG-DATA-PORTS-OPEN
#   severity: high
#   best_practices: [SEC05-BP01]
#   resource_types: [AWS::EC2::SecurityGroup, AWS::EC2::SecurityGroupIngress, aws_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule]
#   recommended_action: Remove the internet-wide rule; allow the data-store port only from the application tier's security group or from private networks.
package walint.rules.sg_data_ports_open

import rego.v1

import data.walint.lib
import data.walint.lib.sg

deny contains r if {
	some rec in data.walint.lib.sg.ingress
	sg.open_to_world(rec)
	not sg.all_traffic(rec)
	hits := sg.data_hits(rec)
	count(hits) > 0
	r := lib.result(rec.address, rec.path, sprintf("%s open to %s", [hits_text(rec, hits), sg.world_cidr(rec)]))
}

hits_text(rec, hits) := sprintf("%s port %d (%s) is", [rec.protocol, rec.from, hits[0][2]]) if {
	rec.from == rec.to
}

hits_text(rec, hits) := sprintf("%s ports %d-%d (including data-store ports %s) are", [rec.protocol, rec.from, rec.to, concat(", ", [sg.admin_label(a) | some a in hits])]) if {
	rec.from != rec.to
}

# Open to the world, but the protocol or a port bound is not known statically.
# An ingress rule open to the world whose protocol or ports are not known, and an ingress list
# that is not known at all, are reported once, as unknown, by WA-SEC05-SG-ADMIN-PORTS-OPEN
# (one uncertainty, one result), not again here.

# Data-store ports allowed, but the source CIDR is not known statically.
unknown contains r if {
	some rec in data.walint.lib.sg.ingress
	sg.cidr_unknown(rec)
	not sg.all_traffic(rec)
	hits := sg.data_hits(rec)
	count(hits) > 0
	r := lib.result(rec.address, rec.path, sprintf("%s open to a CIDR that is not known statically (%s)", [hits_text(rec, hits), sg.cidr_unknown_reason(rec)]))
}
