//! Property tests of span mapping: CloudFormation templates (YAML and JSON) with random but
//! valid structure and hostile text (multi-byte UTF-8, combining marks, emoji, tabs, quotes,
//! long lines, CRLF, a byte-order mark) go through `parse_project` as in a scan, and every span
//! stored in the graphs (main and scenarios) and every diagnostic range lies inside the file, on
//! character boundaries, with the line/column of `LineIndex` equal to a naive count. Arbitrary
//! (mostly broken) text gives located diagnostics, never a panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    // Generators and checks name templates, values and graphs `t`, `v`, `g`.
    clippy::many_single_char_names,
    // A generated template's switches (YAML, CRLF, BOM, exports).
    clippy::struct_excessive_bools
)]

use std::fmt::Write as _;

use proptest::prelude::*;
use wa_lint_cfn::CfnOptions;
use wa_lint_graph::ParseOutput;
use wa_lint_source::{FileId, Format, Level, SourceFile};

#[path = "../../wa_lint_graph/tests/support/span_checks.rs"]
mod span_checks;

use span_checks::check_output;

/// Hostile pieces strings are made of.
const PIECES: &[&str] = &[
    "a",
    "Bucket",
    "0",
    "42",
    " ",
    "\t",
    "é",
    "e\u{301}",
    "€",
    "中文",
    "🦀",
    "👩\u{200d}👩\u{200d}👧",
    "\u{feff}",
    "\u{200b}",
    "\u{10ffff}",
    "\"",
    "'",
    "\\",
    ":",
    "#",
    "-",
    ",",
    "[",
    "]",
    "&",
    "*",
    "!",
    "%",
    "@",
    "`",
    "|",
    ">",
    "?",
    "\n",
    "\r\n",
    "\r",
    "${",
    "}",
    "{{resolve:ssm:x}}",
    "true",
    "null",
    "~",
];

/// A string of hostile pieces; `long` allows runs of ~3,000 characters (long lines).
fn hostile(max: usize, long: bool) -> BoxedStrategy<String> {
    let piece = proptest::sample::select(PIECES).prop_map(str::to_owned);
    let piece = if long {
        prop_oneof![
            12 => piece,
            1 => (proptest::sample::select(&["€", "a", "🦀", "e\u{301}"][..]), 500usize..3000)
                .prop_map(|(p, n)| p.repeat(n)),
        ]
        .boxed()
    } else {
        piece.boxed()
    };
    proptest::collection::vec(piece, 0..max)
        .prop_map(|v| v.concat())
        .boxed()
}

/// A logical ID: `prefix`, index, `_`, then letters (some multi-byte), so IDs are unique.
fn ident(prefix: &'static str, i: usize, tail: &str) -> String {
    format!("{prefix}{i}_{tail}")
}

/// A property value as written in the template.
#[derive(Debug, Clone)]
enum V {
    Str(String),
    Int(i64),
    Bool(bool),
    List(Vec<V>),
    /// Keys are unique.
    Map(Vec<(String, V)>),
    /// `Ref` to a parameter or resource (index into the name table, taken modulo its length).
    Ref(usize),
    /// `Fn::GetAtt [resource, attribute]`.
    GetAtt(usize, String),
    /// `Fn::Sub` of literal text and `${name}` of the name table.
    Sub(Vec<(String, usize)>),
    /// `Fn::Join [delimiter, items]`.
    Join(String, Vec<V>),
    /// `Fn::ImportValue exp<i % 3>`: linked to an export of another template of the scan.
    Import(usize),
}

fn value() -> impl Strategy<Value = V> {
    let leaf = prop_oneof![
        4 => hostile(8, true).prop_map(V::Str),
        1 => any::<i64>().prop_map(V::Int),
        1 => any::<bool>().prop_map(V::Bool),
        2 => any::<usize>().prop_map(V::Ref),
        1 => (any::<usize>(), "[A-Z][a-z]{0,6}").prop_map(|(i, a)| V::GetAtt(i, a)),
        2 => proptest::collection::vec((hostile(4, false), any::<usize>()), 0..4).prop_map(V::Sub),
        1 => any::<usize>().prop_map(V::Import),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(V::List),
            proptest::collection::vec((hostile(5, false), inner.clone()), 0..5).prop_map(|kv| {
                let mut seen = std::collections::BTreeSet::new();
                V::Map(
                    kv.into_iter()
                        .filter(|(k, _)| !k.is_empty() && seen.insert(k.clone()))
                        .collect(),
                )
            }),
            (hostile(3, false), proptest::collection::vec(inner, 0..4))
                .prop_map(|(d, items)| V::Join(d, items)),
        ]
    })
}

