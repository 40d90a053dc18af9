# METADATA
# title: Secret stored in a plain SSM parameter
# description: |
#   What it checks: Systems Manager Parameter Store entries that look like secrets — a Name (or,
#   without a Name, the resource name) matching the secret-name pattern (password, secret, token,
#   api key, private key, credential …) or a Value in which a secret detector matches (AWS
#   access key ID, private key, secret access key) — must be SecureString parameters.
#   CloudFormation cannot create SecureString parameters (AWS::SSM::Parameter Type is String or
#   StringList), so a secret-looking AWS::SSM::Parameter always fails: store the secret in
#   Secrets Manager instead. Terraform: aws_ssm_parameter fails unless type = "SecureString"
#   (type absent counts as not SecureString).
#   Why it matters: String parameters are stored and returned unencrypted, readable by anyone
#   with ssm:GetParameter(s), and their values show up in the console, the CloudFormation
#   template and the Terraform plan (SEC02-BP03).
#   Bad (CloudFormation): AWS::SSM::Parameter {Name: /app/db/password, Type: String, Value: …}
#   Bad (Terraform): aws_ssm_parameter { name = "/app/db/password", type = "String" }
#   Good (CloudFormation): AWS::SecretsManager::Secret with GenerateSecretString
#   Good (Terraform): aws_ssm_parameter { name = "/app/db/password", type = "SecureString" }
#   References: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ssm-parameter.html
#   https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ssm_parameter
# custom:
#   id: WA-SEC02-SSM-PARAM-PLAINTEXT-SECRET
#   severity: medium
#   best_practices: [SEC02-BP03]
#   resource_types: [AWS::SSM::Parameter, aws_ssm_parameter]
#   masks_secrets: true
#   recommended_action: Store secrets in Secrets Manager (CloudFormation) or as SecureString parameters (Terraform type = "SecureString").
package walint.rules.ssm_param_plaintext_secret

import rego.v1

import data.walint.lib
import data.walint.lib.secrets

# [type, name key, value key, type key]
targets := [
	["AWS::SSM::Parameter", "Name", "Value", "Type"],
	["aws_ssm_parameter", "name", "value", "type"],
]

# Why a parameter looks secret: [path, reason] (undefined when it does not).
looks_secret(a, attrs, t) := [[t[1]], sprintf("its name %s looks like a secret", [lib.show(attrs[t[1]])])] if {
	secrets.name_looks_secret(leaf(attrs[t[1]]))
} else := [[t[2]], sprintf("its value contains %s", [concat(" and ", secrets.detections(attrs[t[2]]))])] if {
	count(secrets.detections(attrs[t[2]])) > 0
} else := [[t[1]], sprintf("its resource name %s looks like a secret", [lib.show(a)])] if {
	not lib.present(attrs, t[1])
	secrets.name_looks_secret(leaf(a))
}

# leaf(name): the last segment of a parameter path or address ("/app/db/password" -> "password").
leaf(name) := l if {
	is_string(name)
	parts := split(name, "/")
	last := parts[count(parts) - 1]
	segs := split(last, ".")
	l := segs[count(segs) - 1]
}

deny contains r if {
	some a in lib.managed_of("AWS::SSM::Parameter")
	t := targets[0]
	attrs := lib.resource(a).attrs
	[path, why] := looks_secret(a, attrs, t)
	r := lib.result(a, path, sprintf("this parameter is stored unencrypted (CloudFormation cannot create SecureString parameters) and %s: keep the secret in Secrets Manager", [why]))
}

deny contains r if {
	some a in lib.managed_of("aws_ssm_parameter")
	t := targets[1]
	attrs := lib.resource(a).attrs
	not lib.is_unknown(object.get(attrs, t[3], null))
	object.get(attrs, t[3], null) != "SecureString"
	[_, why] := looks_secret(a, attrs, t)
	r := lib.result(a, [t[3]], sprintf("type is %s, not \"SecureString\", and %s: the value is stored unencrypted", [type_text(object.get(attrs, t[3], null)), why]))
}

type_text(v) := "not set" if v == null

type_text(v) := lib.show(v) if v != null

unknown contains r if {
	some a in lib.managed_of("aws_ssm_parameter")
	attrs := lib.resource(a).attrs
	lib.is_unknown(object.get(attrs, "type", null))
	[_, why] := looks_secret(a, attrs, targets[1])
	r := lib.result(a, ["type"], sprintf("type is not known statically (%s) and %s", [lib.unknown_reason(attrs.type), why]))
}

unknown contains r if {
	some t in targets
	some a in lib.managed_of(t[0])
	attrs := lib.resource(a).attrs
	lib.is_unknown(object.get(attrs, t[1], null))
	not looks_secret(a, attrs, t)
	not object.get(attrs, t[3], null) == "SecureString"
	r := lib.result(a, [t[1]], sprintf("%s is not known statically (%s): whether the parameter holds a secret cannot be judged", [t[1], lib.unknown_reason(attrs[t[1]])]))
}
