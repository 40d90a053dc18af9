//! Property tests of value evaluation: random nestings of `Fn::Join`, `Fn::Select`,
//! `Fn::Split`, `Fn::Sub`, `Fn::If` and `Ref` over parameters (with or without `Default`,
//! with or without a value given by the user, `String` and `CommaDelimitedList`) and conditions
//! (`Fn::Equals` on a parameter), written as JSON or as YAML short tags, are compared with a
//! small model of CloudFormation's semantics. An unknown input never yields a known output, a
//! known one always gives the model's value; each condition scenario gives the model's value
//! under its assumptions.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    // Expression printers and models name their operands `c`, `a`, `b`, `e`, `m`.
    clippy::many_single_char_names
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use proptest::prelude::*;
use wa_lint_cfn::CfnOptions;
use wa_lint_graph::{Node, Value};
use wa_lint_source::{FileId, Format, SourceFile};

/// Text pieces of literals, defaults and delimiters (no `$`, `{`: no `Fn::Sub` syntax, JSON
/// policy or dynamic reference by accident).
fn text(max: usize) -> impl Strategy<Value = String> {
    let pieces = &[
        "a", "b", "x", "0", " ", ",", "-", ":", "/", "é", "e\u{301}", "🦀", "中",
    ][..];
    proptest::collection::vec(proptest::sample::select(pieces), 0..max).prop_map(|v| v.concat())
}

/// Keys of the mapping `M0`, and expressions naming them (a literal or a parameter).
const KEYS: &[&str] = &["a", "b", "é", "x"];

fn key() -> impl Strategy<Value = S> {
    prop_oneof![
        3 => proptest::sample::select(KEYS).prop_map(|k| S::Lit(k.to_owned())),
        1 => any::<usize>().prop_map(S::Ref),
    ]
}

/// A string-valued expression.
#[derive(Debug, Clone)]
enum S {
    Lit(String),
    /// `Ref` to string parameter `i` (modulo their count).
    Ref(usize),
    Join(String, Box<L>),
    /// `Fn::Select [i, list]`; the index written as a string (`"1"`) when the flag is set.
    Select(usize, bool, Box<L>),
    Sub(Vec<SubPart>),
    /// `Fn::Sub [template, {X0: …, X1: …}]`: in it an even `SubPart::Var(i)` names variable
    /// `X<i/2>` of the map (when it has any), an odd one a parameter.
    SubWith(Vec<SubPart>, Vec<S>),
    If(usize, Box<S>, Box<S>),
    Base64(Box<S>),
    /// `Fn::Length` (a number).
    Length(Box<L>),
    /// `Fn::FindInMap [M0, key, key]`, with `DefaultValue` when given.
    FindInMap(Box<S>, Box<S>, Option<Box<S>>),
}

/// A list-valued expression.
#[derive(Debug, Clone)]
enum L {
    Items(Vec<S>),
    /// A list whose items are each kept only when a condition holds:
    /// `[Fn::If [C<c>, item, Ref AWS::NoValue], …]`.
    Optional(Vec<(usize, S)>),
    /// `Ref` to list parameter `i` (modulo their count).
    Ref(usize),
    Split(String, Box<S>),
    If(usize, Box<L>, Box<L>),
}

#[derive(Debug, Clone)]
enum SubPart {
    Lit(String),
    /// `${P<i>}` of a string parameter.
    Var(usize),
    /// `${!name}`: the literal text `${name}`.
    Escape(String),
}

