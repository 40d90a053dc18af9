//! Terraform JSON syntax (`.tf.json`) → the same HCL [`Body`] the `.tf` files give.
//!
//! Specification: <https://developer.hashicorp.com/terraform/language/syntax/json>.
//!
//! A `.tf.json` file is translated into equivalent HCL *text* (a synthetic [`SourceFile`] with
//! the same id and path), which `hcl-edit` parses; everything downstream (variables, locals,
//! `count`/`for_each`, `dynamic`, modules, policy documents) then works unchanged. The
//! translation records which byte ranges of the synthetic text came from which byte ranges of
//! the JSON file ([`OffsetMap`]); [`remap_output`] rewrites every span and diagnostic range of
//! the unit back into the JSON file, so findings point at the JSON key or value.
//!
//! What the translation follows from the specification:
//! - `resource`/`data` (two labels), `variable`/`output`/`module`/`provider` (one label) and
//!   `locals` as nested objects, each level also allowed as an array of objects (several
//!   blocks, e.g. a `provider` list with `alias`es);
//! - `//` properties are comments and ignored everywhere;
//! - strings in expressions are string templates (`"${aws_s3_bucket.b.id}"`), while variable
//!   `default`, `description`, module `source`/`version` and provider `alias` are literal;
//! - `depends_on`, `provider` and module `providers` hold references written as strings;
//! - `type` of a variable is a type expression written as a string.
//!
//! Without provider schemas a nested object is ambiguous (a block or a map argument). The
//! rule used: a JSON object (or an array of objects) under a resource is a nested block,
//! unless its key is a known map argument (`tags`, `tags_all`, `variables`, …, see
//! [`MAP_ARGUMENTS`]) or one of its keys is not an HCL identifier (`"kubernetes.io/role"`).
//! Both shapes give the same graph for arrays (a list of maps). `terraform`, `moved`, `import`,
//! `removed` and `check` blocks are not translated (no resources to check); `lifecycle`,
//! `provisioner` and `connection` inside resources are left out (not resource attributes).

use std::fmt::Write as _;
use std::ops::Range;

use jsonc_parser::ast::{Object, ObjectProp, Value as J};
use jsonc_parser::common::Ranged as _;
use wa_lint_graph::{Node, ParseOutput, Value};
use wa_lint_source::{Diagnostic, FileId, Format, Level, SourceFile, Span, TextRange};

/// Map-typed arguments of AWS provider resources written as JSON objects: never nested blocks.
pub(crate) const MAP_ARGUMENTS: &[&str] = &[
    "tags",
    "tags_all",
    "variables",
    "environment_variables",
    "parameters",
    "triggers",
    "labels",
    "metadata",
    "attributes",
    "options",
    "settings",
    "headers",
    "context",
    "outputs",
    "stage_variables",
    "request_parameters",
    "request_templates",
    "response_parameters",
    "response_templates",
    "request_models",
    "response_models",
    "properties",
    "default_arguments",
    "non_overridable_arguments",
    "connection_properties",
    "environment",
    "endpoint_configuration",
    "policy",
    "assume_role_policy",
];

/// Deepest JSON nesting translated (guards the stack on hostile input).
const MAX_DEPTH: usize = 256;

/// One piece of the synthetic text and the JSON bytes it stands for (byte offsets).
#[derive(Debug, Clone)]
struct Seg {
    synth: Range<usize>,
    json: Range<usize>,
}

/// Byte offsets of the synthetic HCL text → byte offsets of the `.tf.json` file.
#[derive(Debug, Clone, Default)]
pub(crate) struct OffsetMap {
    /// Sorted by `synth.start`, not overlapping.
    segs: Vec<Seg>,
}

impl OffsetMap {
    /// The JSON offset where a range starting at synthetic offset `o` starts.
    fn start(&self, o: usize) -> usize {
        let i = self.segs.partition_point(|s| s.synth.start <= o);
        let Some(seg) = i.checked_sub(1).and_then(|i| self.segs.get(i)) else {
            return self.segs.first().map_or(0, |s| s.json.start);
        };
        if o < seg.synth.end {
            return linear(seg, o).unwrap_or(seg.json.start);
        }
        self.segs
            .get(i)
            .map_or(seg.json.end, |next| next.json.start)
    }

