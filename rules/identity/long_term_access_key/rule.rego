# METADATA
# title: IAM access key created in infrastructure code
# description: |
#   What it checks: any AWS::IAM::AccessKey or aws_iam_access_key fails unless its Status/status
#   is Inactive (absent means Active). A status that is not known statically gives unknown.
#   Why it matters: access keys are long-lived credentials; created from code, the secret also
#   lands in stack outputs or Terraform state, and is seldom rotated. Workloads should use IAM
#   roles, IAM Roles Anywhere or OIDC federation, which issue temporary credentials
#   (SEC02-BP02, SEC02-BP05).
#   Bad (CloudFormation): Type: AWS::IAM::AccessKey with UserName: ci-user
#   Bad (Terraform): resource "aws_iam_access_key" "ci" { user = aws_iam_user.ci.name }
#   Good: an IAM role assumed through OIDC (e.g. GitHub Actions) or an instance profile
#   References: https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-users-federation-idp
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html
# custom:
#   id: WA-SEC02-IAM-LONG-TERM-ACCESS-KEY
#   severity: high
#   best_practices: [SEC02-BP02, SEC02-BP05]
#   resource_types: [AWS::IAM::AccessKey, aws_iam_access_key]
#   recommended_action: Replace the access key with a role the workload assumes (instance profile, task role, OIDC federation, IAM Roles Anywhere); if a key is unavoidable, create it outside the code and rotate it.
package walint.rules.long_term_access_key

import rego.v1

import data.walint.lib

keys contains [address, "Status", "UserName"] if some address in lib.resources_of("AWS::IAM::AccessKey")

keys contains [address, "status", "user"] if some address in lib.resources_of("aws_iam_access_key")

deny contains r if {
	some [address, status_key, user_key] in keys
	attrs := lib.resource(address).attrs
	status := object.get(attrs, status_key, "Active")
	is_string(status)
	lib.lower_of(status) != "inactive"
	r := lib.result(address, key_path(attrs, status_key, user_key), sprintf("an IAM access key with status %s is created here: a long-lived credential for %s", [status, user_label(attrs, user_key)]))
}

key_path(attrs, status_key, _) := [status_key] if lib.present(attrs, status_key)

key_path(attrs, status_key, user_key) := [user_key] if not lib.present(attrs, status_key)

user_label(attrs, key) := sprintf("user %s", [attrs[key]]) if is_string(attrs[key])

user_label(attrs, key) := "an IAM user" if not is_string(attrs[key])

unknown contains r if {
	some [address, status_key, _] in keys
	status := lib.resource(address).attrs[status_key]
	lib.is_unknown(status)
	r := lib.result(address, [status_key], sprintf("an IAM access key whose status is not known statically (%s)", [lib.unknown_reason(status)]))
}
