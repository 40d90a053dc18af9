# METADATA
# title: Less common data store is not encrypted at rest
# description: |
#   What it checks: a family rule for stores that are not encrypted unless asked (each "absent
#   means unencrypted" unless noted):
#   - Athena workgroup query results: WorkGroupConfiguration.ResultConfiguration
#     .EncryptionConfiguration / configuration.result_configuration.encryption_configuration must
#     be set, and EnforceWorkGroupConfiguration / enforce_workgroup_configuration must not be
#     false (clients could then override it);
#   - Glue Data Catalog: CatalogEncryptionMode / catalog_encryption_mode must be SSE-KMS (or
#     SSE-KMS-WITH-SERVICE-ROLE);
#   - CodeBuild build artifacts of type S3: Artifacts.EncryptionDisabled /
#     artifacts.encryption_disabled must not be true (absent means encrypted; CodePipeline
#     artifacts are encrypted by the pipeline's artifact store and are not judged);
#   - API Gateway REST stage cache: a method setting with CachingEnabled / caching_enabled true
#     must set CacheDataEncrypted / cache_data_encrypted true;
#   - AppSync API cache: AtRestEncryptionEnabled / at_rest_encryption_enabled true;
#   - WorkSpaces: RootVolumeEncryptionEnabled and UserVolumeEncryptionEnabled (root_ / user_
#     volume_encryption_enabled) true;
#   - Data Lifecycle Manager cross-Region snapshot copies: Encrypted / encrypted not false.
#   Why it matters: query results, catalog metadata, build outputs, cached API responses, desktop
#   volumes and snapshot copies hold the same data as the primary stores; left unencrypted they
#   are the easy copy to steal (SEC08-BP02).
#   Bad (CloudFormation): AWS::Athena::WorkGroup without ResultConfiguration.EncryptionConfiguration;
#   AWS::WorkSpaces::Workspace without UserVolumeEncryptionEnabled
#   Bad (Terraform): aws_appsync_api_cache without at_rest_encryption_enabled;
#   aws_codebuild_project artifacts { encryption_disabled = true }
#   Good: EncryptionConfiguration: {EncryptionOption: SSE_KMS, KmsKey: …};
#   at_rest_encryption_enabled = true
#   References: https://docs.aws.amazon.com/athena/latest/ug/encrypting-query-results-stored-in-s3.html
#   https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html
#   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html
#   https://docs.aws.amazon.com/appsync/latest/devguide/enabling-caching.html
#   https://docs.aws.amazon.com/workspaces/latest/adminguide/encrypt-workspaces.html
#   https://docs.aws.amazon.com/codebuild/latest/userguide/security-encryption.html
#   https://docs.aws.amazon.com/ebs/latest/userguide/snapshot-ami-policy.html
# custom:
#   id: WA-SEC08-MULTI-OTHER-ENCRYPTION
#   severity: medium
#   best_practices: [SEC08-BP02]
#   resource_types: [AWS::Athena::WorkGroup, AWS::Glue::DataCatalogEncryptionSettings, AWS::CodeBuild::Project, AWS::ApiGateway::Stage, AWS::AppSync::ApiCache, AWS::WorkSpaces::Workspace, AWS::DLM::LifecyclePolicy, aws_athena_workgroup, aws_glue_data_catalog_encryption_settings, aws_codebuild_project, aws_api_gateway_method_settings, aws_appsync_api_cache, aws_workspaces_workspace, aws_dlm_lifecycle_policy]
#   recommended_action: Turn on encryption at rest for the store (a KMS key where the service accepts one).
package walint.rules.multi_other_encryption

import rego.v1

import data.walint.lib
import data.walint.lib.setting

athena := "Athena query results are written to S3 unencrypted"

workspaces := "the WorkSpace volume is stored unencrypted"

appsync := "cached AppSync responses are stored unencrypted"

# [type, path, check, harm]
checks := [
	["AWS::Athena::WorkGroup", ["WorkGroupConfiguration", "ResultConfiguration", "EncryptionConfiguration"], "set", athena],
	["aws_athena_workgroup", ["configuration", 0, "result_configuration", 0, "encryption_configuration"], "set", athena],
	["AWS::Athena::WorkGroup", ["WorkGroupConfiguration", "EnforceWorkGroupConfiguration"], "not_false", athena],
	["aws_athena_workgroup", ["configuration", 0, "enforce_workgroup_configuration"], "not_false", athena],
	["AWS::Glue::DataCatalogEncryptionSettings", ["DataCatalogEncryptionSettings", "EncryptionAtRest", "CatalogEncryptionMode"], "sse_kms", ""],
	["aws_glue_data_catalog_encryption_settings", ["data_catalog_encryption_settings", 0, "encryption_at_rest", 0, "catalog_encryption_mode"], "sse_kms", ""],
	["AWS::AppSync::ApiCache", ["AtRestEncryptionEnabled"], "true", appsync],
	["aws_appsync_api_cache", ["at_rest_encryption_enabled"], "true", appsync],
	["AWS::WorkSpaces::Workspace", ["RootVolumeEncryptionEnabled"], "true", workspaces],
	["AWS::WorkSpaces::Workspace", ["UserVolumeEncryptionEnabled"], "true", workspaces],
	["aws_workspaces_workspace", ["root_volume_encryption_enabled"], "true", workspaces],
	["aws_workspaces_workspace", ["user_volume_encryption_enabled"], "true", workspaces],
]

