# S3 bucket ↔ configuration resources (catalog §3 G1/G2), for both origins.
#
#   CloudFormation  AWS::S3::BucketPolicy.Bucket → AWS::S3::Bucket (Ref, or the literal bucket
#                   name matching the bucket's BucketName)
#   Terraform       aws_s3_bucket_{public_access_block,acl,policy,versioning,logging,...}.bucket
#                   → aws_s3_bucket (reference, or the literal name matching `bucket`)
#
# `configs(bucket, t)` is the set of addresses of resources of type `t` configuring the bucket
# at address `bucket`; `unresolved(t)` the set of resources of type `t` whose bucket is neither a
# bucket of the unit nor known statically (a rule then reports "unknown" instead of "missing").
# `policy_docs(bucket)` lists {"address", "path", "doc"} of every bucket policy of the bucket.
package walint.lib.s3cfg

import rego.v1

import data.walint.lib

bucket_key := {"cloudformation": "Bucket", "terraform": "bucket", "terraform-plan": "bucket"}

name_key := {"AWS::S3::Bucket": "BucketName", "aws_s3_bucket": "bucket"}

bucket_types := {"AWS::S3::Bucket", "aws_s3_bucket"}

configs(bucket, t) := {a |
	some ref in object.get(lib.resource(bucket), "referrers", [])
	r := lib.resource(ref.from)
	r.type == t
	ref.at == [bucket_key[r.origin]]
	a := ref.from
} | {a |
	name := lib.resource(bucket).attrs[name_key[lib.resource(bucket).type]]
	is_string(name)
	some a in lib.resources_of(t)
	r := lib.resource(a)
	object.get(r.attrs, bucket_key[r.origin], null) == name
}

# bucket_of(address): the bucket addresses a configuration resource applies to.
bucket_of(address) := {b |
	some ref in object.get(lib.resource(address), "refs", [])
	ref.at == [bucket_key[lib.resource(address).origin]]
	lib.resource(ref.to).type in bucket_types
	b := ref.to
} | {b |
	r := lib.resource(address)
	name := object.get(r.attrs, bucket_key[r.origin], null)
	is_string(name)
	some t in bucket_types
	some b in lib.resources_of(t)
	lib.resource(b).attrs[name_key[t]] == name
}

unresolved(t) := {a |
	some a in lib.resources_of(t)
	count(bucket_of(a)) == 0
	r := lib.resource(a)
	lib.is_unknown(object.get(r.attrs, bucket_key[r.origin], null))
}

policy_types := {"AWS::S3::BucketPolicy": "PolicyDocument", "aws_s3_bucket_policy": "policy"}

policy_docs(bucket) := [d |
	some t, key in policy_types
	some a in configs(bucket, t)
	lib.present(lib.resource(a).attrs, key)
	d := {"address": a, "path": [key], "doc": lib.resource(a).attrs[key]}
] if {
	lib.resource(bucket).type == "AWS::S3::Bucket"
} else := array.concat(
	[d |
		some a in configs(bucket, "aws_s3_bucket_policy")
		lib.present(lib.resource(a).attrs, "policy")
		d := {"address": a, "path": ["policy"], "doc": lib.resource(a).attrs.policy}
	],
	[d |
		lib.present(lib.resource(bucket).attrs, "policy")
		d := {"address": bucket, "path": ["policy"], "doc": lib.resource(bucket).attrs.policy}
	],
)

# public_principal(p): a Principal that is everyone ("*", {"AWS": "*"}, {"AWS": ["*"]}).
public_principal(p) if p == "*"

public_principal(p) if {
	is_object(p)
	some v in lib.as_list(object.get(p, "AWS", []))
	v == "*"
}

# aws_iam_policy_document `principals { type = "*", identifiers = ["*"] }` renders as
# Principal "*"; the front end keeps it as {"*": ["*"]}.
public_principal(p) if {
	is_object(p)
	some v in lib.as_list(object.get(p, "*", []))
	v == "*"
}
