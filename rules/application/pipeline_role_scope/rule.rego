# METADATA
# title: Build or pipeline service role is admin-equivalent
# description: |
#   What it checks: the IAM role a CodeBuild project (ServiceRole / service_role) or a
#   CodePipeline pipeline (RoleArn / role_arn) runs as must not be admin-equivalent (catalog G15).
#   The role is followed through the graph and all its policies are read: inline policies, IAM
#   policies naming it (AWS::IAM::Policy|ManagedPolicy Roles, aws_iam_role_policy role), managed
#   policy ARNs (ManagedPolicyArns, managed_policy_arns, aws_iam_role_policy_attachment,
#   aws_iam_policy_attachment). Admin-equivalent means an Allow of Action "*" on Resource "*"
#   without a Condition, or one of the AWS managed policies AdministratorAccess, PowerUserAccess
#   or IAMFullAccess. The role and the granting policy are reported as related locations. A role
#   that is not defined in the unit is not judged.
#   Why it matters: anything that runs in the build — a dependency's install script, a
#   compromised plugin, a pull request's buildspec — gets the role's credentials; an admin role
#   turns one poisoned package into an account takeover (SEC11-BP07, SEC03-BP02).
#   Bad (CloudFormation): AWS::CodeBuild::Project ServiceRole: !GetAtt BuildRole.Arn with BuildRole
#   ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
#   Bad (Terraform): aws_codepipeline role_arn = aws_iam_role.pipeline.arn with an
#   aws_iam_role_policy allowing "*" on "*"
#   Good: a role whose policies name the buckets, repositories and deployment actions the project
#   needs, one role per environment
#   References: https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html
#   https://docs.aws.amazon.com/codepipeline/latest/userguide/security-iam.html#how-to-custom-role
#   https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html
#   https://docs.aws.amazon.com/wellarchitected/latest/security-pillar/sec_appsec_build_secure_pipelines.html
# custom:
#   id: WA-SEC11-PIPELINE-ROLE-SCOPE
#   severity: medium
#   best_practices: [SEC11-BP07, SEC03-BP02]
#   resource_types: [AWS::CodeBuild::Project, AWS::CodePipeline::Pipeline, aws_codebuild_project, aws_codepipeline]
#   recommended_action: Give the build and pipeline roles only the actions and resources they use, and separate roles per environment; never attach AdministratorAccess or Action "*".
package walint.rules.pipeline_role_scope

import rego.v1

import data.walint.lib
import data.walint.lib.policy

# [type, role key]
users := [
	["AWS::CodeBuild::Project", "ServiceRole"],
	["AWS::CodePipeline::Pipeline", "RoleArn"],
	["aws_codebuild_project", "service_role"],
	["aws_codepipeline", "role_arn"],
]

role_types := {"AWS::IAM::Role", "aws_iam_role"}

admin_policies := {"AdministratorAccess", "PowerUserAccess", "IAMFullAccess"}

link_keys := {"Roles", "role", "roles"}

# [user address, role key, role address]
uses contains [a, u[1], ref.to] if {
	some u in users
	some a in lib.managed_of(u[0])
	some ref in object.get(lib.resource(a), "refs", [])
	ref.at[0] == u[1]
	lib.resource(ref.to).type in role_types
}

# Why a role is admin-equivalent: {"address", "path", "why"}.
grants(role) := {g |
	some d in data.walint.lib.policy.identity_documents
	linked(d.address, role)
	some s in policy.allow_statements({d})
	not lib.present(s.stmt, "Condition")
	policy.resource_star(s.stmt)
	some e in data.walint.lib.iam.elements(s.stmt, "Action", s.path)
	policy.full_wildcard(e.value)
	g := {"address": d.address, "path": e.path, "why": sprintf("it is allowed Action %s on Resource \"*\"", [lib.show(e.value)])}
} | {g |
	attrs := lib.resource(role).attrs
	some k in ["ManagedPolicyArns", "managed_policy_arns"]
	some i, arn in lib.iter(object.get(attrs, k, []))
	n := admin_name(arn)
	g := {"address": role, "path": [k, i], "why": sprintf("it has the AWS managed policy %s", [n])}
} | {g |
	some ref in object.get(lib.resource(role), "referrers", [])
	ref.at[0] in link_keys
	arn := object.get(lib.resource(ref.from).attrs, "policy_arn", null)
	n := admin_name(arn)
	g := {"address": ref.from, "path": ["policy_arn"], "why": sprintf("it has the AWS managed policy %s", [n])}
}

admin_name(arn) := n if {
	is_string(arn)
	some n in admin_policies
	endswith(arn, concat("", [":policy/", n]))
}

# linked(doc address, role): the document belongs to the role (inline) or names it.
linked(d, role) if d == role

linked(d, role) if {
	some ref in object.get(lib.resource(d), "refs", [])
	ref.at[0] in link_keys
	ref.to == role
}

deny contains r if {
	some [a, key, role] in uses
	gs := grants(role)
	count(gs) > 0
	g := sort([[x.address, x.path, x.why] | some x in gs])[0]
	related := array.concat([{"address": role, "path": []}], [{"address": x.address, "path": x.path} | some x in gs; x.address != role])
	r := lib.result_related(a, [key], sprintf("%s uses the role %s, which is admin-equivalent: %s", [key, role, g[2]]), related)
}
