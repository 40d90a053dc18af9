# METADATA
# title: AWS access key written in the template
# description: |
#   What it checks: every string (up to 8 levels deep) of the resources that usually carry
#   configuration text — functions, task and job definitions, instances, launch templates and
#   configurations, build projects, SSM parameters, secrets, Glue jobs, Elastic Beanstalk
#   environments, Step Functions state machines — must not hold an AWS access key ID
#   (AKIA/ASIA/AGPA/AIDA/AROA/ANPA/ANVA/AIPA followed by 16 characters). Base64 user data is
#   decoded first. AWS's documentation placeholder (…EXAMPLE) is ignored. A value that is not
#   known statically (a parameter or variable without default) cannot hold a literal key and
#   passes. Not yet read: CloudFormation Outputs/Metadata and Terraform provider blocks, locals
#   and variable defaults (not in the resource graph).
#   Why it matters: a key in a template lives forever in version control, CI logs and the
#   deployed resource's configuration; anyone who reads any of them can act as that IAM user
#   (SEC02-BP02, SEC02-BP03).
#   Bad (CloudFormation): Environment: {Variables: {AWS_ACCESS_KEY_ID: AKIA…}}
#   Bad (Terraform): environment { variables = { AWS_ACCESS_KEY_ID = "AKIA…" } }
#   Good: an IAM role for the workload (execution role, instance profile, task role); no keys at all
#   References: https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html
# custom:
#   id: WA-SEC02-MULTI-HARDCODED-AWS-KEY
#   severity: critical
#   best_practices: [SEC02-BP02, SEC02-BP03]
#   resource_types: [AWS::Lambda::Function, AWS::Serverless::Function, AWS::ECS::TaskDefinition, AWS::Batch::JobDefinition, AWS::EC2::Instance, AWS::EC2::LaunchTemplate, AWS::AutoScaling::LaunchConfiguration, AWS::CodeBuild::Project, AWS::SSM::Parameter, AWS::SecretsManager::Secret, AWS::Glue::Job, AWS::ElasticBeanstalk::Environment, AWS::StepFunctions::StateMachine, aws_lambda_function, aws_ecs_task_definition, aws_batch_job_definition, aws_instance, aws_launch_template, aws_launch_configuration, aws_codebuild_project, aws_ssm_parameter, aws_secretsmanager_secret_version, aws_glue_job, aws_elastic_beanstalk_environment, aws_sfn_state_machine]
#   masks_secrets: true
#   recommended_action: Remove the key from the template, deactivate and delete it in IAM (it must be considered leaked), and give the workload an IAM role instead.
package walint.rules.hardcoded_aws_key

import rego.v1

import data.walint.lib
import data.walint.lib.secrets

types := [
	"AWS::Lambda::Function", "AWS::Serverless::Function", "AWS::ECS::TaskDefinition",
	"AWS::Batch::JobDefinition", "AWS::EC2::Instance", "AWS::EC2::LaunchTemplate",
	"AWS::AutoScaling::LaunchConfiguration", "AWS::CodeBuild::Project", "AWS::SSM::Parameter",
	"AWS::SecretsManager::Secret", "AWS::Glue::Job", "AWS::ElasticBeanstalk::Environment",
	"AWS::StepFunctions::StateMachine", "aws_lambda_function", "aws_ecs_task_definition",
	"aws_batch_job_definition", "aws_instance", "aws_launch_template", "aws_launch_configuration",
	"aws_codebuild_project", "aws_ssm_parameter", "aws_secretsmanager_secret_version", "aws_glue_job",
	"aws_elastic_beanstalk_environment", "aws_sfn_state_machine",
]

key_re := `(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}`

# One regular-expression pass decides most strings (no key) before the key list is built.
keys_in(s) := [k |
	some k in regex.find_n(key_re, s, -1)
	not endswith(k, "EXAMPLE")
	regex.match(data.walint.lib.secrets.access_key_re, s)
] if regex.match(key_re, s)

else := []

# Resources whose attribute text may hold a key: an access key ID pattern in their JSON text, or a
# string long enough to be the base64 encoding of one (`secrets.decoded`). One regular
# expression over the resource's JSON decides most resources, before any string is visited.
candidates contains address if {
	some t in types
	some address in lib.resources_of(t)
	text := json.marshal(lib.resource(address).attrs)
	may_hold_key(text)
}

may_hold_key(text) if regex.match(key_re, text)

may_hold_key(text) if regex.match(`"[A-Za-z0-9+/]{24,}={0,2}"`, text)

found_at contains [address, x.path, found[0]] if {
	some address in candidates
	attrs := lib.resource(address).attrs
	some x in secrets.strings(attrs)
	found := keys_in(secrets.decoded(x.value))
	count(found) > 0
}

# Keys deeper than `secrets.strings` looks: reported on the top-level attribute.
found_at contains [address, [k], found[0]] if {
	some address in candidates
	attrs := lib.resource(address).attrs
	some k, v in attrs
	not is_string(v)
	found := keys_in(json.marshal(v))
	count(found) > 0
	not shallow_hit(address, k)
}

shallow_hit(address, k) if {
	some [a, path, _] in found_at_shallow
	a == address
	path[0] == k
}

found_at_shallow contains [address, x.path, 0] if {
	some address in candidates
	some x in secrets.strings(lib.resource(address).attrs)
	count(keys_in(secrets.decoded(x.value))) > 0
}

deny contains r if {
	some [address, path, key] in found_at
	r := lib.result(address, path, sprintf("an AWS access key ID (%s) is written here", [secrets.masked(key)]))
}
