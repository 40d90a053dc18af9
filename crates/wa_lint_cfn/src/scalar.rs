//! YAML 1.2 core-schema typing of plain scalars.

use wa_lint_graph::{Number, Value};

/// The value of a plain (unquoted, untagged) scalar under the YAML 1.2 core schema.
/// Integers with leading zeros (`0123`, account IDs) stay strings so no digit is lost.
pub(crate) fn plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Number(Number::Float(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Number(Number::Float(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => return Value::Number(Number::Float(f64::NAN)),
        _ => {}
    }
    number(text).map_or_else(|| Value::String(text.to_owned()), Value::Number)
}

/// A number written as a YAML 1.2 core integer or float, if `text` is one.
fn number(text: &str) -> Option<Number> {
    let first = text.as_bytes().first().copied()?;
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return None;
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(Number::Int);
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(Number::Int);
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if digits.len() > 1 && digits.starts_with('0') {
            return None;
        }
        return text
            .parse::<i64>()
            .ok()
            .map(Number::Int)
            .or_else(|| text.parse::<f64>().ok().map(Number::Float));
    }
    let float_shaped = digits.bytes().any(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    if float_shaped && !digits.starts_with(['e', 'E']) {
        return text.parse::<f64>().ok().map(Number::Float);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_schema() {
        assert_eq!(plain("22"), Value::Number(Number::Int(22)));
        assert_eq!(plain("-1"), Value::Number(Number::Int(-1)));
        assert_eq!(plain("1.5"), Value::Number(Number::Float(1.5)));
        assert_eq!(plain("1e3"), Value::Number(Number::Float(1000.0)));
        assert_eq!(plain("0x1F"), Value::Number(Number::Int(31)));
        assert_eq!(plain("true"), Value::Bool(true));
        assert_eq!(plain("~"), Value::Null);
        assert_eq!(plain("012345678901"), Value::String("012345678901".into()));
        assert_eq!(plain("2012-10-17"), Value::String("2012-10-17".into()));
        assert_eq!(plain("0.0.0.0/0"), Value::String("0.0.0.0/0".into()));
        assert_eq!(plain("1.2.3"), Value::String("1.2.3".into()));
        assert_eq!(plain("yes"), Value::String("yes".into()));
        assert_eq!(plain("e5"), Value::String("e5".into()));
    }
}
