//! Report paths → relative URI references for SARIF `artifactLocation.uri`.

use std::fmt::Write as _;

/// A relative URI reference for a report path (relative to the scan root, `/` separators).
///
/// - `\` becomes `/`; a `file://` prefix, leading `./` and leading `/` are dropped, so the result
///   is never absolute;
/// - every byte outside RFC 3986 `unreserved` and `/` is percent-encoded (UTF-8), including `:`,
///   so no prefix can read as a scheme (`git::x` → `git%3A%3Ax`);
/// - an empty path becomes `.` (the scan root) — never an empty URI.
pub(crate) fn relative_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut rest = path.as_str();
    if let Some(stripped) = strip_prefix_ignore_case(rest, "file://") {
        rest = stripped;
    }
    loop {
        if let Some(r) = rest.strip_prefix("./") {
            rest = r;
        } else if let Some(r) = rest.strip_prefix('/') {
            rest = r;
        } else {
            break;
        }
    }
    if rest.is_empty() {
        return ".".to_owned();
    }
    let mut out = String::with_capacity(rest.len());
    for &b in rest.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::relative_uri;

    #[test]
    fn encodes_and_stays_relative() {
        assert_eq!(relative_uri("cfn/my stack.yaml"), "cfn/my%20stack.yaml");
        assert_eq!(relative_uri("tf/main.tf"), "tf/main.tf");
        assert_eq!(relative_uri("/abs/x.tf"), "abs/x.tf");
        assert_eq!(relative_uri("./a/./b.tf"), "a/./b.tf");
        assert_eq!(
            relative_uri("git::https://x/y.tf"),
            "git%3A%3Ahttps%3A//x/y.tf"
        );
        assert_eq!(relative_uri("FILE:///etc/x.yaml"), "etc/x.yaml");
        assert_eq!(relative_uri("dir\\win.json"), "dir/win.json");
        assert_eq!(
            relative_uri("résumé#1?.yaml"),
            "r%C3%A9sum%C3%A9%231%3F.yaml"
        );
        assert_eq!(relative_uri(""), ".");
        assert_eq!(relative_uri("/"), ".");
    }
}