    /// The JSON offset where a range ending at synthetic offset `o` (exclusive) ends.
    fn end(&self, o: usize) -> usize {
        let last = o.saturating_sub(1);
        let i = self.segs.partition_point(|s| s.synth.start <= last);
        let Some(seg) = i.checked_sub(1).and_then(|i| self.segs.get(i)) else {
            return self.segs.first().map_or(0, |s| s.json.start);
        };
        if last < seg.synth.end {
            return linear(seg, o).unwrap_or(seg.json.end);
        }
        seg.json.end
    }

    /// A synthetic range → the JSON range it came from (never inverted).
    pub(crate) fn range(&self, r: TextRange) -> TextRange {
        let start = self.start(r.start as usize);
        if r.is_empty() {
            return TextRange::new(start, start);
        }
        let end = self.end(r.end as usize);
        TextRange::new(start.min(end), end.max(start))
    }
}

/// The offset inside a segment copied byte for byte.
fn linear(seg: &Seg, o: usize) -> Option<usize> {
    (seg.synth.len() == seg.json.len()).then(|| seg.json.start + (o - seg.synth.start))
}

/// A translated `.tf.json` file.
#[derive(Debug)]
pub(crate) struct Translated {
    /// Synthetic HCL text with the id and path of the JSON file.
    pub file: SourceFile,
    /// Synthetic offsets → JSON offsets.
    pub map: OffsetMap,
    /// The diagnostics of the translation itself (also handed to the caller). They are
    /// located in the JSON file already, so [`remap_output`] leaves them as they are.
    pub diagnostics: Vec<Diagnostic>,
}

/// Translates the `.tf.json` files among `files` (JSON syntax errors and unsupported shapes
/// become `tf::syntax` / `tf::invalid-block` diagnostics at the JSON location).
pub(crate) fn translate_all(files: &[SourceFile], diags: &mut Vec<Diagnostic>) -> Vec<Translated> {
    files
        .iter()
        .filter(|f| f.path.ends_with(".tf.json"))
        .filter_map(|f| translate(f, diags))
        .collect()
}

/// Translates one `.tf.json` file; `None` when it is not valid JSON.
pub(crate) fn translate(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Translated> {
    let parsed = jsonc_parser::parse_to_ast(
        &file.text,
        &jsonc_parser::CollectOptions::default(),
        &jsonc_parser::ParseOptions::default(),
    );
    let root = match parsed {
        Ok(result) => result.value,
        Err(e) => {
            let r = e.range();
            diags.push(Diagnostic::error(
                "tf::syntax",
                file.path.clone(),
                Some(TextRange::new(r.start, r.end)),
                format!("JSON syntax error: {}", e.kind()),
            ));
            return None;
        }
    };
    let mut em = Emitter {
        src: file,
        out: String::new(),
        segs: Vec::new(),
        diags: Vec::new(),
        depth: 0,
    };
    match &root {
        Some(J::Object(obj)) => em.file(obj),
        Some(other) => em.problem(other.range(), "a .tf.json file must hold a JSON object"),
        None => {}
    }
    diags.extend(em.diags.iter().cloned());
    let synthetic = SourceFile::new(file.id, file.path.clone(), em.out, Format::Hcl);
    Some(Translated {
        file: synthetic,
        map: OffsetMap { segs: em.segs },
        diagnostics: em.diags,
    })
}

/// Which block a body belongs to: decides literal arguments, references and nested blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Resource,
    Variable,
    Output,
    Module,
    Provider,
    /// A nested block of a resource (or `content` of a `dynamic` block).
    Nested,
}

/// How a JSON string is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Str {
    /// A string template (`${…}` interpolated).
    Template,
    /// A literal string (no interpolation).
    Literal,
    /// An expression written as a string (a reference, a type).
    Expr,
}

