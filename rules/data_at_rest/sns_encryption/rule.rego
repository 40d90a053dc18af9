# METADATA
# title: SNS topic is not encrypted
# description: |
#   What it checks: SNS topics must name a KMS key for server-side encryption: KmsMasterKeyId
#   (CloudFormation) or kms_master_key_id (Terraform). Absent means unencrypted: topics have no
#   encryption by default. The AWS-managed key alias/aws/sns passes here, but publishers such as
#   CloudWatch alarms, S3 event notifications and EventBridge cannot use it, so prefer a customer-
#   managed key.
#   Why it matters: messages are stored unencrypted on SNS's disks while they wait for delivery;
#   message bodies often carry identifiers and data (SEC08-BP02).
#   Bad (CloudFormation): AWS::SNS::Topic without KmsMasterKeyId
#   Bad (Terraform): aws_sns_topic without kms_master_key_id
#   Good: KmsMasterKeyId: !Ref TopicKey / kms_master_key_id = aws_kms_key.topic.id
#   References: https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sns-topic.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sns_topic#kms_master_key_id
# custom:
#   id: WA-SEC08-SNS-ENCRYPTION
#   severity: medium
#   best_practices: [SEC08-BP02]
#   resource_types: [AWS::SNS::Topic, aws_sns_topic]
#   recommended_action: Set KmsMasterKeyId (CloudFormation) or kms_master_key_id (Terraform) to a customer-managed KMS key whose key policy lets the publishing services use it.
package walint.rules.sns_encryption

import rego.v1

import data.walint.lib
import data.walint.lib.setting


outcomes contains o if {
	some [t, key] in [["AWS::SNS::Topic", "KmsMasterKeyId"], ["aws_sns_topic", "kms_master_key_id"]]
	some a in lib.managed_of(t)
	o := setting.must_be_set(a, lib.resource(a).attrs, [key], "messages are stored unencrypted (topics are not encrypted by default)")
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
