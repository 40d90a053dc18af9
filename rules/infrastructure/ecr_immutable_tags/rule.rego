# METADATA
# title: ECR repository allows image tags to be overwritten
# description: |
#   What it checks: every ECR repository must set ImageTagMutability /
#   image_tag_mutability to IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION); absent means MUTABLE.
#   Why it matters: with mutable tags anyone who can push can silently replace the image behind
#   a deployed tag (`:v1.2`, `:latest`), so what runs is no longer what was reviewed and scanned
#   (SEC06-BP04).
#   Bad (CloudFormation): AWS::ECR::Repository without ImageTagMutability, or MUTABLE
#   Bad (Terraform): image_tag_mutability = "MUTABLE" (the default)
#   Good: ImageTagMutability: IMMUTABLE / image_tag_mutability = "IMMUTABLE"
#   References: https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecr-repository.html
# custom:
#   id: WA-SEC06-ECR-IMMUTABLE-TAGS
#   severity: medium
#   best_practices: [SEC06-BP04]
#   resource_types: [AWS::ECR::Repository, aws_ecr_repository]
#   recommended_action: Set ImageTagMutability (CloudFormation) or image_tag_mutability (Terraform) to IMMUTABLE and deploy images by digest or unique tag.
package walint.rules.ecr_immutable_tags

import rego.v1

import data.walint.lib

repos contains [address, attrs, key] if {
	some [t, key] in [["AWS::ECR::Repository", "ImageTagMutability"], ["aws_ecr_repository", "image_tag_mutability"]]
	some address in lib.managed_of(t)
	attrs := lib.resource(address).attrs
}

deny contains r if {
	some [address, attrs, key] in repos
	not lib.present(attrs, key)
	r := lib.result(address, [key], sprintf("%s is not set: tags are MUTABLE by default and can be overwritten", [key]))
}

deny contains r if {
	some [address, attrs, key] in repos
	v := attrs[key]
	is_string(v)
	startswith(lib.upper_of(v), "MUTABLE")
	r := lib.result(address, [key], sprintf("%s is %s: a pushed image can replace the one behind a deployed tag", [key, lib.show(v)]))
}

unknown contains r if {
	some [address, attrs, key] in repos
	lib.is_unknown(attrs[key])
	r := lib.result(address, [key], sprintf("%s is not known statically (%s)", [key, lib.unknown_reason(attrs[key])]))
}
