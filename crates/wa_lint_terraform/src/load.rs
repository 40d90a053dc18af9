//! Reading files: HCL syntax, `variable` blocks, `.tfvars` / `.tfvars.json` values.

use std::collections::BTreeMap;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Body, Structure};
use hcl_edit::Span as _;
use wa_lint_graph::{Entry, Node, Number, ProvenanceKind, Value};
use wa_lint_source::{Diagnostic, SourceFile, TextRange};

use crate::eval::{Eval, Globals, Named};

/// Parses `file` as HCL; a syntax error becomes a `tf::syntax` diagnostic at the error's byte.
pub(crate) fn parse_hcl(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Body> {
    match hcl_edit::parser::parse_body(&file.text) {
        Ok(body) => Some(body),
        Err(e) => {
            // hcl-edit may report a byte inside a multi-byte character (at the end of the
            // file): locate the error on that character.
            let mut offset = e.location().offset().min(file.text.len());
            while !file.text.is_char_boundary(offset) {
                offset -= 1;
            }
            let end = file
                .text
                .get(offset..)
                .and_then(|t| t.chars().next())
                .map_or(offset, |c| offset + c.len_utf8());
            let message = e
                .message()
                .lines()
                .next()
                .unwrap_or("invalid HCL")
                .trim()
                .to_owned();
            diags.push(
                Diagnostic::error(
                    "tf::syntax",
                    file.path.clone(),
                    Some(TextRange::new(offset, end)),
                    format!("HCL syntax error: {message}"),
                )
                .with_help("fix the syntax; the other files of the module were still checked"),
            );
            None
        }
    }
}

/// The file name of a `/`-separated path.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// What a `variable` block declares besides its default
/// (<https://developer.hashicorp.com/terraform/language/values/variables>).
pub(crate) struct VarDecl<'a> {
    pub src: &'a SourceFile,
    /// The `type` constraint expression.
    pub ty: Option<&'a Expression>,
    /// `nullable` (default true): when false, a `null` value means the default.
    pub nullable: bool,
    /// `sensitive = true`.
    pub sensitive: bool,
    /// The evaluated `default`, when declared.
    pub default: Option<Named>,
}

/// `variable` blocks → `var.<name>`: the default (provenance `VariableDefault`), `null` default
/// kept, no default → Unknown. Returns the declarations for [`finish_variables`].
pub(crate) fn declare_variables<'a>(
    parsed: &'a [(&'a SourceFile, Body)],
    g: &mut Globals,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, VarDecl<'a>> {
    let empty = Globals::default();
    let mut decls = BTreeMap::new();
    for (src, body) in parsed {
        for block in body.blocks().filter(|b| b.has_ident("variable")) {
            let Some(label) = block.labels.first() else {
                continue;
            };
            let name = label.as_str().to_owned();
            let mut ev = Eval::new(&empty, src);
            let node = match block.body.get_attribute("default") {
                Some(attr) => ev.value(&attr.value),
                None => Node::unknown(
                    format!("variable `{name}` has no value"),
                    ev.sp(label.span()),
                ),
            };
            let flag = |ev: &mut Eval<'_>, key: &str, default: bool| match block
                .body
                .get_attribute(key)
                .map(|a| ev.value(&a.value).value)
            {
                Some(Value::Bool(b)) => b,
                _ => default,
            };
            let nullable = flag(&mut ev, "nullable", true);
            let sensitive = flag(&mut ev, "sensitive", false);
            diags.append(&mut ev.diags);
            let named = Named {
                node,
                kind: ProvenanceKind::VariableDefault,
            };
            decls.insert(
                name.clone(),
                VarDecl {
                    src,
                    ty: block.body.get_attribute("type").map(|a| &a.value),
                    nullable,
                    sensitive,
                    default: block.body.get_attribute("default").map(|_| named.clone()),
                },
            );
            g.vars.insert(name, named);
        }
    }
    decls
}

/// After all values are applied: a `null` value of a non-nullable variable becomes its
/// default, values are converted to the declared type, sensitive variables are marked
/// ([`ProvenanceKind::SensitiveVariable`]).
///
/// A value of a `number` or `bool` variable that does not convert (`-var port=abc`) is a
/// located `tf::invalid-variable-value` error at the variable's `type`, as Terraform rejects
/// it, and the variable becomes Unknown with that reason.
pub(crate) fn finish_variables(
    decls: &BTreeMap<String, VarDecl<'_>>,
    g: &mut Globals,
    diags: &mut Vec<Diagnostic>,
) {
    let empty = Globals::default();
    for (name, decl) in decls {
        let Some(var) = g.vars.get_mut(name) else {
            continue;
        };
        if !decl.nullable && matches!(var.node.value, Value::Null) {
            if let Some(default) = &decl.default {
                *var = default.clone();
            }
        }
        if let Some(ty) = decl.ty {
            let mut ev = Eval::new(&empty, decl.src);
            let node = std::mem::replace(&mut var.node, Node::new(Value::Null, None));
            var.node = crate::types::convert(node, ty, &mut ev);
            let wanted = match ty {
                Expression::Variable(v) => Some(v.as_str()),
                _ => None,
            };
            let converted = match (wanted, &var.node.value) {
                (_, Value::Null | Value::Unknown(_))
                | (Some("number"), Value::Number(_))
                | (Some("bool"), Value::Bool(_)) => true,
                (Some("number" | "bool"), _) => false,
                _ => true,
            };
            if let (false, Some(wanted)) = (converted, wanted) {
                let shown = crate::eval::values::to_json(&var.node.value)
                    .map_or_else(|_| "the value".to_owned(), |j| j.to_string());
                let message = format!(
                    "the value of variable `{name}` ({shown}) cannot be converted to {wanted}"
                );
                diags.push(
                    Diagnostic::error(
                        "tf::invalid-variable-value",
                        decl.src.path.clone(),
                        hcl_edit::Span::span(ty).map(|r| TextRange::new(r.start, r.end)),
                        message.clone(),
                    )
                    .with_help(format!(
                        "Terraform rejects it (\"Invalid value for input variable\"); give a \
                         {wanted}; the variable is treated as unknown"
                    )),
                );
                var.node = Node::unknown(message, var.node.span);
                var.kind = ProvenanceKind::VariableValue;
            }
        }
        if decl.sensitive {
            var.kind = ProvenanceKind::SensitiveVariable;
        }
    }
}

