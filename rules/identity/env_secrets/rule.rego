# METADATA
# title: Secret passed in plaintext environment variables
# description: |
#   What it checks: environment variables of Lambda functions (AWS::Lambda::Function,
#   AWS::Serverless::Function Environment.Variables; aws_lambda_function environment.variables),
#   ECS containers (AWS::ECS::TaskDefinition ContainerDefinitions[].Environment[];
#   aws_ecs_task_definition container_definitions[].environment[]), CodeBuild projects
#   (AWS::CodeBuild::Project Environment.EnvironmentVariables[] of Type PLAINTEXT, the default;
#   aws_codebuild_project environment.environment_variable[]) and Batch jobs
#   (AWS::Batch::JobDefinition ContainerProperties.Environment[]; aws_batch_job_definition
#   container_properties.environment[]). A variable fails when its name looks like a secret
#   (password, secret, token, api key, private key, credential, auth) and its value is a literal
#   (not a dynamic reference, an ARN, a path or a URL, and not true/false), or when its value
#   holds an AWS access key, an AWS secret key or a private key. Values not known statically pass.
#   Why it matters: environment variables are shown in the console, returned by the Describe/Get
#   APIs to anyone with read access, and copied into logs and crash reports (SEC02-BP03).
#   Bad (CloudFormation): Environment: {Variables: {DB_PASSWORD: hunter2hunter2}}
#   Bad (Terraform): environment { variables = { API_TOKEN = "tok_live_123456" } }
#   Good: ECS Secrets[].ValueFrom / CodeBuild Type SECRETS_MANAGER or PARAMETER_STORE; Lambda reads the secret at run time (Parameters and Secrets extension) from a name passed in the variable
#   References: https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-encryption
#   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html
#   https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env
# custom:
#   id: WA-SEC02-MULTI-ENV-SECRETS
#   severity: high
#   best_practices: [SEC02-BP03]
#   resource_types: [AWS::Lambda::Function, AWS::Serverless::Function, AWS::ECS::TaskDefinition, AWS::CodeBuild::Project, AWS::Batch::JobDefinition, aws_lambda_function, aws_ecs_task_definition, aws_codebuild_project, aws_batch_job_definition]
#   masks_secrets: true
#   recommended_action: Store the secret in Secrets Manager or SSM Parameter Store (SecureString) and have the service inject it (ECS secrets, CodeBuild SECRETS_MANAGER variables) or the code fetch it at run time; rotate the exposed value.
package walint.rules.env_secrets

import rego.v1

import data.walint.lib
import data.walint.lib.secrets

# vars: {"address", "path" (of the value), "name", "value"} for every environment variable.
vars contains v if {
	some t in ["AWS::Lambda::Function", "AWS::Serverless::Function"]
	some address in lib.resources_of(t)
	m := lib.resource(address).attrs.Environment.Variables
	is_object(m)
	some name, value in m
	v := {"address": address, "path": ["Environment", "Variables", name], "name": name, "value": value}
}

vars contains v if {
	some address in lib.resources_of("aws_lambda_function")
	some i, env in lib.iter(lib.resource(address).attrs.environment)
	some name, value in lib.iter(env.variables)
	v := {"address": address, "path": ["environment", i, "variables", name], "name": name, "value": value}
}

vars contains v if {
	some address in lib.resources_of("AWS::ECS::TaskDefinition")
	some i, c in lib.iter(lib.resource(address).attrs.ContainerDefinitions)
	some j, e in lib.iter(c.Environment)
	v := {"address": address, "path": ["ContainerDefinitions", i, "Environment", j, "Value"], "name": e.Name, "value": lib.get(e, "Value", null)}
}

vars contains v if {
	some address in lib.resources_of("AWS::Batch::JobDefinition")
	some j, e in lib.iter(lib.resource(address).attrs.ContainerProperties.Environment)
	v := {"address": address, "path": ["ContainerProperties", "Environment", j, "Value"], "name": e.Name, "value": lib.get(e, "Value", null)}
}

vars contains v if {
	some address in lib.resources_of("AWS::CodeBuild::Project")
	some j, e in lib.iter(lib.resource(address).attrs.Environment.EnvironmentVariables)
	lib.upper_of(lib.get(e, "Type", "PLAINTEXT")) == "PLAINTEXT"
	v := {"address": address, "path": ["Environment", "EnvironmentVariables", j, "Value"], "name": e.Name, "value": lib.get(e, "Value", null)}
}

vars contains v if {
	some address in lib.resources_of("aws_codebuild_project")
	some i, env in lib.iter(lib.resource(address).attrs.environment)
	some j, e in lib.iter(env.environment_variable)
	lib.upper_of(lib.get(e, "type", "PLAINTEXT")) == "PLAINTEXT"
	v := {"address": address, "path": ["environment", i, "environment_variable", j, "value"], "name": e.name, "value": lib.get(e, "value", null)}
}

# Terraform container definitions: jsonencode(...) (a list) or a JSON string.
containers(raw) := raw if is_array(raw)

containers(raw) := json.unmarshal(raw) if {
	is_string(raw)
	json.is_valid(raw)
}

vars contains v if {
	some address in lib.resources_of("aws_ecs_task_definition")
	raw := lib.resource(address).attrs.container_definitions
	some c in containers(raw)
	some e in lib.iter(c.environment)
	v := {"address": address, "path": ["container_definitions"], "name": e.name, "value": lib.get(e, "value", null)}
}

vars contains v if {
	some address in lib.resources_of("aws_batch_job_definition")
	raw := lib.resource(address).attrs.container_properties

	c := container_props(raw)
	some e in lib.iter(c.environment)
	v := {"address": address, "path": ["container_properties"], "name": e.name, "value": lib.get(e, "value", null)}
}

container_props(raw) := raw if is_object(raw)

container_props(raw) := json.unmarshal(raw) if {
	is_string(raw)
	json.is_valid(raw)
}

not_a_secret_value_re := `^(arn:|/|https?://|\$\{|\{\{resolve:|[0-9]+$|(true|false|yes|no|none|null|enabled|disabled)$)`

literal_secret(v) if {
	secrets.name_looks_secret(v.name)
	is_string(v.value)
	count(v.value) >= 4
	not regex.match(not_a_secret_value_re, lib.lower_of(v.value))
}

deny contains r if {
	some v in vars
	literal_secret(v)
	r := lib.result(v.address, v.path, sprintf("environment variable %s holds a literal secret", [v.name]))
}

deny contains r if {
	some v in vars
	not literal_secret(v)
	is_string(v.value)
	found := secrets.detections(v.value)
	count(found) > 0
	r := lib.result(v.address, v.path, sprintf("environment variable %s holds %s", [v.name, found[0]]))
}
