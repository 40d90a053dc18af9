# METADATA
# title: Data store is placed in a public subnet
# description: |
#   What it checks: databases, caches, search domains and streaming clusters must not be placed
#   in a subnet whose route table has a default route (0.0.0.0/0 or ::/0) to an internet gateway.
#   The rule follows the graph: data store → subnet group (DB, Redshift, ElastiCache, DocumentDB,
#   Neptune, DAX) or direct subnet list (OpenSearch VPCOptions, MSK client subnets) → subnet →
#   route-table association → route → internet gateway, in both origins. It fails even when the
#   store is not publicly accessible (defence in depth). Subnets with no explicit route-table
#   association (main route table) and subnets or gateways outside the unit are not judged; a
#   default route whose destination is not known statically gives `unknown`.
#   Why it matters: a data store in a public subnet is one flag or one security-group rule away
#   from internet exposure, and its tier is not isolated from internet-facing resources
#   (SEC05-BP01).
#   Bad (CloudFormation): DBSubnetGroup with SubnetIds: [!Ref PublicSubnet], where PublicSubnet's
#   route table has Route {DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref InternetGateway}
#   Bad (Terraform): aws_db_subnet_group.subnet_ids = [aws_subnet.public.id] with
#   aws_route { destination_cidr_block = "0.0.0.0/0", gateway_id = aws_internet_gateway.main.id }
#   Good: subnet groups of private subnets whose default route goes to a NAT gateway or nowhere.
#   References: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.Scenarios.html
#   https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html
#   https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html
# custom:
#   id: WA-SEC05-DB-IN-PUBLIC-SUBNET
#   severity: high
#   best_practices: [SEC05-BP01]
#   resource_types: [AWS::RDS::DBInstance, AWS::RDS::DBCluster, AWS::Redshift::Cluster, AWS::ElastiCache::CacheCluster, AWS::ElastiCache::ReplicationGroup, AWS::DocDB::DBCluster, AWS::Neptune::DBCluster, AWS::OpenSearchService::Domain, AWS::Elasticsearch::Domain, AWS::MSK::Cluster, AWS::DAX::Cluster, aws_db_instance, aws_rds_cluster, aws_redshift_cluster, aws_elasticache_cluster, aws_elasticache_replication_group, aws_docdb_cluster, aws_neptune_cluster, aws_opensearch_domain, aws_elasticsearch_domain, aws_msk_cluster, aws_dax_cluster]
#   recommended_action: Place the data store in private subnets (no route to an internet gateway) through its subnet group or subnet list; reach it from the application tier only.
package walint.rules.db_in_public_subnet

import rego.v1

import data.walint.lib
import data.walint.lib.net

store_types := [
	"AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::Redshift::Cluster",
	"AWS::ElastiCache::CacheCluster", "AWS::ElastiCache::ReplicationGroup",
	"AWS::DocDB::DBCluster", "AWS::Neptune::DBCluster", "AWS::OpenSearchService::Domain",
	"AWS::Elasticsearch::Domain", "AWS::MSK::Cluster", "AWS::DAX::Cluster",
	"aws_db_instance", "aws_rds_cluster", "aws_redshift_cluster", "aws_elasticache_cluster",
	"aws_elasticache_replication_group", "aws_docdb_cluster", "aws_neptune_cluster",
	"aws_opensearch_domain", "aws_elasticsearch_domain", "aws_msk_cluster", "aws_dax_cluster",
]

# [store, path where the subnets or the group are named, placement records]
placements contains [store, at, ps] if {
	some t in store_types
	some store in lib.managed_of(t)
	all := net.subnets_of(store)
	some at in {p.at | some p in all}
	ps := [p | some p in all; p.at == at]
}

deny contains r if {
	some [store, at, ps] in placements
	public := [p | some p in ps; data.walint.lib.net.public_subnets[p.subnet]]
	count(public) > 0
	names := sort({p.subnet | some p in public})
	x := data.walint.lib.net.public_subnets[public[0].subnet]
	related := array.concat(
		[{"address": s, "path": []} | some s in names],
		[{"address": x.route, "path": x.route_path}, {"address": x.gateway, "path": []}],
	)
	r := lib.result_related(store, at, sprintf("placed in public subnet %s: its route table sends %s to internet gateway %s", [concat(", ", names), route_dest(x), x.gateway]), related)
}

route_dest(x) := lib.resource(x.route).attrs[x.route_path[0]] if count(x.route_path) == 1

route_dest(x) := lib.resource(x.route).attrs.route[x.route_path[1]][x.route_path[2]] if count(x.route_path) == 3

unknown contains r if {
	some [store, at, ps] in placements
	not some_public(ps)
	maybe := [p | some p in ps; data.walint.lib.net.maybe_public_subnets[p.subnet]]
	count(maybe) > 0
	x := data.walint.lib.net.maybe_public_subnets[maybe[0].subnet]
	r := lib.result_related(store, at, sprintf("subnet %s has a route to an internet gateway whose destination is not known statically (%s)", [maybe[0].subnet, x.reason]), [{"address": x.route, "path": x.route_path}])
}

some_public(ps) if {
	some p in ps
	data.walint.lib.net.public_subnets[p.subnet]
}
