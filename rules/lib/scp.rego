# Service control policy (SCP) views for the "required guardrail" rules (catalog §2.1, G16).
#
# `scps` lists {"address", "path", "content"} sorted by address: every AWS::Organizations::Policy
# with Type SERVICE_CONTROL_POLICY (path ["Content"]) and every aws_organizations_policy whose
# `type` is absent or SERVICE_CONTROL_POLICY (path ["content"]). Attachments (TargetIds,
# aws_organizations_policy_attachment) are not followed yet: all SCPs of the unit are evaluated
# together, as if attached to the same target.
#
# `covered(action)` holds when some Deny statement of some SCP covers the action: its Action
# matches it (IAM wildcards, case-insensitive) or its NotAction does not exclude it; its Resource
# is "*" (or absent) with no NotResource; and any Condition only exempts principals (negated
# String/Arn operators on aws:Principal* keys), never narrows the deny to some requests.
package walint.lib.scp

import rego.v1

import data.walint.lib
import data.walint.lib.iam

scp_type := "SERVICE_CONTROL_POLICY"

scp_records contains {"address": address, "path": ["Content"], "content": attrs.Content} if {
	some address in lib.resources_of("AWS::Organizations::Policy")
	attrs := lib.resource(address).attrs
	attrs.Type == scp_type
}

scp_records contains {"address": address, "path": ["content"], "content": object.get(attrs, "content", null)} if {
	some address in lib.resources_of("aws_organizations_policy")
	attrs := lib.resource(address).attrs
	object.get(attrs, "type", scp_type) == scp_type
}

# scps: the SCP records sorted by address.
scps := [rec |
	some address in sort({r.address | some r in scp_records})
	some rec in scp_records
	rec.address == address
]

# Organizations policies whose type is not known statically: they may be SCPs.
type_unknown contains address if {
	some address in lib.resources_of("AWS::Organizations::Policy")
	lib.is_unknown(lib.resource(address).attrs.Type)
}

type_unknown contains address if {
	some address in lib.resources_of("aws_organizations_policy")
	lib.is_unknown(lib.resource(address).attrs.type)
}

# deny_statements: the known Deny statements of every SCP.
deny_statements contains s.stmt if {
	some rec in scp_records
	some s in iam.statements({"path": rec.path, "doc": rec.content})
	s.stmt.Effect == "Deny"
}

covered(action) if {
	some stmt in deny_statements
	action_covered(stmt, action)
	resource_all(stmt)
	condition_exempts_only(stmt)
}

action_covered(stmt, action) if {
	some p in lib.as_list(stmt.Action)
	iam.action_matches(p, action)
}

action_covered(stmt, action) if {
	lib.present(stmt, "NotAction")
	not lib.has(stmt, "Action")
	not_action := lib.as_list(stmt.NotAction)
	not unknown_in(not_action)
	not excluded(not_action, action)
}

excluded(not_action, action) if {
	some p in not_action
	iam.action_matches(p, action)
}

unknown_in(values) if {
	some v in values
	lib.is_unknown(v)
}

resource_all(stmt) if {
	not lib.present(stmt, "Resource")
	not lib.present(stmt, "NotResource")
}

resource_all(stmt) if {
	some v in lib.as_list(stmt.Resource)
	v == "*"
	not lib.present(stmt, "NotResource")
}

condition_exempts_only(stmt) if not lib.present(stmt, "Condition")

condition_exempts_only(stmt) if {
	is_object(stmt.Condition)
	every op, kv in stmt.Condition {
		regex.match(`^(string|arn)not(equals|like)(ignorecase)?(ifexists)?$`, lower(op))
		is_object(kv)
		every key, _ in kv {
			startswith(lower(key), "aws:principal")
		}
	}
}

# uncertain(rec): some part of the SCP that could hold a covering statement is not known.
uncertain(rec) if lib.is_unknown(rec.content)

uncertain(rec) if not is_object(rec.content)

uncertain(rec) if lib.is_unknown(rec.content.Statement)

uncertain(rec) if {
	some u in iam.unknown_statements({"path": rec.path, "doc": rec.content})
	u
}

uncertain(rec) if {
	some s in iam.statements({"path": rec.path, "doc": rec.content})
	some key in ["Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"]
	field_unknown(s.stmt, key)
}

field_unknown(stmt, key) if lib.is_unknown(stmt[key])

field_unknown(stmt, key) if {
	is_array(stmt[key])
	unknown_in(stmt[key])
}

# uncertain_addresses: SCPs (or possible SCPs) whose content is not fully known.
uncertain_addresses contains rec.address if {
	some rec in scp_records
	uncertain(rec)
}

uncertain_addresses contains address if some address in type_unknown

# missing(actions): the required actions no known SCP statement denies.
missing(actions) := [a | some a in actions; not covered(a)]

