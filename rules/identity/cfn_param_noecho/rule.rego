# METADATA
# title: Secret parameter without NoEcho, or with a default
# description: |
#   What it checks: a CloudFormation parameter that holds a secret — its name suggests one
#   (password, secret, token, API key, private key, credential; names of ARNs, IDs, lengths,
#   TTLs and the like are excluded) or a credential property uses it (the properties
#   WA-SEC02-MULTI-PLAINTEXT-PASSWORD knows, e.g. AWS::RDS::DBInstance.MasterUserPassword) —
#   must have NoEcho: true and no Default. It fails when NoEcho is missing or false, and when a
#   non-empty Default is written. Parameters of an AWS-specific type (AWS::SSM::Parameter::Value<…>,
#   AWS::EC2::KeyPair::KeyName, …) hold names, not secrets, and are skipped, and so is a
#   parameter that only appears inside a longer Fn::Sub string (the secret name of a dynamic
#   reference {{resolve:secretsmanager:${SecretName}}}). Terraform analogue (the
#   catalog's WA-SEC02-TF-VAR-SENSITIVE, covered by this rule ID): a root-module variable that
#   holds a secret by the same tests
#   must be declared sensitive = true and have no default.
#   Why it matters: without NoEcho, CloudFormation shows the parameter value to everyone who can
#   describe the stack, its events or its change sets; a default is written in the template and
#   read by everyone with access to the repository. A Terraform variable that is not sensitive
#   is printed in plan and apply output, and its default lives in the code (SEC02-BP03).
#   Bad (CloudFormation): DBPassword: {Type: String, Default: changeme}
#   Bad (Terraform): variable "db_password" { default = "changeme" }
#   Good: DBPassword: {Type: String, NoEcho: true, MinLength: 12} — better, no parameter at all but a dynamic reference such as {{resolve:secretsmanager:prod/db:SecretString:password}}; Terraform variable "db_password" { sensitive = true }, or a managed secret (manage_master_user_password = true)
#   References: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/security-best-practices.html#creds
#   https://developer.hashicorp.com/terraform/language/values/variables#suppressing-values-in-cli-output
# custom:
#   id: WA-SEC02-CFN-PARAM-NOECHO
#   severity: high
#   best_practices: [SEC02-BP03]
#   resource_types: [AWS::CloudFormation::Parameter, terraform_variable]
#   masks_secrets: true
#   recommended_action: Replace the parameter with a dynamic reference to Secrets Manager ({{resolve:secretsmanager:…}}) or let the service manage the secret; if a parameter must stay, set NoEcho true and remove its Default (Terraform sensitive = true, no default).
package walint.rules.cfn_param_noecho

import rego.v1

import data.walint.lib
import data.walint.lib.secrets

# path_text(at): ["Users", 0, "Password"] → "Users[0].Password".
path_text(at) := concat("", [s |
	some i, seg in at
	s := seg_text(i, seg)
])

seg_text(_, seg) := sprintf("[%d]", [seg]) if is_number(seg)

seg_text(0, seg) := seg if is_string(seg)

seg_text(i, seg) := concat("", [".", seg]) if {
	i > 0
	is_string(seg)
}

# users(p): "`<resource>.<path>`" for each credential property whose value is parameter p
# (`Ref`, `var.x`); `${P}` inside a longer `Fn::Sub` string, such as the name in a dynamic
# reference `{{resolve:secretsmanager:${P}}}`, does not count.
users(p) := sort([sprintf("`%s.%s`", [ref.from, path_text(ref.at)]) |
	some ref in p.referrers
	ref.kind != "sub"
	r := input.resources[ref.from]
	secrets.credential_path(r.type, ref.at)
])

# why(looks, u): why a parameter holds a secret, given whether its name looks secret (`looks`) and
# its credential-property users `u` (both computed once by the caller); undefined when it does not.
why(looks, u) := sprintf("its name suggests a secret and %s uses it", [u[0]]) if {
	looks
	count(u) > 0
} else := "its name suggests a secret" if {
	looks
} else := sprintf("%s uses it as a password", [u[0]]) if {
	count(u) > 0
}

looks_secret(p) := true if secrets.name_looks_secret(p.name) else := false

# AWS-specific parameter types hold names and IDs (SSM parameter names, key pair names).
aws_typed(p) if {
	t := object.get(p.attrs, "Type", "String")
	is_string(t)
	regex.match(`^(List<)?AWS::`, t)
}

# checked(p): the declarations the rule judges (all but AWS-typed CloudFormation parameters).
checked(p) if {
	p.origin == "cloudformation"
	not aws_typed(p)
}

checked(p) if p.origin == "terraform"

# secret[address]: why the declaration at `address` holds a secret, for every declaration that
# does. A rule, not a function, so regorus computes it once per query: the name tests and the
# credential-property lookup run once per declaration, not once per rule body.
secret[address] := reason if {
	some address, p in input.parameters
	checked(p)
	reason := why(looks_secret(p), users(p))
}

# has_default(attrs, key): a default that writes a value (null and "" write nothing).
has_default(attrs, key) if {
	d := attrs[key]
	d != null
	d != ""
	not lib.is_unknown(d)
}

# CloudFormation: NoEcho missing or false.
deny contains r if {
	some address, reason in secret
	p := input.parameters[address]
	p.origin == "cloudformation"
	noecho := object.get(p.attrs, "NoEcho", false)
	lib.is_false(noecho)
	r := lib.result(address, ["NoEcho"], sprintf("parameter `%s` holds a secret (%s) but is not NoEcho: CloudFormation shows its value to everyone who can describe the stack or its events", [p.name, reason]))
}

# CloudFormation: a default written in the template.
deny contains r if {
	some address, reason in secret
	p := input.parameters[address]
	p.origin == "cloudformation"
	has_default(p.attrs, "Default")
	r := lib.result(address, ["Default"], sprintf("parameter `%s` holds a secret (%s) but has a Default: the secret is written in the template", [p.name, reason]))
}

# Terraform: not sensitive.
deny contains r if {
	some address, reason in secret
	p := input.parameters[address]
	p.origin == "terraform"
	sensitive := object.get(p.attrs, "sensitive", false)
	sensitive != true
	not lib.is_unknown(sensitive)
	r := lib.result(address, ["sensitive"], sprintf("variable `%s` holds a secret (%s) but is not sensitive = true: Terraform prints its value in plan and apply output", [p.name, reason]))
}

# Terraform: a default written in the code.
deny contains r if {
	some address, reason in secret
	p := input.parameters[address]
	p.origin == "terraform"
	has_default(p.attrs, "default")
	r := lib.result(address, ["default"], sprintf("variable `%s` holds a secret (%s) but has a default: the secret is written in the code", [p.name, reason]))
}

# NoEcho / sensitive written as something that is not a boolean.
unknown contains r if {
	some address, reason in secret
	p := input.parameters[address]
	some key in ["NoEcho", "sensitive"]
	v := p.attrs[key]
	not is_boolean(v)
	not lib.is_true(v)
	not lib.is_false(v)
	r := lib.result(address, [key], sprintf("parameter `%s` holds a secret (%s) and %s is not a literal boolean", [p.name, reason, key]))
}
