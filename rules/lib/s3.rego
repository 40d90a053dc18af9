# S3 bucket default-encryption view over both origins (catalog G1):
#   CloudFormation  AWS::S3::Bucket.BucketEncryption.ServerSideEncryptionConfiguration[]
#   Terraform       aws_s3_bucket.server_side_encryption_configuration[].rule[] (legacy inline)
#                   aws_s3_bucket_server_side_encryption_configuration.rule[], attached to its
#                   bucket through the `bucket` reference (the bucket's `referrers` at ["bucket"])
#
# `encryption_configs` holds {"address", "bucket", "path", "rules", "origin"}:
#   address  the resource where the configuration is written
#   bucket   address of the bucket it applies to (null when the bucket is not in the unit)
#   path     attribute path of the list of rules (may be absent: "present but empty")
#   rules    the value at `path` (a list, {"$unknown": ...}, or null when absent)
#   origin   "cloudformation" or "terraform" (selects the key names, see `keys`)
package walint.lib.s3

import rego.v1

import data.walint.lib

split_type := "aws_s3_bucket_server_side_encryption_configuration"

# Key names per origin: the block holding the default and the algorithm attribute.
keys := {
	"cloudformation": {"default": "ServerSideEncryptionByDefault", "algorithm": "SSEAlgorithm"},
	"terraform": {"default": "apply_server_side_encryption_by_default", "algorithm": "sse_algorithm"},
}

# Algorithms S3 accepts for default encryption.
valid_algorithms := {"AES256", "aws:kms", "aws:kms:dsse"}

encryption_configs contains c if {
	some address in lib.resources_of("AWS::S3::Bucket")
	attrs := lib.resource(address).attrs
	lib.present(attrs, "BucketEncryption")
	be := attrs.BucketEncryption
	c := {
		"address": address,
		"bucket": address,
		"path": cfn_path(be),
		"rules": cfn_rules(be),
		"origin": "cloudformation",
	}
}

cfn_path(be) := ["BucketEncryption"] if lib.is_unknown(be)

cfn_path(be) := ["BucketEncryption", "ServerSideEncryptionConfiguration"] if not lib.is_unknown(be)

cfn_rules(be) := be if lib.is_unknown(be)

cfn_rules(be) := object.get(be, "ServerSideEncryptionConfiguration", null) if {
	is_object(be)
	not lib.is_unknown(be)
}

cfn_rules(be) := null if {
	not is_object(be)
}

# Legacy inline block on aws_s3_bucket (AWS provider < 4 style).
encryption_configs contains c if {
	some address in lib.resources_of("aws_s3_bucket")
	blocks := lib.resource(address).attrs.server_side_encryption_configuration
	is_array(blocks)
	some j, block in blocks
	c := {
		"address": address,
		"bucket": address,
		"path": ["server_side_encryption_configuration", j, "rule"],
		"rules": lib.get(block, "rule", null),
		"origin": "terraform",
	}
}

encryption_configs contains c if {
	some address in lib.resources_of("aws_s3_bucket")
	blocks := lib.resource(address).attrs.server_side_encryption_configuration
	lib.is_unknown(blocks)
	c := {
		"address": address,
		"bucket": address,
		"path": ["server_side_encryption_configuration"],
		"rules": blocks,
		"origin": "terraform",
	}
}

# Split configuration resources attached to a bucket of this unit, found from the bucket.
encryption_configs contains c if {
	some bucket in lib.resources_of("aws_s3_bucket")
	some ref in object.get(lib.resource(bucket), "referrers", [])
	ref.at == ["bucket"]
	lib.resource(ref.from).type == split_type
	c := split_config(ref.from, bucket)
}

# Split configuration resources whose bucket is not a resource of this unit.
encryption_configs contains c if {
	some address in lib.resources_of(split_type)
	not attached(address)
	c := split_config(address, null)
}

attached(address) if {
	some ref in object.get(lib.resource(address), "refs", [])
	ref.at == ["bucket"]
	lib.resource(ref.to).type == "aws_s3_bucket"
}

split_config(address, bucket) := {
	"address": address,
	"bucket": bucket,
	"path": ["rule"],
	"rules": object.get(lib.resource(address).attrs, "rule", null),
	"origin": "terraform",
}

# defaults(c): {"path", "value"} of each rule's default-encryption block, or value null when a
# rule has none. Terraform nested blocks are lists, so the block is element 0.
defaults(c) := [d |
	is_array(c.rules)
	some k, rule in c.rules
	d := rule_default(c, k, rule)
]

rule_default(c, k, rule) := {"path": array.concat(c.path, [k, keys[c.origin].default]), "value": object.get(rule, keys[c.origin].default, null)} if {
	c.origin == "cloudformation"
	is_object(rule)
} else := {"path": array.concat(c.path, [k, keys[c.origin].default, 0]), "value": rule[keys[c.origin].default][0]} if {
	c.origin == "terraform"
	is_object(rule)
	is_array(rule[keys[c.origin].default])
	count(rule[keys[c.origin].default]) > 0
} else := {"path": array.concat(c.path, [k, keys[c.origin].default]), "value": rule[keys[c.origin].default]} if {
	is_object(rule)
	lib.is_unknown(rule[keys[c.origin].default])
} else := {"path": array.concat(c.path, [k]), "value": rule} if {
	lib.is_unknown(rule)
} else := {"path": array.concat(c.path, [k, keys[c.origin].default]), "value": null}
