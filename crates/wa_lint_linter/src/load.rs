//! Reading files into [`SourceFile`]s, within the size limit, decoding UTF-8 and UTF-16.

use wa_lint_source::read::{read_text, Encoding, ReadError};
use wa_lint_source::{Diagnostic, FileId, Format, Level, SourceFile, TextRange};

use crate::discover::{has_suffix, Candidate, Found};

/// Why a file could not be loaded.
#[derive(Debug)]
pub(crate) struct Failure {
    /// What to report (level `Note` = skip quietly).
    pub diagnostic: Diagnostic,
    /// The text decoded lossily, when the file was read, so the diagnostic can show a snippet;
    /// it is never parsed.
    pub lossy: Option<SourceFile>,
}

impl From<Diagnostic> for Box<Failure> {
    fn from(diagnostic: Diagnostic) -> Self {
        Box::new(Failure {
            diagnostic,
            lossy: None,
        })
    }
}

/// A file that was read and decoded.
#[derive(Debug)]
pub(crate) struct Read {
    /// The text (UTF-8, without byte-order mark).
    pub file: SourceFile,
    /// A problem that did not stop the file from being checked (UTF-16 encoding).
    pub warning: Option<Diagnostic>,
}

/// Reads `found` as file `id`, refusing files over `max_bytes` before reading them
/// ([`wa_lint_source::read::read_text`]).
///
/// A leading UTF-8 byte-order mark is dropped. A UTF-16 file (LE or BE, with its byte-order
/// mark) is decoded and checked, with a `source::utf16` warning when it looks like
/// infrastructure as code (Terraform and CloudFormation expect UTF-8). Invalid UTF-8/UTF-16,
/// unreadable and oversized files give a [`Failure`] instead: `source::invalid-utf8`
/// (located at the first bad byte), `source::io`, `source::too-large`.
pub(crate) fn load(found: &Found, id: FileId, max_bytes: u64) -> Result<Read, Box<Failure>> {
    let decoded = read_text(&found.abs, max_bytes).map_err(|e| match e {
        ReadError::Io(e) => Box::<Failure>::from(Diagnostic::error(
            "source::io",
            &found.rel,
            None,
            format!("cannot read file: {e}"),
        )),
        ReadError::TooLarge(size) => Box::<Failure>::from(
            Diagnostic::error(
                "source::too-large",
                &found.rel,
                None,
                format!(
                    "file is {size} bytes, more than the {max_bytes}-byte limit; not checked"
                ),
            )
            .with_help("raise the limit with --max-file-size or `[limits] file-size` in .wa-lint.toml, or --exclude the file"),
        ),
    })?;
    let encoding = decoded.encoding;
    let file = SourceFile::new(id, found.rel.clone(), decoded.text, format_of(found));
    if let Some(at) = decoded.first_bad {
        let what = match encoding {
            Encoding::Utf8 => "invalid UTF-8".to_owned(),
            other => format!("invalid {}", other.name()),
        };
        return Err(invalid(found, file, at, &what));
    }
    let warning = (encoding != Encoding::Utf8 && looks_like_iac(found, &file.text)).then(|| {
        Diagnostic::at(
            Level::Warning,
            "source::utf16",
            &found.rel,
            Some(TextRange::new(0, 0)),
            format!("file is {} (byte-order mark); it was decoded and checked, but CloudFormation and Terraform read UTF-8 only", encoding.name()),
        )
        .with_help("save the file as UTF-8 (https://developer.hashicorp.com/terraform/language/syntax/configuration#character-encoding-and-line-endings)")
    });
    Ok(Read { file, warning })
}

/// A file that cannot be decoded: an error when it looks like infrastructure as code, else a
/// note (structured files that are not templates are skipped quietly). `at`: byte offset of
/// the first bad character in `lossy`.
fn invalid(found: &Found, lossy: SourceFile, at: usize, what: &str) -> Box<Failure> {
    let level = if looks_like_iac(found, &lossy.text) {
        Level::Error
    } else {
        Level::Note
    };
    // The replacement character there, so the range ends on a character boundary.
    let width = lossy
        .text
        .get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8);
    let diagnostic = Diagnostic::at(
        level,
        "source::invalid-utf8",
        &found.rel,
        Some(TextRange::new(at, at + width)),
        format!("{what}; the file is not checked"),
    )
    .with_help("save the file as UTF-8 (CloudFormation and Terraform require UTF-8)");
    Box::new(Failure {
        diagnostic,
        lossy: Some(lossy),
    })
}

