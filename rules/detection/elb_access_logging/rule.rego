# METADATA
# title: Load balancer access logging is off
# description: |
#   What it checks: Application and Network Load Balancers must enable access logs: the
#   LoadBalancerAttributes entry `access_logs.s3.enabled` = "true" (CloudFormation) or
#   access_logs { enabled = true } (Terraform aws_lb / aws_alb, where `enabled` defaults to false
#   even when a bucket is given). Classic Load Balancers need AccessLoggingPolicy.Enabled: true
#   (CloudFormation) or an access_logs block that is not disabled (Terraform aws_elb, where
#   `enabled` defaults to true). Gateway Load Balancers are exempt (they have no access logs).
#   Absent means off.
#   Why it matters: access logs are the record of every request the entry point received: client
#   address, path, TLS details and response; without them an attack through the load balancer
#   cannot be investigated (SEC04-BP01).
#   Bad (CloudFormation): AWS::ElasticLoadBalancingV2::LoadBalancer without the access_logs.s3.enabled attribute
#   Bad (Terraform): aws_lb with access_logs { bucket = "logs" } and no enabled = true
#   Good: LoadBalancerAttributes: [{Key: access_logs.s3.enabled, Value: "true"}, {Key: access_logs.s3.bucket, Value: logs}]
#   / access_logs { bucket = "logs", enabled = true }
#   References: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
#   https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html
#   https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/enable-access-logs.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb
# custom:
#   id: WA-SEC04-ELB-ACCESS-LOGGING
#   severity: medium
#   best_practices: [SEC04-BP01]
#   resource_types: [AWS::ElasticLoadBalancingV2::LoadBalancer, AWS::ElasticLoadBalancing::LoadBalancer, aws_lb, aws_alb, aws_elb]
#   recommended_action: Enable access logs to an S3 bucket (access_logs.s3.enabled / access_logs.enabled = true, with a bucket), or AccessLoggingPolicy.Enabled for Classic Load Balancers.
package walint.rules.elb_access_logging

import rego.v1

import data.walint.lib

# ---------------------------------------------------------------- CloudFormation ELBv2

cfn_v2 contains [address, attrs] if {
	some address in lib.managed_of("AWS::ElasticLoadBalancingV2::LoadBalancer")
	attrs := lib.resource(address).attrs
	not is_gateway(object.get(attrs, "Type", "application"))
	not lib.is_unknown(object.get(attrs, "Type", "application"))
}

is_gateway(t) if {
	is_string(t)
	lib.lower_of(t) == "gateway"
}

# Index of the access_logs.s3.enabled entry.
cfn_flag_index(list) := i if {
	some i, e in lib.iter(list)
	is_object(e)
	e.Key == "access_logs.s3.enabled"
}

deny contains r if {
	some [address, attrs] in cfn_v2
	list := object.get(attrs, "LoadBalancerAttributes", [])
	is_array(list)
	not cfn_flag_index(list)
	not cfn_entry_unknown(list)
	r := lib.result(address, ["LoadBalancerAttributes"], "no access_logs.s3.enabled attribute: access logging is off by default")
}

cfn_entry_unknown(list) if {
	some e in list
	lib.is_unknown(e)
}

cfn_entry_unknown(list) if {
	some e in list
	lib.is_unknown(lib.get(e, "Key", null))
}

deny contains r if {
	some [address, attrs] in cfn_v2
	i := cfn_flag_index(attrs.LoadBalancerAttributes)
	v := lib.get(attrs.LoadBalancerAttributes[i], "Value", null)
	not lib.is_true(v)
	not lib.is_unknown(v)
	r := lib.result(address, ["LoadBalancerAttributes", i, "Value"], sprintf("access_logs.s3.enabled is %s: access logging is off", [lib.show(v)]))
}

unknown contains r if {
	some [address, attrs] in cfn_v2
	i := cfn_flag_index(attrs.LoadBalancerAttributes)
	v := attrs.LoadBalancerAttributes[i].Value
	lib.is_unknown(v)
	r := lib.result(address, ["LoadBalancerAttributes", i, "Value"], sprintf("access_logs.s3.enabled is not known statically (%s)", [lib.unknown_reason(v)]))
}

unknown contains r if {
	some [address, attrs] in cfn_v2
	list := attrs.LoadBalancerAttributes
	lib.is_unknown(list)
	r := lib.result(address, ["LoadBalancerAttributes"], sprintf("LoadBalancerAttributes is not known statically (%s)", [lib.unknown_reason(list)]))
}

