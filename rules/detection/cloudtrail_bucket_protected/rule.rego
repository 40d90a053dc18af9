# METADATA
# title: CloudTrail log bucket is not protected
# description: |
#   What it checks: the S3 bucket a trail delivers to (S3BucketName / s3_bucket_name naming a
#   bucket of the same unit, by reference or by its literal name) must be private and logged:
#   no public canned ACL (AccessControl / acl / aws_s3_bucket_acl.acl PublicRead,
#   PublicReadWrite, AuthenticatedRead), no public access block flag turned off
#   (PublicAccessBlockConfiguration / aws_s3_bucket_public_access_block), no bucket policy
#   statement allowing everyone (Principal "*") without a condition, no statement allowing
#   everyone to delete objects (s3:DeleteObject, s3:Delete*, s3:*, *) even with a condition, and
#   server access logging on (LoggingConfiguration / aws_s3_bucket_logging or the legacy logging
#   block). Trails whose bucket is outside the unit are not judged; encryption of the trail is
#   WA-SEC08-CT-KMS. Versioning and Object Lock are not checked here.
#   Why it matters: the trail bucket is the audit record an attacker wants to read (it reveals
#   the account's activity) and to erase (it reveals the attacker's); it must not be public, its
#   objects must not be deletable by anyone, and access to it must itself be logged
#   (SEC04-BP02, SEC10-BP03, SEC08-BP04).
#   Bad (CloudFormation): a trail with S3BucketName: !Ref TrailBucket whose bucket has
#   AccessControl: PublicRead or no LoggingConfiguration
#   Bad (Terraform): aws_cloudtrail with s3_bucket_name = aws_s3_bucket.trail.id and no
#   aws_s3_bucket_logging for that bucket
#   Good: the trail bucket private (public access block on), its policy granting PutObject only
#   to cloudtrail.amazonaws.com with aws:SourceArn, and server access logging to a log bucket.
#   References: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
#   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
#   https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html
# custom:
#   id: WA-SEC04-CT-BUCKET-PROTECTED
#   severity: high
#   best_practices: [SEC04-BP02, SEC10-BP03, SEC08-BP04]
#   resource_types: [AWS::CloudTrail::Trail, aws_cloudtrail]
#   recommended_action: Keep the trail bucket private (public access block on, no public ACL, bucket policy granting only the CloudTrail service with aws:SourceArn), deny object deletion to everyone else, and enable server access logging on it.
package walint.rules.cloudtrail_bucket_protected

import rego.v1

import data.walint.lib
import data.walint.lib.iam
import data.walint.lib.s3cfg

trail_key := {"AWS::CloudTrail::Trail": "S3BucketName", "aws_cloudtrail": "s3_bucket_name"}

# [trail, attribute, bucket]
trail_buckets contains [trail, key, bucket] if {
	some t, key in trail_key
	some trail in lib.managed_of(t)
	some ref in lib.resource(trail).refs
	ref.at == [key]
	lib.resource(ref.to).type in data.walint.lib.s3cfg.bucket_types
	bucket := ref.to
}

trail_buckets contains [trail, key, bucket] if {
	some t, key in trail_key
	some trail in lib.managed_of(t)
	name := lib.resource(trail).attrs[key]
	is_string(name)
	some bt in data.walint.lib.s3cfg.bucket_types
	some bucket in lib.managed_of(bt)
	lib.resource(bucket).attrs[data.walint.lib.s3cfg.name_key[bt]] == name
}

finding(trail, key, bucket, what, place) := lib.result_related(trail, [key], sprintf("the trail's bucket %s %s", [bucket, what]), [place])

# Public canned ACLs.
public_acls := {"publicread", "public-read", "publicreadwrite", "public-read-write", "authenticatedread", "authenticated-read"}

acl_places(bucket) := {{"address": bucket, "path": ["AccessControl"]}} if {
	lib.resource(bucket).type == "AWS::S3::Bucket"
} else := {{"address": bucket, "path": ["acl"]}} | {{"address": a, "path": ["acl"]} | some a in s3cfg.configs(bucket, "aws_s3_bucket_acl")}

