//! Finding comments in YAML and HCL text, without a full parser.
//!
//! The front ends keep no comments, so suppressions are read from [`SourceFile::text`]:
//! YAML `#` (at a line start or after whitespace, outside quoted scalars), HCL `#`, `//` and
//! `/* … */` outside strings and heredocs. Good enough for real files: a `#` inside a YAML block
//! scalar (`|`, `>`) reads as a comment, which only matters when that text itself contains
//! `wa-lint:ignore`.
//!
//! [`SourceFile::text`]: wa_lint_source::SourceFile::text

use wa_lint_source::{Format, TextRange};

/// One comment and the line it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Comment<'t> {
    /// The comment text after its marker (`#`, `//`, `/*`), without `*/`.
    pub body: &'t str,
    /// Byte range of the whole comment, marker included.
    pub range: TextRange,
    /// 1-based line the comment applies to: its own line when code precedes it there (a
    /// trailing comment), else the next line that holds code, skipping comment-only lines but
    /// not blank ones (so a comment separated by a blank line applies to nothing).
    pub target: Option<u32>,
}

/// Per line: does it hold code, and its comments (byte ranges, body ranges).
#[derive(Default)]
struct Line {
    code: bool,
    blank: bool,
    comments: Vec<(TextRange, TextRange)>,
}

/// Every comment of `text` read as `format` (JSON has none).
pub(crate) fn scan(text: &str, format: Format) -> Vec<Comment<'_>> {
    let lines = match format {
        Format::Yaml => yaml_lines(text),
        Format::Hcl => hcl_lines(text),
        Format::Json => return Vec::new(),
    };
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        for (range, body) in &line.comments {
            let target = if line.code {
                Some(i)
            } else {
                lines
                    .iter()
                    .enumerate()
                    .skip(i + 1)
                    .find(|(_, l)| l.code || l.blank)
                    .filter(|(_, l)| l.code)
                    .map(|(j, _)| j)
            };
            out.push(Comment {
                body: text
                    .get(body.start as usize..body.end as usize)
                    .unwrap_or_default(),
                range: *range,
                target: target.and_then(|t| u32::try_from(t + 1).ok()),
            });
        }
    }
    out
}

/// Splits `text` into lines: `(start offset, line text without the newline)`.
fn split_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |raw| {
        let at = start;
        start += raw.len();
        (at, raw.trim_end_matches(['\n', '\r']))
    })
}

fn yaml_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    for (at, line) in split_lines(text) {
        let mut out = Line {
            blank: line.trim().is_empty(),
            ..Line::default()
        };
        let mut quote: Option<char> = None;
        let mut prev_space = true;
        let mut comment_at = None;
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match quote {
                Some('\'') if c == '\'' => {
                    // `''` is an escaped quote inside a single-quoted scalar.
                    if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                        chars.next();
                    } else {
                        quote = None;
                    }
                }
                Some('"') if c == '\\' => {
                    chars.next();
                }
                Some(q) if c == q => quote = None,
                None if c == '#' && prev_space => {
                    comment_at = Some(i);
                    break;
                }
                // A quote opens a scalar only where a scalar can start.
                None if (c == '"' || c == '\'') && prev_space_or_indicator(line, i) => {
                    quote = Some(c);
                }
                Some(_) | None => {}
            }
            prev_space = c.is_whitespace();
        }
        let code_end = comment_at.unwrap_or(line.len());
        out.code = !line.get(..code_end).unwrap_or_default().trim().is_empty()
            && !line.trim_start().starts_with("---");
        if let Some(i) = comment_at {
            let start = at + i;
            let end = at + line.len();
            out.comments
                .push((TextRange::new(start, end), TextRange::new(start + 1, end)));
        }
        lines.push(out);
    }
    lines
}

/// True when the quote at byte `i` of `line` starts a scalar: after whitespace, `:`, `-`, `[`,
/// `{`, `,` or at the line start.
fn prev_space_or_indicator(line: &str, i: usize) -> bool {
    line.get(..i)
        .and_then(|before| before.chars().next_back())
        .is_none_or(|p| p.is_whitespace() || matches!(p, ':' | '-' | '[' | '{' | ','))
}

/// What is open at a point of an HCL line.
enum Nest {
    /// A quoted string.
    Str,
    /// A `${…}`/`%{…}` template sequence, with the depth of `{` opened inside it.
    Interp(u32),
}

