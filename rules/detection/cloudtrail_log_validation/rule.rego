# METADATA
# title: CloudTrail log file validation is off
# description: |
#   What it checks: every CloudTrail trail must set EnableLogFileValidation /
#   enable_log_file_validation to true (absent means false).
#   Why it matters: log file integrity validation writes signed digest files, so an investigator
#   can prove that delivered log files were not modified or deleted after delivery; without it a
#   compromised account can cover its tracks unnoticed (SEC04-BP01, SEC10-BP03).
#   Bad (CloudFormation): AWS::CloudTrail::Trail without EnableLogFileValidation
#   Bad (Terraform): aws_cloudtrail with enable_log_file_validation = false
#   Good: EnableLogFileValidation: true / enable_log_file_validation = true
#   References: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudtrail-trail.html
# custom:
#   id: WA-SEC04-CT-LOG-VALIDATION
#   severity: medium
#   best_practices: [SEC04-BP01, SEC10-BP03]
#   resource_types: [AWS::CloudTrail::Trail, aws_cloudtrail]
#   recommended_action: Set EnableLogFileValidation (CloudFormation) or enable_log_file_validation (Terraform) to true.
package walint.rules.cloudtrail_log_validation

import rego.v1

import data.walint.lib

targets := [
	["AWS::CloudTrail::Trail", "EnableLogFileValidation"],
	["aws_cloudtrail", "enable_log_file_validation"],
]

trails contains [address, attrs, t[1]] if {
	some t in targets
	some address in lib.managed_of(t[0])
	attrs := lib.resource(address).attrs
}

deny contains r if {
	some [address, attrs, key] in trails
	not lib.present(attrs, key)
	r := lib.result(address, [key], sprintf("%s is not set: log file integrity validation is off by default", [key]))
}

deny contains r if {
	some [address, attrs, key] in trails
	lib.is_false(attrs[key])
	r := lib.result(address, [key], sprintf("%s is %s: delivered log files can be altered or deleted without detection", [key, lib.show(attrs[key])]))
}

unknown contains r if {
	some [address, attrs, key] in trails
	lib.is_unknown(attrs[key])
	r := lib.result(address, [key], sprintf("%s is not known statically (%s)", [key, lib.unknown_reason(attrs[key])]))
}