struct Emitter<'a> {
    src: &'a SourceFile,
    out: String,
    segs: Vec<Seg>,
    diags: Vec<Diagnostic>,
    depth: usize,
}

type JRange = jsonc_parser::common::Range;

impl Emitter<'_> {
    /// Appends `text` standing for the JSON bytes `json`.
    fn tok(&mut self, text: &str, json: JRange) {
        let start = self.out.len();
        self.out.push_str(text);
        if !text.is_empty() {
            self.segs.push(Seg {
                synth: start..self.out.len(),
                json: json.start..json.end,
            });
        }
    }

    /// Appends `text` standing for nothing in the JSON file.
    fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }

    fn problem(&mut self, r: JRange, message: &str) {
        self.diags.push(Diagnostic::at(
            Level::Warning,
            "tf::invalid-block",
            self.src.path.clone(),
            Some(TextRange::new(r.start, r.end)),
            format!("{message}; left out"),
        ));
    }

    fn file(&mut self, root: &Object<'_>) {
        for prop in props(root) {
            let name = prop.name.as_str();
            match name {
                "resource" | "data" => self.labeled(prop, name, 2, &mut Vec::new()),
                "variable" => self.labeled_ctx(prop, name, Ctx::Variable),
                "output" => self.labeled_ctx(prop, name, Ctx::Output),
                "module" => self.labeled_ctx(prop, name, Ctx::Module),
                "provider" => self.labeled_ctx(prop, name, Ctx::Provider),
                "locals" => {
                    for obj in objects(&prop.value) {
                        self.block("locals", prop.name.range(), &[], obj, None);
                    }
                }
                "terraform" | "moved" | "import" | "removed" | "check" => {}
                _ => self.problem(
                    prop.name.range(),
                    &format!("`{name}` is not a Terraform block type"),
                ),
            }
        }
    }

    fn labeled_ctx(&mut self, prop: &ObjectProp<'_>, ident: &str, ctx: Ctx) {
        for value in elements(&prop.value) {
            let Some(obj) = self.object(value) else {
                continue;
            };
            for p in props(obj) {
                for body in elements(&p.value) {
                    let Some(body) = self.object(body) else {
                        continue;
                    };
                    let label = (p.name.as_str().to_owned(), p.name.range());
                    self.block(ident, p.name.range(), &[label], body, Some(ctx));
                }
            }
        }
    }

    /// `resource`/`data`: `{type: {name: body}}`, any level possibly an array.
    fn labeled(
        &mut self,
        prop: &ObjectProp<'_>,
        ident: &str,
        n: usize,
        labels: &mut Vec<(String, JRange)>,
    ) {
        self.labeled_value(&prop.value, ident, n, labels);
    }

    fn labeled_value(
        &mut self,
        value: &J<'_>,
        ident: &str,
        n: usize,
        labels: &mut Vec<(String, JRange)>,
    ) {
        for value in elements(value) {
            let Some(obj) = self.object(value) else {
                continue;
            };
            if labels.len() == n {
                let at = labels.last().map_or(obj.range, |l| l.1);
                self.block(ident, at, labels, obj, Some(Ctx::Resource));
                continue;
            }
            for p in props(obj) {
                labels.push((p.name.as_str().to_owned(), p.name.range()));
                self.labeled_value(&p.value, ident, n, labels);
                labels.pop();
            }
        }
    }

    fn object<'v, 'a>(&mut self, value: &'v J<'a>) -> Option<&'v Object<'a>> {
        if let J::Object(obj) = value {
            Some(obj)
        } else {
            self.problem(value.range(), "expected a JSON object (a block body)");
            None
        }
    }

    /// `ident "label"… { body }`; the identifier stands for `at` (the innermost label's key,
    /// so the block's header is that key).
    fn block(
        &mut self,
        ident: &str,
        at: JRange,
        labels: &[(String, JRange)],
        body: &Object<'_>,
        ctx: Option<Ctx>,
    ) {
        if self.depth >= MAX_DEPTH {
            self.problem(body.range, "nesting is too deep");
            return;
        }
        self.depth += 1;
        self.tok(ident, at);
        for (label, range) in labels {
            self.raw(" ");
            self.tok(&quote(label, Str::Literal), *range);
        }
        self.raw(" ");
        self.tok("{", start_byte(body.range));
        self.raw("\n");
        match ctx {
            None => self.attributes(body),
            Some(ctx) => self.body(body, ctx),
        }
        self.tok("}", end_byte(body.range));
        self.raw("\n");
        self.depth -= 1;
    }

    /// `locals`: every property is an attribute.
    fn attributes(&mut self, body: &Object<'_>) {
        for prop in props(body) {
            self.attribute(prop, Str::Template);
        }
    }

    fn body(&mut self, body: &Object<'_>, ctx: Ctx) {
        for prop in props(body) {
            let key = prop.name.as_str();
            let mode = match (ctx, key) {
                (Ctx::Resource, "lifecycle" | "provisioner" | "connection")
                | (Ctx::Variable, "validation")
                | (Ctx::Output, "precondition") => continue,
                (Ctx::Resource | Ctx::Module | Ctx::Output, "depends_on")
                | (Ctx::Resource, "provider")
                | (Ctx::Variable, "type") => Str::Expr,
                (Ctx::Module, "providers") => {
                    self.providers(prop);
                    continue;
                }
                (Ctx::Resource | Ctx::Nested, "dynamic") => {
                    self.dynamic(prop);
                    continue;
                }
                (Ctx::Variable, _)
                | (Ctx::Module, "source" | "version")
                | (Ctx::Provider, "alias")
                | (Ctx::Output, "description") => Str::Literal,
                (Ctx::Resource | Ctx::Nested | Ctx::Provider, _) if is_block(key, &prop.value) => {
                    for obj in objects(&prop.value) {
                        self.block(key, prop.name.range(), &[], obj, Some(Ctx::Nested));
                    }
                    continue;
                }
                _ => Str::Template,
            };
            self.attribute(prop, mode);
        }
    }

    /// `providers = { aws = aws.use1 }`.
    fn providers(&mut self, prop: &ObjectProp<'_>) {
        let J::Object(map) = &prop.value else {
            self.problem(prop.value.range(), "`providers` must be an object");
            return;
        };
        if !self.key(prop) {
            return;
        }
        self.raw(" = ");
        self.tok("{", start_byte(map.range));
        self.raw("\n");
        for p in props(map) {
            self.tok(&quote(p.name.as_str(), Str::Literal), p.name.range());
            self.raw(" = ");
            self.expr(&p.value, Str::Expr);
            self.raw("\n");
        }
        self.tok("}", end_byte(map.range));
        self.raw("\n");
    }

    /// `"dynamic": {"ingress": {"for_each": …, "iterator": …, "content": {…}}}`.
    fn dynamic(&mut self, prop: &ObjectProp<'_>) {
        for value in elements(&prop.value) {
            let Some(obj) = self.object(value) else {
                continue;
            };
            for p in props(obj) {
                for spec in elements(&p.value) {
                    let Some(spec) = self.object(spec) else {
                        continue;
                    };
                    let label = (p.name.as_str().to_owned(), p.name.range());
                    self.tok("dynamic", p.name.range());
                    self.raw(" ");
                    self.tok(&quote(&label.0, Str::Literal), label.1);
                    self.raw(" ");
                    self.tok("{", start_byte(spec.range));
                    self.raw("\n");
                    for sp in props(spec) {
                        match sp.name.as_str() {
                            "content" => {
                                for c in objects(&sp.value) {
                                    let r = sp.name.range();
                                    self.block("content", r, &[], c, Some(Ctx::Nested));
                                }
                            }
                            "iterator" => self.attribute(sp, Str::Expr),
                            _ => self.attribute(sp, Str::Template),
                        }
                    }
                    self.tok("}", end_byte(spec.range));
                    self.raw("\n");
                }
            }
        }
    }

    /// Writes the attribute's key; false (with a warning) when it is not an identifier.
    fn key(&mut self, prop: &ObjectProp<'_>) -> bool {
        let key = prop.name.as_str();
        if !is_ident(key) {
            self.problem(
                prop.name.range(),
                &format!("`{key}` is not a valid argument name"),
            );
            return false;
        }
        self.tok(key, prop.name.range());
        true
    }

    fn attribute(&mut self, prop: &ObjectProp<'_>, mode: Str) {
        if !self.key(prop) {
            return;
        }
        self.raw(" = ");
        self.expr(&prop.value, mode);
        self.raw("\n");
    }

    fn expr(&mut self, value: &J<'_>, mode: Str) {
        if self.depth >= MAX_DEPTH {
            self.problem(value.range(), "nesting is too deep");
            self.tok("null", value.range());
            return;
        }
        self.depth += 1;
        match value {
            J::StringLit(s) => self.string(&s.value, s.range, mode),
            J::NumberLit(n) => {
                let text = if n.value.bytes().all(|b| b"-+.eE0123456789".contains(&b)) {
                    n.value.to_owned()
                } else {
                    // Hexadecimal and other lenient forms: written as the number they denote.
                    parse_lenient_number(n.value)
                        .map_or_else(|| "null".to_owned(), |v| v.to_string())
                };
                self.tok(&text, n.range);
            }
            J::BooleanLit(b) => self.tok(if b.value { "true" } else { "false" }, b.range),
            J::NullKeyword(k) => self.tok("null", k.range),
            J::Array(a) => {
                self.tok("[", start_byte(a.range));
                for (i, e) in a.elements.iter().enumerate() {
                    if i > 0 {
                        self.raw(", ");
                    }
                    // Elements of `depends_on`-like lists are references too; other lists hold
                    // templates.
                    self.expr(e, mode);
                }
                self.tok("]", end_byte(a.range));
            }
            J::Object(o) => {
                self.tok("{", start_byte(o.range));
                self.raw("\n");
                for p in props(o) {
                    self.tok(&quote(p.name.as_str(), Str::Literal), p.name.range());
                    self.raw(" = ");
                    self.expr(
                        &p.value,
                        if mode == Str::Expr {
                            Str::Template
                        } else {
                            mode
                        },
                    );
                    self.raw("\n");
                }
                self.tok("}", end_byte(o.range));
            }
        }
        self.depth -= 1;
    }

    /// A JSON string: a template, a literal or an expression, checked to parse on its own so a
    /// broken `${` only affects this value (then kept as a literal, with a warning).
    fn string(&mut self, value: &str, range: JRange, mode: Str) {
        let raw = self
            .src
            .text
            .get(range.start..range.end)
            .unwrap_or_default();
        let text = match mode {
            Str::Expr => {
                if hcl_edit::parser::parse_expr(value).is_ok() && !value.trim().is_empty() {
                    value.to_owned()
                } else {
                    self.warn_value(range, "is not a valid expression");
                    quote(value, Str::Literal)
                }
            }
            Str::Literal => quote(value, Str::Literal),
            Str::Template => {
                // Copy the JSON literal byte for byte when HCL reads it the same way, so spans
                // inside the template stay exact; else write the decoded template with only its
                // literal parts escaped (`${"a" == "b"}` keeps its quotes).
                let parses = |t: &String| hcl_edit::parser::parse_expr(t).is_ok();
                let exact = hcl_compatible(raw).then(|| raw.to_owned()).filter(parses);
                if let Some(text) = exact.or_else(|| quote_template(value).filter(parses)) {
                    text
                } else {
                    self.warn_value(range, "is not a valid template; read as a literal string");
                    quote(value, Str::Literal)
                }
            }
        };
        self.tok(&text, range);
    }

    fn warn_value(&mut self, range: JRange, what: &str) {
        self.diags.push(Diagnostic::at(
            Level::Warning,
            "tf::syntax",
            self.src.path.clone(),
            Some(TextRange::new(range.start, range.end)),
            format!("this string {what}"),
        ));
    }
}

