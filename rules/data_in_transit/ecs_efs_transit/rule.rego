# METADATA
# title: ECS task mounts EFS without in-transit encryption
# description: |
#   What it checks: ECS task definitions that mount EFS volumes must set TransitEncryption /
#   transit_encryption to ENABLED in the volume's EFS configuration
#   (Volumes[].EFSVolumeConfiguration, volume.efs_volume_configuration). Absent means DISABLED.
#   Why it matters: NFS traffic between the task and the file system then crosses the network
#   unencrypted, exposing file contents to anyone on the path; IAM authorization
#   (AuthorizationConfig.IAM) also requires TLS (SEC09-BP02).
#   Bad (CloudFormation): Volumes: [{Name: data, EFSVolumeConfiguration: {FilesystemId: fs-123}}]
#   Bad (Terraform): volume { efs_volume_configuration { file_system_id = "fs-123" } }
#   Good: EFSVolumeConfiguration: {FilesystemId: fs-123, TransitEncryption: ENABLED,
#   AuthorizationConfig: {IAM: ENABLED}}
#   References: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ecs-taskdefinition-efsvolumeconfiguration.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_task_definition#transit_encryption
# custom:
#   id: WA-SEC09-ECS-EFS-TRANSIT
#   severity: medium
#   best_practices: [SEC09-BP02]
#   resource_types: [AWS::ECS::TaskDefinition, aws_ecs_task_definition]
#   recommended_action: Set TransitEncryption / transit_encryption to ENABLED on every EFS volume (and AuthorizationConfig IAM ENABLED with an access point).
package walint.rules.ecs_efs_transit

import rego.v1

import data.walint.lib
import data.walint.lib.setting


volumes contains [a, ["Volumes", i, "EFSVolumeConfiguration", "TransitEncryption"]] if {
	some a in lib.managed_of("AWS::ECS::TaskDefinition")
	some i, v in lib.iter(object.get(lib.resource(a).attrs, "Volumes", []))
	lib.present(v, "EFSVolumeConfiguration")
}

volumes contains [a, ["volume", i, "efs_volume_configuration", 0, "transit_encryption"]] if {
	some a in lib.managed_of("aws_ecs_task_definition")
	some i, v in lib.iter(object.get(lib.resource(a).attrs, "volume", []))
	count(lib.iter(lib.get(v, "efs_volume_configuration", []))) > 0
}

outcomes contains o if {
	some [a, path] in volumes
	o := setting.must_be_in(a, lib.resource(a).attrs, path, {"enabled"}, "NFS traffic to EFS is unencrypted (the default is DISABLED)", "NFS traffic to EFS is unencrypted")
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
