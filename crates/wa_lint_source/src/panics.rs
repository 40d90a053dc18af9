//! Running third-party code that can panic on odd input (the YAML parser, regorus' builtins) so
//! that a panic becomes an error for one file or one rule instead of ending the scan.
//!
//! The binary's panic hook ([`is_catching`]) stays silent for panics [`catch`] turns into
//! errors; every other panic is printed as usual.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    /// Number of [`catch`] calls running on this thread (they can nest).
    static CATCHING: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f` and returns its value, or `Err` with the panic message (`"panic"` when the payload
/// is not a string) when it panics. Whatever `f` mutated may be left half-updated: the caller
/// must drop or rebuild it.
///
/// # Errors
/// The panic message when `f` panics.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    CATCHING.with(|c| c.set(c.get().saturating_add(1)));
    let result = catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get().saturating_sub(1)));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_owned())
    })
}

/// True while [`catch`] runs on the current thread: a panic hook should print nothing then,
/// since the panic is reported as an error by the caller.
pub fn is_catching() -> bool {
    CATCHING.with(Cell::get) > 0
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_the_flag_is_reset() {
        let digit = 'x';
        assert_eq!(
            catch(|| digit.to_digit(10).unwrap_or_else(|| panic!("not a digit"))),
            Err("not a digit".to_owned())
        );
        assert_eq!(
            catch(|| -> u32 { panic!("{} formatted", 2) }),
            Err("2 formatted".to_owned())
        );
        assert!(!is_catching());
        assert_eq!(catch(|| (is_catching(), 7)), Ok((true, 7)));
        assert!(!is_catching());
    }
}
