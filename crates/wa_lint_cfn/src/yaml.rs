//! YAML → [`Node`] tree, built from `saphyr-parser` events.
//!
//! The event layer is used instead of saphyr's loader because the loader rejects duplicate keys
//! outright (we want a diagnostic plus last-wins) and does not keep tags the way we need.
//! Anchors are resolved here; alias expansion is bounded by a node budget (nodes copied by
//! aliases only: a large file without aliases is never refused; a scalar counts one node per
//! [`SCALAR_BYTES_PER_NODE`] bytes, so an alias of a long string is not copied without bound).

use std::collections::{BTreeMap, BTreeSet};

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan, Tag};
use wa_lint_graph::{Entry, Node, Value};
use wa_lint_source::{Diagnostic, Level, SourceFile, Span, TextRange};

use crate::error::LoadError;
use crate::map_builder::insert_entry;
use crate::offsets::CharOffsets;
use crate::repair::{self, Remap};
use crate::{scalar, tags, Loaded, MAX_DEPTH};

/// Lower bound of the alias-expansion budget, in nodes.
const MIN_ALIAS_BUDGET: usize = 100_000;
/// Upper bound of the alias-expansion budget, in nodes.
const MAX_ALIAS_BUDGET: usize = 1_000_000;
/// A scalar counts one node in the alias budget, plus one per this many bytes of its text: an
/// alias of a 1 MB string used 3,000 times (a 1 MB file) copied 3 GB and aborted the process;
/// it now passes the budget at its 7th use.
const SCALAR_BYTES_PER_NODE: usize = 64;

/// A collection being built.
enum Coll {
    Seq(Vec<Node>),
    Map {
        map: BTreeMap<String, Entry>,
        /// The key read, waiting for its value.
        key: Option<(String, TextRange)>,
        /// Keys that came from a `<<` merge (explicit keys override them silently).
        merged: BTreeSet<String>,
    },
}

/// An open sequence or mapping.
struct Frame {
    coll: Coll,
    start: usize,
    end: usize,
    anchor: usize,
    tag: Option<Tag>,
    /// Nodes in this subtree so far (itself included).
    size: usize,
}

/// A finished node on its way to its parent.
struct Done {
    node: Node,
    range: TextRange,
    size: usize,
    anchor: usize,
    /// The scalar text, when the node was a scalar (used when it is a mapping key).
    key_text: Option<String>,
}

struct Builder<'f> {
    file: &'f SourceFile,
    offsets: CharOffsets,
    stack: Vec<Frame>,
    anchors: BTreeMap<usize, (Node, usize)>,
    root: Option<Node>,
    diagnostics: Vec<Diagnostic>,
    /// Nodes created so far, aliases counted at their expanded size.
    total: usize,
    budget: usize,
}

/// Loads the first YAML document of `text` (the file text after an optional BOM of `base`
/// bytes). Anchors are resolved, short tags become long-form maps, duplicate keys become
/// diagnostics (last value wins).
///
/// # Errors
/// [`LoadError::Syntax`] for invalid YAML (or nesting deeper than [`MAX_DEPTH`]),
/// [`LoadError::AliasLimit`] when aliases would expand past the node budget.
pub(crate) fn load(file: &SourceFile, text: &str, base: usize) -> Result<Loaded, LoadError> {
    let strict = guarded(file, text, base, None);
    if !matches!(strict, Err(LoadError::Syntax { .. })) {
        return strict;
    }
    // Indentation that PyYAML and CloudFormation accept but YAML 1.2 rejects: retry padded,
    // and report the original error if that does not help either.
    match repair::repaired(text) {
        Some((fixed, remap)) => guarded(file, &fixed, base, Some(remap)).or(strict),
        None => strict,
    }
}

/// [`load_inner`] with panics in the parser turned into a syntax error.
fn guarded(
    file: &SourceFile,
    text: &str,
    base: usize,
    remap: Option<Remap>,
) -> Result<Loaded, LoadError> {
    // saphyr-parser has internal `unwrap`s; a panic there must not take the scan down.
    let result = wa_lint_source::panics::catch(|| load_inner(file, text, base, remap));
    result.unwrap_or_else(|_| {
        Err(LoadError::Syntax {
            range: TextRange::empty(base),
            message: "invalid YAML: the parser failed".into(),
        })
    })
}

