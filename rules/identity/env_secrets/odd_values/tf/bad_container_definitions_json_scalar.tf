# container_definitions is JSON but not a list: nothing to read there, and the Lambda secret is still reported.
resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = "arn:aws:iam::111122223333:role/fn"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "fn.zip"
  environment {
    variables = {
      API_TOKEN = "tok_live_123456"
    }
  }
}

resource "aws_ecs_task_definition" "t" {
  family                = "t"
  container_definitions = "42"
}
