# METADATA
# title: Cognito identity pool allows unauthenticated identities
# description: |
#   What it checks: Cognito identity pools (AWS::Cognito::IdentityPool,
#   aws_cognito_identity_pool) must not set AllowUnauthenticatedIdentities /
#   allow_unauthenticated_identities to true. Absent passes (Terraform defaults to false; the
#   CloudFormation property is required). A value not known statically gives unknown.
#   Why it matters: guest identities hand AWS credentials of the unauthenticated role to anyone
#   on the internet; whatever that role allows is public (SEC02-BP01, SEC03-BP02).
#   Bad (CloudFormation): AllowUnauthenticatedIdentities: true
#   Bad (Terraform): allow_unauthenticated_identities = true
#   Good: AllowUnauthenticatedIdentities: false, with users signing in through a user pool or identity provider
#   References: https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools.html
#   https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html
# custom:
#   id: WA-SEC02-COGNITO-UNAUTH-IDENTITIES
#   severity: medium
#   best_practices: [SEC02-BP01, SEC03-BP02]
#   resource_types: [AWS::Cognito::IdentityPool, aws_cognito_identity_pool]
#   recommended_action: Set AllowUnauthenticatedIdentities to false; if guest access is a product requirement, limit the unauthenticated role to read-only access to the one resource it needs.
package walint.rules.cognito_unauth_identities

import rego.v1

import data.walint.lib

pools contains [a, "AllowUnauthenticatedIdentities"] if some a in lib.resources_of("AWS::Cognito::IdentityPool")

pools contains [a, "allow_unauthenticated_identities"] if some a in lib.resources_of("aws_cognito_identity_pool")

deny contains r if {
	some [address, key] in pools
	lib.is_true(lib.resource(address).attrs[key])
	r := lib.result(address, [key], "unauthenticated (guest) identities get AWS credentials from this identity pool")
}

unknown contains r if {
	some [address, key] in pools
	v := lib.resource(address).attrs[key]
	lib.is_unknown(v)
	r := lib.result(address, [key], sprintf("%s is not known statically (%s)", [key, lib.unknown_reason(v)]))
}