fn s_expr() -> BoxedStrategy<S> {
    let leaf = prop_oneof![
        text(4).prop_map(S::Lit),
        any::<usize>().prop_map(S::Ref),
        proptest::collection::vec(
            prop_oneof![
                text(3).prop_map(SubPart::Lit),
                any::<usize>().prop_map(SubPart::Var),
                "[a-z]{1,3}".prop_map(SubPart::Escape),
            ],
            0..4
        )
        .prop_map(S::Sub),
    ];
    leaf.prop_recursive(4, 40, 4, |inner| {
        let list = l_expr(inner.clone());
        let part = prop_oneof![
            text(3).prop_map(SubPart::Lit),
            any::<usize>().prop_map(SubPart::Var),
            "[a-z]{1,3}".prop_map(SubPart::Escape),
        ];
        prop_oneof![
            (
                proptest::collection::vec(part, 0..4),
                proptest::collection::vec(inner.clone(), 0..3)
            )
                .prop_map(|(parts, vars)| S::SubWith(parts, vars)),
            (text(2), list.clone()).prop_map(|(d, l)| S::Join(d, Box::new(l))),
            (0usize..4, any::<bool>(), list.clone()).prop_map(|(i, q, l)| S::Select(
                i,
                q,
                Box::new(l)
            )),
            inner.clone().prop_map(|x| S::Base64(Box::new(x))),
            list.prop_map(|l| S::Length(Box::new(l))),
            (key(), key(), proptest::option::of(inner.clone()))
                .prop_map(|(a, b, d)| { S::FindInMap(Box::new(a), Box::new(b), d.map(Box::new)) }),
            (any::<usize>(), inner.clone(), inner).prop_map(|(c, a, b)| S::If(
                c,
                Box::new(a),
                Box::new(b)
            )),
        ]
    })
    .boxed()
}

fn l_expr(s: impl Strategy<Value = S> + Clone + 'static) -> BoxedStrategy<L> {
    let leaf = prop_oneof![
        proptest::collection::vec(s.clone(), 0..4).prop_map(L::Items),
        proptest::collection::vec((any::<usize>(), s.clone()), 0..4).prop_map(L::Optional),
        any::<usize>().prop_map(L::Ref),
        (text(2), s).prop_map(|(d, x)| L::Split(d, Box::new(x))),
    ];
    leaf.prop_recursive(1, 4, 2, |inner| {
        (any::<usize>(), inner.clone(), inner)
            .prop_map(|(c, a, b)| L::If(c, Box::new(a), Box::new(b)))
    })
    .boxed()
}

/// A parameter: `Default` and value given by the user (`--cfn-param`), each optional.
#[derive(Debug, Clone)]
struct Param {
    default: Option<String>,
    given: Option<String>,
    /// Type `AWS::SSM::Parameter::Value<String>`: read at deploy unless given.
    ssm: bool,
}

impl Param {
    fn value(&self) -> Option<&String> {
        self.given
            .as_ref()
            .or(self.default.as_ref().filter(|_| !self.ssm))
    }
}

#[derive(Debug, Clone)]
struct Case {
    strings: Vec<Param>,
    lists: Vec<Param>,
    /// Condition `C<i>`: `Fn::Equals [Ref S<i % strings>, literal]`; the literal is the
    /// parameter's value when `true` (so conditions go both ways).
    conditions: Vec<(usize, bool, String)>,
    props: Vec<Prop>,
    yaml: bool,
    /// `Mappings: {M0: {key: {key: value}}}`.
    mapping: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Clone)]
enum Prop {
    S(S),
    L(L),
}

fn param() -> impl Strategy<Value = Param> {
    (
        proptest::option::of(text(5)),
        proptest::option::weighted(0.2, text(5)),
        proptest::bool::weighted(0.15),
    )
        .prop_map(|(default, given, ssm)| Param {
            default,
            given,
            ssm,
        })
}

fn case() -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec(param(), 1..4),
        proptest::collection::vec(param(), 1..3),
        proptest::collection::vec((any::<usize>(), any::<bool>(), text(3)), 1..3),
        proptest::collection::vec(
            prop_oneof![
                s_expr().prop_map(Prop::S),
                l_expr(s_expr()).prop_map(Prop::L)
            ],
            1..5,
        ),
        any::<bool>(),
        proptest::collection::btree_map(
            proptest::sample::select(KEYS).prop_map(str::to_owned),
            proptest::collection::btree_map(
                proptest::sample::select(KEYS).prop_map(str::to_owned),
                text(4),
                1..3,
            ),
            1..3,
        ),
    )
        .prop_map(|(strings, mut lists, conditions, props, yaml, mapping)| {
            for l in &mut lists {
                l.ssm = false;
            }
            Case {
                strings,
                lists,
                conditions,
                props,
                yaml,
                mapping,
            }
        })
}

// ---------------------------------------------------------------------------------------------
// The model

