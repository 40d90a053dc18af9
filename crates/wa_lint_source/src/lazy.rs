//! [`LazyFile`]: a file of a scan whose text is read again from disk each time a pass needs
//! it, so that a scan holds the texts of the units being built, not of every file.

use std::path::PathBuf;
use std::sync::Arc;

use crate::read::{read_text, ReadError};
use crate::{Diagnostic, FileId, Format, SourceFile};

/// A file of a scan: its id, path and format, and either its text (held) or where to read it
/// again (on disk, with what the first read saw, so a file that changed or vanished since is
/// a diagnostic instead of spans into a different text). Cloning is cheap (shared).
#[derive(Debug, Clone)]
pub struct LazyFile {
    /// Index in the scan's file table.
    pub id: FileId,
    /// Path relative to the scan root, with `/` separators (as written in reports).
    pub path: String,
    /// How the file is parsed.
    pub format: Format,
    source: Source,
}

#[derive(Debug, Clone)]
enum Source {
    Held(SourceFile),
    Disk(Arc<OnDisk>),
}

#[derive(Debug)]
struct OnDisk {
    abs: PathBuf,
    /// Length in bytes of the decoded text at the first read.
    len: usize,
    /// BLAKE3 of that text.
    digest: [u8; 32],
    /// Size limit of the first read (bytes on disk).
    max_bytes: u64,
}

/// The BLAKE3 hash of `text`, to notice that a file changed between two reads (and the
/// incremental cache's content hash).
fn digest(text: &str) -> [u8; 32] {
    *blake3::hash(text.as_bytes()).as_bytes()
}

impl From<SourceFile> for LazyFile {
    fn from(file: SourceFile) -> Self {
        Self::held(file)
    }
}

impl LazyFile {
    /// A file whose text stays in memory (tests, files given on the command line, modules
    /// read by the Terraform front end itself).
    pub fn held(file: SourceFile) -> Self {
        Self {
            id: file.id,
            path: file.path.clone(),
            format: file.format,
            source: Source::Held(file),
        }
    }

    /// A file read from `abs` (within `max_bytes`, as [`read_text`] reads it) whose first read
    /// gave `first`; [`LazyFile::load`] reads it again and checks it still has that text.
    pub fn on_disk(first: &SourceFile, abs: PathBuf, max_bytes: u64) -> Self {
        Self {
            id: first.id,
            path: first.path.clone(),
            format: first.format,
            source: Source::Disk(Arc::new(OnDisk {
                abs,
                len: first.text.len(),
                digest: digest(&first.text),
                max_bytes,
            })),
        }
    }

    /// `problem` (from [`LazyFile::load`]) at `level`, with what the caller could not do
    /// added to its message (`"it is not checked"`).
    pub fn unread(mut problem: Diagnostic, level: crate::Level, consequence: &str) -> Diagnostic {
        problem.level = level;
        problem.message = format!("{}; {consequence}", problem.message);
        problem
    }

    /// The BLAKE3 hash of the text (as first read), as lowercase hex.
    pub fn content_hash(&self) -> String {
        let bytes = match &self.source {
            Source::Held(f) => digest(&f.text),
            Source::Disk(d) => d.digest,
        };
        blake3::Hash::from_bytes(bytes).to_hex().to_string()
    }

    /// True for the diagnostics [`LazyFile::load`] gives (`source::io`, `source::changed`): a
    /// file that vanished or changed during the scan.
    pub fn is_unread(diagnostic: &Diagnostic) -> bool {
        matches!(diagnostic.code.as_str(), "source::io" | "source::changed")
    }

    /// Length of the text in bytes (UTF-8, as first read).
    pub fn len(&self) -> usize {
        match &self.source {
            Source::Held(f) => f.text.len(),
            Source::Disk(d) => d.len,
        }
    }

    /// True when the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The file with its text and line index: the held file, or the file read again.
    ///
    /// # Errors
    /// A `source::io` error diagnostic when the file can no longer be read, `source::changed`
    /// when its text is no longer the one first read (edited, replaced, truncated during the
    /// scan): what was found in it would point into a different text. The message says what
    /// happened; the caller adds what it could not do ([`LazyFile::unread`]).
    pub fn load(&self) -> Result<SourceFile, Box<Diagnostic>> {
        match &self.source {
            Source::Held(f) => Ok(f.clone()),
            Source::Disk(_) => Ok(SourceFile::new(
                self.id,
                self.path.clone(),
                self.text()?,
                self.format,
            )),
        }
    }

    /// The text alone, without building its line index (for passes that only search it), with
    /// the checks of [`LazyFile::load`].
    ///
    /// # Errors
    /// As [`LazyFile::load`].
    pub fn text(&self) -> Result<Arc<str>, Box<Diagnostic>> {
        let disk = match &self.source {
            Source::Held(f) => return Ok(f.text.clone()),
            Source::Disk(d) => d,
        };
        let changed = || {
            Box::new(
                Diagnostic::error(
                    "source::changed",
                    &self.path,
                    None,
                    "file changed while it was being scanned",
                )
                .with_help("run the scan again on a tree nothing writes to"),
            )
        };
        let decoded = match read_text(&disk.abs, disk.max_bytes) {
            Ok(d) => d,
            Err(ReadError::TooLarge(_)) => return Err(changed()),
            Err(ReadError::Io(e)) => {
                return Err(Box::new(Diagnostic::error(
                    "source::io",
                    &self.path,
                    None,
                    format!("cannot read file again during the scan: {e}"),
                )))
            }
        };
        if decoded.text.len() != disk.len || digest(&decoded.text) != disk.digest {
            return Err(changed());
        }
        Ok(decoded.text.into())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_again_and_checked_against_its_first_read() {
        let dir = std::env::temp_dir().join(format!("wa-lint-lazy-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.yaml");
        std::fs::write(&path, "\u{FEFF}a: 1\n").unwrap();
        let first = SourceFile::new(FileId(3), "t.yaml", "a: 1\n", Format::Yaml);
        let lazy = LazyFile::on_disk(&first, path.clone(), 1 << 20);
        assert_eq!(lazy.len(), 5);
        let again = lazy.load().unwrap();
        assert_eq!(
            (again.id, &*again.text, again.path.as_str()),
            (FileId(3), "a: 1\n", "t.yaml")
        );
        // Same length, other text.
        std::fs::write(&path, "a: 2\n").unwrap();
        assert_eq!(lazy.load().unwrap_err().code, "source::changed");
        std::fs::remove_file(&path).unwrap();
        let gone = lazy.load().unwrap_err();
        assert_eq!(gone.code, "source::io");
        assert!(gone
            .message
            .starts_with("cannot read file again during the scan: "));
        let _ = std::fs::remove_dir_all(&dir);
        // A held file is its own text.
        let held = LazyFile::held(first);
        assert_eq!(&*held.load().unwrap().text, "a: 1\n");
    }
}
