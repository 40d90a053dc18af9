# METADATA
# title: API Gateway method or route does not authenticate callers
# description: |
#   What it checks: REST API methods (AWS::ApiGateway::Method, aws_api_gateway_method) must use an
#   authorizer (AuthorizationType / authorization AWS_IAM, COGNITO_USER_POOLS or CUSTOM) or
#   require an API key (ApiKeyRequired / api_key_required true); HTTP and WebSocket routes
#   (AWS::ApiGatewayV2::Route, aws_apigatewayv2_route) must set AuthorizationType /
#   authorization_type other than NONE. Absent means NONE (the default). OPTIONS methods and
#   routes (CORS preflight) and WebSocket message routes other than $connect/$default are not
#   judged.
#   Why it matters: an unauthenticated method lets anyone on the internet invoke the backend
#   (Lambda, HTTP service, AWS integration) with the API's own permissions (SEC09-BP03,
#   SEC03-BP02).
#   Bad (CloudFormation): AWS::ApiGateway::Method {HttpMethod: POST, AuthorizationType: NONE}
#   Bad (Terraform): aws_api_gateway_method { http_method = "POST", authorization = "NONE" }
#   Good: AuthorizationType: COGNITO_USER_POOLS with AuthorizerId, AWS_IAM, or CUSTOM; or
#   ApiKeyRequired: true for machine clients
#   References: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-method.html#cfn-apigateway-method-authorizationtype
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigatewayv2-route.html#cfn-apigatewayv2-route-authorizationtype
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_method#authorization
# custom:
#   id: WA-SEC09-APIGW-AUTH
#   severity: high
#   best_practices: [SEC09-BP03, SEC03-BP02]
#   resource_types: [AWS::ApiGateway::Method, AWS::ApiGatewayV2::Route, aws_api_gateway_method, aws_apigatewayv2_route]
#   recommended_action: Attach an authorizer (IAM, Cognito user pool, JWT or Lambda) to the method or route, or require an API key with a usage plan for machine clients; leave NONE only on deliberately public endpoints, with a reasoned suppression.
package walint.rules.apigw_auth

import rego.v1

import data.walint.lib


# [type, authorization key, API key flag (or ""), method or route key]
targets := [
	["AWS::ApiGateway::Method", "AuthorizationType", "ApiKeyRequired", "HttpMethod"],
	["aws_api_gateway_method", "authorization", "api_key_required", "http_method"],
	["AWS::ApiGatewayV2::Route", "AuthorizationType", "ApiKeyRequired", "RouteKey"],
	["aws_apigatewayv2_route", "authorization_type", "api_key_required", "route_key"],
]

judged(key) if {
	is_string(key)
	k := lib.upper_of(key)
	not startswith(k, "OPTIONS")
	regex.match(`^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD) |^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD)$|^\$DEFAULT$|^\$CONNECT$`, k)
}

methods contains [a, t] if {
	some t in targets
	some a in lib.managed_of(t[0])
	judged(object.get(lib.resource(a).attrs, t[3], ""))
}

deny contains r if {
	some [a, t] in methods
	attrs := lib.resource(a).attrs
	v := object.get(attrs, t[1], "NONE")
	is_string(v)
	lib.upper_of(v) == "NONE"
	not lib.is_true(object.get(attrs, t[2], false))
	not lib.is_unknown(object.get(attrs, t[2], false))
	r := lib.result(a, [t[1]], sprintf("%s %s: anyone can call %s without authentication", [t[1], msg_value(attrs, t[1]), lib.show(attrs[t[3]])]))
}

msg_value(attrs, key) := "is not set (NONE)" if not lib.present(attrs, key)

msg_value(attrs, key) := sprintf("is %s", [lib.show(attrs[key])]) if lib.present(attrs, key)

unknown contains r if {
	some [a, t] in methods
	v := lib.resource(a).attrs[t[1]]
	lib.is_unknown(v)
	r := lib.result(a, [t[1]], sprintf("%s is not known statically (%s)", [t[1], lib.unknown_reason(v)]))
}
