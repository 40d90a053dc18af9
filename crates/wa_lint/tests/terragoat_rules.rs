//! Every deliberate AWS misconfiguration of `TerraGoat` (`../shared/corpus/terragoat/terraform/aws`,
//! "vulnerable by design") that a rule of the catalog (`rules-catalog.md`) covers is reported,
//! by that rule, on that resource, at that line.
//!
//! Three lists, each entry naming the file, line, resource and catalog rule ID:
//! - [`COVERED`]: asserted — the scan must report a `fail` of the rule there;
//! - [`NOT_YET_COVERED`]: misconfigurations whose catalog rule is not in the pack yet (or does
//!   not detect this form yet); printed, and flagged when they start being reported so they can
//!   move to [`COVERED`];
//! - [`NOT_A_FINDING`]: `TerraGoat` comments that name a problem the catalog deliberately does not
//!   report (AWS has since made the setting secure by default); printed with the reason.
//!
//! Lines are 1-based; the line is where the finding points: the attribute when it is written,
//! else the resource header.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

/// `(file under terraform/aws, line, resource address, rule ID, what TerraGoat planted)`.
type Entry = (&'static str, u64, &'static str, &'static str, &'static str);

const COVERED: &[Entry] = &[
    (
        "db-app.tf",
        7,
        "aws_db_instance.default",
        "WA-SEC05-DB-IN-PUBLIC-SUBNET",
        "database in subnets routed to an internet gateway",
    ),
    (
        "db-app.tf",
        15,
        "aws_db_instance.default",
        "WA-SEC02-MULTI-PLAINTEXT-PASSWORD",
        "master password from a variable with a literal default",
    ),
    (
        "db-app.tf",
        19,
        "aws_db_instance.default",
        "WA-SEC08-RDS-ENCRYPTION",
        "storage_encrypted = false",
    ),
    (
        "db-app.tf",
        22,
        "aws_db_instance.default",
        "WA-SEC05-RDS-PUBLIC",
        "publicly_accessible = true",
    ),
    (
        "db-app.tf",
        70,
        "aws_db_parameter_group.default",
        "WA-SEC09-RDS-REQUIRE-TLS",
        "MySQL parameter group without require_secure_transport",
    ),
    (
        "db-app.tf",
        210,
        "aws_iam_role_policy.ec2policy",
        "WA-SEC03-IAM-SERVICE-WILDCARD",
        "s3:*, ec2:*, rds:* on *",
    ),
    (
        "db-app.tf",
        243,
        "aws_instance.db_app",
        "WA-SEC06-EC2-IMDSV2",
        "instance metadata v1 allowed",
    ),
    (
        "db-app.tf",
        251,
        "aws_instance.db_app",
        "WA-SEC05-EC2-PUBLIC-IP",
        "instance in a subnet with public IPs",
    ),
    (
        "ec2.tf",
        1,
        "aws_instance.web_host",
        "WA-SEC06-EC2-IMDSV2",
        "instance metadata v1 allowed",
    ),
    (
        "ec2.tf",
        8,
        "aws_instance.web_host",
        "WA-SEC05-EC2-PUBLIC-IP",
        "instance in a subnet with public IPs",
    ),
    (
        "ec2.tf",
        9,
        "aws_instance.web_host",
        "WA-SEC02-EC2-USERDATA-SECRETS",
        "\"ec2 have plain text secrets in user data\"",
    ),
    (
        "ec2.tf",
        9,
        "aws_instance.web_host",
        "WA-SEC02-MULTI-HARDCODED-AWS-KEY",
        "AWS_ACCESS_KEY_ID/SECRET in user data",
    ),
    (
        "ec2.tf",
        34,
        "aws_ebs_volume.web_host_storage",
        "WA-SEC08-EBS-VOLUME-ENCRYPTION",
        "\"unencrypted volume\"",
    ),
    (
        "ec2.tf",
        94,
        "aws_security_group.web-node",
        "WA-SEC05-SG-ADMIN-PORTS-OPEN",
        "\"security group is open to the world in SSH port\"",
    ),
    (
        "ec2.tf",
        139,
        "aws_subnet.web_subnet",
        "WA-SEC05-SUBNET-AUTO-PUBLIC-IP",
        "map_public_ip_on_launch = true",
    ),
    (
        "ec2.tf",
        159,
        "aws_subnet.web_subnet2",
        "WA-SEC05-SUBNET-AUTO-PUBLIC-IP",
        "map_public_ip_on_launch = true",
    ),
    (
        "ecr.tf",
        1,
        "aws_ecr_repository.repository",
        "WA-SEC06-ECR-SCAN-ON-PUSH",
        "no image scanning on push",
    ),
    (
        "ecr.tf",
        3,
        "aws_ecr_repository.repository",
        "WA-SEC06-ECR-IMMUTABLE-TAGS",
        "image_tag_mutability = MUTABLE",
    ),
    (
        "eks.tf",
        44,
        "aws_vpc.eks_vpc",
        "WA-SEC04-VPC-FLOW-LOGS",
        "VPC without flow logs",
    ),
    (
        "eks.tf",
        66,
        "aws_subnet.eks_subnet1",
        "WA-SEC05-SUBNET-AUTO-PUBLIC-IP",
        "map_public_ip_on_launch = true",
    ),
    (
        "eks.tf",
        94,
        "aws_subnet.eks_subnet2",
        "WA-SEC05-SUBNET-AUTO-PUBLIC-IP",
        "map_public_ip_on_launch = true",
    ),
    (
        "eks.tf",
        122,
        "aws_eks_cluster.eks_cluster",
        "WA-SEC05-EKS-PUBLIC-ENDPOINT",
        "public API endpoint open to 0.0.0.0/0",
    ),
    (
        "elb.tf",
        2,
        "aws_elb.weblb",
        "WA-SEC04-ELB-ACCESS-LOGGING",
        "no access logs",
    ),
    (
        "elb.tf",
        9,
        "aws_elb.weblb",
        "WA-SEC09-CLB-HTTPS",
        "HTTP listener",
    ),
    (
        "es.tf",
        1,
        "aws_elasticsearch_domain.monitoring-framework",
        "WA-SEC08-OPENSEARCH-ENCRYPTION",
        "no encryption at rest",
    ),
    (
        "es.tf",
        1,
        "aws_elasticsearch_domain.monitoring-framework",
        "WA-SEC09-OPENSEARCH-TLS",
        "no HTTPS enforcement, no node-to-node encryption",
    ),
    (
        "es.tf",
        1,
        "aws_elasticsearch_domain.monitoring-framework",
        "WA-SEC05-OPENSEARCH-VPC",
        "domain outside a VPC",
    ),
    (
        "es.tf",
        43,
        "aws_elasticsearch_domain_policy.monitoring-framework-policy",
        "WA-SEC03-MULTI-RESOURCE-POLICY-PUBLIC",
        "es:* for Principal *",
    ),
    (
        "iam.tf",
        22,
        "aws_iam_access_key.user",
        "WA-SEC02-IAM-LONG-TERM-ACCESS-KEY",
        "access key for an IAM user",
    ),
    (
        "iam.tf",
        29,
        "aws_iam_user_policy.userpolicy",
        "WA-SEC03-IAM-SERVICE-WILDCARD",
        "ec2:*, s3:*, lambda:*, cloudwatch:* on *",
    ),
    (
        "kms.tf",
        1,
        "aws_kms_key.logs_key",
        "WA-SEC08-KMS-ROTATION",
        "\"key does not have rotation enabled\"",
    ),
    (
        "lambda.tf",
        41,
        "aws_lambda_function.analysis_lambda",
        "WA-SEC06-LAMBDA-DEPRECATED-RUNTIME",
        "runtime nodejs12.x",
    ),
    (
        "lambda.tf",
        46,
        "aws_lambda_function.analysis_lambda",
        "WA-SEC02-MULTI-ENV-SECRETS",
        "\"lambda have plain text secrets in environment variables\"",
    ),
    (
        "neptune.tf",
        9,
        "aws_neptune_cluster.default",
        "WA-SEC08-NEPTUNE-ENCRYPTION",
        "storage_encrypted = false",
    ),
    (
        "rds.tf",
        1,
        "aws_rds_cluster.app1-rds-cluster",
        "WA-SEC08-AURORA-ENCRYPTION",
        "cluster storage not encrypted",
    ),
    (
        "rds.tf",
        17,
        "aws_rds_cluster.app2-rds-cluster",
        "WA-SEC08-AURORA-ENCRYPTION",
        "cluster storage not encrypted",
    ),
    (
        "rds.tf",
        33,
        "aws_rds_cluster.app3-rds-cluster",
        "WA-SEC08-AURORA-ENCRYPTION",
        "cluster storage not encrypted",
    ),
    (
        "rds.tf",
        49,
        "aws_rds_cluster.app4-rds-cluster",
        "WA-SEC08-AURORA-ENCRYPTION",
        "cluster storage not encrypted",
    ),
    (
        "rds.tf",
        65,
        "aws_rds_cluster.app5-rds-cluster",
        "WA-SEC08-AURORA-ENCRYPTION",
        "cluster storage not encrypted",
    ),
    (
        "rds.tf",
        81,
        "aws_rds_cluster.app6-rds-cluster",
        "WA-SEC08-AURORA-ENCRYPTION",
        "cluster storage not encrypted",
    ),
    (
        "rds.tf",
        97,
        "aws_rds_cluster.app7-rds-cluster",
        "WA-SEC08-AURORA-ENCRYPTION",
        "cluster storage not encrypted",
    ),
    (
        "rds.tf",
        113,
        "aws_rds_cluster.app8-rds-cluster",
        "WA-SEC08-AURORA-ENCRYPTION",
        "cluster storage not encrypted",
    ),
    (
        "rds.tf",
        130,
        "aws_rds_cluster.app9-rds-cluster",
        "WA-SEC08-AURORA-ENCRYPTION",
        "cluster storage not encrypted",
    ),
    (
        "s3.tf",
        1,
        "aws_s3_bucket.data",
        "WA-SEC04-S3-ACCESS-LOGGING",
        "\"bucket does not have access logs\"",
    ),
    (
        "s3.tf",
        42,
        "aws_s3_bucket.financials",
        "WA-SEC04-S3-ACCESS-LOGGING",
        "\"bucket does not have access logs\"",
    ),
    (
        "s3.tf",
        65,
        "aws_s3_bucket.operations",
        "WA-SEC04-S3-ACCESS-LOGGING",
        "\"bucket does not have access logs\"",
    ),
];