/// The properties of an object, without `//` comments.
fn props<'v, 'a>(obj: &'v Object<'a>) -> impl Iterator<Item = &'v ObjectProp<'a>> {
    obj.properties.iter().filter(|p| p.name.as_str() != "//")
}

/// A value, or the elements of an array value.
fn elements<'v, 'a>(value: &'v J<'a>) -> Vec<&'v J<'a>> {
    match value {
        J::Array(a) => a.elements.iter().collect(),
        other => vec![other],
    }
}

/// The objects of an object value or array of objects.
fn objects<'v, 'a>(value: &'v J<'a>) -> Vec<&'v Object<'a>> {
    elements(value)
        .into_iter()
        .filter_map(|v| match v {
            J::Object(o) => Some(o),
            _ => None,
        })
        .collect()
}

/// Whether `key: value` inside a resource is a nested block (see the module docs).
fn is_block(key: &str, value: &J<'_>) -> bool {
    if MAP_ARGUMENTS.contains(&key) || !is_ident(key) {
        return false;
    }
    let items = elements(value);
    !items.is_empty()
        && items.iter().all(|v| match v {
            J::Object(o) => props(o).all(|p| is_ident(p.name.as_str())),
            _ => false,
        })
}

/// An HCL identifier: a letter or `_`, then letters, digits, `_` and `-`.
fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// True when a JSON string literal (with its quotes) reads the same as an HCL quoted template:
/// double quotes and only the escapes both languages share.
fn hcl_compatible(raw: &str) -> bool {
    if !(raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"')) {
        return false;
    }
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('"' | '\\' | 'n' | 'r' | 't') => {}
                Some('u') => {
                    let hex: String = chars.clone().take(4).collect();
                    match u32::from_str_radix(&hex, 16) {
                        Ok(v) if !(0xD800..=0xDFFF).contains(&v) => {}
                        _ => return false,
                    }
                }
                _ => return false,
            }
        } else if c.is_control() {
            return false;
        }
    }
    true
}

