# METADATA
# title: Lambda permission lets anyone, or any account's service, invoke the function
# description: |
#   What it checks: Lambda resource-based permissions (CloudFormation AWS::Lambda::Permission,
#   Terraform aws_lambda_permission) must not grant to Principal "*" unless PrincipalOrgID
#   (principal_org_id) limits it to an organization, and a grant to an AWS service principal
#   (s3.amazonaws.com, sns.amazonaws.com, events.amazonaws.com, ...) must carry SourceArn or
#   SourceAccount (source_arn, source_account). A Principal that is not known statically gives
#   unknown. The function the permission names is reported as a related location (catalog G14).
#   Why it matters: Principal "*" lets every AWS account invoke the function; a service grant
#   without a source lets that service invoke it on behalf of any other account's resource (the
#   confused-deputy problem) (SEC03-BP07).
#   Bad (CloudFormation): {Type: AWS::Lambda::Permission, Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Fn, Principal: s3.amazonaws.com}}
#   Bad (Terraform): aws_lambda_permission { principal = "*" }
#   Good: Principal: s3.amazonaws.com with SourceArn: arn:aws:s3:::my-bucket and SourceAccount: 111122223333
#   References: https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-permission.html
# custom:
#   id: WA-SEC03-LAMBDA-PUBLIC-PERMISSION
#   severity: critical
#   best_practices: [SEC03-BP07]
#   resource_types: [AWS::Lambda::Permission, aws_lambda_permission]
#   recommended_action: Grant to a specific account or service principal and set SourceArn (and SourceAccount) to the resource that invokes the function.
package walint.rules.lambda_public_permission

import rego.v1

import data.walint.lib

keys := {
	"cloudformation": {"principal": "Principal", "arn": "SourceArn", "account": "SourceAccount", "org": "PrincipalOrgID", "function": "FunctionName"},
	"terraform": {"principal": "principal", "arn": "source_arn", "account": "source_account", "org": "principal_org_id", "function": "function_name"},
}

permissions contains [a, k] if {
	some t, origin in {"AWS::Lambda::Permission": "cloudformation", "aws_lambda_permission": "terraform"}
	some a in lib.managed_of(t)
	k := keys[origin]
}

related(a, k) := [{"address": ref.to, "path": []} |
	some ref in lib.resource(a).refs
	ref.at == [k.function]
]

service_principal(p) if {
	is_string(p)
	endswith(p, ".amazonaws.com")
}

deny contains r if {
	some [a, k] in permissions
	attrs := lib.resource(a).attrs
	attrs[k.principal] == "*"
	not lib.present(attrs, k.org)
	r := lib.result_related(a, [k.principal], "the permission grants Principal \"*\": any AWS account can invoke the function", related(a, k))
}

deny contains r if {
	some [a, k] in permissions
	attrs := lib.resource(a).attrs
	service_principal(attrs[k.principal])
	not lib.present(attrs, k.arn)
	not lib.present(attrs, k.account)
	r := lib.result_related(a, [k.principal], sprintf("the permission grants %s without %s or %s: resources of any account can make the service invoke the function", [lib.show(attrs[k.principal]), k.arn, k.account]), related(a, k))
}

unknown contains r if {
	some [a, k] in permissions
	p := lib.resource(a).attrs[k.principal]
	lib.is_unknown(p)
	r := lib.result_related(a, [k.principal], sprintf("the permission's principal is not known statically (%s)", [lib.unknown_reason(p)]), related(a, k))
}
