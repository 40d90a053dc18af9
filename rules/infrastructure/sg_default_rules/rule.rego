# METADATA
# title: Default security group has rules or is used
# description: |
#   What it checks: the default security group of a VPC must carry no rules, and instances must
#   not fall back to it. Terraform: an aws_default_security_group that declares ingress or egress
#   rules fails; an aws_instance with neither vpc_security_group_ids, security_groups,
#   network_interface nor launch_template gets the default group and fails. CloudFormation: an
#   AWS::EC2::SecurityGroupIngress/Egress whose GroupId is Fn::GetAtt of a VPC (its
#   DefaultSecurityGroup) fails; an AWS::EC2::Instance with neither SecurityGroupIds,
#   SecurityGroups, NetworkInterfaces nor LaunchTemplate gets the default group and fails.
#   Why it matters: the default group allows all traffic between its members and is attached
#   implicitly, so rules added to it reach every resource launched without an explicit group
#   (SEC05-BP02).
#   Bad (CloudFormation): AWS::EC2::SecurityGroupIngress with GroupId: !GetAtt Vpc.DefaultSecurityGroup
#   Bad (Terraform): aws_default_security_group with an ingress block
#   Good: aws_default_security_group with no ingress/egress (it strips the default rules);
#   instances with their own security groups.
#   References: https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_security_group
# custom:
#   id: WA-SEC05-SG-DEFAULT-RULES
#   severity: medium
#   best_practices: [SEC05-BP02]
#   resource_types: [aws_default_security_group, aws_instance, AWS::EC2::SecurityGroupIngress, AWS::EC2::SecurityGroupEgress, AWS::EC2::Instance]
#   recommended_action: Remove every rule from the default security group (declare aws_default_security_group without rules in Terraform) and give each resource its own least-privilege security group.
package walint.rules.sg_default_rules

import rego.v1

import data.walint.lib

# ---------------------------------------------------------------- Terraform

deny contains r if {
	some address in lib.managed_of("aws_default_security_group")
	attrs := lib.resource(address).attrs
	some key in ["ingress", "egress"]
	rules := attrs[key]
	is_array(rules)
	count(rules) > 0
	r := lib.result(address, [key, 0], sprintf("the default security group declares %d %s rule(s): it should carry no rules", [count(rules), key]))
}

unknown contains r if {
	some address in lib.managed_of("aws_default_security_group")
	some key in ["ingress", "egress"]
	rules := lib.resource(address).attrs[key]
	lib.is_unknown(rules)
	r := lib.result(address, [key], sprintf("%s rules of the default security group are not known statically (%s)", [key, lib.unknown_reason(rules)]))
}

# ---------------------------------------------------------------- CloudFormation

deny contains r if {
	some t in ["AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"]
	some address in lib.managed_of(t)
	some ref in lib.resource(address).refs
	ref.at == ["GroupId"]
	ref.kind == "get-att"
	lib.resource(ref.to).type == "AWS::EC2::VPC"
	r := lib.result_related(address, ["GroupId"], sprintf("GroupId is the default security group of VPC %s: this rule applies to every resource launched without its own group", [ref.to]), [{"address": ref.to, "path": []}])
}

# ---------------------------------------------------------------- instances

# [type, keys any of which gives the instance its own groups]
instance_types := [
	["AWS::EC2::Instance", ["SecurityGroupIds", "SecurityGroups", "NetworkInterfaces", "LaunchTemplate"]],
	["aws_instance", ["vpc_security_group_ids", "security_groups", "network_interface", "launch_template"]],
]

deny contains r if {
	some [t, keys] in instance_types
	some address in lib.managed_of(t)
	attrs := lib.resource(address).attrs
	every k in keys {
		not non_empty(attrs, k)
	}
	r := lib.result(address, [keys[0]], sprintf("%s is not set: the instance is placed in the VPC's default security group", [keys[0]]))
}

non_empty(attrs, k) if {
	v := attrs[k]
	v != null
	not empty_list(v)
}

empty_list(v) if {
	is_array(v)
	count(v) == 0
}