/// `value` as an HCL quoted string; `Literal` escapes `${` and `%{`.
fn quote(value: &str, mode: Str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' | '%' if mode == Str::Literal && chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c => push_escaped(&mut out, c),
        }
    }
    out.push('"');
    out
}

/// Appends `c` as it is written inside an HCL quoted string.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if c.is_control() => {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// A template as Terraform reads it from a JSON string (already decoded) → an HCL quoted
/// template: literal parts escaped as in [`quote`], the escapes `$${` / `%%{` kept, and every
/// `${…}` / `%{…}` sequence copied as it is, since it may hold quoted strings of its own
/// (`${var.env == "prod" ? 1 : 2}`). `None` when a sequence is not closed.
fn quote_template(value: &str) -> Option<String> {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    let mut rest = value;
    while let Some(c) = rest.chars().next() {
        let len = if rest.starts_with("$${") || rest.starts_with("%%{") {
            3
        } else if rest.starts_with("${") || rest.starts_with("%{") {
            sequence_len(rest)?
        } else {
            push_escaped(&mut out, c);
            rest = rest.get(c.len_utf8()..)?;
            continue;
        };
        out.push_str(rest.get(..len)?);
        rest = rest.get(len..)?;
    }
    out.push('"');
    Some(out)
}

/// Bytes of the `${…}` / `%{…}` sequence that `s` starts with, through its closing brace;
/// quoted strings inside (which may hold sequences of their own) are skipped whole.
fn sequence_len(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut depth = 0usize;
    let mut i = 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'"' => {
                i += quoted_len(s.get(i..)?)?;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Bytes of the quoted string (a template) that `s` starts with, both quotes included.
fn quoted_len(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 1;
    while let Some(&b) = bytes.get(i) {
        // Bytes, not `str`: `i` may be inside a multi-byte character.
        let rest = bytes.get(i..)?;
        i += match b {
            b'"' => return Some(i + 1),
            b'\\' => 2,
            _ if rest.starts_with(b"$${") || rest.starts_with(b"%%{") => 3,
            // At an ASCII byte, so on a character boundary.
            _ if rest.starts_with(b"${") || rest.starts_with(b"%{") => sequence_len(s.get(i..)?)?,
            _ => 1,
        };
    }
    None
}

fn parse_lenient_number(text: &str) -> Option<i64> {
    let t = text.trim_start_matches(['-', '+']);
    let v = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .and_then(|h| i64::from_str_radix(h, 16).ok())?;
    Some(if text.starts_with('-') { -v } else { v })
}

fn start_byte(r: JRange) -> JRange {
    JRange {
        start: r.start,
        end: (r.start + 1).min(r.end),
    }
}

fn end_byte(r: JRange) -> JRange {
    JRange {
        start: r.end.saturating_sub(1).max(r.start),
        end: r.end,
    }
}

/// Rewrites every span (resources and declarations) and diagnostic range of `out` that lies
/// in a translated file from synthetic offsets to offsets of the `.tf.json` file. The
/// translation's own diagnostics ([`Translated::diagnostics`]) are located in the JSON file
/// already and are left as they are.
pub(crate) fn remap_output(translated: &[Translated], out: &mut ParseOutput) {
    if translated.is_empty() {
        return;
    }
    let maps: Vec<(FileId, &str, &OffsetMap, &[Diagnostic])> = translated
        .iter()
        .map(|t| {
            (
                t.file.id,
                t.file.path.as_str(),
                &t.map,
                t.diagnostics.as_slice(),
            )
        })
        .collect();
    let by_id = |id: FileId| maps.iter().find(|m| m.0 == id).map(|m| m.2);
    let span = |s: &mut Span| {
        if let Some(map) = by_id(s.file) {
            s.range = map.range(s.range);
        }
    };
    let graphs = out
        .graph
        .iter_mut()
        .chain(out.scenarios.iter_mut().map(|s| &mut s.graph));
    for graph in graphs {
        let resources = graph
            .resources
            .values_mut()
            .chain(graph.declarations.values_mut());
        for resource in resources {
            span(&mut resource.header);
            span(&mut resource.block);
            remap_node(&mut resource.attrs, &span);
        }
    }
    for d in &mut out.diagnostics {
        let Some(map) = maps
            .iter()
            .find(|m| d.path.as_deref() == Some(m.1) && !m.3.contains(d))
            .map(|m| m.2)
        else {
            continue;
        };
        if let Some(r) = d.range.as_mut() {
            *r = map.range(*r);
        }
        for (r, _) in &mut d.related {
            *r = map.range(*r);
        }
    }
}

fn remap_node(node: &mut Node, span: &impl Fn(&mut Span)) {
    if let Some(s) = node.span.as_mut() {
        span(s);
    }
    if let Some(p) = node.provenance.as_mut() {
        if let Some(s) = p.span.as_mut() {
            span(s);
        }
    }
    match &mut node.value {
        Value::List(items) => items.iter_mut().for_each(|n| remap_node(n, span)),
        Value::Map(map) => map.values_mut().for_each(|e| {
            if let Some(s) = e.key_span.as_mut() {
                span(s);
            }
            remap_node(&mut e.node, span);
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn synth(json: &str) -> (String, Vec<Diagnostic>) {
        let file = SourceFile::new(FileId(0), "main.tf.json", json, Format::Json);
        let mut diags = Vec::new();
        let t = translate(&file, &mut diags).unwrap();
        (t.file.text.to_string(), diags)
    }

    #[test]
    fn resources_comments_and_provider_lists_translate_to_hcl() {
        let (text, diags) = synth(
            r#"{"//": "x", "provider": {"aws": [{"region": "eu-west-1"}, {"alias": "use1", "region": "us-east-1"}]},
               "resource": {"aws_s3_bucket": {"b": {"//": {"a": 1}, "bucket": "${var.name}-x", "tags": {"Name": "n"},
                 "versioning": {"enabled": true}, "depends_on": ["aws_kms_key.k"], "provider": "aws.use1"}}}}"#,
        );
        assert_eq!(diags, vec![]);
        assert_eq!(
            text,
            "provider \"aws\" {\nregion = \"eu-west-1\"\n}\nprovider \"aws\" {\nalias = \"use1\"\nregion = \"us-east-1\"\n}\n\
             resource \"aws_s3_bucket\" \"b\" {\nbucket = \"${var.name}-x\"\ntags = {\n\"Name\" = \"n\"\n}\n\
             versioning {\nenabled = true\n}\ndepends_on = [aws_kms_key.k]\nprovider = aws.use1\n}\n"
        );
        hcl_edit::parser::parse_body(&text).unwrap();
    }

    #[test]
    fn variable_defaults_are_literal_and_broken_templates_are_warnings() {
        let (text, diags) = synth(
            r#"{"variable": {"v": {"type": "list(string)", "default": ["${x}"]}},
                "locals": {"l": "${unclosed"}}"#,
        );
        assert_eq!(
            text,
            "variable \"v\" {\ntype = list(string)\ndefault = [\"$${x}\"]\n}\nlocals {\nl = \"$${unclosed\"\n}\n"
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "tf::syntax");
        hcl_edit::parser::parse_body(&text).unwrap();
    }

    #[test]
    fn offsets_map_back_into_the_json_file() {
        let json = r#"{"resource": {"t": {"n": {"a": "${x.y}"}}}}"#;
        let file = SourceFile::new(FileId(0), "main.tf.json", json, Format::Json);
        let t = translate(&file, &mut Vec::new()).unwrap();
        let synth = &t.file.text;
        // The template copied byte for byte: `x.y` maps exactly.
        let s = synth.find("x.y").unwrap();
        let r = t.map.range(TextRange::new(s, s + 3));
        assert_eq!(&json[r.start as usize..r.end as usize], "x.y");
        // The attribute key maps to the quoted JSON key.
        let k = synth.find("a =").unwrap();
        let r = t.map.range(TextRange::new(k, k + 1));
        assert_eq!(&json[r.start as usize..r.end as usize], "\"a\"");
        // The block header (`resource "t" "n"`) maps to the name key.
        let r = t.map.range(TextRange::new(0, synth.find(" {").unwrap()));
        assert_eq!(&json[r.start as usize..r.end as usize], "\"n\"");
    }

    #[test]
    fn templates_keep_quoted_strings_inside_sequences() {
        let q = |v: &str| quote_template(v);
        assert_eq!(
            q(r#"a"${x == "y" ? "${z}}" : 1}"b\"#).as_deref(),
            Some(r#""a\"${x == "y" ? "${z}}" : 1}\"b\\""#)
        );
        assert_eq!(
            q(r#"${merge({  }, { "" = "🦀" })}"#).as_deref(),
            Some(r#""${merge({  }, { "" = "🦀" })}""#)
        );
        // Escapes stay escapes, inside nested strings too; `$$${` is `$` then `$${`.
        assert_eq!(
            q(r#"$${a} %%{b} ${"$$${"}"#).as_deref(),
            Some(r#""$${a} %%{b} ${"$$${"}""#)
        );
        assert_eq!(q("${x").as_deref(), None);
        assert_eq!(q(r#"${"x}"#).as_deref(), None);
    }

    #[test]
    fn odd_documents_never_panic() {
        for json in [
            "[]",
            "1",
            "",
            "{\"resource\": 3}",
            "{\"resource\": {\"t\": [1, {\"n\": null}]}}",
            "{\"locals\": {\"a\": \"\\ud83d\\ude00 \\/ \\b\"}}",
            "{\"resource\": {\"t\": {\"n\": {\"a\": 0x1F, \"b\": 'q', \"bad key\": 1}}}}",
        ] {
            let (text, _) = synth(json);
            hcl_edit::parser::parse_body(&text).unwrap();
        }
        let deep = format!(
            "{{\"locals\": {{\"a\": {}1{}}}}}",
            "[".repeat(400),
            "]".repeat(400)
        );
        let (text, diags) = synth(&deep);
        assert!(diags.iter().any(|d| d.message.contains("too deep")));
        assert!(text.starts_with("locals {"));
    }
}
