# METADATA
# title: RDS DB instance is publicly accessible
# description: |
#   What it checks: RDS DB instances (also Aurora and Neptune cluster instances in Terraform)
#   must not set PubliclyAccessible / publicly_accessible to true. When CloudFormation leaves
#   PubliclyAccessible unset and gives no DBSubnetGroupName (and no DBClusterIdentifier), the
#   instance is created in the default VPC, whose subnets route to an internet gateway, and AWS
#   makes it publicly accessible: that fails too. Terraform defaults to false.
#   Why it matters: a public endpoint exposes the database listener to the internet, where it
#   is scanned and brute-forced; databases belong in private subnets (SEC05-BP01, SEC03-BP07).
#   Bad (CloudFormation): PubliclyAccessible: true, or neither PubliclyAccessible nor DBSubnetGroupName
#   Bad (Terraform): publicly_accessible = true
#   Good: PubliclyAccessible: false with a DBSubnetGroupName of private subnets / publicly_accessible = false
#   References: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
# custom:
#   id: WA-SEC05-RDS-PUBLIC
#   severity: critical
#   best_practices: [SEC05-BP01, SEC03-BP07]
#   resource_types: [AWS::RDS::DBInstance, aws_db_instance, aws_rds_cluster_instance, aws_neptune_cluster_instance]
#   recommended_action: Set PubliclyAccessible (CloudFormation) or publicly_accessible (Terraform) to false and place the instance in a DB subnet group of private subnets.
package walint.rules.rds_public

import rego.v1

import data.walint.lib

# [type, attribute]
targets := [
	["AWS::RDS::DBInstance", "PubliclyAccessible"],
	["aws_db_instance", "publicly_accessible"],
	["aws_rds_cluster_instance", "publicly_accessible"],
	["aws_neptune_cluster_instance", "publicly_accessible"],
]

instances contains [address, attrs, t[1]] if {
	some t in targets
	some address in lib.resources_of(t[0])
	attrs := lib.resource(address).attrs
}

deny contains r if {
	some [address, attrs, key] in instances
	lib.is_true(attrs[key])
	r := lib.result(address, [key], sprintf("%s is %s: the database endpoint is reachable from the internet", [key, lib.show(attrs[key])]))
}

deny contains r if {
	some address in lib.resources_of("AWS::RDS::DBInstance")
	attrs := lib.resource(address).attrs
	not lib.present(attrs, "PubliclyAccessible")
	not lib.present(attrs, "DBSubnetGroupName")
	not lib.present(attrs, "DBClusterIdentifier")
	r := lib.result(address, ["PubliclyAccessible"], "PubliclyAccessible is not set and no DBSubnetGroupName is given: the instance is created in the default VPC and is publicly accessible by default")
}

unknown contains r if {
	some [address, attrs, key] in instances
	lib.is_unknown(attrs[key])
	r := lib.result(address, [key], sprintf("%s is not known statically (%s)", [key, lib.unknown_reason(attrs[key])]))
}
