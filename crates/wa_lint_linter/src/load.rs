//! Reading files into [`SourceFile`]s.

use wa_lint_source::{Diagnostic, FileId, Format, Level, SourceFile, TextRange};

use crate::discover::{Candidate, Found};

/// Files larger than this are reported and skipped (bytes).
pub(crate) const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads `found` as file `id`. A leading UTF-8 byte-order mark is dropped. Invalid UTF-8,
/// unreadable and oversized files give a diagnostic instead.
pub(crate) fn load(found: &Found, id: FileId) -> Result<SourceFile, Diagnostic> {
    let size = std::fs::metadata(&found.abs).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            "source::too-large",
            &found.rel,
            None,
            format!("file is {size} bytes, more than the {MAX_FILE_BYTES}-byte limit; not checked"),
        ));
    }
    let bytes = std::fs::read(&found.abs)
        .map_err(|e| Diagnostic::error("source::io", &found.rel, None, format!("cannot read file: {e}")))?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = match std::str::from_utf8(body) {
        Ok(text) => text.to_owned(),
        Err(e) => {
            let valid = e.valid_up_to();
            // Locate the bad byte in the readable prefix so the user gets line:column.
            let prefix = String::from_utf8_lossy(body.get(..valid).unwrap_or_default()).into_owned();
            let file = SourceFile::new(id, found.rel.clone(), prefix, format_of(found));
            let at = file.line_col(valid as u32);
            // Structured files that do not look like templates are skipped quietly.
            let level = if found.candidate == Candidate::Structured
                && !wa_lint_cfn::sniff(&String::from_utf8_lossy(body))
            {
                Level::Note
            } else {
                Level::Error
            };
            return Err(Diagnostic::at(
                level,
                "source::invalid-utf8",
                &found.rel,
                Some(TextRange::empty(valid)),
                format!("invalid UTF-8 at line {}, column {}; the file is not checked", at.line, at.column),
            )
            .with_help("save the file as UTF-8 (CloudFormation and Terraform require UTF-8)"));
        }
    };
    Ok(SourceFile::new(id, found.rel.clone(), text, format_of(found)))
}

/// The syntax a candidate is read as.
fn format_of(found: &Found) -> Format {
    let lower = found.rel.to_ascii_lowercase();
    match found.candidate {
        Candidate::TerraformConfig | Candidate::TerraformVars if !lower.ends_with(".json") => Format::Hcl,
        _ if lower.ends_with(".json") => Format::Json,
        _ => Format::Yaml,
    }
}
