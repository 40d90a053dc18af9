//! Walking the given paths and classifying files by extension and content.

use std::path::{Path, PathBuf};

use ignore::overrides::OverrideBuilder;
use ignore::WalkBuilder;

use crate::LintError;

/// What a discovered file is a candidate for (decided by extension; content decides later).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Candidate {
    /// `.tf` / `.tf.json`: belongs to the module of its directory.
    TerraformConfig,
    /// `.tfvars` / `.tfvars.json`: variable values of the module of its directory.
    TerraformVars,
    /// `.yaml`, `.yml`, `.json`, `.template`, `.cfn`: maybe a CloudFormation template.
    Structured,
}

/// A file found under a scan path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Found {
    /// Path relative to the scan root, `/` separators.
    pub rel: String,
    /// Path to open.
    pub abs: PathBuf,
    /// What it may be.
    pub candidate: Candidate,
}

/// Classifies a file name by extension.
pub(crate) fn candidate_of(name: &str) -> Option<Candidate> {
    let ends = |suffix: &str| has_suffix(name, suffix);
    if ends(".tf") || ends(".tf.json") {
        Some(Candidate::TerraformConfig)
    } else if ends(".tfvars") || ends(".tfvars.json") {
        Some(Candidate::TerraformVars)
    } else if [".yaml", ".yml", ".json", ".template", ".cfn"]
        .into_iter()
        .any(ends)
    {
        Some(Candidate::Structured)
    } else {
        None
    }
}

/// Case-insensitive ASCII suffix test (`Template.YAML` ends with `.yaml`).
pub(crate) fn has_suffix(name: &str, suffix: &str) -> bool {
    name.len() >= suffix.len()
        && name
            .get(name.len() - suffix.len()..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix))
}

/// The directory that reported paths are relative to: a single directory argument is its own
/// root, a single file's root is its parent, several arguments are relative to the current
/// directory.
pub(crate) fn scan_root(paths: &[PathBuf]) -> PathBuf {
    match paths {
        [one] if one.is_dir() => one.clone(),
        [one] => one
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        _ => PathBuf::from("."),
    }
}

/// Relative path of `path` under `root` with `/` separators (the path as given when it is not
/// under `root`).
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    // An absolute path outside `root` keeps its leading `/` once (`RootDir` becomes an empty
    // first part, so the join gives `/work/x`, not `//work/x`).
    let parts: Vec<String> = rel
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| match c {
            std::path::Component::RootDir => String::new(),
            c => display_name(c.as_os_str()),
        })
        .collect();
    if parts.is_empty() {
        path.file_name().map_or_else(String::new, display_name)
    } else {
        parts.join("/")
    }
}

/// A file name as text: UTF-8 as is; on Unix, each byte of a name that is not UTF-8 is
/// written `\xNN` (so `caf\xE9.yaml` and `caf\xE8.yaml` stay two files, and the name says which
/// bytes it has); elsewhere lossily.
pub(crate) fn display_name(name: &std::ffi::OsStr) -> String {
    #[cfg(unix)]
    {
        use std::fmt::Write;
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in name.as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                let _ = write!(out, "\\x{b:02X}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned()
    }
}

/// What discovery found: the files to read, and the symbolic links with a candidate extension
/// that were not followed (paths relative to the root).
#[derive(Debug, Default)]
pub(crate) struct Discovered {
    /// Regular files, sorted by relative path.
    pub found: Vec<Found>,
    /// Symbolic links, sorted.
    pub symlinks: Vec<String>,
}

/// Walks `paths` (files or directories) honouring `.gitignore`, `.ignore`, `.walintignore`
/// and the `excludes` globs, skipping hidden files and directories (`.git/`, `.terraform/`).
/// A file given explicitly is always included when its extension is a candidate. Symbolic
/// links are never followed (a link may point outside the scan root, or at itself); those
/// with a candidate extension are returned in [`Discovered::symlinks`].
///
/// # Errors
/// [`LintError::PathNotFound`] for a path that does not exist, [`LintError::Exclude`] for an
/// invalid glob.
pub(crate) fn discover(
    paths: &[PathBuf],
    root: &Path,
    excludes: &[String],
) -> Result<Discovered, LintError> {
    let mut found = Vec::new();
    let mut symlinks = Vec::new();
    for path in paths {
        if !path.exists() {
            return Err(LintError::PathNotFound(path.display().to_string()));
        }
        let mut overrides = OverrideBuilder::new(path);
        for glob in excludes {
            overrides
                .add(&format!("!{glob}"))
                .map_err(|e| LintError::Exclude {
                    glob: glob.clone(),
                    message: e.to_string(),
                })?;
        }
        let overrides = overrides.build().map_err(|e| LintError::Exclude {
            glob: excludes.join(","),
            message: e.to_string(),
        })?;
        let walker = WalkBuilder::new(path)
            .hidden(true)
            .git_ignore(true)
            .git_exclude(true)
            .require_git(false)
            .add_custom_ignore_filename(".walintignore")
            .overrides(overrides)
            .follow_links(false)
            .build();
        for entry in walker.flatten() {
            let name = entry.file_name().to_string_lossy();
            let Some(candidate) = candidate_of(&name) else {
                continue;
            };
            if entry.path_is_symlink() {
                symlinks.push(relative(root, entry.path()));
                continue;
            }
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let abs = entry.into_path();
            found.push(Found {
                rel: relative(root, &abs),
                abs,
                candidate,
            });
        }
    }
    found.sort();
    found.dedup_by(|a, b| a.rel == b.rel);
    symlinks.sort();
    symlinks.dedup();
    Ok(Discovered { found, symlinks })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_extension() {
        assert_eq!(candidate_of("main.tf"), Some(Candidate::TerraformConfig));
        assert_eq!(
            candidate_of("cdktf.tf.json"),
            Some(Candidate::TerraformConfig)
        );
        assert_eq!(
            candidate_of("prod.auto.tfvars"),
            Some(Candidate::TerraformVars)
        );
        assert_eq!(
            candidate_of("terraform.tfvars.json"),
            Some(Candidate::TerraformVars)
        );
        assert_eq!(candidate_of("Template.YAML"), Some(Candidate::Structured));
        assert_eq!(candidate_of("README.md"), None);
    }

    #[test]
    fn relative_paths_use_slashes() {
        assert_eq!(relative(Path::new("a"), Path::new("a/b/c.tf")), "b/c.tf");
        assert_eq!(relative(Path::new("."), Path::new("./x.yaml")), "x.yaml");
        assert_eq!(relative(Path::new("a"), Path::new("a")), "a");
        assert_eq!(
            relative(Path::new("."), Path::new("/work/c/main.tf")),
            "/work/c/main.tf"
        );
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"caf\xE9-\xFF.yaml");
        assert_eq!(display_name(name), "caf\\xE9-\\xFF.yaml");
        assert_eq!(
            relative(Path::new("r"), &Path::new("r/d").join(name)),
            "d/caf\\xE9-\\xFF.yaml"
        );
    }
}
