# METADATA
# title: KMS key rotation is not enabled
# description: |
#   What it checks: customer-managed symmetric KMS keys must set EnableKeyRotation /
#   enable_key_rotation to true (absent means false). Keys that cannot rotate automatically
#   are skipped: asymmetric and HMAC keys (KeySpec / customer_master_key_spec other than
#   SYMMETRIC_DEFAULT), imported key material (Origin EXTERNAL), and keys in a custom key store
#   (Origin AWS_CLOUDHSM or EXTERNAL_KEY_STORE, custom_key_store_id).
#   Resources encrypted with the key (catalog G12: any resource of the unit whose attribute refers
#   to the key, directly or through an AWS::KMS::Alias / aws_kms_alias TargetKeyId /
#   target_key_id, other than aliases, key policies, grants and IAM policies) are named in the
#   message and reported as related locations, so a finding shows what data the static key
#   protects.
#   Why it matters: rotation limits how much data one key version protects and how long a
#   leaked key version stays useful (SEC08-BP01).
#   Bad (CloudFormation): AWS::KMS::Key without EnableKeyRotation, or EnableKeyRotation: false
#   Bad (Terraform): aws_kms_key without enable_key_rotation, or enable_key_rotation = false
#   Good: EnableKeyRotation: true / enable_key_rotation = true
#   References: https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kms-key.html
# custom:
#   id: WA-SEC08-KMS-ROTATION
#   severity: medium
#   best_practices: [SEC08-BP01]
#   resource_types: [AWS::KMS::Key, aws_kms_key]
#   recommended_action: Set EnableKeyRotation (CloudFormation) or enable_key_rotation (Terraform) to true.
package walint.rules.kms_rotation

import rego.v1

import data.walint.lib

# Per origin: [type, rotation key, key-spec key, keys whose presence makes rotation unsupported].
targets := [
	["AWS::KMS::Key", "EnableKeyRotation", "KeySpec", []],
	["aws_kms_key", "enable_key_rotation", "customer_master_key_spec", ["custom_key_store_id"]],
]

keys contains [address, attrs, t[1]] if {
	some t in targets
	some address in lib.resources_of(t[0])
	attrs := lib.resource(address).attrs
	not cannot_rotate(attrs, t)
	not spec_unknown(attrs, t)
}

spec_unknown(attrs, t) if lib.is_unknown(attrs[t[2]])

cannot_rotate(attrs, t) if {
	spec := object.get(attrs, t[2], "SYMMETRIC_DEFAULT")
	is_string(spec)
	spec != "SYMMETRIC_DEFAULT"
}

cannot_rotate(attrs, t) if {
	some k in t[3]
	lib.present(attrs, k)
}

cannot_rotate(attrs, _) if {
	origin := object.get(attrs, "Origin", "AWS_KMS")
	is_string(origin)
	origin != "AWS_KMS"
}

deny contains r if {
	some [address, attrs, key] in keys
	not lib.present(attrs, key)
	r := lib.result_related(address, [key], sprintf("%s is not set: automatic key rotation is off by default%s", [key, users_text(address)]), users_related(address))
}

deny contains r if {
	some [address, attrs, key] in keys
	lib.is_false(attrs[key])
	r := lib.result_related(address, [key], sprintf("%s is %s: automatic key rotation is off%s", [key, lib.show(attrs[key]), users_text(address)]), users_related(address))
}

# Types that refer to a key without storing data encrypted with it.
non_users := {
	"AWS::KMS::Alias", "AWS::KMS::Key", "AWS::KMS::ReplicaKey", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy",
	"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group", "aws_kms_alias", "aws_kms_key_policy",
	"aws_kms_grant", "aws_kms_replica_key", "aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy",
	"aws_iam_group_policy", "aws_iam_role",
}

# G12: resources of the unit encrypted with the key (directly or through an alias): [address, path].
users(key) := {[ref.from, ref.at] |
	some ref in object.get(lib.resource(key), "referrers", [])
	ref.kind != "depends-on"
	user(ref.from)
} | {[r2.from, r2.at] |
	some ref in object.get(lib.resource(key), "referrers", [])
	lib.resource(ref.from).type in {"AWS::KMS::Alias", "aws_kms_alias"}
	some r2 in object.get(lib.resource(ref.from), "referrers", [])
	r2.kind != "depends-on"
	user(r2.from)
}

user(a) if {
	r := lib.resource(a)
	lib.get(r, "mode", "managed") == "managed"
	not r.type in non_users
}

users_related(key) := [{"address": u[0], "path": u[1]} | some u in sort([x | some x in users(key)])]

users_text(key) := "" if {
	count(users(key)) == 0
} else := sprintf(", and it encrypts %s", [concat(", ", sort({u[0] | some u in users(key)}))])

unknown contains r if {
	some [address, attrs, key] in keys
	lib.is_unknown(attrs[key])
	r := lib.result(address, [key], sprintf("%s is not known statically (%s)", [key, lib.unknown_reason(attrs[key])]))
}

unknown contains r if {
	some t in targets
	some address in lib.resources_of(t[0])
	attrs := lib.resource(address).attrs
	spec_unknown(attrs, t)
	not cannot_rotate(attrs, t)
	not lib.is_true(object.get(attrs, t[1], null))
	r := lib.result(address, [t[2]], sprintf("%s is not known statically (%s): rotation applies only to symmetric keys and %s is not true", [t[2], lib.unknown_reason(attrs[t[2]]), t[1]]))
}
