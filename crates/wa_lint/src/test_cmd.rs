//! `wa-lint test`: run the fixtures of custom rules directories.

use crate::cli::TestArgs;

/// Not implemented yet: exit code 2 with a message.
#[allow(clippy::unnecessary_wraps)] // the real command reads files and can fail
pub fn run(args: &TestArgs) -> anyhow::Result<u8> {
    let _ = args;
    eprintln!("wa-lint: error: `wa-lint test` is not implemented yet");
    Ok(2)
}