unknown contains r if {
	some [address, attrs] in cfn_v2
	list := attrs.LoadBalancerAttributes
	is_array(list)
	not cfn_flag_index(list)
	cfn_entry_unknown(list)
	r := lib.result(address, ["LoadBalancerAttributes"], "an entry of LoadBalancerAttributes is not known statically: access logging may be off")
}

unknown contains r if {
	some address in lib.managed_of("AWS::ElasticLoadBalancingV2::LoadBalancer")
	t := lib.resource(address).attrs.Type
	lib.is_unknown(t)
	r := lib.result(address, ["Type"], sprintf("Type is not known statically (%s)", [lib.unknown_reason(t)]))
}

# ---------------------------------------------------------------- CloudFormation Classic

deny contains r if {
	some address in lib.managed_of("AWS::ElasticLoadBalancing::LoadBalancer")
	attrs := lib.resource(address).attrs
	not lib.present(attrs, "AccessLoggingPolicy")
	r := lib.result(address, ["AccessLoggingPolicy"], "AccessLoggingPolicy is not set: access logging is off by default")
}

deny contains r if {
	some address in lib.managed_of("AWS::ElasticLoadBalancing::LoadBalancer")
	v := lib.resource(address).attrs.AccessLoggingPolicy.Enabled
	lib.is_false(v)
	r := lib.result(address, ["AccessLoggingPolicy", "Enabled"], sprintf("Enabled is %s: access logging is off", [lib.show(v)]))
}

unknown contains r if {
	some address in lib.managed_of("AWS::ElasticLoadBalancing::LoadBalancer")
	p := lib.resource(address).attrs.AccessLoggingPolicy
	lib.is_unknown(p)
	r := lib.result(address, ["AccessLoggingPolicy"], sprintf("AccessLoggingPolicy is not known statically (%s)", [lib.unknown_reason(p)]))
}

unknown contains r if {
	some address in lib.managed_of("AWS::ElasticLoadBalancing::LoadBalancer")
	v := lib.resource(address).attrs.AccessLoggingPolicy.Enabled
	lib.is_unknown(v)
	r := lib.result(address, ["AccessLoggingPolicy", "Enabled"], sprintf("Enabled is not known statically (%s)", [lib.unknown_reason(v)]))
}

# ---------------------------------------------------------------- Terraform

# [type, default of access_logs.enabled]
tf_targets := [["aws_lb", false], ["aws_alb", false], ["aws_elb", true]]

tf_lbs contains [address, attrs, t[1]] if {
	some t in tf_targets
	some address in lib.managed_of(t[0])
	attrs := lib.resource(address).attrs
	not is_gateway(object.get(attrs, "load_balancer_type", "application"))
	not lib.is_unknown(object.get(attrs, "load_balancer_type", "application"))
}

unknown contains r if {
	some t in tf_targets
	some address in lib.managed_of(t[0])
	v := lib.resource(address).attrs.load_balancer_type
	lib.is_unknown(v)
	r := lib.result(address, ["load_balancer_type"], sprintf("load_balancer_type is not known statically (%s)", [lib.unknown_reason(v)]))
}

deny contains r if {
	some [address, attrs, _] in tf_lbs
	blocks := object.get(attrs, "access_logs", [])
	is_array(blocks)
	count(blocks) == 0
	r := lib.result(address, ["access_logs"], "access_logs is not set: access logging is off by default")
}

deny contains r if {
	some [address, attrs, dflt] in tf_lbs
	block := attrs.access_logs[0]
	v := lib.get(block, "enabled", dflt)
	not lib.is_true(v)
	not lib.is_unknown(v)
	r := lib.result(address, ["access_logs", 0, "enabled"], tf_message(block, v))
}

tf_message(block, _) := "access_logs.enabled is not set: access logging is off (the default is false even when a bucket is given)" if not lib.has(block, "enabled")

tf_message(block, v) := sprintf("access_logs.enabled is %s: access logging is off", [lib.show(v)]) if lib.has(block, "enabled")

unknown contains r if {
	some [address, attrs, _] in tf_lbs
	v := attrs.access_logs[0].enabled
	lib.is_unknown(v)
	r := lib.result(address, ["access_logs", 0, "enabled"], sprintf("access_logs.enabled is not known statically (%s)", [lib.unknown_reason(v)]))
}

unknown contains r if {
	some [address, attrs, _] in tf_lbs
	v := attrs.access_logs
	lib.is_unknown(v)
	r := lib.result(address, ["access_logs"], sprintf("access_logs is not known statically (%s)", [lib.unknown_reason(v)]))
}
