# METADATA
# title: Kinesis stream or Firehose delivery stream is not encrypted
# description: |
#   What it checks: Kinesis Data Streams must use server-side encryption:
#   StreamEncryption.EncryptionType KMS (CloudFormation) or encryption_type = "KMS" (Terraform);
#   absent means NONE. Firehose delivery streams must enable server-side encryption:
#   DeliveryStreamEncryptionConfigurationInput.KeyType (CloudFormation) or
#   server_side_encryption.enabled = true (Terraform); absent fails, except for delivery streams
#   reading from a Kinesis stream (DeliveryStreamType KinesisStreamAsSource,
#   kinesis_source_configuration), which carry the source stream's encryption.
#   Why it matters: records are kept on the service's storage for the retention period (up to 365
#   days for streams); unencrypted, they are readable by anyone who obtains that storage
#   (SEC08-BP02).
#   Bad (CloudFormation): AWS::Kinesis::Stream without StreamEncryption /
#   AWS::KinesisFirehose::DeliveryStream (DirectPut) without
#   DeliveryStreamEncryptionConfigurationInput
#   Bad (Terraform): aws_kinesis_stream without encryption_type = "KMS" /
#   aws_kinesis_firehose_delivery_stream without server_side_encryption { enabled = true }
#   Good: StreamEncryption: {EncryptionType: KMS, KeyId: alias/aws/kinesis} / encryption_type =
#   "KMS", kms_key_id = "alias/aws/kinesis"
#   References: https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html
#   https://docs.aws.amazon.com/firehose/latest/dev/encryption.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kinesis-stream.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kinesis_stream#encryption_type
# custom:
#   id: WA-SEC08-KINESIS-ENCRYPTION
#   severity: high
#   best_practices: [SEC08-BP02]
#   resource_types: [AWS::Kinesis::Stream, AWS::KinesisFirehose::DeliveryStream, aws_kinesis_stream, aws_kinesis_firehose_delivery_stream]
#   recommended_action: Enable server-side encryption with KMS (StreamEncryption / encryption_type = "KMS" for streams, DeliveryStreamEncryptionConfigurationInput / server_side_encryption for Firehose), ideally with a customer-managed key.
package walint.rules.kinesis_encryption

import rego.v1

import data.walint.lib
import data.walint.lib.setting


harm := "records are stored unencrypted"

outcomes contains o if {
	some a in lib.managed_of("AWS::Kinesis::Stream")
	o := setting.must_be_in(a, lib.resource(a).attrs, ["StreamEncryption", "EncryptionType"], {"kms"}, sprintf("%s (the default is NONE)", [harm]), harm)
}

outcomes contains o if {
	some a in lib.managed_of("aws_kinesis_stream")
	o := setting.must_be_in(a, lib.resource(a).attrs, ["encryption_type"], {"kms"}, sprintf("%s (the default is NONE)", [harm]), harm)
}

outcomes contains o if {
	some a in lib.managed_of("AWS::KinesisFirehose::DeliveryStream")
	attrs := lib.resource(a).attrs
	object.get(attrs, "DeliveryStreamType", "DirectPut") != "KinesisStreamAsSource"
	o := setting.must_be_set(a, attrs, ["DeliveryStreamEncryptionConfigurationInput", "KeyType"], harm)
}

outcomes contains o if {
	some a in lib.managed_of("aws_kinesis_firehose_delivery_stream")
	attrs := lib.resource(a).attrs
	count(lib.iter(object.get(attrs, "kinesis_source_configuration", []))) == 0
	o := setting.must_be_true(a, attrs, ["server_side_encryption", 0, "enabled"], harm)
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
