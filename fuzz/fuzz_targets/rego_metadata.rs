//! A user rule module: `package` line and `# METADATA` block (YAML in comments) parsed and
//! validated, then the module compiled by regorus and its `deny`/`unknown` entry points looked
//! up — `RulePack::from_sources`, what `--rules DIR` does for each `.rego` file (without the
//! embedded pack, so one execution stays cheap).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Rule files are read with `read_to_string`: invalid UTF-8 is an I/O error.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let sources = [("rules/fuzz/rule.rego".to_owned(), text.to_owned())];
    let _ = wa_lint_rules::RulePack::from_sources(&sources);
});
