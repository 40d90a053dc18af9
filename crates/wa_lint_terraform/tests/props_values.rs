//! Property tests of expression evaluation: random, well-typed nestings of arithmetic,
//! comparisons, `&&`/`||`, string templates (with `$${`/`%%{` escapes), conditionals, `join`,
//! `split`, `upper`, `length`, `concat`, `lookup`, `merge` and `for` expressions over variables
//! with and without default are compared with a small model of Terraform's semantics. An
//! unknown input never yields a wrongly known output; known inputs give the model's value.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    // Expression printers and models name their operands `a`, `b`, `c`, `d`, `k`, `m`.
    clippy::many_single_char_names
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation as _;
use wa_lint_graph::{Node, Number, Value};
use wa_lint_source::{FileId, Format, SourceFile};

/// Text of literals, keys and defaults: multi-byte characters, quotes, backslashes and the
/// template markers `${` / `%{` (escaped when written).
fn text(max: usize) -> impl Strategy<Value = String> {
    let pieces = &[
        "a", "b", "x", " ", "-", ":", "é", "e\u{301}", "🦀", "\"", "\\", "$", "{", "%", "}",
    ][..];
    proptest::collection::vec(proptest::sample::select(pieces), 0..max).prop_map(|v| v.concat())
}

#[derive(Debug, Clone)]
enum S {
    Lit(String),
    /// `var.s<i>` (string, default or none).
    Var(usize),
    /// `"lit${s}lit${s}"`.
    Tpl(Vec<(String, S)>),
    /// `"<prefix>${n}"` (non-empty prefix, so the result is a string).
    NumText(String, Box<N>),
    Cond(Box<B>, Box<S>, Box<S>),
    Join(String, Box<Ls>),
    Upper(Box<S>),
    Lookup(Box<Ms>, String, Box<S>),
    /// `format("<p>%s-%d", s, n)`.
    Format(String, Box<S>, Box<N>),
    /// `replace(s, sub, rep)` (`sub` not a `/regex/`).
    Replace(Box<S>, String, String),
    /// `element(concat(l, ["e"]), i)` (never an empty list: no evaluation error).
    Element(Box<Ls>, usize),
    /// `coalesce(a, b, "z")`.
    Coalesce(Box<S>, Box<S>),
    /// `concat(l, ["p0", "p1", "p2"])[i]`, `i` < 3 (always in range).
    Index(Box<Ls>, usize),
    /// `merge({ "k" = "d" }, m)["k"]` (the key always exists).
    MapIndex(Box<Ms>, String),
    ToString(Box<N>),
}

#[derive(Debug, Clone)]
enum N {
    Lit(i64),
    /// `var.n<i>` (number, default or none).
    Var(usize),
    Add(Box<N>, Box<N>),
    Mul(Box<N>, i64),
    Cond(Box<B>, Box<N>, Box<N>),
    Length(Box<Ls>),
    Neg(Box<N>),
    /// `length(s)`: grapheme clusters.
    StrLen(Box<S>),
    Min(Box<N>, Box<N>),
    Max(Box<N>, Box<N>),
}

#[derive(Debug, Clone)]
enum B {
    Lit(bool),
    Eq(Box<S>, Box<S>),
    Lt(Box<N>, Box<N>),
    And(Box<B>, Box<B>),
    Or(Box<B>, Box<B>),
    Not(Box<B>),
    Ne(Box<S>, Box<S>),
    Contains(Box<Ls>, Box<S>),
}

#[derive(Debug, Clone)]
enum Ls {
    Items(Vec<S>),
    Concat(Box<Ls>, Box<Ls>),
    /// `[for x in l : "<prefix>${x}"]`.
    For(Box<Ls>, String),
    Split(String, Box<S>),
    Cond(Box<B>, Box<Ls>, Box<Ls>),
    Distinct(Box<Ls>),
    Compact(Box<Ls>),
    ToSet(Box<Ls>),
    /// `flatten([a, b])`.
    Flatten(Box<Ls>, Box<Ls>),
    Keys(Box<Ms>),
    Values(Box<Ms>),
    Reverse(Box<Ls>),
    Sort(Box<Ls>),
    /// `[for x in l : x if x != s]`.
    ForIf(Box<Ls>, Box<S>),
}

#[derive(Debug, Clone)]
enum Ms {
    Obj(Vec<(String, S)>),
    Merge(Box<Ms>, Box<Ms>),
    /// `{for k, v in m : "${k}<p>" => v}`.
    ForObj(Box<Ms>, String),
}

#[derive(Debug, Clone)]
enum Expr {
    S(S),
    N(N),
    B(B),
    Ls(Ls),
    Ms(Ms),
}

