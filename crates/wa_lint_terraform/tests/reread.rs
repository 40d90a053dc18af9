//! Module directories are read again by each pass (`LazyFile`): a file that vanished after the
//! caller first read it is an error on the root module that reads it.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use wa_lint_source::{FileId, Format, LazyFile, SourceFile};
use wa_lint_terraform::{parse_project, ModuleOptions, Project};

#[test]
fn a_file_that_vanished_since_the_first_read_is_an_error_of_its_root() {
    let dir = std::env::temp_dir().join(format!("wa-lint-tf-reread-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let lazy = |i: u32, name: &str, text: &str| {
        let abs = dir.join(name);
        std::fs::write(&abs, text).unwrap();
        let first = SourceFile::new(FileId(i), name, text, Format::Hcl);
        LazyFile::on_disk(&first, abs, 1 << 20)
    };
    let files = vec![
        lazy(0, "main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n"),
        lazy(1, "extra.tf", "resource \"aws_sns_topic\" \"t\" {}\n"),
    ];
    std::fs::remove_file(dir.join("extra.tf")).unwrap();
    let project = Project {
        modules: vec![(".".to_owned(), files)],
        ..Project::default()
    };
    let outputs = parse_project(&project, &ModuleOptions::default());
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(outputs.len(), 1);
    let codes: Vec<(&str, Option<&str>)> = outputs[0]
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.path.as_deref()))
        .collect();
    assert_eq!(codes, [("source::io", Some("extra.tf"))]);
    // The file still there is checked.
    let graph = outputs[0].graph.as_ref().unwrap();
    let addresses: Vec<&str> = graph.resources.keys().map(String::as_str).collect();
    assert_eq!(addresses, ["aws_s3_bucket.b"]);
}

/// A module whose only file vanished is not "not found": its file's error says what happened.
#[test]
fn a_module_whose_files_vanished_is_an_error_not_a_missing_module() {
    let dir = std::env::temp_dir().join(format!("wa-lint-tf-reread-mod-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("child")).unwrap();
    let lazy = |i: u32, name: &str, text: &str| {
        let abs = dir.join(name);
        std::fs::write(&abs, text).unwrap();
        let first = SourceFile::new(FileId(i), name, text, Format::Hcl);
        LazyFile::on_disk(&first, abs, 1 << 20)
    };
    let root = lazy(0, "main.tf", "module \"c\" {\n  source = \"./child\"\n}\n");
    let child = lazy(1, "child/main.tf", "resource \"aws_sns_topic\" \"t\" {}\n");
    std::fs::remove_file(dir.join("child/main.tf")).unwrap();
    let project = Project {
        modules: vec![
            (".".to_owned(), vec![root]),
            ("child".to_owned(), vec![child]),
        ],
        ..Project::default()
    };
    let outputs = parse_project(&project, &ModuleOptions::default());
    let _ = std::fs::remove_dir_all(&dir);
    let codes: Vec<Vec<&str>> = outputs
        .iter()
        .map(|o| o.diagnostics.iter().map(|d| d.code.as_str()).collect())
        .collect();
    assert_eq!(codes, [vec!["source::io"]]);
    assert!(outputs[0].diagnostics[0]
        .message
        .ends_with("; it is not checked"));
}
