# METADATA
# title: S3 bucket default encryption is misconfigured
# description: |
#   What it checks: an S3 bucket's explicit default-encryption configuration must name a
#   supported algorithm (AES256, aws:kms or aws:kms:dsse). CloudFormation BucketEncryption and
#   Terraform's aws_s3_bucket_server_side_encryption_configuration (or the legacy inline
#   server_side_encryption_configuration block) are read. A bucket without any configuration
#   passes: since January 2023 S3 encrypts every new object with SSE-S3 by default.
#   An empty configuration or an unsupported algorithm fails.
#   Why it matters: an invalid or empty configuration shows an intent to encrypt that is not
#   met, and usually means a key or algorithm was lost in a refactoring (SEC08-BP02).
#   Bad (CloudFormation): BucketEncryption: {ServerSideEncryptionConfiguration: []}, or SSEAlgorithm: aws:kms:xyz
#   Bad (Terraform): rule { apply_server_side_encryption_by_default { sse_algorithm = "AES128" } }
#   Good: SSEAlgorithm: aws:kms with KMSMasterKeyID / sse_algorithm = "aws:kms" with kms_master_key_id, or no configuration (SSE-S3 default)
#   References: https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html
#   https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html
# custom:
#   id: WA-SEC08-S3-ENCRYPTION
#   severity: low
#   best_practices: [SEC08-BP02]
#   resource_types: [AWS::S3::Bucket, aws_s3_bucket, aws_s3_bucket_server_side_encryption_configuration]
#   recommended_action: Configure default encryption with SSEAlgorithm / sse_algorithm set to aws:kms (with a customer-managed key) or AES256, or remove the empty configuration.
package walint.rules.s3_encryption

import rego.v1

import data.walint.lib
import data.walint.lib.s3

related(c) := [{"address": c.bucket, "path": []}] if {
	c.bucket != null
	c.bucket != c.address
} else := []

# The configuration holds no rule at all.
deny contains r if {
	some c in data.walint.lib.s3.encryption_configs
	no_rules(c.rules)
	r := lib.result_related(c.address, c.path, "default encryption is configured with no rule: it names no encryption algorithm", related(c))
}

no_rules(v) if v == null

no_rules(v) if {
	is_array(v)
	count(v) == 0
}

# A rule without a default-encryption block.
deny contains r if {
	some c in data.walint.lib.s3.encryption_configs
	some d in s3.defaults(c)
	d.value == null
	r := lib.result_related(c.address, d.path, sprintf("%s is missing: the rule names no encryption algorithm", [data.walint.lib.s3.keys[c.origin].default]), related(c))
}

deny contains r if {
	some c in data.walint.lib.s3.encryption_configs
	some d in s3.defaults(c)
	is_object(d.value)
	not lib.is_unknown(d.value)
	alg_key := data.walint.lib.s3.keys[c.origin].algorithm
	alg := lib.get(d.value, alg_key, null)
	not lib.is_unknown(alg)
	not alg in data.walint.lib.s3.valid_algorithms
	r := lib.result_related(c.address, array.concat(d.path, [alg_key]), algorithm_message(alg_key, alg), related(c))
}

algorithm_message(key, null) := sprintf("%s is not set: the rule names no encryption algorithm", [key])

algorithm_message(key, alg) := sprintf("%s is %s, which is not a supported algorithm (AES256, aws:kms, aws:kms:dsse)", [key, lib.show(alg)]) if alg != null

unknown contains r if {
	some c in data.walint.lib.s3.encryption_configs
	lib.is_unknown(c.rules)
	r := lib.result_related(c.address, c.path, sprintf("the encryption configuration is not known statically (%s)", [lib.unknown_reason(c.rules)]), related(c))
}

unknown contains r if {
	some c in data.walint.lib.s3.encryption_configs
	some d in s3.defaults(c)
	lib.is_unknown(d.value)
	r := lib.result_related(c.address, d.path, sprintf("the default encryption is not known statically (%s)", [lib.unknown_reason(d.value)]), related(c))
}

unknown contains r if {
	some c in data.walint.lib.s3.encryption_configs
	some d in s3.defaults(c)
	alg_key := data.walint.lib.s3.keys[c.origin].algorithm
	alg := d.value[alg_key]
	lib.is_unknown(alg)
	r := lib.result_related(c.address, array.concat(d.path, [alg_key]), sprintf("%s is not known statically (%s)", [alg_key, lib.unknown_reason(alg)]), related(c))
}
