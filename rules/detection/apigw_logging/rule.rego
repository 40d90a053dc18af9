# METADATA
# title: API Gateway stage has no access or execution logging
# description: |
#   What it checks: API Gateway stages log requests. REST API stages (AWS::ApiGateway::Stage,
#   AWS::Serverless::Api, aws_api_gateway_stage) need access logging
#   (AccessLogSetting.DestinationArn / access_log_settings.destination_arn) and execution logging
#   at level ERROR or INFO: in CloudFormation a MethodSettings entry with LoggingLevel ERROR or
#   INFO, in Terraform an aws_api_gateway_method_settings for the stage with
#   settings.logging_level ERROR or INFO. A stage created by an AWS::ApiGateway::Deployment
#   (StageName without a separate Stage) is judged on its StageDescription. HTTP and WebSocket
#   API stages (AWS::ApiGatewayV2::Stage, AWS::Serverless::HttpApi, aws_apigatewayv2_stage) need
#   AccessLogSettings.DestinationArn / access_log_settings.destination_arn. Absent fails (logging
#   is off by default).
#   Why it matters: without access and execution logs, attacks against the API (credential
#   stuffing, injection, enumeration) and the caller behind an incident cannot be seen or
#   investigated (SEC04-BP01).
#   Bad (CloudFormation): AWS::ApiGateway::Stage with neither AccessLogSetting nor MethodSettings
#   Bad (Terraform): aws_apigatewayv2_stage without access_log_settings
#   Good: AccessLogSetting: {DestinationArn: !GetAtt AccessLogs.Arn, Format: ...} and
#   MethodSettings: [{ResourcePath: "/*", HttpMethod: "*", LoggingLevel: ERROR}] /
#   access_log_settings { destination_arn = aws_cloudwatch_log_group.api.arn ... } plus
#   aws_api_gateway_method_settings { method_path = "*/*", settings { logging_level = "ERROR" } }.
#   References: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
#   https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-stage.html
# custom:
#   id: WA-SEC04-APIGW-LOGGING
#   severity: medium
#   best_practices: [SEC04-BP01]
#   resource_types: [AWS::ApiGateway::Stage, AWS::ApiGateway::Deployment, AWS::ApiGatewayV2::Stage, AWS::Serverless::Api, AWS::Serverless::HttpApi, aws_api_gateway_stage, aws_apigatewayv2_stage]
#   recommended_action: Send access logs of every stage to a CloudWatch Logs group or Firehose stream (AccessLogSetting / access_log_settings) and turn on execution logging at ERROR or INFO for REST stages (MethodSettings LoggingLevel / aws_api_gateway_method_settings).
package walint.rules.apigw_logging

import rego.v1

import data.walint.lib
import data.walint.lib.setting

levels := ["error", "info"]

access_harm := "requests to the stage are not recorded"

# [type, base path of the stage settings, access-log path, REST stage?]
stage_specs := [
	["AWS::ApiGateway::Stage", [], ["AccessLogSetting", "DestinationArn"], true],
	["AWS::Serverless::Api", [], ["AccessLogSetting", "DestinationArn"], true],
	["AWS::ApiGatewayV2::Stage", [], ["AccessLogSettings", "DestinationArn"], false],
	["AWS::Serverless::HttpApi", [], ["AccessLogSettings", "DestinationArn"], false],
	["aws_api_gateway_stage", [], ["access_log_settings", 0, "destination_arn"], true],
	["aws_apigatewayv2_stage", [], ["access_log_settings", 0, "destination_arn"], false],
]

# Deployments that create their stage (StageName set, the stage not declared separately).
deployment_stages contains address if {
	some address in lib.managed_of("AWS::ApiGateway::Deployment")
	lib.present(lib.resource(address).attrs, "StageName")
}

stages contains [address, base, access, rest, t] if {
	some [t, base, access, rest] in stage_specs
	some address in lib.managed_of(t)
}

stages contains [address, ["StageDescription"], ["StageDescription", "AccessLogSetting", "DestinationArn"], true, "AWS::ApiGateway::Deployment"] if {
	some address in deployment_stages
}

