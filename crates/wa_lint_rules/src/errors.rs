//! Making regorus error texts fit on one line.

/// Turns a regorus error (a `--> file:line:col` header, a source excerpt with a caret, then
/// `error: message`) into `file:line:col: message`; other texts are only trimmed.
pub(crate) fn one_line(text: &str) -> String {
    let location = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))
        .map(str::trim);
    let message = text
        .lines()
        .position(|l| l.starts_with("error: "))
        .map(|i| {
            text.lines()
                .skip(i)
                .map(|l| l.strip_prefix("error: ").unwrap_or(l).trim())
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        });
    match (location, message) {
        (Some(location), Some(message)) => format!("{location}: {message}"),
        _ => text.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// [`one_line`] for an error in file `path`: the location loses the path it repeats,
/// giving `line 13, column 1: message`.
pub(crate) fn in_file(path: &str, text: &str) -> String {
    let line = one_line(text);
    let Some(rest) = line.strip_prefix(path).and_then(|r| r.strip_prefix(':')) else {
        return line;
    };
    let mut parts = rest.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(l), Some(c), Some(message))
            if l.parse::<u32>().is_ok() && c.parse::<u32>().is_ok() =>
        {
            format!("line {l}, column {c}:{message}")
        }
        _ => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\n--> rules/bad/rule.rego:13:1\n   |\n13 | deny := 5\n   | ^\nerror: complete rules should not produce multiple outputs";

    #[test]
    fn regorus_errors_become_one_line() {
        assert_eq!(
            one_line(TEXT),
            "rules/bad/rule.rego:13:1: complete rules should not produce multiple outputs"
        );
        assert_eq!(
            in_file("rules/bad/rule.rego", TEXT),
            "line 13, column 1: complete rules should not produce multiple outputs"
        );
        assert_eq!(in_file("other.rego", TEXT), one_line(TEXT));
        assert_eq!(one_line("  plain\n text "), "plain text");
    }
}
