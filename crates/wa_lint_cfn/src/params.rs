//! Parameter files (`--cfn-params FILE`).
//!
//! Accepted shapes, as JSON or YAML:
//! - the AWS CLI's `[{"ParameterKey": "Env", "ParameterValue": "prod"}, …]`
//!   (`aws cloudformation create-stack --parameters file://…`, see
//!   <https://docs.aws.amazon.com/cli/latest/reference/cloudformation/create-stack.html>);
//!   entries with `UsePreviousValue: true` and no value are skipped;
//! - a plain mapping `{"Env": "prod", …}`;
//! - a CodePipeline template configuration `{"Parameters": {"Env": "prod"}, "Tags": …}`
//!   (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/continuous-delivery-codepipeline-cfn-artifacts.html>).
//!
//! Values are strings, numbers or booleans (kept as their text); a list of those is joined
//! with commas, as the CLI passes `CommaDelimitedList` values.

use wa_lint_graph::{Node, Value};
use wa_lint_source::{Diagnostic, Format, SourceFile};

use crate::resolve::scalar_text;
use crate::{json, yaml};

/// Code of every parameter-file diagnostic.
const CODE: &str = "cfn::parameter-file";

/// Reads `file` (see the module docs). `(name, value)` pairs in file order.
///
/// # Errors
/// A `cfn::parameter-file` (or `cfn::syntax`) error diagnostic located at the offending node.
pub(crate) fn read(file: &SourceFile) -> Result<Vec<(String, String)>, Box<Diagnostic>> {
    let (text, base) = match file.text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (&*file.text, 0),
    };
    let loaded = match file.format {
        Format::Yaml => yaml::load(file, text, base),
        _ => json::load(file, text, base),
    }
    .map_err(|e| Box::new(e.into_diagnostic(&file.path)))?;
    if let Some(d) = loaded
        .diagnostics
        .into_iter()
        .find(|d| d.level == wa_lint_source::Level::Error)
    {
        return Err(Box::new(d));
    }
    let error = |node: Option<&Node>, message: String| {
        Box::new(
            Diagnostic::error(
                CODE,
                file.path.as_str(),
                node.and_then(|n| n.span).map(|s| s.range),
                message,
            )
            .with_help(
                "use [{\"ParameterKey\": \"Name\", \"ParameterValue\": \"value\"}, …] or {\"Name\": \"value\"}",
            ),
        )
    };
    let Some(root) = loaded.root else {
        return Err(error(None, "the parameter file is empty".into()));
    };
    match &root.value {
        Value::List(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                if !matches!(item.value, Value::Map(_)) {
                    return Err(error(
                        Some(item),
                        "each entry must be a mapping with `ParameterKey` and `ParameterValue`"
                            .into(),
                    ));
                }
                let Some(key) = item.get("ParameterKey") else {
                    return Err(error(Some(item), "this entry has no `ParameterKey`".into()));
                };
                let Some(key) = key.as_str() else {
                    return Err(error(Some(key), "`ParameterKey` must be a string".into()));
                };
                match item.get("ParameterValue") {
                    Some(v) => out.push((key.to_owned(), value_text(v).map_err(|m| error(Some(v), m))?)),
                    None if item
                        .get("UsePreviousValue")
                        .is_some_and(|u| u.value == Value::Bool(true)) => {}
                    None => {
                        return Err(error(
                            Some(item),
                            format!("parameter `{key}` has no `ParameterValue`"),
                        ))
                    }
                }
            }
            Ok(out)
        }
        Value::Map(map) => {
            let map = match (map.len(), root.get("Parameters")) {
                (_, Some(Node { value: Value::Map(inner), .. }))
                    if map.keys().all(|k| matches!(k.as_str(), "Parameters" | "Tags" | "StackPolicy")) =>
                {
                    inner
                }
                _ => map,
            };
            // File order: the map is sorted by name, spans give the order in the file.
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by_key(|(_, e)| e.key_span.map(|s| s.range.start));
            entries
                .into_iter()
                .map(|(k, e)| {
                    value_text(&e.node)
                        .map(|v| (k.clone(), v))
                        .map_err(|m| error(Some(&e.node), m))
                })
                .collect()
        }
        _ => Err(error(
            Some(&root),
            "a parameter file must be a list of {ParameterKey, ParameterValue} or a mapping of names to values".into(),
        )),
    }
}

/// Text of a parameter value: a scalar, or a list of scalars joined with commas.
fn value_text(node: &Node) -> Result<String, String> {
    if let Some(t) = scalar_text(&node.value) {
        return Ok(t);
    }
    match &node.value {
        Value::Null => Ok(String::new()),
        Value::List(items) => items
            .iter()
            .map(|i| {
                scalar_text(&i.value)
                    .ok_or_else(|| "a list value must hold strings or numbers".to_owned())
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.join(",")),
        _ => Err("a parameter value must be a string, number, boolean or list".into()),
    }
}
