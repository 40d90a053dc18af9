# METADATA
# title: KMS key policy gives one principal full control
# description: |
#   What it checks: key policies of customer managed KMS keys (AWS::KMS::Key.KeyPolicy,
#   aws_kms_key.policy, aws_kms_key_policy.policy) must be scoped: an Allow of kms:* (or "*") to
#   a principal other than the account root
#   (arn:aws:iam::<account>:root or a bare account ID) without a Condition fails: that principal
#   can both administer the key (change its policy, schedule its deletion) and use it to decrypt,
#   which defeats separation of duties. A public principal ("*") is WA-SEC03-MULTI-RESOURCE-POLICY-PUBLIC's
#   finding and is not repeated here. A policy that is not known statically gives unknown.
#   Why it matters: the key policy is the primary control on who can decrypt the data; with the
#   default policy any IAM administrator, or any role with kms:Decrypt on "*", can read data
#   encrypted with the key, and a key administrator who can also decrypt can exfiltrate data
#   without a second person's help (SEC08-BP01, SEC03-BP02). A key without a policy gets the
#   default key policy (account root full access, use delegated to IAM); the catalog rates that
#   low and it is not reported by this medium rule (shared case 09 expects no finding for it).
#   Bad (CloudFormation): {Effect: Allow, Principal: {AWS: arn:aws:iam::123456789012:role/app},
#   Action: "kms:*", Resource: "*"}
#   Bad (Terraform): aws_kms_key_policy allowing "kms:*" to a role
#   Good: a key policy giving administrators kms:Create*, kms:Put*, kms:ScheduleKeyDeletion … and
#   the application role only kms:Encrypt, kms:Decrypt, kms:GenerateDataKey*
#   References: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
#   https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
#   https://docs.aws.amazon.com/kms/latest/developerguide/least-privilege.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key_policy
# custom:
#   id: WA-SEC08-KMS-KEY-POLICY
#   severity: medium
#   best_practices: [SEC08-BP01, SEC03-BP02]
#   resource_types: [AWS::KMS::Key, aws_kms_key, aws_kms_key_policy]
#   recommended_action: Write an explicit key policy that separates key administrators from key users and grants each only the kms actions it needs.
package walint.rules.kms_key_policy

import rego.v1

import data.walint.lib
import data.walint.lib.iam
import data.walint.lib.policy

# Key policy documents: {"address", "path", "doc"}.
documents contains d if {
	some t in ["AWS::KMS::Key", "aws_kms_key", "aws_kms_key_policy"]
	some d in data.walint.lib.policy.resource_documents
	lib.resource(d.address).type == t
}

full_control(v) if {
	is_string(v)
	lib.lower_of(v) in {"*", "kms:*"}
}

account_root(v) if {
	is_string(v)
	regex.match(`^(arn:aws[a-z-]*:iam::[0-9]{12}:root|[0-9]{12})$`, v)
}

deny contains r if {
	some d in documents
	some s in policy.allow_statements({d})
	not lib.present(s.stmt, "Condition")
	some e in iam.elements(s.stmt, "Action", s.path)
	full_control(e.value)
	some p in policy.principals(s.stmt, s.path)
	p.type == "AWS"
	is_string(p.value)
	p.value != "*"
	not account_root(p.value)
	r := lib.result(d.address, p.path, sprintf("the key policy allows %s to %s without a Condition: one principal can both administer the key and decrypt with it", [lib.show(e.value), lib.show(p.value)]))
}

unknown contains r if {
	some u in policy.unknown_parts(documents)
	r := lib.result(u.address, u.path, sprintf("the key policy is not known statically (%s)", [u.reason]))
}

unknown contains r if {
	some t in ["AWS::KMS::Key", "aws_kms_key", "aws_kms_key_policy"]
	some a in lib.managed_of(t)
	some k in ["KeyPolicy", "policy"]
	v := object.get(lib.resource(a).attrs, k, null)
	is_string(v)
	r := lib.result(a, [k], "the key policy is a string that could not be parsed as a policy document")
}
