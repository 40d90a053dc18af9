# METADATA
# title: GuardDuty detector is disabled
# description: |
#   What it checks: a GuardDuty detector declared in the template must be enabled.
#   CloudFormation: AWS::GuardDuty::Detector.Enable is required; false (or missing) fails.
#   Terraform: aws_guardduty_detector.enable defaults to true; false fails. Presence of a
#   detector is not required here (application stacks do not own GuardDuty): the rule
#   validates the detectors that are declared.
#   Why it matters: a disabled detector produces no findings, so credential misuse,
#   crypto-mining and data exfiltration go unnoticed (SEC04-BP01, SEC05-BP04, SEC06-BP05).
#   Bad (CloudFormation): AWS::GuardDuty::Detector with Enable: false
#   Bad (Terraform): aws_guardduty_detector with enable = false
#   Good: Enable: true / enable = true (or omitted in Terraform)
#   References: https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-guardduty-detector.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/guardduty_detector
# custom:
#   id: WA-SEC04-GD-ENABLED
#   severity: high
#   best_practices: [SEC04-BP01, SEC05-BP04, SEC06-BP05]
#   resource_types: [AWS::GuardDuty::Detector, aws_guardduty_detector]
#   recommended_action: Set Enable (CloudFormation) or enable (Terraform) to true, and enable GuardDuty in every account and region (organization auto-enable).
package walint.rules.guardduty_enabled

import rego.v1

import data.walint.lib

detectors contains [address, attrs, key] if {
	some [t, key] in [["AWS::GuardDuty::Detector", "Enable"], ["aws_guardduty_detector", "enable"]]
	some address in lib.managed_of(t)
	attrs := lib.resource(address).attrs
}

deny contains r if {
	some [address, attrs, key] in detectors
	lib.is_false(attrs[key])
	r := lib.result(address, [key], sprintf("%s is %s: the detector produces no findings", [key, lib.show(attrs[key])]))
}

# CloudFormation requires Enable; a detector without it is not enabled.
deny contains r if {
	some address in lib.managed_of("AWS::GuardDuty::Detector")
	not lib.present(lib.resource(address).attrs, "Enable")
	r := lib.result(address, ["Enable"], "Enable is not set (a required property): the detector is not enabled")
}

unknown contains r if {
	some [address, attrs, key] in detectors
	lib.is_unknown(attrs[key])
	r := lib.result(address, [key], sprintf("%s is not known statically (%s)", [key, lib.unknown_reason(attrs[key])]))
}
