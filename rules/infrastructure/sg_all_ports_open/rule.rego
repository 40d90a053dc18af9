# METADATA
# title: Security group allows all traffic from the internet
# description: |
#   What it checks: every ingress rule of a security group (inline rules, standalone ingress
#   resources, Terraform aws_security_group_rule and aws_vpc_security_group_ingress_rule) that
#   is open to 0.0.0.0/0 or ::/0 with all protocols (-1) or a TCP/UDP range covering every port.
#   Why it matters: a group open to the world on every port exposes every service on the
#   attached instances, including ones never meant to be reachable (SEC05-BP01/BP02).
#   Bad (CloudFormation): SecurityGroupIngress: [{IpProtocol: "-1", CidrIp: 0.0.0.0/0}]
#   Bad (Terraform): ingress { protocol = "-1", from_port = 0, to_port = 0, cidr_blocks = ["0.0.0.0/0"] }
#   Good: open only the ports the workload serves, from the networks that need them
#   (e.g. tcp 443 from a load balancer security group).
#   References: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
#   https://docs.aws.amazon.com/wellarchitected/latest/security-pillar/sec_network_protection_create_layers.html
# custom:
#   id: WA-SEC05-SG-ALL-PORTS-OPEN
#   severity: critical
#   best_practices: [SEC05-BP01, SEC05-BP02]
#   resource_types: [AWS::EC2::SecurityGroup, AWS::EC2::SecurityGroupIngress, aws_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule]
#   recommended_action: Restrict the rule to the protocols and ports the workload needs, and to the source networks or security groups that need them.
package walint.rules.sg_all_ports_open

import rego.v1

import data.walint.lib
import data.walint.lib.sg

deny contains r if {
	some rec in data.walint.lib.sg.ingress
	sg.open_to_world(rec)
	sg.all_traffic(rec)
	r := lib.result(rec.address, rec.path, sprintf("%s are open to %s", [traffic_text(rec), sg.world_cidr(rec)]))
}

traffic_text(rec) := "all protocols and ports" if rec.protocol == "-1"

traffic_text(rec) := sprintf("all %s ports (%d-%d)", [rec.protocol, rec.from, rec.to]) if rec.protocol != "-1"

# Open to the world, but the protocol or a port bound is not known statically.
# An ingress rule open to the world whose protocol or ports are not known, and an ingress list
# that is not known at all, are reported once, as unknown, by WA-SEC05-SG-ADMIN-PORTS-OPEN
# (one uncertainty, one result), not again here.

# All traffic allowed, but the source CIDR is not known statically.
unknown contains r if {
	some rec in data.walint.lib.sg.ingress
	sg.cidr_unknown(rec)
	sg.all_traffic(rec)
	r := lib.result(rec.address, rec.path, sprintf("%s are allowed from a CIDR that is not known statically (%s)", [traffic_text(rec), sg.cidr_unknown_reason(rec)]))
}
