resource "aws_s3_bucket" "trail" {
  bucket = "org-trail-logs"
}

resource "aws_s3_bucket_logging" "trail" {
  bucket        = aws_s3_bucket.trail.id
  target_bucket = "access-logs"
  target_prefix = "trail/"
}

resource "aws_s3_bucket_policy" "trail" {
  bucket = aws_s3_bucket.trail.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = 7
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::org-trail-logs/*"
    }]
  })
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
}
