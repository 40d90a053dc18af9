# METADATA
# title: CloudFront distribution allows TLS older than 1.2
# description: |
#   What it checks: CloudFront distributions must serve a custom certificate with a TLS 1.2+
#   security policy: ViewerCertificate.MinimumProtocolVersion /
#   viewer_certificate.minimum_protocol_version TLSv1.2_2021 or newer (TLSv1.2_2019 and
#   TLSv1.2_2018 are accepted). Using the default *.cloudfront.net certificate (no
#   ViewerCertificate, CloudFrontDefaultCertificate / cloudfront_default_certificate true) fails
#   because its minimum protocol is TLSv1 and cannot be raised; a custom certificate without a
#   minimum protocol version fails because the default is TLSv1.
#   Why it matters: TLS 1.0 and 1.1 have known weaknesses and are deprecated; viewers that
#   negotiate them expose session data to downgrade and decryption attacks (SEC09-BP02).
#   Bad (CloudFormation): DistributionConfig without ViewerCertificate, or ViewerCertificate:
#   {CloudFrontDefaultCertificate: true}
#   Bad (Terraform): viewer_certificate { cloudfront_default_certificate = true }
#   Good: ViewerCertificate: {AcmCertificateArn: ..., SslSupportMethod: sni-only,
#   MinimumProtocolVersion: TLSv1.2_2021}
#   References: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cloudfront-distribution-viewercertificate.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution#viewer-certificate-arguments
# custom:
#   id: WA-SEC09-CF-MIN-TLS
#   severity: medium
#   best_practices: [SEC09-BP02, SEC09-BP01]
#   resource_types: [AWS::CloudFront::Distribution, aws_cloudfront_distribution]
#   recommended_action: Serve an ACM certificate with SslSupportMethod sni-only and MinimumProtocolVersion TLSv1.2_2021 (or newer).
package walint.rules.cloudfront_min_tls

import rego.v1

import data.walint.lib
import data.walint.lib.setting


good_versions := {"tlsv1.2_2021", "tlsv1.2_2025", "tlsv1.3_2025", "tlsv1.2_2019", "tlsv1.2_2018"}

harm := "viewers may negotiate TLS 1.0/1.1"

# [address, path of the viewer-certificate object, key names]
certs contains [a, ["DistributionConfig", "ViewerCertificate"], ["CloudFrontDefaultCertificate", "MinimumProtocolVersion"]] if {
	some a in lib.managed_of("AWS::CloudFront::Distribution")
}

certs contains [a, ["viewer_certificate", 0], ["cloudfront_default_certificate", "minimum_protocol_version"]] if {
	some a in lib.managed_of("aws_cloudfront_distribution")
}

outcomes contains o if {
	some [a, base, keys] in certs
	attrs := lib.resource(a).attrs
	o := cert_outcome(a, attrs, base, keys)
}

cert_outcome(a, attrs, base, keys) := setting.unknown_outcome(a, l) if {
	l := setting.lookup(attrs, base)
	l.state == "unknown"
} else := ["fail", lib.result(a, base, sprintf("no viewer certificate: the default *.cloudfront.net certificate allows TLSv1 (%s)", [harm]))] if {
	setting.lookup(attrs, base).state == "absent"
} else := o if {
	p := array.concat(base, [keys[0]])
	l := setting.lookup(attrs, p)
	l.state != "absent"
	not lib.is_false(l.value)
	o := default_cert_outcome(a, l)
} else := setting.must_be_in(a, attrs, array.concat(base, [keys[1]]), good_versions, sprintf("%s (the default minimum protocol is TLSv1)", [harm]), harm)

default_cert_outcome(a, l) := setting.unknown_outcome(a, l) if {
	l.state == "unknown"
} else := ["fail", lib.result(a, l.path, sprintf("%s is %s: the default *.cloudfront.net certificate allows TLSv1 (%s)", [setting.name(l.path), lib.show(l.value), harm]))] if {
	lib.is_true(l.value)
}

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
