//! CloudFormation YAML (short tags, anchors and aliases): load, template detection, graph build
//! with intrinsic functions, parameters, mappings and condition scenarios (`parse_project`, as
//! the linter calls it), then the document reader used for suppressions, the span checks and
//! the Rego input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wa_lint_source::{FileId, Format, SourceFile};

fuzz_target!(|data: &[u8]| {
    // The loader rejects invalid UTF-8 before any front end sees the file.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceFile::new(FileId(0), "template.yaml", text, Format::Yaml);
    let files = [file];
    let project = wa_lint_cfn::parse_project(&files, &wa_lint_cfn::CfnOptions::default());
    for unit in &project.units {
        wa_lint_fuzz::check_output(&files, unit);
    }
    let _ = wa_lint_cfn::load_document(&files[0]);
});
