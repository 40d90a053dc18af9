//! Making user-controlled text safe to print on a terminal, and masking secrets in snippets.
//!
//! Everything a scanned file controls — resource names, logical IDs, messages that quote them,
//! suppression reasons, file names and the source text of snippets — may carry control
//! characters: ANSI escape sequences (`ESC [31m`, `ESC ]8;;` hyperlinks, cursor movement,
//! `ESC ]0;` window titles), a lone carriage return that overwrites the line already printed,
//! or Unicode bidirectional overrides that reorder what a reviewer reads ("Trojan Source",
//! CVE-2021-42574). The human format passes every such string through [`terminal_line`]
//! (escaped visibly) and shows source text through [`display_text`] (replaced byte for byte,
//! so spans and the line index stay valid). See `docs/security.md`.

use std::borrow::Cow;
use std::fmt::Write as _;

use wa_lint_source::TextRange;

/// True for a character that must not reach a terminal as is: C0 controls other than tab and
/// newline, DEL, C1 controls (U+0080–U+009F, which include the 8-bit CSI and OSC), and the
/// Unicode bidirectional formatting characters (U+061C, U+200E/F, U+202A–U+202E,
/// U+2066–U+2069).
pub(crate) fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every unsafe character (see the module docs), and also tab and newline, written
/// as a visible escape (`\u{1b}`, `\n`), for text printed on one line: titles, labels,
/// notes, paths. Borrowed when nothing changes.
pub fn terminal_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) || c == '\n' || c == '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `s` with every unsafe character escaped visibly like [`terminal_line`], keeping newlines
/// and tabs: for multi-line text (help).
pub fn terminal_text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c == '\r' {
            out.push_str("\\r");
        } else if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The text of a file as snippets show it, with the same length and the same line breaks as
/// `text`, so byte offsets and the file's line index apply unchanged:
///
/// - every byte of an unsafe character becomes `?` (a carriage return right before a newline
///   is kept: CRLF files render normally);
/// - in each of `masked` (byte ranges of detected secrets), the first 4 characters stay and
///   every byte of the others except whitespace becomes `*` (indentation and lines stay).
///
/// Borrowed when nothing changes. Ranges are clamped to the text and widened to character
/// boundaries.
pub fn display_text<'t>(text: &'t str, masked: &[TextRange]) -> Cow<'t, str> {
    let needs_mask = masked.iter().any(|r| r.start < r.end);
    if !needs_mask && !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    let bytes_len = bytes.len();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let keep_cr = c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n');
        if is_unsafe(c) && !keep_cr {
            fill(&mut bytes, i, i + c.len_utf8(), b'?');
        }
    }
    for range in masked {
        let start = (range.start as usize).min(bytes_len);
        let end = (range.end as usize).clamp(start, bytes_len);
        let Some(region) = text.get(floor(text, start)..ceil(text, end)) else {
            continue;
        };
        let base = floor(text, start);
        for (i, c) in region.char_indices().skip(4) {
            if !c.is_whitespace() {
                fill(&mut bytes, base + i, base + i + c.len_utf8(), b'*');
            }
        }
    }
    // Only whole characters were replaced by ASCII bytes, so the result is UTF-8.
    Cow::Owned(
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

fn fill(bytes: &mut [u8], start: usize, end: usize, with: u8) {
    if let Some(slice) = bytes.get_mut(start..end) {
        slice.fill(with);
    }
}

fn floor(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn terminal_line_escapes_controls_visibly() {
        assert_eq!(terminal_line("plain: a|b <c>"), "plain: a|b <c>");
        assert!(matches!(terminal_line("plain"), Cow::Borrowed(_)));
        assert_eq!(
            terminal_line("\u{1b}[31mred\u{1b}]8;;http://x\u{7}y\r\nz\u{9b}2J\u{202e}cba"),
            "\\u{1b}[31mred\\u{1b}]8;;http://x\\u{7}y\\r\\nz\\u{9b}2J\\u{202e}cba"
        );
    }

    #[test]
    fn terminal_text_keeps_line_breaks() {
        assert_eq!(terminal_text("a\n\tb\u{1b}[0m"), "a\n\tb\\u{1b}[0m");
    }

    #[test]
    fn display_text_keeps_offsets_and_lines() {
        let text = "a: \u{1b}[2J\r\nb: x\ry\u{202e}\n";
        let shown = display_text(text, &[]);
        assert_eq!(shown, "a: ?[2J\r\nb: x?y???\n");
        assert_eq!(shown.len(), text.len());
    }

    #[test]
    fn display_text_masks_ranges_after_four_characters() {
        let text = "k: AKIA2E0A8F3B244C9986\nv: |\n  secret=wJalrXUtnFEMI\n  é\nnext: 1\n";
        let key = text.find("AKIA").unwrap();
        let block = text.find("|\n").unwrap();
        let block_end = text.find("next").unwrap();
        let shown = display_text(
            text,
            &[
                TextRange::new(key, key + 20),
                TextRange::new(block, block_end),
            ],
        );
        assert_eq!(
            shown,
            "k: AKIA****************\nv: |\n  ********************\n  **\nnext: 1\n"
        );
        assert_eq!(shown.len(), text.len());
        // Out-of-range and reversed ranges are clamped.
        assert_eq!(display_text("abc", &[TextRange::new(2, 99)]), "abc");
    }
}
