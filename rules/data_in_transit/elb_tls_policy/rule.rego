# METADATA
# title: Load balancer HTTPS/TLS listener allows TLS older than 1.2
# description: |
#   What it checks: HTTPS and TLS listeners of Application and Network Load Balancers must name a
#   security policy that only allows TLS 1.2 or newer: ELBSecurityPolicy-TLS13-1-2-*,
#   ELBSecurityPolicy-TLS13-1-3-*, ELBSecurityPolicy-TLS-1-2-* or ELBSecurityPolicy-FS-1-2-*
#   (including the -Res-, -Ext- and -PQ- variants). Absent fails: listeners created through
#   CloudFormation, the CLI, the CDK or Terraform get ELBSecurityPolicy-2016-08, which allows TLS
#   1.0 and 1.1 (only the console picks a TLS 1.3 policy).
#   Why it matters: TLS 1.0 and 1.1 have known weaknesses and are deprecated; clients that
#   negotiate them expose session data to downgrade and decryption attacks (SEC09-BP02).
#   Bad (CloudFormation): Listener {Protocol: HTTPS} without SslPolicy, or SslPolicy:
#   ELBSecurityPolicy-2016-08
#   Bad (Terraform): aws_lb_listener { protocol = "HTTPS", ssl_policy =
#   "ELBSecurityPolicy-2016-08" }
#   Good: SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06 / ssl_policy = "ELBSecurityPolicy-
#   TLS13-1-2-Res-2021-06"
#   References: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancingv2-listener.html#cfn-elasticloadbalancingv2-listener-sslpolicy
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_listener#ssl_policy
# custom:
#   id: WA-SEC09-ELB-TLS-POLICY
#   severity: medium
#   best_practices: [SEC09-BP02]
#   resource_types: [AWS::ElasticLoadBalancingV2::Listener, aws_lb_listener, aws_alb_listener]
#   recommended_action: Set SslPolicy / ssl_policy to ELBSecurityPolicy-TLS13-1-2-2021-06 (or another TLS 1.2+ policy).
package walint.rules.elb_tls_policy

import rego.v1

import data.walint.lib
import data.walint.lib.setting


listener_types := {"AWS::ElasticLoadBalancingV2::Listener": ["Protocol", "SslPolicy"], "aws_lb_listener": ["protocol", "ssl_policy"], "aws_alb_listener": ["protocol", "ssl_policy"]}

good(v) if {
	is_string(v)
	regex.match(`^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-`, v)
}

harm := "clients may negotiate TLS 1.0/1.1"

outcomes contains o if {
	some t, keys in listener_types
	some a in lib.managed_of(t)
	attrs := lib.resource(a).attrs
	p := object.get(attrs, keys[0], "")
	is_string(p)
	lib.upper_of(p) in {"HTTPS", "TLS"}
	l := setting.lookup(attrs, [keys[1]])
	o := policy_outcome(a, l)
}

policy_outcome(a, l) := setting.unknown_outcome(a, l) if {
	l.state == "unknown"
} else := ["fail", lib.result(a, l.path, sprintf("%s is not set: the default ELBSecurityPolicy-2016-08 applies and %s", [setting.name(l.path), harm]))] if {
	l.state == "absent"
} else := ["fail", lib.result(a, l.path, sprintf("%s is %s: %s", [setting.name(l.path), lib.show(l.value), harm]))] if {
	not good(l.value)
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
