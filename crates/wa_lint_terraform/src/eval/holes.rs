//! Templates with unknown parts ("holes"): rendered with a sentinel per hole so that an IAM
//! policy document written as JSON text can still be parsed, its holes becoming Unknown strings.
//!
//! A sentinel is `U+E000 <hole index> U+E001` (private-use characters, which real policy text
//! does not contain; a template whose known text contains `U+E000` is never parsed).

use wa_lint_graph::{Node, Value};
use wa_lint_source::Span;

use super::Fail;

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// A template rendering in progress.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    /// The text, with a sentinel in place of each hole.
    text: String,
    /// The unknown reason of each hole, by index.
    holes: Vec<String>,
    /// Set when rendering stopped on an unknown that is not a plain hole (a directive's
    /// condition or collection, or a failure after a hole).
    stop: Option<String>,
    /// Known text contained the sentinel character: sentinels are not trustworthy.
    tainted: bool,
}

impl Rendered {
    /// Appends known text.
    pub(crate) fn push_text(&mut self, s: &str) {
        self.tainted |= s.contains(OPEN);
        self.text.push_str(s);
    }

    /// Appends a hole for an unknown part with `reason`.
    pub(crate) fn push_hole(&mut self, reason: String) {
        self.text.push(OPEN);
        self.text.push_str(&self.holes.len().to_string());
        self.text.push(CLOSE);
        self.holes.push(reason);
    }

    /// Stops rendering: the result is unknown with `reason` (or the first hole's).
    pub(crate) fn stop(&mut self, reason: String) {
        self.stop.get_or_insert(reason);
    }

    /// Whether rendering has stopped.
    pub(crate) fn stopped(&self) -> bool {
        self.stop.is_some()
    }

    /// A failure while rendering. After an unknown part the template is simply unknown (its
    /// rendering used to stop at the first unknown part); otherwise the failure stands.
    ///
    /// # Errors
    /// `f` when no part was unknown so far.
    pub(crate) fn fail(&mut self, f: Fail) -> Result<(), Fail> {
        match self.holes.first() {
            Some(first) => {
                let first = first.clone();
                self.stop(first);
                Ok(())
            }
            None => Err(f),
        }
    }
}

/// The value of a finished rendering at `span`: the string when wholly known; the policy
/// document with Unknown strings when it has holes and parses as one; else Unknown with the
/// reason of the first unknown part.
pub(crate) fn finish(r: Rendered, span: Option<Span>) -> Node {
    let first = r.holes.first().cloned().or(r.stop.clone());
    let Some(first) = first else {
        return Node::new(Value::String(r.text), span);
    };
    if r.stop.is_none() && !r.tainted {
        if let Some(mut doc) = wa_lint_graph::policy_from_json_str(&r.text, span) {
            fill(&mut doc, &r.holes);
            return doc;
        }
    }
    Node::unknown(first, span)
}

/// The reason of the first hole in `s`, if `s` has one.
fn hole_reason<'a>(s: &str, holes: &'a [String]) -> Option<&'a str> {
    let (_, rest) = s.split_once(OPEN)?;
    let index = rest
        .split_once(CLOSE)
        .and_then(|(i, _)| i.parse::<usize>().ok());
    // A sentinel opener without a valid index cannot come from known text (not tainted), so
    // it is ours; fall back to the first hole.
    index
        .and_then(|i| holes.get(i))
        .or_else(|| holes.first())
        .map(String::as_str)
}

/// Replaces strings (and maps with keys) holding a hole by Unknown, keeping spans.
fn fill(node: &mut Node, holes: &[String]) {
    let reason = match &mut node.value {
        Value::String(s) => hole_reason(s, holes).map(str::to_owned),
        Value::List(items) => {
            for n in items.iter_mut() {
                fill(n, holes);
            }
            None
        }
        Value::Map(map) => {
            let key_reason = map
                .keys()
                .find_map(|k| hole_reason(k, holes))
                .map(str::to_owned);
            if key_reason.is_none() {
                for e in map.values_mut() {
                    fill(&mut e.node, holes);
                }
            }
            key_reason
        }
        _ => None,
    };
    if let Some(reason) = reason {
        node.value = Value::Unknown(reason);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    fn rendered(parts: &[Result<&str, &str>]) -> Rendered {
        let mut r = Rendered::default();
        for p in parts {
            match p {
                Ok(t) => r.push_text(t),
                Err(reason) => r.push_hole((*reason).to_owned()),
            }
        }
        r
    }

    #[test]
    fn holes_become_unknown_strings_and_keys_make_maps_unknown() {
        let r = rendered(&[
            Ok(r#"{"Statement": [{"Action": "s3:*", "Resource": "arn:aws:s3:::"#),
            Err("b"),
            Ok(r#"/*", "Condition": {"StringEquals": {""#),
            Err("k"),
            Ok(r#"": "v"}}}]}"#),
        ]);
        let doc = finish(r, None);
        let st = match &doc.get("Statement").unwrap().value {
            Value::List(items) => items[0].clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(st.get("Action").unwrap().as_str(), Some("s3:*"));
        assert_eq!(
            st.get("Resource").unwrap().value,
            Value::Unknown("b".into())
        );
        assert_eq!(
            st.get("Condition")
                .unwrap()
                .get("StringEquals")
                .unwrap()
                .value,
            Value::Unknown("k".into())
        );
    }

    #[test]
    fn not_json_or_tainted_or_stopped_stays_unknown() {
        let r = rendered(&[Ok("name-"), Err("first"), Ok("-"), Err("second")]);
        assert_eq!(finish(r, None).value, Value::Unknown("first".into()));
        let r = rendered(&[
            Ok("{\"Statement\": \"\u{E000}0\u{E001}\", \"x\": \""),
            Err("r"),
            Ok("\"}"),
        ]);
        assert_eq!(finish(r, None).value, Value::Unknown("r".into()));
        let mut r = rendered(&[Ok(r#"{"Statement": ""#), Err("r"), Ok(r#""}"#)]);
        r.stop("directive".into());
        assert_eq!(finish(r, None).value, Value::Unknown("r".into()));
        let r = rendered(&[Ok("plain")]);
        assert_eq!(finish(r, None).value, Value::String("plain".into()));
    }
}