# report(actions) is {"first", "missing", "related"}: the SCP to report on (first by address),
# the uncovered actions and the other SCPs as related places. Undefined when the unit has no
# SCP or every action is covered; rules turn it into `unknown` when `uncertain_addresses` is
# not empty, else into `deny`.
report(actions) := {"first": scps[0], "missing": m, "related": [{"address": rec.address, "path": rec.path} | some rec in array.slice(scps, 1, count(scps))]} if {
	count(scps) > 0
	m := missing(actions)
	count(m) > 0
}

# deny_message(rep): "no service control policy of this unit denies a, b (2 SCPs checked)".
deny_message(rep) := sprintf("no service control policy of this unit denies %s (%s checked)", [concat(", ", rep.missing), scp_count])

# unknown_message(rep): the same when some SCP content is not known statically.
unknown_message(rep) := sprintf("no service control policy of this unit is known to deny %s (%s checked; not known statically: %s)", [concat(", ", rep.missing), scp_count, concat(", ", sort(uncertain_addresses))])

scp_count := "1 SCP" if count(scps) == 1

scp_count := sprintf("%d SCPs", [count(scps)]) if count(scps) != 1

# ---------------------------------------------------------------------------------------------
# Attachments and the effective guardrail set per target (catalog G16).
#
# `attachments` lists {"policy", "target", "label", "address", "path"}: SCP `policy` is attached
# to `target` at (`address`, `path`) — CloudFormation AWS::Organizations::Policy.TargetIds[i],
# Terraform aws_organizations_policy_attachment.target_id (its policy_id must reference an SCP
# of the unit). A target is the address of the resource the attribute references (the
# organization for `roots[0].id` / `!GetAtt Org.RootId`, an OU, an account), else the literal
# id (`r-…`, `ou-…`, an account id), else a key naming the place when it is not known.
#
# The OU tree comes from AWS::Organizations::OrganizationalUnit.ParentId,
# AWS::Organizations::Account.ParentIds[], aws_organizations_organizational_unit.parent_id and
# aws_organizations_account.parent_id (at most 5 OU levels under the root, as Organizations
# allows). The SCPs that apply to a target are those attached to it or to an ancestor.
#
# `views` is what the required-guardrail rules evaluate: with no visible attachment, one view of
# every SCP of the unit (scope "of this unit"); else one view per attached target (scope
# "attached to <target>"). Each view is {"key", "scope", "scps" (sorted addresses), "address",
# "path" (where to report), "related" (the other places), "checked" (for messages),
# "uncertain" (sorted addresses of SCPs whose content is not known)}.
# ---------------------------------------------------------------------------------------------

# edge_targets(from, path): addresses referenced by the attribute at `path` of resource `from`.
edge_targets(from, path) := {e.to |
	some e in object.get(lib.resource(from), "refs", [])
	e.at == path
	e.kind != "depends-on"
}

# target_key(from, path, v): the target named by value `v` at (`from`, `path`).
target_key(from, path, v) := min(ts) if {
	ts := edge_targets(from, path)
	count(ts) > 0
} else := v if {
	is_string(v)
} else := sprintf("%s %v", [from, path])

# target_label(key): how messages name a target.
target_label(key) := key if lib.has(input.resources, key)

target_label(key) := key if {
	not lib.has(input.resources, key)
	regex.match(`^(r-|ou-|[0-9]{12}$)`, key)
}

target_label(key) := "a target not known statically" if {
	not lib.has(input.resources, key)
	not regex.match(`^(r-|ou-|[0-9]{12}$)`, key)
}

attachments contains a if {
	some rec in scp_records
	rec.path == ["Content"]
	ids := lib.resource(rec.address).attrs.TargetIds
	is_array(ids)
	some i, v in ids
	a := {"policy": rec.address, "target": target_key(rec.address, ["TargetIds", i], v), "address": rec.address, "path": ["TargetIds", i]}
}

attachments contains a if {
	some rec in scp_records
	rec.path == ["Content"]
	ids := lib.resource(rec.address).attrs.TargetIds
	lib.is_unknown(ids)
	a := {"policy": rec.address, "target": sprintf("%s TargetIds", [rec.address]), "address": rec.address, "path": ["TargetIds"]}
}

attachments contains a if {
	some address in lib.resources_of("aws_organizations_policy_attachment")
	attrs := lib.resource(address).attrs
	some policy in edge_targets(address, ["policy_id"])
	some rec in scp_records
	rec.address == policy
	a := {"policy": policy, "target": target_key(address, ["target_id"], object.get(attrs, "target_id", null)), "address": address, "path": ["target_id"]}
}

parent_links contains [address, target_key(address, ["ParentId"], attrs.ParentId)] if {
	some address in lib.resources_of("AWS::Organizations::OrganizationalUnit")
	attrs := lib.resource(address).attrs
	lib.present(attrs, "ParentId")
}

parent_links contains [address, target_key(address, ["ParentIds", i], v)] if {
	some address in lib.resources_of("AWS::Organizations::Account")
	ids := lib.resource(address).attrs.ParentIds
	is_array(ids)
	some i, v in ids
}

