# METADATA
# title: Credential property set to a literal password
# description: |
#   What it checks: the password and token properties of managed services must not be literal
#   strings: CloudFormation AWS::RDS::DBInstance|DBCluster.MasterUserPassword,
#   AWS::Redshift::Cluster.MasterUserPassword, AWS::DocDB::DBCluster.MasterUserPassword,
#   AWS::DMS::Endpoint.Password, AWS::DirectoryService::MicrosoftAD|SimpleAD.Password,
#   AWS::AmazonMQ::Broker.Users[].Password, AWS::ElastiCache::ReplicationGroup.AuthToken,
#   AWS::OpenSearchService::Domain.AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword,
#   AWS::IAM::User.LoginProfile.Password; Terraform aws_db_instance.password,
#   aws_rds_cluster|aws_redshift_cluster|aws_docdb_cluster.master_password,
#   aws_dms_endpoint.password, aws_directory_service_directory.password,
#   aws_mq_broker.user[].password, aws_elasticache_replication_group.auth_token,
#   aws_opensearch_domain.advanced_security_options[].master_user_options[].master_user_password.
#   A literal includes a CloudFormation parameter default or a Terraform variable default, which
#   are written in the code too. Passes: absent, a dynamic reference
#   ({{resolve:secretsmanager:…}}, {{resolve:ssm-secure:…}}), and a value that is not known
#   statically (a NoEcho parameter without default, a variable without value, a generated
#   random_password), since it is then supplied at deploy time.
#   Why it matters: a password in a template is readable by everyone with access to the
#   repository, the CI logs and the stack or state, and is rarely rotated (SEC02-BP03).
#   Bad (CloudFormation): MasterUserPassword: hunter2hunter2
#   Bad (Terraform): password = "hunter2hunter2"
#   Good: ManageMasterUserPassword: true, or MasterUserPassword: "{{resolve:secretsmanager:prod/db:SecretString:password}}"; Terraform manage_master_user_password = true or a *_wo write-only argument
#   References: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
#   https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
#   https://docs.aws.amazon.com/secretsmanager/latest/userguide/cfn-example_reference-secret.html
# custom:
#   id: WA-SEC02-MULTI-PLAINTEXT-PASSWORD
#   severity: high
#   best_practices: [SEC02-BP03]
#   resource_types: [AWS::RDS::DBInstance, AWS::RDS::DBCluster, AWS::Redshift::Cluster, AWS::DocDB::DBCluster, AWS::DMS::Endpoint, AWS::DirectoryService::MicrosoftAD, AWS::DirectoryService::SimpleAD, AWS::AmazonMQ::Broker, AWS::ElastiCache::ReplicationGroup, AWS::OpenSearchService::Domain, AWS::IAM::User, aws_db_instance, aws_rds_cluster, aws_redshift_cluster, aws_docdb_cluster, aws_dms_endpoint, aws_directory_service_directory, aws_mq_broker, aws_elasticache_replication_group, aws_opensearch_domain]
#   masks_secrets: true
#   recommended_action: Let the service manage the password in Secrets Manager (ManageMasterUserPassword / manage_master_user_password), or pass it through a dynamic reference to Secrets Manager (CloudFormation) or a write-only argument (Terraform ≥ 1.11).
package walint.rules.plaintext_password

import rego.v1

import data.walint.lib
import data.walint.lib.secrets

# values_at(v, pattern): {"path", "value"} for each value at `pattern` (at most two "[]").
values_at(v, pattern) := [y |
	x := lib.get(v, pattern, null)
	x != null
	y := {"path": pattern, "value": x}
] if stars(pattern) == 0

values_at(v, pattern) := [y |
	n := star(pattern)
	pre := array.slice(pattern, 0, n)
	rest := array.slice(pattern, n + 1, count(pattern))
	not "[]" in rest
	items := lib.get(v, pre, [])
	is_array(items)
	some i, item in items
	post := rest
	x := lib.get(item, post, null)
	x != null
	y := {"path": array.concat(array.concat(pre, [i]), post), "value": x}
] if stars(pattern) == 1

values_at(v, pattern) := [y |
	n := star(pattern)
	pre := array.slice(pattern, 0, n)
	rest := array.slice(pattern, n + 1, count(pattern))
	"[]" in rest
	m := star(rest)
	mid := array.slice(rest, 0, m)
	post := array.slice(rest, m + 1, count(rest))
	items := lib.get(v, pre, [])
	is_array(items)
	some i, item in items
	inner := lib.get(item, mid, [])
	is_array(inner)
	some j, item2 in inner
	x := lib.get(item2, post, null)
	x != null
	y := {"path": array.concat(array.concat(array.concat(array.concat(pre, [i]), mid), [j]), post), "value": x}
] if stars(pattern) == 2

stars(pattern) := count([k | some k in pattern; k == "[]"])

# star(pattern): index of the first "[]" of a pattern.
star(pattern) := min({i | some i, k in pattern; k == "[]"})

deny contains r if {
	some t, patterns in data.walint.lib.secrets.credential_properties
	some address in lib.resources_of(t)
	attrs := lib.resource(address).attrs
	some pattern in patterns
	some x in values_at(attrs, pattern)
	is_string(x.value)
	x.value != ""
	not secrets.safe_reference(x.value)
	r := lib.result(address, x.path, sprintf("%s is a literal password written in the code", [x.path[count(x.path) - 1]]))
}
