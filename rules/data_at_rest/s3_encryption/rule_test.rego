package walint.rules.s3_encryption_test

import rego.v1

import data.walint.rules.s3_encryption as rule

u := {"$unknown": "var.alg has no value"}

inp := {
	"resources": {
		"Plain": {"address": "Plain", "type": "AWS::S3::Bucket", "attrs": {"BucketName": "x"}},
		"Good": {"address": "Good", "type": "AWS::S3::Bucket", "attrs": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}}},
		"Empty": {"address": "Empty", "type": "AWS::S3::Bucket", "attrs": {"BucketEncryption": {"ServerSideEncryptionConfiguration": []}}},
		"Bad": {"address": "Bad", "type": "AWS::S3::Bucket", "attrs": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms:xyz"}}]}}},
		"NoDefault": {"address": "NoDefault", "type": "AWS::S3::Bucket", "attrs": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"BucketKeyEnabled": true}]}}},
		"Unk": {"address": "Unk", "type": "AWS::S3::Bucket", "attrs": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": u}}]}}},
		"aws_s3_bucket.a": {"address": "aws_s3_bucket.a", "type": "aws_s3_bucket", "attrs": {"bucket": "a"}, "referrers": [{"from": "aws_s3_bucket_server_side_encryption_configuration.a", "at": ["bucket"], "kind": "traversal"}]},
		"aws_s3_bucket_server_side_encryption_configuration.a": {"address": "aws_s3_bucket_server_side_encryption_configuration.a", "type": "aws_s3_bucket_server_side_encryption_configuration", "attrs": {"bucket": {"$unknown": "aws_s3_bucket.a.id"}, "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES128"}]}]}, "refs": [{"to": "aws_s3_bucket.a", "at": ["bucket"], "kind": "traversal"}]},
		"aws_s3_bucket_server_side_encryption_configuration.orphan": {"address": "aws_s3_bucket_server_side_encryption_configuration.orphan", "type": "aws_s3_bucket_server_side_encryption_configuration", "attrs": {"bucket": "external", "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": u}]}]}},
		"aws_s3_bucket.legacy": {"address": "aws_s3_bucket.legacy", "type": "aws_s3_bucket", "attrs": {"server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}, {"bucket_key_enabled": true}]}]}},
	},
	"by_type": {
		"AWS::S3::Bucket": ["Plain", "Good", "Empty", "Bad", "NoDefault", "Unk"],
		"aws_s3_bucket": ["aws_s3_bucket.a", "aws_s3_bucket.legacy"],
		"aws_s3_bucket_server_side_encryption_configuration": ["aws_s3_bucket_server_side_encryption_configuration.a", "aws_s3_bucket_server_side_encryption_configuration.orphan"],
	},
}

test_deny_rows if {
	got := {[r.address, r.path, r.message, object.get(r, "related", [])] | some r in rule.deny with input as inp}
	got == {
		["Empty", ["BucketEncryption", "ServerSideEncryptionConfiguration"], "default encryption is configured with no rule: it names no encryption algorithm", []],
		["Bad", ["BucketEncryption", "ServerSideEncryptionConfiguration", 0, "ServerSideEncryptionByDefault", "SSEAlgorithm"], "SSEAlgorithm is \"aws:kms:xyz\", which is not a supported algorithm (AES256, aws:kms, aws:kms:dsse)", []],
		["NoDefault", ["BucketEncryption", "ServerSideEncryptionConfiguration", 0, "ServerSideEncryptionByDefault"], "ServerSideEncryptionByDefault is missing: the rule names no encryption algorithm", []],
		["aws_s3_bucket_server_side_encryption_configuration.a", ["rule", 0, "apply_server_side_encryption_by_default", 0, "sse_algorithm"], "sse_algorithm is \"AES128\", which is not a supported algorithm (AES256, aws:kms, aws:kms:dsse)", [{"address": "aws_s3_bucket.a", "path": []}]],
		["aws_s3_bucket.legacy", ["server_side_encryption_configuration", 0, "rule", 1, "apply_server_side_encryption_by_default"], "apply_server_side_encryption_by_default is missing: the rule names no encryption algorithm", []],
	}
}

test_unknown_rows if {
	got := {[r.address, r.path] | some r in rule.unknown with input as inp}
	got == {
		["Unk", ["BucketEncryption", "ServerSideEncryptionConfiguration", 0, "ServerSideEncryptionByDefault", "SSEAlgorithm"]],
		["aws_s3_bucket_server_side_encryption_configuration.orphan", ["rule", 0, "apply_server_side_encryption_by_default", 0, "sse_algorithm"]],
	}
}