/// A modelled value. `Maybe(v)`: the evaluator may give `v` or Unknown (an undecided `Fn::If`
/// whose branches are equal but hold unknown parts: equal only if their reasons are).
#[derive(Debug, Clone, PartialEq)]
enum M {
    S(String),
    /// A number (`Fn::Length`).
    N(usize),
    L(Vec<M>),
    U,
    Maybe(Box<M>),
}

/// `m` without `Maybe`, and whether there was one.
fn definite(m: &M) -> (M, bool) {
    match m {
        M::Maybe(inner) => (definite(inner).0, true),
        M::L(items) => {
            let mut any = false;
            let items = items
                .iter()
                .map(|i| {
                    let (d, q) = definite(i);
                    any |= q;
                    d
                })
                .collect();
            (M::L(items), any)
        }
        other => (other.clone(), false),
    }
}

/// `f` applied to the definite inputs; the result is only `Maybe` known when an input was.
fn lift(inputs: &[&M], f: impl FnOnce(&[M]) -> M) -> M {
    let mut maybe = false;
    let defs: Vec<M> = inputs
        .iter()
        .map(|m| {
            let (d, q) = definite(m);
            maybe |= q;
            d
        })
        .collect();
    match f(&defs) {
        M::U => M::U,
        r if maybe => M::Maybe(Box::new(r)),
        r => r,
    }
}

/// Whether the evaluator may find `a` and `b` equal: unknown parts only equal unknown parts,
/// a `Maybe` may be either.
fn may_equal(a: &M, b: &M) -> bool {
    match (a, b) {
        (M::Maybe(x), y) | (y, M::Maybe(x)) => may_equal(x, y) || may_equal(&M::U, y),
        (M::U, M::U) => true,
        (M::S(x), M::S(y)) => x == y,
        (M::N(x), M::N(y)) => x == y,
        (M::L(x), M::L(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| may_equal(p, q)),
        _ => false,
    }
}

/// The text of a scalar, as intrinsic functions read it.
fn text_of(m: &M) -> Option<String> {
    match m {
        M::S(t) => Some(t.clone()),
        M::N(n) => Some(n.to_string()),
        _ => None,
    }
}

fn fully_known(m: &M) -> bool {
    match m {
        M::S(_) | M::N(_) => true,
        M::L(items) => items.iter().all(fully_known),
        M::U | M::Maybe(_) => false,
    }
}

/// `CommaDelimitedList` value: split on commas, items trimmed; empty text is an empty list.
fn split_list(text: &str) -> M {
    if text.is_empty() {
        return M::L(Vec::new());
    }
    M::L(text.split(',').map(|s| M::S(s.trim().to_owned())).collect())
}

struct Model<'a> {
    case: &'a Case,
    /// Condition values assumed (a scenario).
    assume: &'a BTreeMap<String, bool>,
}

