# METADATA
# title: OpenSearch domain does not enforce TLS 1.2 and node-to-node encryption
# description: |
#   What it checks: OpenSearch Service and legacy Elasticsearch domains must (1) enforce HTTPS:
#   DomainEndpointOptions.EnforceHTTPS true (absent fails); in Terraform a domain_endpoint_options
#   block is required, its enforce_https defaults to true; (2) name a TLS 1.2 security policy:
#   TLSSecurityPolicy / tls_security_policy Policy-Min-TLS-1-2-2019-07, Policy-Min-
#   TLS-1-2-PFS-2023-10 or Policy-Min-TLS-1-2-RFC9151-FIPS-2023-04 (absent fails: the older
#   default Policy-Min-TLS-1-0-2019-07 allows TLS 1.0); (3) encrypt traffic between nodes:
#   NodeToNodeEncryptionOptions.Enabled / node_to_node_encryption.enabled true (absent fails).
#   Why it matters: search requests and results, including credentials for fine-grained access
#   control, would otherwise travel over plain HTTP or TLS 1.0/1.1, and data would cross the
#   cluster network in clear text (SEC09-BP02).
#   Bad (CloudFormation): AWS::OpenSearchService::Domain without DomainEndpointOptions or
#   NodeToNodeEncryptionOptions
#   Bad (Terraform): aws_opensearch_domain with domain_endpoint_options { tls_security_policy =
#   "Policy-Min-TLS-1-0-2019-07" }
#   Good: DomainEndpointOptions: {EnforceHTTPS: true, TLSSecurityPolicy: Policy-Min-
#   TLS-1-2-PFS-2023-10}, NodeToNodeEncryptionOptions: {Enabled: true}
#   References: https://docs.aws.amazon.com/opensearch-service/latest/developerguide/infrastructure-security.html
#   https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-opensearchservice-domain-domainendpointoptions.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/opensearch_domain#domain_endpoint_options
# custom:
#   id: WA-SEC09-OPENSEARCH-TLS
#   severity: high
#   best_practices: [SEC09-BP02]
#   resource_types: [AWS::OpenSearchService::Domain, AWS::Elasticsearch::Domain, aws_opensearch_domain, aws_elasticsearch_domain]
#   recommended_action: Set EnforceHTTPS / enforce_https to true with TLS security policy Policy-Min-TLS-1-2-PFS-2023-10, and enable node-to-node encryption.
package walint.rules.opensearch_tls

import rego.v1

import data.walint.lib
import data.walint.lib.setting


good_policies := {"policy-min-tls-1-2-2019-07", "policy-min-tls-1-2-pfs-2023-10", "policy-min-tls-1-2-rfc9151-fips-2023-04"}

tls_harm := "clients may negotiate TLS 1.0/1.1"

outcomes contains o if {
	some t in ["AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain"]
	some a in lib.managed_of(t)
	attrs := lib.resource(a).attrs
	some o in {c |
		some c in [setting.must_be_true(a, attrs, ["DomainEndpointOptions", "EnforceHTTPS"], "the domain accepts plain HTTP")]
	} | {c |
		some c in [setting.must_be_in(a, attrs, ["DomainEndpointOptions", "TLSSecurityPolicy"], good_policies, sprintf("%s (the default policy allows TLS 1.0)", [tls_harm]), tls_harm)]
	} | {c |
		some c in [setting.must_be_true(a, attrs, ["NodeToNodeEncryptionOptions", "Enabled"], "traffic between nodes is unencrypted")]
	}
}

outcomes contains o if {
	some t in ["aws_opensearch_domain", "aws_elasticsearch_domain"]
	some a in lib.managed_of(t)
	attrs := lib.resource(a).attrs
	some o in {c |
		some c in [tf_enforce_https(a, attrs)]
	} | {c |
		some c in [setting.must_be_in(a, attrs, ["domain_endpoint_options", 0, "tls_security_policy"], good_policies, sprintf("%s (the default policy allows TLS 1.0)", [tls_harm]), tls_harm)]
	} | {c |
		some c in [setting.must_be_true(a, attrs, ["node_to_node_encryption", 0, "enabled"], "traffic between nodes is unencrypted")]
	}
}

# enforce_https defaults to true inside a written domain_endpoint_options block.
tf_enforce_https(a, attrs) := setting.must_be_true(a, attrs, ["domain_endpoint_options"], "the domain accepts plain HTTP") if {
	not lib.present(attrs, "domain_endpoint_options")
} else := o if {
	setting.lookup(attrs, ["domain_endpoint_options", 0, "enforce_https"]).state != "absent"
	o := setting.must_be_true(a, attrs, ["domain_endpoint_options", 0, "enforce_https"], "the domain accepts plain HTTP")
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
