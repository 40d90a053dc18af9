//! Lenient YAML indentation, the way PyYAML (cfn-lint) and CloudFormation read it.
//!
//! YAML 1.2 requires continuation lines of a multi-line flow collection (`[`…`]`, `{`…`}`) or
//! quoted scalar to be indented deeper than the parent key; real templates often put the
//! closing bracket or quote at the key's column. When the strict parse fails with such an
//! indentation error, the offending continuation line is padded with a space and the parse is
//! retried. Leading whitespace of those lines does not change the value. [`Remap`] maps
//! offsets in the padded text back to the original text.

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScanError};

/// Most repairs tried per file.
const MAX_REPAIRS: usize = 100;
/// Bound on the total characters re-parsed while repairing one file.
const MAX_REPARSE_CHARS: usize = 50_000_000;

/// Byte offsets in a padded text → offsets in the original text.
#[derive(Debug, Default)]
pub(crate) struct Remap {
    /// `(start in padded text, original offset, shift before, pad length)`, by position.
    pads: Vec<(usize, usize, usize, usize)>,
}

impl Remap {
    fn new(pads: &BTreeMap<usize, usize>) -> Self {
        let mut shift = 0;
        let mut out = Vec::with_capacity(pads.len());
        for (&orig, &count) in pads {
            out.push((orig + shift, orig, shift, count));
            shift += count;
        }
        Self { pads: out }
    }

    /// The original offset of padded offset `m` (inside a pad: where the pad was inserted).
    pub(crate) fn original(&self, m: usize) -> usize {
        let i = self.pads.partition_point(|&(start, ..)| start <= m);
        let Some(&(start, orig, shift, count)) = i.checked_sub(1).and_then(|i| self.pads.get(i))
        else {
            return m;
        };
        if m < start + count {
            orig
        } else {
            m - shift - count
        }
    }
}

/// The first error of the strict parse of `text`'s first document, if any.
fn first_error(text: &str) -> Option<ScanError> {
    let run = || {
        let mut parser = Parser::new_from_str(text);
        while let Some(event) = parser.next_event() {
            match event {
                Err(e) => return Some(e),
                Ok((Event::DocumentEnd | Event::StreamEnd, _)) => return None,
                Ok(_) => {}
            }
        }
        None
    };
    wa_lint_source::panics::catch(run).ok().flatten()
}

/// Pads continuation lines until `text` parses, for indentation errors inside flow
/// collections and quoted scalars only. `None` when the error is of another kind or the
/// repair does not succeed within bounds.
pub(crate) fn repaired(text: &str) -> Option<(String, Remap)> {
    let mut current = text.to_owned();
    let mut pads: BTreeMap<usize, usize> = BTreeMap::new();
    let attempts = MAX_REPAIRS.min(MAX_REPARSE_CHARS / text.len().max(1));
    for _ in 0..attempts {
        let Some(err) = first_error(&current) else {
            let remap = Remap::new(&pads);
            return Some((current, remap));
        };
        let line = target_line(&current, &err)?;
        let line_start = line_start(&current, line)?;
        let orig = Remap::new(&pads).original(line_start);
        *pads.entry(orig).or_default() += 1;
        current.insert(line_start, ' ');
    }
    None
}

/// The 1-based line to pad for `err`, if it is a repairable indentation error.
fn target_line(text: &str, err: &ScanError) -> Option<usize> {
    let mark_line = err.marker().line();
    match err.info() {
        // the mark is the start of the scalar: pad its first continuation line that is not
        // deeper than the line the scalar starts on
        "invalid indentation in quoted scalar" => {
            let base = indentation(text.lines().nth(mark_line.checked_sub(1)?)?);
            text.lines()
                .enumerate()
                .skip(mark_line)
                .find(|(_, l)| !l.trim().is_empty() && indentation(l) <= base)
                .map(|(i, _)| i + 1)
        }
        // the mark is on the offending line: pad it when it is inside a flow collection (it or
        // the line before continues one)
        "invalid indentation" | "invalid indentation in flow construct" => {
            let index = mark_line.checked_sub(1)?;
            let line = text.lines().nth(index)?.trim();
            let previous = text
                .lines()
                .take(index)
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .last()
                .unwrap_or("");
            let flow_like = line.starts_with([']', '}'])
                || line.ends_with([',', '[', '{'])
                || previous.ends_with([',', '[', '{']);
            flow_like.then_some(mark_line)
        }
        _ => None,
    }
}

/// Leading spaces of a line.
fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Byte offset where 1-based `line` starts.
fn line_start(text: &str, line: usize) -> Option<usize> {
    if line == 1 {
        return Some(0);
    }
    text.match_indices('\n')
        .nth(line.checked_sub(2)?)
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn pads_closing_brackets_and_quotes() {
        // shapes from serverless-patterns templates that PyYAML accepts
        let text = "R:\n  P:\n    Auth:\n      Policy:\n        S: [{\n          \"x\": 1\n        }]\n        D: !Sub '{\n            \"y\": 2\n        }'\n";
        assert!(first_error(text).is_some());
        let (fixed, remap) = repaired(text).unwrap();
        assert!(first_error(&fixed).is_none());
        assert!(fixed.len() > text.len());
        // offsets map back into the original text
        assert_eq!(remap.original(fixed.len()), text.len());
        for needle in ["}]", "}'"] {
            let at = fixed.find(needle).unwrap();
            let orig = remap.original(at);
            assert_eq!(&text[orig..orig + 2], needle);
        }
    }

    #[test]
    fn leaves_block_errors_alone() {
        assert!(repaired("a:\n  b: 1\n c: 2\n").is_none());
        assert!(repaired("a: b: c\n").is_none());
    }
}