impl Model<'_> {
    fn string_param(&self, i: usize) -> &Param {
        &self.case.strings[i % self.case.strings.len()]
    }

    fn condition(&self, i: usize) -> Option<bool> {
        let i = i % self.case.conditions.len();
        if let Some(v) = self.assume.get(&format!("C{i}")) {
            return Some(*v);
        }
        let (p, _, lit) = &self.case.conditions[i];
        self.string_param(*p)
            .value()
            .map(|v| v == &cond_literal(self.case, i, lit))
    }

    fn if_(&self, c: usize, a: M, b: M) -> M {
        match self.condition(c) {
            Some(true) => a,
            Some(false) => b,
            None if a == b && fully_known(&a) => a,
            // Equal values are kept only when their unknown parts have the same reasons.
            None if may_equal(&a, &b) => M::Maybe(Box::new(a)),
            None => M::U,
        }
    }

    fn s(&self, e: &S) -> M {
        match e {
            S::Lit(t) => M::S(t.clone()),
            S::Ref(i) => self
                .string_param(*i)
                .value()
                .map_or(M::U, |v| M::S(v.clone())),
            S::Join(d, l) => lift(&[&self.l(l)], |m| match &m[0] {
                M::L(items) => {
                    let texts: Option<Vec<String>> = items.iter().map(text_of).collect();
                    texts.map_or(M::U, |t| M::S(t.join(d)))
                }
                _ => M::U,
            }),
            S::Select(i, _, l) => lift(&[&self.l(l)], |m| match &m[0] {
                M::L(items) => items.get(*i).cloned().unwrap_or(M::U),
                _ => M::U,
            }),
            S::Sub(parts) => {
                let mut out = String::new();
                for p in parts {
                    match p {
                        SubPart::Lit(t) => out.push_str(t),
                        SubPart::Escape(n) => write!(out, "${{{n}}}").unwrap(),
                        SubPart::Var(i) => match self.string_param(*i).value() {
                            Some(v) => out.push_str(v),
                            None => return M::U,
                        },
                    }
                }
                M::S(out)
            }
            S::SubWith(parts, vars) => {
                let vars: Vec<M> = vars.iter().map(|v| self.s(v)).collect();
                let mut texts = Vec::new();
                for p in parts {
                    match p {
                        SubPart::Lit(t) => texts.push(M::S(t.clone())),
                        SubPart::Escape(n) => texts.push(M::S(format!("${{{n}}}"))),
                        SubPart::Var(i) if i % 2 == 0 && !vars.is_empty() => {
                            texts.push(vars[(i / 2) % vars.len()].clone());
                        }
                        SubPart::Var(i) => texts.push(
                            self.string_param(*i)
                                .value()
                                .map_or(M::U, |v| M::S(v.clone())),
                        ),
                    }
                }
                let refs: Vec<&M> = texts.iter().collect();
                lift(&refs, |m| {
                    m.iter()
                        .map(text_of)
                        .collect::<Option<String>>()
                        .map_or(M::U, M::S)
                })
            }
            S::If(c, a, b) => self.if_(*c, self.s(a), self.s(b)),
            S::Base64(x) => lift(&[&self.s(x)], |m| {
                text_of(&m[0]).map_or(M::U, |t| M::S(data_encoding::BASE64.encode(t.as_bytes())))
            }),
            S::Length(l) => lift(&[&self.l(l)], |m| match &m[0] {
                M::L(items) => M::N(items.len()),
                _ => M::U,
            }),
            S::FindInMap(a, b, default) => {
                let default = default.as_ref().map(|d| self.s(d));
                let (a, b) = (self.s(a), self.s(b));
                let mut inputs = vec![&a, &b];
                inputs.extend(default.as_ref());
                lift(&inputs, |m| {
                    let (Some(a), Some(b)) = (text_of(&m[0]), text_of(&m[1])) else {
                        return M::U;
                    };
                    match self.case.mapping.get(&a).and_then(|second| second.get(&b)) {
                        Some(v) => M::S(v.clone()),
                        None => m.get(2).cloned().unwrap_or(M::U),
                    }
                })
            }
        }
    }

    fn l(&self, e: &L) -> M {
        match e {
            L::Items(items) => M::L(items.iter().map(|i| self.s(i)).collect()),
            // A false condition removes the item; an undecided one makes it Unknown (the
            // item is there in one scenario only).
            L::Optional(items) => M::L(
                items
                    .iter()
                    .filter_map(|(c, x)| match self.condition(*c) {
                        Some(true) => Some(self.s(x)),
                        Some(false) => None,
                        None => Some(M::U),
                    })
                    .collect(),
            ),
            L::Ref(i) => self.case.lists[i % self.case.lists.len()]
                .value()
                .map_or(M::U, |v| split_list(v)),
            L::Split(d, x) => lift(&[&self.s(x)], |m| match text_of(&m[0]) {
                Some(t) if !d.is_empty() => {
                    M::L(t.split(d.as_str()).map(|p| M::S(p.to_owned())).collect())
                }
                _ => M::U,
            }),
            L::If(c, a, b) => self.if_(*c, self.l(a), self.l(b)),
        }
    }
}

/// The literal condition `C<i>` compares its parameter with.
fn cond_literal(case: &Case, i: usize, lit: &str) -> String {
    let (p, same, _) = &case.conditions[i];
    let param = &case.strings[p % case.strings.len()];
    match (same, param.value()) {
        (true, Some(v)) => v.clone(),
        _ => lit.to_owned(),
    }
}

