//! Templates are read again by each pass (`LazyFile`): one that vanished or changed after the
//! caller first read it is a unit with that error and no graph, and the others are checked.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use wa_lint_cfn::{parse_project_each, CfnOptions};
use wa_lint_source::{FileId, Format, LazyFile, SourceFile};

const TEMPLATE: &str =
    "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n";

#[test]
fn a_template_that_vanished_or_changed_since_the_first_read_is_an_error() {
    let dir = std::env::temp_dir().join(format!("wa-lint-cfn-reread-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files: Vec<LazyFile> = ["gone.yaml", "edited.yaml", "kept.yaml"]
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let abs = dir.join(name);
            std::fs::write(&abs, TEMPLATE).unwrap();
            let first = SourceFile::new(FileId(i as u32), *name, TEMPLATE, Format::Yaml);
            LazyFile::on_disk(&first, abs, 1 << 20)
        })
        .collect();
    std::fs::remove_file(dir.join("gone.yaml")).unwrap();
    std::fs::write(
        dir.join("edited.yaml"),
        TEMPLATE.replace("Bucket", "Other1"),
    )
    .unwrap();
    let units = parse_project_each(&files, &CfnOptions::default(), || (), |(), outs| outs).units;
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(units.len(), 3);
    let seen: Vec<(Option<&str>, &str, bool)> = units
        .iter()
        .map(|outs| {
            let d = outs[0].diagnostics.first();
            (
                d.and_then(|d| d.path.as_deref()),
                d.map_or("", |d| d.code.as_str()),
                outs[0].graph.is_some(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (Some("gone.yaml"), "source::io", false),
            (Some("edited.yaml"), "source::changed", false),
            (None, "", true),
        ]
    );
}
