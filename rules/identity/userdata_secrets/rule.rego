# METADATA
# title: Secret written in instance user data
# description: |
#   What it checks: the user data of EC2 instances (AWS::EC2::Instance.UserData,
#   aws_instance.user_data / user_data_base64), launch templates
#   (AWS::EC2::LaunchTemplate LaunchTemplateData.UserData, aws_launch_template.user_data) and
#   launch configurations (AWS::AutoScaling::LaunchConfiguration.UserData,
#   aws_launch_configuration.user_data), decoded from base64 when needed, must not contain an
#   AWS access key ID, an AWS secret access key (aws_secret_access_key=… or `aws configure set
#   aws_secret_access_key`), a private key (PEM header), or a literal assigned to a
#   password-like variable (PASSWORD=…, --password …). User data that is not known statically
#   passes.
#   Why it matters: user data is readable by anyone with ec2:DescribeInstanceAttribute and by
#   every process on the instance through the metadata service, and it is kept in launch
#   template versions forever (SEC02-BP03).
#   Bad (CloudFormation): UserData: !Base64 "aws configure set aws_secret_access_key wJalr…"
#   Bad (Terraform): user_data = "export DB_PASSWORD=hunter2hunter2"
#   Good: the instance profile's role, and secrets fetched at boot from Secrets Manager (aws secretsmanager get-secret-value)
#   References: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html
# custom:
#   id: WA-SEC02-EC2-USERDATA-SECRETS
#   severity: high
#   best_practices: [SEC02-BP03]
#   resource_types: [AWS::EC2::Instance, AWS::EC2::LaunchTemplate, AWS::AutoScaling::LaunchConfiguration, aws_instance, aws_launch_template, aws_launch_configuration]
#   masks_secrets: true
#   recommended_action: Remove the secret from the user data, rotate it, and fetch it at boot from Secrets Manager or SSM Parameter Store with the instance role.
package walint.rules.userdata_secrets

import rego.v1

import data.walint.lib
import data.walint.lib.secrets

carriers := {
	"AWS::EC2::Instance": [["UserData"]],
	"AWS::EC2::LaunchTemplate": [["LaunchTemplateData", "UserData"]],
	"AWS::AutoScaling::LaunchConfiguration": [["UserData"]],
	"aws_instance": [["user_data"], ["user_data_base64"]],
	"aws_launch_template": [["user_data"]],
	"aws_launch_configuration": [["user_data"], ["user_data_base64"]],
}

password_assign_re := `(^|[^a-z_])[a-z_]*(password|passwd|secret|token)[a-z_]*["']?[ \t]*(=|:|[ \t]-{0,2}p(assword)?[ \t])[ \t]*["']?[^"'$ \t\n{(<]{6,}`

findings(text) := array.concat(secrets.detections(text), [x | x := "a password assigned to a variable"; regex.match(password_assign_re, lib.lower_of(text))])

deny contains r if {
	some t, paths in carriers
	some address in lib.resources_of(t)
	attrs := lib.resource(address).attrs
	some path in paths
	v := object.get(attrs, path, null)
	is_string(v)
	found := findings(secrets.decoded(v))
	count(found) > 0
	r := lib.result(address, path, sprintf("the user data contains %s", [concat(", ", found)]))
}
