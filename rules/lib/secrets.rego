# Secret detectors shared by the credential rules (catalog §2.2).
#
# - `name_looks_secret(name)`: a key or parameter name that suggests a secret (password,
#   secret, token, api key, private key, credential, auth …).
# - `detections(s)`: the names of the detectors that match string `s`: "an AWS access key ID"
#   ((AKIA|ASIA|…) + 16 characters), "a private key" (PEM header), "an AWS secret access key"
#   (aws_secret_access_key / AWS_SECRET_ACCESS_KEY assigned a 40-character value).
# - `safe_reference(s)`: a CloudFormation dynamic reference to Secrets Manager or SSM
#   SecureString ({{resolve:secretsmanager:…}}, {{resolve:ssm-secure:…}}).
# - `credential_properties` / `credential_path(type, at)`: the password and token properties
#   of managed services, and whether attribute path `at` (with list indexes) is one of them.
# - `masked(s)`: how a message names a detected secret: at most a short prefix, then `****`
#   (`AKIAIOSF****` for an access key ID, `wJal****` for a 40-character secret, `****` for
#   strings of fewer than 16 characters). A message must never carry a detected value in full
#   (docs/security.md); rules that report secrets also set `custom.masks_secrets: true` so the
#   human format masks the source snippet of their findings.
# - `strings(attrs)`: {"path", "value"} for every string up to 5 levels deep in a value (Rego has
#   no recursion; rules fall back to the top-level attribute for deeper strings).
package walint.lib.secrets

import rego.v1

import data.walint.lib

secret_name_re := `(pass(word|wd)?|pwd|secret|token|api[_-]?key|private[_-]?key|credential|auth)`

# Names that match the regex but hold no secret value.
not_secret_name_re := `(arn|_?id$|name$|path$|length|policy|rotation|enabled|type$|expir|url$|uri$|endpoint|authori[sz]ation|auth_?type|authenticat|region|kms|_?key_?id$|^auth_?mode$|port$|_extension_|timeout|ttl$|cache|_?log_?level$|^auth$|http_?tokens|secrets_?manager|^(enable|use|require)_?)`

name_looks_secret(name) if {
	is_string(name)
	regex.match(secret_name_re, lower(name))
	not regex.match(not_secret_name_re, lower(name))
}

access_key_re := `(^|[^A-Z0-9])(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}([^A-Z0-9]|$)`

private_key_re := `-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----`

secret_key_re := `(aws_secret_access_key|AWS_SECRET_ACCESS_KEY)["']?[ \t]*[=:]?[ \t]*["']?[A-Za-z0-9/+]{40}`

detections(s) := array.concat([name |
	some [re, name] in [
		[private_key_re, "a private key"],
		[secret_key_re, "an AWS secret access key"],
	]
	regex.match(re, s)
], [name | access_key_found(s); name := "an AWS access key ID"]) if is_string(s)

# access_key_found(s): an access key ID other than AWS's documentation samples (…EXAMPLE).
access_key_found(s) if {
	regex.match(access_key_re, s)
	some k in regex.find_n(`(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}`, s, -1)
	not endswith(k, "EXAMPLE")
}

# any_detection(v): a detector matches some string inside `v` (a fast pre-filter).
any_detection(v) if {
	text := json.marshal(v)
	count(detections(text)) > 0
}

# masked(s): see the header. Access key IDs keep their 4-character type prefix and 4 more
# characters (the ID is not the secret, and the prefix tells AKIA from ASIA).
masked(s) := concat("", [substring(s, 0, 8), "****"]) if {
	is_string(s)
	regex.match(`^(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}$`, s)
} else := concat("", [substring(s, 0, 4), "****"]) if {
	is_string(s)
	count(s) >= 16
} else := "****"

safe_reference(s) if {
	is_string(s)
	regex.match(`^\{\{resolve:(secretsmanager|ssm-secure):`, s)
}

coll(v) if {
	is_object(v)
	not lib.is_unknown(v)
}

coll(v) if is_array(v)

strings(v) := array.concat(array.concat(array.concat(level1(v), level2(v)), array.concat(level3(v), level4(v))), level5(v)) if coll(v)

level1(v) := [x |
	va := v[a]
	is_string(va)
	x := {"path": [a], "value": va}
]

level2(v) := [x |
	va := v[a]
	coll(va)
	vb := va[b]
	is_string(vb)
	x := {"path": [a, b], "value": vb}
]

level3(v) := [x |
	va := v[a]
	coll(va)
	vb := va[b]
	coll(vb)
	vc := vb[c]
	is_string(vc)
	x := {"path": [a, b, c], "value": vc}
]

level4(v) := [x |
	va := v[a]
	coll(va)
	vb := va[b]
	coll(vb)
	vc := vb[c]
	coll(vc)
	vd := vc[d]
	is_string(vd)
	x := {"path": [a, b, c, d], "value": vd}
]

level5(v) := [x |
	va := v[a]
	coll(va)
	vb := va[b]
	coll(vb)
	vc := vb[c]
	coll(vc)
	vd := vc[d]
	coll(vd)
	ve := vd[e]
	is_string(ve)
	x := {"path": [a, b, c, d, e], "value": ve}
]

# decoded(s): `s`, followed by its base64 decoding when it is base64 text (CloudFormation
# Fn::Base64 user data), so detectors see both.
decoded(s) := concat("\n", [s, base64.decode(s)]) if {
	regex.match(`^[A-Za-z0-9+/]{8,}={0,2}$`, s)
	base64.is_valid(s)
} else := s

# credential_properties: paths of the password and token properties of managed services, per
# native type; "[]" stands for every element of a list (catalog WA-SEC02-MULTI-PLAINTEXT-PASSWORD).
credential_properties := {
	"AWS::RDS::DBInstance": [["MasterUserPassword"]],
	"AWS::RDS::DBCluster": [["MasterUserPassword"]],
	"AWS::Redshift::Cluster": [["MasterUserPassword"]],
	"AWS::DocDB::DBCluster": [["MasterUserPassword"]],
	"AWS::DMS::Endpoint": [["Password"]],
	"AWS::DirectoryService::MicrosoftAD": [["Password"]],
	"AWS::DirectoryService::SimpleAD": [["Password"]],
	"AWS::AmazonMQ::Broker": [["Users", "[]", "Password"]],
	"AWS::ElastiCache::ReplicationGroup": [["AuthToken"]],
	"AWS::OpenSearchService::Domain": [["AdvancedSecurityOptions", "MasterUserOptions", "MasterUserPassword"]],
	"AWS::IAM::User": [["LoginProfile", "Password"]],
	"aws_db_instance": [["password"]],
	"aws_rds_cluster": [["master_password"]],
	"aws_redshift_cluster": [["master_password"]],
	"aws_docdb_cluster": [["master_password"]],
	"aws_dms_endpoint": [["password"]],
	"aws_directory_service_directory": [["password"]],
	"aws_mq_broker": [["user", "[]", "password"]],
	"aws_elasticache_replication_group": [["auth_token"]],
	"aws_opensearch_domain": [["advanced_security_options", "[]", "master_user_options", "[]", "master_user_password"]],
}

# credential_path(rtype, at): attribute path `at` of a resource of type `rtype` is a credential
# property ("[]" in the table matches any list index).
credential_path(rtype, at) if {
	some pattern in object.get(credential_properties, rtype, [])
	count(pattern) == count(at)
	every i, seg in pattern {
		seg_matches(seg, at[i])
	}
}

seg_matches("[]", x) if is_number(x)

seg_matches(seg, x) if {
	seg != "[]"
	seg == x
}