/// A generated resource: `(name tail, type, condition index, properties)`.
type Res = (String, &'static str, Option<usize>, Vec<(String, V)>);

/// A whole template.
#[derive(Debug, Clone)]
struct Template {
    description: String,
    /// `(name tail, default)`; parameters without default make conditions undecided.
    params: Vec<(String, Option<String>)>,
    resources: Vec<Res>,
    outputs: Vec<V>,
    yaml: bool,
    crlf: bool,
    bom: bool,
    /// JSON indentation unit.
    indent: &'static str,
    /// Outputs are exported as `exp<i>`.
    exports: bool,
    /// `TemplateURL` of a nested stack resource `Nested` (another file of the scan).
    child: Option<String>,
}

impl Template {
    fn param_name(&self, i: usize) -> String {
        ident("P", i, &self.params[i].0)
    }
    fn resource_name(&self, i: usize) -> String {
        ident("R", i, &self.resources[i].0)
    }
    fn condition_name(i: usize) -> String {
        format!("C{i}")
    }
    /// Names a `Ref`/`${}` can point at: parameters, resources, a pseudo parameter.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = (0..self.params.len()).map(|i| self.param_name(i)).collect();
        names.extend((0..self.resources.len()).map(|i| self.resource_name(i)));
        names.push("AWS::Region".into());
        names
    }
}

const TYPES: &[&str] = &[
    "AWS::S3::Bucket",
    "AWS::EC2::SecurityGroup",
    "AWS::IAM::Role",
    "AWS::SNS::Topic",
    "Custom::Thing",
    "AWS::CloudFormation::Stack",
];

fn template() -> impl Strategy<Value = Template> {
    let tail = "[a-zé中]{0,4}";
    (
        hostile(6, true),
        proptest::collection::vec((tail, proptest::option::of(hostile(6, true))), 0..4),
        proptest::collection::vec(
            (
                tail,
                proptest::sample::select(TYPES),
                proptest::option::of(0usize..3),
                proptest::collection::vec((hostile(4, false), value()), 0..5),
            ),
            1..4,
        ),
        proptest::collection::vec(value(), 0..3),
        (
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            proptest::sample::select(&["", " ", "  ", "\t"][..]),
        ),
    )
        .prop_map(
            |(description, params, resources, outputs, (yaml, crlf, bom, indent))| {
                let resources = resources
                    .into_iter()
                    .map(|(t, ty, c, props)| {
                        let mut seen = std::collections::BTreeSet::new();
                        let props = props
                            .into_iter()
                            .filter(|(k, _)| !k.is_empty() && seen.insert(k.clone()))
                            .collect();
                        (t, ty, c, props)
                    })
                    .collect();
                Template {
                    description,
                    params,
                    resources,
                    outputs,
                    yaml,
                    crlf,
                    bom,
                    indent,
                    exports: false,
                    child: None,
                }
            },
        )
}

// ---------------------------------------------------------------------------------------------
// JSON

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// JSON objects as `(key, value text)` pairs, pretty-printed with `indent`.
fn json_obj(entries: &[(String, String)], indent: &str, depth: usize) -> String {
    if entries.is_empty() {
        return "{}".into();
    }
    let pad = indent.repeat(depth + 1);
    let body: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("{pad}{}: {v}", json_str(k)))
        .collect();
    format!("{{\n{}\n{}}}", body.join(",\n"), indent.repeat(depth))
}

fn json_list(items: &[String], indent: &str, depth: usize) -> String {
    if items.is_empty() {
        return "[]".into();
    }
    let pad = indent.repeat(depth + 1);
    let body: Vec<String> = items.iter().map(|v| format!("{pad}{v}")).collect();
    format!("[\n{}\n{}]", body.join(",\n"), indent.repeat(depth))
}

