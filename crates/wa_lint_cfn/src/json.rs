//! JSON → [`Node`] tree with `jsonc-parser` in strict mode (plain JSON, no JSONC extensions).

use std::collections::BTreeMap;

use jsonc_parser::ast::{ObjectPropName, Value as JValue};
use jsonc_parser::{CollectOptions, ParseOptions};
use wa_lint_graph::{Node, Number, Value};
use wa_lint_source::{SourceFile, Span, TextRange};

use crate::error::LoadError;
use crate::map_builder::insert_entry;
use crate::{Loaded, MAX_DEPTH};

/// Strict JSON: every JSONC/JSON5 extension off.
const STRICT: ParseOptions = ParseOptions {
    allow_comments: false,
    allow_loose_object_property_names: false,
    allow_trailing_commas: false,
    allow_missing_commas: false,
    allow_single_quoted_strings: false,
    allow_hexadecimal_numbers: false,
    allow_unary_plus_numbers: false,
    allow_bare_decimal_point_numbers: false,
    allow_non_finite_numbers: false,
    allow_extended_string_escapes: false,
};

/// Loads `text` (the file text after an optional BOM of `base` bytes) as strict JSON.
/// Duplicate keys become diagnostics (last value wins).
///
/// # Errors
/// [`LoadError::Syntax`] for invalid JSON or nesting deeper than [`MAX_DEPTH`].
pub(crate) fn load(file: &SourceFile, text: &str, base: usize) -> Result<Loaded, LoadError> {
    let parsed =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &STRICT).map_err(|e| {
            let r = e.range();
            LoadError::Syntax {
                range: TextRange::new(base + r.start, base + r.end),
                message: format!("invalid JSON: {}", e.kind()),
            }
        })?;
    let mut conv = Converter {
        file,
        base,
        diagnostics: Vec::new(),
    };
    let root = parsed.value.as_ref().map(|v| conv.node(v, 0)).transpose()?;
    Ok(Loaded {
        root,
        diagnostics: conv.diagnostics,
    })
}

struct Converter<'f> {
    file: &'f SourceFile,
    base: usize,
    diagnostics: Vec<wa_lint_source::Diagnostic>,
}

impl Converter<'_> {
    fn range(&self, r: jsonc_parser::common::Range) -> TextRange {
        TextRange::new(self.base + r.start, self.base + r.end)
    }

    fn span(&self, r: jsonc_parser::common::Range) -> Span {
        Span {
            file: self.file.id,
            range: self.range(r),
        }
    }

    fn node(&mut self, value: &JValue<'_>, depth: usize) -> Result<Node, LoadError> {
        Ok(match value {
            JValue::StringLit(s) => {
                Node::new(Value::String(s.value.to_string()), Some(self.span(s.range)))
            }
            JValue::NumberLit(n) => {
                let num = n.value.parse::<i64>().map_or_else(
                    |_| Number::Float(n.value.parse().unwrap_or(f64::NAN)),
                    Number::Int,
                );
                Node::new(Value::Number(num), Some(self.span(n.range)))
            }
            JValue::BooleanLit(b) => Node::new(Value::Bool(b.value), Some(self.span(b.range))),
            JValue::NullKeyword(n) => Node::new(Value::Null, Some(self.span(n.range))),
            JValue::Array(a) => {
                self.check_depth(depth, a.range)?;
                let items = a
                    .elements
                    .iter()
                    .map(|v| self.node(v, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                Node::new(Value::List(items), Some(self.span(a.range)))
            }
            JValue::Object(o) => {
                self.check_depth(depth, o.range)?;
                let mut map = BTreeMap::new();
                for prop in &o.properties {
                    let (key, key_range) = match &prop.name {
                        ObjectPropName::String(s) => (s.value.to_string(), s.range),
                        ObjectPropName::Word(w) => (w.value.to_owned(), w.range),
                    };
                    let node = self.node(&prop.value, depth + 1)?;
                    let key_range = self.range(key_range);
                    insert_entry(
                        self.file,
                        &mut map,
                        key,
                        key_range,
                        node,
                        &mut self.diagnostics,
                    );
                }
                Node::new(Value::Map(map), Some(self.span(o.range)))
            }
        })
    }

    fn check_depth(&self, depth: usize, r: jsonc_parser::common::Range) -> Result<(), LoadError> {
        if depth >= MAX_DEPTH {
            return Err(LoadError::Syntax {
                range: TextRange::empty(self.base + r.start),
                message: format!("JSON nested deeper than {MAX_DEPTH} levels is not supported"),
            });
        }
        Ok(())
    }
}