const NOT_YET_COVERED: &[Entry] = &[
    ("db-app.tf", 243, "aws_instance.db_app", "WA-SEC02-EC2-USERDATA-SECRETS", "\"ec2 have plain text secrets in user data\": DB_PASSWORD from var.password's literal default (the rule does not follow variables into heredoc user data yet)"),
    ("db-app.tf", 1, "aws_db_instance.default", "WA-SEC04-MULTI-DB-AUDIT-LOGS", "no enabled_cloudwatch_logs_exports (P1 low, not in the first release)"),
    ("ec2.tf", 53, "aws_ebs_snapshot.example_snapshot", "WA-SEC08-MULTI-SNAPSHOT-ENCRYPTION", "\"ebs snapshot without encryption\" (P2)"),
    ("eks.tf", 118, "aws_eks_cluster.eks_cluster", "WA-SEC04-EKS-CONTROL-PLANE-LOGS", "no enabled_cluster_log_types (P1 low)"),
    ("iam.tf", 25, "aws_iam_user_policy.userpolicy", "WA-SEC03-IAM-USER-DIRECT-POLICY", "inline policy attached to a user (P1 low)"),
    ("neptune.tf", 1, "aws_neptune_cluster.default", "WA-SEC04-MULTI-DB-AUDIT-LOGS", "no audit log export (P1 low)"),
    ("s3.tf", 1, "aws_s3_bucket.data", "WA-SEC08-S3-VERSIONING-LOCK", "\"bucket does not have versioning\" (P1 low)"),
    ("s3.tf", 42, "aws_s3_bucket.financials", "WA-SEC08-S3-VERSIONING-LOCK", "\"bucket does not have versioning\" (P1 low)"),
];

