# METADATA
# title: Role trusts a web-identity provider without pinning the subject
# description: |
#   What it checks: role trust policies that let a web-identity (OIDC) provider assume the role
#   (Principal Federated, sts:AssumeRoleWithWebIdentity) must constrain who, at that provider, may
#   do so. For CI and workload providers — GitHub Actions (token.actions.githubusercontent.com),
#   GitLab, Terraform Cloud (app.terraform.io), Bitbucket, CircleCI, EKS IRSA (oidc.eks.*) and any
#   other OIDC provider ARN — an Allow needs a StringEquals/StringLike condition on
#   "<provider>:sub" whose values do not start with a wildcard after the provider's prefix ("*",
#   "repo:*", "system:serviceaccount:*", "organization:*" fail; "repo:my-org/*" pins the
#   organization and passes). Amazon Cognito identity pools (cognito-identity.amazonaws.com) need
#   "cognito-identity.amazonaws.com:aud" instead, as do the legacy social providers
#   (accounts.google.com, graph.facebook.com, www.amazon.com) with "<provider>:aud". SAML
#   providers are not judged. When Federated is computed from an IAM OIDC provider resource of
#   the unit (AWS::IAM::OIDCProvider / aws_iam_openid_connect_provider, catalog G20) its Url gives
#   the provider and the provider resource is reported as related; otherwise an unknown
#   provider gives unknown unless a pinned ":sub" condition is present anyway.
#   Why it matters: a GitHub OIDC trust without a sub condition lets every repository on
#   github.com — anyone's — obtain credentials for the role; an EKS trust without it lets every
#   service account of the cluster do so (SEC02-BP02, SEC03-BP02).
#   Bad (CloudFormation): Principal: {Federated: !Ref GithubOidc}, Action:
#   sts:AssumeRoleWithWebIdentity, Condition: {StringEquals:
#   {token.actions.githubusercontent.com:aud: sts.amazonaws.com}}
#   Bad (Terraform): condition { test = "StringLike", variable =
#   "token.actions.githubusercontent.com:sub", values = ["repo:*"] }
#   Good: StringLike {token.actions.githubusercontent.com:sub: "repo:my-org/my-repo:ref:refs/heads/main"}
#   References: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub
#   https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
#   https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
#   https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
# custom:
#   id: WA-SEC02-IAM-OIDC-TRUST-UNSCOPED
#   severity: critical
#   best_practices: [SEC02-BP02, SEC03-BP02]
#   resource_types: [AWS::IAM::Role, aws_iam_role]
#   recommended_action: Add a StringEquals or StringLike condition on "<provider>:sub" that names your organization and repository (or namespace and service account), and "<provider>:aud".
package walint.rules.iam_oidc_trust_unscoped

import rego.v1

import data.walint.lib
import data.walint.lib.iam
import data.walint.lib.policy

aud_only_hosts := {"cognito-identity.amazonaws.com", "accounts.google.com", "graph.facebook.com", "www.amazon.com"}

provider_types := {"AWS::IAM::OIDCProvider", "aws_iam_openid_connect_provider"}

# Federated principals of Allow statements of trust policies: {"address", "stmt", "spath", "ppath", "value"}.
federated contains f if {
	some s in data.walint.lib.policy.trust_allow
	some p in policy.principals(s.stmt, s.path)
	p.type == "Federated"
	not saml(p.value)
	f := {"address": s.address, "stmt": s.stmt, "spath": s.path, "ppath": p.path, "value": p.value}
}

saml(v) if {
	is_string(v)
	contains(v, ":saml-provider/")
}

# host(v): the provider host named by a Federated value (ARN or bare host), lower case.
host(v) := lib.lower_of(parts[count(parts) - 1]) if {
	is_string(v)
	contains(v, "oidc-provider/")
	parts := split(v, "oidc-provider/")
} else := lib.lower_of(v) if {
	is_string(v)
	not contains(v, "arn:")
}

# OIDC provider resources of the unit the role refers to (directly, or through the policy
# document data source it uses).
providers(a) := {p |
	some ref in object.get(lib.resource(a), "refs", [])
	lib.resource(ref.to).type in provider_types
	p := ref.to
} | {p |
	some ref in object.get(lib.resource(a), "refs", [])
	lib.resource(ref.to).mode == "data"
	some r2 in object.get(lib.resource(ref.to), "refs", [])
	lib.resource(r2.to).type in provider_types
	p := r2.to
}

provider_host(p) := lib.lower_of(trim_prefix(u, "https://")) if {
	attrs := lib.resource(p).attrs
	u := object.get(attrs, "Url", object.get(attrs, "url", null))
	is_string(u)
}

# The hosts of a Federated principal with the related provider resources: [host, related].
hosts(f) := {[host(f.value), []]} if {
	host(f.value)
} else := {[h, [{"address": p, "path": []}]] |
	some p in providers(f.address)
	h := provider_host(p)
}

