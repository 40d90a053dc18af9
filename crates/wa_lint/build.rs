//! Embeds the generated rule documentation (`docs/rules/<ID>.md`, see
//! `crates/wa_lint_rules/src/docs.rs`) for `wa-lint explain`, as a sorted table
//! `(rule ID, include_str!(absolute path))` written to `$OUT_DIR/rule_docs.rs`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs, io};

fn main() -> io::Result<()> {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let docs_dir = manifest_dir
        .join("..")
        .join("..")
        .join("docs")
        .join("rules");
    println!("cargo:rerun-if-changed={}", docs_dir.display());
    println!("cargo:rerun-if-changed=build.rs");

    let mut pages = Vec::new();
    if docs_dir.is_dir() {
        for entry in fs::read_dir(&docs_dir)? {
            let path = entry?.path();
            let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
                continue;
            };
            if let Some(id) = name.strip_suffix(".md").filter(|id| id.starts_with("WA-")) {
                pages.push((id.to_owned(), fs::canonicalize(&path)?));
            }
        }
    }
    pages.sort();

    let mut out = String::from(
        "/// Generated rule pages: `(rule ID, Markdown)`, sorted by ID.\n\
         pub(crate) static RULE_DOCS: &[(&str, &str)] = &[\n",
    );
    for (id, path) in &pages {
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(
            out,
            "    ({id:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    fs::write(out_dir.join("rule_docs.rs"), out)
}