/// Terraform files always; other candidates when the cheap CloudFormation test accepts them.
fn looks_like_iac(found: &Found, text: &str) -> bool {
    found.candidate != Candidate::Structured || wa_lint_cfn::sniff(text)
}

/// The syntax a candidate is read as.
fn format_of(found: &Found) -> Format {
    let json = has_suffix(&found.rel, ".json");
    match found.candidate {
        Candidate::TerraformConfig | Candidate::TerraformVars if !json => Format::Hcl,
        _ if json => Format::Json,
        _ => Format::Yaml,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("wa-lint-load-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn found(abs: &Path, rel: &str) -> Found {
        Found {
            rel: rel.to_owned(),
            abs: abs.to_path_buf(),
            candidate: crate::discover::candidate_of(rel).unwrap(),
        }
    }

    const TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n";

    #[test]
    fn a_file_that_vanished_after_discovery_is_an_io_error() {
        let dir = scratch("vanish");
        let path = dir.join("t.yaml");
        std::fs::write(&path, TEMPLATE).unwrap();
        let f = found(&path, "t.yaml");
        std::fs::remove_file(&path).unwrap();
        let failure = load(&f, FileId(0), 1024).unwrap_err();
        assert_eq!(failure.diagnostic.code, "source::io");
        assert_eq!(failure.diagnostic.level, Level::Error);
        assert!(failure.diagnostic.message.starts_with("cannot read file: "));
    }

    #[test]
    fn the_size_limit_is_checked_before_reading() {
        let dir = scratch("size");
        let path = dir.join("t.json");
        std::fs::write(&path, "{}").unwrap();
        // Sparse: 1 GiB of size, no data blocks.
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(1 << 30)
            .unwrap();
        let failure = load(&found(&path, "t.json"), FileId(0), 1024).unwrap_err();
        assert_eq!(failure.diagnostic.code, "source::too-large");
        assert_eq!(
            failure.diagnostic.message,
            "file is 1073741824 bytes, more than the 1024-byte limit; not checked"
        );
        let path = dir.join("small.yaml");
        std::fs::write(&path, TEMPLATE).unwrap();
        let limit = TEMPLATE.len() as u64;
        assert!(load(&found(&path, "small.yaml"), FileId(0), limit).is_ok());
        assert!(load(&found(&path, "small.yaml"), FileId(0), limit - 1).is_err());
    }

    #[test]
    fn utf16_is_decoded_with_a_warning() {
        let dir = scratch("utf16");
        for (bom, name, encode) in [
            (
                [0xFF, 0xFE],
                "UTF-16 LE",
                u16::to_le_bytes as fn(u16) -> [u8; 2],
            ),
            ([0xFE, 0xFF], "UTF-16 BE", u16::to_be_bytes),
        ] {
            let mut bytes = bom.to_vec();
            bytes.extend(TEMPLATE.encode_utf16().flat_map(encode));
            let path = dir.join("t.yaml");
            std::fs::write(&path, &bytes).unwrap();
            let read = load(&found(&path, "t.yaml"), FileId(0), 1 << 20).unwrap();
            assert_eq!(&*read.file.text, TEMPLATE);
            let warning = read.warning.unwrap();
            assert_eq!(warning.code, "source::utf16");
            assert!(warning.message.starts_with(&format!("file is {name}")));
            // A lone surrogate is invalid.
            bytes.extend(encode(0xDC00));
            std::fs::write(&path, &bytes).unwrap();
            let failure = load(&found(&path, "t.yaml"), FileId(0), 1 << 20).unwrap_err();
            assert_eq!(failure.diagnostic.code, "source::invalid-utf8");
            assert_eq!(
                failure.diagnostic.range,
                Some(TextRange::new(TEMPLATE.len(), TEMPLATE.len() + 3))
            );
        }
        // Not a template: decoded, no warning.
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("a: 1\n".encode_utf16().flat_map(u16::to_le_bytes));
        let path = dir.join("other.yaml");
        std::fs::write(&path, &bytes).unwrap();
        let read = load(&found(&path, "other.yaml"), FileId(0), 1 << 20).unwrap();
        assert!(read.warning.is_none());
    }
}
