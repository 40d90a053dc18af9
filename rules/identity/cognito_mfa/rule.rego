# METADATA
# title: Cognito user pool without enforced MFA
# description: |
#   What it checks: Cognito user pools (AWS::Cognito::UserPool.MfaConfiguration,
#   aws_cognito_user_pool.mfa_configuration) must require MFA: ON passes; OFF and absent (the
#   default is OFF) fail; OPTIONAL fails unless advanced security is ENFORCED
#   (UserPoolAddOns.AdvancedSecurityMode, user_pool_add_ons.advanced_security_mode), which
#   challenges risky sign-ins adaptively. A value not known statically gives unknown.
#   Why it matters: a password alone is phished, guessed or reused from other breaches; MFA
#   stops account takeover of the application's users (SEC02-BP01).
#   Bad (CloudFormation): MfaConfiguration absent or OFF
#   Bad (Terraform): mfa_configuration = "OPTIONAL" without advanced security
#   Good: MfaConfiguration: ON with EnabledMfas: [SOFTWARE_TOKEN_MFA]
#   References: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpool.html
# custom:
#   id: WA-SEC02-COGNITO-MFA
#   severity: medium
#   best_practices: [SEC02-BP01]
#   resource_types: [AWS::Cognito::UserPool, aws_cognito_user_pool]
#   recommended_action: Set MfaConfiguration ON (mfa_configuration = "ON") with a TOTP or WebAuthn factor, or OPTIONAL together with advanced security in ENFORCED mode.
package walint.rules.cognito_mfa

import rego.v1

import data.walint.lib

pools contains {"address": a, "key": "MfaConfiguration", "adaptive": cfn_adaptive(a)} if some a in lib.resources_of("AWS::Cognito::UserPool")

pools contains {"address": a, "key": "mfa_configuration", "adaptive": tf_adaptive(a)} if some a in lib.resources_of("aws_cognito_user_pool")

cfn_adaptive(a) := object.get(lib.resource(a).attrs, ["UserPoolAddOns", "AdvancedSecurityMode"], "OFF") == "ENFORCED"

tf_adaptive(a) := true if {
	some addon in lib.iter(lib.resource(a).attrs.user_pool_add_ons)
	addon.advanced_security_mode == "ENFORCED"
} else := false

deny contains r if {
	some p in pools
	attrs := lib.resource(p.address).attrs
	v := object.get(attrs, p.key, "OFF")
	is_string(v)
	lib.upper_of(v) == "OFF"
	r := lib.result(p.address, [p.key], sprintf("%s is %s: users sign in with a password only", [p.key, shown(attrs, p.key)]))
}

deny contains r if {
	some p in pools
	attrs := lib.resource(p.address).attrs
	v := object.get(attrs, p.key, "OFF")
	is_string(v)
	lib.upper_of(v) == "OPTIONAL"
	p.adaptive == false
	r := lib.result(p.address, [p.key], sprintf("%s is OPTIONAL without enforced advanced security: users may sign in with a password only", [p.key]))
}

shown(attrs, key) := attrs[key] if lib.present(attrs, key)

shown(attrs, key) := "not set (default OFF)" if not lib.present(attrs, key)

unknown contains r if {
	some p in pools
	v := lib.resource(p.address).attrs[p.key]
	lib.is_unknown(v)
	r := lib.result(p.address, [p.key], sprintf("%s is not known statically (%s)", [p.key, lib.unknown_reason(v)]))
}
