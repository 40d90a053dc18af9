# METADATA
# title: S3 bucket ACL grants access to everyone
# description: |
#   What it checks: S3 bucket ACLs must not grant access to the AllUsers or AuthenticatedUsers
#   groups. CloudFormation: AWS::S3::Bucket.AccessControl PublicRead, PublicReadWrite or
#   AuthenticatedRead. Terraform: aws_s3_bucket_acl.acl public-read, public-read-write or
#   authenticated-read, an access_control_policy grant whose grantee uri is the AllUsers or
#   AuthenticatedUsers group, and the same on the legacy aws_s3_bucket.acl / grant arguments.
#   Absent means private (the default canned ACL). PublicReadWrite is the worst case (anyone can
#   write and overwrite objects); AuthenticatedRead opens the bucket to any AWS account, not only
#   to yours.
#   Why it matters: a public ACL exposes every object of the bucket with no further precondition;
#   ACLs are a legacy mechanism, and AWS recommends disabling them with the bucket owner enforced
#   object ownership (SEC08-BP04, SEC03-BP07). Deploys of such ACLs fail on new buckets with ACLs
#   disabled, but the intent is still a finding.
#   Bad (CloudFormation): AccessControl: PublicRead
#   Bad (Terraform): resource "aws_s3_bucket_acl" "x" { acl = "public-read" }
#   Good: no AccessControl / acl = "private", with ObjectOwnership BucketOwnerEnforced
#   References: https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
#   https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_acl
# custom:
#   id: WA-SEC08-S3-PUBLIC-ACL
#   severity: critical
#   best_practices: [SEC08-BP04, SEC03-BP07]
#   resource_types: [AWS::S3::Bucket, aws_s3_bucket, aws_s3_bucket_acl]
#   recommended_action: Remove the public canned ACL or grant (use private), disable ACLs with ObjectOwnership BucketOwnerEnforced, and serve public content through CloudFront with origin access control.
package walint.rules.s3_public_acl

import rego.v1

import data.walint.lib
import data.walint.lib.s3cfg

# Canned ACLs (lower-cased, both spellings) → who they open the bucket to.
public_canned := {
	"publicread": "everyone can list and read objects",
	"public-read": "everyone can list and read objects",
	"publicreadwrite": "everyone can read and write objects",
	"public-read-write": "everyone can read and write objects",
	"authenticatedread": "every AWS account can list and read objects",
	"authenticated-read": "every AWS account can list and read objects",
}

public_groups := {
	"http://acs.amazonaws.com/groups/global/allusers": "everyone",
	"http://acs.amazonaws.com/groups/global/authenticatedusers": "every AWS account",
}

acl_places contains [address, ["AccessControl"]] if {
	some address in lib.managed_of("AWS::S3::Bucket")
}

acl_places contains [address, ["acl"]] if {
	some t in ["aws_s3_bucket", "aws_s3_bucket_acl"]
	some address in lib.managed_of(t)
}

related(address) := [{"address": b, "path": []} | some b in s3cfg.bucket_of(address)] if {
	lib.resource(address).type == "aws_s3_bucket_acl"
} else := []

deny contains r if {
	some [address, path] in acl_places
	v := object.get(lib.resource(address).attrs, path, null)
	is_string(v)
	harm := public_canned[lib.lower_of(v)]
	r := lib.result_related(address, path, sprintf("canned ACL %s: %s", [lib.show(v), harm]), related(address))
}

unknown contains r if {
	some [address, path] in acl_places
	v := object.get(lib.resource(address).attrs, path, null)
	lib.is_unknown(v)
	r := lib.result(address, path, sprintf("%s is not known statically (%s)", [path[0], lib.unknown_reason(v)]))
}

# Explicit grants: aws_s3_bucket_acl.access_control_policy[].grant[].grantee[].uri and the
# legacy aws_s3_bucket.grant[].uri.
grant_uris contains [address, path, uri] if {
	some address in lib.managed_of("aws_s3_bucket_acl")
	some i, acp in lib.iter(object.get(lib.resource(address).attrs, "access_control_policy", []))
	some j, g in lib.iter(lib.get(acp, "grant", []))
	some k, grantee in lib.iter(lib.get(g, "grantee", []))
	uri := lib.get(grantee, "uri", null)
	path := ["access_control_policy", i, "grant", j, "grantee", k, "uri"]
}

grant_uris contains [address, path, uri] if {
	some address in lib.managed_of("aws_s3_bucket")
	some j, g in lib.iter(object.get(lib.resource(address).attrs, "grant", []))
	uri := lib.get(g, "uri", null)
	path := ["grant", j, "uri"]
}

deny contains r if {
	some [address, path, uri] in grant_uris
	is_string(uri)
	who := public_groups[lib.lower_of(uri)]
	r := lib.result_related(address, path, sprintf("the ACL grants access to %s (%s)", [who, uri]), related(address))
}

unknown contains r if {
	some [address, path, uri] in grant_uris
	lib.is_unknown(uri)
	r := lib.result(address, path, sprintf("grantee uri is not known statically (%s)", [lib.unknown_reason(uri)]))
}