outcome(a, attrs, path, "set", harm) := setting.must_be_set(a, attrs, path, harm)

outcome(a, attrs, path, "true", harm) := setting.must_be_true(a, attrs, path, harm)

outcome(a, attrs, path, "not_true", harm) := setting.must_not_be_true(a, attrs, path, harm)

outcome(a, attrs, path, "not_false", _) := o if {
	l := setting.lookup(attrs, path)
	l.state == "unknown"
	o := setting.unknown_outcome(a, l)
} else := o if {
	l := setting.lookup(attrs, path)
	l.state == "value"
	lib.is_false(l.value)
	o := ["fail", lib.result(a, l.path, sprintf("%s is false: clients may override the workgroup's result encryption", [setting.name(l.path)]))]
}

outcome(a, attrs, path, "sse_kms", _) := setting.must_be_in(a, attrs, path, {"sse-kms", "sse-kms-with-service-role"}, "the Data Catalog metadata is not encrypted (the default is DISABLED)", "the Data Catalog metadata is not encrypted")

outcomes contains o if {
	some c in checks
	some a in lib.managed_of(c[0])
	o := outcome(a, lib.resource(a).attrs, c[1], c[2], c[3])
}

# CodeBuild: EncryptionDisabled only applies to S3 artifacts (CodePipeline artifacts are
# encrypted by the pipeline's artifact store).
outcomes contains o if {
	some [t, base, type_key, key] in [
		["AWS::CodeBuild::Project", ["Artifacts"], "Type", "EncryptionDisabled"],
		["aws_codebuild_project", ["artifacts", 0], "type", "encryption_disabled"],
	]
	some a in lib.managed_of(t)
	attrs := lib.resource(a).attrs
	artifact_type := object.get(attrs, array.concat(base, [type_key]), null)
	not other_type(artifact_type)
	o := setting.must_not_be_true(a, attrs, array.concat(base, [key]), "build artifacts are written to S3 unencrypted")
}

other_type(v) if {
	is_string(v)
	lib.upper_of(v) != "S3"
}

# API Gateway stage cache: method settings with caching on must encrypt the cache.
outcomes contains o if {
	some a in lib.managed_of("AWS::ApiGateway::Stage")
	attrs := lib.resource(a).attrs
	some i, m in lib.iter(object.get(attrs, "MethodSettings", []))
	lib.is_true(lib.get(m, "CachingEnabled", false))
	o := setting.must_be_true(a, attrs, ["MethodSettings", i, "CacheDataEncrypted"], "cached API responses are stored unencrypted")
}

outcomes contains o if {
	some a in lib.managed_of("aws_api_gateway_method_settings")
	attrs := lib.resource(a).attrs
	lib.is_true(object.get(attrs, ["settings", 0, "caching_enabled"], false))
	o := setting.must_be_true(a, attrs, ["settings", 0, "cache_data_encrypted"], "cached API responses are stored unencrypted")
}

# DLM cross-Region copies: Encrypted false.
outcomes contains o if {
	some [t, rules_key, copy_key, enc_key] in [
		["AWS::DLM::LifecyclePolicy", "Schedules", "CrossRegionCopyRules", "Encrypted"],
		["aws_dlm_lifecycle_policy", "schedule", "cross_region_copy_rule", "encrypted"],
	]
	some a in lib.managed_of(t)
	attrs := lib.resource(a).attrs
	details := policy_details(attrs)
	some i, s in lib.iter(lib.get(details.value, rules_key, []))
	some j, c in lib.iter(lib.get(s, copy_key, []))
	v := lib.get(c, enc_key, null)
	path := array.concat(details.path, [rules_key, i, copy_key, j, enc_key])
	o := copy_outcome(a, path, v)
}

policy_details(attrs) := {"path": ["PolicyDetails"], "value": attrs.PolicyDetails} if {
	is_object(attrs.PolicyDetails)
} else := {"path": ["policy_details", 0], "value": attrs.policy_details[0]} if {
	is_object(attrs.policy_details[0])
}

copy_outcome(a, path, v) := ["fail", lib.result(a, path, sprintf("%s is %s: the cross-Region snapshot copies are not encrypted", [path[count(path) - 1], lib.show(v)]))] if {
	lib.is_false(v)
} else := ["unknown", lib.result(a, path, sprintf("%s is not known statically (%s)", [path[count(path) - 1], lib.unknown_reason(v)]))] if {
	lib.is_unknown(v)
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
