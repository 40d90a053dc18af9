# METADATA
# title: CodeBuild project runs builds in privileged mode
# description: |
#   What it checks: CodeBuild projects must not set Environment.PrivilegedMode /
#   environment.privileged_mode to true. Absent means false. Projects that build Docker images
#   need it; waive the finding for those with a suppression that gives the reason.
#   Why it matters: privileged mode gives the build container root access to the host's Docker
#   daemon; a compromised dependency or build script can then escape the container, tamper with
#   other builds or reach the build role's credentials (SEC11-BP07).
#   Bad (CloudFormation): Environment: {PrivilegedMode: true, ...}
#   Bad (Terraform): environment { privileged_mode = true }
#   Good: PrivilegedMode omitted or false; build images with a rootless builder (Kaniko, Buildah)
#   or in a dedicated image-build project
#   References: https://docs.aws.amazon.com/codebuild/latest/userguide/change-project-console.html#change-project-console-environment
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-environment.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/codebuild_project#privileged_mode
# custom:
#   id: WA-SEC11-CODEBUILD-PRIVILEGED
#   severity: medium
#   best_practices: [SEC11-BP07, SEC06-BP03]
#   resource_types: [AWS::CodeBuild::Project, aws_codebuild_project]
#   recommended_action: Turn privileged mode off; keep it only on dedicated image-build projects (with a reasoned suppression).
package walint.rules.codebuild_privileged

import rego.v1

import data.walint.lib
import data.walint.lib.setting


outcomes contains o if {
	some [t, path] in [
		["AWS::CodeBuild::Project", ["Environment", "PrivilegedMode"]],
		["aws_codebuild_project", ["environment", 0, "privileged_mode"]],
	]
	some a in lib.managed_of(t)
	o := setting.must_not_be_true(a, lib.resource(a).attrs, path, "build containers get root access to the host's Docker daemon")
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
