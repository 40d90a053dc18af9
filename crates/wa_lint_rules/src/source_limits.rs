//! Bounds on Rego sources that regorus would take too long to compile, checked before it
//! parses them. Both were found by the `fuzz/` target `rego_metadata`.
//!
//! - Bracket nesting: regorus' parser backtracks on `[` and `{` (it tries a comprehension,
//!   then an array, set or object), so its time doubles roughly every level: 20 levels of `[`
//!   took 4.5 s and the 133 `[` of a fuzzed rule over 120 s (release build).
//! - Number literals with a large exponent: regorus 0.14 turns `<digits>e<exponent>` into an
//!   exact integer by multiplying with 10^exponent (`number.rs`, `scientific_parts_to_bigint`)
//!   even when the digits are `0`: `0e6666666` took 2.2 s and `0e99999999` over 60 s.

use crate::RulesError;

/// Deepest nesting of `[` and `{` (counted together) accepted in a Rego module. The built-in
/// pack nests at most 10 levels (brackets and parentheses together); regorus parses 12 levels
/// in about 0.04 s (16: 0.5 s release, 7 s debug).
pub(crate) const MAX_NESTING: usize = 12;

/// Largest exponent accepted in a number literal. regorus refuses a non-zero number above the
/// largest finite IEEE double (about `1.8e308`) anyway; `0e1000` compiles in well under a
/// millisecond.
pub(crate) const MAX_EXPONENT: u32 = 1000;

/// Checks a Rego module against both bounds before regorus parses it.
///
/// # Errors
/// [`RulesError::Compile`] for `path` with the line (`line N: …`, as regorus' own errors) when `[`/`{` nest deeper than [`MAX_NESTING`]
/// or a number literal's exponent is above [`MAX_EXPONENT`].
pub fn check_module(path: &str, text: &str) -> Result<(), RulesError> {
    let (line, what) = match check(text) {
        None => return Ok(()),
        Some(Problem::TooDeep(line)) => (
            line,
            format!("`[`/`{{` nested deeper than {MAX_NESTING} levels (regorus' parser would take exponential time); split the expression"),
        ),
        Some(Problem::HugeExponent(line)) => (
            line,
            format!("number literal with an exponent above {MAX_EXPONENT} (regorus would compute it exactly, taking seconds to hours); write the value another way"),
        ),
    };
    Err(RulesError::Compile {
        path: path.to_owned(),
        message: format!("line {line}: {what}"),
    })
}

/// What [`check`] found first, with its 1-based line.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Problem {
    /// A `[` or `{` opening a level deeper than [`MAX_NESTING`].
    TooDeep(usize),
    /// A number literal whose exponent is above [`MAX_EXPONENT`].
    HugeExponent(usize),
}

/// The first [`Problem`] of a module's code (comments and string literals are not code);
/// `None` when the module stays within both bounds.
pub(crate) fn check(text: &str) -> Option<Problem> {
    let mut depth = 0usize;
    let mut code = Code::new(text);
    // The previous code character: a digit after a letter, digit or `_` is part of a name.
    let mut prev = ' ';
    while let Some((line, c)) = code.next() {
        match c {
            '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(Problem::TooDeep(line));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            '0'..='9' if !(prev.is_alphanumeric() || prev == '_') => {
                if code.exponent_of_number() > MAX_EXPONENT {
                    return Some(Problem::HugeExponent(line));
                }
                prev = '0';
                continue;
            }
            _ => {}
        }
        prev = c;
    }
    None
}

/// The code characters of a Rego module with their 1-based line; a comment or a string
/// literal comes out as one space.
struct Code<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
}