fn load_inner(
    file: &SourceFile,
    text: &str,
    base: usize,
    remap: Option<Remap>,
) -> Result<Loaded, LoadError> {
    // Rough source size in nodes, to scale the alias budget.
    let source_nodes = text.bytes().filter(|&b| b == b'\n' || b == b',').count() + 1;
    let mut b = Builder {
        file,
        offsets: match remap {
            Some(r) => CharOffsets::new(text, base).with_remap(r),
            None => CharOffsets::new(text, base),
        },
        stack: Vec::new(),
        anchors: BTreeMap::new(),
        root: None,
        diagnostics: Vec::new(),
        total: 0,
        budget: source_nodes
            .saturating_mul(10)
            .clamp(MIN_ALIAS_BUDGET, MAX_ALIAS_BUDGET),
    };
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| {
            let at = b.offsets.byte(e.marker().index());
            LoadError::Syntax {
                range: char_range(text, base, at),
                message: format!("invalid YAML: {}", e.info()),
            }
        })?;
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    break;
                }
            }
            Event::DocumentEnd => {
                // Templates are single documents: say so when another one follows instead of
                // dropping it without a word.
                if let Some(Ok((Event::DocumentStart(_), next))) = parser.peek() {
                    let range = b.range(*next);
                    b.diagnostics.push(
                        Diagnostic::at(
                            Level::Warning,
                            "cfn::multiple-documents",
                            file.path.as_str(),
                            Some(range),
                            "the file holds more than one YAML document; CloudFormation reads the first, and the later ones are not checked",
                        )
                        .with_help("split the documents into one template per file"),
                    );
                }
                break;
            }
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart => {}
            Event::Alias(id) => b.alias(id, span)?,
            Event::Scalar(value, style, anchor, tag) => {
                let range = quoted_range(&file.text, b.range(span), style);
                let node = b.scalar(&value, style, tag.as_deref(), range);
                let size = 1 + value.len() / SCALAR_BYTES_PER_NODE;
                b.complete(Done {
                    node,
                    range,
                    size,
                    anchor,
                    key_text: Some(value.into_owned()),
                });
            }
            Event::SequenceStart(anchor, tag) => b.open(
                Coll::Seq(Vec::new()),
                span,
                anchor,
                tag.map(std::borrow::Cow::into_owned),
            )?,
            Event::MappingStart(anchor, tag) => b.open(
                Coll::Map {
                    map: BTreeMap::new(),
                    key: None,
                    merged: BTreeSet::new(),
                },
                span,
                anchor,
                tag.map(std::borrow::Cow::into_owned),
            )?,
            Event::SequenceEnd | Event::MappingEnd => b.close(span),
        }
    }
    Ok(Loaded {
        root: b.root,
        diagnostics: b.diagnostics,
    })
}

/// The range of a scalar that starts in `range`, ending just after its closing quote when it
/// is quoted: saphyr ends a quoted scalar's span at the next token, which would take in the
/// blanks and the comment that follow (`"x" # note`). Other scalars, and a quoted one whose
/// closing quote is not found in `range`, keep `range`. `text` is the file's text.
fn quoted_range(text: &str, range: TextRange, style: ScalarStyle) -> TextRange {
    let quote = match style {
        ScalarStyle::SingleQuoted => b'\'',
        ScalarStyle::DoubleQuoted => b'"',
        _ => return range,
    };
    let (start, end) = (range.start as usize, range.end as usize);
    let Some(inside) = text.as_bytes().get(start..end) else {
        return range;
    };
    // A tag may come first (`!Sub "…"`); tags hold no quotes.
    let Some(open) = inside.iter().position(|&c| c == quote) else {
        return range;
    };
    let mut i = open + 1;
    while let Some(&c) = inside.get(i) {
        match c {
            b'\\' if quote == b'"' => i += 2,
            // `''` is a quote inside a single-quoted scalar.
            b'\'' if quote == b'\'' && inside.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == quote => return TextRange::new(start, start + i + 1),
            _ => i += 1,
        }
    }
    range
}

/// A one-character range at byte `at` of the file (empty at the end of the text).
fn char_range(text: &str, base: usize, at: usize) -> TextRange {
    let len = text
        .get(at.saturating_sub(base)..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8);
    TextRange::new(at, at + len)
}

