# METADATA
# title: MSK cluster allows plaintext or unauthenticated clients
# description: |
#   What it checks: MSK clusters must encrypt client traffic with TLS only:
#   EncryptionInfo.EncryptionInTransit.ClientBroker /
#   encryption_info.encryption_in_transit.client_broker TLS (TLS_PLAINTEXT and PLAINTEXT fail;
#   absent passes, the default is TLS); InCluster / in_cluster must not be false (absent passes,
#   default true); and unauthenticated access must not be enabled
#   (ClientAuthentication.Unauthenticated.Enabled / client_authentication.unauthenticated true
#   fails).
#   Why it matters: plaintext listeners expose every record and credentials on the network, and
#   unauthenticated access lets any host that can reach the brokers read and write topics
#   (SEC09-BP02, SEC09-BP03).
#   Bad (CloudFormation): EncryptionInfo: {EncryptionInTransit: {ClientBroker: TLS_PLAINTEXT}}
#   Bad (Terraform): encryption_info { encryption_in_transit { client_broker = "PLAINTEXT" } }
#   Good: ClientBroker: TLS, InCluster: true, ClientAuthentication: {Sasl: {Iam: {Enabled: true}}}
#   References: https://docs.aws.amazon.com/msk/latest/developerguide/msk-encryption.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-msk-cluster-encryptionintransit.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/msk_cluster#encryption_in_transit
# custom:
#   id: WA-SEC09-MSK-TLS
#   severity: medium
#   best_practices: [SEC09-BP02, SEC09-BP03]
#   resource_types: [AWS::MSK::Cluster, aws_msk_cluster]
#   recommended_action: Set ClientBroker / client_broker to TLS, keep in-cluster encryption on, and require IAM, SASL/SCRAM or mutual TLS client authentication.
package walint.rules.msk_tls

import rego.v1

import data.walint.lib
import data.walint.lib.setting


# [type, client-broker path, in-cluster path, unauthenticated path]
paths := [
	["AWS::MSK::Cluster", ["EncryptionInfo", "EncryptionInTransit", "ClientBroker"], ["EncryptionInfo", "EncryptionInTransit", "InCluster"], ["ClientAuthentication", "Unauthenticated", "Enabled"]],
	["aws_msk_cluster", ["encryption_info", 0, "encryption_in_transit", 0, "client_broker"], ["encryption_info", 0, "encryption_in_transit", 0, "in_cluster"], ["client_authentication", 0, "unauthenticated"]],
]

outcomes contains o if {
	some p in paths
	some a in lib.managed_of(p[0])
	o := setting.must_be_in(a, lib.resource(a).attrs, p[1], {"tls"}, null, "clients can connect in plaintext")
}

outcomes contains o if {
	some p in paths
	some a in lib.managed_of(p[0])
	l := setting.lookup(lib.resource(a).attrs, p[2])
	o := in_cluster_outcome(a, l)
}

in_cluster_outcome(a, l) := setting.unknown_outcome(a, l) if {
	l.state == "unknown"
} else := ["fail", lib.result(a, l.path, sprintf("%s is %s: traffic between brokers is unencrypted", [setting.name(l.path), lib.show(l.value)]))] if {
	lib.is_false(l.value)
}

outcomes contains o if {
	some p in paths
	some a in lib.managed_of(p[0])
	o := setting.must_not_be_true(a, lib.resource(a).attrs, p[3], "any client that reaches the brokers can read and write topics")
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