required_key(h) := concat(":", [h, "aud"]) if h in aud_only_hosts

required_key(h) := concat(":", [h, "sub"]) if not h in aud_only_hosts

# pinned(stmt, key): a positive condition on `key` whose values all name something specific
# (a value computed from a resource of the unit, e.g. an identity pool ID, counts as specific).
pinned(stmt, key) if {
	c := policy.condition_keys(stmt)[key]
	count(c.values) > 0
	every v in c.values {
		specific_or_unknown(v)
	}
	not unknown_values(stmt, key)
}

pinned_with_unknowns(f, key) if {
	c := policy.condition_keys(f.stmt)[key]
	count(c.values) > 0
	every v in c.values {
		specific_or_unknown(v)
	}
	unknown_values(f.stmt, key)
	not computed_from_unit(f, key)
}

specific_or_unknown(v) if specific(v)

specific_or_unknown(v) if lib.is_unknown(v)

unknown_values(stmt, key) if {
	some v in policy.condition_keys(stmt)[key].values
	lib.is_unknown(v)
}

# computed_from_unit(f, key): the role refers to a resource of the unit inside the condition.
computed_from_unit(f, key) if {
	path := condition_path(f, key)
	some ref in object.get(lib.resource(f.address), "refs", [])
	count(ref.at) >= count(path)
	array.slice(ref.at, 0, count(path)) == path
}

pinned_ok(f, key) if pinned(f.stmt, key)

pinned_ok(f, key) if {
	not pinned(f.stmt, key)
	not wildcard_value(f.stmt, key)
	computed_from_unit(f, key)
}

specific(v) if {
	is_string(v)
	rest := strip_prefix(v)
	rest != ""
	not startswith(rest, "*")
	not startswith(rest, "?")
}

strip_prefix(v) := substring(v, count(p), -1) if {
	some p in ["repo:", "project_path:", "system:serviceaccount:", "organization:", "project:"]
	startswith(v, p)
} else := v

# A wildcarded value for messages: the first one (a function must have one value; several
# wildcarded values, e.g. ["*", "repo:*"], were a rule error).
wildcard_value(stmt, key) := vs[0] if {
	c := policy.condition_keys(stmt)[key]
	vs := [v | some v in c.values; not specific(v); not lib.is_unknown(v)]
	count(vs) > 0
}

deny contains r if {
	some f in federated
	not policy.condition_unknown(f.stmt)
	some [h, related] in hosts(f)
	key := required_key(h)
	not policy.condition_keys(f.stmt)[key]
	r := lib.result_related(f.address, f.ppath, sprintf("the role trusts the web-identity provider %s without a condition on %s: any identity of that provider (for GitHub: any repository) can assume it", [h, key]), related)
}

deny contains r if {
	some f in federated
	not policy.condition_unknown(f.stmt)
	some [h, related] in hosts(f)
	key := required_key(h)
	policy.condition_keys(f.stmt)[key]
	not pinned_ok(f, key)
	v := wildcard_value(f.stmt, key)
	r := lib.result_related(f.address, condition_path(f, key), sprintf("the condition on %s allows %s: any identity of the provider %s matching it can assume the role", [key, lib.show(v), h]), related)
}

unknown contains r if {
	some f in federated
	not policy.condition_unknown(f.stmt)
	some [h, related] in hosts(f)
	key := required_key(h)
	pinned_with_unknowns(f, key)
	r := lib.result_related(f.address, condition_path(f, key), sprintf("a value of the condition on %s is not known statically: whether it pins the subject cannot be judged", [key]), related)
}

unknown contains r if {
	some f in federated
	policy.condition_unknown(f.stmt)
	r := lib.result(f.address, array.concat(f.spath, ["Condition"]), "the Condition of a web-identity trust statement is not known statically")
}

unknown contains r if {
	some f in federated
	not policy.condition_unknown(f.stmt)
	count(hosts(f)) == 0
	not pinned_sub_anyway(f.stmt)
	r := lib.result(f.address, f.ppath, sprintf("the Federated principal is not known statically (%s): whether its subject is pinned cannot be judged", [reason(f.value)]))
}

pinned_sub_anyway(stmt) if {
	some k, _ in policy.condition_keys(stmt)
	endswith(k, ":sub")
	pinned(stmt, k)
}

reason(v) := lib.unknown_reason(v) if lib.is_unknown(v)

reason(v) := sprintf("%s names no provider host", [lib.show(v)]) if not lib.is_unknown(v)

# condition_path(f, key): the path of the condition entry on `key` (lower case) in a statement;
# the first in sorted order when the key is written under several operators or in several cases.
condition_path(f, key) := paths[0] if {
	paths := sort([array.concat(f.spath, ["Condition", op, k]) |
		some op, block in lib.iter(f.stmt.Condition)
		is_object(block)
		some k, _ in block
		lib.lower_of(k) == key
	])
	count(paths) > 0
} else := array.concat(f.spath, ["Condition"])
