# METADATA
# title: ECR repository does not scan images on push
# description: |
#   What it checks: every ECR repository must scan images: ImageScanningConfiguration.ScanOnPush
#   (CloudFormation) or image_scanning_configuration.scan_on_push (Terraform) true (absent means
#   false), unless the unit declares a registry scanning configuration
#   (AWS::ECR::RegistryScanningConfiguration / aws_ecr_registry_scanning_configuration), which
#   overrides the repository setting.
#   Why it matters: images carry operating-system and library vulnerabilities; scanning on push
#   finds them before they are deployed (SEC06-BP01).
#   Bad (CloudFormation): AWS::ECR::Repository without ImageScanningConfiguration
#   Bad (Terraform): image_scanning_configuration { scan_on_push = false }
#   Good: ImageScanningConfiguration: {ScanOnPush: true} / scan_on_push = true, or enhanced
#   scanning configured for the registry.
#   References: https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecr-repository.html
# custom:
#   id: WA-SEC06-ECR-SCAN-ON-PUSH
#   severity: medium
#   best_practices: [SEC06-BP01]
#   resource_types: [AWS::ECR::Repository, aws_ecr_repository]
#   recommended_action: Set ScanOnPush / scan_on_push to true, or configure enhanced (continuous) scanning for the registry.
package walint.rules.ecr_scan_on_push

import rego.v1

import data.walint.lib

registry_scanning if count(lib.managed_of("AWS::ECR::RegistryScanningConfiguration")) > 0

registry_scanning if count(lib.managed_of("aws_ecr_registry_scanning_configuration")) > 0

# [address, path of the flag, value (null when absent)]
flags contains [address, ["ImageScanningConfiguration", "ScanOnPush"], v] if {
	some address in lib.managed_of("AWS::ECR::Repository")
	cfg := object.get(lib.resource(address).attrs, "ImageScanningConfiguration", {})
	is_object(cfg)
	not lib.is_unknown(cfg)
	v := lib.get(cfg, "ScanOnPush", null)
}

flags contains [address, ["ImageScanningConfiguration"], cfg] if {
	some address in lib.managed_of("AWS::ECR::Repository")
	cfg := lib.resource(address).attrs.ImageScanningConfiguration
	lib.is_unknown(cfg)
}

flags contains [address, path, v] if {
	some address in lib.managed_of("aws_ecr_repository")
	blocks := object.get(lib.resource(address).attrs, "image_scanning_configuration", [])
	[path, v] := tf_flag(blocks)
}

tf_flag(blocks) := [["image_scanning_configuration"], blocks] if lib.is_unknown(blocks)

tf_flag(blocks) := [["image_scanning_configuration"], null] if {
	is_array(blocks)
	count(blocks) == 0
}

tf_flag(blocks) := [["image_scanning_configuration", 0, "scan_on_push"], lib.get(blocks[0], "scan_on_push", null)] if {
	is_array(blocks)
	count(blocks) > 0
}

deny contains r if {
	not registry_scanning
	some [address, path, v] in flags
	v == null
	r := lib.result(address, path, sprintf("%s is not set: images are not scanned on push (default false)", [path[count(path) - 1]]))
}

deny contains r if {
	not registry_scanning
	some [address, path, v] in flags
	lib.is_false(v)
	r := lib.result(address, path, sprintf("%s is %s: images are not scanned for vulnerabilities on push", [path[count(path) - 1], lib.show(v)]))
}

unknown contains r if {
	not registry_scanning
	some [address, path, v] in flags
	lib.is_unknown(v)
	r := lib.result(address, path, sprintf("%s is not known statically (%s)", [path[count(path) - 1], lib.unknown_reason(v)]))
}
