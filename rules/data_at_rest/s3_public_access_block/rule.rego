# METADATA
# title: S3 Block Public Access is switched off
# description: |
#   What it checks: the four S3 Block Public Access settings (BlockPublicAcls, IgnorePublicAcls,
#   BlockPublicPolicy, RestrictPublicBuckets) are true wherever a template writes them: the
#   bucket's PublicAccessBlockConfiguration (CloudFormation), aws_s3_bucket_public_access_block
#   and aws_s3_account_public_access_block (Terraform), and S3 access points. Inside a written
#   configuration an omitted flag is false (S3 API and Terraform default), so it fails. A bucket
#   with no configuration at all gets all four settings by default (new buckets since April
#   2023) and passes, unless the same template makes it public (a public canned ACL or grant, or
#   a bucket policy allowing Principal "*" without conditions): the intent is then to switch the
#   block off. A Terraform aws_s3_account_public_access_block with all four flags true covers
#   every bucket.
#   Why it matters: Block Public Access is the guardrail that keeps a mistaken ACL or policy from
#   exposing data; turning it off makes one bad statement enough for a breach (SEC08-BP04,
#   SEC03-BP07).
#   Bad (CloudFormation): PublicAccessBlockConfiguration: {BlockPublicAcls: false, ...}
#   Bad (Terraform): aws_s3_bucket_public_access_block { block_public_policy = false }
#   Good: all four flags true / no configuration on a private bucket
#   References: https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
#   https://docs.aws.amazon.com/AmazonS3/latest/userguide/create-bucket-faq.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-publicaccessblockconfiguration.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_public_access_block
# custom:
#   id: WA-SEC08-S3-PUBLIC-ACCESS-BLOCK
#   severity: high
#   best_practices: [SEC08-BP04, SEC03-BP07]
#   resource_types: [AWS::S3::Bucket, AWS::S3::AccessPoint, aws_s3_bucket, aws_s3_bucket_public_access_block, aws_s3_account_public_access_block, aws_s3_access_point]
#   recommended_action: Set all four Block Public Access settings to true on the bucket (and the account); share data through CloudFront origin access control or access points instead of public ACLs or policies.
package walint.rules.s3_public_access_block

import rego.v1

import data.walint.lib
import data.walint.lib.iam
import data.walint.lib.s3cfg
import data.walint.lib.setting

cfn_flags := ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]

tf_flags := ["block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"]

harm := "public ACLs or bucket policies can expose the data"

# Written configurations: [address, path of the configuration, flag names, absent flag fails].
configs contains [a, ["PublicAccessBlockConfiguration"], cfn_flags, true] if {
	some a in lib.managed_of("AWS::S3::Bucket")
	lib.present(lib.resource(a).attrs, "PublicAccessBlockConfiguration")
}

configs contains [a, ["PublicAccessBlockConfiguration"], cfn_flags, false] if {
	some a in lib.managed_of("AWS::S3::AccessPoint")
	lib.present(lib.resource(a).attrs, "PublicAccessBlockConfiguration")
}

configs contains [a, [], tf_flags, true] if {
	some t in ["aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"]
	some a in lib.managed_of(t)
}

configs contains [a, ["public_access_block_configuration", 0], tf_flags, false] if {
	some a in lib.managed_of("aws_s3_access_point")
	count(lib.iter(object.get(lib.resource(a).attrs, "public_access_block_configuration", []))) > 0
}

outcomes contains o if {
	some [a, base, flags, absent_fails] in configs
	attrs := lib.resource(a).attrs
	some flag in flags
	path := array.concat(base, [flag])
	l := setting.lookup(attrs, path)
	o := flag_outcome(a, l, absent_fails)
}

flag_outcome(a, l, absent_fails) := setting.unknown_outcome(a, l) if {
	l.state == "unknown"
} else := ["fail", lib.result(a, l.path, sprintf("%s is not set (false when a configuration is written): %s", [setting.name(l.path), harm]))] if {
	l.state == "absent"
	absent_fails
} else := ["fail", lib.result(a, l.path, sprintf("%s is %s: %s", [setting.name(l.path), lib.show(l.value), harm]))] if {
	l.state == "value"
	not lib.is_true(l.value)
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}

# ---------------------------------------------------------------- buckets made public

account_blocks_all if {
	some a in lib.managed_of("aws_s3_account_public_access_block")
	attrs := lib.resource(a).attrs
	every f in tf_flags {
		lib.is_true(object.get(attrs, f, false))
	}
}

public_acls := {"publicread", "public-read", "publicreadwrite", "public-read-write", "authenticatedread", "authenticated-read"}

# public_sources(bucket): {"address", "path"} of what makes the bucket public.
public_sources(bucket) := {{"address": bucket, "path": [k]} |
	some k in ["AccessControl", "acl"]
	v := object.get(lib.resource(bucket).attrs, k, null)
	is_string(v)
	lib.lower_of(v) in public_acls
} | {{"address": a, "path": ["acl"]} |
	some a in s3cfg.configs(bucket, "aws_s3_bucket_acl")
	v := object.get(lib.resource(a).attrs, "acl", null)
	is_string(v)
	lib.lower_of(v) in public_acls
} | {{"address": d.address, "path": s.path} |
	some d in s3cfg.policy_docs(bucket)
	some s in iam.statements(d)
	s.stmt.Effect == "Allow"
	s3cfg.public_principal(object.get(s.stmt, "Principal", null))
	not lib.present(s.stmt, "Condition")
}

deny contains r if {
	some bucket in lib.managed_of("AWS::S3::Bucket")
	not lib.present(lib.resource(bucket).attrs, "PublicAccessBlockConfiguration")
	sources := public_sources(bucket)
	count(sources) > 0
	r := lib.result_related(bucket, ["PublicAccessBlockConfiguration"], "PublicAccessBlockConfiguration is not set on a bucket this template makes public: the default block would have to be switched off", sort_related(sources))
}

deny contains r if {
	some bucket in lib.managed_of("aws_s3_bucket")
	not account_blocks_all
	count(s3cfg.configs(bucket, "aws_s3_bucket_public_access_block")) == 0
	count(s3cfg.unresolved("aws_s3_bucket_public_access_block")) == 0
	sources := public_sources(bucket)
	count(sources) > 0
	r := lib.result_related(bucket, [], "no aws_s3_bucket_public_access_block for a bucket this module makes public: the default block would have to be switched off", sort_related(sources))
}

unknown contains r if {
	some bucket in lib.managed_of("aws_s3_bucket")
	not account_blocks_all
	count(s3cfg.configs(bucket, "aws_s3_bucket_public_access_block")) == 0
	unresolved := s3cfg.unresolved("aws_s3_bucket_public_access_block")
	count(unresolved) > 0
	count(public_sources(bucket)) > 0
	r := lib.result_related(bucket, [], "a bucket this module makes public has no aws_s3_bucket_public_access_block resolved to it (one names a bucket that is not known statically)", sort_related({{"address": a, "path": ["bucket"]} | some a in unresolved}))
}

sort_related(s) := [x | some x in sort(s)]
