//! `Fn::Sub` template strings.

/// One piece of a `Fn::Sub` string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SubPart {
    /// Literal text (`${!Literal}` escapes already turned into `${Literal}`).
    Lit(String),
    /// A `${Name}` or `${Name.Attr}` variable, trimmed.
    Var(String),
}

/// Splits a `Fn::Sub` string into literal text and variables. An unterminated `${` is literal.
pub(crate) fn parse(text: &str) -> Vec<SubPart> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut rest = text;
    while let Some(open) = rest.find("${") {
        let (before, after) = rest.split_at(open);
        lit.push_str(before);
        let inner_and_more = after.get(2..).unwrap_or("");
        let Some(close) = inner_and_more.find('}') else {
            lit.push_str(after);
            rest = "";
            break;
        };
        let inner = inner_and_more.get(..close).unwrap_or("");
        if let Some(escaped) = inner.strip_prefix('!') {
            lit.push_str("${");
            lit.push_str(escaped);
            lit.push('}');
        } else {
            if !lit.is_empty() {
                parts.push(SubPart::Lit(std::mem::take(&mut lit)));
            }
            parts.push(SubPart::Var(inner.trim().to_owned()));
        }
        rest = inner_and_more.get(close + 1..).unwrap_or("");
    }
    lit.push_str(rest);
    if !lit.is_empty() {
        parts.push(SubPart::Lit(lit));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_variables_and_escapes() {
        assert_eq!(
            parse("arn:${AWS::Partition}:s3:::${Bucket}/*"),
            vec![
                SubPart::Lit("arn:".into()),
                SubPart::Var("AWS::Partition".into()),
                SubPart::Lit(":s3:::".into()),
                SubPart::Var("Bucket".into()),
                SubPart::Lit("/*".into()),
            ]
        );
        assert_eq!(
            parse("a ${!Literal} b"),
            vec![SubPart::Lit("a ${Literal} b".into())]
        );
        assert_eq!(
            parse("x ${ Res.Arn }"),
            vec![SubPart::Lit("x ".into()), SubPart::Var("Res.Arn".into())]
        );
        assert_eq!(
            parse("open ${ no close"),
            vec![SubPart::Lit("open ${ no close".into())]
        );
        assert_eq!(parse(""), Vec::<SubPart>::new());
    }
}
