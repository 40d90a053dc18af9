# METADATA
# title: Lambda function uses a deprecated runtime
# description: |
#   What it checks: the Runtime / runtime of Lambda functions (AWS::Lambda::Function,
#   AWS::Serverless::Function, aws_lambda_function) must not be a runtime that AWS Lambda has
#   deprecated. The list of deprecated runtime identifiers and their deprecation dates is data
#   in this rule (`deprecated`), taken from the "Deprecated runtimes" and "Supported runtimes"
#   tables of the AWS Lambda runtimes page; a runtime counts as deprecated when its deprecation
#   date is on or before `as_of`, the date the table was last checked. Functions without a
#   runtime (container images) are not judged.
#   Why it matters: after deprecation Lambda no longer applies security patches to the runtime
#   (language, OS, libraries), so known vulnerabilities stay in the function's environment, and
#   function creation and updates are later blocked (SEC06-BP01).
#   Bad (CloudFormation): AWS::Lambda::Function with Runtime: python3.8
#   Bad (Terraform): aws_lambda_function with runtime = "nodejs16.x"
#   Good: a supported runtime such as python3.13, nodejs22.x, java21 or provided.al2023.
#   References: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
#   https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html
# custom:
#   id: WA-SEC06-LAMBDA-DEPRECATED-RUNTIME
#   severity: medium
#   best_practices: [SEC06-BP01]
#   resource_types: [AWS::Lambda::Function, AWS::Serverless::Function, aws_lambda_function]
#   recommended_action: Move the function to a supported runtime of the same language (for example python3.13, nodejs22.x, java21, dotnet8, ruby3.4 or provided.al2023) and test it.
package walint.rules.lambda_deprecated_runtime

import rego.v1

import data.walint.lib

# The date the table below was last checked against the AWS Lambda runtimes page
# (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html). Update both together.
as_of := "2026-02-01"

# Runtime identifier -> deprecation date (YYYY-MM-DD) from the AWS Lambda runtimes page. Entries
# with a date after `as_of` are scheduled deprecations and are not reported yet.
deprecated := {
	"nodejs": "2016-10-31",
	"nodejs4.3": "2020-03-06",
	"nodejs4.3-edge": "2019-04-30",
	"nodejs6.10": "2019-08-12",
	"nodejs8.10": "2020-03-06",
	"nodejs10.x": "2021-07-30",
	"nodejs12.x": "2023-03-31",
	"nodejs14.x": "2023-12-04",
	"nodejs16.x": "2024-06-12",
	"nodejs18.x": "2025-09-01",
	"nodejs20.x": "2026-04-30",
	"python2.7": "2021-07-15",
	"python3.6": "2022-07-18",
	"python3.7": "2023-12-04",
	"python3.8": "2024-10-14",
	"python3.9": "2025-12-15",
	"ruby2.5": "2021-07-30",
	"ruby2.7": "2023-12-07",
	"ruby3.2": "2026-03-31",
	"java8": "2024-01-08",
	"go1.x": "2024-01-08",
	"provided": "2024-01-08",
	"dotnetcore1.0": "2019-07-30",
	"dotnetcore2.0": "2019-05-30",
	"dotnetcore2.1": "2022-01-05",
	"dotnetcore3.1": "2023-04-03",
	"dotnet5.0": "2022-05-10",
	"dotnet6": "2024-12-20",
	"dotnet7": "2024-05-14",
}

functions contains [address, "Runtime"] if {
	some t in ["AWS::Lambda::Function", "AWS::Serverless::Function"]
	some address in lib.managed_of(t)
}

functions contains [address, "runtime"] if {
	some address in lib.managed_of("aws_lambda_function")
}

deny contains r if {
	some [address, key] in functions
	v := lib.resource(address).attrs[key]
	is_string(v)
	date := deprecated[lib.lower_of(v)]
	date <= as_of
	r := lib.result(address, [key], sprintf("%s is %s, which AWS Lambda deprecated on %s: the runtime no longer receives security patches", [key, lib.show(v), date]))
}

unknown contains r if {
	some [address, key] in functions
	v := lib.resource(address).attrs[key]
	lib.is_unknown(v)
	r := lib.result(address, [key], sprintf("%s is not known statically (%s)", [key, lib.unknown_reason(v)]))
}
