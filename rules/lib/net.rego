# Network-placement views over both origins (catalog G3): which subnets of the unit route to an
# internet gateway, and which subnets a data store is placed in.
#
# `public_subnets` maps a subnet address to {"route": <address of the route or route table>,
# "route_path": <path of the default-route entry>, "gateway": <internet gateway address>}, for
# every subnet of the unit associated with a route table that has a default route
# (0.0.0.0/0 or ::/0) to an internet gateway of the unit:
#   CloudFormation  AWS::EC2::SubnetRouteTableAssociation{SubnetId, RouteTableId}
#                   AWS::EC2::Route{RouteTableId, DestinationCidrBlock|DestinationIpv6CidrBlock, GatewayId}
#   Terraform       aws_route_table_association{subnet_id, route_table_id}
#                   aws_route{route_table_id, destination_cidr_block|destination_ipv6_cidr_block, gateway_id}
#                   aws_route_table.route[]{cidr_block|ipv6_cidr_block, gateway_id}
# Subnets without an explicit association use the VPC's main route table and are not listed.
#
# `subnets_of(address)` is the set of {"subnet", "via", "at"} for a resource placed in subnets:
# directly (a reference at any attribute to a subnet) or through a subnet group it references.
# `via` is the subnet group's address (or the resource itself), `at` the path in the resource
# where the subnets or the group are named.
package walint.lib.net

import rego.v1

import data.walint.lib

subnet_types := {"AWS::EC2::Subnet", "aws_subnet"}

igw_types := {"AWS::EC2::InternetGateway", "aws_internet_gateway"}

route_table_types := {"AWS::EC2::RouteTable", "aws_route_table"}

subnet_group_types := {
	"AWS::RDS::DBSubnetGroup", "aws_db_subnet_group",
	"AWS::Redshift::ClusterSubnetGroup", "aws_redshift_subnet_group",
	"AWS::ElastiCache::SubnetGroup", "aws_elasticache_subnet_group",
	"AWS::DocDB::DBSubnetGroup", "aws_docdb_subnet_group",
	"AWS::Neptune::DBSubnetGroup", "aws_neptune_subnet_group",
	"AWS::DAX::SubnetGroup", "aws_dax_subnet_group",
}

association_types := {
	"AWS::EC2::SubnetRouteTableAssociation": ["SubnetId", "RouteTableId"],
	"aws_route_table_association": ["subnet_id", "route_table_id"],
}

world := {"0.0.0.0/0", "::/0"}

# ref_to(address, key, types): the addresses referenced from attribute `key` of `address`
# whose type is in `types`.
ref_to(address, key, types) := {ref.to |
	some ref in lib.resource(address).refs
	count(ref.at) > 0
	ref.at[0] == key
	lib.resource(ref.to).type in types
}

# Default routes to an internet gateway: {"table", "route", "path", "gateway"}.
igw_routes contains x if {
	some t in ["AWS::EC2::Route", "aws_route"]
	some route in lib.resources_of(t)
	attrs := lib.resource(route).attrs
	keys := route_keys[t]
	some k in keys.dest
	is_string(attrs[k])
	attrs[k] in world
	some gw in ref_to(route, keys.gateway, igw_types)
	some table in ref_to(route, keys.table, route_table_types)
	x := {"table": table, "route": route, "path": [k], "gateway": gw}
}

route_keys := {
	"AWS::EC2::Route": {"dest": ["DestinationCidrBlock", "DestinationIpv6CidrBlock"], "gateway": "GatewayId", "table": "RouteTableId"},
	"aws_route": {"dest": ["destination_cidr_block", "destination_ipv6_cidr_block"], "gateway": "gateway_id", "table": "route_table_id"},
}

igw_routes contains x if {
	some table in lib.resources_of("aws_route_table")
	routes := lib.resource(table).attrs.route
	is_array(routes)
	some i, route in routes
	some k in ["cidr_block", "ipv6_cidr_block"]
	is_string(route[k])
	route[k] in world
	some ref in lib.resource(table).refs
	ref.at == ["route", i, "gateway_id"]
	lib.resource(ref.to).type in igw_types
	x := {"table": table, "route": table, "path": ["route", i, k], "gateway": ref.to}
}

# Default routes whose destination or gateway is not known statically.
unknown_routes contains x if {
	some t in ["AWS::EC2::Route", "aws_route"]
	some route in lib.resources_of(t)
	attrs := lib.resource(route).attrs
	keys := route_keys[t]
	some k in keys.dest
	lib.is_unknown(attrs[k])
	count(ref_to(route, keys.gateway, igw_types)) > 0
	some table in ref_to(route, keys.table, route_table_types)
	x := {"table": table, "route": route, "path": [k], "reason": lib.unknown_reason(attrs[k])}
}

associations contains [subnet, table] if {
	some t, keys in association_types
	some a in lib.resources_of(t)
	some subnet in ref_to(a, keys[0], subnet_types)
	some table in ref_to(a, keys[1], route_table_types)
}

public_subnets[subnet] := {"route": x.route, "route_path": x.path, "gateway": x.gateway} if {
	some [subnet, table] in associations
	xs := [x | some x in igw_routes; x.table == table]
	count(xs) > 0
	x := xs[0]
}

maybe_public_subnets[subnet] := {"route": x.route, "route_path": x.path, "reason": x.reason} if {
	some [subnet, table] in associations
	not public_subnets[subnet]
	xs := [x | some x in unknown_routes; x.table == table]
	count(xs) > 0
	x := xs[0]
}

subnets_of(address) := direct(address) | grouped(address)

direct(address) := {{"subnet": ref.to, "via": address, "at": ref.at} |
	some ref in lib.resource(address).refs
	lib.resource(ref.to).type in subnet_types
}

grouped(address) := {{"subnet": ref2.to, "via": ref.to, "at": ref.at} |
	some ref in lib.resource(address).refs
	lib.resource(ref.to).type in subnet_group_types
	some ref2 in lib.resource(ref.to).refs
	lib.resource(ref2.to).type in subnet_types
}
