# METADATA
# title: API Gateway custom domain allows TLS 1.0
# description: |
#   What it checks: API Gateway custom domain names must use a TLS 1.2+ security policy:
#   AWS::ApiGateway::DomainName.SecurityPolicy / aws_api_gateway_domain_name.security_policy
#   TLS_1_2 or an enhanced SecurityPolicy_TLS13_* / SecurityPolicy_TLS12_* policy with minimum TLS
#   1.2 (absent fails: the REST default is TLS_1_0); AWS::ApiGatewayV2::DomainName
#   DomainNameConfigurations[].SecurityPolicy and aws_apigatewayv2_domain_name
#   domain_name_configuration.security_policy must not be TLS_1_0 (absent passes for
#   HTTP/WebSocket APIs, which only support TLS 1.2).
#   Why it matters: TLS 1.0 has known weaknesses and is deprecated; clients that negotiate it
#   expose API requests, tokens and responses (SEC09-BP02).
#   Bad (CloudFormation): AWS::ApiGateway::DomainName without SecurityPolicy, or SecurityPolicy:
#   TLS_1_0
#   Bad (Terraform): aws_api_gateway_domain_name without security_policy
#   Good: SecurityPolicy: TLS_1_2 / security_policy = "TLS_1_2"
#   References: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-domainname.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_domain_name#security_policy
# custom:
#   id: WA-SEC09-APIGW-TLS
#   severity: medium
#   best_practices: [SEC09-BP02]
#   resource_types: [AWS::ApiGateway::DomainName, AWS::ApiGatewayV2::DomainName, aws_api_gateway_domain_name, aws_apigatewayv2_domain_name]
#   recommended_action: Set SecurityPolicy / security_policy to TLS_1_2 (or a newer enhanced TLS 1.3 policy).
package walint.rules.apigw_tls

import rego.v1

import data.walint.lib
import data.walint.lib.setting


harm := "clients may negotiate TLS 1.0"

# TLS_1_2, or an enhanced policy whose minimum version is TLS 1.2 or 1.3
# (SecurityPolicy_TLS13_1_3_2025_09, SecurityPolicy_TLS13_1_2_2021_06, ...).
good(v) if {
	is_string(v)
	lib.lower_of(v) == "tls_1_2"
}

good(v) if {
	is_string(v)
	regex.match(`^securitypolicy_tls1[23]_1_[23]_`, lib.lower_of(v))
}

# [address, path, absent fails]
policies contains [a, ["SecurityPolicy"], true] if {
	some a in lib.managed_of("AWS::ApiGateway::DomainName")
}

policies contains [a, ["security_policy"], true] if {
	some a in lib.managed_of("aws_api_gateway_domain_name")
}

policies contains [a, ["DomainNameConfigurations", i, "SecurityPolicy"], false] if {
	some a in lib.managed_of("AWS::ApiGatewayV2::DomainName")
	some i, _ in lib.iter(object.get(lib.resource(a).attrs, "DomainNameConfigurations", []))
}

policies contains [a, ["domain_name_configuration", i, "security_policy"], false] if {
	some a in lib.managed_of("aws_apigatewayv2_domain_name")
	some i, _ in lib.iter(object.get(lib.resource(a).attrs, "domain_name_configuration", []))
}

outcomes contains o if {
	some [a, path, absent_fails] in policies
	l := setting.lookup(lib.resource(a).attrs, path)
	o := policy_outcome(a, l, absent_fails)
}

policy_outcome(a, l, absent_fails) := setting.unknown_outcome(a, l) if {
	l.state == "unknown"
} else := ["fail", lib.result(a, l.path, sprintf("%s is not set: %s (the default for REST APIs is TLS_1_0)", [setting.name(l.path), harm]))] if {
	l.state == "absent"
	absent_fails
} else := ["fail", lib.result(a, l.path, sprintf("%s is %s: %s", [setting.name(l.path), lib.show(l.value), harm]))] if {
	l.state == "value"
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