/// Does the evaluated node match the model?
fn matches(node: &Node, m: &M) -> bool {
    match (m, &node.value) {
        (M::U | M::Maybe(_), Value::Unknown(_)) => true,
        (M::S(s), Value::String(t)) => s == t,
        (M::N(n), Value::Number(wa_lint_graph::Number::Int(v))) => {
            i64::try_from(*n).is_ok_and(|n| n == *v)
        }
        (M::L(items), Value::List(nodes)) => {
            items.len() == nodes.len() && items.iter().zip(nodes).all(|(m, n)| matches(n, m))
        }
        (M::Maybe(inner), _) => matches(node, inner),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Writing the template

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// Short form `!Name arg` in YAML, `{"Fn::Name": arg}` in JSON.
fn call(yaml: bool, name: &str, arg: &str) -> String {
    if yaml {
        let short = name.trim_start_matches("Fn::");
        format!("!{short} {arg}")
    } else {
        format!("{{{}: {arg}}}", q(name))
    }
}

fn write_s(c: &Case, e: &S) -> String {
    let y = c.yaml;
    match e {
        S::Lit(t) => q(t),
        S::Ref(i) => call(y, "Ref", &q(&format!("S{}", i % c.strings.len()))),
        S::Join(d, l) => call(y, "Fn::Join", &format!("[{}, {}]", q(d), write_l(c, l))),
        S::Select(i, quoted, l) => {
            let i = if *quoted {
                q(&i.to_string())
            } else {
                i.to_string()
            };
            call(y, "Fn::Select", &format!("[{i}, {}]", write_l(c, l)))
        }
        // Long form: a YAML node takes one tag, and the argument may be tagged.
        S::Base64(x) => call(false, "Fn::Base64", &write_s(c, x)),
        S::Length(l) => call(false, "Fn::Length", &write_l(c, l)),
        S::FindInMap(a, b, d) => {
            let default = d
                .as_ref()
                .map(|d| format!(", {{\"DefaultValue\": {}}}", write_s(c, d)))
                .unwrap_or_default();
            call(
                y,
                "Fn::FindInMap",
                &format!("[\"M0\", {}, {}{default}]", write_s(c, a), write_s(c, b)),
            )
        }
        S::Sub(parts) => {
            let mut t = String::new();
            for p in parts {
                match p {
                    SubPart::Lit(x) => t.push_str(x),
                    SubPart::Var(i) => write!(t, "${{S{}}}", i % c.strings.len()).unwrap(),
                    SubPart::Escape(n) => write!(t, "${{!{n}}}").unwrap(),
                }
            }
            call(y, "Fn::Sub", &q(&t))
        }
        S::SubWith(parts, vars) => {
            let mut t = String::new();
            for p in parts {
                match p {
                    SubPart::Lit(x) => t.push_str(x),
                    SubPart::Var(i) if i % 2 == 0 && !vars.is_empty() => {
                        write!(t, "${{X{}}}", (i / 2) % vars.len()).unwrap();
                    }
                    SubPart::Var(i) => write!(t, "${{S{}}}", i % c.strings.len()).unwrap(),
                    SubPart::Escape(n) => write!(t, "${{!{n}}}").unwrap(),
                }
            }
            let vars: Vec<String> = vars
                .iter()
                .enumerate()
                .map(|(i, v)| format!("\"X{i}\": {}", write_s(c, v)))
                .collect();
            call(
                y,
                "Fn::Sub",
                &format!("[{}, {{{}}}]", q(&t), vars.join(", ")),
            )
        }
        S::If(k, a, b) => call(
            y,
            "Fn::If",
            &format!(
                "[\"C{}\", {}, {}]",
                k % c.conditions.len(),
                write_s(c, a),
                write_s(c, b)
            ),
        ),
    }
}

fn write_l(c: &Case, e: &L) -> String {
    let y = c.yaml;
    match e {
        L::Items(items) => {
            let items: Vec<String> = items.iter().map(|i| write_s(c, i)).collect();
            format!("[{}]", items.join(", "))
        }
        L::Optional(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|(k, i)| {
                    let no = call(y, "Ref", &q("AWS::NoValue"));
                    let args =
                        format!("[\"C{}\", {}, {no}]", k % c.conditions.len(), write_s(c, i));
                    call(y, "Fn::If", &args)
                })
                .collect();
            format!("[{}]", items.join(", "))
        }
        L::Ref(i) => call(y, "Ref", &q(&format!("L{}", i % c.lists.len()))),
        L::Split(d, x) => call(y, "Fn::Split", &format!("[{}, {}]", q(d), write_s(c, x))),
        L::If(k, a, b) => call(
            y,
            "Fn::If",
            &format!(
                "[\"C{}\", {}, {}]",
                k % c.conditions.len(),
                write_l(c, a),
                write_l(c, b)
            ),
        ),
    }
}

/// The template, in flow style (JSON, or YAML with short tags, one entry per line).
fn template(c: &Case) -> String {
    let mut params = Vec::new();
    for (prefix, ty, list) in [
        ("S", "String", &c.strings),
        ("L", "CommaDelimitedList", &c.lists),
    ] {
        for (i, p) in list.iter().enumerate() {
            let default = p
                .default
                .as_ref()
                .map(|d| format!(", \"Default\": {}", q(d)))
                .unwrap_or_default();
            let ty = if p.ssm {
                "AWS::SSM::Parameter::Value<String>"
            } else {
                ty
            };
            params.push(format!("\"{prefix}{i}\": {{\"Type\": \"{ty}\"{default}}}"));
        }
    }
    let conditions: Vec<String> = c
        .conditions
        .iter()
        .enumerate()
        .map(|(i, (p, _, lit))| {
            let r = call(c.yaml, "Ref", &q(&format!("S{}", p % c.strings.len())));
            let lit = cond_literal(c, i, lit);
            format!(
                "\"C{i}\": {}",
                call(c.yaml, "Fn::Equals", &format!("[{r}, {}]", q(&lit)))
            )
        })
        .collect();
    let props: Vec<String> = c
        .props
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let v = match p {
                Prop::S(e) => write_s(c, e),
                Prop::L(e) => write_l(c, e),
            };
            format!("\"V{i}\": {v}")
        })
        .collect();
    let sep = ",\n    ";
    format!(
        "{{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Parameters\": {{\n    {}\n  }},\n  \"Mappings\": {{\"M0\": {}}},\n  \"Conditions\": {{\n    {}\n  }},\n  \"Resources\": {{\"R\": {{\"Type\": \"AWS::SNS::Topic\", \"Properties\": {{\n    {}\n  }}}}}}\n}}\n",
        params.join(sep),
        serde_json::to_string(&c.mapping).unwrap(),
        conditions.join(sep),
        props.join(sep)
    )
}

