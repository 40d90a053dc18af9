//! Embeds the built-in rules pack: every `*.rego` under the workspace `rules/` directory,
//! except `*_test.rego` files and anything under a `fixtures/` directory, as a sorted table of
//! `(path relative to rules/, include_str!(absolute path))` written to `$OUT_DIR/embedded_rules.rs`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs, io};

fn main() -> io::Result<()> {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let rules_dir = manifest_dir.join("..").join("..").join("rules");
    println!("cargo:rerun-if-changed={}", rules_dir.display());
    println!("cargo:rerun-if-changed=build.rs");

    let mut files = Vec::new();
    if rules_dir.is_dir() {
        collect(&rules_dir, &rules_dir, &mut files)?;
    }
    files.sort();

    let mut out = String::from(
        "/// The built-in pack: `(path relative to rules/, source)`, sorted by path.\n\
         pub(crate) static EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for (rel, abs) in &files {
        println!("cargo:rerun-if-changed={}", abs.display());
        let _ = writeln!(
            out,
            "    ({rel:?}, include_str!({:?})),",
            abs.display().to_string()
        );
    }
    out.push_str("];\n");

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    fs::write(out_dir.join("embedded_rules.rs"), out)
}

/// Walks `dir`, pushing `(relative path with '/', absolute path)` of every rule source.
#[allow(clippy::case_sensitive_file_extension_comparisons)] // OPA matches `.rego` exactly
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            // Directories are watched too, so adding a file anywhere triggers a rebuild.
            println!("cargo:rerun-if-changed={}", path.display());
            if name != "fixtures" && !name.starts_with('.') {
                collect(root, &path, files)?;
            }
        } else if name.ends_with(".rego") && !name.ends_with("_test.rego") {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let abs = fs::canonicalize(&path)?;
            files.push((rel, abs));
        }
    }
    Ok(())
}
