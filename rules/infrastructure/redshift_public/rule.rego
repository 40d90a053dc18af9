# METADATA
# title: Redshift cluster or workgroup is publicly accessible
# description: |
#   What it checks: Redshift provisioned clusters (AWS::Redshift::Cluster, aws_redshift_cluster)
#   must set PubliclyAccessible / publicly_accessible to false explicitly: true fails, and so
#   does an absent value, because the default was true for the CreateCluster API and for the
#   Terraform AWS provider before 6.0 (AWS made new clusters private by default only in 2025, and
#   the template does not say which behaviour applies). Redshift Serverless workgroups
#   (AWS::RedshiftServerless::Workgroup, aws_redshiftserverless_workgroup) default to private
#   and fail only on true.
#   Why it matters: a public endpoint exposes the data warehouse listener (5439) to the internet,
#   where only the security group and the database password stand between an attacker and the
#   data (SEC05-BP01).
#   Bad (CloudFormation): AWS::Redshift::Cluster with PubliclyAccessible: true, or without it
#   Bad (Terraform): aws_redshift_cluster without publicly_accessible
#   Good: PubliclyAccessible: false / publicly_accessible = false, in private subnets
#   References: https://docs.aws.amazon.com/redshift/latest/mgmt/managing-clusters-vpc.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-redshift-cluster.html
#   https://docs.aws.amazon.com/config/latest/developerguide/redshift-cluster-public-access-check.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/version-6-upgrade
# custom:
#   id: WA-SEC05-REDSHIFT-PUBLIC
#   severity: critical
#   best_practices: [SEC05-BP01]
#   resource_types: [AWS::Redshift::Cluster, aws_redshift_cluster, AWS::RedshiftServerless::Workgroup, aws_redshiftserverless_workgroup]
#   recommended_action: Set PubliclyAccessible (CloudFormation) or publicly_accessible (Terraform) to false and reach the cluster through private networking.
package walint.rules.redshift_public

import rego.v1

import data.walint.lib

# [type, attribute, absent fails]
targets := [
	["AWS::Redshift::Cluster", "PubliclyAccessible", true],
	["aws_redshift_cluster", "publicly_accessible", true],
	["AWS::RedshiftServerless::Workgroup", "PubliclyAccessible", false],
	["aws_redshiftserverless_workgroup", "publicly_accessible", false],
]

items contains [address, attrs, t] if {
	some t in targets
	some address in lib.managed_of(t[0])
	attrs := lib.resource(address).attrs
}

deny contains r if {
	some [address, attrs, t] in items
	lib.is_true(attrs[t[1]])
	r := lib.result(address, [t[1]], sprintf("%s is %s: the Redshift endpoint is reachable from the internet", [t[1], lib.show(attrs[t[1]])]))
}

deny contains r if {
	some [address, attrs, t] in items
	t[2]
	not lib.present(attrs, t[1])
	r := lib.result(address, [t[1]], sprintf("%s is not set: clusters were publicly accessible by default (API and AWS provider before 6.0); set it to false explicitly", [t[1]]))
}

unknown contains r if {
	some [address, attrs, t] in items
	lib.is_unknown(attrs[t[1]])
	r := lib.result(address, [t[1]], sprintf("%s is not known statically (%s)", [t[1], lib.unknown_reason(attrs[t[1]])]))
}