fn json_value(t: &Template, v: &V, depth: usize) -> String {
    let names = t.names();
    let name = |i: usize| names[i % names.len()].clone();
    let one = |k: &str, arg: String| json_obj(&[(k.to_owned(), arg)], t.indent, depth);
    match v {
        V::Str(s) => json_str(s),
        V::Int(i) => i.to_string(),
        V::Bool(b) => b.to_string(),
        V::List(items) => json_list(
            &items
                .iter()
                .map(|i| json_value(t, i, depth + 1))
                .collect::<Vec<_>>(),
            t.indent,
            depth,
        ),
        V::Map(kv) => json_obj(
            &kv.iter()
                .map(|(k, v)| (k.clone(), json_value(t, v, depth + 1)))
                .collect::<Vec<_>>(),
            t.indent,
            depth,
        ),
        V::Ref(i) => one("Ref", json_str(&name(*i))),
        V::GetAtt(i, a) => one(
            "Fn::GetAtt",
            format!("[{}, {}]", json_str(&name(*i)), json_str(a)),
        ),
        V::Sub(parts) => one("Fn::Sub", json_str(&sub_text(&names, parts))),
        V::Import(i) => one("Fn::ImportValue", json_str(&format!("exp{}", i % 3))),
        V::Join(d, items) => {
            let list: Vec<String> = items.iter().map(|i| json_value(t, i, depth + 2)).collect();
            one(
                "Fn::Join",
                format!(
                    "[{}, {}]",
                    json_str(d),
                    json_list(&list, t.indent, depth + 1)
                ),
            )
        }
    }
}

fn sub_text(names: &[String], parts: &[(String, usize)]) -> String {
    let mut out = String::new();
    for (lit, i) in parts {
        write!(out, "{lit}${{{}}}", names[i % names.len()]).unwrap();
    }
    out
}

fn json_template(t: &Template) -> String {
    let ind = t.indent;
    let mut top = vec![
        (
            "AWSTemplateFormatVersion".to_owned(),
            json_str("2010-09-09"),
        ),
        ("Description".to_owned(), json_str(&t.description)),
    ];
    let params: Vec<(String, String)> = (0..t.params.len())
        .map(|i| {
            let mut body = vec![("Type".to_owned(), json_str("String"))];
            if let Some(d) = &t.params[i].1 {
                body.push(("Default".to_owned(), json_str(d)));
            }
            (t.param_name(i), json_obj(&body, ind, 2))
        })
        .collect();
    if !params.is_empty() {
        top.push(("Parameters".to_owned(), json_obj(&params, ind, 1)));
        top.push((
            "Conditions".to_owned(),
            json_obj(&conditions(t, |c| json_value(t, c, 3)), ind, 1),
        ));
    }
    let resources: Vec<(String, String)> = (0..t.resources.len())
        .map(|i| {
            let (_, ty, cond, props) = &t.resources[i];
            let mut body = vec![("Type".to_owned(), json_str(ty))];
            if let (Some(c), false) = (cond, t.params.is_empty()) {
                body.push((
                    "Condition".to_owned(),
                    json_str(&Template::condition_name(c % t.params.len())),
                ));
            }
            let props: Vec<(String, String)> = props
                .iter()
                .map(|(k, v)| (k.clone(), json_value(t, v, 4)))
                .collect();
            body.push(("Properties".to_owned(), json_obj(&props, ind, 3)));
            (t.resource_name(i), json_obj(&body, ind, 2))
        })
        .collect();
    let mut resources = resources;
    if let Some(child) = &t.child {
        let props = vec![("TemplateURL".to_owned(), json_str(child))];
        let body = vec![
            ("Type".to_owned(), json_str("AWS::CloudFormation::Stack")),
            ("Properties".to_owned(), json_obj(&props, ind, 3)),
        ];
        resources.push(("Nested".to_owned(), json_obj(&body, ind, 2)));
    }
    top.push(("Resources".to_owned(), json_obj(&resources, ind, 1)));
    let outputs: Vec<(String, String)> = t
        .outputs
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let mut body = vec![("Value".to_owned(), json_value(t, v, 3))];
            if t.exports {
                let name = vec![("Name".to_owned(), json_str(&format!("exp{i}")))];
                body.push(("Export".to_owned(), json_obj(&name, ind, 3)));
            }
            (format!("O{i}"), json_obj(&body, ind, 2))
        })
        .collect();
    if !outputs.is_empty() {
        top.push(("Outputs".to_owned(), json_obj(&outputs, ind, 1)));
    }
    json_obj(&top, ind, 0)
}