const NOT_A_FINDING: &[Entry] = &[
    ("s3.tf", 1, "aws_s3_bucket.data", "WA-SEC08-S3-ENCRYPTION", "\"bucket is not encrypted\": absent = SSE-S3, the default for every bucket since 5 Jan 2023 (catalog §1.3 PASS)"),
    ("s3.tf", 42, "aws_s3_bucket.financials", "WA-SEC08-S3-ENCRYPTION", "\"bucket is not encrypted\": SSE-S3 default"),
    ("s3.tf", 65, "aws_s3_bucket.operations", "WA-SEC08-S3-ENCRYPTION", "\"bucket is not encrypted\": SSE-S3 default"),
    ("s3.tf", 89, "aws_s3_bucket.data_science", "WA-SEC08-S3-ENCRYPTION", "\"bucket is not encrypted\": SSE-S3 default"),
    ("s3.tf", 1, "aws_s3_bucket.data", "WA-SEC08-S3-PUBLIC-ACCESS-BLOCK", "\"bucket is public\": no ACL or policy grants public access; new buckets block public access by default since April 2023"),
];

fn terragoat() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/terragoat");
    assert!(
        path.exists(),
        "the shared corpus is expected next to the checkout: {}",
        path.display()
    );
    path
}

/// The scan's findings as `(rule, path, address, line, status)`.
fn findings() -> Vec<(String, String, String, u64, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_wa-lint"))
        .args(["--format", "json", "--no-config"])
        .arg(terragoat())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_owned(),
                f["location"]["path"].as_str().unwrap().to_owned(),
                f["address"].as_str().unwrap().to_owned(),
                f["location"]["start_line"].as_u64().unwrap(),
                f["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn reported(
    findings: &[(String, String, String, u64, String)],
    (file, line, address, rule, _): &Entry,
) -> bool {
    let path = format!("terraform/aws/{file}");
    findings
        .iter()
        .any(|(r, p, a, l, s)| r == rule && *p == path && a == address && l == line && s == "fail")
}

#[test]
fn terragoat_deliberate_misconfigurations_are_reported() {
    let findings = findings();
    let missing: Vec<String> = COVERED
        .iter()
        .filter(|e| !reported(&findings, e))
        .map(|(file, line, address, rule, what)| {
            let near: Vec<String> = findings
                .iter()
                .filter(|(r, _, a, _, _)| r == rule && a == address)
                .map(|(_, p, _, l, s)| format!("{s} at {p}:{l}"))
                .collect();
            format!("{file}:{line} {address} {rule} ({what}); reported: {near:?}")
        })
        .collect();

    println!("NOT_YET_COVERED ({}):", NOT_YET_COVERED.len());
    for e @ (file, line, address, rule, what) in NOT_YET_COVERED {
        let now = if reported(&findings, e) {
            "  <- now reported: move it to COVERED"
        } else {
            ""
        };
        println!("  {file}:{line} {address} {rule}: {what}{now}");
    }
    println!("NOT_A_FINDING ({}):", NOT_A_FINDING.len());
    for (file, line, address, rule, why) in NOT_A_FINDING {
        println!("  {file}:{line} {address} {rule}: {why}");
    }
    assert!(
        missing.is_empty(),
        "{} of {} planted misconfigurations not reported:\n{}",
        missing.len(),
        COVERED.len(),
        missing.join("\n")
    );
}

/// The lists name real resources at real lines of the corpus, so a typo cannot hide an entry.
#[test]
fn every_entry_points_at_its_resource_in_the_file() {
    let dir = terragoat().join("terraform/aws");
    for (file, line, address, rule, _) in COVERED.iter().chain(NOT_YET_COVERED).chain(NOT_A_FINDING)
    {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let (rtype, name) = address.split_once('.').unwrap();
        let header = text
            .lines()
            .position(|l| {
                l.starts_with("resource") && l.contains(rtype) && l.contains(&format!("\"{name}\""))
            })
            .unwrap_or_else(|| panic!("{file}: no resource {address}"));
        let header = header as u64 + 1;
        assert!(
            *line >= header && *line < header + 60,
            "{file}:{line} is not inside {address} (header at line {header}) for {rule}"
        );
        assert!(rule.starts_with("WA-SEC"), "{rule}");
    }
}
