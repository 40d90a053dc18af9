# METADATA
# title: CodeBuild source embeds credentials
# description: |
#   What it checks: CodeBuild source locations (Source.Location and SecondarySources[].Location;
#   Terraform source.location and secondary_sources.location) must not carry credentials in the
#   URL (https://user:password@host/... or a token as the user name), and
#   AWS::CodeBuild::SourceCredential.Token / aws_codebuild_source_credential.token must not be a
#   literal written in the template. A token read from a parameter, variable or dynamic reference
#   (not known statically) passes: that is the fix.
#   Why it matters: credentials written in a template end up in source control,
#   CloudFormation/Terraform state and build logs, where anyone with read access can reuse them
#   against the repository (SEC02-BP03, SEC11-BP07).
#   Bad (CloudFormation): Source: {Type: GITHUB, Location:
#   https://user:ghp_xxx@github.com/org/repo.git}
#   Bad (Terraform): resource "aws_codebuild_source_credential" { token = "ghp_xxx" }
#   Good: Location: https://github.com/org/repo.git with a CodeConnections connection, or Token:
#   '{{resolve:secretsmanager:github-token}}' / token = var.github_token
#   References: https://docs.aws.amazon.com/codebuild/latest/userguide/access-tokens.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-sourcecredential.html
#   https://docs.aws.amazon.com/config/latest/developerguide/codebuild-project-source-repo-url-check.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/codebuild_source_credential
# custom:
#   id: WA-SEC11-CODEBUILD-SOURCE-CREDENTIALS
#   severity: high
#   best_practices: [SEC11-BP07, SEC02-BP03]
#   resource_types: [AWS::CodeBuild::Project, AWS::CodeBuild::SourceCredential, aws_codebuild_project, aws_codebuild_source_credential]
#   masks_secrets: true
#   recommended_action: Remove the credentials from the template; connect the repository with AWS CodeConnections, or store the token in Secrets Manager and pass it through a dynamic reference or a sensitive variable; rotate the exposed token.
package walint.rules.codebuild_source_credentials

import rego.v1

import data.walint.lib
import data.walint.lib.setting


# user:password@ or a long token as the user name in an http(s) URL.
credential_url(v) if regex.match(`^[hH][tT][tT][pP][sS]?://[^/@:]+:[^/@]+@`, v)

credential_url(v) if regex.match(`^[hH][tT][tT][pP][sS]?://[^/@:]{20,}@`, v)

locations contains [a, ["Source", "Location"]] if {
	some a in lib.managed_of("AWS::CodeBuild::Project")
}

locations contains [a, ["SecondarySources", i, "Location"]] if {
	some a in lib.managed_of("AWS::CodeBuild::Project")
	some i, _ in lib.iter(object.get(lib.resource(a).attrs, "SecondarySources", []))
}

locations contains [a, [key, i, "location"]] if {
	some a in lib.managed_of("aws_codebuild_project")
	some key in ["source", "secondary_sources"]
	some i, _ in lib.iter(object.get(lib.resource(a).attrs, key, []))
}

deny contains r if {
	some [a, path] in locations
	v := object.get(lib.resource(a).attrs, path, null)
	is_string(v)
	credential_url(v)
	r := lib.result(a, path, sprintf("%s embeds credentials in the repository URL", [setting.name(path)]))
}

deny contains r if {
	some [t, key] in [["AWS::CodeBuild::SourceCredential", "Token"], ["aws_codebuild_source_credential", "token"]]
	some a in lib.managed_of(t)
	v := object.get(lib.resource(a).attrs, key, null)
	is_string(v)
	v != ""
	not startswith(v, "{{resolve:")
	r := lib.result(a, [key], sprintf("%s is a literal written in the template: the access token is exposed in source and state", [key]))
}
