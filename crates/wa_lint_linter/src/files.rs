//! The files of a scan by id, and the view of them a unit locates its findings with: the texts
//! and line indexes it needs, read again once each ([`LazyFile::load`]) and dropped with the
//! unit's record, so no pass holds every text of the scan.

use std::cell::RefCell;
use std::collections::BTreeMap;

use wa_lint_source::{Diagnostic, FileId, LazyFile, Level, SourceFile};

/// Every file of a scan, by id.
#[derive(Debug, Default)]
pub(crate) struct FileMap<'f> {
    by_id: BTreeMap<FileId, &'f LazyFile>,
}

impl<'f> FileMap<'f> {
    /// The map of `files`.
    pub(crate) fn new(files: impl IntoIterator<Item = &'f LazyFile>) -> Self {
        Self {
            by_id: files.into_iter().map(|f| (f.id, f)).collect(),
        }
    }

    /// The file with `id`, without reading it.
    pub(crate) fn lazy(&self, id: FileId) -> Option<&'f LazyFile> {
        self.by_id.get(&id).copied()
    }

    /// A view for one unit (one thread).
    pub(crate) fn unit(&self) -> UnitFiles<'_> {
        UnitFiles {
            map: self,
            loaded: RefCell::default(),
            problems: RefCell::default(),
        }
    }
}

/// The files one unit has asked for, each read once.
pub(crate) struct UnitFiles<'a> {
    map: &'a FileMap<'a>,
    loaded: RefCell<BTreeMap<FileId, Option<SourceFile>>>,
    problems: RefCell<Vec<Diagnostic>>,
}

impl UnitFiles<'_> {
    /// The file with `id`, with its text and line index; `None` when the scan has no such file
    /// or it can no longer be read as first read (the reason is kept for
    /// [`UnitFiles::into_problems`]). Cheap after the first call (texts are shared).
    pub(crate) fn get(&self, id: FileId) -> Option<SourceFile> {
        if let Some(known) = self.loaded.borrow().get(&id) {
            return known.clone();
        }
        let file = match self.map.by_id.get(&id).map(|f| f.load()) {
            Some(Ok(file)) => Some(file),
            Some(Err(problem)) => {
                self.problems.borrow_mut().push(*problem);
                None
            }
            None => None,
        };
        self.loaded.borrow_mut().insert(id, file.clone());
        file
    }

    /// True when the file with `id` was asked for and could not be read again.
    pub(crate) fn unreadable(&self, id: FileId) -> bool {
        matches!(self.loaded.borrow().get(&id), Some(None)) && self.map.by_id.contains_key(&id)
    }

    /// The files that could not be read again, as error diagnostics.
    pub(crate) fn into_problems(self) -> Vec<Diagnostic> {
        self.problems
            .into_inner()
            .into_iter()
            .map(|p| LazyFile::unread(p, Level::Error, "the findings in it are not reported"))
            .collect()
    }
}