/// `C<i>: Fn::Equals [Ref P<i>, "x"]`, one per parameter, rendered by `render`.
fn conditions(t: &Template, render: impl Fn(&V) -> String) -> Vec<(String, String)> {
    (0..t.params.len())
        .map(|i| {
            // `Fn::Equals` is written as a one-key map holding a list: reuse `V`.
            let eq = V::Map(vec![(
                "Fn::Equals".to_owned(),
                V::List(vec![V::Ref(i), V::Str("x".into())]),
            )]);
            (Template::condition_name(i), render(&eq))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// YAML (block style, scalars plain, single- or double-quoted or block; flow sequences;
// comments; an anchor and alias)

fn yaml_scalar(s: &str) -> String {
    let plain_ok = s.chars().next().is_some_and(char::is_alphabetic)
        && s.chars().all(char::is_alphanumeric)
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    let bad_in_single =
        |c: char| c == '\n' || c == '\r' || c == '\u{feff}' || (c.is_control() && c != '\t');
    if plain_ok {
        s.to_owned()
    } else if s.len() % 2 == 0 && !s.chars().any(bad_in_single) {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push('\t'),
                c if c.is_control() || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}') => {
                    write!(out, "\\u{:04X}", u32::from(c)).unwrap();
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
}

/// Whether `s` can be written as a block scalar: lines without a leading space (which would
/// change the detected indentation), no carriage return, BOM or other control character.
fn block_ok(s: &str) -> bool {
    !s.is_empty()
        && s.split('\n').all(|l| !l.starts_with(' '))
        && !s
            .chars()
            .any(|c| c == '\r' || c == '\u{feff}' || (c.is_control() && c != '\t' && c != '\n'))
}

/// Writes `v` after a `key:` or `- ` already written, at nesting `indent` (spaces).
fn yaml_value(t: &Template, v: &V, indent: usize, out: &mut String) {
    let names = t.names();
    let name = |i: usize| names[i % names.len()].clone();
    let pad = " ".repeat(indent + 2);
    match v {
        // Literal and folded block scalars, trailing comments, by the text's length.
        V::Str(s) if s.len() % 5 == 0 && block_ok(s) => {
            let style = if s.len() % 2 == 0 { "|-" } else { ">-" };
            writeln!(out, " {style} # 🦀 {}", s.len()).unwrap();
            for line in s.split('\n') {
                if !line.is_empty() {
                    out.push_str(&pad);
                }
                out.push_str(line);
                out.push('\n');
            }
        }
        V::Str(s) if s.len() % 5 == 1 => {
            writeln!(out, " {} #\té {}", yaml_scalar(s), s.len()).unwrap();
        }
        V::Str(s) => {
            writeln!(out, " {}", yaml_scalar(s)).unwrap();
        }
        // Flow sequences of scalars.
        V::List(items)
            if items.len() % 2 == 1
                && items
                    .iter()
                    .all(|i| matches!(i, V::Str(_) | V::Int(_) | V::Bool(_))) =>
        {
            let items: Vec<String> = items
                .iter()
                .map(|i| match i {
                    V::Str(s) => yaml_scalar(s),
                    V::Int(n) => n.to_string(),
                    V::Bool(b) => b.to_string(),
                    _ => unreachable!(),
                })
                .collect();
            writeln!(out, " [{}]", items.join(", ")).unwrap();
        }
        V::Int(i) => writeln!(out, " {i}").unwrap(),
        V::Bool(b) => writeln!(out, " {b}").unwrap(),
        V::List(items) if items.is_empty() => out.push_str(" []\n"),
        V::List(items) => {
            out.push('\n');
            for item in items {
                out.push_str(&pad);
                out.push('-');
                yaml_value(t, item, indent + 2, out);
            }
        }
        V::Map(kv) if kv.is_empty() => out.push_str(" {}\n"),
        V::Map(kv) => {
            out.push('\n');
            for (k, v) in kv {
                write!(out, "{pad}{}:", yaml_scalar(k)).unwrap();
                yaml_value(t, v, indent + 2, out);
            }
        }
        V::Ref(i) => writeln!(out, " !Ref {}", yaml_scalar(&name(*i))).unwrap(),
        V::GetAtt(i, a) => {
            writeln!(
                out,
                " !GetAtt {}",
                yaml_scalar(&format!("{}.{a}", name(*i)))
            )
            .unwrap();
        }
        V::Sub(parts) => writeln!(out, " !Sub {}", yaml_scalar(&sub_text(&names, parts))).unwrap(),
        V::Import(i) => writeln!(out, " !ImportValue exp{}", i % 3).unwrap(),
        V::Join(d, items) => {
            write!(
                out,
                "\n{pad}Fn::Join:\n{pad}  - {}\n{pad}  -",
                yaml_scalar(d)
            )
            .unwrap();
            yaml_value(t, &V::List(items.clone()), indent + 4, out);
        }
    }
}

fn yaml_template(t: &Template) -> String {
    let mut out = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\n");
    writeln!(out, "Description: {}", yaml_scalar(&t.description)).unwrap();
    if !t.params.is_empty() {
        out.push_str("Parameters:\n");
        for i in 0..t.params.len() {
            writeln!(out, "  {}:\n    Type: String", t.param_name(i)).unwrap();
            if let Some(d) = &t.params[i].1 {
                writeln!(out, "    Default: {}", yaml_scalar(d)).unwrap();
            }
        }
        out.push_str("Conditions:\n");
        for (name, body) in conditions(t, |c| {
            let mut s = String::new();
            yaml_value(t, c, 2, &mut s);
            s
        }) {
            write!(out, "  {name}:{body}").unwrap();
        }
    }
    out.push_str("Resources:\n");
    for i in 0..t.resources.len() {
        let (_, ty, cond, props) = &t.resources[i];
        writeln!(out, "  {}:\n    Type: {ty}", t.resource_name(i)).unwrap();
        if let (Some(c), false) = (cond, t.params.is_empty()) {
            let name = Template::condition_name(c % t.params.len());
            writeln!(out, "    Condition: {name}").unwrap();
        }
        out.push_str("    Properties:");
        if props.is_empty() {
            out.push_str(" {}\n");
        } else {
            out.push('\n');
            // The first nested value gets an anchor that a last property aliases.
            let mut anchor = None;
            for (k, v) in props {
                write!(out, "      {}:", yaml_scalar(k)).unwrap();
                if anchor.is_none() && matches!(v, V::Map(m) if !m.is_empty()) {
                    write!(out, " &a{i}").unwrap();
                    anchor = Some(i);
                }
                yaml_value(t, v, 6, &mut out);
            }
            if let Some(a) = anchor {
                writeln!(out, "      ζalias: *a{a}").unwrap();
            }
        }
    }
    if let Some(child) = &t.child {
        writeln!(
            out,
            "  Nested:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: {}",
            yaml_scalar(child)
        )
        .unwrap();
    }
    if !t.outputs.is_empty() {
        out.push_str("Outputs:\n");
        for (i, v) in t.outputs.iter().enumerate() {
            if t.exports {
                write!(out, "  O{i}:\n    Export:\n      Name: exp{i}\n    Value:").unwrap();
            } else {
                write!(out, "  O{i}:\n    Value:").unwrap();
            }
            yaml_value(t, v, 4, &mut out);
        }
    }
    out
}

fn render(t: &Template) -> SourceFile {
    render_as(t, FileId(3), "dir/t")
}

/// `t` as file `id` at `stem` plus `.yaml` / `.json`.
fn render_as(t: &Template, id: FileId, stem: &str) -> SourceFile {
    let mut text = if t.yaml {
        yaml_template(t)
    } else {
        json_template(t)
    };
    if t.crlf {
        text = text.replace('\n', "\r\n");
    }
    if t.bom {
        text.insert(0, '\u{feff}');
    }
    let (ext, format) = if t.yaml {
        ("yaml", Format::Yaml)
    } else {
        ("json", Format::Json)
    };
    SourceFile::new(id, format!("{stem}.{ext}"), text, format)
}

// ---------------------------------------------------------------------------------------------
// Checks (span checks: `span_checks`, shared with the other front end's property tests)

fn scan(file: &SourceFile) -> Vec<ParseOutput> {
    wa_lint_cfn::parse_project(std::slice::from_ref(file), &CfnOptions::default()).units
}

fn check_template(t: &Template) -> Result<(), TestCaseError> {
    let file = render(t);
    let units = scan(&file);
    prop_assert_eq!(units.len(), 1, "text:\n{}", file.text);
    let out = &units[0];
    let errors: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    prop_assert!(errors.is_empty(), "{:?}\ntext:\n{}", errors, file.text);
    check_output(std::slice::from_ref(&file), out)?;
    let g = out.graph.as_ref().unwrap();
    for i in 0..t.resources.len() {
        let id = t.resource_name(i);
        let r = g.resources.get(&id);
        // A resource with a condition that is false is not in the graph.
        let conditional = t.resources[i].2.is_some() && !t.params.is_empty();
        prop_assert!(r.is_some() || conditional, "resource {} missing", id);
        let Some(r) = r else { continue };
        // The header span covers the logical ID as written (IDs are never escaped).
        let h = r.header.range;
        let written = &file.text[h.start as usize..h.end as usize];
        prop_assert!(written.contains(&id), "header of {} is {:?}", id, written);
        // Property keys are located on the key as written, literal strings on the scalar.
        let text = |span: Option<wa_lint_source::Span>| {
            span.map(|s| file.text[s.range.start as usize..s.range.end as usize].to_owned())
        };
        let wa_lint_graph::Value::Map(attrs) = &r.attrs.value else {
            return Err(TestCaseError::fail("properties are not a map"));
        };
        for (k, v) in &t.resources[i].3 {
            let entry = attrs.get(k);
            prop_assert!(entry.is_some(), "{}.{} missing", id, k);
            let entry = entry.unwrap();
            let key = if t.yaml { yaml_scalar(k) } else { json_str(k) };
            prop_assert_eq!(text(entry.key_span), Some(key), "key of {}.{}", id, k);
            check_located(t, &file, v, &entry.node, &format!("{id}.{k}"))?;
        }
    }
    Ok(())
}

/// Literal strings, and keys of literal maps, at any depth of `v` are located on their text
/// as written (block scalars aside); intrinsic functions are not followed.
fn check_located(
    t: &Template,
    file: &SourceFile,
    v: &V,
    node: &wa_lint_graph::Node,
    at: &str,
) -> Result<(), TestCaseError> {
    let text = |span: Option<wa_lint_source::Span>| {
        span.map(|s| file.text[s.range.start as usize..s.range.end as usize].to_owned())
    };
    let form = |s: &str| if t.yaml { yaml_scalar(s) } else { json_str(s) };
    match (v, &node.value) {
        (V::Str(s), _) if !(t.yaml && s.len() % 5 == 0 && block_ok(s)) => {
            prop_assert_eq!(text(node.span), Some(form(s)), "value of {}", at);
        }
        (V::List(items), wa_lint_graph::Value::List(nodes)) => {
            prop_assert_eq!(items.len(), nodes.len(), "items of {}", at);
            for (i, (v, n)) in items.iter().zip(nodes).enumerate() {
                check_located(t, file, v, n, &format!("{at}[{i}]"))?;
            }
        }
        (V::Map(kv), wa_lint_graph::Value::Map(entries)) if kv.len() != 1 => {
            for (k, v) in kv {
                let e = entries.get(k);
                prop_assert!(e.is_some(), "{}.{} missing", at, k);
                let e = e.unwrap();
                prop_assert_eq!(text(e.key_span), Some(form(k)), "key of {}.{}", at, k);
                check_located(t, file, v, &e.node, &format!("{at}.{k}"))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// A broken variant of a template: cut at a character boundary, with junk inserted.
fn mangle(text: &str, cut: prop::sample::Index, at: prop::sample::Index, junk: &str) -> String {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let cut = *cut.get(&bounds);
    let mut out = text[..cut].to_owned();
    let at = *at.get(&bounds[..=bounds.iter().position(|&b| b == cut).unwrap()]);
    out.insert_str(at, junk);
    out
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn spans_of_generated_templates_are_inside_the_file(t in template()) {
        check_template(&t)?;
    }

    #[test]
    fn broken_templates_give_located_diagnostics(
        t in template(),
        cut in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        junk in hostile(6, false),
    ) {
        let good = render(&t);
        let text = mangle(&good.text, cut, at, &junk);
        let file = SourceFile::new(good.id, good.path.clone(), text, good.format);
        for out in scan(&file) {
            check_output(std::slice::from_ref(&file), &out)?;
        }
        if let Some(out) = wa_lint_cfn::parse_template(&file) {
            check_output(std::slice::from_ref(&file), &out)?;
        }
    }

    #[test]
    fn arbitrary_text_gives_located_diagnostics(
        head in proptest::sample::select(&[
            "",
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n",
            "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": ",
            "\u{feff}Resources:\n  A:\n    Type: AWS::S3::Bucket\n",
        ][..]),
        body in hostile(40, true),
        yaml in any::<bool>(),
    ) {
        let format = if yaml { Format::Yaml } else { Format::Json };
        let file = SourceFile::new(FileId(1), "x.template", format!("{head}{body}"), format);
        for out in scan(&file) {
            check_output(std::slice::from_ref(&file), &out)?;
        }
    }
}

proptest! {
    // Three templates per case: fewer cases.
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// A parent with a nested stack, its child, and a template exporting outputs that both
    /// import: every span lies in the file it names (the child's resources in the child file,
    /// its call site in the parent, imported values' provenance in the exporter).
    #[test]
    fn spans_across_nested_stacks_and_exports(
        parent in template(),
        child in template(),
        exporter in template(),
        url in proptest::sample::select(&["child", "./child", "sub/../child"][..]),
    ) {
        let mut parent = parent;
        let child_ext = if child.yaml { "yaml" } else { "json" };
        parent.child = Some(format!("{url}.{child_ext}"));
        let mut exporter = exporter;
        exporter.exports = true;
        let files = vec![
            render_as(&parent, FileId(1), "dir/parent"),
            render_as(&child, FileId(2), "dir/child"),
            render_as(&exporter, FileId(3), "dir/exporter"),
        ];
        let units = wa_lint_cfn::parse_project(&files, &CfnOptions::default()).units;
        // The child is built with the parent (its output names the parent's stack resource),
        // not with defaults as a unit of its own.
        prop_assert_eq!(units.len(), 3, "{:?}", units.iter().map(|u| u.graph.as_ref().map(|g| g.unit.path.clone())).collect::<Vec<_>>());
        for out in &units {
            let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.level == Level::Error).collect();
            prop_assert!(errors.is_empty(), "{:?}", errors);
            check_output(&files, out)?;
        }
        let nested = units.iter().filter_map(|u| u.graph.as_ref()).find(|g| g.called_from.is_some());
        prop_assert!(nested.is_some(), "the child is not followed");
        prop_assert_eq!(nested.unwrap().called_from.as_ref().unwrap().span.file, FileId(1));
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions found by the properties above

/// Found by `spans_of_generated_templates_are_inside_the_file` (value spans): saphyr ends a
/// quoted scalar, and a flow collection, at the next token, so their spans took in the blanks
/// and the comment after them (`"x" # note` was located as the whole rest of the line).
#[test]
fn quoted_scalars_and_flow_collections_end_at_their_closing_character() {
    let text = "AWSTemplateFormatVersion: \"2010-09-09\"\r\nResources:\r\n  B:\r\n    Type: AWS::SNS::Topic\r\n    Properties:\r\n      D: \"é\\\"x\" #\tnote 🦀\r\n      S: 'it''s'   # note\r\n      T: !Sub \"a-${AWS::Region}\" # note\r\n      L: [a, 'b'] # note\r\n      M: {k: \"v\"}\t# note\r\n      P: plain # note\r\n";
    let file = SourceFile::new(FileId(0), "t.yaml", text, Format::Yaml);
    let out = wa_lint_cfn::parse_template(&file).unwrap();
    assert_eq!(out.diagnostics, vec![]);
    let g = out.graph.unwrap();
    let b = &g.resources["B"];
    for (key, written) in [
        ("D", "\"é\\\"x\""),
        ("S", "'it''s'"),
        ("T", "!Sub \"a-${AWS::Region}\""),
        ("L", "[a, 'b']"),
        ("M", "{k: \"v\"}"),
        ("P", "plain"),
    ] {
        let r = b.attrs.get(key).unwrap().span.unwrap().range;
        assert_eq!(&text[r.start as usize..r.end as usize], written, "{key}");
    }
}
