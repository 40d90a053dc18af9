//! Terraform plan JSON (`terraform show -json`): the plan reader (`planned_values`,
//! `resource_changes` with `after_unknown`/`after_sensitive`, `configuration` references),
//! through `parse_project` as the linter calls it for a plan file, when the cheap plan test
//! accepts the text. Then the span checks and the Rego input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wa_lint_source::{FileId, Format, SourceFile};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The linter sends a `.json` file to the plan reader only when this test accepts it.
    if !wa_lint_terraform::is_plan(text) {
        return;
    }
    let file = SourceFile::new(FileId(0), "plan.json", text, Format::Json);
    let files = [file];
    let project = wa_lint_terraform::Project {
        plans: files.to_vec(),
        ..wa_lint_terraform::Project::default()
    };
    let outputs =
        wa_lint_terraform::parse_project(&project, &wa_lint_terraform::ModuleOptions::default());
    for output in &outputs {
        wa_lint_fuzz::check_output(&files, output);
    }
});
