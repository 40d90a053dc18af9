//! Reading files into [`SourceFile`]s.

use wa_lint_source::{Diagnostic, FileId, Format, Level, SourceFile, TextRange};

use crate::discover::{has_suffix, Candidate, Found};

/// Files larger than this are reported and skipped (bytes).
pub(crate) const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

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

/// Reads `found` as file `id`. A leading UTF-8 byte-order mark is dropped. Invalid UTF-8,
/// unreadable and oversized files give a [`Failure`] instead.
pub(crate) fn load(found: &Found, id: FileId) -> Result<SourceFile, Box<Failure>> {
    let size = std::fs::metadata(&found.abs).map_or(0, |m| m.len());
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            "source::too-large",
            &found.rel,
            None,
            format!("file is {size} bytes, more than the {MAX_FILE_BYTES}-byte limit; not checked"),
        )
        .into());
    }
    let bytes = std::fs::read(&found.abs).map_err(|e| {
        Box::<Failure>::from(Diagnostic::error(
            "source::io",
            &found.rel,
            None,
            format!("cannot read file: {e}"),
        ))
    })?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = match std::str::from_utf8(body) {
        Ok(text) => text.to_owned(),
        Err(e) => {
            // Lossy decoding keeps every byte before the first bad one where it was.
            let valid = e.valid_up_to();
            let lossy = SourceFile::new(
                id,
                found.rel.clone(),
                String::from_utf8_lossy(body),
                format_of(found),
            );
            // Structured files that do not look like templates are skipped quietly.
            let level =
                if found.candidate == Candidate::Structured && !wa_lint_cfn::sniff(&lossy.text) {
                    Level::Note
                } else {
                    Level::Error
                };
            let diagnostic = Diagnostic::at(
                level,
                "source::invalid-utf8",
                &found.rel,
                Some(TextRange::new(valid, valid + 1)),
                "invalid UTF-8; the file is not checked",
            )
            .with_help("save the file as UTF-8 (CloudFormation and Terraform require UTF-8)");
            return Err(Box::new(Failure {
                diagnostic,
                lossy: Some(lossy),
            }));
        }
    };
    Ok(SourceFile::new(
        id,
        found.rel.clone(),
        text,
        format_of(found),
    ))
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