deny contains r if {
	some [trail, key, bucket] in trail_buckets
	some place in acl_places(bucket)
	v := object.get(lib.resource(place.address).attrs, place.path, null)
	is_string(v)
	lib.lower_of(v) in public_acls
	r := finding(trail, key, bucket, sprintf("has the public canned ACL %s: the audit log can be read outside the account", [lib.show(v)]), place)
}

# Public access block flags turned off.
pab_places(bucket) := {{"address": bucket, "path": ["PublicAccessBlockConfiguration", k]} |
	lib.resource(bucket).type == "AWS::S3::Bucket"
	some k in ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]
} | {{"address": a, "path": [k]} |
	some a in s3cfg.configs(bucket, "aws_s3_bucket_public_access_block")
	some k in ["block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"]
}

deny contains r if {
	some [trail, key, bucket] in trail_buckets
	some place in pab_places(bucket)
	v := object.get(lib.resource(place.address).attrs, place.path, null)
	lib.is_false(v)
	r := finding(trail, key, bucket, sprintf("turns the public access block flag %s off: the audit log can be made public", [place.path[count(place.path) - 1]]), place)
}

# Bucket policy statements allowing everyone.
public_allows(bucket) := [[d, s] |
	some d in s3cfg.policy_docs(bucket)
	some s in iam.statements(d)
	lib.lower_of(object.get(s.stmt, "Effect", "")) == "allow"
	s3cfg.public_principal(object.get(s.stmt, "Principal", null))
]

deny contains r if {
	some [trail, key, bucket] in trail_buckets
	some [d, s] in public_allows(bucket)
	not lib.present(s.stmt, "Condition")
	r := finding(trail, key, bucket, "has a bucket policy statement allowing everyone (Principal \"*\") without a condition: the audit log is exposed", {"address": d.address, "path": s.path})
}

delete_actions := ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration"]

deny contains r if {
	some [trail, key, bucket] in trail_buckets
	some [d, s] in public_allows(bucket)
	lib.present(s.stmt, "Condition")
	some e in iam.elements(s.stmt, "Action", s.path)
	some action in delete_actions
	iam.action_matches(e.value, action)
	r := finding(trail, key, bucket, sprintf("has a bucket policy statement allowing everyone %s: audit log files can be deleted", [lib.show(e.value)]), {"address": d.address, "path": e.path})
}

# Server access logging.
logged(bucket) if {
	lib.resource(bucket).type == "AWS::S3::Bucket"
	lib.present(lib.resource(bucket).attrs, "LoggingConfiguration")
}

logged(bucket) if count(s3cfg.configs(bucket, "aws_s3_bucket_logging")) > 0

logged(bucket) if {
	lib.resource(bucket).type == "aws_s3_bucket"
	v := object.get(lib.resource(bucket).attrs, "logging", [])
	v != []
	v != null
}

unresolved_logging if count(s3cfg.unresolved("aws_s3_bucket_logging")) > 0

deny contains r if {
	some [trail, key, bucket] in trail_buckets
	not logged(bucket)
	not unresolved_logging
	r := finding(trail, key, bucket, "has no server access logging: reads and deletions of the audit log are not recorded", {"address": bucket, "path": []})
}

unknown contains r if {
	some [trail, key, bucket] in trail_buckets
	not logged(bucket)
	unresolved_logging
	r := finding(trail, key, bucket, "has no server access logging of its own, and an aws_s3_bucket_logging of the module names a bucket that is not known statically", {"address": bucket, "path": []})
}

unknown contains r if {
	some [trail, key, bucket] in trail_buckets
	some place in acl_places(bucket) | pab_places(bucket)
	v := object.get(lib.resource(place.address).attrs, place.path, null)
	lib.is_unknown(v)
	r := finding(trail, key, bucket, sprintf("has %s not known statically (%s)", [place.path[count(place.path) - 1], lib.unknown_reason(v)]), place)
}

unknown contains r if {
	some [trail, key, bucket] in trail_buckets
	some d in s3cfg.policy_docs(bucket)
	some u in iam.unknown_statements(d)
	r := finding(trail, key, bucket, sprintf("has a bucket policy that is not known statically (%s)", [u.reason]), {"address": d.address, "path": u.path})
}
