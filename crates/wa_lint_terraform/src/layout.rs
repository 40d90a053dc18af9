//! How the directories of a scan call each other, kept from a first pass over the parsed files
//! so that the files themselves need not stay parsed: which directories are roots, and which
//! directories evaluating a root may read (its local module calls, followed, and its downloaded
//! modules). Each root is then evaluated on its own directories parsed again, so a scan holds
//! the parsed files of one root per worker thread.

use std::collections::{BTreeMap, BTreeSet};

use wa_lint_source::LazyFile;

use crate::eval::files::join_rel;
use crate::module::{is_local_source, literal_source, Dir};

/// What the first pass keeps of one directory.
#[derive(Debug)]
pub(crate) struct DirFacts<'a> {
    /// Directory relative to the scan root.
    pub path: &'a str,
    /// Its files.
    pub files: &'a [LazyFile],
    /// Read from `.terraform/modules` (outside the scanned tree).
    pub downloaded: bool,
    /// Some file parsed, or parsing reported a problem.
    pub loaded: bool,
    /// Targets of its `module` blocks with a literal local `source`, joined to the directory
    /// (whether or not they are directories of the scan).
    pub calls: Vec<String>,
    /// Names of its `variable` blocks.
    pub variables: BTreeSet<String>,
}

impl<'a> DirFacts<'a> {
    /// The facts of directory `path` (files `files`), parsed as `dir`.
    pub(crate) fn of(
        path: &'a str,
        files: &'a [LazyFile],
        downloaded: bool,
        dir: &Dir<'_>,
    ) -> Self {
        let mut calls = Vec::new();
        let mut variables = BTreeSet::new();
        for (_, body) in &dir.parsed {
            for block in body.blocks() {
                if block.has_ident("module") {
                    calls.extend(
                        literal_source(block)
                            .filter(|s| is_local_source(s))
                            .and_then(|s| join_rel(dir.path, &s)),
                    );
                } else if block.has_ident("variable") {
                    variables.extend(block.labels.first().map(|l| l.as_str().to_owned()));
                }
            }
        }
        Self {
            path,
            files,
            downloaded,
            loaded: !dir.parsed.is_empty() || !dir.diags.is_empty(),
            calls,
            variables,
        }
    }
}

/// Every directory of the scan, by path, and where downloaded modules are.
pub(crate) struct Layout<'a> {
    pub dirs: BTreeMap<&'a str, DirFacts<'a>>,
    /// `(root module dir, module key "a.b")` → downloaded module dir.
    pub keys: &'a BTreeMap<(String, String), String>,
}

impl<'a> Layout<'a> {
    /// The local module calls of `dir` to other directories of the scan.
    fn calls<'s>(&'s self, dir: &'s DirFacts<'a>) -> impl Iterator<Item = &'a str> + 's {
        let from = dir.path;
        dir.calls
            .iter()
            .filter_map(|t| self.dirs.get_key_value(t.as_str()).map(|(k, _)| *k))
            .filter(move |k| *k != from)
    }

    /// Directories that are evaluated as roots: every scanned directory with configuration
    /// that is not called (directly or not) as a local module by another root. Directories
    /// only reachable through a cycle of calls are roots too. Sorted.
    pub(crate) fn roots(&self) -> Vec<&'a str> {
        let scanned: Vec<&'a str> = self
            .dirs
            .values()
            .filter(|d| !d.downloaded && d.loaded)
            .map(|d| d.path)
            .collect();
        let mut calls: BTreeMap<&str, Vec<&'a str>> = BTreeMap::new();
        let mut called: BTreeSet<&str> = BTreeSet::new();
        for dir in scanned.iter().filter_map(|p| self.dirs.get(p)) {
            for key in self.calls(dir) {
                calls.entry(dir.path).or_default().push(key);
                called.insert(key);
            }
        }
        let mut roots: Vec<&'a str> = scanned
            .iter()
            .copied()
            .filter(|d| !called.contains(d))
            .collect();
        let mut reached: BTreeSet<&str> = BTreeSet::new();
        let mut todo: Vec<&str> = roots.clone();
        while let Some(d) = todo.pop() {
            if reached.insert(d) {
                todo.extend(calls.get(d).into_iter().flatten().copied());
            }
        }
        for d in &scanned {
            if !reached.contains(d) {
                // Only reachable through a cycle: evaluate it on its own (once per cycle
                // member; the cycle is reported while evaluating).
                roots.push(d);
                let mut todo = vec![*d];
                while let Some(x) = todo.pop() {
                    if reached.insert(x) {
                        todo.extend(calls.get(x).into_iter().flatten().copied());
                    }
                }
            }
        }
        roots.sort_unstable();
        roots
    }

    /// True when directory `dir` declares `variable "<name>"`.
    pub(crate) fn declares_variable(&self, dir: &str, name: &str) -> bool {
        self.dirs
            .get(dir)
            .is_some_and(|d| d.variables.contains(name))
    }

    /// Every directory evaluating `root` may read: the root, its downloaded modules (every
    /// `modules.json` key of the root), and the local module calls of any of them, followed.
    /// A superset of what the evaluation instantiates (calls under a false `count` too).
    pub(crate) fn reads(&self, root: &str) -> BTreeSet<&'a str> {
        let mut todo: Vec<&'a str> = self
            .dirs
            .get_key_value(root)
            .map(|(k, _)| *k)
            .into_iter()
            .chain(
                self.keys
                    .iter()
                    .filter(|((r, _), _)| r == root)
                    .filter_map(|(_, d)| self.dirs.get_key_value(d.as_str()).map(|(k, _)| *k)),
            )
            .collect();
        let mut out = BTreeSet::new();
        while let Some(d) = todo.pop() {
            if out.insert(d) {
                if let Some(dir) = self.dirs.get(d) {
                    todo.extend(self.calls(dir));
                }
            }
        }
        out
    }
}
