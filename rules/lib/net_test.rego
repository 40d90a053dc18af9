package walint.lib.net_test

import rego.v1

import data.walint.lib.net

mock := {
	"resources": {
		"Db": {"type": "AWS::RDS::DBInstance", "attrs": {}, "refs": [{"to": "Group", "at": ["DBSubnetGroupName"]}], "referrers": []},
		"Group": {"type": "AWS::RDS::DBSubnetGroup", "attrs": {}, "refs": [{"to": "Pub", "at": ["SubnetIds", 0]}, {"to": "Priv", "at": ["SubnetIds", 1]}], "referrers": []},
		"Pub": {"type": "AWS::EC2::Subnet", "attrs": {}, "refs": [], "referrers": []},
		"Priv": {"type": "AWS::EC2::Subnet", "attrs": {}, "refs": [], "referrers": []},
		"PubAssoc": {"type": "AWS::EC2::SubnetRouteTableAssociation", "attrs": {}, "refs": [{"to": "Pub", "at": ["SubnetId"]}, {"to": "PubRt", "at": ["RouteTableId"]}], "referrers": []},
		"PrivAssoc": {"type": "AWS::EC2::SubnetRouteTableAssociation", "attrs": {}, "refs": [{"to": "Priv", "at": ["SubnetId"]}, {"to": "PrivRt", "at": ["RouteTableId"]}], "referrers": []},
		"PubRt": {"type": "AWS::EC2::RouteTable", "attrs": {}, "refs": [], "referrers": []},
		"PrivRt": {"type": "AWS::EC2::RouteTable", "attrs": {}, "refs": [], "referrers": []},
		"Igw": {"type": "AWS::EC2::InternetGateway", "attrs": {}, "refs": [], "referrers": []},
		"Default": {"type": "AWS::EC2::Route", "attrs": {"DestinationCidrBlock": "0.0.0.0/0"}, "refs": [{"to": "PubRt", "at": ["RouteTableId"]}, {"to": "Igw", "at": ["GatewayId"]}], "referrers": []},
		"Peer": {"type": "AWS::EC2::Route", "attrs": {"DestinationCidrBlock": "10.1.0.0/16"}, "refs": [{"to": "PrivRt", "at": ["RouteTableId"]}, {"to": "Igw", "at": ["GatewayId"]}], "referrers": []},
	},
	"by_type": {
		"AWS::EC2::Route": ["Default", "Peer"],
		"AWS::EC2::SubnetRouteTableAssociation": ["PrivAssoc", "PubAssoc"],
	},
}

test_public_subnet_found if {
	subnets := net.public_subnets with input as mock
	object.keys(subnets) == {"Pub"}
	subnets.Pub == {"route": "Default", "route_path": ["DestinationCidrBlock"], "gateway": "Igw"}
}

test_subnets_through_group if {
	s := net.subnets_of("Db") with input as mock
	s == {
		{"subnet": "Pub", "via": "Group", "at": ["DBSubnetGroupName"]},
		{"subnet": "Priv", "via": "Group", "at": ["DBSubnetGroupName"]},
	}
}
