# METADATA
# title: EKS cluster API endpoint is open to the internet
# description: |
#   What it checks: EKS clusters whose Kubernetes API endpoint is public
#   (ResourcesVpcConfig.EndpointPublicAccess / vpc_config.endpoint_public_access, default true)
#   must restrict PublicAccessCidrs / public_access_cidrs; the list defaults to 0.0.0.0/0, so an
#   absent list fails, and a list holding 0.0.0.0/0 or ::/0 fails. A private-only endpoint
#   (public access false) or a public endpoint limited to known CIDRs passes.
#   Why it matters: the API server is the control plane of every workload of the cluster; open to
#   the world it is exposed to credential stuffing and to any Kubernetes API vulnerability
#   (SEC05-BP01).
#   Bad (CloudFormation): AWS::EKS::Cluster with ResourcesVpcConfig {SubnetIds: [...]} only
#   (public endpoint, 0.0.0.0/0)
#   Bad (Terraform): aws_eks_cluster with vpc_config { subnet_ids = [...] } only, or
#   public_access_cidrs = ["0.0.0.0/0"]
#   Good: EndpointPublicAccess: false with EndpointPrivateAccess: true / endpoint_public_access =
#   false, endpoint_private_access = true; or PublicAccessCidrs limited to office/VPN ranges.
#   References: https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-eks-cluster-resourcesvpcconfig.html
# custom:
#   id: WA-SEC05-EKS-PUBLIC-ENDPOINT
#   severity: high
#   best_practices: [SEC05-BP01]
#   resource_types: [AWS::EKS::Cluster, aws_eks_cluster]
#   recommended_action: Turn on the private endpoint and turn off the public one (EndpointPublicAccess / endpoint_public_access false), or restrict PublicAccessCidrs / public_access_cidrs to the networks that administer the cluster.
package walint.rules.eks_public_endpoint

import rego.v1

import data.walint.lib
import data.walint.lib.setting

world := {"0.0.0.0/0", "::/0"}

# [address, path of the VPC configuration object, names of the two settings]
clusters contains [address, ["ResourcesVpcConfig"], "EndpointPublicAccess", "PublicAccessCidrs"] if {
	some address in lib.managed_of("AWS::EKS::Cluster")
}

clusters contains [address, ["vpc_config", 0], "endpoint_public_access", "public_access_cidrs"] if {
	some address in lib.managed_of("aws_eks_cluster")
}

# The public endpoint is on (true, or absent: the default is true).
public_on(address, attrs, base, pub_key) if {
	l := setting.lookup(attrs, array.concat(base, [pub_key]))
	l.state == "absent"
}

public_on(address, attrs, base, pub_key) if {
	l := setting.lookup(attrs, array.concat(base, [pub_key]))
	l.state == "value"
	not lib.is_false(l.value)
}

unknown contains r if {
	some [address, base, pub_key, _] in clusters
	l := setting.lookup(lib.resource(address).attrs, array.concat(base, [pub_key]))
	l.state == "unknown"
	r := setting.unknown_outcome(address, l)[1]
}

deny contains r if {
	some [address, base, pub_key, cidr_key] in clusters
	attrs := lib.resource(address).attrs
	public_on(address, attrs, base, pub_key)
	l := setting.lookup(attrs, array.concat(base, [cidr_key]))
	l.state == "absent"
	r := lib.result(address, l.path, sprintf("the public API endpoint is on and %s is not set: it defaults to 0.0.0.0/0, so the Kubernetes API is reachable from the whole internet", [cidr_key]))
}

deny contains r if {
	some [address, base, pub_key, cidr_key] in clusters
	attrs := lib.resource(address).attrs
	public_on(address, attrs, base, pub_key)
	l := setting.lookup(attrs, array.concat(base, [cidr_key]))
	l.state == "value"
	some i, cidr in lib.as_list(l.value)
	cidr in world
	r := lib.result(address, array.concat(l.path, [i]), sprintf("the public API endpoint allows %s: the Kubernetes API is reachable from the whole internet", [cidr]))
}

unknown contains r if {
	some [address, base, pub_key, cidr_key] in clusters
	attrs := lib.resource(address).attrs
	public_on(address, attrs, base, pub_key)
	l := setting.lookup(attrs, array.concat(base, [cidr_key]))
	l.state == "unknown"
	r := setting.unknown_outcome(address, l)[1]
}

unknown contains r if {
	some [address, base, pub_key, cidr_key] in clusters
	attrs := lib.resource(address).attrs
	public_on(address, attrs, base, pub_key)
	l := setting.lookup(attrs, array.concat(base, [cidr_key]))
	l.state == "value"
	some i, cidr in lib.as_list(l.value)
	lib.is_unknown(cidr)
	r := lib.result(address, array.concat(l.path, [i]), sprintf("a CIDR of %s is not known statically (%s)", [cidr_key, lib.unknown_reason(cidr)]))
}
