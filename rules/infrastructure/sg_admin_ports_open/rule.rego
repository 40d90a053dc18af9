# METADATA
# title: Security group opens an admin port to the internet
# description: |
#   What it checks: every ingress rule of a security group (inline rules, standalone ingress
#   resources, Terraform aws_security_group_rule and aws_vpc_security_group_ingress_rule) that
#   is open to 0.0.0.0/0 or ::/0 on a TCP/UDP range overlapping an administration port:
#   22 (SSH), 3389 (RDP), 23 (Telnet), 5985-5986 (WinRM), 5900 (VNC), 2375-2376 (Docker API),
#   6443 (Kubernetes API), 10250 (kubelet), 135 (MS RPC), 139 (NetBIOS), 445 (SMB).
#   A rule open on all protocols or all ports is reported by WA-SEC05-SG-ALL-PORTS-OPEN instead.
#   Why it matters: admin services exposed to the internet are brute-forced and exploited within
#   minutes; interactive access should go through Systems Manager or a bastion on a private
#   network (SEC05-BP02, SEC06-BP03).
#   Bad (CloudFormation): SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]
#   Bad (Terraform): ingress { protocol = "tcp", from_port = 22, to_port = 22, cidr_blocks = ["0.0.0.0/0"] }
#   Good: the same rule from a corporate CIDR (10.0.0.0/8) or a bastion security group, or no
#   inbound admin port at all (Session Manager).
#   References: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
#   https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html
# custom:
#   id: WA-SEC05-SG-ADMIN-PORTS-OPEN
#   severity: high
#   best_practices: [SEC05-BP02, SEC06-BP03]
#   resource_types: [AWS::EC2::SecurityGroup, AWS::EC2::SecurityGroupIngress, aws_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule]
#   recommended_action: Remove the internet-wide rule; allow admin ports only from known private networks or a bastion security group, or use Systems Manager Session Manager.
package walint.rules.sg_admin_ports_open

import rego.v1

import data.walint.lib
import data.walint.lib.sg

deny contains r if {
	some rec in data.walint.lib.sg.ingress
	sg.open_to_world(rec)
	not sg.all_traffic(rec)
	hits := sg.admin_hits(rec)
	count(hits) > 0
	r := lib.result(rec.address, rec.path, sprintf("%s open to %s", [hits_text(rec, hits), sg.world_cidr(rec)]))
}

# "tcp port 22 (SSH) is" for a single port; "tcp ports 0-1024 (including admin ports 22 (SSH),
# 23 (Telnet), ...) are" for a range.
hits_text(rec, hits) := sprintf("%s port %d (%s) is", [rec.protocol, rec.from, hits[0][2]]) if {
	rec.from == rec.to
}

hits_text(rec, hits) := sprintf("%s ports %d-%d (including admin ports %s) are", [rec.protocol, rec.from, rec.to, concat(", ", [sg.admin_label(a) | some a in hits])]) if {
	rec.from != rec.to
}

# Open to the world, but the protocol or a port bound is not known statically.
unknown contains r if {
	some rec in data.walint.lib.sg.ingress
	sg.open_to_world(rec)
	not sg.all_traffic(rec)
	sg.ports_unknown(rec)
	r := lib.result(rec.address, rec.path, sprintf("ingress from %s: the protocol or port range is not known statically, it may include admin ports", [sg.world_cidr(rec)]))
}

# Admin ports allowed, but the source CIDR is not known statically.
unknown contains r if {
	some rec in data.walint.lib.sg.ingress
	sg.cidr_unknown(rec)
	not sg.all_traffic(rec)
	hits := sg.admin_hits(rec)
	count(hits) > 0
	r := lib.result(rec.address, rec.path, sprintf("%s open to a CIDR that is not known statically (%s)", [hits_text(rec, hits), sg.cidr_unknown_reason(rec)]))
}

unknown contains r if {
	some u in data.walint.lib.sg.unknown_entries
	r := lib.result(u.address, u.path, sprintf("ingress rules are not known statically (%s)", [u.reason]))
}