parent_links contains [address, target_key(address, ["parent_id"], attrs.parent_id)] if {
	some t in ["aws_organizations_organizational_unit", "aws_organizations_account"]
	some address in lib.resources_of(t)
	attrs := lib.resource(address).attrs
	lib.present(attrs, "parent_id")
}

up(keys) := {p | some k in keys; some link in parent_links; link[0] == k; p := link[1]}

# ancestors(key): the key itself and its parents, up to the root (6 levels).
ancestors(key) := l0 | l1 | l2 | l3 | l4 | l5 | l6 if {
	l0 := {key}
	l1 := up(l0)
	l2 := up(l1)
	l3 := up(l2)
	l4 := up(l3)
	l5 := up(l4)
	l6 := up(l5)
}

# effective_scps(key): addresses of the SCPs attached to the target or an ancestor.
effective_scps(key) := {a.policy | some a in attachments; a.target in ancestors(key)}

content_path(address) := rec.path if {
	some rec in scp_records
	rec.address == address
}

uncertain_of(addresses) := sort([a | some a in uncertain_addresses; a in addresses]) if count(type_unknown) == 0

uncertain_of(addresses) := sort({a | some a in uncertain_addresses; a in addresses} | type_unknown) if count(type_unknown) > 0

views := [unit_view] if {
	count(attachments) == 0
	count(scps) > 0
}

views := [target_view(t) | some t in sort({a.target | some a in attachments})] if count(attachments) > 0

unit_view := {
	"key": "",
	"scope": "of this unit",
	"scps": [rec.address | some rec in scps],
	"address": scps[0].address,
	"path": scps[0].path,
	"related": [{"address": rec.address, "path": rec.path} | some rec in array.slice(scps, 1, count(scps))],
	"checked": sprintf("%s checked", [scp_count]),
	"uncertain": sort(uncertain_addresses),
}

target_view(t) := v if {
	applied := sort(effective_scps(t))
	direct := sort([[a.address, a.path] | some a in attachments; a.target == t])
	n := count(applied)
	v := {
		"key": t,
		"scope": sprintf("attached to %s", [target_label(t)]),
		"scps": applied,
		"address": direct[0][0],
		"path": direct[0][1],
		"related": array.concat(
			[{"address": d[0], "path": d[1]} | some d in array.slice(direct, 1, count(direct))],
			[{"address": p, "path": content_path(p)} | some p in applied],
		),
		"checked": sprintf("%d SCP%s %s: %s", [n, plural(n), verb_apply(n), concat(", ", applied)]),
		"uncertain": uncertain_of(applied),
	}
}

plural(n) := "" if n == 1

plural(n) := "s" if n != 1

verb_apply(n) := "applies" if n == 1

verb_apply(n) := "apply" if n != 1

# view_denies(v): the known Deny statements of the SCPs of view `v`.
view_denies(v) := {s.stmt |
	some rec in scp_records
	rec.address in v.scps
	some s in iam.statements({"path": rec.path, "doc": rec.content})
	s.stmt.Effect == "Deny"
}

# covered_in(stmts, action): like `covered`, over the given Deny statements.
covered_in(stmts, action) if {
	some stmt in stmts
	action_covered(stmt, action)
	resource_all(stmt)
	condition_exempts_only(stmt)
}

# finding(v, fail_text, unknown_text): one result object {"status", "address", "path",
# "message", "related"} for view `v`: "no service control policy <scope> <fail_text> (<checked>)"
# when every SCP of the view is known, else the unknown form naming the unknown SCPs.
finding(v, fail_text, _) := {
	"status": "fail",
	"address": v.address,
	"path": v.path,
	"message": sprintf("no service control policy %s %s (%s)", [v.scope, fail_text, v.checked]),
	"related": v.related,
} if count(v.uncertain) == 0

finding(v, _, unknown_text) := {
	"status": "unknown",
	"address": v.address,
	"path": v.path,
	"message": sprintf("no service control policy %s %s (%s; not known statically: %s)", [v.scope, unknown_text, v.checked, concat(", ", v.uncertain)]),
	"related": v.related,
} if count(v.uncertain) > 0

# required_findings(actions): per view, the finding listing the actions no Deny covers.
required_findings(actions) := {f |
	some v in views
	stmts := view_denies(v)
	m := [a | some a in actions; not covered_in(stmts, a)]
	count(m) > 0
	f := finding(v, sprintf("denies %s", [concat(", ", m)]), sprintf("is known to deny %s", [concat(", ", m)]))
}

# fails(findings) / unknowns(findings): the findings as `lib.result_related` rows.
fails(findings) := {lib.result_related(f.address, f.path, f.message, f.related) | some f in findings; f.status == "fail"}

unknowns(findings) := {lib.result_related(f.address, f.path, f.message, f.related) | some f in findings; f.status == "unknown"}
