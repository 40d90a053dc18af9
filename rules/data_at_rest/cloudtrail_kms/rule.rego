# METADATA
# title: CloudTrail log files are not encrypted with KMS
# description: |
#   What it checks: CloudTrail trails must encrypt log files with SSE-KMS: KMSKeyId
#   (CloudFormation) or kms_key_id (Terraform). Absent means the logs rely on the bucket's default
#   SSE-S3 encryption only.
#   Why it matters: with SSE-KMS, reading the audit trail also needs kms:Decrypt on a key whose
#   policy you control, and every read is itself logged; with SSE-S3 anyone with s3:GetObject on
#   the bucket reads the trail (SEC08-BP02, SEC04-BP02).
#   Bad (CloudFormation): AWS::CloudTrail::Trail without KMSKeyId
#   Bad (Terraform): aws_cloudtrail without kms_key_id
#   Good: KMSKeyId: !GetAtt TrailKey.Arn / kms_key_id = aws_kms_key.trail.arn
#   References: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudtrail-trail.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail#kms_key_id
# custom:
#   id: WA-SEC08-CT-KMS
#   severity: medium
#   best_practices: [SEC08-BP02, SEC04-BP02]
#   resource_types: [AWS::CloudTrail::Trail, aws_cloudtrail]
#   recommended_action: Set KMSKeyId (CloudFormation) or kms_key_id (Terraform) to a customer-managed KMS key with rotation on and a key policy that allows cloudtrail.amazonaws.com with an aws:SourceArn condition.
package walint.rules.cloudtrail_kms

import rego.v1

import data.walint.lib
import data.walint.lib.setting


outcomes contains o if {
	some [t, key] in [["AWS::CloudTrail::Trail", "KMSKeyId"], ["aws_cloudtrail", "kms_key_id"]]
	some a in lib.managed_of(t)
	o := setting.must_be_set(a, lib.resource(a).attrs, [key], "log files are only protected by the bucket's SSE-S3 encryption")
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