impl Builder<'_> {
    fn range(&self, span: YSpan) -> TextRange {
        TextRange::new(
            self.offsets.byte(span.start.index()),
            self.offsets.byte(span.end.index()),
        )
    }

    fn span(&self, range: TextRange) -> Span {
        Span {
            file: self.file.id,
            range,
        }
    }

    /// Charges `n` nodes copied by an alias to the budget.
    fn count(&mut self, n: usize, range: TextRange) -> Result<(), LoadError> {
        self.total = self.total.saturating_add(n);
        if self.total > self.budget {
            return Err(LoadError::AliasLimit {
                range,
                limit: self.budget,
            });
        }
        Ok(())
    }

    fn open(
        &mut self,
        coll: Coll,
        span: YSpan,
        anchor: usize,
        tag: Option<Tag>,
    ) -> Result<(), LoadError> {
        let range = self.range(span);
        if self.stack.len() >= MAX_DEPTH {
            return Err(LoadError::Syntax {
                range,
                message: format!("YAML nested deeper than {MAX_DEPTH} levels is not supported"),
            });
        }
        self.stack.push(Frame {
            coll,
            start: range.start as usize,
            end: range.end as usize,
            anchor,
            tag,
            size: 1,
        });
        Ok(())
    }

    fn close(&mut self, span: YSpan) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let end_range = self.range(span);
        // Block collections end with an empty marker at the next token: ignore it so the span
        // stops at the last child instead of swallowing comments and blank lines.
        // A flow collection ends at its `]` / `}`: the end token's span takes in the blanks and
        // the comment that follow (`[a, b] # note`).
        let end = if end_range.is_empty() {
            frame.end
        } else {
            let start = end_range.start as usize;
            let bracket = matches!(self.file.text.as_bytes().get(start), Some(b']' | b'}'));
            frame.end.max(if bracket {
                start + 1
            } else {
                end_range.end as usize
            })
        };
        let range = TextRange::new(frame.start, end);
        let span = Some(self.span(range));
        let value = match frame.coll {
            Coll::Seq(items) => Value::List(items),
            Coll::Map { map, .. } => Value::Map(map),
        };
        let mut node = Node::new(value, span);
        if let Some(tag) = &frame.tag {
            node = self.apply_tag(node, tag, range);
        }
        self.complete(Done {
            node,
            range,
            size: frame.size,
            anchor: frame.anchor,
            key_text: None,
        });
    }

    fn alias(&mut self, id: usize, span: YSpan) -> Result<(), LoadError> {
        let range = self.range(span);
        let Some(size) = self.anchors.get(&id).map(|(_, size)| *size) else {
            return Err(LoadError::Syntax {
                range,
                message: "invalid YAML: unknown anchor".into(),
            });
        };
        self.count(size, range)?;
        let Some(mut node) = self.anchors.get(&id).map(|(node, _)| node.clone()) else {
            return Ok(());
        };
        node.relocate(Some(self.span(range)));
        let key_text = node.as_str().map(str::to_owned);
        self.complete(Done {
            node,
            range,
            size,
            anchor: 0,
            key_text,
        });
        Ok(())
    }

    fn scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        tag: Option<&Tag>,
        range: TextRange,
    ) -> Node {
        let span = Some(self.span(range));
        let typed = || {
            if style == ScalarStyle::Plain {
                scalar::plain(value)
            } else {
                Value::String(value.to_owned())
            }
        };
        let Some(tag) = tag else {
            return Node::new(typed(), span);
        };
        if tag.is_yaml_core_schema() {
            let v = match tag.suffix.as_str() {
                "str" => Value::String(value.to_owned()),
                _ => scalar::plain(value),
            };
            return Node::new(v, span);
        }
        // A short intrinsic tag takes its scalar as text (`!Ref 123` names `123`); other tags
        // keep the usual typing.
        let value = if tag.handle == "!" && tags::long_form(&tag.suffix).is_some() {
            Value::String(value.to_owned())
        } else {
            typed()
        };
        self.apply_tag(Node::new(value, span), tag, range)
    }

    fn apply_tag(&mut self, node: Node, tag: &Tag, range: TextRange) -> Node {
        if tag.handle == "!" {
            if let Some(long) = tags::long_form(&tag.suffix) {
                return tags::wrap(long, node, Some(self.span(range)));
            }
            if tag.suffix.is_empty() {
                return node;
            }
        }
        // `is_yaml_core_schema`: `!!str` and friends; `!!` is how saphyr shows the non-specific `!`
        if tag.is_yaml_core_schema() || tag.to_string() == "!!" {
            return node;
        }
        self.diagnostics.push(
            Diagnostic::at(Level::Warning, "cfn::unknown-tag", self.file.path.as_str(), Some(range), format!("unknown tag `{tag}`"))
                .with_help("CloudFormation short tags are `!Ref`, `!Sub`, `!GetAtt`, `!If`, …; the value is read without the tag"),
        );
        node
    }

    fn complete(&mut self, done: Done) {
        if done.anchor > 0 {
            self.anchors
                .insert(done.anchor, (done.node.clone(), done.size));
        }
        let Some(parent) = self.stack.last_mut() else {
            if self.root.is_none() {
                self.root = Some(done.node);
            }
            return;
        };
        parent.size = parent.size.saturating_add(done.size);
        parent.end = parent.end.max(done.range.end as usize);
        match &mut parent.coll {
            Coll::Seq(items) => items.push(done.node),
            Coll::Map { map, key, merged } => match key.take() {
                None => {
                    let text = done.key_text.unwrap_or_else(|| "<complex key>".to_owned());
                    *key = Some((text, done.range));
                }
                Some((k, _)) if k == "<<" => merge(map, merged, done.node),
                Some((k, key_range)) => {
                    if merged.remove(&k) {
                        map.remove(&k);
                    }
                    insert_entry(
                        self.file,
                        map,
                        k,
                        key_range,
                        done.node,
                        &mut self.diagnostics,
                    );
                }
            },
        }
    }
}

