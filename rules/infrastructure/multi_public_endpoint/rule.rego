# METADATA
# title: Managed service endpoint is reachable from the internet
# description: |
#   What it checks: managed services that can be given a public endpoint must not be:
#   DMS replication instances (PubliclyAccessible; the DMS API default is true, so CloudFormation
#   without the property fails; the Terraform provider defaults publicly_accessible to false),
#   Amazon MQ brokers (PubliclyAccessible / publicly_accessible true), MSK clusters
#   (BrokerNodeGroupInfo.ConnectivityInfo.PublicAccess.Type other than DISABLED), SageMaker
#   notebook instances (DirectInternetAccess / direct_internet_access not Disabled; the default is
#   Enabled), Transfer Family servers (EndpointType / endpoint_type PUBLIC or absent, the default
#   is PUBLIC), MWAA environments (WebserverAccessMode / webserver_access_mode PUBLIC_ONLY) and the
#   Terraform EMR block public access configuration (block_public_security_group_rules false).
#   Why it matters: a public endpoint puts a data-bearing service on the internet, where it is
#   scanned and attacked directly; these services belong in private subnets reached through the
#   VPC (SEC05-BP01).
#   Bad (CloudFormation): AWS::AmazonMQ::Broker with PubliclyAccessible: true; an
#   AWS::SageMaker::NotebookInstance without DirectInternetAccess: Disabled
#   Bad (Terraform): aws_dms_replication_instance with publicly_accessible = true;
#   aws_transfer_server without endpoint_type = "VPC"
#   Good: PubliclyAccessible: false, DirectInternetAccess: Disabled with a SubnetId,
#   EndpointType: VPC, WebserverAccessMode: PRIVATE_ONLY.
#   References: https://docs.aws.amazon.com/dms/latest/APIReference/API_CreateReplicationInstance.html
#   https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/using-amazon-mq-securely.html
#   https://docs.aws.amazon.com/msk/latest/developerguide/public-access.html
#   https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html
#   https://docs.aws.amazon.com/transfer/latest/userguide/create-server-in-vpc.html
#   https://docs.aws.amazon.com/mwaa/latest/userguide/configuring-networking.html
#   https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-block-public-access.html
# custom:
#   id: WA-SEC05-MULTI-PUBLIC-ENDPOINT
#   severity: high
#   best_practices: [SEC05-BP01]
#   resource_types: [AWS::DMS::ReplicationInstance, AWS::AmazonMQ::Broker, AWS::MSK::Cluster, AWS::SageMaker::NotebookInstance, AWS::Transfer::Server, AWS::MWAA::Environment, aws_dms_replication_instance, aws_mq_broker, aws_msk_cluster, aws_sagemaker_notebook_instance, aws_transfer_server, aws_mwaa_environment, aws_emr_block_public_access_configuration]
#   recommended_action: Make the endpoint private (PubliclyAccessible false, MSK public access DISABLED, notebook DirectInternetAccess Disabled in a VPC subnet, Transfer EndpointType VPC, MWAA PRIVATE_ONLY, EMR block public access on) and reach it through the VPC, a VPN or a VPC endpoint.
package walint.rules.multi_public_endpoint

import rego.v1

import data.walint.lib
import data.walint.lib.setting

public_harm := "the service endpoint is reachable from the internet"

# [type, path, kind, allowed (lower case) or null, absent harm or null]
#   kind "not_true":  fail when true (absent is the safe default)
#   kind "false":     fail when true or absent (absent is public)
#   kind "in":        the value must be one of `allowed`
#   kind "true":      must be true
specs := [
	["AWS::DMS::ReplicationInstance", ["PubliclyAccessible"], "false", null, "the DMS default is true, so the replication instance gets a public IP address"],
	["aws_dms_replication_instance", ["publicly_accessible"], "not_true", null, null],
	["AWS::AmazonMQ::Broker", ["PubliclyAccessible"], "not_true", null, null],
	["aws_mq_broker", ["publicly_accessible"], "not_true", null, null],
	["AWS::MSK::Cluster", ["BrokerNodeGroupInfo", "ConnectivityInfo", "PublicAccess", "Type"], "in", ["disabled"], null],
	["aws_msk_cluster", ["broker_node_group_info", 0, "connectivity_info", 0, "public_access", 0, "type"], "in", ["disabled"], null],
	["AWS::SageMaker::NotebookInstance", ["DirectInternetAccess"], "in", ["disabled"], "the default is Enabled, so the notebook has direct internet access"],
	["aws_sagemaker_notebook_instance", ["direct_internet_access"], "in", ["disabled"], "the default is Enabled, so the notebook has direct internet access"],
	["AWS::Transfer::Server", ["EndpointType"], "in", ["vpc", "vpc_endpoint"], "the default is PUBLIC, so the server has a public endpoint"],
	["aws_transfer_server", ["endpoint_type"], "in", ["vpc", "vpc_endpoint"], "the default is PUBLIC, so the server has a public endpoint"],
	["AWS::MWAA::Environment", ["WebserverAccessMode"], "in", ["private_only"], null],
	["aws_mwaa_environment", ["webserver_access_mode"], "in", ["private_only"], null],
	["aws_emr_block_public_access_configuration", ["block_public_security_group_rules"], "true", null, null],
]

outcomes contains o if {
	some [t, path, kind, allowed, absent_harm] in specs
	some address in lib.managed_of(t)
	attrs := lib.resource(address).attrs
	o := outcome(address, attrs, path, kind, allowed, absent_harm)
}

outcome(address, attrs, path, "not_true", _, _) := setting.must_not_be_true(address, attrs, path, public_harm)

outcome(address, attrs, path, "in", allowed, absent_harm) := setting.must_be_in(address, attrs, path, allowed, absent_harm, public_harm)

outcome(address, attrs, path, "true", _, _) := setting.must_be_true(address, attrs, path, "security groups that open ports to the internet are allowed on EMR clusters")

outcome(address, attrs, path, "false", _, absent_harm) := o if {
	l := setting.lookup(attrs, path)
	l.state == "absent"
	o := ["fail", lib.result(address, path, sprintf("%s is not set: %s", [setting.name(path), absent_harm]))]
} else := setting.must_not_be_true(address, attrs, path, public_harm)

deny contains o[1] if {
	some o in outcomes
	o[0] == "fail"
}

unknown contains o[1] if {
	some o in outcomes
	o[0] == "unknown"
}
