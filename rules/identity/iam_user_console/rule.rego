# METADATA
# title: IAM user with a console password
# description: |
#   What it checks: an IAM user must not get a console password from the code: CloudFormation
#   AWS::IAM::User with a LoginProfile, Terraform aws_iam_user_login_profile. The message also
#   says when the user is not required to reset the password at first sign-in
#   (PasswordResetRequired / password_reset_required false or absent). A LoginProfile that is
#   not known statically gives unknown; a user without one passes.
#   Why it matters: IAM users with passwords mean people sign in with long-lived credentials
#   managed per account instead of through a central identity provider with MFA and joiner/leaver
#   processes (SEC02-BP04, SEC02-BP01).
#   Bad (CloudFormation): LoginProfile: {Password: !Ref InitialPassword}
#   Bad (Terraform): resource "aws_iam_user_login_profile" "alice" { user = aws_iam_user.alice.name }
#   Good: people sign in through IAM Identity Center or a federated identity provider; IAM users, if any, have no console password
#   References: https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-users-federation-idp
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-iam-user-loginprofile.html
# custom:
#   id: WA-SEC02-IAM-USER-CONSOLE
#   severity: medium
#   best_practices: [SEC02-BP04, SEC02-BP01]
#   resource_types: [AWS::IAM::User, aws_iam_user_login_profile]
#   recommended_action: Give people access through IAM Identity Center or a federated identity provider and remove the IAM user's login profile.
package walint.rules.iam_user_console

import rego.v1

import data.walint.lib

reset_note(profile, key) := "" if lib.is_true(lib.get(profile, key, false))

reset_note(profile, key) := " and no password reset is required at first sign-in" if not lib.is_true(lib.get(profile, key, false))

deny contains r if {
	some address in lib.resources_of("AWS::IAM::User")
	profile := lib.resource(address).attrs.LoginProfile
	is_object(profile)
	not lib.is_unknown(profile)
	r := lib.result(address, ["LoginProfile"], sprintf("this IAM user gets a console password%s", [reset_note(profile, "PasswordResetRequired")]))
}

deny contains r if {
	some address in lib.resources_of("aws_iam_user_login_profile")
	attrs := lib.resource(address).attrs
	r := lib.result(address, ["user"], sprintf("this IAM user gets a console password%s", [reset_note(attrs, "password_reset_required")]))
}

unknown contains r if {
	some address in lib.resources_of("AWS::IAM::User")
	profile := lib.resource(address).attrs.LoginProfile
	lib.is_unknown(profile)
	r := lib.result(address, ["LoginProfile"], sprintf("the LoginProfile is not known statically (%s)", [lib.unknown_reason(profile)]))
}
