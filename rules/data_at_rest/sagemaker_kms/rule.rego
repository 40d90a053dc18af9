# METADATA
# title: SageMaker resource does not name a KMS key
# description: |
#   What it checks: SageMaker notebook instances, endpoint configurations and domains must name a
#   KMS key for the storage volumes they attach: AWS::SageMaker::NotebookInstance.KmsKeyId,
#   AWS::SageMaker::EndpointConfig.KmsKeyId, AWS::SageMaker::Domain.KmsKeyId (CloudFormation);
#   aws_sagemaker_notebook_instance.kms_key_id, aws_sagemaker_endpoint_configuration.kms_key_arn,
#   aws_sagemaker_domain.kms_key_id (Terraform). Absent fails, following the AWS Config managed
#   rules and peer tools. A key computed from a resource of the unit counts as set.
#   Endpoint configurations whose production variants all use instance types with local NVMe
#   storage (the "d" families: ml.m5d, ml.c5d, ml.r5d, ml.g4dn, ml.p3dn, ml.p4d …) are skipped:
#   the CreateEndpointConfig API reference says those volumes are encrypted by a hardware module
#   and the call fails when KmsKeyId is given. Without a key SageMaker still encrypts the other
#   volumes with a key AWS manages; the finding asks for a key you control (key policy,
#   CloudTrail-auditable use, crypto-shredding).
#   Why it matters: training data, notebooks and model artifacts often hold sensitive data; a
#   customer managed key lets you restrict and audit who can decrypt them (SEC08-BP02).
#   Bad (CloudFormation): AWS::SageMaker::NotebookInstance without KmsKeyId
#   Bad (Terraform): aws_sagemaker_endpoint_configuration without kms_key_arn
#   Good: KmsKeyId: !Ref NotebookKey / kms_key_arn = aws_kms_key.ml.arn
#   References: https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest-nbi.html
#   https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html
#   https://docs.aws.amazon.com/config/latest/developerguide/sagemaker-notebook-instance-kms-key-configured.html
#   https://docs.aws.amazon.com/config/latest/developerguide/sagemaker-endpoint-configuration-kms-key-configured.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sagemaker_endpoint_configuration
# custom:
#   id: WA-SEC08-SAGEMAKER-KMS
#   severity: medium
#   best_practices: [SEC08-BP02]
#   resource_types: [AWS::SageMaker::NotebookInstance, AWS::SageMaker::EndpointConfig, AWS::SageMaker::Domain, aws_sagemaker_notebook_instance, aws_sagemaker_endpoint_configuration, aws_sagemaker_domain]
#   recommended_action: Set KmsKeyId (CloudFormation) or kms_key_id / kms_key_arn (Terraform) to a customer managed KMS key.
package walint.rules.sagemaker_kms

import rego.v1

import data.walint.lib
import data.walint.lib.setting

targets := [
	["AWS::SageMaker::NotebookInstance", "KmsKeyId"],
	["AWS::SageMaker::EndpointConfig", "KmsKeyId"],
	["AWS::SageMaker::Domain", "KmsKeyId"],
	["aws_sagemaker_notebook_instance", "kms_key_id"],
	["aws_sagemaker_endpoint_configuration", "kms_key_arn"],
	["aws_sagemaker_domain", "kms_key_id"],
]

outcomes contains o if {
	some t in targets
	some a in lib.managed_of(t[0])
	not local_storage_only(lib.resource(a).attrs)
	o := setting.must_be_set(a, lib.resource(a).attrs, [t[1]], "the attached storage is encrypted only with an AWS managed key you cannot restrict or audit")
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}

# local_storage_only(attrs): every production variant names an instance type with local NVMe
# storage, where KmsKeyId cannot be given.
local_storage_only(attrs) if {
	variants := [v | some k in ["ProductionVariants", "production_variants"]; some v in lib.iter(object.get(attrs, k, []))]
	count(variants) > 0
	every v in variants {
		t := lib.get(v, "InstanceType", lib.get(v, "instance_type", null))
		is_string(t)
		regex.match(`^ml\.[a-z]+[0-9]+[a-z]*d[a-z]*\.`, t)
	}
}
