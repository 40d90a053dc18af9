//! Canonical resource kinds shared by both origins.

/// The canonical kind of a native resource type, when both origins have one
/// (`AWS::S3::Bucket` and `aws_s3_bucket` → `aws.s3.bucket`). Rules still index by native type;
/// the kind groups them for reports and `input.by_kind`.
pub fn kind_of(rtype: &str) -> Option<&'static str> {
    KINDS
        .iter()
        .find(|(cfn, tf, _)| *cfn == rtype || *tf == rtype)
        .map(|(_, _, kind)| *kind)
}

/// `(CloudFormation type, Terraform type, kind)`.
const KINDS: &[(&str, &str, &str)] = &[
    ("AWS::S3::Bucket", "aws_s3_bucket", "aws.s3.bucket"),
    (
        "AWS::S3::BucketPolicy",
        "aws_s3_bucket_policy",
        "aws.s3.bucket_policy",
    ),
    ("AWS::EC2::Volume", "aws_ebs_volume", "aws.ec2.volume"),
    ("AWS::EC2::Instance", "aws_instance", "aws.ec2.instance"),
    (
        "AWS::EC2::SecurityGroup",
        "aws_security_group",
        "aws.ec2.security_group",
    ),
    (
        "AWS::EC2::SecurityGroupIngress",
        "aws_vpc_security_group_ingress_rule",
        "aws.ec2.security_group_ingress",
    ),
    (
        "AWS::EC2::SecurityGroupEgress",
        "aws_vpc_security_group_egress_rule",
        "aws.ec2.security_group_egress",
    ),
    ("AWS::EC2::VPC", "aws_vpc", "aws.ec2.vpc"),
    ("AWS::EC2::Subnet", "aws_subnet", "aws.ec2.subnet"),
    (
        "AWS::RDS::DBInstance",
        "aws_db_instance",
        "aws.rds.db_instance",
    ),
    (
        "AWS::RDS::DBCluster",
        "aws_rds_cluster",
        "aws.rds.db_cluster",
    ),
    ("AWS::KMS::Key", "aws_kms_key", "aws.kms.key"),
    ("AWS::KMS::Alias", "aws_kms_alias", "aws.kms.alias"),
    ("AWS::IAM::Role", "aws_iam_role", "aws.iam.role"),
    ("AWS::IAM::User", "aws_iam_user", "aws.iam.user"),
    ("AWS::IAM::Group", "aws_iam_group", "aws.iam.group"),
    (
        "AWS::IAM::ManagedPolicy",
        "aws_iam_policy",
        "aws.iam.managed_policy",
    ),
    (
        "AWS::Organizations::Policy",
        "aws_organizations_policy",
        "aws.organizations.policy",
    ),
    (
        "AWS::CloudTrail::Trail",
        "aws_cloudtrail",
        "aws.cloudtrail.trail",
    ),
    (
        "AWS::Lambda::Function",
        "aws_lambda_function",
        "aws.lambda.function",
    ),
    ("AWS::SQS::Queue", "aws_sqs_queue", "aws.sqs.queue"),
    ("AWS::SNS::Topic", "aws_sns_topic", "aws.sns.topic"),
    (
        "AWS::DynamoDB::Table",
        "aws_dynamodb_table",
        "aws.dynamodb.table",
    ),
];
