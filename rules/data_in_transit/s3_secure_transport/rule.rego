# METADATA
# title: S3 bucket policy does not deny plain HTTP requests
# description: |
#   What it checks: every S3 bucket has a bucket policy with a statement Effect Deny, Principal
#   "*", Action s3:* (or *), with Condition Bool (or BoolIfExists) aws:SecureTransport "false",
#   or NumericLessThan s3:TlsVersion (TLS older than a minimum). CloudFormation: an
#   AWS::S3::BucketPolicy whose Bucket is the bucket; Terraform: an aws_s3_bucket_policy whose
#   bucket is the bucket (documents from jsonencode, heredocs and aws_iam_policy_document are
#   read alike) or the legacy aws_s3_bucket.policy. No policy, or a policy without such a
#   statement, fails; a statement that denies only some actions over HTTP fails too. A policy
#   document that is not known statically gives unknown. S3 accepts HTTP requests unless a
#   policy denies them.
#   Why it matters: without the deny, clients (and misconfigured SDKs) can read and write objects
#   over unencrypted HTTP, exposing data and credentials-bearing requests in transit (SEC09-BP02).
#   Bad (CloudFormation): an AWS::S3::Bucket with no AWS::S3::BucketPolicy
#   Bad (Terraform): aws_s3_bucket_policy allowing reads without the SecureTransport deny
#   Good: {Effect: Deny, Principal: "*", Action: "s3:*", Resource: [bucket ARN, bucket ARN/*],
#   Condition: {Bool: {"aws:SecureTransport": "false"}}}
#   References: https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
#   https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucketpolicy.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_policy
# custom:
#   id: WA-SEC09-S3-SECURE-TRANSPORT
#   severity: medium
#   best_practices: [SEC09-BP02]
#   resource_types: [AWS::S3::Bucket, AWS::S3::BucketPolicy, aws_s3_bucket, aws_s3_bucket_policy]
#   recommended_action: Add a bucket policy statement that denies s3:* to Principal "*" on the bucket and its objects when aws:SecureTransport is false.
package walint.rules.s3_secure_transport

import rego.v1

import data.walint.lib
import data.walint.lib.iam
import data.walint.lib.s3cfg

buckets contains b if {
	some t in ["AWS::S3::Bucket", "aws_s3_bucket"]
	some b in lib.managed_of(t)
}

# A condition block that limits the statement to plain-HTTP (or old TLS) requests.
insecure_condition(cond) if {
	some op in ["Bool", "BoolIfExists"]
	some k, v in lib.iter(lib.get(cond, op, {}))
	lib.lower_of(k) == "aws:securetransport"
	some x in lib.as_list(v)
	lib.is_false(x)
}

insecure_condition(cond) if {
	some op in ["NumericLessThan", "NumericLessThanIfExists"]
	some k, _ in lib.iter(lib.get(cond, op, {}))
	lib.lower_of(k) == "s3:tlsversion"
}

https_deny(s) if {
	s.stmt.Effect == "Deny"
	s3cfg.public_principal(object.get(s.stmt, "Principal", null))
	is_object(s.stmt.Condition)
	insecure_condition(s.stmt.Condition)
}

covers_all(s) if {
	some a in iam.elements(s.stmt, "Action", s.path)
	iam.action_matches(a.value, "s3:*")
}

# Per bucket, computed once per unit (rules, not functions: regorus evaluates a function again
# at every call): its policy documents, their statements, and what is not known in them.
docs[bucket] := s3cfg.policy_docs(bucket) if some bucket in buckets

statements[bucket] := [object.union(s, {"address": d.address}) | some d in docs[bucket]; some s in iam.statements(d)] if {
	some bucket in buckets
}

unknown_parts[bucket] := [{"address": d.address, "path": u.path, "reason": u.reason} |
	some d in docs[bucket]
	some u in iam.unknown_statements(d)
] if {
	some bucket in buckets
}

satisfied contains bucket if {
	some bucket in buckets
	some s in statements[bucket]
	https_deny(s)
	covers_all(s)
}

partial[bucket] := [s | some s in statements[bucket]; https_deny(s); not covers_all(s)] if {
	some bucket in buckets
}

unresolved := s3cfg.unresolved("AWS::S3::BucketPolicy") | s3cfg.unresolved("aws_s3_bucket_policy")

deny contains r if {
	some bucket in buckets
	count(docs[bucket]) == 0
	count(unresolved) == 0
	r := lib.result(bucket, [], "no bucket policy for this bucket: requests over plain HTTP are accepted")
}

unknown contains r if {
	some bucket in buckets
	count(docs[bucket]) == 0
	count(unresolved) > 0
	related := [{"address": a, "path": []} | some a in unresolved]
	r := lib.result_related(bucket, [], "no bucket policy resolved to this bucket (a bucket policy of the unit names a bucket that is not known statically)", related)
}

deny contains r if {
	some bucket in buckets
	docs_b := docs[bucket]
	count(docs_b) > 0
	not satisfied[bucket]
	count(unknown_parts[bucket]) == 0
	count(partial[bucket]) == 0
	d := docs_b[0]
	r := lib.result_related(d.address, d.path, "the bucket policy has no statement denying requests where aws:SecureTransport is false: plain HTTP is accepted", [{"address": bucket, "path": []}])
}

deny contains r if {
	some bucket in buckets
	not satisfied[bucket]
	count(unknown_parts[bucket]) == 0
	some s in partial[bucket]
	r := lib.result_related(s.address, array.concat(s.path, ["Action"]), "the SecureTransport deny covers only some actions: other requests over plain HTTP are accepted", [{"address": bucket, "path": []}])
}

unknown contains r if {
	some bucket in buckets
	not satisfied[bucket]
	some u in unknown_parts[bucket]
	r := lib.result_related(u.address, u.path, sprintf("the bucket policy is not known statically (%s)", [u.reason]), [{"address": bucket, "path": []}])
}
