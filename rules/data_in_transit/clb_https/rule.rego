# METADATA
# title: Classic Load Balancer listener accepts unencrypted traffic
# description: |
#   What it checks: listeners of internet-facing Classic Load Balancers must use an encrypted
#   front-end protocol, HTTPS or SSL. CloudFormation: AWS::ElasticLoadBalancing::LoadBalancer
#   .Listeners[].Protocol; Terraform: aws_elb.listener[].lb_protocol. HTTP and TCP listeners fail
#   unless the load balancer is internal (Scheme: internal / internal = true); the scheme
#   defaults to internet-facing when absent. A TCP listener on a port conventionally used for
#   TLS (443, 8443, 6443, 636, 465, 993, 995, 5671, 9093) is taken as TLS passthrough and not
#   reported, as WA-SEC09-ELB-HTTPS-LISTENER does for Network Load Balancers.
#   Why it matters: plain HTTP or TCP listeners carry requests, cookies and credentials in clear
#   text across the internet (SEC09-BP02). Classic Load Balancers are a previous-generation
#   product; an Application or Network Load Balancer with a TLS 1.2+ policy is the better fix.
#   Bad (CloudFormation): Listeners: [{LoadBalancerPort: "80", InstancePort: "80", Protocol: HTTP}]
#   Bad (Terraform): listener { lb_port = 80, lb_protocol = "http", … }
#   Good: Protocol: HTTPS with SSLCertificateId (an ACM certificate) and a TLS 1.2 policy
#   (ELBSecurityPolicy-TLS-1-2-2017-01)
#   References: https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-listener-config.html
#   https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-security-policy-table.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancing-loadbalancer.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elb
# custom:
#   id: WA-SEC09-CLB-HTTPS
#   severity: medium
#   best_practices: [SEC09-BP02]
#   resource_types: [AWS::ElasticLoadBalancing::LoadBalancer, aws_elb]
#   recommended_action: Use HTTPS or SSL listeners with an ACM certificate and ELBSecurityPolicy-TLS-1-2-2017-01, or migrate to an Application/Network Load Balancer.
package walint.rules.clb_https

import rego.v1

import data.walint.lib
import data.walint.lib.setting

# [type, listener list key, protocol key]
targets := [
	["AWS::ElasticLoadBalancing::LoadBalancer", "Listeners", "Protocol"],
	["aws_elb", "listener", "lb_protocol"],
]

internal(attrs) if lib.lower_of(object.get(attrs, "Scheme", "")) == "internal"

internal(attrs) if lib.is_true(object.get(attrs, "internal", false))

scheme_unknown(attrs) if lib.is_unknown(object.get(attrs, "Scheme", null))

scheme_unknown(attrs) if lib.is_unknown(object.get(attrs, "internal", null))

listeners contains [a, l, t] if {
	some t in targets
	some a in lib.managed_of(t[0])
	attrs := lib.resource(a).attrs
	not internal(attrs)
	some l in setting.blocks(attrs, t[1])
}

deny contains r if {
	some [a, l, t] in listeners
	not scheme_unknown(lib.resource(a).attrs)
	p := lib.get(l.value, t[2], null)
	is_string(p)
	lib.lower_of(p) in {"http", "tcp"}
	not passthrough(l.value, p)
	r := lib.result(a, array.concat(l.path, [t[2]]), sprintf("%s is %s on an internet-facing Classic Load Balancer: traffic to it is not encrypted", [t[2], lib.show(p)]))
}

unknown contains r if {
	some [a, l, t] in listeners
	p := lib.get(l.value, t[2], null)
	lib.is_unknown(p)
	r := lib.result(a, array.concat(l.path, [t[2]]), sprintf("%s is not known statically (%s)", [t[2], lib.unknown_reason(p)]))
}

unknown contains r if {
	some [a, l, t] in listeners
	lib.is_unknown(l.value)
	r := lib.result(a, l.path, sprintf("%s is not known statically (%s)", [t[1], lib.unknown_reason(l.value)]))
}

unknown contains r if {
	some [a, l, t] in listeners
	attrs := lib.resource(a).attrs
	scheme_unknown(attrs)
	p := lib.get(l.value, t[2], null)
	is_string(p)
	lib.lower_of(p) in {"http", "tcp"}
	k := [x | some x in ["Scheme", "internal"]; lib.is_unknown(object.get(attrs, x, null))][0]
	r := lib.result(a, [k], sprintf("%s is not known statically (%s) and a listener uses %s: whether it is internet-facing cannot be judged", [k, lib.unknown_reason(attrs[k]), lib.show(p)]))
}

tls_ports := {443, 8443, 6443, 636, 465, 993, 995, 5671, 9093}

# passthrough(listener, protocol): a TCP listener on a TLS port (the backend terminates TLS).
passthrough(l, p) if {
	lib.lower_of(p) == "tcp"
	port := lib.as_int(lib.get(l, "LoadBalancerPort", lib.get(l, "lb_port", null)))
	port in tls_ports
}
