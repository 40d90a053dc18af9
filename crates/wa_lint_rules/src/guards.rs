//! Bounded replacements for the Rego builtins that allocate in one call without any limit.
//!
//! regorus' execution timer is checked between interpreter steps, never inside a builtin, and
//! its memory limits need its `allocator-memory-limits` feature (a mimalloc build that is not
//! in this tree). `numbers.range(1, 1e9)` is one builtin call that allocates ~1e9 values (or
//! aborts the process when the allocation fails), and `numbers.range_step(a, b, 0)` divides by
//! zero. Extensions registered under the same names take precedence over builtins, so these
//! versions, which refuse to build more than [`MAX_RANGE`] elements, replace them in every
//! engine of the pack. A rule that hits the bound gets a rule error naming it; other rules
//! still run.

use regorus::{Engine, Value};

/// Most elements `numbers.range` / `numbers.range_step` may produce (1,000,000: about 50 MB
/// of values).
pub const MAX_RANGE: u64 = 1_000_000;

/// Installs the bounded builtins in `engine`.
///
/// # Errors
/// When regorus refuses an extension (only if one of the names was already registered).
pub(crate) fn install(engine: &mut Engine) -> anyhow::Result<()> {
    engine.add_extension(
        "numbers.range".to_owned(),
        2,
        Box::new(|args: Vec<Value>| -> anyhow::Result<Value> {
            let [a, b] = args.as_slice() else {
                anyhow::bail!("numbers.range expects 2 arguments");
            };
            let (Some(a), Some(b)) = (integer(a)?, integer(b)?) else {
                return Ok(Value::Undefined);
            };
            let step = if b >= a { 1 } else { -1 };
            range("numbers.range", a, b, step)
        }),
    )?;
    engine.add_extension(
        "numbers.range_step".to_owned(),
        3,
        Box::new(|args: Vec<Value>| -> anyhow::Result<Value> {
            let [a, b, step] = args.as_slice() else {
                anyhow::bail!("numbers.range_step expects 3 arguments");
            };
            let (Some(a), Some(b), Some(step)) = (integer(a)?, integer(b)?, integer(step)?) else {
                anyhow::bail!("numbers.range_step: operands and step must be integers");
            };
            if step <= 0 {
                anyhow::bail!("numbers.range_step: step must be a positive integer");
            }
            let step = if b >= a { step } else { -step };
            range("numbers.range_step", a, b, step)
        }),
    )?;
    Ok(())
}

/// The integer value of a number argument; `None` for a number that is not an integer.
fn integer(v: &Value) -> anyhow::Result<Option<i64>> {
    match v {
        Value::Number(n) => Ok(n.is_integer().then(|| n.as_i64()).flatten()),
        _ => anyhow::bail!("operand must be a number"),
    }
}

/// `a, a + step, …` up to `b` (included when reached; always included for `numbers.range`,
/// whose step is ±1), refusing more than [`MAX_RANGE`] elements.
fn range(name: &str, a: i64, b: i64, step: i64) -> anyhow::Result<Value> {
    let span = i128::from(b) - i128::from(a);
    let count = span.unsigned_abs() / i128::from(step).unsigned_abs() + 1;
    if count > u128::from(MAX_RANGE) {
        anyhow::bail!(
            "{name} would produce {count} elements, more than wa-lint's limit of {MAX_RANGE}"
        );
    }
    let mut values = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
    let mut v = i128::from(a);
    for _ in 0..count {
        values.push(Value::from(i64::try_from(v).unwrap_or(i64::MAX)));
        v += i128::from(step);
    }
    Ok(Value::from(values))
}