/// YAML merge key `<<: *base` (or a list of them): adds the keys not already present.
fn merge(map: &mut BTreeMap<String, Entry>, merged: &mut BTreeSet<String>, node: Node) {
    let sources = match node.value {
        Value::Map(m) => vec![m],
        Value::List(items) => items
            .into_iter()
            .filter_map(|n| match n.value {
                Value::Map(m) => Some(m),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    for source in sources {
        for (k, e) in source {
            if let std::collections::btree_map::Entry::Vacant(slot) = map.entry(k) {
                merged.insert(slot.key().clone());
                slot.insert(e);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use wa_lint_source::{FileId, Format};

    use super::*;

    fn load_str(text: &str) -> (SourceFile, Loaded) {
        let file = SourceFile::new(FileId(1), "t.yaml", text, Format::Yaml);
        let loaded = load(&file, text, 0).unwrap();
        (file, loaded)
    }

    #[test]
    fn every_short_tag_becomes_its_long_form() {
        let cases = [
            ("!Ref X", "Ref"),
            ("!Sub 'a-${X}'", "Fn::Sub"),
            ("!GetAtt A.B", "Fn::GetAtt"),
            ("!If [C, a, b]", "Fn::If"),
            ("!Join ['', [a]]", "Fn::Join"),
            ("!Select [0, [a]]", "Fn::Select"),
            ("!Split [',', 'a,b']", "Fn::Split"),
            ("!FindInMap [M, a, b]", "Fn::FindInMap"),
            ("!ImportValue X", "Fn::ImportValue"),
            ("!Base64 x", "Fn::Base64"),
            ("!Cidr [a, 1, 2]", "Fn::Cidr"),
            ("!GetAZs ''", "Fn::GetAZs"),
            ("!Equals [a, b]", "Fn::Equals"),
            ("!And [a, b]", "Fn::And"),
            ("!Or [a, b]", "Fn::Or"),
            ("!Not [a]", "Fn::Not"),
            ("!Condition C", "Condition"),
            ("!Transform {Name: M}", "Fn::Transform"),
            ("!ToJsonString {a: 1}", "Fn::ToJsonString"),
            ("!Length [a]", "Fn::Length"),
        ];
        for (tagged, long) in cases {
            let (file, loaded) = load_str(&format!("v: {tagged}\n"));
            assert!(loaded.diagnostics.is_empty(), "{tagged}");
            let v = loaded.root.unwrap().get("v").cloned().unwrap();
            let Value::Map(map) = &v.value else {
                panic!("{tagged}: {v:?}")
            };
            assert_eq!(map.keys().collect::<Vec<_>>(), [long], "{tagged}");
            let r = v.span.unwrap().range;
            assert_eq!(
                &file.text[r.start as usize..r.end as usize],
                tagged,
                "{tagged}"
            );
        }
        // GetAtt string form splits at the first dot; the list form stays as written
        for text in ["v: !GetAtt A.B.C\n", "v: !GetAtt [A, B.C]\n"] {
            let (_, loaded) = load_str(text);
            let root = loaded.root.unwrap();
            let arg = root.get("v").unwrap().get("Fn::GetAtt").unwrap();
            let Value::List(items) = &arg.value else {
                panic!("{text}")
            };
            let items: Vec<_> = items.iter().map(|n| n.as_str().unwrap()).collect();
            assert_eq!(items, ["A", "B.C"], "{text}");
        }
    }

    #[test]
    fn merge_keys_and_anchors() {
        let (_, loaded) = load_str("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n");
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let root = loaded.root.unwrap();
        let m = root.get("m").unwrap();
        assert_eq!(
            m.get("x").unwrap().value,
            Value::Number(wa_lint_graph::Number::Int(1))
        );
        assert_eq!(
            m.get("y").unwrap().value,
            Value::Number(wa_lint_graph::Number::Int(3))
        );
    }

    #[test]
    fn deep_nesting_is_a_syntax_error() {
        let text = format!("{}{}", "[".repeat(MAX_DEPTH + 5), "]".repeat(MAX_DEPTH + 5));
        let file = SourceFile::new(FileId(1), "t.yaml", text.as_str(), Format::Yaml);
        assert!(matches!(
            load(&file, &text, 0),
            Err(LoadError::Syntax { .. })
        ));
    }
}