fn hcl_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    // Open `/* … */` comment: its start offset and whether it started on an earlier line.
    let mut block: Option<usize> = None;
    // Open heredoc: its closing marker.
    let mut heredoc: Option<String> = None;
    for (at, line) in split_lines(text) {
        let mut out = Line {
            blank: line.trim().is_empty(),
            ..Line::default()
        };
        if let Some(marker) = &heredoc {
            out.code = true;
            if line.trim() == marker {
                heredoc = None;
            }
            lines.push(out);
            continue;
        }
        let bytes = line.as_bytes();
        let mut i = 0;
        // Open strings and `${…}` interpolations (which may hold strings) on this line.
        let mut stack: Vec<Nest> = Vec::new();
        while let Some(&b) = bytes.get(i) {
            if let Some(start) = block {
                if line.get(i..).is_some_and(|r| r.starts_with("*/")) {
                    let begin = start.max(at);
                    out.comments.push((
                        TextRange::new(begin, at + i + 2),
                        TextRange::new(if start >= at { start + 2 } else { at }, at + i),
                    ));
                    block = None;
                    i += 2;
                } else {
                    i += 1;
                }
                continue;
            }
            match stack.last_mut() {
                Some(Nest::Str) => {
                    match b {
                        b'\\' => i += 1,
                        b'"' => {
                            stack.pop();
                        }
                        b'$' | b'%' if bytes.get(i + 1) == Some(&b'{') => {
                            stack.push(Nest::Interp(0));
                            i += 1;
                        }
                        _ => {}
                    }
                    i += 1;
                    continue;
                }
                Some(Nest::Interp(depth)) => {
                    match b {
                        b'"' => stack.push(Nest::Str),
                        b'{' => *depth += 1,
                        b'}' if *depth == 0 => {
                            stack.pop();
                        }
                        b'}' => *depth -= 1,
                        _ => {}
                    }
                    i += 1;
                    continue;
                }
                None => {}
            }
            let rest = line.get(i..).unwrap_or_default();
            if b == b'#' || rest.starts_with("//") {
                let marker = if b == b'#' { 1 } else { 2 };
                out.comments.push((
                    TextRange::new(at + i, at + line.len()),
                    TextRange::new(at + i + marker, at + line.len()),
                ));
                break;
            }
            if rest.starts_with("/*") {
                block = Some(at + i);
                i += 2;
                continue;
            }
            if rest.starts_with("<<") {
                let name: String = rest
                    .trim_start_matches("<<")
                    .trim_start_matches('-')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.code = true;
                    heredoc = Some(name);
                    break;
                }
            }
            if b == b'"' {
                stack.push(Nest::Str);
            }
            if !b.is_ascii_whitespace() {
                out.code = true;
            }
            i += 1;
        }
        if let Some(start) = block {
            // A block comment still open at the end of the line: this line's part.
            let begin = start.max(at);
            let body = if start >= at { start + 2 } else { at };
            out.comments.push((
                TextRange::new(begin, at + line.len()),
                TextRange::new(body.min(at + line.len()), at + line.len()),
            ));
        }
        lines.push(out);
    }
    lines
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn bodies(text: &str, format: Format) -> Vec<(String, Option<u32>)> {
        scan(text, format)
            .into_iter()
            .map(|c| (c.body.trim().to_owned(), c.target))
            .collect()
    }

    #[test]
    fn yaml_comments_and_targets() {
        let text = "a: 1 # trailing\n# above\n# more\nb: 'x # not' # real\n\n# orphan\n\nc: \"q#\"\nd: x#y\n";
        assert_eq!(
            bodies(text, Format::Yaml),
            vec![
                ("trailing".into(), Some(1)),
                ("above".into(), Some(4)),
                ("more".into(), Some(4)),
                ("real".into(), Some(4)),
                ("orphan".into(), None),
            ]
        );
    }

    #[test]
    fn hcl_comments_outside_strings_and_heredocs() {
        let text = r#"# one
resource "a" "b" { // two
  x = "http://x#y" # three
  y = <<EOF
# not a comment
EOF
  /* four */ z = 1
  w = "${"}"}" # five
}
"#;
        assert_eq!(
            bodies(text, Format::Hcl),
            vec![
                ("one".into(), Some(2)),
                ("two".into(), Some(2)),
                ("three".into(), Some(3)),
                ("four".into(), Some(7)),
                ("five".into(), Some(8)),
            ]
        );
    }

    #[test]
    fn hcl_multiline_block_comment() {
        let text = "/* a\n b */\nresource \"x\" \"y\" {}\n";
        let found = bodies(text, Format::Hcl);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0], ("a".into(), Some(3)));
        assert_eq!(found[1], ("b".into(), Some(3)));
    }

    #[test]
    fn ranges_cover_the_marker() {
        let text = "x = 1 # hi\n";
        let c = &scan(text, Format::Hcl)[0];
        assert_eq!(&text[c.range.start as usize..c.range.end as usize], "# hi");
    }
}
