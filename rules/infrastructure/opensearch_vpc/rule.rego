# METADATA
# title: OpenSearch domain has a public endpoint
# description: |
#   What it checks: OpenSearch Service and legacy Elasticsearch domains must be placed in a VPC:
#   VPCOptions.SubnetIds (CloudFormation) or vpc_options.subnet_ids (Terraform) set and not
#   empty. A domain without VPC options gets a public endpoint (the default).
#   Why it matters: a public domain endpoint is reachable from the internet and protected only by
#   its access policy; a single wildcard statement exposes every index (SEC05-BP01, SEC03-BP07).
#   Bad (CloudFormation): AWS::OpenSearchService::Domain without VPCOptions
#   Bad (Terraform): aws_opensearch_domain without a vpc_options block
#   Good: VPCOptions: {SubnetIds: [...], SecurityGroupIds: [...]} / vpc_options { subnet_ids = [...] }
#   References: https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-opensearchservice-domain.html
# custom:
#   id: WA-SEC05-OPENSEARCH-VPC
#   severity: high
#   best_practices: [SEC05-BP01, SEC03-BP07]
#   resource_types: [AWS::OpenSearchService::Domain, AWS::Elasticsearch::Domain, aws_opensearch_domain, aws_elasticsearch_domain]
#   recommended_action: Create the domain in private subnets with VPCOptions / vpc_options and restrict its security group; a public endpoint cannot be changed to VPC access later, so recreate the domain.
package walint.rules.opensearch_vpc

import rego.v1

import data.walint.lib

# [address, path of the subnets, value: list, {"$unknown"}, or null when absent]
domains contains [address, ["VPCOptions", "SubnetIds"], v] if {
	some t in ["AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain"]
	some address in lib.managed_of(t)
	opts := lib.resource(address).attrs.VPCOptions
	is_object(opts)
	not lib.is_unknown(opts)
	v := lib.get(opts, "SubnetIds", null)
}

domains contains [address, ["VPCOptions"], null] if {
	some t in ["AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain"]
	some address in lib.managed_of(t)
	not lib.present(lib.resource(address).attrs, "VPCOptions")
}

domains contains [address, ["VPCOptions"], opts] if {
	some t in ["AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain"]
	some address in lib.managed_of(t)
	opts := lib.resource(address).attrs.VPCOptions
	lib.is_unknown(opts)
}

domains contains [address, path, v] if {
	some t in ["aws_opensearch_domain", "aws_elasticsearch_domain"]
	some address in lib.managed_of(t)
	blocks := object.get(lib.resource(address).attrs, "vpc_options", [])
	[path, v] := tf_subnets(blocks)
}

tf_subnets(blocks) := [["vpc_options"], blocks] if lib.is_unknown(blocks)

tf_subnets(blocks) := [["vpc_options"], null] if {
	is_array(blocks)
	count(blocks) == 0
}

tf_subnets(blocks) := [["vpc_options", 0, "subnet_ids"], lib.get(blocks[0], "subnet_ids", null)] if {
	is_array(blocks)
	count(blocks) > 0
}

deny contains r if {
	some [address, path, v] in domains
	v == null
	r := lib.result(address, path, sprintf("%s is not set: the domain has a public endpoint reachable from the internet", [path[count(path) - 1]]))
}

deny contains r if {
	some [address, path, v] in domains
	is_array(v)
	count(v) == 0
	r := lib.result(address, path, sprintf("%s is empty: the domain has a public endpoint reachable from the internet", [path[count(path) - 1]]))
}

unknown contains r if {
	some [address, path, v] in domains
	lib.is_unknown(v)
	r := lib.result(address, path, sprintf("%s is not known statically (%s): the domain may have a public endpoint", [path[count(path) - 1], lib.unknown_reason(v)]))
}
