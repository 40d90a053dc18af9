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
