# METADATA
# title: Subnet assigns public IPv4 addresses automatically
# description: |
#   What it checks: subnets must not set MapPublicIpOnLaunch (CloudFormation) or
#   map_public_ip_on_launch (Terraform) to true; absent means false and passes.
#   Why it matters: every instance launched into such a subnet gets a public address, so one
#   permissive security group is enough to expose it; public addresses should be a deliberate
#   choice per load balancer or NAT gateway, not a subnet default (SEC05-BP01).
#   Bad (CloudFormation): AWS::EC2::Subnet with MapPublicIpOnLaunch: true
#   Bad (Terraform): aws_subnet with map_public_ip_on_launch = true
#   Good: the property omitted or false; internet-facing entry points in public subnets are
#   load balancers and NAT gateways, which get their addresses explicitly.
#   References: https://docs.aws.amazon.com/vpc/latest/userguide/subnet-public-ip.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-subnet.html
# custom:
#   id: WA-SEC05-SUBNET-AUTO-PUBLIC-IP
#   severity: medium
#   best_practices: [SEC05-BP01]
#   resource_types: [AWS::EC2::Subnet, aws_subnet, aws_default_subnet]
#   recommended_action: Set MapPublicIpOnLaunch / map_public_ip_on_launch to false and give public addresses only to resources that must be reachable (load balancers, NAT gateways).
package walint.rules.subnet_auto_public_ip

import rego.v1

import data.walint.lib

subnets contains [address, attrs, key] if {
	some [t, key] in [["AWS::EC2::Subnet", "MapPublicIpOnLaunch"], ["aws_subnet", "map_public_ip_on_launch"], ["aws_default_subnet", "map_public_ip_on_launch"]]
	some address in lib.managed_of(t)
	attrs := lib.resource(address).attrs
}

deny contains r if {
	some [address, attrs, key] in subnets
	lib.is_true(attrs[key])
	r := lib.result(address, [key], sprintf("%s is %s: every instance launched in this subnet gets a public IPv4 address", [key, lib.show(attrs[key])]))
}

unknown contains r if {
	some [address, attrs, key] in subnets
	lib.is_unknown(attrs[key])
	r := lib.result(address, [key], sprintf("%s is not known statically (%s)", [key, lib.unknown_reason(attrs[key])]))
}