/// Strategies for the five expression types, nested to `depth`.
#[derive(Clone)]
struct Gen {
    s: BoxedStrategy<S>,
    n: BoxedStrategy<N>,
    b: BoxedStrategy<B>,
    ls: BoxedStrategy<Ls>,
    ms: BoxedStrategy<Ms>,
}

fn gen(depth: u32) -> Gen {
    let s_leaf = prop_oneof![text(4).prop_map(S::Lit), any::<usize>().prop_map(S::Var)];
    let n_leaf = prop_oneof![
        (-50i64..50).prop_map(N::Lit),
        any::<usize>().prop_map(N::Var)
    ];
    if depth == 0 {
        let s = s_leaf.boxed();
        return Gen {
            s: s.clone(),
            n: n_leaf.boxed(),
            b: any::<bool>().prop_map(B::Lit).boxed(),
            ls: proptest::collection::vec(s.clone(), 0..3)
                .prop_map(Ls::Items)
                .boxed(),
            ms: proptest::collection::vec((text(3), s), 0..3)
                .prop_map(|kv| Ms::Obj(unique(kv)))
                .boxed(),
        };
    }
    let g = gen(depth - 1);
    let s = prop_oneof![
        2 => s_leaf,
        1 => proptest::collection::vec((text(3), g.s.clone()), 1..3).prop_map(S::Tpl),
        1 => ("[a-z:=]{1,3}", g.n.clone()).prop_map(move |(p, n)| S::NumText(p, Box::new(n))),
        1 => (g.b.clone(), g.s.clone(), g.s.clone())
            .prop_map(move |(c, a, b)| S::Cond(Box::new(c), Box::new(a), Box::new(b))),
        1 => (text(2), g.ls.clone()).prop_map(move |(d, l)| S::Join(d, Box::new(l))),
        1 => g.s.clone().prop_map(move |x| S::Upper(Box::new(x))),
        1 => (g.ms.clone(), text(3), g.s.clone())
            .prop_map(move |(m, k, d)| S::Lookup(Box::new(m), k, Box::new(d))),
        1 => ("[a-z]{0,2}", g.s.clone(), g.n.clone())
            .prop_map(|(p, x, n)| S::Format(p, Box::new(x), Box::new(n))),
        1 => (g.s.clone(), "[abé]{1,2}", "[a-z]{0,2}")
            .prop_map(|(x, f, t)| S::Replace(Box::new(x), f, t)),
        1 => (g.ls.clone(), 0usize..5).prop_map(|(l, i)| S::Element(Box::new(l), i)),
        1 => (g.s.clone(), g.s.clone()).prop_map(|(a, b)| S::Coalesce(Box::new(a), Box::new(b))),
        1 => (g.ls.clone(), 0usize..3).prop_map(|(l, i)| S::Index(Box::new(l), i)),
        1 => (g.ms.clone(), text(3)).prop_map(|(m, k)| S::MapIndex(Box::new(m), k)),
        1 => g.n.clone().prop_map(|n| S::ToString(Box::new(n))),
    ]
    .boxed();
    let n = prop_oneof![
        2 => n_leaf,
        1 => (g.n.clone(), g.n.clone()).prop_map(move |(a, b)| N::Add(Box::new(a), Box::new(b))),
        1 => (g.n.clone(), -5i64..5).prop_map(move |(a, k)| N::Mul(Box::new(a), k)),
        1 => (g.b.clone(), g.n.clone(), g.n.clone())
            .prop_map(move |(c, a, b)| N::Cond(Box::new(c), Box::new(a), Box::new(b))),
        1 => g.ls.clone().prop_map(move |l| N::Length(Box::new(l))),
        1 => g.n.clone().prop_map(|x| N::Neg(Box::new(x))),
        1 => g.s.clone().prop_map(|x| N::StrLen(Box::new(x))),
        1 => (g.n.clone(), g.n.clone()).prop_map(|(a, b)| N::Min(Box::new(a), Box::new(b))),
        1 => (g.n.clone(), g.n.clone()).prop_map(|(a, b)| N::Max(Box::new(a), Box::new(b))),
    ]
    .boxed();
    let b = prop_oneof![
        any::<bool>().prop_map(B::Lit),
        (g.s.clone(), g.s.clone()).prop_map(move |(a, b)| B::Eq(Box::new(a), Box::new(b))),
        (g.n.clone(), g.n.clone()).prop_map(move |(a, b)| B::Lt(Box::new(a), Box::new(b))),
        (g.b.clone(), g.b.clone()).prop_map(move |(a, b)| B::And(Box::new(a), Box::new(b))),
        (g.b.clone(), g.b.clone()).prop_map(move |(a, b)| B::Or(Box::new(a), Box::new(b))),
        g.b.clone().prop_map(|x| B::Not(Box::new(x))),
        (g.s.clone(), g.s.clone()).prop_map(|(a, b)| B::Ne(Box::new(a), Box::new(b))),
        (g.ls.clone(), g.s.clone()).prop_map(|(l, x)| B::Contains(Box::new(l), Box::new(x))),
    ]
    .boxed();
    let ls = prop_oneof![
        proptest::collection::vec(g.s.clone(), 0..4).prop_map(Ls::Items),
        (g.ls.clone(), g.ls.clone()).prop_map(move |(a, b)| Ls::Concat(Box::new(a), Box::new(b))),
        (g.ls.clone(), "[a-z]{1,2}").prop_map(move |(l, p)| Ls::For(Box::new(l), p)),
        ("[-:,é]{1,2}", g.s.clone()).prop_map(move |(d, x)| Ls::Split(d, Box::new(x))),
        (g.b.clone(), g.ls.clone(), g.ls.clone()).prop_map(move |(c, a, b)| Ls::Cond(
            Box::new(c),
            Box::new(a),
            Box::new(b)
        )),
        g.ls.clone().prop_map(|l| Ls::Distinct(Box::new(l))),
        g.ls.clone().prop_map(|l| Ls::Compact(Box::new(l))),
        g.ls.clone().prop_map(|l| Ls::ToSet(Box::new(l))),
        (g.ls.clone(), g.ls.clone()).prop_map(|(a, b)| Ls::Flatten(Box::new(a), Box::new(b))),
        g.ms.clone().prop_map(|m| Ls::Keys(Box::new(m))),
        g.ms.clone().prop_map(|m| Ls::Values(Box::new(m))),
        g.ls.clone().prop_map(|l| Ls::Reverse(Box::new(l))),
        g.ls.clone().prop_map(|l| Ls::Sort(Box::new(l))),
        (g.ls.clone(), g.s.clone()).prop_map(|(l, x)| Ls::ForIf(Box::new(l), Box::new(x))),
    ]
    .boxed();
    let ms = prop_oneof![
        proptest::collection::vec((text(3), g.s.clone()), 0..3).prop_map(|kv| Ms::Obj(unique(kv))),
        (g.ms.clone(), g.ms.clone()).prop_map(move |(a, b)| Ms::Merge(Box::new(a), Box::new(b))),
        (g.ms.clone(), "[a-z]{1,2}").prop_map(|(m, p)| Ms::ForObj(Box::new(m), p)),
    ]
    .boxed();
    Gen { s, n, b, ls, ms }
}

