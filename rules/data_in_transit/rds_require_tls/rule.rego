# METADATA
# title: RDS database does not require TLS connections
# description: |
#   What it checks: RDS DB instances and DB clusters must use a (cluster) parameter group that
#   forces TLS: rds.force_ssl = 1 for PostgreSQL, Aurora PostgreSQL and SQL Server,
#   require_secure_transport = ON (or 1) for MySQL, MariaDB and Aurora MySQL. The group is
#   followed through the graph: DBParameterGroupName → AWS::RDS::DBParameterGroup.Parameters,
#   DBClusterParameterGroupName → AWS::RDS::DBClusterParameterGroup.Parameters (CloudFormation);
#   parameter_group_name → aws_db_parameter_group.parameter, db_cluster_parameter_group_name →
#   aws_rds_cluster_parameter_group.parameter (Terraform). No custom group means the engine's
#   default group, which does not force TLS (fail), except RDS for PostgreSQL 15 and later, whose
#   default is rds.force_ssl = 1. A group named but not defined in the unit gives unknown.
#   Instances that belong to a cluster are judged on the cluster; Oracle and Db2 (TLS through
#   option groups) are not judged.
#   Why it matters: unless the server requires TLS, clients can connect, send credentials and read
#   query results in clear text; a misconfigured client or an attacker downgrading the connection
#   goes unnoticed (SEC09-BP02).
#   Bad (CloudFormation): AWS::RDS::DBInstance {Engine: mysql} without DBParameterGroupName, or a
#   parameter group without require_secure_transport
#   Bad (Terraform): aws_db_parameter_group with parameter { name = "rds.force_ssl", value = "0" }
#   used by an aws_db_instance
#   Good: Parameters: {rds.force_ssl: 1} / parameter { name = "require_secure_transport", value =
#   "ON" }
#   References: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html#PostgreSQL.Concepts.General.SSL.Requiring
#   https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/mysql-ssl-connections.html#mysql-ssl-connections.require-ssl
#   https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Security.html#AuroraPostgreSQL.Security.SSL.Requiring
#   https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/SQLServer.Concepts.General.SSL.Using.html#SQLServer.Concepts.General.SSL.Forcing
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_parameter_group
# custom:
#   id: WA-SEC09-RDS-REQUIRE-TLS
#   severity: medium
#   best_practices: [SEC09-BP02]
#   resource_types: [AWS::RDS::DBInstance, AWS::RDS::DBCluster, aws_db_instance, aws_rds_cluster]
#   recommended_action: Use a custom (cluster) parameter group with rds.force_ssl = 1 (PostgreSQL, SQL Server) or require_secure_transport = ON (MySQL, MariaDB).
package walint.rules.rds_require_tls

import rego.v1

import data.walint.lib


# [database type, engine key, version key, group key, group type, origin, keys that skip the database]
targets := [
	["AWS::RDS::DBInstance", "Engine", "EngineVersion", "DBParameterGroupName", "AWS::RDS::DBParameterGroup", "cfn", ["DBClusterIdentifier"]],
	["AWS::RDS::DBCluster", "Engine", "EngineVersion", "DBClusterParameterGroupName", "AWS::RDS::DBClusterParameterGroup", "cfn", []],
	["aws_db_instance", "engine", "engine_version", "parameter_group_name", "aws_db_parameter_group", "tf", []],
	["aws_rds_cluster", "engine", "engine_version", "db_cluster_parameter_group_name", "aws_rds_cluster_parameter_group", "tf", []],
]

# The parameter that forces TLS for an engine (undefined: not judged).
tls_parameter(engine) := "rds.force_ssl" if contains(engine, "postgres")

tls_parameter(engine) := "rds.force_ssl" if startswith(engine, "sqlserver")

tls_parameter(engine) := "require_secure_transport" if contains(engine, "mysql")

tls_parameter(engine) := "require_secure_transport" if contains(engine, "mariadb")

