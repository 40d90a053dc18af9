# METADATA
# title: VPC has no flow log
# description: |
#   What it checks: every VPC declared in the unit (AWS::EC2::VPC, aws_vpc) is the target of a
#   flow log of the same unit: an AWS::EC2::FlowLog whose ResourceId references the VPC, or an
#   aws_flow_log whose vpc_id references it. When a flow log of the unit targets a value that
#   cannot be resolved (a parameter, a variable), the VPCs without a flow log are reported as
#   unknown instead.
#   Why it matters: flow logs are the only record of which addresses talked to which on the
#   network; without them lateral movement, data exfiltration and scanning cannot be seen or
#   investigated (SEC04-BP01, SEC05-BP04).
#   Bad (CloudFormation): an AWS::EC2::VPC and no AWS::EC2::FlowLog with ResourceId: !Ref Vpc
#   Bad (Terraform): an aws_vpc and no aws_flow_log with vpc_id = aws_vpc.main.id
#   Good: AWS::EC2::FlowLog {ResourceType: VPC, ResourceId: !Ref Vpc, TrafficType: ALL, ...}
#   / aws_flow_log { vpc_id = aws_vpc.main.id, traffic_type = "ALL", ... }
#   References: https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-flowlog.html
# custom:
#   id: WA-SEC04-VPC-FLOW-LOGS
#   severity: medium
#   best_practices: [SEC04-BP01, SEC05-BP04]
#   resource_types: [AWS::EC2::VPC, aws_vpc, aws_default_vpc]
#   recommended_action: Add a flow log for the VPC (TrafficType / traffic_type ALL) delivered to CloudWatch Logs or S3.
package walint.rules.vpc_flow_logs

import rego.v1

import data.walint.lib

# [flow-log type, attribute naming the VPC]
flow_log_types := {"AWS::EC2::FlowLog": "ResourceId", "aws_flow_log": "vpc_id"}

vpc_types := ["AWS::EC2::VPC", "aws_vpc", "aws_default_vpc"]

has_flow_log(vpc) if {
	some ref in lib.resource(vpc).referrers
	key := flow_log_types[lib.resource(ref.from).type]
	ref.at[0] == key
}

# A flow log of the unit whose target is not a resource of the unit and is not known.
unresolved_flow_logs contains [address, key] if {
	some t, key in flow_log_types
	some address in lib.managed_of(t)
	v := object.get(lib.resource(address).attrs, key, null)
	lib.is_unknown(v)
	not targets_a_resource(address, key)
}

targets_a_resource(address, key) if {
	some ref in lib.resource(address).refs
	ref.at[0] == key
}

deny contains r if {
	count(unresolved_flow_logs) == 0
	some t in vpc_types
	some vpc in lib.managed_of(t)
	not has_flow_log(vpc)
	r := lib.result(vpc, [], "no flow log records the traffic of this VPC")
}

unknown contains r if {
	count(unresolved_flow_logs) > 0
	some t in vpc_types
	some vpc in lib.managed_of(t)
	not has_flow_log(vpc)
	related := [{"address": a, "path": [k]} | some [a, k] in unresolved_flow_logs]
	r := lib.result_related(vpc, [], "no flow log references this VPC, but a flow log of the template targets a resource that is not known statically", related)
}