/// Applies variable values from `files` (already in precedence order, lowest first) to the
/// declared variables.
pub(crate) fn apply_tfvars(files: &[&SourceFile], g: &mut Globals, diags: &mut Vec<Diagnostic>) {
    for file in files {
        let values = if file.path.ends_with(".json") {
            json_values(file, diags)
        } else {
            hcl_values(file, diags)
        };
        for (name, node) in values {
            if let Some(var) = g.vars.get_mut(&name) {
                *var = Named {
                    node,
                    kind: ProvenanceKind::VariableValue,
                };
            }
        }
    }
}

/// The automatically loaded variable files among `files`, in Terraform's precedence order:
/// `terraform.tfvars`, `terraform.tfvars.json`, then `*.auto.tfvars(.json)` by file name.
pub(crate) fn auto_tfvars(files: &[SourceFile]) -> Vec<&SourceFile> {
    let mut out: Vec<&SourceFile> = ["terraform.tfvars", "terraform.tfvars.json"]
        .iter()
        .flat_map(|n| files.iter().filter(move |f| file_name(&f.path) == *n))
        .collect();
    let mut auto: Vec<&SourceFile> = files
        .iter()
        .filter(|f| {
            let n = file_name(&f.path);
            n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
        })
        .collect();
    auto.sort_by(|a, b| file_name(&a.path).cmp(file_name(&b.path)));
    out.extend(auto);
    out
}

fn hcl_values(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Vec<(String, Node)> {
    let Some(body) = parse_hcl(file, diags) else {
        return Vec::new();
    };
    let empty = Globals::default();
    let mut ev = Eval::new(&empty, file);
    let out = body
        .iter()
        .filter_map(Structure::as_attribute)
        .map(|a| (a.key.as_str().to_owned(), ev.value(&a.value)))
        .collect();
    diags.append(&mut ev.diags);
    out
}

fn json_values(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Vec<(String, Node)> {
    let parsed = jsonc_parser::parse_to_ast(
        &file.text,
        &jsonc_parser::CollectOptions::default(),
        &jsonc_parser::ParseOptions::default(),
    );
    match parsed {
        Ok(result) => match result.value {
            Some(jsonc_parser::ast::Value::Object(obj)) => obj
                .properties
                .iter()
                .map(|p| (p.name.as_str().to_owned(), json_node(file, &p.value)))
                .collect(),
            _ => Vec::new(),
        },
        Err(e) => {
            let range = e.range();
            diags.push(Diagnostic::error(
                "tf::syntax",
                file.path.clone(),
                Some(TextRange::new(range.start, range.end)),
                format!("JSON syntax error: {e}"),
            ));
            Vec::new()
        }
    }
}

/// A JSON AST value → [`Node`] with the spans of its text.
pub(crate) fn json_node(file: &SourceFile, value: &jsonc_parser::ast::Value<'_>) -> Node {
    use jsonc_parser::ast::Value as J;
    use jsonc_parser::common::Ranged as _;
    let r = value.range();
    let span = Some(file.span(r.start, r.end));
    let v = match value {
        J::StringLit(s) => Value::String(s.value.to_string()),
        J::NumberLit(n) => n
            .value
            .parse::<i64>()
            .map(Number::Int)
            .or_else(|_| n.value.parse::<f64>().map(Number::Float))
            .map_or_else(|_| Value::String(n.value.to_owned()), Value::Number),
        J::BooleanLit(b) => Value::Bool(b.value),
        J::NullKeyword(_) => Value::Null,
        J::Array(a) => Value::List(a.elements.iter().map(|e| json_node(file, e)).collect()),
        J::Object(o) => Value::Map(
            o.properties
                .iter()
                .map(|p| {
                    let kr = p.name.range();
                    (
                        p.name.as_str().to_owned(),
                        Entry {
                            key_span: Some(file.span(kr.start, kr.end)),
                            node: json_node(file, &p.value),
                        },
                    )
                })
                .collect::<BTreeMap<_, _>>(),
        ),
    };
    Node::new(v, span)
}
