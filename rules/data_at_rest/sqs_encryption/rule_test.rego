package walint.rules.sqs_encryption_test

import rego.v1

import data.walint.rules.sqs_encryption as rule

u := {"$unknown": "parameter `Key` has no default"}

inp := {
	"resources": {
		"Plain": {"address": "Plain", "type": "AWS::SQS::Queue", "attrs": {}},
		"Off": {"address": "Off", "type": "AWS::SQS::Queue", "attrs": {"SqsManagedSseEnabled": false}},
		"OffString": {"address": "OffString", "type": "AWS::SQS::Queue", "attrs": {"SqsManagedSseEnabled": "False"}},
		"OffKms": {"address": "OffKms", "type": "AWS::SQS::Queue", "attrs": {"SqsManagedSseEnabled": false, "KmsMasterKeyId": "alias/q"}},
		"OffEmptyKey": {"address": "OffEmptyKey", "type": "AWS::SQS::Queue", "attrs": {"SqsManagedSseEnabled": false, "KmsMasterKeyId": ""}},
		"UnkKey": {"address": "UnkKey", "type": "AWS::SQS::Queue", "attrs": {"KmsMasterKeyId": u}},
		"UnkFlag": {"address": "UnkFlag", "type": "AWS::SQS::Queue", "attrs": {"SqsManagedSseEnabled": u}},
		"aws_sqs_queue.off": {"address": "aws_sqs_queue.off", "type": "aws_sqs_queue", "attrs": {"sqs_managed_sse_enabled": false, "kms_master_key_id": null}},
		"aws_sqs_queue.on": {"address": "aws_sqs_queue.on", "type": "aws_sqs_queue", "attrs": {"sqs_managed_sse_enabled": true}},
	},
	"by_type": {
		"AWS::SQS::Queue": ["Plain", "Off", "OffString", "OffKms", "OffEmptyKey", "UnkKey", "UnkFlag"],
		"aws_sqs_queue": ["aws_sqs_queue.off", "aws_sqs_queue.on"],
	},
}

test_deny_rows if {
	got := {[r.address, r.path] | some r in rule.deny with input as inp}
	got == {
		["Off", ["SqsManagedSseEnabled"]],
		["OffString", ["SqsManagedSseEnabled"]],
		["OffEmptyKey", ["SqsManagedSseEnabled"]],
		["aws_sqs_queue.off", ["sqs_managed_sse_enabled"]],
	}
}

test_deny_message if {
	some r in rule.deny with input as inp
	r.address == "Off"
	r.message == "SqsManagedSseEnabled is false and no KmsMasterKeyId is set: the queue is not encrypted at rest"
}

test_unknown_rows if {
	got := {[r.address, r.message] | some r in rule.unknown with input as inp}
	got == {["UnkFlag", "SqsManagedSseEnabled is not known statically (parameter `Key` has no default) and no KmsMasterKeyId is set"]}
}
