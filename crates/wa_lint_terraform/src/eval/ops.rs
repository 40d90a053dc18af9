//! Unary and binary operators over evaluated nodes.

use hcl_edit::expr::{BinaryOperator, UnaryOperator};
use wa_lint_graph::{Node, Number, Value};
use wa_lint_source::Span;

use super::values::{first_unknown, num_f64, num_from_f64, to_bool, to_num, values_equal};
use super::{Fail, R};

/// `-x` and `!x`. An unknown operand gives an unknown result.
pub(crate) fn unary(op: UnaryOperator, operand: Node, span: Option<Span>) -> R {
    if let Value::Unknown(reason) = operand.value {
        return Ok(Node::unknown(reason, span));
    }
    let value = match op {
        UnaryOperator::Not => Value::Bool(!to_bool(&operand.value)?),
        UnaryOperator::Neg => Value::Number(match to_num(&operand.value)? {
            Number::Int(i) => i
                .checked_neg()
                .map_or(Number::Float(-(num_f64(Number::Int(i)))), Number::Int),
            Number::Float(f) => Number::Float(-f),
        }),
    };
    Ok(Node::new(value, span))
}

/// `a op b`. `false && x` and `true || x` are known even when `x` is not; otherwise an unknown
/// operand (for `==`/`!=`: anywhere inside it) gives an unknown result.
pub(crate) fn binary(op: BinaryOperator, lhs: &Node, rhs: &Node, span: Option<Span>) -> R {
    let known_bool = |n: &Node| match &n.value {
        Value::Unknown(_) => None,
        v => to_bool(v).ok(),
    };
    match op {
        BinaryOperator::And if known_bool(lhs) == Some(false) || known_bool(rhs) == Some(false) => {
            return Ok(Node::new(Value::Bool(false), span));
        }
        BinaryOperator::Or if known_bool(lhs) == Some(true) || known_bool(rhs) == Some(true) => {
            return Ok(Node::new(Value::Bool(true), span));
        }
        _ => {}
    }
    let unknown = match op {
        BinaryOperator::Eq | BinaryOperator::NotEq => {
            first_unknown(lhs).or_else(|| first_unknown(rhs))
        }
        _ => match (&lhs.value, &rhs.value) {
            (Value::Unknown(r), _) | (_, Value::Unknown(r)) => Some(r.as_str()),
            _ => None,
        },
    };
    if let Some(reason) = unknown {
        return Ok(Node::unknown(reason, span));
    }
    let (a, b) = (&lhs.value, &rhs.value);
    let value = match op {
        BinaryOperator::Eq => Value::Bool(values_equal(a, b)),
        BinaryOperator::NotEq => Value::Bool(!values_equal(a, b)),
        BinaryOperator::And => Value::Bool(to_bool(a)? && to_bool(b)?),
        BinaryOperator::Or => Value::Bool(to_bool(a)? || to_bool(b)?),
        BinaryOperator::Less => Value::Bool(num_f64(to_num(a)?) < num_f64(to_num(b)?)),
        BinaryOperator::LessEq => Value::Bool(num_f64(to_num(a)?) <= num_f64(to_num(b)?)),
        BinaryOperator::Greater => Value::Bool(num_f64(to_num(a)?) > num_f64(to_num(b)?)),
        BinaryOperator::GreaterEq => Value::Bool(num_f64(to_num(a)?) >= num_f64(to_num(b)?)),
        BinaryOperator::Plus
        | BinaryOperator::Minus
        | BinaryOperator::Mul
        | BinaryOperator::Div
        | BinaryOperator::Mod => Value::Number(arith(op, to_num(a)?, to_num(b)?)?),
    };
    Ok(Node::new(value, span))
}

#[allow(clippy::many_single_char_names)]
fn arith(op: BinaryOperator, a: Number, b: Number) -> Result<Number, Fail> {
    if let (Number::Int(x), Number::Int(y)) = (a, b) {
        let exact = match op {
            BinaryOperator::Plus => x.checked_add(y),
            BinaryOperator::Minus => x.checked_sub(y),
            BinaryOperator::Mul => x.checked_mul(y),
            BinaryOperator::Mod => x.checked_rem(y),
            BinaryOperator::Div if y != 0 && x.checked_rem(y) == Some(0) => x.checked_div(y),
            _ => None,
        };
        if let Some(n) = exact {
            return Ok(Number::Int(n));
        }
    }
    let (x, y) = (num_f64(a), num_f64(b));
    let r = match op {
        BinaryOperator::Plus => x + y,
        BinaryOperator::Minus => x - y,
        BinaryOperator::Mul => x * y,
        BinaryOperator::Div | BinaryOperator::Mod if y == 0.0 => {
            return Err(Fail("division by zero".into()));
        }
        BinaryOperator::Div => x / y,
        _ => x % y,
    };
    Ok(num_from_f64(r))
}
