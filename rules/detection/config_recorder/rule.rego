# METADATA
# title: AWS Config recorder does not record or is not running
# description: |
#   What it checks: AWS Config configuration recorders must record resources and run. A recorder
#   with RecordingGroup.AllSupported / recording_group.all_supported false that names no resource
#   types (ResourceTypes / resource_types empty and no exclusion list) records nothing. In
#   Terraform a recorder is only started by an aws_config_configuration_recorder_status for it
#   (name referencing the recorder or equal to its name) with is_enabled = true, and it needs an
#   aws_config_delivery_channel in the same module; a recorder without them, or with is_enabled
#   false, fails. (CloudFormation starts the recorder itself once a delivery channel exists.)
#   Why it matters: Config is the inventory and configuration history used to detect drift and
#   non-compliant resources and to investigate changes; a recorder that is stopped or records
#   nothing gives a false sense of coverage (SEC04-BP01, SEC04-BP04).
#   Bad (CloudFormation): RecordingGroup: {AllSupported: false} without ResourceTypes
#   Bad (Terraform): aws_config_configuration_recorder without an
#   aws_config_configuration_recorder_status { is_enabled = true }
#   Good: RecordingGroup: {AllSupported: true, IncludeGlobalResourceTypes: true} / a recorder, a
#   delivery channel and a recorder status with is_enabled = true.
#   References: https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html
#   https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-config-configurationrecorder.html
# custom:
#   id: WA-SEC04-CONFIG-RECORDER
#   severity: medium
#   best_practices: [SEC04-BP01, SEC04-BP04]
#   resource_types: [AWS::Config::ConfigurationRecorder, aws_config_configuration_recorder]
#   recommended_action: Record all supported resource types (AllSupported / all_supported true, with global resource types in one region), declare a delivery channel, and in Terraform start the recorder with aws_config_configuration_recorder_status is_enabled = true.
package walint.rules.config_recorder

import rego.v1

import data.walint.lib

# [type, recording-group path, all-supported key, resource-types key, exclusion path]
specs := [
	["AWS::Config::ConfigurationRecorder", ["RecordingGroup"], "AllSupported", "ResourceTypes", ["ExclusionByResourceTypes", "ResourceTypes"]],
	["aws_config_configuration_recorder", ["recording_group", 0], "all_supported", "resource_types", ["exclusion_by_resource_types", 0, "resource_types"]],
]

deny contains r if {
	some [t, base, all_key, types_key, excl] in specs
	some address in lib.managed_of(t)
	group := object.get(lib.resource(address).attrs, base, null)
	is_object(group)
	lib.is_false(lib.get(group, all_key, null))
	empty_list(lib.get(group, types_key, []))
	empty_list(lib.get(group, excl, []))
	r := lib.result(address, array.concat(base, [all_key]), sprintf("%s is false and no resource types are listed: the recorder records nothing", [all_key]))
}

empty_list(v) if v == null

empty_list(v) if v == []

unknown contains r if {
	some [t, base, all_key, _, _] in specs
	some address in lib.managed_of(t)
	some p in [base, array.concat(base, [all_key])]
	v := object.get(lib.resource(address).attrs, p, null)
	lib.is_unknown(v)
	r := lib.result(address, p, sprintf("%s is not known statically (%s)", [p[count(p) - 1], lib.unknown_reason(v)]))
}

# Terraform: the recorder status that starts the recorder.
statuses(recorder) := {s |
	some ref in lib.resource(recorder).referrers
	lib.resource(ref.from).type == "aws_config_configuration_recorder_status"
	ref.at == ["name"]
	s := ref.from
} | {s |
	name := lib.resource(recorder).attrs.name
	is_string(name)
	some s in lib.resources_of("aws_config_configuration_recorder_status")
	lib.resource(s).attrs.name == name
}

# Status resources whose recorder name is unknown and not a reference: they may start any recorder.
unresolved_statuses contains s if {
	some s in lib.managed_of("aws_config_configuration_recorder_status")
	lib.is_unknown(object.get(lib.resource(s).attrs, "name", null))
	not names_a_recorder(s)
}

names_a_recorder(s) if {
	some ref in lib.resource(s).refs
	ref.at == ["name"]
}

deny contains r if {
	count(unresolved_statuses) == 0
	some address in lib.managed_of("aws_config_configuration_recorder")
	count(statuses(address)) == 0
	r := lib.result(address, [], "no aws_config_configuration_recorder_status starts this recorder: it is created stopped and records nothing")
}

unknown contains r if {
	count(unresolved_statuses) > 0
	some address in lib.managed_of("aws_config_configuration_recorder")
	count(statuses(address)) == 0
	related := [{"address": s, "path": ["name"]} | some s in unresolved_statuses]
	r := lib.result_related(address, [], "no recorder status names this recorder, but a recorder status of the module names a recorder that is not known statically", related)
}

deny contains r if {
	some address in lib.managed_of("aws_config_configuration_recorder")
	some s in statuses(address)
	v := object.get(lib.resource(s).attrs, "is_enabled", null)
	not lib.is_unknown(v)
	not lib.is_true(v)
	r := lib.result_related(address, [], sprintf("the recorder status %s sets is_enabled to %s: the recorder is stopped", [s, lib.show(v)]), [{"address": s, "path": ["is_enabled"]}])
}

unknown contains r if {
	some address in lib.managed_of("aws_config_configuration_recorder")
	some s in statuses(address)
	v := object.get(lib.resource(s).attrs, "is_enabled", null)
	lib.is_unknown(v)
	r := lib.result_related(address, [], sprintf("is_enabled of the recorder status %s is not known statically (%s)", [s, lib.unknown_reason(v)]), [{"address": s, "path": ["is_enabled"]}])
}

deny contains r if {
	some address in lib.managed_of("aws_config_configuration_recorder")
	count(lib.resources_of("aws_config_delivery_channel")) == 0
	r := lib.result(address, [], "the module declares no aws_config_delivery_channel: the recorder cannot be started without a delivery channel")
}
