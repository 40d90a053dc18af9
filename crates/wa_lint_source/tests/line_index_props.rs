//! Property tests: [`LineIndex`] agrees with a naive count over the text, for texts mixing
//! LF/CRLF, tabs, multi-byte characters, combining marks, emoji and lines long enough to use the
//! 4 KiB character checkpoints.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use wa_lint_source::{LineCol, LineIndex};

/// Pieces texts are made of; `None` marks a long run (about 5,000 characters).
const PIECES: &[&str] = &[
    "a",
    "Z",
    "0",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\r",
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
    "\\",
    "${x}",
];

fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => proptest::sample::select(PIECES).prop_map(str::to_owned),
        1 => (proptest::sample::select(PIECES), 1000usize..5000)
            .prop_map(|(p, n)| p.replace('\n', "").repeat(n)),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// Line and column counted from scratch: lines end at `\n`, the column counts the characters
/// whose first byte lies between the line start and `offset` (so an offset inside a character
/// counts that character), plus one.
// The point is a count with no cleverness.
#[allow(clippy::naive_bytecount)]
fn naive(text: &str, offset: usize) -> LineCol {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = before[line_start..]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count()
        + 1;
    LineCol {
        line: u32::try_from(line).unwrap(),
        column: u32::try_from(column).unwrap(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn line_col_matches_a_naive_count(text in text(), picks in proptest::collection::vec(any::<prop::sample::Index>(), 1..24)) {
        let index = LineIndex::new(&text);
        prop_assert_eq!(index.line_count(), text.matches('\n').count() + 1);
        // Every line start is where the naive count says it is.
        for line in 1..=u32::try_from(index.line_count()).unwrap() {
            let start = index.line_start(line).unwrap() as usize;
            prop_assert_eq!(naive(&text, start), LineCol { line, column: 1 });
        }
        // Random offsets, inside characters too, and one past the end.
        for pick in picks {
            let offset = pick.index(text.len() + 2);
            prop_assert_eq!(
                index.line_col(&text, u32::try_from(offset).unwrap()),
                naive(&text, offset),
                "offset {}", offset
            );
        }
    }
}
