package walint.lib.secrets_test

import rego.v1

import data.walint.lib.secrets

test_secret_names if {
	secrets.name_looks_secret("DB_PASSWORD")
	secrets.name_looks_secret("stripeApiKey")
	secrets.name_looks_secret("GITHUB_TOKEN")
	not secrets.name_looks_secret("DB_PASSWORD_SECRET_ARN")
	not secrets.name_looks_secret("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT")
	not secrets.name_looks_secret("TOKEN_TTL")
	not secrets.name_looks_secret("STAGE")
}

test_detections if {
	secrets.detections("export AWS_ACCESS_KEY_ID=AKIA2E0A8F3B244C9986") == ["an AWS access key ID"]
	secrets.detections("sample AKIAIOSFODNN7EXAMPLE") == []
	secrets.detections("-----BEGIN RSA PRIVATE KEY-----\nMIIE") == ["a private key"]
	secrets.detections("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY") == ["an AWS secret access key"]
}

test_strings_paths if {
	got := {x.path | some x in secrets.strings({"a": {"b": ["x", {"c": "y"}]}, "n": 1, "u": {"$unknown": "r"}})}
	got == {["a", "b", 0], ["a", "b", 1, "c"]}
}

test_decoded_keeps_text if {
	secrets.decoded("AKIA2E0A8F3B244C9986") == concat("\n", ["AKIA2E0A8F3B244C9986", base64.decode("AKIA2E0A8F3B244C9986")])
	secrets.decoded("plain text") == "plain text"
}

test_credential_path if {
	secrets.credential_path("AWS::RDS::DBInstance", ["MasterUserPassword"])
	secrets.credential_path("AWS::AmazonMQ::Broker", ["Users", 2, "Password"])
	secrets.credential_path("aws_opensearch_domain", ["advanced_security_options", 0, "master_user_options", 0, "master_user_password"])
	not secrets.credential_path("AWS::AmazonMQ::Broker", ["Users", "[]", "Password"])
	not secrets.credential_path("AWS::AmazonMQ::Broker", ["Users", 0])
	not secrets.credential_path("AWS::RDS::DBInstance", ["MasterUsername"])
	not secrets.credential_path("AWS::S3::Bucket", ["MasterUserPassword"])
}

test_secret_parameter_names if {
	secrets.name_looks_secret("DBPassword")
	secrets.name_looks_secret("GitHubOAuthToken")
	not secrets.name_looks_secret("PasswordLength")
	not secrets.name_looks_secret("SecretArn")
	not secrets.name_looks_secret("KeyName")
	not secrets.name_looks_secret("TokenTtl")
	not secrets.name_looks_secret("Auth")
	not secrets.name_looks_secret("http_tokens")
	not secrets.name_looks_secret("EnableAuth")
	secrets.name_looks_secret("auth_token")
	not secrets.name_looks_secret("SecretsManagerSecretForMQ")
}

test_masked_shows_a_short_prefix_only if {
	secrets.masked("AKIA2E0A8F3B244C9986") == "AKIA2E0A****"
	secrets.masked("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY") == "wJal****"
	secrets.masked("hunter2") == "****"
	secrets.masked("") == "****"
	secrets.masked(42) == "****"
	not contains(secrets.masked("AKIA2E0A8F3B244C9986"), "244C9986")
}