fn unique(kv: Vec<(String, S)>) -> Vec<(String, S)> {
    let mut seen = std::collections::BTreeSet::new();
    kv.into_iter()
        .filter(|(k, _)| seen.insert(k.clone()))
        .collect()
}

#[derive(Debug, Clone)]
struct Case {
    /// Defaults of `var.s<i>` (strings) and `var.n<i>` (numbers); `None`: no default.
    strings: Vec<Option<String>>,
    numbers: Vec<Option<i64>>,
    exprs: Vec<Expr>,
}

fn case() -> impl Strategy<Value = Case> {
    let g = gen(3);
    let expr = prop_oneof![
        g.s.prop_map(Expr::S),
        g.n.prop_map(Expr::N),
        g.b.prop_map(Expr::B),
        g.ls.prop_map(Expr::Ls),
        g.ms.prop_map(Expr::Ms),
    ];
    (
        proptest::collection::vec(proptest::option::of(text(4)), 1..3),
        proptest::collection::vec(proptest::option::of(-50i64..50), 1..3),
        proptest::collection::vec(expr, 1..5),
    )
        .prop_map(|(strings, numbers, exprs)| Case {
            strings,
            numbers,
            exprs,
        })
}

// ---------------------------------------------------------------------------------------------
// The model

#[derive(Debug, Clone, PartialEq)]
enum T {
    S(String),
    N(i64),
    B(bool),
    L(Vec<T>),
    M(BTreeMap<String, T>),
    U,
}

fn fully_known(t: &T) -> bool {
    match t {
        T::U => false,
        T::L(items) => items.iter().all(fully_known),
        T::M(m) => m.values().all(fully_known),
        _ => true,
    }
}

/// A conditional: an unknown condition gives the branches' value only when both are known
/// and equal.
fn cond(c: &T, a: impl FnOnce() -> T, b: impl FnOnce() -> T) -> T {
    match c {
        T::B(true) => a(),
        T::B(false) => b(),
        _ => {
            let (a, b) = (a(), b());
            if fully_known(&a) && a == b {
                a
            } else {
                T::U
            }
        }
    }
}

fn text_of(t: &T) -> Option<String> {
    match t {
        T::S(s) => Some(s.clone()),
        T::N(n) => Some(n.to_string()),
        T::B(b) => Some(b.to_string()),
        _ => None,
    }
}

struct Model<'a>(&'a Case);