impl<'a> Code<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            chars: text.chars().peekable(),
            line: 1,
        }
    }

    /// Consumes the rest of a number literal whose first digit was just read and returns its
    /// exponent (0 without one or when negative: regorus then parses a float; saturating).
    fn exponent_of_number(&mut self) -> u32 {
        while self
            .chars
            .next_if(|c| c.is_ascii_digit() || *c == '.')
            .is_some()
        {}
        if self.chars.next_if(|c| matches!(c, 'e' | 'E')).is_none() {
            return 0;
        }
        let negative = self.chars.next_if(|c| matches!(c, '+' | '-')) == Some('-');
        let mut exponent = 0u32;
        while let Some(d) = self.chars.next_if(char::is_ascii_digit) {
            exponent = exponent
                .saturating_mul(10)
                .saturating_add(d.to_digit(10).unwrap_or(0));
        }
        if negative {
            0
        } else {
            exponent
        }
    }
}

impl Iterator for Code<'_> {
    type Item = (usize, char);

    fn next(&mut self) -> Option<(usize, char)> {
        let c = self.chars.next()?;
        let line = self.line;
        match c {
            '\n' => self.line += 1,
            // A comment runs to the end of the line.
            '#' => {
                while self.chars.next_if(|c| *c != '\n').is_some() {}
                return Some((line, ' '));
            }
            '"' => {
                // A string ends at the next unescaped quote (or, unterminated, at a newline,
                // where regorus rejects it).
                while let Some(c) = self.chars.next() {
                    match c {
                        '\\' => {
                            self.chars.next();
                        }
                        '"' => break,
                        '\n' => {
                            self.line += 1;
                            break;
                        }
                        _ => {}
                    }
                }
                return Some((line, ' '));
            }
            '`' => {
                // A raw string may span lines.
                for c in self.chars.by_ref() {
                    match c {
                        '`' => break,
                        '\n' => self.line += 1,
                        _ => {}
                    }
                }
                return Some((line, ' '));
            }
            _ => {}
        }
        Some((line, c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_counted_outside_comments_and_strings() {
        let ok = format!("package x\np := {}1{}\n", "[{".repeat(6), "}]".repeat(6));
        assert_eq!(check(&ok), None);
        let deep = format!("package x\n\np := {}1{}\n", "[".repeat(13), "]".repeat(13));
        assert_eq!(check(&deep), Some(Problem::TooDeep(3)));
        let hidden = format!(
            "package x\n# {}\ns := \"{}\\\"[\"\nr := `\n{}`\np := [{{}}]\n",
            "[".repeat(40),
            "{".repeat(40),
            "[".repeat(40)
        );
        assert_eq!(check(&hidden), None);
        // Closing brackets beyond the opening ones do not make room for more.
        let unbalanced = format!("]]]]{}", "{".repeat(13));
        assert_eq!(check(&unbalanced), Some(Problem::TooDeep(1)));
    }

    #[test]
    fn number_literals_with_a_huge_exponent_are_found_in_code_only() {
        let ok = "package x\na := 1e308\nb := 2.5E-99999\nc := [0e1000, 7]\n";
        assert_eq!(check(ok), None);
        assert_eq!(
            check("package x\n\na := 0e6666666\n"),
            Some(Problem::HugeExponent(3))
        );
        assert_eq!(
            check("package x\na := 1.5e+1001\n"),
            Some(Problem::HugeExponent(2))
        );
        assert_eq!(
            check("package x\na := -9E99999999999999999999\n"),
            Some(Problem::HugeExponent(2))
        );
        // Not number literals: names, comments, strings, raw strings.
        let hidden = "package x\nv1e99999 := 1\n# 0e99999\ns := \"0e99999\"\nr := `\n0e99999`\n";
        assert_eq!(check(hidden), None);
        // The fuzzed module (fuzz/artifacts, rego_metadata timeout).
        let fuzzed = "package w# deis ]not null.\npresent(obj, key) if {\n\t {{\"usbnet\": ref.to,0e6666666 in 66\u{18}6666666666\u{1}\0\0t6666.c, key) if {\n\t {{\"usbce-o.must_B";
        assert_eq!(check(fuzzed), Some(Problem::HugeExponent(3)));
    }
}
