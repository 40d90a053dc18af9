resource "aws_organizations_organization" "org" {
  feature_set = "ALL"
}

resource "aws_organizations_organizational_unit" "workloads" {
  name      = "workloads"
  parent_id = aws_organizations_organization.org.roots[0].id
}

resource "aws_organizations_organizational_unit" "sandbox" {
  name      = "sandbox"
  parent_id = aws_organizations_organization.org.roots[0].id
}

resource "aws_organizations_policy" "baseline" {
  name = "baseline"
  content = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "organizations:LeaveOrganization", Resource = "*" }]
  })
}

resource "aws_organizations_policy" "regions" {
  name = "regions"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      NotAction = ["iam:*", "sts:*", "organizations:*"]
      Resource  = "*"
      Condition = [1, "a", {}]
    }]
  })
}

resource "aws_organizations_policy_attachment" "baseline_workloads" {
  policy_id = aws_organizations_policy.baseline.id
  target_id = aws_organizations_organizational_unit.workloads.id
}

resource "aws_organizations_policy_attachment" "regions_sandbox" {
  policy_id = aws_organizations_policy.regions.id
  target_id = aws_organizations_organizational_unit.sandbox.id
}