fn options(c: &Case) -> CfnOptions {
    let mut options = CfnOptions::default();
    for (prefix, list) in [("S", &c.strings), ("L", &c.lists)] {
        for (i, p) in list.iter().enumerate() {
            if let Some(v) = &p.given {
                options.parameters.insert(format!("{prefix}{i}"), v.clone());
            }
        }
    }
    options
}

fn check(c: &Case) -> Result<(), TestCaseError> {
    let text = template(c);
    let (path, format) = if c.yaml {
        ("t.yaml", Format::Yaml)
    } else {
        ("t.json", Format::Json)
    };
    let file = SourceFile::new(FileId(0), path, text, format);
    let out = wa_lint_cfn::parse_template_with(&file, &options(c)).expect("a template");
    prop_assert!(
        out.diagnostics.is_empty(),
        "{:?}\n{}",
        out.diagnostics,
        file.text
    );
    let no_assumptions = BTreeMap::new();
    let mut graphs = vec![(out.graph.as_ref().unwrap(), no_assumptions)];
    for s in &out.scenarios {
        graphs.push((&s.graph, s.assumptions.iter().cloned().collect()));
    }
    for (g, assume) in &graphs {
        let model = Model { case: c, assume };
        let r = &g.resources["R"];
        for (i, p) in c.props.iter().enumerate() {
            let expected = match p {
                Prop::S(e) => model.s(e),
                Prop::L(e) => model.l(e),
            };
            let got = r.attrs.get(&format!("V{i}"));
            prop_assert!(got.is_some(), "V{} missing\n{}", i, file.text);
            let got = got.unwrap();
            prop_assert!(
                matches(got, &expected),
                "V{i} under {assume:?}: got {:?}, model {:?}\n{}",
                got.value,
                expected,
                file.text
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn intrinsic_functions_agree_with_the_model(c in case()) {
        check(&c)?;
    }
}
