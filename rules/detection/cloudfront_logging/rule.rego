# METADATA
# title: CloudFront distribution has no access logging
# description: |
#   What it checks: every CloudFront distribution of the unit has standard (access) logging:
#   legacy logging to S3 (DistributionConfig.Logging.Bucket / logging_config.bucket), or
#   standard logging v2 through CloudWatch log delivery (an AWS::Logs::DeliverySource /
#   aws_cloudwatch_log_delivery_source whose ResourceArn / resource_arn references the
#   distribution). A logging bucket computed from a bucket of the unit (GetAtt, a reference)
#   counts as set. When a delivery source of the unit names a resource that cannot be resolved,
#   distributions without legacy logging are reported as unknown instead.
#   Why it matters: access logs are the only record of who requested what from the edge; without
#   them attacks on the application (scanning, credential stuffing, data scraping) cannot be
#   detected or investigated (SEC04-BP01).
#   Bad (CloudFormation): AWS::CloudFront::Distribution whose DistributionConfig has no Logging
#   Bad (Terraform): aws_cloudfront_distribution without a logging_config block
#   Good: Logging: {Bucket: logs.s3.amazonaws.com, Prefix: cdn/} / logging_config { bucket =
#   "logs.s3.amazonaws.com" }, or a log delivery source for the distribution.
#   References: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html
#   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cloudfront-distribution-logging.html
# custom:
#   id: WA-SEC04-CF-LOGGING
#   severity: medium
#   best_practices: [SEC04-BP01]
#   resource_types: [AWS::CloudFront::Distribution, aws_cloudfront_distribution]
#   recommended_action: Turn on standard logging for the distribution (Logging.Bucket / logging_config, or a CloudWatch Logs delivery source, delivery destination and delivery for the distribution).
package walint.rules.cloudfront_logging

import rego.v1

import data.walint.lib
import data.walint.lib.setting

paths := {
	"AWS::CloudFront::Distribution": ["DistributionConfig", "Logging", "Bucket"],
	"aws_cloudfront_distribution": ["logging_config", 0, "bucket"],
}

source_types := {"AWS::Logs::DeliverySource": "ResourceArn", "aws_cloudwatch_log_delivery_source": "resource_arn"}

# A log delivery source of the unit names the distribution.
delivered(address) if {
	some ref in lib.resource(address).referrers
	key := source_types[lib.resource(ref.from).type]
	ref.at[0] == key
}

# Delivery sources whose resource is neither a resource of the unit nor known.
unresolved_sources contains [a, key] if {
	some t, key in source_types
	some a in lib.managed_of(t)
	lib.is_unknown(object.get(lib.resource(a).attrs, key, null))
	not setting.referenced(a, [key])
}

outcomes contains o if {
	some t, path in paths
	some address in lib.managed_of(t)
	not delivered(address)
	l := setting.lookup(lib.resource(address).attrs, path)
	o := outcome(address, l)
}

outcome(address, l) := setting.unknown_outcome(address, l) if {
	l.state == "unknown"
	not setting.referenced(address, l.path)
} else := ["unknown", lib.result_related(address, l.path, "the distribution has no legacy logging, and a log delivery source of the template names a resource that is not known statically", related)] if {
	l.state == "absent"
	count(unresolved_sources) > 0
	related := [{"address": a, "path": [k]} | some [a, k] in unresolved_sources]
} else := ["fail", lib.result(address, l.path, "access logging is not configured: requests to the distribution are not recorded (no Logging bucket and no log delivery source)")] if {
	l.state == "absent"
} else := ["fail", lib.result(address, l.path, "the logging bucket is empty: requests to the distribution are not recorded")] if {
	l.value == ""
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
