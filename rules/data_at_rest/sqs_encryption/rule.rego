# METADATA
# title: SQS queue server-side encryption is disabled
# description: |
#   What it checks: an SQS queue must not switch off server-side encryption. CloudFormation
#   AWS::SQS::Queue and Terraform aws_sqs_queue are read. A queue with a KMS key
#   (KmsMasterKeyId / kms_master_key_id, even one known only at deploy) is encrypted with SSE-KMS
#   and passes. Without a key, SqsManagedSseEnabled / sqs_managed_sse_enabled set to false fails;
#   absent or true passes: since October 2022 new queues get SSE-SQS by default.
#   A flag whose value is known only at deploy, with no key, is reported as unknown.
#   Why it matters: messages often carry personal or business data; a queue stored in the
#   clear is readable by anyone with access to the underlying storage or backups (SEC08-BP02).
#   Bad (CloudFormation): SqsManagedSseEnabled: false with no KmsMasterKeyId
#   Bad (Terraform): sqs_managed_sse_enabled = false with no kms_master_key_id
#   Good: KmsMasterKeyId: alias/queue-key (SSE-KMS), or nothing (SSE-SQS default)
#   References: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sqs-queue.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sqs_queue
# custom:
#   id: WA-SEC08-SQS-ENCRYPTION
#   severity: medium
#   best_practices: [SEC08-BP02]
#   resource_types: [AWS::SQS::Queue, aws_sqs_queue]
#   recommended_action: Remove SqsManagedSseEnabled false / sqs_managed_sse_enabled = false (SSE-SQS), or set KmsMasterKeyId / kms_master_key_id to a KMS key (SSE-KMS).
package walint.rules.sqs_encryption

import rego.v1

import data.walint.lib

# Property names per origin.
keys := {
	"AWS::SQS::Queue": {"kms": "KmsMasterKeyId", "sse": "SqsManagedSseEnabled"},
	"aws_sqs_queue": {"kms": "kms_master_key_id", "sse": "sqs_managed_sse_enabled"},
}

queues contains [address, k] if {
	some t, k in keys
	some address in lib.resources_of(t)
}

# A KMS key is configured: any value but null or "" (an unknown value counts: a key is given).
has_key(attrs, k) if {
	v := object.get(attrs, k.kms, null)
	v != null
	v != ""
}

deny contains r if {
	some [address, k] in queues
	attrs := lib.resource(address).attrs
	not has_key(attrs, k)
	lib.is_false(object.get(attrs, k.sse, null))
	r := lib.result(address, [k.sse], sprintf("%s is false and no %s is set: the queue is not encrypted at rest", [k.sse, k.kms]))
}

unknown contains r if {
	some [address, k] in queues
	attrs := lib.resource(address).attrs
	not has_key(attrs, k)
	v := object.get(attrs, k.sse, null)
	lib.is_unknown(v)
	r := lib.result(address, [k.sse], sprintf("%s is not known statically (%s) and no %s is set", [k.sse, lib.unknown_reason(v), k.kms]))
}
