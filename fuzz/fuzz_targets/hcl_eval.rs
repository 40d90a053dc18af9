//! Terraform HCL: one module directory of up to three in-memory files — the input split at NUL
//! bytes into `main.tf`, `variables.tf` and `terraform.tfvars` — parsed with hcl-edit and
//! evaluated into the graph (variables, tfvars, locals, `count`/`for_each`, functions,
//! references; `parse_project`, as the linter calls it). No scan root: `file()` and friends
//! stay Unknown, nothing is read from disk. Then the span checks and the Rego input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wa_lint_source::{FileId, Format, SourceFile};

/// File names of the parts, in the order the linter sorts a directory's files (by path).
const NAMES: [&str; 3] = ["main.tf", "variables.tf", "terraform.tfvars"];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut files: Vec<SourceFile> = text
        .splitn(NAMES.len(), '\0')
        .zip(NAMES)
        .enumerate()
        .map(|(i, (part, name))| SourceFile::new(FileId(i as u32), name, part, Format::Hcl))
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let project = wa_lint_terraform::Project {
        modules: vec![(".".to_owned(), files.clone())],
        ..wa_lint_terraform::Project::default()
    };
    let outputs =
        wa_lint_terraform::parse_project(&project, &wa_lint_terraform::ModuleOptions::default());
    for output in &outputs {
        wa_lint_fuzz::check_output(&files, output);
    }
});
