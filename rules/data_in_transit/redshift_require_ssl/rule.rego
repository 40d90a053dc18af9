# METADATA
# title: Redshift cluster does not require SSL connections
# description: |
#   What it checks: provisioned Redshift clusters must use a cluster parameter group with
#   require_ssl = true. The group is followed through the graph:
#   AWS::Redshift::Cluster.ClusterParameterGroupName → AWS::Redshift::ClusterParameterGroup
#   .Parameters[] {ParameterName, ParameterValue} (CloudFormation);
#   aws_redshift_cluster.cluster_parameter_group_name → aws_redshift_parameter_group.parameter
#   {name, value} (Terraform). No custom group means the default parameter group, which has
#   require_ssl = false for clusters created before AWS's 2025 secure-by-default change; wa-lint
#   does not assume that change (fail). A group named but not defined in the unit gives unknown.
#   Why it matters: without require_ssl the cluster accepts unencrypted client connections, so
#   credentials and query results can cross the network in clear text (SEC09-BP02).
#   Bad (CloudFormation): AWS::Redshift::Cluster without ClusterParameterGroupName, or a group
#   with {ParameterName: require_ssl, ParameterValue: "false"}
#   Bad (Terraform): aws_redshift_parameter_group with parameter { name = "require_ssl", value =
#   "false" } used by an aws_redshift_cluster
#   Good: a parameter group with require_ssl = true used by the cluster
#   References: https://docs.aws.amazon.com/redshift/latest/mgmt/connecting-ssl-support.html
#   https://docs.aws.amazon.com/config/latest/developerguide/redshift-require-tls-ssl.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/redshift_parameter_group
# custom:
#   id: WA-SEC09-REDSHIFT-REQUIRE-SSL
#   severity: medium
#   best_practices: [SEC09-BP02]
#   resource_types: [AWS::Redshift::Cluster, AWS::Redshift::ClusterParameterGroup, aws_redshift_cluster, aws_redshift_parameter_group]
#   recommended_action: Attach a cluster parameter group that sets require_ssl to true.
package walint.rules.redshift_require_ssl

import rego.v1

import data.walint.lib

# [cluster type, group key, group type, parameter list key, name key, value key]
targets := [
	["AWS::Redshift::Cluster", "ClusterParameterGroupName", "AWS::Redshift::ClusterParameterGroup", "Parameters", "ParameterName", "ParameterValue"],
	["aws_redshift_cluster", "cluster_parameter_group_name", "aws_redshift_parameter_group", "parameter", "name", "value"],
]

clusters contains [a, t] if {
	some t in targets
	some a in lib.managed_of(t[0])
}

groups(a, t) := {ref.to |
	some ref in object.get(lib.resource(a), "refs", [])
	ref.at[0] == t[1]
	lib.resource(ref.to).type == t[2]
}

# require_ssl in a group: [path, value] (value null when not set; the list itself unknown gives
# the unknown value).
group_value(g, t) := [[t[3], i, t[5]], lib.get(p, t[5], null)] if {
	params := object.get(lib.resource(g).attrs, t[3], [])
	is_array(params)
	some i, p in params
	is_string(lib.get(p, t[4], null))
	lib.lower_of(p[t[4]]) == "require_ssl"
} else := [[t[3]], params] if {
	params := object.get(lib.resource(g).attrs, t[3], null)
	lib.is_unknown(params)
} else := [[t[3]], null]

deny contains r if {
	some [a, t] in clusters
	not lib.present(lib.resource(a).attrs, t[1])
	r := lib.result(a, [t[1]], sprintf("%s is not set: the default parameter group does not force require_ssl, so clients may connect without TLS", [t[1]]))
}

deny contains r if {
	some [a, t] in clusters
	some g in groups(a, t)
	[path, v] := group_value(g, t)
	not lib.is_unknown(v)
	not lib.is_true(v)
	r := lib.result_related(g, path, sprintf("require_ssl is %s in the parameter group of %s: clients may connect without TLS", [value_text(v), a]), [{"address": a, "path": [t[1]]}])
}

value_text(v) := "not set" if v == null

value_text(v) := lib.show(v) if v != null

unknown contains r if {
	some [a, t] in clusters
	some g in groups(a, t)
	[path, v] := group_value(g, t)
	lib.is_unknown(v)
	r := lib.result_related(g, path, sprintf("require_ssl is not known statically (%s)", [lib.unknown_reason(v)]), [{"address": a, "path": [t[1]]}])
}

unknown contains r if {
	some [a, t] in clusters
	attrs := lib.resource(a).attrs
	lib.present(attrs, t[1])
	count(groups(a, t)) == 0
	r := lib.result(a, [t[1]], sprintf("%s %s: whether it sets require_ssl cannot be verified", [t[1], group_text(attrs[t[1]])]))
}

group_text(v) := sprintf("is not known statically (%s)", [lib.unknown_reason(v)]) if lib.is_unknown(v)

group_text(v) := sprintf("names %s, a parameter group not defined in this unit", [lib.show(v)]) if not lib.is_unknown(v)
