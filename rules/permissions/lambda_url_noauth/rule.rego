# METADATA
# title: Lambda function URL has no authentication
# description: |
#   What it checks: Lambda function URLs (CloudFormation AWS::Lambda::Url.AuthType, SAM
#   AWS::Serverless::Function.FunctionUrlConfig.AuthType, Terraform
#   aws_lambda_function_url.authorization_type) must use AWS_IAM; NONE fails. The property is
#   required, so a URL without it is rejected by the service and this rule is silent. A value
#   that is not known statically gives unknown.
#   Why it matters: with AuthType NONE anyone on the internet who learns the URL can invoke the
#   function; only deliberate public webhooks should do that, and then the function must
#   authenticate callers itself (SEC03-BP07, SEC09-BP03).
#   Bad (CloudFormation): {Type: AWS::Lambda::Url, Properties: {AuthType: NONE, TargetFunctionArn: !GetAtt Fn.Arn}}
#   Bad (Terraform): aws_lambda_function_url { authorization_type = "NONE" }
#   Good: AuthType: AWS_IAM (callers sign requests with SigV4)
#   References: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-url.html
# custom:
#   id: WA-SEC03-LAMBDA-URL-NOAUTH
#   severity: high
#   best_practices: [SEC03-BP07, SEC09-BP03]
#   resource_types: [AWS::Lambda::Url, AWS::Serverless::Function, aws_lambda_function_url]
#   recommended_action: Set the function URL's auth type to AWS_IAM, or put the function behind API Gateway with an authorizer; suppress the finding only for a deliberate public webhook.
package walint.rules.lambda_url_noauth

import rego.v1

import data.walint.lib

settings contains [a, path, v] if {
	some a in lib.managed_of("AWS::Lambda::Url")
	attrs := lib.resource(a).attrs
	lib.present(attrs, "AuthType")
	path := ["AuthType"]
	v := attrs.AuthType
}

settings contains [a, path, v] if {
	some a in lib.managed_of("AWS::Serverless::Function")
	cfg := lib.resource(a).attrs.FunctionUrlConfig
	lib.present(cfg, "AuthType")
	path := ["FunctionUrlConfig", "AuthType"]
	v := cfg.AuthType
}

settings contains [a, path, v] if {
	some a in lib.managed_of("aws_lambda_function_url")
	attrs := lib.resource(a).attrs
	lib.present(attrs, "authorization_type")
	path := ["authorization_type"]
	v := attrs.authorization_type
}

deny contains r if {
	some [a, path, v] in settings
	is_string(v)
	lib.upper_of(v) == "NONE"
	r := lib.result(a, path, "the function URL has auth type NONE: anyone who knows the URL can invoke the function")
}

unknown contains r if {
	some [a, path, v] in settings
	lib.is_unknown(v)
	r := lib.result(a, path, sprintf("the function URL's auth type is not known statically (%s)", [lib.unknown_reason(v)]))
}
