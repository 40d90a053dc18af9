# METADATA
# title: Instance requests a public IP address
# description: |
#   What it checks: EC2 instances, launch templates, launch configurations and ECS services must
#   not request a public IPv4 address: AssociatePublicIpAddress (instance and launch template
#   NetworkInterfaces[], launch configuration) / associate_public_ip_address true, or ECS
#   AssignPublicIp / assign_public_ip ENABLED / true. An instance that does not say (no
#   AssociatePublicIpAddress) inherits its subnet's setting: when the instance is placed in a
#   subnet of the same unit with MapPublicIpOnLaunch / map_public_ip_on_launch true it fails too,
#   with the subnet as related location. Instances in subnets outside the unit are not judged.
#   Why it matters: a public address makes the instance reachable from the internet as soon as
#   one security group rule allows it, and invites interactive administration over SSH/RDP
#   instead of Session Manager (SEC05-BP01, SEC06-BP03).
#   Bad (CloudFormation): AWS::EC2::Instance with NetworkInterfaces: [{DeviceIndex: "0",
#   AssociatePublicIpAddress: true, SubnetId: ...}]
#   Bad (Terraform): aws_instance with associate_public_ip_address = true
#   Good: AssociatePublicIpAddress false or omitted in a private subnet; expose the workload
#   through a load balancer and administer it through Session Manager.
#   References: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ec2-instance-networkinterface.html
#   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html
# custom:
#   id: WA-SEC05-EC2-PUBLIC-IP
#   severity: medium
#   best_practices: [SEC05-BP01, SEC06-BP03]
#   resource_types: [AWS::EC2::Instance, AWS::EC2::LaunchTemplate, AWS::AutoScaling::LaunchConfiguration, AWS::ECS::Service, aws_instance, aws_launch_template, aws_launch_configuration, aws_ecs_service]
#   recommended_action: Set AssociatePublicIpAddress / associate_public_ip_address to false (AssignPublicIp DISABLED for ECS services), place instances in private subnets, and reach them through a load balancer and Session Manager.
package walint.rules.ec2_public_ip

import rego.v1

import data.walint.lib
import data.walint.lib.net

harm := "the instance gets a public IPv4 address and is reachable from the internet wherever its security groups allow"

# Settings: [address, path] of every place that can request a public IP.
settings contains [address, ["NetworkInterfaces", i, "AssociatePublicIpAddress"]] if {
	some address in lib.managed_of("AWS::EC2::Instance")
	some i, _ in as_array(lib.resource(address).attrs.NetworkInterfaces)
}

settings contains [address, ["LaunchTemplateData", "NetworkInterfaces", i, "AssociatePublicIpAddress"]] if {
	some address in lib.managed_of("AWS::EC2::LaunchTemplate")
	some i, _ in as_array(object.get(lib.resource(address).attrs, ["LaunchTemplateData", "NetworkInterfaces"], []))
}

settings contains [address, ["AssociatePublicIpAddress"]] if {
	some address in lib.managed_of("AWS::AutoScaling::LaunchConfiguration")
}

settings contains [address, ["associate_public_ip_address"]] if {
	some t in ["aws_instance", "aws_launch_configuration"]
	some address in lib.managed_of(t)
}

settings contains [address, ["network_interfaces", i, "associate_public_ip_address"]] if {
	some address in lib.managed_of("aws_launch_template")
	some i, _ in as_array(lib.resource(address).attrs.network_interfaces)
}

as_array(v) := v if is_array(v)

as_array(v) := [] if not is_array(v)

deny contains r if {
	some [address, path] in settings
	v := object.get(lib.resource(address).attrs, path, null)
	lib.is_true(v)
	r := lib.result(address, path, sprintf("%s is %s: %s", [path[count(path) - 1], lib.show(v), harm]))
}

unknown contains r if {
	some [address, path] in settings
	v := object.get(lib.resource(address).attrs, path, null)
	lib.is_unknown(v)
	r := lib.result(address, path, sprintf("%s is not known statically (%s)", [path[count(path) - 1], lib.unknown_reason(v)]))
}

# ECS services in awsvpc mode.
ecs_paths := {
	"AWS::ECS::Service": ["NetworkConfiguration", "AwsvpcConfiguration", "AssignPublicIp"],
	"aws_ecs_service": ["network_configuration", 0, "assign_public_ip"],
}

deny contains r if {
	some t, path in ecs_paths
	some address in lib.managed_of(t)
	v := object.get(lib.resource(address).attrs, path, null)
	enabled(v)
	r := lib.result(address, path, sprintf("%s is %s: every task of the service gets a public IPv4 address", [path[count(path) - 1], lib.show(v)]))
}

unknown contains r if {
	some t, path in ecs_paths
	some address in lib.managed_of(t)
	v := object.get(lib.resource(address).attrs, path, null)
	lib.is_unknown(v)
	r := lib.result(address, path, sprintf("%s is not known statically (%s)", [path[count(path) - 1], lib.unknown_reason(v)]))
}

enabled(v) if lib.is_true(v)

enabled(v) if {
	is_string(v)
	lib.upper_of(v) == "ENABLED"
}

# Instances that do not say inherit the subnet's MapPublicIpOnLaunch.
instance_types := {"AWS::EC2::Instance": "AssociatePublicIpAddress", "aws_instance": "associate_public_ip_address"}

says(address) if {
	some [a, path] in settings
	a == address
	object.get(lib.resource(address).attrs, path, null) != null
}

deny contains r if {
	some t, _ in instance_types
	some address in lib.managed_of(t)
	not says(address)
	some s in net.direct(address)
	key := {"AWS::EC2::Subnet": "MapPublicIpOnLaunch", "aws_subnet": "map_public_ip_on_launch"}[lib.resource(s.subnet).type]
	lib.is_true(object.get(lib.resource(s.subnet).attrs, key, null))
	r := lib.result_related(address, s.at, sprintf("the instance is placed in subnet %s, which sets %s to true: %s", [s.subnet, key, harm]), [{"address": s.subnet, "path": [key]}])
}