impl Model<'_> {
    fn s(&self, e: &S) -> T {
        let c = self.0;
        match e {
            S::Lit(t) => T::S(t.clone()),
            S::Var(i) => c.strings[i % c.strings.len()].clone().map_or(T::U, T::S),
            S::Tpl(parts) => {
                if let [(lit, only)] = parts.as_slice() {
                    if lit.is_empty() {
                        return self.s(only);
                    }
                }
                let mut out = String::new();
                for (lit, x) in parts {
                    out.push_str(lit);
                    match text_of(&self.s(x)) {
                        Some(t) => out.push_str(&t),
                        None => return T::U,
                    }
                }
                T::S(out)
            }
            S::NumText(p, n) => match self.n(n) {
                T::N(v) => T::S(format!("{p}{v}")),
                _ => T::U,
            },
            S::Cond(k, a, b) => cond(&self.b(k), || self.s(a), || self.s(b)),
            S::Join(d, l) => match self.ls(l) {
                T::L(items) => items
                    .iter()
                    .map(text_of)
                    .collect::<Option<Vec<_>>>()
                    .map_or(T::U, |t| T::S(t.join(d))),
                _ => T::U,
            },
            S::Upper(x) => match self.s(x) {
                T::S(t) => T::S(t.to_uppercase()),
                _ => T::U,
            },
            S::Format(p, x, n) => match (self.s(x), self.n(n)) {
                (T::S(x), T::N(n)) => T::S(format!("{p}{x}-{n}")),
                _ => T::U,
            },
            S::Replace(x, f, t) => match self.s(x) {
                T::S(x) => T::S(x.replace(f.as_str(), t)),
                _ => T::U,
            },
            S::Element(l, i) => match self.ls(l) {
                T::L(mut items) => {
                    items.push(T::S("e".into()));
                    items[i % items.len()].clone()
                }
                _ => T::U,
            },
            S::Coalesce(a, b) => match (self.s(a), self.s(b)) {
                (T::S(a), T::S(b)) => [a, b, "z".into()]
                    .into_iter()
                    .find(|x| !x.is_empty())
                    .map_or(T::U, T::S),
                _ => T::U,
            },
            S::Index(l, i) => match self.ls(l) {
                T::L(mut items) => {
                    items.extend((0..3).map(|j| T::S(format!("p{j}"))));
                    items[*i].clone()
                }
                _ => T::U,
            },
            S::MapIndex(m, k) => match self.ms(m) {
                T::M(map) => map.get(k).cloned().unwrap_or_else(|| T::S("d".into())),
                _ => T::U,
            },
            S::ToString(n) => match self.n(n) {
                T::N(n) => T::S(n.to_string()),
                _ => T::U,
            },
            S::Lookup(m, k, d) => match (self.ms(m), self.s(d)) {
                (T::M(map), d) if d != T::U => map.get(k).cloned().unwrap_or(d),
                _ => T::U,
            },
        }
    }

    fn n(&self, e: &N) -> T {
        let c = self.0;
        match e {
            N::Lit(v) => T::N(*v),
            N::Var(i) => c.numbers[i % c.numbers.len()].map_or(T::U, T::N),
            N::Add(a, b) => match (self.n(a), self.n(b)) {
                (T::N(x), T::N(y)) => T::N(x + y),
                _ => T::U,
            },
            N::Mul(a, k) => match self.n(a) {
                T::N(x) => T::N(x * k),
                _ => T::U,
            },
            N::Cond(k, a, b) => cond(&self.b(k), || self.n(a), || self.n(b)),
            N::Length(l) => match self.ls(l) {
                T::L(items) => T::N(i64::try_from(items.len()).unwrap()),
                _ => T::U,
            },
            N::Neg(x) => match self.n(x) {
                T::N(x) => T::N(-x),
                _ => T::U,
            },
            N::StrLen(x) => match self.s(x) {
                T::S(t) => T::N(i64::try_from(t.graphemes(true).count()).unwrap()),
                _ => T::U,
            },
            N::Min(a, b) | N::Max(a, b) => match (self.n(a), self.n(b)) {
                (T::N(x), T::N(y)) if matches!(e, N::Min(..)) => T::N(x.min(y)),
                (T::N(x), T::N(y)) => T::N(x.max(y)),
                _ => T::U,
            },
        }
    }

    fn b(&self, e: &B) -> T {
        match e {
            B::Lit(v) => T::B(*v),
            B::Eq(a, b) => match (self.s(a), self.s(b)) {
                (T::S(x), T::S(y)) => T::B(x == y),
                _ => T::U,
            },
            B::Lt(a, b) => match (self.n(a), self.n(b)) {
                (T::N(x), T::N(y)) => T::B(x < y),
                _ => T::U,
            },
            B::And(a, b) => match (self.b(a), self.b(b)) {
                (T::B(false), _) | (_, T::B(false)) => T::B(false),
                (T::B(true), T::B(true)) => T::B(true),
                _ => T::U,
            },
            B::Or(a, b) => match (self.b(a), self.b(b)) {
                (T::B(true), _) | (_, T::B(true)) => T::B(true),
                (T::B(false), T::B(false)) => T::B(false),
                _ => T::U,
            },
            B::Not(x) => match self.b(x) {
                T::B(x) => T::B(!x),
                _ => T::U,
            },
            B::Ne(a, b) => match (self.s(a), self.s(b)) {
                (T::S(x), T::S(y)) => T::B(x != y),
                _ => T::U,
            },
            B::Contains(l, x) => match (self.ls(l), self.s(x)) {
                (T::L(items), T::S(x)) if items.iter().all(fully_known) => {
                    T::B(items.contains(&T::S(x)))
                }
                _ => T::U,
            },
        }
    }

    fn ls(&self, e: &Ls) -> T {
        match e {
            Ls::Items(items) => T::L(items.iter().map(|i| self.s(i)).collect()),
            Ls::Concat(a, b) => match (self.ls(a), self.ls(b)) {
                (T::L(mut x), T::L(y)) => {
                    x.extend(y);
                    T::L(x)
                }
                _ => T::U,
            },
            Ls::For(l, p) => match self.ls(l) {
                T::L(items) => T::L(
                    items
                        .iter()
                        .map(|i| text_of(i).map_or(T::U, |t| T::S(format!("{p}{t}"))))
                        .collect(),
                ),
                _ => T::U,
            },
            Ls::Split(d, x) => match self.s(x) {
                T::S(t) => T::L(t.split(d.as_str()).map(|p| T::S(p.to_owned())).collect()),
                _ => T::U,
            },
            Ls::Cond(k, a, b) => cond(&self.b(k), || self.ls(a), || self.ls(b)),
            // An unknown element may equal another, be empty, or be a list: the result is
            // unknown (Terraform: the whole list must be known).
            Ls::Distinct(l) | Ls::Compact(l) | Ls::ToSet(l) => match self.ls(l) {
                T::L(items) if items.iter().all(fully_known) => {
                    let mut out: Vec<T> = Vec::new();
                    for i in items {
                        let keep = match e {
                            Ls::Compact(_) => i != T::S(String::new()),
                            _ => !out.contains(&i),
                        };
                        if keep {
                            out.push(i);
                        }
                    }
                    if matches!(e, Ls::ToSet(_)) {
                        out.sort_by_key(text_of);
                    }
                    T::L(out)
                }
                _ => T::U,
            },
            Ls::Keys(m) => match self.ms(m) {
                T::M(map) => T::L(map.keys().map(|k| T::S(k.clone())).collect()),
                _ => T::U,
            },
            Ls::Values(m) => match self.ms(m) {
                T::M(map) => T::L(map.into_values().collect()),
                _ => T::U,
            },
            Ls::Reverse(l) | Ls::Sort(l) => match self.ls(l) {
                T::L(mut items) if items.iter().all(fully_known) => {
                    if matches!(e, Ls::Sort(_)) {
                        items.sort_by_key(text_of);
                    } else {
                        items.reverse();
                    }
                    T::L(items)
                }
                _ => T::U,
            },
            Ls::ForIf(l, x) => match (self.ls(l), self.s(x)) {
                (T::L(items), _) if items.is_empty() => T::L(items),
                (T::L(items), T::S(x)) if items.iter().all(fully_known) => T::L(
                    items
                        .into_iter()
                        .filter(|i| *i != T::S(x.clone()))
                        .collect(),
                ),
                _ => T::U,
            },
            Ls::Flatten(a, b) => match (self.ls(a), self.ls(b)) {
                (T::L(mut x), T::L(y)) if !x.contains(&T::U) && !y.contains(&T::U) => {
                    x.extend(y);
                    T::L(x)
                }
                _ => T::U,
            },
        }
    }

    fn ms(&self, e: &Ms) -> T {
        match e {
            Ms::Obj(kv) => T::M(kv.iter().map(|(k, v)| (k.clone(), self.s(v))).collect()),
            Ms::Merge(a, b) => match (self.ms(a), self.ms(b)) {
                (T::M(mut x), T::M(y)) => {
                    x.extend(y);
                    T::M(x)
                }
                _ => T::U,
            },
            Ms::ForObj(m, p) => match self.ms(m) {
                T::M(map) => T::M(
                    map.into_iter()
                        .map(|(k, v)| (format!("{k}{p}"), v))
                        .collect(),
                ),
                _ => T::U,
            },
        }
    }

    fn expr(&self, e: &Expr) -> T {
        match e {
            Expr::S(x) => self.s(x),
            Expr::N(x) => self.n(x),
            Expr::B(x) => self.b(x),
            Expr::Ls(x) => self.ls(x),
            Expr::Ms(x) => self.ms(x),
        }
    }
}