databases contains [a, t, engine, param] if {
	some t in targets
	some a in lib.managed_of(t[0])
	attrs := lib.resource(a).attrs
	not skipped(attrs, t[6])
	is_string(attrs[t[1]])
	engine := lib.lower_of(attrs[t[1]])
	param := tls_parameter(engine)
}

skipped(attrs, keys) if {
	some k in keys
	lib.present(attrs, k)
}

# The parameter groups of the unit the database uses (graph edge at the group key).
groups(a, t) := {ref.to |
	some ref in object.get(lib.resource(a), "refs", [])
	ref.at[0] == t[3]
	lib.resource(ref.to).type == t[4]
}

# Default group: RDS for PostgreSQL 15+ forces TLS (absent version = current default major).
default_forces_tls(attrs, t, engine) if {
	engine == "postgres"
	not lib.present(attrs, t[2])
}

default_forces_tls(attrs, t, engine) if {
	engine == "postgres"
	v := attrs[t[2]]
	is_string(v)
	regex.match(`^[0-9]`, v)
	to_number(regex.find_n(`^[0-9]{1,9}`, v, 1)[0]) >= 15
}

forces(v) if lib.is_true(v)

forces(v) if v == 1

forces(v) if {
	is_string(v)
	lib.lower_of(trim_space(v)) in {"1", "on"}
}

# Value of `param` in a group: [path, value] (value null when the parameter is absent).
group_value(g, param) := [["Parameters", param], object.get(lib.resource(g).attrs, ["Parameters", param], null)] if {
	lib.resource(g).origin == "cloudformation"
} else := [["parameter", i, "value"], p.value] if {
	some i, p in lib.iter(object.get(lib.resource(g).attrs, "parameter", []))
	p.name == param
} else := [["parameter"], null]

deny contains r if {
	some [a, t, engine, param] in databases
	attrs := lib.resource(a).attrs
	not lib.present(attrs, t[3])
	not default_forces_tls(attrs, t, engine)
	r := lib.result(a, [t[3]], sprintf("%s is not set: the default parameter group of %s does not set %s, so clients may connect without TLS", [t[3], engine, param]))
}

deny contains r if {
	some [a, t, engine, param] in databases
	some g in groups(a, t)
	[path, v] := group_value(g, param)
	not lib.is_unknown(v)
	not forces(v)
	r := lib.result_related(g, path, sprintf("%s is %s in the parameter group of %s: clients may connect without TLS", [param, value_text(v), a]), [{"address": a, "path": [t[3]]}])
}

value_text(v) := "not set" if v == null

value_text(v) := lib.show(v) if v != null

unknown contains r if {
	some [a, t, engine, param] in databases
	some g in groups(a, t)
	[path, v] := group_value(g, param)
	lib.is_unknown(v)
	r := lib.result_related(g, path, sprintf("%s is not known statically (%s)", [param, lib.unknown_reason(v)]), [{"address": a, "path": [t[3]]}])
}

unknown contains r if {
	some [a, t, _, _] in databases
	attrs := lib.resource(a).attrs
	lib.present(attrs, t[3])
	count(groups(a, t)) == 0
	r := lib.result(a, [t[3]], sprintf("%s %s: whether the parameter group forces TLS cannot be verified", [t[3], group_text(attrs[t[3]])]))
}

group_text(v) := sprintf("is not known statically (%s)", [lib.unknown_reason(v)]) if lib.is_unknown(v)

group_text(v) := sprintf("names %s, a parameter group not defined in this unit", [lib.show(v)]) if not lib.is_unknown(v)

unknown contains r if {
	some t in targets
	some a in lib.managed_of(t[0])
	attrs := lib.resource(a).attrs
	not skipped(attrs, t[6])
	lib.is_unknown(attrs[t[1]])
	r := lib.result(a, [t[1]], sprintf("%s is not known statically (%s): the TLS parameter cannot be chosen", [t[1], lib.unknown_reason(attrs[t[1]])]))
}
