# METADATA
# title: Load balancer listener serves plain HTTP
# description: |
#   What it checks: Application Load Balancer listeners (AWS::ElasticLoadBalancingV2::Listener,
#   aws_lb_listener, aws_alb_listener) must use HTTPS. An HTTP listener passes only when every
#   default action is a redirect to HTTPS (RedirectConfig.Protocol / redirect.protocol HTTPS). In
#   Terraform an absent protocol means HTTP. Listeners of network and gateway load balancers
#   (found through the listener's load balancer reference) and TCP/TLS/UDP listeners are not
#   judged here. Forwarding listener rules on an HTTP listener are not examined yet.
#   Why it matters: requests, cookies, session tokens and form data sent to an HTTP listener cross
#   the internet in clear text, open to interception and tampering (SEC09-BP02).
#   Bad (CloudFormation): Listener {Protocol: HTTP, DefaultActions: [{Type: forward,
#   TargetGroupArn: ...}]}
#   Bad (Terraform): aws_lb_listener { protocol = "HTTP", default_action { type = "forward" } }
#   Good: Protocol: HTTPS with a certificate, or an HTTP listener whose default action is {Type:
#   redirect, RedirectConfig: {Protocol: HTTPS, Port: 443, StatusCode: HTTP_301}}
#   References: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html
#   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancingv2-listener.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_listener#protocol
# custom:
#   id: WA-SEC09-ELB-HTTPS-LISTENER
#   severity: high
#   best_practices: [SEC09-BP02]
#   resource_types: [AWS::ElasticLoadBalancingV2::Listener, aws_lb_listener, aws_alb_listener]
#   recommended_action: Serve HTTPS with an ACM certificate and a TLS 1.2+ policy; keep port 80 only as a redirect to HTTPS.
package walint.rules.elb_https_listener

import rego.v1

import data.walint.lib
import data.walint.lib.setting


listener_types := {"AWS::ElasticLoadBalancingV2::Listener": ["Protocol", "LoadBalancerArn", "DefaultActions"], "aws_lb_listener": ["protocol", "load_balancer_arn", "default_action"], "aws_alb_listener": ["protocol", "load_balancer_arn", "default_action"]}

lb_type_key := {"AWS::ElasticLoadBalancingV2::LoadBalancer": "Type", "aws_lb": "load_balancer_type", "aws_alb": "load_balancer_type"}

# lbs(a): the load balancers of this unit a listener belongs to (graph: listener → LB).
lbs(a) := {ref.to |
	some ref in object.get(lib.resource(a), "refs", [])
	ref.at[0] == listener_types[lib.resource(a).type][1]
	lib.resource(ref.to).type in object.keys(lb_type_key)
}

# Network and gateway load balancers terminate no HTTP.
not_application(a) if {
	some lb in lbs(a)
	t := object.get(lib.resource(lb).attrs, lb_type_key[lib.resource(lb).type], "application")
	is_string(t)
	lib.lower_of(t) in {"network", "gateway"}
}

related(a) := [{"address": lb, "path": []} | some lb in lbs(a)]

listeners contains [a, keys] if {
	some t, keys in listener_types
	some a in lib.managed_of(t)
	not not_application(a)
}

# The protocol, HTTP when absent in Terraform.
protocol(a, key) := v if {
	v := lib.resource(a).attrs[key]
	v != null
} else := "HTTP" if startswith(lib.resource(a).type, "aws_")

redirects_to_https(action) if {
	lib.get(action, "Type", "") in {"redirect", "REDIRECT"}
	lib.get(action, ["RedirectConfig", "Protocol"], "") in {"HTTPS", "https"}
}

redirects_to_https(action) if {
	lib.get(action, "type", "") in {"redirect", "REDIRECT"}
	lib.get(action, ["redirect", 0, "protocol"], "") in {"HTTPS", "https"}
}

all_redirect(a, key) if {
	actions := lib.resource(a).attrs[key]
	is_array(actions)
	count(actions) > 0
	every action in actions {
		redirects_to_https(action)
	}
}

deny contains r if {
	some [a, keys] in listeners
	p := protocol(a, keys[0])
	is_string(p)
	lib.upper_of(p) == "HTTP"
	not all_redirect(a, keys[2])
	not actions_unknown(a, keys[2])
	r := lib.result_related(a, [keys[0]], sprintf("the listener serves plain HTTP (%s %s) and does not redirect to HTTPS", [keys[0], shown(a, keys[0], p)]), related(a))
}

shown(a, key, p) := sprintf("is %s", [lib.show(p)]) if lib.present(lib.resource(a).attrs, key)

shown(a, key, _) := "is not set, HTTP by default" if not lib.present(lib.resource(a).attrs, key)

actions_unknown(a, key) if lib.is_unknown(lib.resource(a).attrs[key])

actions_unknown(a, key) if {
	some action in lib.iter(lib.resource(a).attrs[key])
	lib.is_unknown(action)
}

unknown contains r if {
	some [a, keys] in listeners
	v := lib.resource(a).attrs[keys[0]]
	lib.is_unknown(v)
	r := lib.result(a, [keys[0]], sprintf("%s is not known statically (%s)", [keys[0], lib.unknown_reason(v)]))
}

unknown contains r if {
	some [a, keys] in listeners
	p := protocol(a, keys[0])
	is_string(p)
	lib.upper_of(p) == "HTTP"
	actions_unknown(a, keys[2])
	r := lib.result(a, [keys[2]], "an HTTP listener whose default actions are not known statically: a redirect to HTTPS cannot be verified")
}
