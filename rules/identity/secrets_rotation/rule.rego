# METADATA
# title: Secrets Manager secret is not rotated
# description: |
#   What it checks: every Secrets Manager secret must have a rotation schedule that rotates it at
#   least every 90 days (catalog G13). The schedule is found through the graph:
#   AWS::SecretsManager::RotationSchedule.SecretId → AWS::SecretsManager::Secret (CloudFormation),
#   aws_secretsmanager_secret_rotation.secret_id → aws_secretsmanager_secret (Terraform). A
#   secret without one fails (absent means never rotated); a schedule whose
#   AutomaticallyAfterDays / automatically_after_days, or ScheduleExpression rate(N days), exceeds
#   90 fails at the schedule. Secrets tagged rotation = exempt are skipped. When a schedule of the
#   unit names a secret that cannot be resolved, unrotated secrets give unknown.
#   Why it matters: a credential that never changes stays usable for as long as anyone who ever
#   saw it — a former employee, a leaked log, a copied .env file — keeps it (SEC02-BP05).
#   Bad (CloudFormation): AWS::SecretsManager::Secret with no AWS::SecretsManager::RotationSchedule
#   Bad (Terraform): aws_secretsmanager_secret_rotation { rotation_rules {
#   automatically_after_days = 365 } }
#   Good: a rotation schedule with RotationRules: {AutomaticallyAfterDays: 30} and a rotation
#   Lambda (RotationLambdaARN / HostedRotationLambda / rotation_lambda_arn)
#   References: https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-secretsmanager-rotationschedule.html
#   https://docs.aws.amazon.com/config/latest/developerguide/secretsmanager-rotation-enabled-check.html
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/secretsmanager_secret_rotation
# custom:
#   id: WA-SEC02-SECRETS-ROTATION
#   severity: medium
#   best_practices: [SEC02-BP05]
#   resource_types: [AWS::SecretsManager::Secret, AWS::SecretsManager::RotationSchedule, aws_secretsmanager_secret, aws_secretsmanager_secret_rotation]
#   recommended_action: Add a rotation schedule (AWS::SecretsManager::RotationSchedule / aws_secretsmanager_secret_rotation) that rotates the secret at most every 90 days.
package walint.rules.secrets_rotation

import rego.v1

import data.walint.lib

max_days := 90

# [secret type, schedule type, secret key of the schedule, rules key, days key, expression key]
targets := [
	["AWS::SecretsManager::Secret", "AWS::SecretsManager::RotationSchedule", "SecretId", "RotationRules", "AutomaticallyAfterDays", "ScheduleExpression"],
	["aws_secretsmanager_secret", "aws_secretsmanager_secret_rotation", "secret_id", "rotation_rules", "automatically_after_days", "schedule_expression"],
]

exempt(attrs) if {
	some tag in lib.iter(object.get(attrs, "Tags", []))
	lib.lower_of(lib.get(tag, "Key", "")) == "rotation"
	lib.lower_of(lib.get(tag, "Value", "")) == "exempt"
}

exempt(attrs) if {
	tags := object.get(attrs, "tags", {})
	is_object(tags)
	some k, v in tags
	lib.lower_of(k) == "rotation"
	is_string(v)
	lib.lower_of(v) == "exempt"
}

schedules(a, t) := {ref.from |
	some ref in object.get(lib.resource(a), "referrers", [])
	ref.at[0] == t[2]
	lib.resource(ref.from).type == t[1]
}

# A schedule of the unit whose secret is not one of the unit's secrets.
dangling(t) := {s | some s in lib.managed_of(t[1]); not resolves(s, t)}

resolves(s, t) if {
	some ref in object.get(lib.resource(s), "refs", [])
	ref.at[0] == t[2]
	lib.resource(ref.to).type == t[0]
}

deny contains r if {
	some t in targets
	some a in lib.managed_of(t[0])
	not exempt(lib.resource(a).attrs)
	count(schedules(a, t)) == 0
	count(dangling(t)) == 0
	r := lib.result(a, [], sprintf("no %s references this secret: it is never rotated", [t[1]]))
}

unknown contains r if {
	some t in targets
	some a in lib.managed_of(t[0])
	not exempt(lib.resource(a).attrs)
	count(schedules(a, t)) == 0
	count(dangling(t)) > 0
	related := [{"address": s, "path": [t[2]]} | some s in dangling(t)]
	r := lib.result_related(a, [], sprintf("no %s of this unit resolves to this secret, but one names a secret that cannot be resolved: whether this secret is rotated cannot be verified", [t[1]]), related)
}

# Rotation interval of a schedule: [path, days] (days unknown value or number); undefined when
# neither setting is given.
interval(s, t) := [path, v] if {
	rules := lib.resource(s).attrs[t[3]]
	[base, obj] := rules_obj(rules, t)
	some k in [t[4], t[5]]
	v0 := lib.get(obj, k, null)
	v0 != null
	path := array.concat(base, [k])
	v := days(v0, k == t[5])
}

rules_obj(rules, t) := [[t[3]], rules] if is_object(rules)

rules_obj(rules, t) := [[t[3], 0], rules[0]] if {
	is_array(rules)
	count(rules) > 0
}

days(v, false) := v if lib.is_unknown(v)

days(v, false) := lib.as_int(v)

days(v, true) := v if lib.is_unknown(v)

days(v, true) := to_number(m[1]) if {
	is_string(v)
	m := regex.find_all_string_submatch_n(`^rate\(([0-9]{1,9}) days?\)$`, trim_space(v), 1)[0]
}

days(v, true) := to_number(m[1]) / 24 if {
	is_string(v)
	m := regex.find_all_string_submatch_n(`^rate\(([0-9]{1,9}) hours?\)$`, trim_space(v), 1)[0]
}

deny contains r if {
	some t in targets
	some a in lib.managed_of(t[0])
	some s in schedules(a, t)
	[path, d] := interval(s, t)
	is_number(d)
	d > max_days
	r := lib.result_related(s, path, sprintf("the secret is rotated every %v days, more than the %v-day maximum", [d, max_days]), [{"address": a, "path": []}])
}

unknown contains r if {
	some t in targets
	some a in lib.managed_of(t[0])
	some s in schedules(a, t)
	[path, d] := interval(s, t)
	lib.is_unknown(d)
	r := lib.result_related(s, path, sprintf("the rotation interval is not known statically (%s)", [lib.unknown_reason(d)]), [{"address": a, "path": []}])
}
