# METADATA
# title: Instance metadata service allows IMDSv1
# description: |
#   What it checks: instance metadata must require session tokens (IMDSv2):
#   HttpTokens / http_tokens = "required", or the endpoint disabled
#   (HttpEndpoint / http_endpoint = "disabled"). Checked on launch templates
#   (LaunchTemplateData.MetadataOptions, aws_launch_template.metadata_options), launch
#   configurations, and instances (MetadataOptions, aws_instance.metadata_options). An instance
#   that does not set it and uses a launch template of the same unit is judged through that
#   template (the template's finding lists the instances, auto scaling groups and node groups
#   that use it); a launch template outside the unit makes the instance unknown. SageMaker
#   notebook instances must set MinimumInstanceMetadataServiceVersion to "2". Absent fails: the
#   API default is "optional" unless the AMI or the account default says otherwise; a Terraform
#   aws_ec2_instance_metadata_defaults with http_tokens = "required" in the unit makes absent pass.
#   Why it matters: with IMDSv1 a server-side request forgery in any application on the host
#   returns the instance role's credentials to the attacker (SEC06-BP03, SEC06-BP02).
#   Bad (CloudFormation): AWS::EC2::LaunchTemplate without MetadataOptions, or HttpTokens: optional
#   Bad (Terraform): aws_instance without metadata_options { http_tokens = "required" }
#   Good: MetadataOptions: {HttpTokens: required} / metadata_options { http_tokens = "required" }
#   References: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ec2-launchtemplate-metadataoptions.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-instance.html
#   https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-imds.html
# custom:
#   id: WA-SEC06-EC2-IMDSV2
#   severity: high
#   best_practices: [SEC06-BP03, SEC06-BP02]
#   resource_types: [AWS::EC2::Instance, AWS::EC2::LaunchTemplate, AWS::AutoScaling::LaunchConfiguration, AWS::SageMaker::NotebookInstance, aws_instance, aws_launch_template, aws_launch_configuration, aws_sagemaker_notebook_instance]
#   recommended_action: Set HttpTokens (CloudFormation) or http_tokens (Terraform) to "required" in the metadata options of every instance, launch template and launch configuration.
package walint.rules.ec2_imdsv2

import rego.v1

import data.walint.lib

# [type, path of the metadata options block, token key, endpoint key, list block (Terraform)]
md_types := [
	["AWS::EC2::LaunchTemplate", ["LaunchTemplateData", "MetadataOptions"], "HttpTokens", "HttpEndpoint", false],
	["AWS::AutoScaling::LaunchConfiguration", ["MetadataOptions"], "HttpTokens", "HttpEndpoint", false],
	["AWS::EC2::Instance", ["MetadataOptions"], "HttpTokens", "HttpEndpoint", false],
	["aws_launch_template", ["metadata_options"], "http_tokens", "http_endpoint", true],
	["aws_launch_configuration", ["metadata_options"], "http_tokens", "http_endpoint", true],
	["aws_instance", ["metadata_options"], "http_tokens", "http_endpoint", true],
]

lt_types := {"AWS::EC2::LaunchTemplate", "aws_launch_template"}

lt_key := {"AWS::EC2::Instance": "LaunchTemplate", "aws_instance": "launch_template"}

account_requires_v2 if {
	some address in lib.managed_of("aws_ec2_instance_metadata_defaults")
	lib.resource(address).attrs.http_tokens == "required"
}

# One record per resource: {"address", "path" (of the token attribute), "tokens", "endpoint",
# "unknown_block"}; tokens/endpoint are null when absent.
records contains rec if {
	some [t, block_path, tk, ek, tf] in md_types
	some address in lib.managed_of(t)
	attrs := lib.resource(address).attrs
	[bpath, block] := md_block(attrs, block_path, tf)
	rec := {
		"address": address,
		"type": t,
		"block_path": bpath,
		"path": array.concat(bpath, [tk]),
		"tokens": field(block, tk),
		"endpoint": field(block, ek),
		"key": tk,
	}
}

# field(block, k): the attribute, null when absent, the block itself when it is unknown.
field(block, _) := block if lib.is_unknown(block)

field(block, k) := lib.get(block, k, null) if not lib.is_unknown(block)

# The metadata block and its path; {} when absent, the unknown value itself when unknown.
md_block(attrs, p, false) := [p, b] if {
	b := object.get(attrs, p, {})
	is_object(b)
}

md_block(attrs, p, true) := [array.concat(p, [0]), b[0]] if {
	b := object.get(attrs, p, [])
	is_array(b)
	count(b) > 0
	is_object(b[0])
}

