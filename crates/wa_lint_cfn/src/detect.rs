//! Is this JSON/YAML a CloudFormation template?

use wa_lint_graph::{Node, Value};

/// Resource type prefixes that mark a template.
const TYPE_PREFIXES: [&str; 3] = ["AWS::", "Custom::", "Alexa::"];

/// True when the parsed document is a template: a top-level mapping with
/// `AWSTemplateFormatVersion`, or with a `Resources` mapping in which some entry has a `Type`
/// starting with `AWS::`, `Custom::` or `Alexa::`, or shaped like a registry type
/// (`Org::Service::Resource`, `…::MODULE`).
pub(crate) fn is_template(root: &Node) -> bool {
    let Value::Map(top) = &root.value else {
        return false;
    };
    if top.contains_key("AWSTemplateFormatVersion") {
        return true;
    }
    // A SAM or language-extensions template with an empty (`null`) `Resources:` section is
    // still a template: it gets a `cfn::no-resources` warning instead of being skipped.
    if top.contains_key("Resources")
        && top
            .get("Transform")
            .is_some_and(|e| is_aws_transform(&e.node))
    {
        return true;
    }
    let Some(Value::Map(resources)) = top.get("Resources").map(|e| &e.node.value) else {
        return false;
    };
    resources.values().any(|e| {
        e.node
            .get("Type")
            .and_then(Node::as_str)
            .is_some_and(is_resource_type)
    })
}

/// A `Transform` value naming an AWS transform (`AWS::Serverless-2016-10-31`,
/// `AWS::LanguageExtensions`, …), alone or in a list. See
/// <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/transform-section-structure.html>.
fn is_aws_transform(node: &Node) -> bool {
    match &node.value {
        Value::List(items) => items.iter().any(is_aws_transform),
        _ => node.as_str().is_some_and(|t| t.starts_with("AWS::")),
    }
}

/// Why a document that is not a template still holds one (so it is not skipped silently):
/// a top-level list whose items are templates. The message to report at the root.
pub(crate) fn misshapen(root: &Node) -> Option<&'static str> {
    match &root.value {
        Value::List(items) if items.iter().any(is_template) => Some(
            "the template is a list; CloudFormation expects a mapping at the top level (remove the leading `-`)",
        ),
        _ => None,
    }
}

/// `AWS::…`, `Custom::…`, `Alexa::…`, or a registry type `A::B::C` (optionally `::MODULE`).
fn is_resource_type(t: &str) -> bool {
    if TYPE_PREFIXES.iter().any(|p| t.starts_with(p)) {
        return true;
    }
    let parts: Vec<&str> = t.trim_end_matches("::MODULE").split("::").collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// True when text that failed to parse still looks like a template, so its syntax error is
/// worth reporting: it names `AWSTemplateFormatVersion`, or it has a `Resources` key (YAML at
/// column 0, or JSON `"Resources"`) and a resource type prefix.
pub(crate) fn looks_like_template(text: &str) -> bool {
    if text.contains("AWSTemplateFormatVersion") {
        return true;
    }
    let has_resources = text.contains("\"Resources\"")
        || text.starts_with("Resources:")
        || text.contains("\nResources:");
    has_resources && TYPE_PREFIXES.iter().any(|p| text.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textual_look() {
        assert!(looks_like_template("AWSTemplateFormatVersion: x\n"));
        assert!(looks_like_template(
            "x: 1\nResources:\n  A:\n    Type: AWS::S3::Bucket\n"
        ));
        assert!(looks_like_template(
            "{\"Resources\": {\"A\": {\"Type\": \"Custom::X\"}}"
        ));
        assert!(!looks_like_template("stages:\n  - lint\n"));
        assert!(!looks_like_template(
            "spec:\n  Resources:\n    Type: AWS::S3::Bucket\n"
        ));
    }
}
