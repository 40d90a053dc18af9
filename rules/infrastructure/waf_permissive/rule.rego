# METADATA
# title: WAF web ACL allows everything
# description: |
#   What it checks: web ACLs whose default action is Allow must contain at least one rule that
#   can stop a request. A WAFv2 web ACL (AWS::WAFv2::WebACL, aws_wafv2_web_acl) with
#   DefaultAction Allow / default_action { allow {} } fails when it has no rules, or when every
#   rule only counts (Action Count for a rule, OverrideAction Count for a rule group). A classic
#   WAF web ACL (AWS::WAF::WebACL, AWS::WAFRegional::WebACL, aws_waf_web_acl,
#   aws_wafregional_web_acl) with DefaultAction.Type / default_action.type ALLOW fails when it
#   has no rules. A web ACL whose default action is Block passes.
#   Why it matters: a web ACL that allows everything gives the feeling of protection without
#   any: no common exploit (SQL injection, XSS, Log4j lookups) or known bad input is stopped.
#   The AWS managed rule groups AWSManagedRulesCommonRuleSet and
#   AWSManagedRulesKnownBadInputsRuleSet are the usual baseline (SEC05-BP03).
#   Bad (CloudFormation): AWS::WAFv2::WebACL with DefaultAction: {Allow: {}} and Rules: []
#   Bad (Terraform): aws_wafv2_web_acl with default_action { allow {} } and no rule block
#   Good: a rule with ManagedRuleGroupStatement {VendorName: AWS, Name:
#   AWSManagedRulesCommonRuleSet} and OverrideAction: {None: {}} / override_action { none {} }.
#   References: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-default-action.html
#   https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
#   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-wafv2-webacl.html
# custom:
#   id: WA-SEC05-WAF-PERMISSIVE
#   severity: medium
#   best_practices: [SEC05-BP03]
#   resource_types: [AWS::WAFv2::WebACL, AWS::WAF::WebACL, AWS::WAFRegional::WebACL, aws_wafv2_web_acl, aws_waf_web_acl, aws_wafregional_web_acl]
#   recommended_action: Add blocking rules to the web ACL, at least the AWS managed rule groups AWSManagedRulesCommonRuleSet and AWSManagedRulesKnownBadInputsRuleSet with OverrideAction None, or make Block the default action.
package walint.rules.waf_permissive

import rego.v1

import data.walint.lib

# WAFv2: [type, default-action path, allow key, rules key, action key, override key, count key]
v2 := [
	["AWS::WAFv2::WebACL", ["DefaultAction"], "Allow", "Rules", "Action", "OverrideAction", "Count"],
	["aws_wafv2_web_acl", ["default_action", 0], "allow", "rule", "action", "override_action", "count"],
]

# A block is present: CloudFormation `{}` or a Terraform nested block list `[{}]`.
set_block(v) if is_object(v)

set_block(v) if {
	is_array(v)
	count(v) > 0
}

first(v) := v[0] if is_array(v)

first(v) := v if is_object(v)

allows_by_default(attrs, s) if set_block(object.get(attrs, array.concat(s[1], [s[2]]), null))

# A rule only counts: its action (or, for a rule group, its override action) is Count.
counts_only(rule, s) if set_block(lib.get(first(lib.get(rule, s[4], {})), s[6], null))

counts_only(rule, s) if set_block(lib.get(first(lib.get(rule, s[5], {})), s[6], null))

deny contains r if {
	some s in v2
	some address in lib.managed_of(s[0])
	attrs := lib.resource(address).attrs
	allows_by_default(attrs, s)
	rules := object.get(attrs, s[3], [])
	is_array(rules)
	not lib.is_unknown(rules)
	every rule in rules {
		not lib.is_unknown(rule)
		counts_only(rule, s)
	}
	r := lib.result(address, array.concat(s[1], [s[2]]), message(count(rules)))
}

message(0) := "the default action is Allow and the web ACL has no rules: every request is allowed"

message(n) := "the default action is Allow and every rule only counts: every request is allowed" if n > 0

unknown contains r if {
	some s in v2
	some address in lib.managed_of(s[0])
	attrs := lib.resource(address).attrs
	allows_by_default(attrs, s)
	rules := object.get(attrs, s[3], [])
	lib.is_unknown(rules)
	r := lib.result(address, [s[3]], sprintf("%s is not known statically (%s)", [s[3], lib.unknown_reason(rules)]))
}

unknown contains r if {
	some s in v2
	some address in lib.managed_of(s[0])
	v := object.get(lib.resource(address).attrs, s[1], null)
	lib.is_unknown(v)
	r := lib.result(address, s[1], sprintf("%s is not known statically (%s)", [concat(".", [k | some k in s[1]; is_string(k)]), lib.unknown_reason(v)]))
}

# Classic WAF: [type, default-action type path, rules key]
classic := [
	["AWS::WAF::WebACL", ["DefaultAction", "Type"], "Rules"],
	["AWS::WAFRegional::WebACL", ["DefaultAction", "Type"], "Rules"],
	["aws_waf_web_acl", ["default_action", 0, "type"], "rules"],
	["aws_wafregional_web_acl", ["default_action", 0, "type"], "rule"],
]

deny contains r if {
	some [t, path, rules_key] in classic
	some address in lib.managed_of(t)
	attrs := lib.resource(address).attrs
	v := object.get(attrs, path, null)
	is_string(v)
	lib.upper_of(v) == "ALLOW"
	rules := object.get(attrs, rules_key, [])
	rules == []
	r := lib.result(address, path, "the default action is ALLOW and the web ACL has no rules: every request is allowed")
}

unknown contains r if {
	some [t, path, _] in classic
	some address in lib.managed_of(t)
	v := object.get(lib.resource(address).attrs, path, null)
	lib.is_unknown(v)
	r := lib.result(address, path, sprintf("the default action type is not known statically (%s)", [lib.unknown_reason(v)]))
}
