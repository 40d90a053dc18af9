# METADATA
# title: S3 bucket has no server access logging
# description: |
#   What it checks: every S3 bucket logs requests: CloudFormation LoggingConfiguration on the
#   bucket; Terraform an aws_s3_bucket_logging resource whose `bucket` references the bucket, or
#   the legacy inline `logging` block. Buckets that are themselves log destinations are exempt:
#   referenced as a logging target (another bucket's LoggingConfiguration, target_bucket, a load
#   balancer, CloudFront or flow-log destination), named by a CloudTrail trail or a Config
#   delivery channel, with the LogDeliveryWrite / log-delivery-write canned ACL, or tagged
#   `log-bucket`. When an aws_s3_bucket_logging of the unit names a bucket that cannot be
#   resolved, buckets without logging are reported as unknown.
#   Why it matters: server access logs record who read, wrote and deleted which object; without
#   them (or CloudTrail data events) a data breach from a bucket cannot be scoped (SEC04-BP01).
#   Bad (CloudFormation): AWS::S3::Bucket without LoggingConfiguration
#   Bad (Terraform): aws_s3_bucket with no aws_s3_bucket_logging for it
#   Good: LoggingConfiguration: {DestinationBucketName: !Ref LogBucket, LogFilePrefix: app/}
#   / aws_s3_bucket_logging { bucket = aws_s3_bucket.app.id, target_bucket = aws_s3_bucket.logs.id }
#   References: https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-loggingconfiguration.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_logging
# custom:
#   id: WA-SEC04-S3-ACCESS-LOGGING
#   severity: medium
#   best_practices: [SEC04-BP01]
#   resource_types: [AWS::S3::Bucket, aws_s3_bucket]
#   recommended_action: Enable server access logging to a dedicated log bucket (LoggingConfiguration, or aws_s3_bucket_logging in Terraform), or record S3 data events with CloudTrail.
package walint.rules.s3_access_logging

import rego.v1

import data.walint.lib

# Types whose reference to a bucket makes it a log destination, whatever the attribute.
log_writer_types := {
	"AWS::CloudTrail::Trail", "aws_cloudtrail",
	"AWS::Config::DeliveryChannel", "aws_config_delivery_channel",
}

# A bucket is a log destination when something refers to it from a logging attribute.
log_target(bucket) if {
	some ref in lib.resource(bucket).referrers
	some seg in ref.at
	is_string(seg)
	log_segment(lib.lower_of(seg))
}

# LoggingConfiguration, LogDestination, access_logs, logging_config, AccessLoggingPolicy...
# (but not e.g. "catalog").
log_segment(s) if startswith(s, "log")

log_segment(s) if contains(s, "_log")

log_segment(s) if contains(s, "logging")

log_segment(s) if s == "target_bucket"

log_target(bucket) if {
	some ref in lib.resource(bucket).referrers
	lib.resource(ref.from).type in log_writer_types
}

log_target(bucket) if {
	attrs := lib.resource(bucket).attrs
	some k in ["AccessControl", "acl"]
	v := attrs[k]
	is_string(v)
	lib.lower_of(v) in {"logdeliverywrite", "log-delivery-write"}
}

log_target(bucket) if {
	some ref in lib.resource(bucket).referrers
	ref.at == ["bucket"]
	acl := lib.resource(ref.from)
	acl.type == "aws_s3_bucket_acl"
	acl.attrs.acl == "log-delivery-write"
}

log_target(bucket) if {
	tags := lib.resource(bucket).attrs.Tags
	is_array(tags)
	some t in tags
	is_log_tag(lib.get(t, "Key", ""), lib.get(t, "Value", ""))
}

log_target(bucket) if {
	tags := lib.resource(bucket).attrs.tags
	is_object(tags)
	some k, v in tags
	is_log_tag(k, v)
}

is_log_tag(k, _) if lib.lower_of(k) == "log-bucket"

is_log_tag(_, v) if {
	is_string(v)
	lib.lower_of(v) == "log-bucket"
}

# ---------------------------------------------------------------- CloudFormation

deny contains r if {
	some bucket in lib.managed_of("AWS::S3::Bucket")
	not lib.present(lib.resource(bucket).attrs, "LoggingConfiguration")
	not log_target(bucket)
	r := lib.result(bucket, ["LoggingConfiguration"], "LoggingConfiguration is not set: requests to this bucket are not logged")
}

unknown contains r if {
	some bucket in lib.managed_of("AWS::S3::Bucket")
	v := lib.resource(bucket).attrs.LoggingConfiguration
	lib.is_unknown(v)
	r := lib.result(bucket, ["LoggingConfiguration"], sprintf("LoggingConfiguration is not known statically (%s)", [lib.unknown_reason(v)]))
}

# ---------------------------------------------------------------- Terraform

tf_logged(bucket) if {
	some ref in lib.resource(bucket).referrers
	ref.at == ["bucket"]
	lib.resource(ref.from).type == "aws_s3_bucket_logging"
}

tf_logged(bucket) if {
	blocks := lib.resource(bucket).attrs.logging
	is_array(blocks)
	count(blocks) > 0
}

tf_logging_unknown(bucket) if lib.is_unknown(lib.resource(bucket).attrs.logging)

# aws_s3_bucket_logging resources whose bucket is not a bucket of the unit.
unresolved_logging contains address if {
	some address in lib.managed_of("aws_s3_bucket_logging")
	not attached(address)
	lib.is_unknown(object.get(lib.resource(address).attrs, "bucket", null))
}

attached(address) if {
	some ref in lib.resource(address).refs
	ref.at == ["bucket"]
}

tf_candidates contains bucket if {
	some bucket in lib.managed_of("aws_s3_bucket")
	not tf_logged(bucket)
	not tf_logging_unknown(bucket)
	not log_target(bucket)
}

deny contains r if {
	count(unresolved_logging) == 0
	some bucket in tf_candidates
	r := lib.result(bucket, ["logging"], "no aws_s3_bucket_logging (or logging block) for this bucket: requests to it are not logged")
}

unknown contains r if {
	count(unresolved_logging) > 0
	some bucket in tf_candidates
	related := [{"address": a, "path": ["bucket"]} | some a in unresolved_logging]
	r := lib.result_related(bucket, ["logging"], "no aws_s3_bucket_logging references this bucket, but an aws_s3_bucket_logging of the module names a bucket that is not known statically", related)
}

unknown contains r if {
	some bucket in lib.managed_of("aws_s3_bucket")
	tf_logging_unknown(bucket)
	v := lib.resource(bucket).attrs.logging
	r := lib.result(bucket, ["logging"], sprintf("logging is not known statically (%s)", [lib.unknown_reason(v)]))
}
