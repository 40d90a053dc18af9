# METADATA
# title: Access key secret exported as an output
# description: |
#   What it checks: no output may export the secret of an IAM access key. CloudFormation: an
#   Outputs entry whose Value reads Fn::GetAtt [<AWS::IAM::AccessKey>, SecretAccessKey] in any
#   form (!GetAtt Key.SecretAccessKey, ${Key.SecretAccessKey} in Fn::Sub, inside Fn::Join).
#   Terraform: a root-module output whose value reads aws_iam_access_key.<name>.secret or
#   .ses_smtp_password_v4, or the whole aws_iam_access_key object, directly or through the
#   output of a child module. It fails even when the output is sensitive = true. Exporting the
#   PGP-encrypted encrypted_secret is not flagged. A CloudFormation attribute name that is not
#   known statically (Fn::GetAtt [Key, !Ref Attr]) is reported as unknown.
#   Why it matters: stack outputs are readable by everyone who can describe the stack (NoEcho
#   does not apply to them) and are often copied into CI logs; Terraform stores outputs in
#   plain text in the state, and terraform output -json prints sensitive ones too. A leaked
#   long-term key gives its user's permissions until someone rotates it (SEC02-BP03).
#   Bad (CloudFormation): Outputs: {Secret: {Value: !GetAtt AccessKey.SecretAccessKey}}
#   Bad (Terraform): output "secret" { value = aws_iam_access_key.ci.secret, sensitive = true }
#   Good: no access key at all (an IAM role, IAM Roles Anywhere or OIDC federation); if a key is unavoidable, store its secret in Secrets Manager (AWS::SecretsManager::Secret SecretString with ${Key.SecretAccessKey}; aws_secretsmanager_secret_version) and export the secret's ARN, or in Terraform set pgp_key and export encrypted_secret
#   References: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-accesskey.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_access_key
#   https://developer.hashicorp.com/terraform/language/values/outputs#sensitive-suppressing-values-in-cli-output
# custom:
#   id: WA-SEC02-IAM-SECRET-KEY-OUTPUT
#   severity: critical
#   best_practices: [SEC02-BP03]
#   resource_types: [AWS::CloudFormation::Output, terraform_output]
#   recommended_action: Remove the output; use roles or federation instead of access keys, or keep the secret in Secrets Manager and export only the secret's ARN (Terraform - pgp_key and encrypted_secret).
package walint.rules.secret_key_output

import rego.v1

import data.walint.lib

# Secret attributes per access key type (CloudFormation Fn::GetAtt names, Terraform attributes).
secret_attrs := {
	"AWS::IAM::AccessKey": {"SecretAccessKey"},
	"aws_iam_access_key": {"secret", "ses_smtp_password_v4"},
}

# What an output reads of access key `ref.to`: its secret attribute, or (Terraform) the whole
# object, which holds the secret too.
reads_secret(key, ref) := sprintf("the secret of access key `%s` (`%s.%s`)", [ref.to, ref.to, ref.attr]) if {
	ref.attr in secret_attrs[key.type]
} else := sprintf("the whole access key object `%s`, secret included", [ref.to]) if {
	key.type == "aws_iam_access_key"
	ref.attr == null
}

why(o) := "stack outputs are shown to everyone who can describe the stack (NoEcho does not apply to outputs)" if {
	o.origin == "cloudformation"
} else := "even with sensitive = true it is stored in plain text in the state and printed by `terraform output -json`"

deny contains r if {
	some address, o in input.outputs
	some ref in o.refs
	key := input.resources[ref.to]
	secret_attrs[key.type]
	what := reads_secret(key, ref)
	r := lib.result(address, ref.at, sprintf("output `%s` exports %s: %s", [o.name, what, why(o)]))
}

# CloudFormation Fn::GetAtt whose attribute name is not known statically.
unknown contains r if {
	some address, o in input.outputs
	some ref in o.refs
	key := input.resources[ref.to]
	key.type == "AWS::IAM::AccessKey"
	ref.attr == "?"
	r := lib.result(address, ref.at, sprintf("output `%s` reads an attribute of access key `%s` whose name is not known statically; it must not be SecretAccessKey", [o.name, ref.to]))
}