md_block(attrs, p, true) := [p, {}] if {
	b := object.get(attrs, p, [])
	is_array(b)
	count(b) == 0
}

md_block(attrs, p, true) := [p, b] if {
	b := object.get(attrs, p, [])
	lib.is_unknown(b)
}

# Launch templates of the unit used by `address`.
templates_of(address) := {ref.to |
	some ref in lib.resource(address).refs
	ref.at[0] == lt_key[lib.resource(address).type]
	lib.resource(ref.to).type in lt_types
}

# An instance that leaves the metadata options to its launch template.
defers(rec) if {
	rec.type in {"AWS::EC2::Instance", "aws_instance"}
	rec.tokens == null
	not endpoint_disabled(rec)
	lib.present(lib.resource(rec.address).attrs, lt_key[rec.type])
}

endpoint_disabled(rec) if {
	is_string(rec.endpoint)
	lib.lower_of(rec.endpoint) == "disabled"
}

judged(rec) if {
	not endpoint_disabled(rec)
	not defers(rec)
}

# Resources launched from a launch template, each once, pointing at their launch-template block.
users(address) := [u | some u in user_set(address)]

user_set(address) := {{"address": ref.from, "path": [ref.at[0]]} |
	some ref in lib.resource(address).referrers
	count(ref.at) > 0
	ref.from != address
	not lib.resource(ref.from).type in lt_types
}

deny contains r if {
	some rec in records
	judged(rec)
	is_string(rec.tokens)
	lib.lower_of(rec.tokens) != "required"
	r := lib.result_related(rec.address, rec.path, sprintf("%s is %s: IMDSv1 is allowed, so a request forgery on the host can read the instance credentials", [rec.key, lib.show(rec.tokens)]), users(rec.address))
}

deny contains r if {
	some rec in records
	judged(rec)
	rec.tokens == null
	not account_requires_v2
	r := lib.result_related(rec.address, rec.path, sprintf("%s is not set: the default is \"optional\" (IMDSv1 allowed) unless the AMI or the account default requires tokens", [rec.key]), users(rec.address))
}

unknown contains r if {
	some rec in records
	judged(rec)
	lib.is_unknown(rec.tokens)
	r := lib.result(rec.address, rec.path, sprintf("%s is not known statically (%s)", [rec.key, lib.unknown_reason(rec.tokens)]))
}

# An instance deferring to a launch template that is not part of the unit.
unknown contains r if {
	some rec in records
	defers(rec)
	count(templates_of(rec.address)) == 0
	key := lt_key[rec.type]
	r := lib.result(rec.address, [key], sprintf("%s names a launch template that is not part of this unit: whether it requires IMDSv2 is not known", [key]))
}

# ---------------------------------------------------------------- SageMaker notebooks

notebooks contains [address, path, v] if {
	some address in lib.managed_of("AWS::SageMaker::NotebookInstance")
	cfg := object.get(lib.resource(address).attrs, "InstanceMetadataServiceConfiguration", {})
	is_object(cfg)
	path := ["InstanceMetadataServiceConfiguration", "MinimumInstanceMetadataServiceVersion"]
	v := lib.get(cfg, "MinimumInstanceMetadataServiceVersion", null)
}

notebooks contains [address, path, v] if {
	some address in lib.managed_of("aws_sagemaker_notebook_instance")
	blocks := object.get(lib.resource(address).attrs, "instance_metadata_service_configuration", [])
	is_array(blocks)
	path := nb_path(blocks)
	v := nb_value(blocks)
}

nb_path(blocks) := ["instance_metadata_service_configuration"] if count(blocks) == 0

nb_path(blocks) := ["instance_metadata_service_configuration", 0, "minimum_instance_metadata_service_version"] if count(blocks) > 0

nb_value(blocks) := null if count(blocks) == 0

nb_value(blocks) := lib.get(blocks[0], "minimum_instance_metadata_service_version", null) if count(blocks) > 0

deny contains r if {
	some [address, path, v] in notebooks
	not lib.is_unknown(v)
	sprintf("%v", [v]) != "2"
	r := lib.result(address, path, sprintf("the notebook's minimum instance metadata service version is %s: IMDSv1 is allowed (the default is 1)", [nb_show(v)]))
}

nb_show(null) := "not set"

nb_show(v) := lib.show(v) if v != null

unknown contains r if {
	some [address, path, v] in notebooks
	lib.is_unknown(v)
	r := lib.result(address, path, sprintf("%s is not known statically (%s)", [path[count(path) - 1], lib.unknown_reason(v)]))
}
