//! A bound on the bracket nesting of Rego sources, checked before regorus parses them.
//!
//! regorus' parser backtracks on `[` and `{` (it tries a comprehension, then an array, set or
//! object), so its time doubles roughly every level: 20 levels of `[` took 4.5 s and the 133
//! `[` of a fuzzed rule over 120 s (release build). Found by `fuzz/` target `rego_metadata`.

/// Deepest nesting of `[` and `{` (counted together) accepted in a Rego module. The built-in
/// pack nests at most 10 levels (brackets and parentheses together); regorus parses 12 levels
/// in about 0.04 s (16: 0.5 s release, 7 s debug).
pub(crate) const MAX_NESTING: usize = 12;

/// The 1-based line of the first `[` or `{` that opens a level deeper than
/// [`MAX_NESTING`], outside comments and string literals; `None` when the module stays within.
pub(crate) fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut line = 1usize;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            // A comment runs to the end of the line.
            '#' if chars.by_ref().any(|c| c == '\n') => line += 1,
            '"' => {
                // A string ends at the next unescaped quote (or, unterminated, at a newline,
                // where regorus rejects it).
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        '\n' => {
                            line += 1;
                            break;
                        }
                        _ => {}
                    }
                }
            }
            '`' => {
                // A raw string may span lines.
                for c in chars.by_ref() {
                    match c {
                        '`' => break,
                        '\n' => line += 1,
                        _ => {}
                    }
                }
            }
            '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(line);
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_counted_outside_comments_and_strings() {
        let ok = format!("package x\np := {}1{}\n", "[{".repeat(6), "}]".repeat(6));
        assert_eq!(too_deep(&ok), None);
        let deep = format!("package x\n\np := {}1{}\n", "[".repeat(13), "]".repeat(13));
        assert_eq!(too_deep(&deep), Some(3));
        let hidden = format!(
            "package x\n# {}\ns := \"{}\\\"[\"\nr := `\n{}`\np := [{{}}]\n",
            "[".repeat(40),
            "{".repeat(40),
            "[".repeat(40)
        );
        assert_eq!(too_deep(&hidden), None);
        // Closing brackets beyond the opening ones do not make room for more.
        let unbalanced = format!("]]]]{}", "{".repeat(13));
        assert_eq!(too_deep(&unbalanced), Some(1));
    }
}
