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