fn matches(node: &Node, t: &T) -> bool {
    match (t, &node.value) {
        (T::U, Value::Unknown(_)) => true,
        (T::S(s), Value::String(v)) => s == v,
        (T::N(n), Value::Number(Number::Int(v))) => n == v,
        (T::B(b), Value::Bool(v)) => b == v,
        (T::L(items), Value::List(nodes)) => {
            items.len() == nodes.len() && items.iter().zip(nodes).all(|(t, n)| matches(n, t))
        }
        (T::M(map), Value::Map(entries)) => {
            map.len() == entries.len()
                && map
                    .iter()
                    .zip(entries)
                    .all(|((k, t), (j, e))| k == j && matches(&e.node, t))
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Writing HCL

/// A quoted template literal: `\`, `"`, newlines escaped, `${`/`%{` doubled.
fn lit(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn q(s: &str) -> String {
    format!("\"{}\"", lit(s))
}

fn ws(c: &Case, e: &S) -> String {
    match e {
        S::Lit(t) => q(t),
        S::Var(i) => format!("var.s{}", i % c.strings.len()),
        S::Tpl(parts) => {
            let mut out = String::from("\"");
            for (l, x) in parts {
                // `$` just before `${` would read as the escape `$${`: write the trailing `$`s
                // as an interpolation of a string (`${"$$"}`).
                let head = l.trim_end_matches('$');
                let dollars = &l[head.len()..];
                if dollars.is_empty() {
                    out.push_str(&lit(head));
                } else {
                    write!(out, "{}${{\"{dollars}\"}}", lit(head)).unwrap();
                }
                write!(out, "${{{}}}", ws(c, x)).unwrap();
            }
            out.push('"');
            out
        }
        S::NumText(p, n) => format!("\"{}${{{}}}\"", lit(p), wn(c, n)),
        S::Cond(k, a, b) => format!("({} ? {} : {})", wb(c, k), ws(c, a), ws(c, b)),
        S::Join(d, l) => format!("join({}, {})", q(d), wl(c, l)),
        S::Upper(x) => format!("upper({})", ws(c, x)),
        S::Lookup(m, k, d) => format!("lookup({}, {}, {})", wm(c, m), q(k), ws(c, d)),
        S::Format(p, x, n) => format!("format(\"{p}%s-%d\", {}, {})", ws(c, x), wn(c, n)),
        S::Replace(x, f, t) => format!("replace({}, {}, {})", ws(c, x), q(f), q(t)),
        S::Element(l, i) => format!("element(concat({}, [\"e\"]), {i})", wl(c, l)),
        S::Coalesce(a, b) => format!("coalesce({}, {}, \"z\")", ws(c, a), ws(c, b)),
        S::Index(l, i) => format!("concat({}, [\"p0\", \"p1\", \"p2\"])[{i}]", wl(c, l)),
        S::MapIndex(m, k) => format!("merge({{ {} = \"d\" }}, {})[{}]", q(k), wm(c, m), q(k)),
        S::ToString(n) => format!("tostring({})", wn(c, n)),
    }
}

fn wn(c: &Case, e: &N) -> String {
    match e {
        N::Lit(v) => format!("({v})"),
        N::Var(i) => format!("var.n{}", i % c.numbers.len()),
        N::Add(a, b) => format!("({} + {})", wn(c, a), wn(c, b)),
        N::Mul(a, k) => format!("({} * ({k}))", wn(c, a)),
        N::Cond(k, a, b) => format!("({} ? {} : {})", wb(c, k), wn(c, a), wn(c, b)),
        N::Length(l) => format!("length({})", wl(c, l)),
        N::Neg(x) => format!("(-{})", wn(c, x)),
        N::StrLen(x) => format!("length({})", ws(c, x)),
        N::Min(a, b) => format!("min({}, {})", wn(c, a), wn(c, b)),
        N::Max(a, b) => format!("max({}, {})", wn(c, a), wn(c, b)),
    }
}

fn wb(c: &Case, e: &B) -> String {
    match e {
        B::Lit(v) => v.to_string(),
        B::Eq(a, b) => format!("({} == {})", ws(c, a), ws(c, b)),
        B::Lt(a, b) => format!("({} < {})", wn(c, a), wn(c, b)),
        B::And(a, b) => format!("({} && {})", wb(c, a), wb(c, b)),
        B::Or(a, b) => format!("({} || {})", wb(c, a), wb(c, b)),
        B::Not(x) => format!("(!{})", wb(c, x)),
        B::Ne(a, b) => format!("({} != {})", ws(c, a), ws(c, b)),
        B::Contains(l, x) => format!("contains({}, {})", wl(c, l), ws(c, x)),
    }
}

fn wl(c: &Case, e: &Ls) -> String {
    match e {
        Ls::Items(items) => {
            let items: Vec<String> = items.iter().map(|i| ws(c, i)).collect();
            format!("[{}]", items.join(", "))
        }
        Ls::Concat(a, b) => format!("concat({}, {})", wl(c, a), wl(c, b)),
        Ls::For(l, p) => format!("[for x in {} : \"{p}${{x}}\"]", wl(c, l)),
        Ls::Split(d, x) => format!("split({}, {})", q(d), ws(c, x)),
        Ls::Cond(k, a, b) => format!("({} ? {} : {})", wb(c, k), wl(c, a), wl(c, b)),
        Ls::Distinct(l) => format!("distinct({})", wl(c, l)),
        Ls::Compact(l) => format!("compact({})", wl(c, l)),
        Ls::ToSet(l) => format!("toset({})", wl(c, l)),
        Ls::Flatten(a, b) => format!("flatten([{}, {}])", wl(c, a), wl(c, b)),
        Ls::Keys(m) => format!("keys({})", wm(c, m)),
        Ls::Values(m) => format!("values({})", wm(c, m)),
        Ls::Reverse(l) => format!("reverse({})", wl(c, l)),
        Ls::Sort(l) => format!("sort({})", wl(c, l)),
        Ls::ForIf(l, x) => format!("[for x in {} : x if x != {}]", wl(c, l), ws(c, x)),
    }
}

fn wm(c: &Case, e: &Ms) -> String {
    match e {
        Ms::Obj(kv) => {
            let body: Vec<String> = kv
                .iter()
                .map(|(k, v)| format!("{} = {}", q(k), ws(c, v)))
                .collect();
            format!("{{ {} }}", body.join(", "))
        }
        Ms::Merge(a, b) => format!("merge({}, {})", wm(c, a), wm(c, b)),
        Ms::ForObj(m, p) => format!("{{for k, v in {} : \"${{k}}{p}\" => v}}", wm(c, m)),
    }
}

fn module(c: &Case) -> String {
    let mut out = String::new();
    for (i, d) in c.strings.iter().enumerate() {
        match d {
            Some(d) => writeln!(out, "variable \"s{i}\" {{\n  default = {}\n}}", q(d)),
            None => writeln!(out, "variable \"s{i}\" {{}}"),
        }
        .unwrap();
    }
    for (i, d) in c.numbers.iter().enumerate() {
        match d {
            Some(d) => writeln!(
                out,
                "variable \"n{i}\" {{\n  type    = number\n  default = {d}\n}}"
            ),
            None => writeln!(out, "variable \"n{i}\" {{\n  type = number\n}}"),
        }
        .unwrap();
    }
    out.push_str("resource \"null_resource\" \"r\" {\n");
    for (i, e) in c.exprs.iter().enumerate() {
        let text = match e {
            Expr::S(x) => ws(c, x),
            Expr::N(x) => wn(c, x),
            Expr::B(x) => wb(c, x),
            Expr::Ls(x) => wl(c, x),
            Expr::Ms(x) => wm(c, x),
        };
        writeln!(out, "  v{i} = {text}").unwrap();
    }
    out.push_str("}\n");
    out
}

/// The same module in JSON syntax: variable defaults literal, every attribute a string
/// holding one interpolation of the HCL expression (`"${join(\"-\", [var.s0])}"`), a string
/// literal a JSON string with `${` / `%{` escaped.
fn module_json(c: &Case) -> String {
    let j = |s: &str| serde_json::to_string(s).unwrap();
    let mut vars = Vec::new();
    for (i, d) in c.strings.iter().enumerate() {
        let body = d
            .as_ref()
            .map(|d| format!("\"default\": {}", j(d)))
            .unwrap_or_default();
        vars.push(format!("\"s{i}\": {{{body}}}"));
    }
    for (i, d) in c.numbers.iter().enumerate() {
        let default = d.map(|d| format!(", \"default\": {d}")).unwrap_or_default();
        vars.push(format!("\"n{i}\": {{\"type\": \"number\"{default}}}"));
    }
    let attrs: Vec<String> = c
        .exprs
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let value = match e {
                Expr::S(S::Lit(t)) => j(&t.replace("${", "$${").replace("%{", "%%{")),
                Expr::S(x) => j(&format!("${{{}}}", ws(c, x))),
                Expr::N(x) => j(&format!("${{{}}}", wn(c, x))),
                Expr::B(x) => j(&format!("${{{}}}", wb(c, x))),
                Expr::Ls(x) => j(&format!("${{{}}}", wl(c, x))),
                Expr::Ms(x) => j(&format!("${{{}}}", wm(c, x))),
            };
            format!("\"v{i}\": {value}")
        })
        .collect();
    format!(
        "{{\n  \"variable\": {{\n    {}\n  }},\n  \"resource\": {{\"null_resource\": {{\"r\": {{\n    {}\n  }}}}}}\n}}\n",
        vars.join(",\n    "),
        attrs.join(",\n    ")
    )
}

fn check(c: &Case) -> Result<(), TestCaseError> {
    check_file(
        c,
        &SourceFile::new(FileId(0), "main.tf", module(c), Format::Hcl),
    )?;
    check_file(
        c,
        &SourceFile::new(FileId(0), "main.tf.json", module_json(c), Format::Json),
    )
}

fn check_file(c: &Case, file: &SourceFile) -> Result<(), TestCaseError> {
    let out = wa_lint_terraform::parse_module("", std::slice::from_ref(file));
    prop_assert!(
        out.diagnostics.is_empty(),
        "{:?}\n{}",
        out.diagnostics,
        file.text
    );
    let g = out.graph.unwrap();
    let r = &g.resources["null_resource.r"];
    let model = Model(c);
    for (i, e) in c.exprs.iter().enumerate() {
        let expected = model.expr(e);
        let got = r.attrs.get(&format!("v{i}"));
        prop_assert!(got.is_some(), "v{} missing\n{}", i, file.text);
        let got = got.unwrap();
        prop_assert!(
            matches(got, &expected),
            "v{i}: got {:?}, model {:?}\n{}",
            got.value,
            expected,
            file.text
        );
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
    fn expressions_agree_with_the_model(c in case()) {
        check(&c)?;
    }
}

/// Found by `expressions_agree_with_the_model`: `compact`, `toset` and `flatten` of a list
/// holding an unknown element gave a list of known length (`compact([var.s])` had one element,
/// but is empty when `var.s` is `""`; `toset([var.s, "a"])` has one element when `var.s` is
/// `"a"`; `flatten([["a"], var.l])` has as many as `var.l`). Terraform needs the whole list
/// known; so does the evaluator now.
#[test]
fn collection_functions_of_lists_with_unknown_elements_are_unknown() {
    let text = r#"variable "s" {}
variable "l" {}
resource "null_resource" "r" {
  compact = compact(["", var.s, "a"])
  toset   = toset([var.s, "a"])
  flatten = flatten([["a"], var.l])
  known   = compact(["", "b", "a"])
  set     = toset(["b", "a", "b"])
  flat    = flatten([["a"], [], ["b", ["c"]]])
}
"#;
    let file = SourceFile::new(FileId(0), "main.tf", text, Format::Hcl);
    let out = wa_lint_terraform::parse_module("", std::slice::from_ref(&file));
    assert_eq!(out.diagnostics, vec![]);
    let g = out.graph.unwrap();
    let r = &g.resources["null_resource.r"];
    for unknown in ["compact", "toset", "flatten"] {
        assert!(r.attrs.get(unknown).unwrap().is_unknown(), "{unknown}");
    }
    let strings = |k: &str| match &r.attrs.get(k).unwrap().value {
        Value::List(items) => items
            .iter()
            .map(|n| n.as_str().unwrap().to_owned())
            .collect::<Vec<_>>(),
        other => panic!("{k}: {other:?}"),
    };
    assert_eq!(strings("known"), ["b", "a"]);
    assert_eq!(strings("set"), ["a", "b"]);
    assert_eq!(strings("flat"), ["a", "b", "c"]);
}

/// Terraform counts the characters of a string as grapheme clusters (Unicode Standard Annex
/// #29: <https://developer.hashicorp.com/terraform/language/functions/length>), in `length()`
/// and `substr()`; the evaluator counted Unicode scalar values (`length("e\u{301}")` was 2).
#[test]
fn string_length_and_substr_count_grapheme_clusters() {
    let text = "resource \"null_resource\" \"r\" {\n  combining = length(\"e\\u0301\")\n  family = length(\"👩\\u200d👩\\u200d👧🦀\")\n  ascii = length(\"hello\")\n  sub = substr(\"e\\u0301x👩\\u200d👧y\", 1, 2)\n  tail = substr(\"ae\\u0301\", -1, -1)\n}\n";
    let file = SourceFile::new(FileId(0), "main.tf", text, Format::Hcl);
    let out = wa_lint_terraform::parse_module("", std::slice::from_ref(&file));
    assert_eq!(out.diagnostics, vec![]);
    let g = out.graph.unwrap();
    let r = &g.resources["null_resource.r"];
    let num = |k: &str| match &r.attrs.get(k).unwrap().value {
        Value::Number(Number::Int(n)) => *n,
        other => panic!("{k}: {other:?}"),
    };
    assert_eq!(num("combining"), 1);
    assert_eq!(num("family"), 2);
    assert_eq!(num("ascii"), 5);
    assert_eq!(r.attrs.get("sub").unwrap().as_str(), Some("x👩\u{200d}👧"));
    assert_eq!(r.attrs.get("tail").unwrap().as_str(), Some("e\u{301}"));
}
