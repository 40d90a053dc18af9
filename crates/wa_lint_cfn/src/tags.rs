//! YAML short-form intrinsic tags (`!Ref`, `!GetAtt a.b`, …) → long form (`{"Fn::GetAtt": [a, b]}`).

use std::collections::BTreeMap;

use wa_lint_graph::{Entry, Node, Value};
use wa_lint_source::Span;

/// The long-form key of short tag `!suffix`, or `None` when it is not a CloudFormation tag.
pub(crate) fn long_form(suffix: &str) -> Option<&'static str> {
    Some(match suffix {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "Sub" => "Fn::Sub",
        "GetAtt" => "Fn::GetAtt",
        "If" => "Fn::If",
        "Join" => "Fn::Join",
        "Select" => "Fn::Select",
        "Split" => "Fn::Split",
        "FindInMap" => "Fn::FindInMap",
        "ImportValue" => "Fn::ImportValue",
        "Base64" => "Fn::Base64",
        "Cidr" => "Fn::Cidr",
        "GetAZs" => "Fn::GetAZs",
        "Equals" => "Fn::Equals",
        "And" => "Fn::And",
        "Or" => "Fn::Or",
        "Not" => "Fn::Not",
        "Transform" => "Fn::Transform",
        "ToJsonString" => "Fn::ToJsonString",
        "Length" => "Fn::Length",
        "ForEach" => "Fn::ForEach",
        // `Rules` section functions
        "Contains" => "Fn::Contains",
        "EachMemberEquals" => "Fn::EachMemberEquals",
        "EachMemberIn" => "Fn::EachMemberIn",
        "RefAll" => "Fn::RefAll",
        "ValueOf" => "Fn::ValueOf",
        "ValueOfAll" => "Fn::ValueOfAll",
        _ => return None,
    })
}

/// Wraps `arg` (written at `span`, tag included) as the one-key map `{long: arg}`.
/// `!GetAtt "A.B.C"` becomes `{"Fn::GetAtt": ["A", "B.C"]}` (split at the first dot).
pub(crate) fn wrap(long: &'static str, arg: Node, span: Option<Span>) -> Node {
    let arg = match (&arg.value, long) {
        (Value::String(s), "Fn::GetAtt") => match s.split_once('.') {
            Some((res, attr)) => Node::new(
                Value::List(vec![
                    Node::new(Value::String(res.to_owned()), span),
                    Node::new(Value::String(attr.to_owned()), span),
                ]),
                span,
            ),
            None => arg,
        },
        _ => arg,
    };
    let mut map = BTreeMap::new();
    map.insert(
        long.to_owned(),
        Entry {
            key_span: span,
            node: arg,
        },
    );
    Node::new(Value::Map(map), span)
}