outcomes contains o if {
	some [address, _, access, _, _] in stages
	o := setting.must_be_set(address, lib.resource(address).attrs, access, access_harm)
}

# Execution logging, CloudFormation: a MethodSettings entry (or the Deployment's StageDescription
# LoggingLevel) at ERROR or INFO.
cfn_rest := {"AWS::ApiGateway::Stage", "AWS::Serverless::Api", "AWS::ApiGateway::Deployment"}

outcomes contains o if {
	some [address, base, _, true, t] in stages
	t in cfn_rest
	attrs := lib.resource(address).attrs
	o := cfn_execution(address, attrs, base)
}

cfn_levels(attrs, base) := [{"path": p, "value": v} |
	some i, m in as_array(object.get(attrs, array.concat(base, ["MethodSettings"]), []))
	p := array.concat(base, ["MethodSettings", i, "LoggingLevel"])
	v := lib.get(m, "LoggingLevel", null)
] if {
	not lib.is_unknown(object.get(attrs, array.concat(base, ["MethodSettings"]), null))
} else := [{"path": array.concat(base, ["MethodSettings"]), "value": object.get(attrs, array.concat(base, ["MethodSettings"]), null)}]

# StageDescription.LoggingLevel applies to every method of a deployment's stage.
extra_levels(attrs, base) := [{"path": p, "value": object.get(attrs, p, null)}] if {
	base == ["StageDescription"]
	p := ["StageDescription", "LoggingLevel"]
} else := []

cfn_execution(address, attrs, base) := o if {
	entries := array.concat(cfn_levels(attrs, base), extra_levels(attrs, base))
	not logs_errors(entries)
	[path, what] := execution_place(attrs, base)
	o := execution_outcome(address, entries, path, what)
}

execution_place(attrs, base) := [p, sprintf("LoggingLevel is %s and no MethodSettings entry logs ERROR or INFO", [lib.show(object.get(attrs, p, null))])] if {
	base == ["StageDescription"]
	p := ["StageDescription", "LoggingLevel"]
	object.get(attrs, p, null) != null
} else := [array.concat(base, ["MethodSettings"]), "no MethodSettings entry has LoggingLevel ERROR or INFO"]

logs_errors(entries) if {
	some e in entries
	setting.lower_in(e.value, levels)
}

execution_outcome(address, entries, path, what) := ["unknown", lib.result(address, e.path, sprintf("%s is not known statically (%s)", [setting.name(e.path), lib.unknown_reason(e.value)]))] if {
	some e in entries
	lib.is_unknown(e.value)
} else := ["fail", lib.result(address, path, sprintf("%s: execution errors of the stage are not logged", [what]))]

as_array(v) := v if is_array(v)

as_array(v) := [] if not is_array(v)

# Execution logging, Terraform: aws_api_gateway_method_settings referencing the stage.
method_settings(stage) := [ms |
	some ref in lib.resource(stage).referrers
	lib.resource(ref.from).type == "aws_api_gateway_method_settings"
	ref.at[0] == "stage_name"
	ms := ref.from
]

outcomes contains o if {
	some address in lib.managed_of("aws_api_gateway_stage")
	entries := [{"path": ["settings", 0, "logging_level"], "value": v, "ms": ms} |
		some ms in method_settings(address)
		v := object.get(lib.resource(ms).attrs, ["settings", 0, "logging_level"], null)
	]
	not logs_errors(entries)
	o := tf_execution_outcome(address, entries)
}

tf_execution_outcome(address, entries) := ["unknown", lib.result_related(address, [], sprintf("the logging level of %s is not known statically (%s)", [e.ms, lib.unknown_reason(e.value)]), [{"address": e.ms, "path": e.path}])] if {
	some e in entries
	lib.is_unknown(e.value)
} else := ["fail", lib.result(address, [], "no aws_api_gateway_method_settings sets logging_level ERROR or INFO for this stage: execution errors of the stage are not logged")]

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
